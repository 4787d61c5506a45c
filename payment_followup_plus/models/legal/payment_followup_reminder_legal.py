from odoo import models


class PaymentFollowupReminder(models.Model):
    """The legal part of a reminder: a level that shows the charges accrued
    keeps, with the reminder, the sentence saying how much (one write per
    reminder with charges)."""

    _inherit = "payment.followup.reminder"

    def _keep_what_is_read(self):
        super()._keep_what_is_read()
        sentences = self.env["payment.followup.legal"]._charges_sentences(
            self.filtered(lambda r: r.level_id.show_charges)
        )
        for rem, sentence in sentences.items():
            rem.charges_sentence = sentence
