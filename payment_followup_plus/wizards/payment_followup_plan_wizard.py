from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.installments import faster_options, schedule
from ..engine.types import EngineError
from ..models.plans.payment_followup_plan import FREQUENCY_SELECTION


class PaymentFollowupPlanWizard(models.TransientModel):
    """Propose an installment plan: the schedule, "pay a bit more" options and the
    company guidelines, before anything is agreed."""

    _name = "payment.followup.plan.wizard"
    _inherit = "payment.followup.invoice.mixin"
    _description = "Propose a payment plan"

    down_payment = fields.Monetary()
    down_payment_date = fields.Date(
        "Down payment due on",
        default=lambda self: fields.Date.context_today(self),
        help="Before the first installment.",
    )
    frequency = fields.Selection(FREQUENCY_SELECTION, default="monthly", required=True)
    first_due_date = fields.Date(
        "First installment on",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    mode = fields.Selection(
        [("count", "Number of installments"), ("amount", "Installment amount")],
        string="Split by",
        default="count",
        required=True,
    )
    installment_count = fields.Integer("Installments", default=3)
    installment_amount = fields.Monetary("Each installment")
    extra = fields.Monetary(
        "Pay a bit more",
        help="Raise each installment by this amount to finish sooner (see the options "
        "beside the schedule).",
    )
    note = fields.Text()
    preview_html = fields.Html(compute="_compute_preview", sanitize=False)
    approval_reason = fields.Char("Needs a manager", compute="_compute_preview")
    error = fields.Char(compute="_compute_preview")
    extra_note = fields.Char("About paying more", compute="_compute_preview")

    # ------------------------------------------------------------------
    # engine adapters
    # ------------------------------------------------------------------
    def _engine_schedule(self, **by):
        return schedule(
            self._minor(self.amount_owed),
            self.first_due_date,
            self.frequency,
            down_payment=self._minor(self.down_payment),
            down_payment_date=self.down_payment_date or None,
            today=fields.Date.context_today(self),
            **by,
        )

    def _base_schedule(self):
        """The schedule before any extra: by count or by amount."""
        if self.mode == "amount":
            return self._engine_schedule(amount=self._minor(self.installment_amount))
        return self._engine_schedule(count=self.installment_count)

    def _schedule(self):
        """The engine's schedule for what the wizard says (raises an EngineError)."""
        self.ensure_one()
        base = self._base_schedule()
        extra = self._minor(self.extra or 0)
        if extra <= 0:
            return base
        regular = next(line.amount for line in base if line.number)
        return self._engine_schedule(amount=regular + extra)

    def _options(self):
        """The "pay a bit more" options that really end the shown schedule sooner."""
        steps = [self._minor(step) for step in self.company_id._followup_plan_steps()]
        return faster_options(self._schedule(), self.frequency, [s for s in steps if s > 0])

    def _extra_note(self, regular):
        """When "pay a bit more" does not end the plan sooner, say so, and the
        smallest raise that saves an installment (as the portal offers it)."""
        if self._minor(self.extra or 0) <= 0:
            return ""
        base = self._base_schedule()
        if len(regular) < len([line for line in base if line.number]):
            return ""
        smallest = faster_options(base, self.frequency, [])
        text = self.env._(
            "Paying %(extra)s more per installment does not shorten the plan: still %(count)s "
            "installments.",
            extra=self.currency_id.format(self.extra),
            count=len(regular),
        )
        if smallest:
            text += " " + self.env._(
                "Raise each installment by %(amount)s to save one.",
                amount=self.currency_id.format(self._major(smallest[0].extra)),
            )
        return text

    @api.depends(
        "invoice_ids",
        "down_payment",
        "down_payment_date",
        "frequency",
        "first_due_date",
        "mode",
        "installment_count",
        "installment_amount",
        "extra",
    )
    def _compute_preview(self):
        Plan = self.env["payment.followup.plan"]
        for wizard in self:
            wizard.approval_reason = False
            wizard.error = False
            wizard.extra_note = False
            wizard.preview_html = False
            if not wizard.invoice_ids or not wizard.first_due_date:
                continue
            try:
                lines = wizard._schedule()
                options = wizard._options()
            except EngineError as err:  # an installment or money error
                wizard.error = self.env["payment.followup.message"]._engine_error(
                    err, currency=wizard.currency_id
                )
                continue
            regular = [line.amount for line in lines if line.number]
            wizard.extra_note = wizard._extra_note(regular) or False
            wizard.approval_reason = (
                Plan._guideline_breach_labels(
                    wizard.company_id,
                    wizard.currency_id,
                    wizard._minor(wizard.amount_owed),
                    wizard._minor(wizard.down_payment),
                    regular,
                    lines[0].due_date,
                    lines[-1].due_date,
                )
                or False
            )
            wizard.preview_html = self.env["ir.qweb"]._render(
                "payment_followup_plus.plan_schedule_preview",
                {
                    "lines": [(line, wizard._major(line.amount)) for line in lines],
                    "options": [
                        (
                            option,
                            wizard._major(option.extra),
                            wizard._major(option.installment),
                            wizard._major(option.last_amount),
                        )
                        for option in options
                    ],
                    "currency": wizard.currency_id,
                    "count": len(regular),
                },
            )

    # ------------------------------------------------------------------
    # confirm
    # ------------------------------------------------------------------
    def _validate(self):
        self.ensure_one()
        self._check_invoices()
        if self.mode == "count" and self.installment_count < 1:
            raise UserError(self.env._("A plan needs at least one installment."))
        if (
            self.mode == "amount"
            and self.currency_id.compare_amounts(self.installment_amount, 0) <= 0
        ):
            raise UserError(self.env._("The installment amount must be more than zero."))
        if self.currency_id.compare_amounts(self.extra or 0, 0) < 0:
            raise UserError(self.env._("The extra amount cannot be negative."))
        try:
            return self._schedule()
        except EngineError as err:  # an installment or money error
            raise UserError(
                self.env["payment.followup.message"]._engine_error(err, currency=self.currency_id)
            ) from err

    def _prepare_plan_vals(self, lines):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        return {
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "user_id": self.env["payment.followup.team"]._responsible(partner).id,
            "invoice_ids": [fields.Command.set(self.invoice_ids.ids)],
            "amount_total": self.amount_owed,
            "down_payment": self.down_payment,
            "frequency": self.frequency,
            "note": self.note,
            "line_ids": [
                fields.Command.create(
                    {
                        "number": line.number,
                        "due_date": line.due_date,
                        "amount": self._major(line.amount),
                    }
                )
                for line in lines
            ],
        }

    def action_confirm(self):
        """Make the plan and propose it to the customer (or send it to a manager
        first); it starts once the customer's agreement is recorded."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        lines = self._validate()
        plan = self.env["payment.followup.plan"].create(self._prepare_plan_vals(lines))
        plan.action_confirm()
        return {
            "type": "ir.actions.act_window",
            "res_model": plan._name,
            "res_id": plan.id,
            "view_mode": "form",
            "target": "current",
        }
