from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ...engine.autopay import Installment, in_hand, schedule_key, upcoming

# the consent wording's version: a new wording is a new version, and what a
# customer agreed to is kept as it was shown, with its version
CONSENT_VERSION = "2026-12"
# payment methods that debit a bank account: a notice goes out before each charge
DIRECT_DEBIT_CODES = (
    "sepa_direct_debit",
    "bacs_direct_debit",
    "becs_direct_debit",
    "ach_direct_debit",
    "pre_authorized_debit",
)


class PaymentFollowupAutopay(models.Model):
    """A customer's consent to pay a plan's installments (or a promise) with a
    saved payment method on their due dates: the method, the wording shown,
    when, from where and by whom; stopped by the customer or by us (with a
    reason), never started without the customer."""

    _name = "payment.followup.autopay"
    _description = "Automatic payment"
    _inherit = ["mail.thread", "payment.followup.number.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _rec_name = "method_label"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    currency_id = fields.Many2one("res.currency", required=True)
    plan_id = fields.Many2one(
        "payment.followup.plan", index="btree_not_null", ondelete="cascade", check_company=True
    )
    promise_id = fields.Many2one(
        "payment.followup.promise", index="btree_not_null", ondelete="cascade", check_company=True
    )
    token_id = fields.Many2one(
        "payment.token", string="Saved payment method", required=True, ondelete="restrict"
    )
    method_label = fields.Char("Payment method", required=True, readonly=True)
    direct_debit = fields.Boolean(
        "Direct debit", readonly=True, help="A notice goes out before each charge."
    )
    state = fields.Selection(
        [("active", "Running"), ("stopped", "Stopped")],
        string="Status",
        default="active",
        required=True,
        index=True,
        tracking=True,
    )
    # the consent, as given
    consent_text = fields.Text("Wording agreed to", required=True, readonly=True)
    consent_version = fields.Char("Wording version", required=True, readonly=True)
    consent_lang = fields.Char("Language of the wording", readonly=True)
    consent_schedule_key = fields.Char(readonly=True)
    consented_on = fields.Datetime("Agreed on", required=True, readonly=True)
    consent_day = fields.Date("The customer's day of agreement", required=True, readonly=True)
    consent_ip = fields.Char("Agreed from (IP address)", readonly=True)
    consent_user_agent = fields.Char("Browser", readonly=True)
    consented_by = fields.Char("Agreed by", required=True, readonly=True)
    consent_user_id = fields.Many2one("res.users", string="Signed-in user", readonly=True)
    consent_via = fields.Selection(
        [("signed_in", "Signed in to the portal"), ("signed_link", "Signed link of a message")],
        string="Agreed through",
        required=True,
        readonly=True,
    )
    stopped_on = fields.Datetime("Stopped on", readonly=True)
    stopped_by = fields.Char("Stopped by", readonly=True)
    stop_reason = fields.Text("Why it stopped", readonly=True)
    charge_ids = fields.One2many("payment.followup.autopay.charge", "autopay_id", string="Charges")
    next_charge_date = fields.Date("Next charge on", compute="_compute_next_charge")
    next_charge_amount = fields.Monetary("Next charge", compute="_compute_next_charge")
    summary = fields.Char("Automatic payment", compute="_compute_next_charge")

    _sql_constraints = [
        (
            "one_target",
            "CHECK((plan_id IS NULL) != (promise_id IS NULL))",
            "An automatic payment is for one plan or one promise.",
        ),
    ]

    def init(self):
        # at most one running automatic payment per plan and per promise
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS payment_followup_autopay_one_active "
            "ON payment_followup_autopay (COALESCE(plan_id, 0), COALESCE(promise_id, 0)) "
            "WHERE state = 'active'"
        )

    # ------------------------------------------------------------------
    # what it pays
    # ------------------------------------------------------------------
    def _target(self):
        """The plan or the promise it pays."""
        self.ensure_one()
        return self.plan_id or self.promise_id

    def _installments(self):
        """The engine's installments: each plan line, or the promise, with what
        is still owed on it."""
        self.ensure_one()
        minor = self.plan_id._minor if self.plan_id else self.promise_id._minor
        if self.plan_id:
            return [
                Installment(
                    "line-%s" % line.id, line.due_date, minor(line.amount - line.amount_paid)
                )
                for line in self.plan_id.line_ids
            ]
        promise = self.promise_id
        return [
            Installment(
                "promise-%s" % promise.id,
                promise.promised_date,
                max(minor(promise.amount) - minor(promise.amount_received), 0),
            )
        ]

    @api.model
    def _schedule_key_of(self, target):
        """The schedule (dates and amounts) of a plan or a promise, as one key."""
        if target._name == "payment.followup.plan":
            items = [(ln.due_date, target._minor(ln.amount)) for ln in target.line_ids]
        else:
            items = [(target.promised_date, target._minor(target.amount))]
        return schedule_key(items)

    def _in_hand(self):
        """Keys of the installments it is taking care of (see the engine)."""
        self.ensure_one()
        return in_hand(self._installments(), self.charge_ids._to_engine(), self.consent_day)

    @api.depends_context("lang")
    @api.depends("state", "charge_ids.state", "plan_id.line_ids.amount_paid", "method_label")
    def _compute_next_charge(self):
        """The next charge: an installment's due date, or a declined one's
        retry day (engine ``upcoming``)."""
        for autopay in self:
            target = autopay._target()
            coming = (
                upcoming(
                    autopay._installments(),
                    autopay.charge_ids._to_engine(),
                    autopay.consent_day,
                    autopay.company_id.followup_autopay_retry_days,
                )
                if autopay.state == "active" and target
                else []
            )
            day, item = coming[0] if coming else (False, None)
            autopay.next_charge_date = day
            autopay.next_charge_amount = target._major(item.open_amount) if item else 0
            if autopay.state != "active":
                autopay.summary = self.env._("Stopped")
            elif day:
                autopay.summary = self.env._(
                    "%(method)s, next charge %(date)s",
                    method=autopay.method_label,
                    date=format_date(self.env, day),
                )
            else:
                autopay.summary = autopay.method_label

    # ------------------------------------------------------------------
    # the method and the words
    # ------------------------------------------------------------------
    @api.model
    def _method_label(self, token):
        """How a saved method is named to people: "Visa •••• 4242"."""
        token = token.sudo()
        return "%s %s" % (token.payment_method_id.name, token._build_display_name())

    @api.model
    def _token_problem(self, token, partner, company, currency):
        """Why ``token`` cannot pay for ``partner`` in ``company`` and
        ``currency`` ("" when it can)."""
        _ = self.env._
        token = token.sudo().with_context(active_test=False)
        provider = token.provider_id
        if not token.exists() or token.partner_id.commercial_partner_id != partner:
            return _("This payment method is not one of yours.")
        if not token.active:
            return _("This payment method was removed.")
        if provider.company_id != company:
            return _("This payment method cannot pay %(company)s.", company=company.name)
        if provider.state == "disabled" or not provider.allow_tokenization:
            return _("The payment provider of this method is no longer available.")
        if provider.available_currency_ids and currency not in provider.available_currency_ids:
            return _("This payment method cannot pay in %(currency)s.", currency=currency.name)
        return ""

    def _problem(self):
        """Why this automatic payment cannot charge any more ("" when it can)."""
        self.ensure_one()
        _ = self.env._
        target = self._target()
        if not target:
            return _("What it paid no longer exists.")
        if self.plan_id and self.plan_id.state != "active":
            return _("Plan %(plan)s is no longer running.", plan=self.plan_id.name)
        if self.promise_id and self.promise_id.state != "open":
            return _("The promise is no longer running.")
        if self._schedule_key_of(target) != self.consent_schedule_key:
            return _(
                "The amounts or dates changed since the customer agreed: the customer is "
                "asked again."
            )
        return self._token_problem(
            self.token_id, self.partner_id, self.company_id, self.currency_id
        )

    def _statement(self):
        """What the agreement and the emails say of it, in the reader's language."""
        self.ensure_one()
        _ = self.env._
        if self.state != "active":
            return ""
        if self.promise_id:
            return _(
                "%(amount)s will be charged to %(method)s on %(date)s; you can stop this at any "
                "time on your payments page.",
                amount=self.currency_id.format(self.next_charge_amount or self.promise_id.amount),
                method=self.method_label,
                date=format_date(self.env, self.promise_id.promised_date),
            )
        if not self.next_charge_date:
            return ""
        return _(
            "Each installment will be charged to %(method)s on its due date, the next "
            "(%(amount)s) on %(date)s; you can stop this at any time on your payments page.",
            method=self.method_label,
            amount=self.currency_id.format(self.next_charge_amount),
            date=format_date(self.env, self.next_charge_date),
        )

    # ------------------------------------------------------------------
    # stopping
    # ------------------------------------------------------------------
    def action_stop(self):
        """Staff stop it, with a reason (the wizard)."""
        self.env["payment.followup.team"]._check_user()
        if any(autopay.state != "active" for autopay in self):
            raise UserError(self.env._("Only a running automatic payment can be stopped."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Stop the automatic payment"),
            "res_model": "payment.followup.autopay.stop",
            "view_mode": "form",
            "target": "new",
            "context": {"default_autopay_id": self.id},
        }

    def _stop(self, reason, by, tell_customer=True):
        """Stop charging, keep why, who and when; the customer is told by email
        (not when they stopped it themselves: the page told them)."""
        running = self.filtered(lambda a: a.state == "active")
        if not running:
            return
        running.write(
            {
                "state": "stopped",
                "stopped_on": fields.Datetime.now(),
                "stopped_by": by,
                "stop_reason": reason,
            }
        )
        for autopay in running:
            autopay._target()._log(
                self.env._(
                    "Automatic payment with %(method)s stopped by %(who)s: %(why)s",
                    method=autopay.method_label,
                    who=by,
                    why=reason,
                )
            )
        if tell_customer:
            template = self.env.ref("payment_followup_plus.mail_template_autopay_stopped")
            for autopay in running:
                template.sudo().send_mail(autopay.id)

    def _check_not_started_by_staff(self):
        if not self.env.su:
            raise AccessError(
                self.env._("Only the customer can start an automatic payment, on their page.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        # consent is the customer's: created by the portal's service (sudo) only
        self._check_not_started_by_staff()
        return super().create(vals_list)
