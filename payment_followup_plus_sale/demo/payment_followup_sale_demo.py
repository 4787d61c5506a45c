from datetime import timedelta

from odoo import api, fields, models


class PaymentFollowupDemo(models.AbstractModel):
    """The credit hold seen in the demo, through the same code as real life."""

    _inherit = "payment.followup.demo"

    @api.model
    def _sales_holds(self, held_invoice_id, released_invoice_id, override_order_id, reason):
        """Two customers break a promise (their new sales are held); a
        manager releases one order of the first; the second pays and its
        hold lifts (its salesperson gets a to-do)."""
        Move = self.env["account.move"].sudo()
        Promise = self.env["payment.followup.promise"].sudo()
        today = fields.Date.context_today(self)
        for invoice in Move.browse([held_invoice_id, released_invoice_id]):
            promise = Promise.create(
                {
                    "partner_id": invoice.commercial_partner_id.id,
                    "company_id": invoice.company_id.id,
                    "invoice_ids": [fields.Command.set(invoice.ids)],
                    "promised_date": today - timedelta(days=3),
                    "amount": invoice.amount_residual,
                    "currency_id": invoice.currency_id.id,
                    "note": "Payment run on Friday.",
                }
            )
            promise._settle(today)
        Hold = self.env["payment.followup.sales.hold"].sudo()
        Hold._refresh(self.env.company)
        self.env["sale.order"].browse(override_order_id)._followup_release(reason)
        self.env["sale.order"].browse(override_order_id).action_confirm()
        released = Move.browse(released_invoice_id)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=released.ids
        ).create({"payment_date": today})._create_payments()
