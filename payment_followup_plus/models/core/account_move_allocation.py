from odoo import models

from ...engine.allocation import Debt, allocate
from ...engine.money import to_major, to_minor


class AccountMove(models.Model):
    """How a payment of part of what is owed is shared among open invoices:
    the one home of the rule (``engine.allocation``), under the company's
    rule (oldest due first, or Germany's §366/§367 BGB)."""

    _inherit = "account.move"

    def _followup_debt_parts(self):
        """{invoice id: (costs, interest)} of what each still owes, in its
        currency: none here (hook: the legal part's charges invoices keep their
        compensation and interest apart)."""
        return {}

    def _followup_allocate(self, amount, today, chosen=()):
        """[(invoice, part, amount)] of ``amount`` (in the invoices' one
        currency) shared among the open invoices of ``self`` (one company), the
        invoices ``chosen`` by the customer first; the part is "costs",
        "interest" or "principal"."""
        company = self.company_id[:1]
        currency = self.currency_id[:1]
        digits = currency.decimal_places
        parts = self._followup_debt_parts()
        debts = []
        # what an open dispute case covers is not paid by a partial payment
        for move in self.filtered(lambda m: m._followup_is_open() and m._followup_undisputed()):
            due = move._followup_undisputed()
            costs, interest = parts.get(move.id, (0.0, 0.0))
            costs = min(costs, due)
            interest = min(interest, due - costs)
            debts.append(
                Debt(
                    move.id,
                    move.invoice_date_due or move.invoice_date,
                    to_minor(due, digits),
                    costs=to_minor(costs, digits),
                    interest=to_minor(interest, digits),
                    arose=move.invoice_date,
                    chosen=move in chosen,
                )
            )
        shares = allocate(
            to_minor(amount, digits), debts, today, company._followup_allocation_rule()
        )
        return [
            (self.browse(share.debt_id), share.part, to_major(share.amount, digits))
            for share in shares
        ]
