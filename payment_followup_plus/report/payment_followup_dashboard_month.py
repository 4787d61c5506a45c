from odoo import fields, models


class PaymentFollowupDashboardMonth(models.Model):
    _name = "payment.followup.dashboard.month"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: month"
    _order = "dashboard_id, month"

    month = fields.Date(required=True)
    sales = fields.Monetary(
        "Credit sales",
        currency_field="company_currency_id",
        help="Invoiced in the month (credit notes apart: DSO counts back over these).",
    )
    credit_notes = fields.Monetary("Credit notes", currency_field="company_currency_id")
    receivables = fields.Monetary("Open at month end", currency_field="company_currency_id")
    dso = fields.Float("DSO (days)", digits=(16, 1), aggregator="avg")
    cei = fields.Float("CEI (%)", digits=(16, 1), aggregator="avg")
    cei_measured = fields.Boolean("CEI measured", help="False when nothing was collectible.")
    dso_floor = fields.Boolean("DSO is a floor", help="More was open than a year of sales.")


class PaymentFollowupDashboardTrend(models.Model):
    """The DSO and the CEI of each month as points of one chart: a row per
    month and figure (Odoo's graph draws one line per figure). A month whose
    CEI could not be measured has no CEI point, rather than a made-up 0."""

    _name = "payment.followup.dashboard.trend"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: DSO and CEI by month"
    _order = "dashboard_id, month, figure"

    month = fields.Date(required=True)
    figure = fields.Selection([("dso", "DSO (days)"), ("cei", "CEI (%)")], required=True)
    value = fields.Float(digits=(16, 1), aggregator="avg")
