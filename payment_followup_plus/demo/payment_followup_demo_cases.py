from odoo import api, models


class PaymentFollowupDemo(models.AbstractModel):
    """The demo's partial payment and its disputes, one in each state."""

    _inherit = "payment.followup.demo"

    @api.model
    def _partial_payment(self, partner_id, amount):
        """A customer paid part of what they owe on their page, today: the
        amount shared by the company's rule and reconciled as they were shown
        (the next reminder thanks for it and demands only the rest)."""
        partner = self.env["res.partner"].browse(partner_id).sudo()
        pool, __ = partner._followup_partial_pool([])
        minor = round(amount * 10**pool.currency_id.decimal_places)
        shares, invoices, amount, __, __ = partner._followup_portal_partial("part-%d" % minor)
        tx = self._transaction(
            invoices,
            amount,
            "DEMO-PART-%s" % partner.id,
            partner,
            followup_allocation=[[inv.id, part, value] for inv, part, value in shares],
        )
        if not tx:
            return
        tx._set_done()
        tx._post_process()

    @api.model
    def _disputes(self, cases):
        """Dispute cases of part of an invoice, one per outcome: ``cases`` is
        [(invoice id, amount, reason xml id, customer's words, outcome, note)]
        with outcome "open", "credited" (a credit note of the amount posted),
        "rejected" or "resolved"."""
        Dispute = self.env["payment.followup.dispute"].sudo()
        for invoice_id, amount, reason, words, outcome, note in cases:
            invoice = self.env["account.move"].browse(invoice_id).sudo()
            case = Dispute.create(
                Dispute._prepare_case_vals(
                    invoice.commercial_partner_id,
                    invoice.company_id,
                    {invoice: amount},
                    self.env.ref(reason),
                    description=words,
                    source="portal" if outcome == "open" else "collector",
                )
            )
            if outcome == "credited":
                action = case.action_credit_note()
                reversal = (
                    self.env[action["res_model"]]
                    .with_context(**action["context"])
                    .create({"journal_id": invoice.journal_id.id})
                )
                refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
                refund.invoice_line_ids.write({"quantity": 1, "price_unit": amount})
                refund.action_post()
            elif outcome in ("rejected", "resolved"):
                case.outcome_note = note
                getattr(case, "action_reject" if outcome == "rejected" else "action_resolve")()
