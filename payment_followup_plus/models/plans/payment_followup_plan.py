from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from ...engine.plans import guideline_breaches
from .payment_followup_plan_agreement import PLAN_REPORT

FREQUENCY_SELECTION = [
    ("weekly", "Weekly"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Monthly"),
]
PLAN_STATES = [
    ("draft", "Draft"),
    ("to_approve", "Waiting approval"),
    ("proposed", "Waiting for the customer's agreement"),
    ("active", "Active"),
    ("completed", "Completed"),
    ("broken", "Broken"),
    ("cancelled", "Cancelled"),
]
FROZEN_FIELDS = {
    "partner_id",
    "company_id",
    "currency_id",
    "invoice_ids",
    "amount_total",
    "down_payment",
    "line_ids",
}
BATCH_SIZE = 200


class PaymentFollowupPlan(models.Model):
    """An agreed installment plan over some overdue invoices of one customer."""

    _name = "payment.followup.plan"
    _description = "Payment plan"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "payment.followup.number.mixin",
        "payment.followup.plan.agreement",
    ]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", required=True)
    user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user, tracking=True
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "payment_followup_plan_invoice_rel",
        "plan_id",
        "move_id",
        string="Invoices covered",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', 'out_invoice'),"
        " ('state', '=', 'posted'), ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    amount_total = fields.Monetary(
        "Amount under the plan",
        help="What the covered invoices still owed when the plan was made.",
    )
    down_payment = fields.Monetary()
    frequency = fields.Selection(FREQUENCY_SELECTION, default="monthly", required=True)
    line_ids = fields.One2many("payment.followup.plan.line", "plan_id", string="Installments")
    state = fields.Selection(
        PLAN_STATES, default="draft", required=True, index=True, tracking=True, copy=False
    )
    approval_reason = fields.Char(
        "Why it waits for approval",
        readonly=True,
        copy=False,
        help="Why a person must decide: outside the guidelines (a manager), or debts with the "
        "legal department (the legal advisor).",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    proposed_by_id = fields.Many2one(
        "res.users", string="Proposed by", readonly=True, copy=False, tracking=True
    )
    amount_paid = fields.Monetary(compute="_compute_amount_paid", store=True)
    amount_remaining = fields.Monetary(compute="_compute_amount_paid", store=True)
    next_due_date = fields.Date(compute="_compute_next_due", store=True)
    next_due_amount = fields.Monetary(compute="_compute_next_due", store=True)
    last_due_date = fields.Date(compute="_compute_next_due", store=True)
    installment_count = fields.Integer(compute="_compute_next_due", store=True)
    date_done = fields.Date("Ended on", readonly=True, copy=False)
    note = fields.Text()
    event_ids = fields.One2many("payment.followup.event", "plan_id", string="History")
    # greeting and closing of the plan's messages, in the customer's language
    followup_greeting = fields.Char(compute="_compute_followup_words")
    followup_closing = fields.Char(compute="_compute_followup_words")

    # ------------------------------------------------------------------
    # computes and checks
    # ------------------------------------------------------------------
    @api.depends_context("lang")
    @api.depends("partner_id")
    def _compute_followup_words(self):
        Wording = self.env["payment.followup.wording"]
        for plan in self:
            partner = plan.partner_id.commercial_partner_id
            recipient = partner.followup_recipient_id
            _ = self.with_context(lang=partner._followup_lang(self.env.lang)).env._
            formality = partner.followup_formality or "formal"
            person = recipient if recipient != partner else partner
            plan.followup_greeting = Wording._greeting(_, formality, person)
            plan.followup_closing = Wording._closing(_, formality)

    @api.depends("amount_total", "invoice_ids.amount_residual", "state")
    def _compute_amount_paid(self):
        for plan in self:
            residual = sum(plan.invoice_ids.mapped("amount_residual"))
            paid = plan.currency_id.round(plan.amount_total - residual) if plan.invoice_ids else 0
            plan.amount_paid = min(max(paid, 0.0), plan.amount_total)
            plan.amount_remaining = plan.amount_total - plan.amount_paid

    @api.depends("line_ids.due_date", "line_ids.amount", "line_ids.amount_paid")
    def _compute_next_due(self):
        for plan in self:
            lines = plan.line_ids.sorted(lambda ln: (ln.due_date or fields.Date.today(), ln.id))
            upcoming = lines.filtered(lambda ln: ln.amount_paid < ln.amount)[:1]
            plan.next_due_date = upcoming.due_date
            plan.next_due_amount = upcoming.amount - upcoming.amount_paid
            plan.last_due_date = lines[-1:].due_date
            plan.installment_count = len(lines.filtered("number"))

    @api.constrains("partner_id", "company_id", "currency_id", "invoice_ids")
    def _check_invoices(self):
        for plan in self.filtered(lambda p: p.state in ("draft", "to_approve")):
            plan.invoice_ids._followup_check_plannable(plan.partner_id, plan.currency_id)

    @api.constrains("amount_total", "down_payment", "line_ids")
    def _check_amounts(self):
        for plan in self:
            currency = plan.currency_id
            if currency.compare_amounts(plan.amount_total, 0) <= 0:
                raise ValidationError(self.env._("A plan needs an amount to pay."))
            if currency.compare_amounts(plan.down_payment, 0) < 0:
                raise ValidationError(self.env._("The down payment cannot be negative."))
            if not plan.line_ids:
                continue
            if any(currency.compare_amounts(ln.amount, 0) <= 0 for ln in plan.line_ids):
                raise ValidationError(self.env._("Every installment needs a positive amount."))
            if currency.compare_amounts(sum(plan.line_ids.mapped("amount")), plan.amount_total):
                raise ValidationError(
                    self.env._(
                        "The installments add up to %(sum)s, not the %(total)s under the plan.",
                        sum=currency.format(sum(plan.line_ids.mapped("amount"))),
                        total=currency.format(plan.amount_total),
                    )
                )

    def write(self, vals):
        if FROZEN_FIELDS & set(vals) and any(p.state not in ("draft", "to_approve") for p in self):
            raise UserError(
                self.env._(
                    "The invoices and amounts of an agreed plan cannot be changed. Cancel it "
                    "and make a new one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if any(plan.state not in ("draft", "cancelled") for plan in self):
            raise UserError(self.env._("Only draft or cancelled plans can be deleted."))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("payment.followup.plan") or "/"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # engine adapters
    # ------------------------------------------------------------------
    def _approval_reason(self):
        """Why this plan needs a follow-up manager, or "" within the guidelines."""
        self.ensure_one()
        regular = self.line_ids.filtered("number").sorted("number")
        by_date = self.line_ids.sorted("due_date")
        return self._guideline_breach_labels(
            self.company_id,
            self.currency_id,
            self._minor(self.amount_total),
            self._minor(self.down_payment),
            [self._minor(amount) for amount in regular.mapped("amount")],
            by_date[:1].due_date,
            by_date[-1:].due_date,
        )

    @api.model
    def _guideline_breach_labels(
        self, company, currency, total, down_payment, regular, first_due, last_due
    ):
        """Why a plan of these figures (minor units of ``currency``) needs a
        follow-up manager under ``company``'s guidelines, or "" when it does not."""
        breaches = guideline_breaches(
            total,
            down_payment,
            regular,
            first_due,
            last_due,
            company._followup_guidelines(currency),
        )
        return self.env["payment.followup.message"]._breach_labels(breaches, company)

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def action_confirm(self):
        """Agree the plan: it starts now, or waits for a manager when it is outside
        the company's guidelines."""
        today = fields.Date.context_today(self)
        for plan in self:
            if plan.state != "draft":
                raise UserError(self.env._("Only a draft plan can be confirmed."))
            if not plan.line_ids:
                raise UserError(self.env._("The plan has no installments."))
            past = plan.line_ids.filtered(lambda ln: ln.due_date < today)[:1]
            if past:
                raise UserError(
                    self.env._(
                        "Installment %(number)s is due in the past (%(date)s): change its date "
                        "before agreeing the plan.",
                        number=past.number,
                        date=past.due_date,
                    )
                )
            plan.invoice_ids._followup_check_plannable(plan.partner_id, plan.currency_id)
            # the customer's page adds its own condition (no plan broken lately)
            approval_reason = "; ".join(
                filter(
                    None,
                    [plan._approval_reason(), self.env.context.get("followup_approval_reason")],
                )
            )
            plan.proposed_by_id = self.env.user
            if approval_reason:
                plan.write({"state": "to_approve", "approval_reason": approval_reason})
                plan._log(
                    self.env._(
                        "Plan %(plan)s waits for a manager: %(why)s",
                        plan=plan.name,
                        why=plan.approval_reason,
                    ),
                    state="to_review",
                    channel="review",
                )
            else:
                plan._propose()
        return True

    def action_approve(self):
        if not self.env.user.has_group("payment_followup_plus.group_followup_manager"):
            raise AccessError(self.env._("Only a follow-up manager can approve a payment plan."))
        if any(plan.state != "to_approve" for plan in self):
            raise UserError(self.env._("Only plans waiting for approval can be approved."))
        if any(plan.proposed_by_id == self.env.user for plan in self):
            raise AccessError(
                self.env._(
                    "You proposed this plan outside the guidelines: another follow-up manager "
                    "approves it."
                )
            )
        for plan in self:
            plan.invoice_ids._followup_check_plannable(plan.partner_id, plan.currency_id)
        self.write({"approved_by_id": self.env.user.id})
        self.env["payment.followup.team"]._close_todos(
            self, "approval", self.env._("Approved by %(user)s", user=self.env.user.name)
        )
        self.event_ids.filtered(lambda e: e.state == "to_review").sudo().write(
            {"state": "done", "result": self.env._("Approved by %(user)s", user=self.env.user.name)}
        )
        self._propose()
        # the customer proposed it and agreed then: it starts, and they are told
        for plan in self.filtered("customer_proposal"):
            plan._record_agreement(
                "portal",
                plan.proposal_by,
                when=plan.proposal_date,
                ip=plan.proposal_ip,
                note=self.env._("Approved by %(user)s", user=self.env.user.name),
            )
            plan._send_mail("payment_followup_plus.mail_template_plan_agreement")
        return True

    def action_reset_to_draft(self):
        if any(plan.state not in ("to_approve", "proposed", "cancelled") for plan in self):
            raise UserError(self.env._("Only plans waiting for approval or cancelled go back."))
        self.event_ids.filtered(lambda e: e.state == "to_review").write({"state": "cancelled"})
        self.write({"state": "draft", "approval_reason": False})
        return True

    def action_cancel(self):
        if any(plan.state not in ("draft", "to_approve", "proposed", "active") for plan in self):
            raise UserError(self.env._("Only plans that have not ended can be cancelled."))
        self._release_invoices()
        self.write({"state": "cancelled", "date_done": fields.Date.context_today(self)})
        self._log(
            lambda plan: self.env._(
                "Plan %(plan)s cancelled; normal follow-up resumes.", plan=plan.name
            )
        )
        return True

    def action_print_agreement(self):
        return self.env.ref(PLAN_REPORT).report_action(self)

    # ------------------------------------------------------------------
    # life cycle
    # ------------------------------------------------------------------
    def _propose(self):
        """Within the guidelines (or approved): waits for the customer's agreement.
        Other terms offered after declining the customer's own proposal are
        emailed with a link to accept them."""
        self.write({"state": "proposed"})
        self.filtered("counter_to_id")._send_mail(
            "payment_followup_plus.mail_template_plan_proposed"
        )
        self._log(
            lambda plan: self.env._(
                "Plan %(plan)s proposed to the customer: %(count)s installments, the last on "
                "%(date)s",
                plan=plan.name,
                count=plan.installment_count,
                date=format_date(self.env, plan.last_due_date),
            )
        )

    def _activate(self):
        self.write({"state": "active"})
        for plan in self:
            plan.invoice_ids.with_context(skip_invoice_sync=True).write(
                {"followup_plan_id": plan.id, "followup_remind": False}
            )
        # the plan replaces the promises running on its invoices
        promises = self.env["payment.followup.promise"].search(
            [("state", "=", "open"), ("invoice_ids", "in", self.invoice_ids.ids)]
        )
        if promises:
            promises._release(remind=False)
            promises.write({"state": "cancelled", "date_done": fields.Date.context_today(self)})
            promises._log(self.env._("Replaced by a payment plan"))
        self.env["payment.followup.expected"].sudo()._refresh_for(self.invoice_ids)
        self._log(
            lambda plan: self.env._(
                "Plan %(plan)s agreed: %(count)s installments, the last on %(date)s",
                plan=plan.name,
                count=plan.installment_count,
                date=format_date(self.env, plan.last_due_date),
            )
        )

    def _release_invoices(self):
        """The invoices go back to the normal follow-up."""
        self.invoice_ids.filtered(lambda m: m.followup_plan_id in self).with_context(
            skip_invoice_sync=True
        ).write({"followup_plan_id": False})

    def _log(self, result, **extra):
        """One history event per plan (``result``: a text or a function of the plan)."""
        return self.env["payment.followup.event"]._log_about(self, result, link="plan_id", **extra)
