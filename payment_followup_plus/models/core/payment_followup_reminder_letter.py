from odoo import api, fields, models

from ...engine.qr import qr_data_uri


class PaymentFollowupReminderLetter(models.Model):
    """What only a reminder's printed letter reads: the day it bears (the day
    it was printed, from which its days to respond count) and its QR code
    (printing it: the letter adapter)."""

    _inherit = "payment.followup.reminder"

    letter_date = fields.Date(
        "Letter dated", readonly=True, copy=False, help="The day its letter was printed."
    )
    letter_sent_id = fields.Many2one(
        "ir.attachment",
        "Letter as printed",
        readonly=True,
        copy=False,
        ondelete="set null",
        help="The customer's letter, kept byte for byte when it was first printed.",
    )
    letter_day = fields.Date(
        "Letter date", compute="_compute_letter_day", help="The date its letter bears."
    )
    payments_qr = fields.Char(
        "QR code",
        compute="_compute_payments_qr",
        help="The signed link as a vector QR code (an image URI), for printed letters.",
    )

    @api.depends("letter_date")
    def _compute_letter_day(self):
        # printed: that day; not yet: the day it would be printed
        for rem in self:
            rem.letter_day = rem.letter_date or fields.Date.context_today(rem)

    @api.depends("payments_url")
    def _compute_payments_qr(self):
        # only letters read it: computing a QR code costs tens of milliseconds
        for rem in self:
            rem.payments_qr = qr_data_uri(rem.payments_url) if rem.payments_url else False
