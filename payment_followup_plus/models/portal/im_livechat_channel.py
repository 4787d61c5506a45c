from odoo import api, models


class ImLivechatChannel(models.Model):
    _inherit = "im_livechat.channel"

    def _get_operator(self, previous_operator_id=None, lang=None, country_id=None):
        """A customer chatting from their payments page talks to their own
        collector when that person is an available operator of the channel."""
        collector = self._followup_collector()
        if collector:
            return collector
        return super()._get_operator(
            previous_operator_id=previous_operator_id, lang=lang, country_id=country_id
        )

    def _followup_collector(self):
        partner = self.env["res.partner"].sudo()._followup_portal_visitor()
        if not partner:
            return self.env["res.users"]
        user = self.env["payment.followup.team"].sudo()._responsible(partner)
        return user if user in self.available_operator_ids else self.env["res.users"]


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.depends_context("lang")
    def _compute_user_livechat_username(self):
        """The payment help bot is named in the reader's language: its name
        is the chat window's title on the customer's page."""
        super()._compute_user_livechat_username()
        bot = self.env.ref("payment_followup_plus.chatbot_payment_help", raise_if_not_found=False)
        bot = bot and bot.sudo()
        for partner in self:
            if bot and partner == bot.operator_partner_id:
                partner.user_livechat_username = bot.with_context(lang=self.env.lang).title
