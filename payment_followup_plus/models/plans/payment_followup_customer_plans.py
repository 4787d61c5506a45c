from odoo import models


class PaymentFollowupCustomer(models.Model):
    """Invoices under a plan are not listed (``account.move._followup_arranged_sql``)."""

    _inherit = "payment.followup.customer"
    _depends = {"account.move": ["followup_plan_id"]}
