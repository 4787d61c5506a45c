from odoo import models


class PaymentTransaction(models.Model):
    """A customer's online payment of invoices goes into the follow-up
    history when the payment is confirmed (what was received, for which
    invoices), written in the company's language for the accountants; an
    automatic payment's charge says its own outcome (a bank's answer that
    comes later, too)."""

    _inherit = "payment.transaction"

    def _post_process(self):
        super()._post_process()
        charges = (
            self.env["payment.followup.autopay.charge"]
            .sudo()
            .search([("transaction_id", "in", self.ids)])
        )
        paid = (
            self.filtered(
                lambda tx: tx.state == "done" and tx.invoice_ids and tx.operation != "validation"
            )
            - charges.transaction_id
        )
        if paid:
            self.env["payment.followup.event"].sudo()._log_online_payments(paid)
        for charge in charges:
            charge.with_company(charge.company_id)._settle()
