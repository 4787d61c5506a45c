from odoo import fields, models

BUCKET_LABELS = [
    ("not_due", "Not due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "90+ days"),
]


class PaymentFollowupDashboardBucket(models.Model):
    _name = "payment.followup.dashboard.bucket"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: aging bucket"
    _order = "dashboard_id, sequence"

    sequence = fields.Integer()
    bucket = fields.Selection(BUCKET_LABELS, string="Days late", required=True)
    amount = fields.Monetary(currency_field="company_currency_id")
    count = fields.Integer("Invoices")
