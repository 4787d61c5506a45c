from odoo import fields, models


class PaymentFollowupWeekday(models.Model):
    _name = "payment.followup.weekday"
    _description = "Weekday for follow-up contact windows"
    _order = "sequence"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(required=True, help="0 is Monday, as in Python's weekday().")

    _sql_constraints = [
        ("sequence_uniq", "unique(sequence)", "Each weekday exists once."),
    ]
