from datetime import UTC, timedelta

from odoo import fields, models
from odoo.tools import format_date


class ResPartner(models.Model):
    """The customer's online payments, as the payments page says them."""

    _inherit = "res.partner"

    def _followup_recent_payments(self, just_paid=()):
        """[(confirmed, sentence)] of the customer's online payments: what the
        bank has yet to confirm, said for as long as the reminders wait for it
        (with the day they wait until); what was received, refused or
        cancelled, said once, on the visit after paying (``just_paid``: those
        transactions), not on every later visit."""
        partner = self
        now = fields.Datetime.now()
        since = now - timedelta(days=2)
        company = self.env.company
        guardrails = self.env["payment.followup.guardrails"]
        today = guardrails._partner_today(partner)
        waiting_since = company._followup_working_day_before(today, company.followup_evidence_days)
        transactions = (
            self.env["payment.transaction"]
            .sudo()
            .search(
                [
                    ("partner_id.commercial_partner_id", "=", partner.id),
                    ("invoice_ids", "!=", False),
                    ("operation", "!=", "validation"),
                    "|",
                    ("create_date", ">=", since),
                    "&",
                    ("state", "in", ("pending", "authorized")),
                    ("create_date", ">=", min(since, waiting_since)),
                ],
                order="id desc",
                limit=5,
            )
        )
        _ = self.env._
        result = []
        for tx in transactions:
            if tx.state in ("done", "cancel", "error") and tx.id not in just_paid:
                continue
            amount = tx.currency_id.format(tx.amount)
            invoices = ", ".join(sorted(tx.invoice_ids.mapped("name")))
            if tx.state == "done":
                text = _(
                    "We received your payment of %(amount)s for %(invoices)s (%(reference)s). "
                    "Thank you.",
                    amount=amount,
                    invoices=invoices,
                    reference=tx.reference,
                )
            elif tx.state in ("pending", "authorized"):
                started = guardrails._partner_today(partner, tx.create_date.replace(tzinfo=UTC))
                until = tx.company_id._followup_working_day_after(
                    started, tx.company_id.followup_evidence_days
                )
                text = _(
                    "Your payment of %(amount)s for %(invoices)s is on its way: the invoices "
                    "show as paid once your bank confirms it. We send no reminder about them "
                    "until %(date)s while it arrives.",
                    amount=amount,
                    invoices=invoices,
                    date=format_date(self.env, until),
                )
            elif tx.state in ("cancel", "error"):
                text = _(
                    "Your payment of %(amount)s for %(invoices)s did not go through: nothing "
                    "was taken. You can try again below.",
                    amount=amount,
                    invoices=invoices,
                )
            else:  # draft: the customer left the payment form
                continue
            result.append((tx.state == "done", text))
        return result
