from odoo import api, fields, models
from odoo.exceptions import ValidationError

EFFECTS = [
    ("normal", "Normal follow-up"),
    ("plan", "Propose a payment plan"),
    ("dispute", "Hold the invoices, route to a person"),
    ("resend", "Send the invoices again"),
    ("remind", "Remind in a few days"),
]


class PaymentFollowupDelayReason(models.Model):
    """Why a customer pays late, and what follow-up does about it."""

    _name = "payment.followup.delay.reason"
    _description = "Reason for a late payment"
    _inherit = ["payment.followup.number.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Leave empty to offer the reason in every company."
    )
    effect = fields.Selection(EFFECTS, required=True, default="normal")
    days = fields.Integer(
        help="Remind in a few days: the reminder goes out after this many days. "
        "Dispute: the invoices are held this many days while a person settles it.",
    )
    description = fields.Text(translate=True)
    portal_visible = fields.Boolean(
        "Visible to customers",
        help="Offered on the customer's payments page, where customers tell us themselves "
        "why they pay late.",
    )

    @api.constrains("effect", "days")
    def _check_days(self):
        for reason in self:
            if reason.effect in ("remind", "dispute") and reason.days < 1:
                raise ValidationError(
                    self.env._(
                        "%(reason)s: give the number of days (at least one).", reason=reason.name
                    )
                )
            if reason.days < 0:
                raise ValidationError(self.env._("A number of days cannot be negative."))
