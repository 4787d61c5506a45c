from odoo import fields, models

SIDES = [
    ("ours", "Our mail server"),
    ("theirs", "The customer's address"),
]


class PaymentFollowupEvent(models.Model):
    """What a failed email says about whom (``engine.delivery``): a failure
    of ours waits in the queue and is retried; one of theirs flags the
    address and falls back on the level's next channel."""

    _inherit = "payment.followup.event"

    failure_side = fields.Selection(SIDES, "Failed on the side of", readonly=True)
    failing_since = fields.Datetime(
        readonly=True, help="The first failed attempt of our mail server for this email."
    )
