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

    def _followup_collector(self):
        partner = self.env["payment.followup.portal"].sudo()._visitor()
        if not partner:
            return self.env["res.users"]
        user = self.env["payment.followup.team"].sudo()._responsible(partner)
        return user if user in self.available_operator_ids else self.env["res.users"]
