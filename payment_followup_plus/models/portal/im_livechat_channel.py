from odoo import models


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

    def _get_livechat_discuss_channel_vals(
        self, anonymous_name, previous_operator_id=None, chatbot_script=None, **kwargs
    ):
        """The chat window's title (the chatbot's name) in the customer's
        language, as the page around it, whatever the browser's."""
        vals = super()._get_livechat_discuss_channel_vals(
            anonymous_name,
            previous_operator_id=previous_operator_id,
            chatbot_script=chatbot_script,
            **kwargs,
        )
        partner = self.env["payment.followup.portal"].sudo()._visitor()
        if chatbot_script and partner:
            lang = partner._followup_lang(self.env.lang)
            vals["name"] = chatbot_script.with_context(lang=lang).title
        return vals

    def _followup_collector(self):
        partner = self.env["payment.followup.portal"].sudo()._visitor()
        if not partner:
            return self.env["res.users"]
        user = self.env["payment.followup.team"].sudo()._responsible(partner)
        return user if user in self.available_operator_ids else self.env["res.users"]
