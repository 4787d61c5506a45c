from odoo import models


class ResPartner(models.Model):
    """The customers' server actions that run the follow-up now."""

    _inherit = "res.partner"

    def action_followup_send_now(self):
        """Server action "Send reminder now": what the run would send, now, after a
        confirmation that says per customer what will happen."""
        return self.env["payment.followup.send.wizard"]._open(
            self._followup_commercial(), "send_now"
        )

    def action_followup_escalate(self):
        """Server action "Escalate one level", confirmed likewise."""
        return self.env["payment.followup.send.wizard"]._open(
            self._followup_commercial(), "escalate"
        )
