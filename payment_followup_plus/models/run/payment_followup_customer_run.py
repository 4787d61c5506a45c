from odoo import models


class PaymentFollowupCustomer(models.Model):
    _inherit = "payment.followup.customer"

    def action_run_now(self):
        """The list's "Run now": today's run for every customer of the company."""
        return self.env["payment.followup.run"].action_run_now()
