from collections import defaultdict
from datetime import timedelta

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ...engine.money import to_major, to_minor
from ...engine.statutory import (
    JURISDICTIONS,
    StatutoryError,
    compensation,
    consumer_default_start,
    interest,
)

# a country's statutory rules (EU members without their own rules here: the directive)
COUNTRY_JURISDICTION = {"DE": "de", "FR": "fr", "GB": "uk", "NL": "nl", "BE": "be"}
EU_COUNTRIES = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
}  # fmt: skip
JURISDICTION_SELECTION = [
    ("eu", "EU late payment directive"),
    ("de", "Germany (§288 BGB)"),
    ("fr", "France (L441-10 Code de commerce)"),
    ("uk", "United Kingdom (Late Payment Act 1998)"),
    ("nl", "Netherlands (statutory interest, BIK)"),
    ("be", "Belgium (law of 2 August 2002)"),
]
# the currency of fixed compensation, per jurisdiction
COMPENSATION_CURRENCY = {"uk": "GBP"}


class PaymentFollowupLegal(models.AbstractModel):
    """Statutory interest and compensation of a customer's late invoices: the
    engine's figures for Odoo records (which rules, which rates, what was
    already charged)."""

    _name = "payment.followup.legal"
    _description = "Payment follow-up: statutory interest and compensation"

    @api.model
    def _jurisdiction(self, partner, company):
        """The customer's rules, else the company's, else its country's."""
        partner = partner.commercial_partner_id
        code = partner.followup_jurisdiction or company.followup_jurisdiction
        if not code:
            country = company.country_id.code or ""
            code = COUNTRY_JURISDICTION.get(country) or ("eu" if country in EU_COUNTRIES else "")
        if code not in JURISDICTIONS:
            raise UserError(
                self.env._(
                    "No statutory late-payment rules apply to %(customer)s: %(company)s is in "
                    "a country without rules of its own. Choose the rules on the customer "
                    "(Follow-up tab), or for %(company)s in the settings.",
                    customer=partner.display_name,
                    company=company.name,
                )
            )
        return code

    @api.model
    def _is_consumer(self, partner):
        partner = partner.commercial_partner_id
        if partner.followup_customer_kind:
            return partner.followup_customer_kind == "b2c"
        return not partner.is_company

    @api.model
    def _payments(self, invoice):
        """(date, minor units) of what was paid on ``invoice``."""
        decimals = invoice.currency_id.decimal_places
        return [
            (partial["aml"].date, to_minor(partial["amount"], decimals))
            for partial in invoice.sudo()._get_all_reconciled_invoice_partials()
            if not partial["is_exchange"] and partial["amount"] > 0
        ]

    @api.model
    def _compute(
        self, invoice, until, start=None, with_compensation=True, rates=None, reminded=None
    ):
        """The engine's interest on ``invoice`` up to ``until`` (from ``start``
        when part was charged already) and its fixed compensation, in the
        invoice currency: (Interest, compensation amount). ``rates`` and
        ``reminded`` (see :meth:`_consumer_starts`): what the caller has read
        already for many invoices at once."""
        partner, company = invoice.commercial_partner_id, invoice.company_id
        code = self._jurisdiction(partner, company)
        consumer = self._is_consumer(partner)
        currency = invoice.currency_id
        decimals = currency.decimal_places
        principal = to_minor(invoice.amount_total, decimals)
        if self._waits_for_reminder(invoice):
            if reminded is None:
                reminded = self._consumer_starts(invoice, until)
            reminded = reminded.get(invoice.id)
            if not reminded:
                raise UserError(
                    self.env._(
                        "%(invoice)s: no reminder was delivered to %(customer)s after its due "
                        "date. A consumer owes late-payment interest only once reminded.",
                        invoice=invoice.name,
                        customer=partner.display_name,
                    )
                )
            start = max(filter(None, (start, reminded)))
        if rates is None:
            rates = self.env["payment.followup.legal.rate"]._engine_rates(company)
        try:
            result = interest(
                code,
                principal,
                invoice.invoice_date_due,
                until,
                rates,
                decimals,
                consumer=consumer,
                payments=self._payments(invoice),
                start=start,
            )
            fixed = compensation(code, principal, consumer=consumer) if with_compensation else 0
        except StatutoryError as err:
            raise UserError(
                self.env["payment.followup.message"]._engine_error(
                    err, currency=currency, partner=partner
                )
            ) from err
        if fixed:
            fixed_currency = self.env.ref(
                "base.%s" % COMPENSATION_CURRENCY.get(code, "EUR")
            ).with_context(active_test=False)
            fixed = fixed_currency._convert(fixed / 100, currency, company, until)
        return result, currency.round(fixed)

    @api.model
    def _waits_for_reminder(self, invoice):
        """Whether ``invoice``'s interest starts only once its customer, a
        consumer, was reminded (jurisdictions with consumer interest)."""
        partner = invoice.commercial_partner_id
        code = self._jurisdiction(partner, invoice.company_id)
        return self._is_consumer(partner) and bool(JURISDICTIONS[code].consumer_kind)

    @api.model
    def _consumer_starts(self, invoices, until):
        """{invoice id: the day its consumer's interest starts} for those of
        ``invoices`` with a reminder delivered after the due date (up to
        ``until``): the day after the first one. One query for the set."""
        lines = (
            self.env["payment.followup.reminder.line"]
            .sudo()
            .search(
                [
                    ("move_id", "in", invoices.ids),
                    ("reminder_id.state", "=", "delivered"),
                    ("reminder_id.delivered_date", "<=", until),
                ]
            )
        )
        delivered = defaultdict(list)
        for line in lines:
            delivered[line.move_id].append(line.reminder_id.delivered_date)
        starts = {
            move.id: consumer_default_start(move.invoice_date_due, days)
            for move, days in delivered.items()
        }
        return {move_id: start for move_id, start in starts.items() if start}

    @api.model
    def _charged_until(self, invoices):
        """{invoice id: (last day charged, compensation charged)}."""
        charges = (
            self.env["payment.followup.charge"]
            .sudo()
            .search([("invoice_id", "in", invoices.ids), ("state", "=", "charged")])
        )
        done = {}
        for charge in charges:
            last, comp = done.get(charge.invoice_id.id, (None, False))
            last = max(filter(None, (last, charge.date_to)), default=None)
            done[charge.invoice_id.id] = (last, comp or bool(charge.compensation))
        return done

    @api.model
    def _next_start(self, charged, invoice):
        last, __ = charged.get(invoice.id, (None, False))
        return last + timedelta(days=1) if last else None

    @api.model
    def _charges_sentences(self, reminders):
        """{reminder: sentence} of the charges accrued on each reminder's
        overdue invoices up to its own date, in its language (kept on the
        reminder, so the email and a letter printed later say the same); none
        when one of them cannot be computed (no rules, a missing rate)."""
        Partner = self.env["res.partner"]
        Rate = self.env["payment.followup.legal.rate"]
        rates, result = {}, {}  # rates per company, read once for all the reminders
        for rem in reminders:
            overdue = rem.line_ids.filtered(lambda ln: ln.days_late >= 1).move_id
            if not overdue or not rem.date:
                continue
            interest, fixed = {}, {}
            reminded = self._consumer_starts(overdue, rem.date)
            try:
                for move in overdue:
                    if move.company_id not in rates:
                        rates[move.company_id] = Rate._engine_rates(move.company_id)
                    computed, comp = self._compute(
                        move, rem.date, rates=rates[move.company_id], reminded=reminded
                    )
                    currency = move.currency_id
                    interest[currency] = interest.get(currency, 0) + to_major(
                        computed.amount, currency.decimal_places
                    )
                    fixed[currency] = fixed.get(currency, 0) + comp
            except UserError:
                continue
            env = rem._lang_env()
            result[rem] = env._(
                "Late-payment interest of %(interest)s and fixed compensation of "
                "%(compensation)s have accrued on the overdue invoices up to %(date)s.",
                interest=Partner._followup_format_amounts(interest, rem.lang),
                compensation=Partner._followup_format_amounts(fixed, rem.lang),
                date=format_date(env, rem.date),
            )
        return result
