from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...engine.money import to_major, to_minor
from ...engine.portal_input import (
    PortalInputError,
    date_range,
    parse_amount,
    parse_count,
    parse_date,
    parse_ids,
    parse_text,
)
from ...engine.sentences import clause
from ..plans.payment_followup_plan import FREQUENCY_SELECTION

MAX_TEXT = 2000
MAX_INSTALLMENTS = 60


class ResPartner(models.Model):
    """What a customer asks for on the payments page: promise a date, say why
    they pay late, propose or accept a plan. Each request is checked with the
    same rules as the accountant's wizards (it goes through them), then written
    in one go; the history says it was the customer, via the portal.

    The partner (``self``) is always the commercial partner the controller has
    checked; ``form`` is what the browser sent (a dict of texts, lists for multiple
    values). A refused request raises :class:`UserError` in the customer's
    language and writes nothing (the controller runs it in a savepoint)."""

    _inherit = "res.partner"

    # shared checks ------------------------------------------------------
    @api.model
    def _followup_portal_input(self, parse, *args, currency=None, **kwargs):
        """Run an engine parser; its error becomes the customer's message."""
        try:
            return parse(*args, **kwargs)
        except PortalInputError as err:
            raise UserError(
                self.env["payment.followup.message"]._engine_error(err, currency=currency)
            ) from err

    @api.model
    def _followup_portal_amount(self, text, currency, owed):
        """An amount typed by the customer, in minor units, read in the page's
        number format (the language the customer reads the page in)."""
        point, thousands, __ = self.env["payment.followup.message"]._number_format(self.env.lang)
        return self._followup_portal_input(
            parse_amount, text, currency.decimal_places, owed, point, thousands, currency=currency
        )

    def _followup_portal_today(self):
        partner = self
        # every date rule of the customer's requests counts from the customer's day
        return self.env["payment.followup.guardrails"]._partner_today(partner)

    def _followup_portal_date(self, text, days_ahead):
        """A date typed by the customer, from the customer's today up to
        ``days_ahead`` days later (checked before anything is computed)."""
        partner = self
        earliest, latest = date_range(partner._followup_portal_today(), days_ahead)
        return self._followup_portal_input(parse_date, text, earliest, latest)

    def _followup_portal_chosen_invoices(self, form, planned=True):
        """The open invoices of ``partner`` the customer ticked (any other id,
        another customer's included, is refused whole)."""
        partner = self
        invoices = partner._followup_portal_invoices()
        if not planned:
            invoices = invoices.filtered(lambda m: m.followup_plan_id.state != "active")
        ids = self._followup_portal_input(
            parse_ids, form.get("invoice_ids") or [], set(invoices.ids)
        )
        chosen = invoices.browse(ids)
        if len(chosen.company_id) > 1:
            raise UserError(
                self.env._(
                    "Please choose invoices of one company at a time: %(companies)s.",
                    companies=clause(", ".join(chosen.company_id.mapped("name"))),
                )
            )
        if len(chosen.currency_id) > 1:
            raise UserError(self.env._("Please choose invoices in one currency at a time."))
        return chosen

    @api.model
    def _followup_portal_text(self, form, key):
        """Free text as plain text (see ``parse_text``): it is escaped wherever
        it is shown or sent."""
        return self._followup_portal_input(parse_text, form.get(key), MAX_TEXT)

    def _followup_portal_who(self):
        """Who acts: the signed-in portal user, else the follow-up contact."""
        partner = self
        user = self.env.user
        if not user._is_public() and user.partner_id.commercial_partner_id == partner:
            return user.partner_id
        return partner.followup_recipient_id

    def _followup_portal_responsible(self, company):
        """The follow-up responsible (never the portal user making the request)."""
        partner = self
        team = self.env["payment.followup.team"].with_company(company)
        user = team._responsible(partner)
        if user.share or user._is_public():
            user = company.followup_user_id or self.env.ref("base.user_admin")
        return user

    # requests -----------------------------------------------------------
    def _followup_portal_promise(self, form):
        partner = self
        invoices = partner._followup_portal_chosen_invoices(form, planned=False)
        company, currency = invoices.company_id, invoices.currency_id
        partner._followup_portal_check_limit(company)
        owed = sum(invoices.mapped("amount_residual"))
        date = partner._followup_portal_date(
            form.get("promised_date"), company.followup_promise_max_days
        )
        amount = self._followup_portal_amount(
            form.get("amount"), currency, to_minor(owed, currency.decimal_places)
        )
        wizard = partner._followup_portal_wizard(
            "payment.followup.promise.wizard",
            company,
            invoices,
            kind="promise",
            promised_date=date,
            amount=to_major(amount, currency.decimal_places),
            promised_by_id=partner._followup_portal_who().id,
            note=self._followup_portal_text(form, "note") or False,
        )
        wizard._validate()
        promise = wizard.with_context(
            followup_via_portal=True, lang=self.env["payment.followup.team"]._staff_lang(company)
        )._apply()
        promise.user_id = partner._followup_portal_responsible(company)
        return self.env._(
            "Thank you. We have noted your promise to pay %(amount)s by %(date)s; we will not "
            "send reminders for these invoices until then.",
            amount=currency.format(promise.amount),
            date=format_date(self.env, promise.promised_date),
        )

    def _followup_portal_wizard(self, model, company, invoices, **vals):
        """The accountants' wizard ``model`` filled for the customer, so the
        portal goes through the same checks and effects."""
        partner = self
        return (
            self.env[model]
            .sudo()
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_ids": [fields.Command.set(invoices.ids)],
                    **vals,
                }
            )
        )

    def _followup_portal_plan_wizard(self, form, in_memory=False):
        """The accountant's plan wizard filled with what the customer chose
        (``in_memory``: a preview, nothing written)."""
        partner = self
        invoices = partner._followup_portal_chosen_invoices(form, planned=False)
        currency = invoices.currency_id
        decimals = currency.decimal_places
        owed = to_minor(sum(invoices.mapped("amount_residual")), decimals)
        frequencies = dict(FREQUENCY_SELECTION)
        frequency = form.get("frequency")
        if frequency not in frequencies:
            raise UserError(self.env._("Please choose how often you would pay."))
        down = 0
        if (form.get("down_payment") or "").strip() not in ("", "0"):
            down = self._followup_portal_amount(form.get("down_payment"), currency, owed)
        vals = {
            "partner_id": partner.id,
            "company_id": invoices.company_id.id,
            "invoice_ids": [fields.Command.set(invoices.ids)],
            "frequency": frequency,
            "down_payment": to_major(down, decimals),
            # the first installment within a year: the schedule ends in sight
            "first_due_date": partner._followup_portal_date(form.get("first_due_date"), 365),
            "note": self._followup_portal_text(form, "note") or False,
        }
        if (form.get("extra") or "").strip() not in ("", "0"):
            extra = self._followup_portal_amount(form.get("extra"), currency, owed)
            vals["extra"] = to_major(extra, decimals)
        if form.get("mode") == "amount":
            amount = self._followup_portal_amount(form.get("installment_amount"), currency, owed)
            needed = -(-(owed - down) // amount)
            if needed > MAX_INSTALLMENTS:
                # checked before any schedule is computed (it would run for years)
                raise UserError(
                    self.env._(
                        "At %(amount)s per installment the plan would need %(count)s "
                        "installments; at most %(max)s are possible. Please choose a larger "
                        "amount.",
                        amount=currency.format(to_major(amount, decimals)),
                        count=needed,
                        max=MAX_INSTALLMENTS,
                    )
                )
            vals.update(mode="amount", installment_amount=to_major(amount, decimals))
        else:
            count = self._followup_portal_input(
                parse_count, form.get("installment_count"), 1, MAX_INSTALLMENTS
            )
            vals.update(mode="count", installment_count=count)
        Wizard = self.env["payment.followup.plan.wizard"].sudo().with_company(invoices.company_id)
        return Wizard.new(vals) if in_memory else Wizard.create(vals)

    def _followup_portal_plan_preview(self, form):
        """The schedule the customer would agree to, and whether it needs a person."""
        partner = self
        wizard = partner._followup_portal_plan_wizard(form, in_memory=True)
        wizard._validate()
        return wizard

    def _followup_portal_propose_plan(self, form, ip=None):
        """A plan proposed by the customer: within the guidelines (and no plan
        broken in the last 12 months) it is agreed and starts at once; otherwise
        it waits for a follow-up manager."""
        partner = self
        wizard = partner._followup_portal_plan_wizard(form)
        company = wizard.company_id
        partner._followup_portal_check_limit(company)
        lines = wizard._validate()
        Plan = self.env["payment.followup.plan"].sudo().with_company(company)
        broken = Plan.search_count(
            [
                ("partner_id", "=", partner.id),
                ("state", "=", "broken"),
                ("date_done", ">=", partner._followup_portal_today() - timedelta(days=365)),
            ]
        )
        # invoices with our legal department (debts or charges): the legal advisor decides
        cases = self.env["res.partner"]._followup_portal_legal_cases(wizard.invoice_ids)
        # what our people read is in the company's language, not the customer's
        staff = self.with_context(lang=self.env["payment.followup.team"]._staff_lang(company)).env
        reason = (
            cases
            and staff._(
                "under legal case %(case)s: the legal advisor decides",
                case=", ".join(cases.mapped("name")),
            )
        ) or (broken and staff._("a plan was broken in the last 12 months"))
        plan = Plan.with_context(
            followup_via_portal=True,
            followup_approval_reason=reason,
            lang=staff.lang,
        ).create(
            dict(
                wizard._prepare_plan_vals(lines),
                user_id=partner._followup_portal_responsible(company).id,
                customer_proposal=True,
                proposal_by=partner._followup_portal_who().name,
                proposal_ip=ip,
                proposal_date=fields.Datetime.now(),
            )
        )
        plan.action_confirm()
        plan.proposed_by_id = False
        if plan.state == "to_approve":
            self.env["payment.followup.team"]._todo_activities(
                plan,
                lambda p: staff._(
                    "Review the payment plan proposed by %(customer)s: %(why)s",
                    customer=partner.display_name,
                    why=p.approval_reason,
                ),
                lambda p: cases[:1].user_id or p.user_id,
                fields.Date.context_today(self) + timedelta(days=1),
                "approval",
            )
            if cases:
                return plan, self.env._(
                    "Thank you. Your proposal %(plan)s is with our legal department, who "
                    "handle these invoices; we will tell you their decision by email.",
                    plan=plan.name,
                )
            return plan, self.env._(
                "Thank you. Your proposal %(plan)s is under review; we will tell you our "
                "decision by email.",
                plan=plan.name,
            )
        plan._record_agreement("portal", plan.proposal_by, when=plan.proposal_date, ip=ip)
        plan._send_mail("payment_followup_plus.mail_template_plan_agreement")
        return plan, self.env._(
            "Your payment plan %(plan)s is agreed and starts now. We have emailed you the "
            "agreement.",
            plan=plan.name,
        )

    def _followup_portal_accept_plan(self, form, ip=None):
        """The customer accepts a plan we proposed, typing their name."""
        partner = self
        plans = (
            self.env["payment.followup.plan"]
            .sudo()
            .search([("partner_id", "=", partner.id), ("state", "=", "proposed")])
        )
        plan_ids = self._followup_portal_input(parse_ids, [form.get("plan_id")], set(plans.ids))
        plan = plans.browse(plan_ids)
        signer = (form.get("signer") or "").strip()
        if not signer or len(signer) > 128:
            raise UserError(self.env._("Please type your full name to accept the plan."))
        if not form.get("agree"):
            raise UserError(self.env._("Please tick the box to accept the plan."))
        staff = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(plan.company_id)
        ).env
        plan.with_context(followup_via_portal=True, lang=staff.lang)._record_agreement(
            "portal",
            signer,
            ip=ip,
            note=staff._("Accepted by %(user)s", user=partner._followup_portal_who().name),
        )
        plan._send_mail("payment_followup_plus.mail_template_plan_agreement")
        return self.env._(
            "Thank you, %(name)s. Plan %(plan)s is agreed and starts now; the agreement is on "
            "its way to you by email.",
            name=clause(signer),
            plan=plan.name,
        )
