from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...engine.plans import PlanError, check_promise, promise_outcome

BATCH_SIZE = 200


class PaymentFollowupPromise(models.Model):
    """A promise to pay (or a deadline we extended): follow-up waits until the
    date, then checks that the money came in."""

    _name = "payment.followup.promise"
    _description = "Promise to pay"
    _inherit = ["mail.thread", "payment.followup.number.mixin"]
    _order = "promised_date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", required=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "payment_followup_promise_invoice_rel",
        "promise_id",
        "move_id",
        string="Invoices",
        check_company=True,
    )
    kind = fields.Selection(
        [("promise", "Promise to pay"), ("extension", "Extended deadline")],
        default="promise",
        required=True,
    )
    promised_date = fields.Date("Pay by", required=True, tracking=True)
    amount = fields.Monetary("Amount promised", required=True)
    amount_owed = fields.Monetary(
        "Owed when promised", readonly=True, help="What the invoices still owed at the promise."
    )
    amount_received = fields.Monetary(compute="_compute_amount_received")
    promised_by_id = fields.Many2one(
        "res.partner",
        string="Promised by",
        help="Who made the promise at the customer's.",
    )
    user_id = fields.Many2one(
        "res.users", string="Recorded by", default=lambda self: self.env.user, readonly=True
    )
    note = fields.Text()
    state = fields.Selection(
        [
            ("open", "Running"),
            ("kept", "Kept"),
            ("broken", "Broken"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    date_done = fields.Date("Settled on", readonly=True)

    @api.depends("invoice_ids.amount_residual", "amount_owed")
    def _compute_amount_received(self):
        for promise in self:
            residual = sum(promise.invoice_ids.mapped("amount_residual"))
            promise.amount_received = max(
                promise.currency_id.round(promise.amount_owed - residual), 0.0
            )

    def _outcome(self, today):
        self.ensure_one()
        return promise_outcome(
            self._minor(self.amount),
            self._minor(self.amount_received),
            self.promised_date,
            today,
        )

    @api.model
    def _check_terms(self, partner, company, currency, promised_date, amount, owed):
        """Raise a clear error unless a promise of ``amount`` (of ``owed``) by
        ``promised_date`` is acceptable: more than zero, not more than owed, not in
        the past and within the company's guideline, all counted from the
        customer's today (the one day every customer-facing date rule reads)."""
        today = self.env["payment.followup.guardrails"]._partner_today(partner, company=company)
        try:
            check_promise(
                promised_date,
                self._minor(amount, currency),
                self._minor(owed, currency),
                today,
                company.followup_promise_max_days,
            )
        except PlanError as err:
            raise UserError(
                self.env["payment.followup.message"]._engine_error(err, currency=currency)
            ) from err

    def _hold_reason(self):
        self.ensure_one()
        kind = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        return self.env._(
            "%(kind)s: %(amount)s by %(date)s",
            kind=kind,
            amount=self.currency_id.format(self.amount),
            date=format_date(self.env, self.promised_date),
        )

    def _hold_invoices(self):
        """No reminder for the promises' invoices until the promised dates."""
        for promise in self:
            promise.invoice_ids._followup_hold(promise.promised_date, promise._hold_reason())

    def write(self, vals):
        if {"amount", "promised_date", "invoice_ids", "partner_id"} & set(vals) and any(
            promise.state != "open" for promise in self
        ):
            raise UserError(self.env._("A settled promise cannot be changed."))
        moved = self.browse()
        if vals.get("promised_date"):
            new_date = fields.Date.to_date(vals["promised_date"])
            moved = self.filtered(lambda p: p.promised_date != new_date)
            for promise in moved:
                self._check_terms(
                    promise.partner_id,
                    promise.company_id,
                    promise.currency_id,
                    new_date,
                    promise.amount,
                    promise.amount_owed,
                )
        result = super().write(vals)
        if moved:
            # the follow-up of the invoices now waits until the new date
            moved._hold_invoices()
            moved._log(
                lambda p: self.env._(
                    "Promise moved to %(date)s by %(user)s",
                    date=format_date(self.env, p.promised_date),
                    user=self.env.user.name,
                )
            )
        return result

    def action_cancel(self):
        self.env["payment.followup.team"]._check_user()
        if any(promise.state != "open" for promise in self):
            raise UserError(self.env._("Only running promises can be cancelled."))
        self._release(remind=False)
        self.write({"state": "cancelled", "date_done": fields.Date.context_today(self)})
        self._log(self.env._("Promise cancelled by %(user)s", user=self.env.user.name))
        return True

    def _release(self, remind):
        """Lift the holds the promises put on their invoices (``remind``: the
        reminder at the level reached goes out again)."""
        held = self.env["account.move"]
        for promise in self:
            held |= promise.invoice_ids.filtered(
                lambda m, p=promise: (
                    m.followup_hold_until and m.followup_hold_until <= p.promised_date
                )
            )
        held._followup_hold(False, remind=remind)

    def _log(self, result, **extra):
        """One history event per promise (``result``: a text or a function of it)."""
        return self.env["payment.followup.event"]._log_about(
            self, result, link="promise_id", **extra
        )

    # ------------------------------------------------------------------
    # daily check
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_promises(self, batch_size=BATCH_SIZE, today=None):
        """Daily: a running promise whose amount came in is kept; the day after its
        date one that was not is broken, follow-up resumes and the responsible gets
        an activity. Batch by batch, committing each one."""
        return self.env["payment.followup.batch"]._claim_in_batches(
            self._name,
            "open",
            batch_size,
            lambda promises: [
                day_promises._settle(day)
                for day, day_promises in self.env["payment.followup.guardrails"]
                ._by_partner_today(promises, today)
                .items()
            ],
        )

    def _settle(self, today):
        outcome = {promise: promise._outcome(today) for promise in self}
        kept = self.filtered(lambda p: outcome[p] == "kept")
        broken = self.filtered(lambda p: outcome[p] == "broken")
        if kept:
            kept._release(remind=False)
            kept.write({"state": "kept", "date_done": today})
            kept._log(
                lambda p: self.env._(
                    "Promise kept: %(amount)s received", amount=p.currency_id.format(p.amount)
                )
            )
        if broken:
            broken._release(remind=True)
            broken.write({"state": "broken", "date_done": today})
            broken._log(
                lambda p: self.env._(
                    "Promise broken: %(received)s of %(amount)s received by %(date)s; "
                    "follow-up resumes",
                    received=p.currency_id.format(p.amount_received),
                    amount=p.currency_id.format(p.amount),
                    date=format_date(self.env, p.promised_date),
                )
            )
            team = self.env["payment.followup.team"]
            team._todo_activities(
                broken,
                lambda p: self.env._(
                    "Broken promise: contact %(customer)s", customer=p.partner_id.display_name
                ),
                lambda p: team._responsible(p.partner_id),
                today,
                "broken_promise",
            )
        return kept, broken
