from odoo import fields, models

SERIES = [
    ("plan", "Plan installments"),
    ("autopay", "Installments paid automatically"),
    ("promise", "Promised"),
    ("expected", "Expected from history"),
    ("late", "Later than usual"),
]


class PaymentFollowupDashboardWeek(models.Model):
    _name = "payment.followup.dashboard.week"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: cash forecast week"
    _order = "dashboard_id, week, series"

    week = fields.Date("Week of", required=True)
    series = fields.Selection(SERIES, string="From", required=True)
    amount = fields.Monetary(currency_field="company_currency_id")
