import re
import time
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import consteq, format_date
from odoo.tools.misc import hmac

from ...engine.portal_input import make_token, parse_ids, parse_payment_target, split_token
from .res_partner_portal_limit import NEVER_LIMITED

# invoices due within this many days are shown with the overdue ones
DUE_SOON_DAYS = 14
TOKEN_SCOPE = "payment_followup_portal"
# what the customer reads about the reminders we sent
PAGE_URL = re.compile(r"/my/payments/(\d+)/([0-9]+-[0-9a-f]+)")


class ResPartner(models.Model):
    """The customer's payments page: who may open it (signed links) and what it
    shows. Everything here reads with ``sudo()`` for one commercial partner that
    the caller has already checked; nothing of another customer is read."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # signed links
    # ------------------------------------------------------------------
    def _followup_link_signature(self, expires):
        partner = self
        return hmac(self.env(su=True), TOKEN_SCOPE, (partner.commercial_partner_id.id, expires))

    def _followup_link_token(self, company=None, now=None):
        """A link token for this customer only, valid for the company's number
        of days (signed with the database secret; it holds its own expiry)."""
        partner = self
        company = company or partner.company_id or self.env.company
        now = int(now if now is not None else time.time())
        expires = now + company.followup_portal_link_days * 86400
        return make_token(expires, partner._followup_link_signature(expires))

    def _followup_check_link_token(self, token, now=None):
        """``"ok"``, ``"expired"`` (signed for this customer but too old) or
        ``"bad"`` (anything else: another customer's token, a forged one)."""
        partner = self
        parts = split_token(token)
        if not parts or not partner:
            return "bad"
        expires, signature = parts
        if not consteq(partner._followup_link_signature(expires), signature):
            return "bad"
        now = now if now is not None else time.time()
        return "ok" if now < expires else "expired"

    @api.model
    def _followup_portal_visitor(self):
        """The customer behind the current web request: a signed-in portal user,
        or the signed link of the page the request comes from (the chatbot's
        requests carry it as their referrer)."""
        Partner = self.env["res.partner"].sudo()
        user = self.env.user
        if not user._is_public() and user.share:
            return user.partner_id.commercial_partner_id.sudo()
        referrer = request.httprequest.headers.get("Referer", "") if request else ""
        match = PAGE_URL.search(referrer)
        if not match:
            return Partner
        partner = Partner.browse(int(match.group(1))).exists()
        if partner and partner._followup_check_link_token(match.group(2)) == "ok":
            return partner.commercial_partner_id
        return Partner

    def _followup_portal_url(self, company=None, anchor=None, signed=True):
        """The customer's page; ``signed``: opens without a password."""
        partner = self.commercial_partner_id
        base = partner.get_base_url()
        if not signed:
            path = "/my/payments"
        else:
            path = "/my/payments/%s/%s" % (partner.id, partner._followup_link_token(company))
        return base + path + ("#%s" % anchor if anchor else "")

    # ------------------------------------------------------------------
    # what the page shows
    # ------------------------------------------------------------------
    def _followup_portal_invoices(self, today=None):
        """The customer's open invoices that are overdue or due soon."""
        Move = self.env["account.move"].sudo()
        partner = self.commercial_partner_id
        today = today or self.env["payment.followup.guardrails"]._partner_today(partner)
        return Move.search(
            Move._followup_open_domain()
            + [
                ("commercial_partner_id", "=", partner.id),
                ("invoice_date_due", "<=", today + timedelta(days=DUE_SOON_DAYS)),
            ],
            order="invoice_date_due, id",
        )

    def _followup_portal_values(self, paid_tx_ids=()):
        """Everything the page shows about ``partner`` (a commercial partner);
        ``paid_tx_ids``: the payments just made from the page, whose outcome
        it says once."""
        partner = self.commercial_partner_id.sudo()
        today = self.env["payment.followup.guardrails"]._partner_today(partner)
        invoices = partner._followup_portal_invoices(today)
        overdue = invoices._followup_overdue(today)
        plans = (
            self.env["payment.followup.plan"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("state", "in", ("to_approve", "proposed", "active")),
                ]
            )
        )
        promises = (
            self.env["payment.followup.promise"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("state", "=", "open")])
        )
        Event = self.env["payment.followup.event"].sudo()
        reminders = Event.search(
            [
                ("partner_id", "=", partner.id),
                # written notice (the registry says which channels are)
                ("channel", "in", self.env["payment.followup.channel"]._codes(written=True)),
                ("reminder_id", "!=", False),
                *Event._delivered_domain(),
            ],
            limit=20,
        )
        disputes = (
            self.env["payment.followup.dispute"]
            .sudo()
            .search([("partner_id", "=", partner.id)], limit=20)
        )
        calls = partner._followup_booked_calls()
        limit_reached = partner._followup_portal_limit_reached(
            invoices.company_id[:1] or self.env.company
        )
        reasons = partner._followup_portal_reasons(invoices.company_id)
        if limit_reached:  # offer only what will not be refused
            reasons = reasons.filtered(lambda r: r.effect in NEVER_LIMITED)
        Partner = self.env["res.partner"]
        lang = self.env.lang
        cases = self._followup_portal_legal_cases(invoices)
        with_legal = cases._all_moves()
        status = self._followup_portal_status_labels(invoices, promises, today, cases)
        # what a letter before action demands (debts and charges): ticked to pay
        demanded = cases.filtered(lambda c: c.state == "letter")._all_moves()
        rows = [
            {
                "move": move,
                "days_late": (today - move.invoice_date_due).days,
                "held": status.get(move.id, False),
                "ticked": move in demanded
                or (move.invoice_date_due < today and not status.get(move.id)),
                # in a plan that runs, waits for the customer or is reviewed
                "plan": move.followup_plan_id.state in ("active", "proposed", "to_approve"),
                # under review in a dispute case: not in a plan or a promise for now
                "in_dispute": bool(move.followup_disputed),
                # part of it under review: the rest is still due
                "disputed": move.followup_disputed
                and move._followup_undisputed()
                and self.env._(
                    "%(amount)s under review (case %(case)s)",
                    amount=move.currency_id.format(move.followup_disputed),
                    case=move.followup_dispute_ref,
                ),
            }
            for move in invoices
        ]
        return {
            "customer": partner,
            "today": today,
            "rows": rows,
            # a plan or a promise can still be offered for these
            "plannable": any(not (row["plan"] or row["in_dispute"]) for row in rows),
            # what is late now, apart from what a plan, a promise, a review or
            # a hold already covers (the customer has nothing more to do there)
            "overdue_totals": Partner._followup_format_totals(
                overdue.filtered(lambda m: not status.get(m.id)), lang, demanded=True
            ),
            "covered_totals": Partner._followup_format_totals(
                overdue.filtered(lambda m: status.get(m.id)) - with_legal, lang
            ),
            "legal_lines": self._followup_portal_legal_headlines(cases, invoices, lang),
            "soon_totals": Partner._followup_format_totals(
                invoices - overdue - with_legal, lang, demanded=True
            ),
            "plans": plans,
            "promises": promises,
            "reminders": reminders,
            "disputes": disputes,
            "dispute_reasons": self.env["payment.followup.dispute.reason"]
            .sudo()
            .search(
                [
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "in", (invoices.company_id or self.env.company).ids),
                ]
            ),
            "calls": calls,
            "reasons": reasons,
            "limit_reached": limit_reached,
            "payments_recent": partner._followup_recent_payments(paid_tx_ids),
            # as the accountants' plan wizard: the first installment in a week
            "first_due_default": fields.Date.to_string(today + timedelta(days=7)),
            "next_installment": self._followup_portal_next_installment,
            "promise_label": self._followup_portal_promise_label,
            "weekdays": self.env["payment.followup.weekday"].sudo().search([]),
            "languages": self.env["res.lang"].get_installed(),
            **partner._followup_portal_autopay_values(plans, promises),
        }

    @api.model
    def _followup_portal_status_labels(self, invoices, promises, today, cases=None):
        """{invoice id: why we do not remind the customer of it}, in the
        customer's words (the accountants' hold reasons stay internal);
        ``cases``: their open legal cases, when already read."""
        promised = {move.id: promise for promise in promises for move in promise.invoice_ids}
        cases = self._followup_portal_legal_cases(invoices) if cases is None else cases
        in_case = {move.id: case for case in cases for move in case._all_moves()}
        on_its_way, __ = invoices._followup_payment_evidence(today)
        labels = {}
        for move in invoices:
            until = move.followup_hold_until
            if move.id in in_case:
                labels[move.id] = self.env._(
                    "With our legal department (%(case)s)", case=in_case[move.id].name
                )
            elif move.followup_plan_id.state == "active":
                labels[move.id] = self.env._(
                    "In payment plan %(plan)s", plan=move.followup_plan_id.name
                )
            elif move.id in promised:
                promise = promised[move.id]
                labels[move.id] = self.env._(
                    "Promised: %(amount)s by %(date)s",
                    amount=promise.currency_id.format(promise.amount),
                    date=format_date(self.env, promise.promised_date),
                )
            elif move.followup_disputed and not move._followup_undisputed():
                labels[move.id] = self.env._(
                    "Under review (case %(case)s)", case=move.followup_dispute_ref
                )
            elif until and until >= today:
                labels[move.id] = self.env._(
                    "No reminders until %(date)s", date=format_date(self.env, until)
                )
            elif move.id in on_its_way:
                labels[move.id] = self.env._("Your payment is on its way: no reminder for it")
        return labels

    @api.model
    def _followup_portal_next_installment(self, plan):
        if plan.autopay_active:
            return self.env._(
                "Next installment: %(amount)s on %(date)s, paid automatically (see below).",
                amount=plan.currency_id.format(plan.next_due_amount),
                date=format_date(self.env, plan.next_due_date),
            )
        return self.env._(
            "Next installment: %(amount)s on %(date)s",
            amount=plan.currency_id.format(plan.next_due_amount),
            date=format_date(self.env, plan.next_due_date),
        )

    @api.model
    def _followup_portal_promise_label(self, promise):
        return self.env._(
            "%(amount)s by %(date)s (%(invoices)s)",
            amount=promise.currency_id.format(promise.amount),
            date=format_date(self.env, promise.promised_date),
            invoices=", ".join(promise.invoice_ids.mapped("name")),
        )

    def _followup_portal_reasons(self, companies):
        """The reasons for delay the customer may give on the page."""
        return (
            self.env["payment.followup.delay.reason"]
            .sudo()
            .search(
                [
                    ("portal_visible", "=", True),
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "in", companies.ids),
                ]
            )
        )

    def _followup_booked_calls(self):
        """The follow-up calls still to come with this customer."""
        partner = self
        return (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "=", partner.commercial_partner_id.id),
                    ("start", ">=", fields.Datetime.now()),
                ],
                order="start",
            )
        )

    # ------------------------------------------------------------------
    # paying
    # ------------------------------------------------------------------
    def _followup_portal_payment(self, what):
        """What the customer pays: ``what`` is ``inv-<id>-<id>...`` (chosen
        open invoices) or ``plan-<id>`` (what the active plan asks for now: the
        installments due, else the next one). Returns (invoices, amount,
        currency, company); anything else is refused with a UserError."""
        partner = self.commercial_partner_id
        if isinstance(what, str) and what.startswith("part-"):
            return partner._followup_portal_partial(what)[1:]
        kind, ids = self._followup_portal_input(parse_payment_target, what)
        if kind == "plan":
            plan_ids = ids
            plan = (
                self.env["payment.followup.plan"]
                .sudo()
                .search(
                    [
                        ("id", "in", plan_ids),
                        ("partner_id", "=", partner.id),
                        ("state", "=", "active"),
                    ]
                )
            )
            if len(plan) != 1:
                raise UserError(self.env._("This plan is not open to payment."))
            today = self.env["payment.followup.guardrails"]._partner_today(partner)
            unpaid = plan.line_ids.filtered(lambda ln: ln.amount_paid < ln.amount)
            due = unpaid.filtered(lambda ln: ln.due_date <= today) or unpaid.sorted("due_date")[:1]
            amount = plan.currency_id.round(sum(ln.amount - ln.amount_paid for ln in due))
            invoices = plan.invoice_ids.filtered(lambda m: m._followup_is_open())
            if not invoices or plan.currency_id.is_zero(amount):
                raise UserError(self.env._("There is nothing left to pay on this plan."))
            amount = min(amount, sum(invoices.mapped("amount_residual")))
            return (invoices.sorted("invoice_date_due"), amount, plan.currency_id, plan.company_id)
        invoices = partner._followup_portal_invoices()
        chosen = invoices.browse(
            self._followup_portal_input(parse_ids, [str(i) for i in ids], set(invoices.ids))
        )
        if len(chosen.company_id) > 1 or len(chosen.currency_id) > 1:
            raise UserError(
                self.env._("Please pay invoices of one company and one currency at a time.")
            )
        # what a dispute case has under review is not asked for
        amount = sum(m._followup_undisputed() for m in chosen)
        if chosen and chosen.currency_id.is_zero(amount):
            raise UserError(
                self.env._(
                    "%(invoices)s is under review in a dispute case: there is nothing to pay "
                    "on it until we answer.",
                    invoices=", ".join(chosen.mapped("name")),
                )
            )
        return (chosen, amount, chosen.currency_id, chosen.company_id)

    @api.model
    def _followup_portal_reminder_title(self, event):
        """A short title for a reminder we sent, in the customer's words."""
        return event.reminder_id.title or event.level_id.name or ""
