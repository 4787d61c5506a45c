from odoo import api, fields, models

from ..models.core.payment_followup_event import TONES


class PaymentFollowupDashboardEffect(models.Model):
    """What works: for a level, channel and tone, the share of the amounts
    reminded that was paid within 7 and 14 days."""

    _name = "payment.followup.dashboard.effect"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: what works"
    _order = "dashboard_id, amount desc"

    level_id = fields.Many2one("payment.followup.level", string="Level", ondelete="set null")
    channel = fields.Selection(selection="_channel_selection")
    tone = fields.Selection(TONES)
    contacts = fields.Integer()
    amount = fields.Monetary("Amount reminded", currency_field="company_currency_id")
    share_7 = fields.Float("Paid within 7 days (%)", digits=(16, 1), aggregator="avg")
    share_14 = fields.Float("Paid within 14 days (%)", digits=(16, 1), aggregator="avg")
    measured_7 = fields.Boolean(help="False while every contact is less than 7 days old.")
    measured_14 = fields.Boolean(help="False while every contact is less than 14 days old.")

    @api.model
    def _channel_selection(self):
        # the history's channels, as the adapters added them (one list)
        return self.env["payment.followup.event"]._fields["channel"].selection
