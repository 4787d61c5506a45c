from odoo import fields, models


class PaymentFollowupScheduleSlot(models.TransientModel):
    _name = "payment.followup.schedule.slot"
    _description = "Proposed time for a follow-up call"
    _order = "start"

    wizard_id = fields.Many2one("payment.followup.schedule", required=True, ondelete="cascade")
    start = fields.Datetime(required=True)
    name = fields.Char(required=True)
