from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A payment of part of a held customer's quotation (a prepayment)
        does not confirm it: the quotation waits, and says why. Paid in full,
        it is confirmed as usual."""
        held = self.browse()
        for tx in self.filtered(lambda t: len(t.sale_order_ids) == 1):
            blocked = tx.sale_order_ids._followup_blocked()
            for order, hold in blocked.items():
                held |= tx
                order.message_post(
                    body=self.env._(
                        "Payment of %(amount)s received; not confirmed: %(why)s",
                        amount=tx.currency_id.format(tx.amount),
                        why=hold.message,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return super(PaymentTransaction, self - held)._check_amount_and_confirm_order()
