from odoo import models


class PaymentTransaction(models.Model):
    """A customer's online payment of invoices goes into the follow-up
    history when the payment is confirmed (what was received, for which
    invoices), written in the company's language for the accountants."""

    _inherit = "payment.transaction"

    def _post_process(self):
        super()._post_process()
        paid = self.filtered(
            lambda tx: tx.state == "done" and tx.invoice_ids and tx.operation != "validation"
        )
        if paid:
            self.env["payment.followup.event"].sudo()._log_online_payments(paid)
