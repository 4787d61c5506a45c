from odoo import fields, models


class PaymentFollowupDashboardLine(models.AbstractModel):
    """A row of a dashboard's table (aging, month, what works, forecast week):
    it belongs to its dashboard and its amounts are in the company's currency."""

    _name = "payment.followup.dashboard.line"
    _description = "Collections dashboard row"

    dashboard_id = fields.Many2one(
        "payment.followup.dashboard", required=True, ondelete="cascade", index=True
    )
    company_currency_id = fields.Many2one(related="dashboard_id.company_currency_id")
