import logging

from odoo import Command, api, fields, models
from odoo.tools import SQL, format_date, split_every

from ...engine.autopay import (
    DONE,
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    SENDING,
    Attempt,
    charges_due,
    outcome,
)

_logger = logging.getLogger(__name__)
BATCH_SIZE = 100
OUTCOMES = [
    (SENDING, "Being sent"),
    (PENDING, "Pending at the bank"),
    (DONE, "Paid"),
    (FAILED, "Declined"),
]


class PaymentFollowupAutopayCharge(models.Model):
    """One charge of an installment with the saved method: one payment
    transaction, its reference unique per installment and attempt. The row is
    written (and committed) before the provider is asked, so a rerun, a second
    worker or a crash never charges an installment twice."""

    _name = "payment.followup.autopay.charge"
    _description = "Automatic payment: a charge"
    _order = "id desc"
    _check_company_auto = True

    autopay_id = fields.Many2one(
        "payment.followup.autopay", required=True, index=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="autopay_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="autopay_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="autopay_id.currency_id")
    key = fields.Char(required=True, help="The installment charged (one key for ever).")
    plan_line_id = fields.Many2one("payment.followup.plan.line", ondelete="set null")
    attempt = fields.Integer(required=True, default=1)
    due_date = fields.Date("Installment due on", required=True)
    day = fields.Date("Charged on", required=True, help="The customer's day of the charge.")
    amount = fields.Monetary(required=True)
    transaction_id = fields.Many2one("payment.transaction", readonly=True, ondelete="restrict")
    state = fields.Selection(
        OUTCOMES, string="Status", compute="_compute_state", store=True, index=True
    )
    reason = fields.Text(
        "What the provider said",
        related="transaction_id.state_message",
        help="The payment provider's answer, in its own words.",
    )
    handled = fields.Selection(
        OUTCOMES, readonly=True, help="The outcome whose consequences were carried out."
    )
    # what the customer's email says of it, in the customer's language
    customer_text = fields.Char(compute="_compute_customer_text")
    portal_line = fields.Char(compute="_compute_customer_text")

    _sql_constraints = [
        ("one_per_attempt", "UNIQUE(key, attempt)", "An installment is charged once per attempt."),
    ]

    @api.depends("transaction_id.state")
    def _compute_state(self):
        for charge in self:
            charge.state = outcome(charge.transaction_id.state)

    @api.depends_context("lang")
    @api.depends("state", "amount", "day", "transaction_id.reference")
    def _compute_customer_text(self):
        _ = self.env._
        for charge in self:
            values = {
                "amount": charge.currency_id.format(charge.amount),
                "method": charge.autopay_id.method_label,
                "date": format_date(self.env, charge.day),
                "reference": charge.transaction_id.reference or "",
            }
            if charge.state == DONE:
                charge.customer_text = _(
                    "We received your automatic payment of %(amount)s from %(method)s on "
                    "%(date)s (reference %(reference)s). Thank you.",
                    **values,
                )
            elif charge.state == FAILED:
                charge.customer_text = _(
                    "Your automatic payment of %(amount)s from %(method)s on %(date)s did not "
                    "go through, nor did our second try. Nothing was taken.",
                    **values,
                )
            else:
                charge.customer_text = False
            charge.portal_line = charge._portal_line(values)

    def _portal_line(self, values):
        """The charge as the customer's page lists it."""
        _ = self.env._
        if self.state == DONE:
            return _("%(date)s: %(amount)s paid", **values)
        if self.state == PENDING:
            return _("%(date)s: %(amount)s waiting for your bank", **values)
        if self.state == SENDING:
            return _("%(date)s: %(amount)s being sent", **values)
        later = self.autopay_id.charge_ids.filtered(
            lambda c: c.key == self.key and c.attempt > self.attempt
        )
        if self.attempt < MAX_ATTEMPTS and not later and self.autopay_id.state == "active":
            retry = fields.Date.add(self.day, days=self.company_id.followup_autopay_retry_days)
            return _(
                "%(date)s: %(amount)s did not go through, nothing was taken; we try again on "
                "%(retry)s",
                retry=format_date(self.env, retry),
                **values,
            )
        return _("%(date)s: %(amount)s did not go through, nothing was taken", **values)

    def _to_engine(self):
        return [Attempt(c.key, c.attempt, c.state, c.day) for c in self]

    # ------------------------------------------------------------------
    # the daily run
    # ------------------------------------------------------------------
    @api.model
    def _cron_charge(self, batch_size=BATCH_SIZE, today=None, commit=True):
        """Daily: what charges came back since (a bank's late answer), then
        batch by batch the running automatic payments, claimed with
        ``FOR UPDATE SKIP LOCKED``: due charges written and committed, then
        sent one by one, each outcome committed with its consequences."""
        self = self.sudo()  # a cron's work: whoever starts it by hand
        self._flag_unanswered()
        self._settle_all(commit)
        Autopay = self.env["payment.followup.autopay"]
        Batch = self.env["payment.followup.batch"]
        Autopay.flush_model()
        self.env.cr.execute(
            SQL("SELECT id FROM payment_followup_autopay WHERE state = 'active' ORDER BY id")
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        done = 0
        for batch in split_every(batch_size, ids):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM payment_followup_autopay WHERE id IN %s AND state = 'active'"
                    " FOR UPDATE SKIP LOCKED",
                    tuple(batch),
                )
            )
            claimed = Autopay.browse(sorted(row[0] for row in self.env.cr.fetchall()))
            charges = self.browse()
            for company, autopays in claimed.grouped("company_id").items():
                guardrails = self.env["payment.followup.guardrails"]
                for day, day_autopays in guardrails._by_partner_today(
                    autopays.with_company(company), today
                ).items():
                    charges |= self.with_company(company)._prepare_charges(day_autopays, day)
            done += len(claimed)
            # the charges are on record before any provider is asked
            Batch._end_of_batch(done, len(ids) - done, commit)
            for charge in self.browse(charges.ids):
                charge.with_company(charge.company_id)._send()
                Batch._end_of_batch(done, len(ids) - done, commit)
        return done

    @api.model
    def _prepare_charges(self, autopays, today):
        """The charges due today for ``autopays`` (one company, one customer
        day), written with their draft transactions; the automatic payments
        that can no longer charge stop, and both sides are told; the direct
        debits' notices go out."""
        company = self.env.company
        vals_list = []
        for autopay in autopays:
            problem = autopay._problem()
            if problem:
                autopay._stop(problem, self.env._("the daily run"))
                autopay._tell_staff(problem, today)
                continue
            installments = autopay._installments()
            if autopay.direct_debit:
                autopay._send_notices(installments, today)
            due = charges_due(
                installments,
                autopay.charge_ids._to_engine(),
                today,
                autopay.consent_day,
                company.followup_autopay_retry_days,
            )
            if due and autopay._money_on_its_way(today):
                continue  # never charge what the customer is already paying
            vals_list.extend(autopay._prepare_charge_vals(charge, today) for charge in due)
        charges = self.create(vals_list)
        for charge in charges:
            charge.transaction_id = (
                self.env["payment.transaction"].sudo().create(charge._prepare_transaction_vals())
            )
        return charges

    def _prepare_transaction_vals(self):
        self.ensure_one()
        autopay = self.autopay_id
        token = autopay.token_id.sudo()
        target = autopay._target()
        invoices = target.invoice_ids.filtered(lambda m: m.amount_residual > 0)
        return {
            "provider_id": token.provider_id.id,
            "payment_method_id": token.payment_method_id.id,
            "token_id": token.id,
            "partner_id": token.partner_id.id,
            "amount": self.amount,
            "currency_id": self.currency_id.id,
            "operation": "offline",
            # unique per installment and attempt: "PLAN/2026/0002-1-2"
            "reference": "%s-%s%s"
            % (
                target._followup_autopay_reference(),
                "%s-" % self.plan_line_id.number if self.plan_line_id else "",
                self.attempt,
            ),
            "invoice_ids": [Command.set(invoices.ids)],
        }

    def _send(self):
        """Ask the provider for this charge, then carry out what came back."""
        self.ensure_one()
        tx = self.transaction_id.sudo()
        if tx.state != "draft":
            return
        try:
            with self.env.cr.savepoint():
                tx._send_payment_request()
        except Exception:  # the provider's error, whatever it is: the charge failed
            _logger.exception("Automatic payment %s: the request failed", tx.reference)
            tx._set_error(self.env._("The payment provider could not be reached."))
        self._settle()

    @api.model
    def _flag_unanswered(self):
        """Charges written but never answered (the run died between writing
        and asking the provider, or the provider never said): never sent
        again by the run; a person checks them with the provider."""
        stale = self.search(
            [
                ("state", "=", SENDING),
                ("handled", "=", False),
                ("create_date", "<", fields.Datetime.subtract(fields.Datetime.now(), hours=1)),
            ]
        )
        team = self.env["payment.followup.team"]
        for charge in stale:
            target = charge.autopay_id._target()
            team._todo_activities(
                target,
                lambda t, c=charge: self.env._(
                    "Automatic payment %(reference)s of %(amount)s for %(customer)s: no answer "
                    "from the provider. Check it there before charging again by hand.",
                    reference=c.transaction_id.reference,
                    amount=c.currency_id.format(c.amount),
                    customer=t.partner_id.display_name,
                ),
                lambda t: team._responsible(t.partner_id),
                fields.Date.context_today(self),
                "autopay",
            )
            charge.handled = SENDING

    # ------------------------------------------------------------------
    # outcomes
    # ------------------------------------------------------------------
    @api.model
    def _settle_all(self, commit=True):
        """Charges whose outcome changed since it was last carried out."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM payment_followup_autopay_charge WHERE state IN %s"
                " AND handled IS DISTINCT FROM state ORDER BY id",
                (PENDING, DONE, FAILED),
            )
        )
        for charge in self.browse([row[0] for row in self.env.cr.fetchall()]):
            charge.with_company(charge.company_id)._settle()
        self.env["payment.followup.batch"]._end_of_batch(0, 0, commit)

    def _settle(self):
        """Carry out a charge's outcome once: paid (posted and reconciled by
        Odoo, a receipt to the customer), pending (it waits: payment on its
        way), declined (one retry; after it, the customer is told)."""
        self.ensure_one()
        self.invalidate_recordset(["state"])
        if self.state == SENDING or self.handled == self.state:
            return
        # marked first: Odoo's post-processing below comes back here
        self.handled = self.state
        tx = self.transaction_id.sudo()
        autopay = self.autopay_id
        target = autopay._target()
        amount = self.currency_id.format(self.amount)
        staff = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(self.company_id)
        ).env
        if self.state == DONE:
            if not tx.is_post_processed:
                tx._post_process()
            text = staff._(
                "Automatic payment of %(amount)s received from %(method)s (%(reference)s)",
                amount=amount,
                method=autopay.method_label,
                reference=tx.reference,
            )
            template = "payment_followup_plus.mail_template_autopay_receipt"
        elif self.state == PENDING:
            text = staff._(
                "Automatic payment of %(amount)s from %(method)s is pending at the bank "
                "(%(reference)s): payment on its way",
                amount=amount,
                method=autopay.method_label,
                reference=tx.reference,
            )
            template = None
        elif self.attempt < MAX_ATTEMPTS:
            retry = fields.Date.add(self.day, days=self.company_id.followup_autopay_retry_days)
            text = staff._(
                "Automatic payment of %(amount)s from %(method)s declined (%(why)s); tried again "
                "on %(date)s",
                amount=amount,
                method=autopay.method_label,
                why=tx.state_message or staff._("no reason given"),
                date=format_date(staff, retry),
            )
            template = None
        else:
            text = staff._(
                "Automatic payment of %(amount)s from %(method)s declined again (%(why)s): the "
                "customer is asked to pay by hand",
                amount=amount,
                method=autopay.method_label,
                why=tx.state_message or staff._("no reason given"),
            )
            template = "payment_followup_plus.mail_template_autopay_failed"
            # this message is the installment's late reminder
            self.plan_line_id.late_reminder_date = self.day
        target.with_env(staff)._log(text)
        if template:
            self.env.ref(template).sudo().send_mail(self.id)
