from odoo import models
from odoo.exceptions import UserError
from odoo.tools import format_amount

from ...engine.money import to_major
from ...engine.portal_input import parse_ids, parse_partial_target


class ResPartner(models.Model):
    """Paying an amount of the customer's choice: read in their number
    format, at least the company's minimum, at most what is owed, shared among
    the open invoices by the company's rule (``account.move._followup_allocate``)
    and shown line by line before paying; the payment is then reconciled
    exactly so."""

    _inherit = "res.partner"

    def _followup_partial_pool(self, chosen_ids):
        """(open invoices the amount may go to, those the customer ticked):
        one company and one currency."""
        invoices = self._followup_portal_invoices()
        chosen = invoices.browse(
            self._followup_portal_input(
                parse_ids, [str(i) for i in chosen_ids], set(invoices.ids), required=False
            )
            if chosen_ids
            else []
        )
        base = chosen or invoices
        if len(base.currency_id) != 1 or len(base.company_id) != 1:
            raise UserError(
                self.env._(
                    "Your invoices are in several currencies: tick those of one currency to pay "
                    "part of them."
                )
            )
        pool = invoices.filtered(
            lambda m: m.currency_id == base.currency_id and m.company_id == base.company_id
        )
        # an invoice whose payment is already on its way gets none of it,
        # unless the customer ticks it
        today = self.env["payment.followup.guardrails"]._partner_today(self)
        on_its_way, __ = pool._followup_payment_evidence(today)
        pool = pool.filtered(lambda m: m.id not in on_its_way or m in chosen)
        if not pool:
            raise UserError(
                self.env._("Your payments for these invoices are already on their way.")
            )
        return pool, chosen

    def _followup_partial_minimum(self, pool, today):
        """The smallest amount the customer may pay: the company's fixed
        amount (in the invoices' currency), else its share of the overdue total."""
        company, currency = pool.company_id, pool.currency_id
        if company.followup_partial_min_amount:
            return company.currency_id._convert(
                company.followup_partial_min_amount, currency, company, today
            )
        overdue = sum(m._followup_undisputed() for m in pool._followup_overdue(today))
        return currency.round(overdue * company.followup_partial_min_pct / 100)

    def _followup_portal_partial_target(self, text, chosen_ids):
        """The pay route's target ("part-<minor>-<ids>") of the amount typed."""
        pool, chosen = self._followup_partial_pool(chosen_ids)
        minor = self._followup_portal_amount(text, pool.currency_id, None)
        return "part-%d%s" % (minor, "".join("-%d" % i for i in chosen.ids))

    def _followup_portal_partial(self, what):
        """([(invoice, part, amount)], invoices, amount, currency, company) of
        a partial payment; refused with a clear message when it is more than
        owed (pay the total instead) or less than the minimum."""
        minor, ids = self._followup_portal_input(parse_partial_target, what)
        pool, chosen = self._followup_partial_pool(ids)
        currency, company = pool.currency_id, pool.company_id
        amount = to_major(minor, currency.decimal_places)
        total = sum(m._followup_undisputed() for m in pool)
        if currency.compare_amounts(amount, total) > 0:
            raise UserError(
                self.env._(
                    "That is more than the %(total)s you owe: please pay the total instead.",
                    total=format_amount(self.env, total, currency),
                )
            )
        today = self.env["payment.followup.guardrails"]._partner_today(self)
        minimum = self._followup_partial_minimum(pool, today)
        if currency.compare_amounts(amount, minimum) < 0:
            raise UserError(
                self.env._(
                    "The smallest amount you can pay here is %(minimum)s.",
                    minimum=format_amount(self.env, minimum, currency),
                )
            )
        shares = pool._followup_allocate(amount, today, chosen)
        invoices = pool.browse([inv.id for inv, __, __ in shares])
        return shares, invoices.sorted("invoice_date_due"), amount, currency, company

    def _followup_share_rows(self, shares):
        """The allocation as the page and the history say it: one row per
        invoice and part, in the reader's language."""
        labels = {
            "costs": self.env._("costs"),
            "interest": self.env._("interest"),
            "principal": self.env._("invoice amount"),
        }
        return [(invoice, labels[part], amount) for invoice, part, amount in shares]
