from odoo import fields, models

SERIES = [
    ("plan", "Plan installments"),
    ("promise", "Promised"),
    ("expected", "Expected from history"),
    ("late", "Later than usual"),
]


class PaymentFollowupDashboardWeek(models.Model):
    _name = "payment.followup.dashboard.week"
    _description = "Collections dashboard: cash forecast week"
    _order = "dashboard_id, week, series"

    dashboard_id = fields.Many2one(
        "payment.followup.dashboard", required=True, ondelete="cascade", index=True
    )
    company_currency_id = fields.Many2one(related="dashboard_id.company_currency_id")
    week = fields.Date("Week of", required=True)
    series = fields.Selection(SERIES, string="From", required=True)
    amount = fields.Monetary(currency_field="company_currency_id")
