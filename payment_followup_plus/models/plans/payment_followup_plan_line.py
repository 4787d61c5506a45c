from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ...engine.plans import LineFacts, allocate


class PaymentFollowupPlanLine(models.Model):
    """One installment of a payment plan (number 0 is the down payment)."""

    _name = "payment.followup.plan.line"
    _description = "Payment plan installment"
    _inherit = ["payment.followup.number.mixin"]
    _order = "plan_id, due_date, number, id"

    plan_id = fields.Many2one(
        "payment.followup.plan", required=True, index=True, ondelete="cascade"
    )
    number = fields.Integer(help="0 is the down payment.")
    due_date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary(compute="_compute_amount_paid", store=True)
    state = fields.Selection(
        [("open", "Open"), ("partial", "Partly paid"), ("paid", "Paid")],
        compute="_compute_amount_paid",
        store=True,
    )
    reminder_date = fields.Date("Reminded before", readonly=True, copy=False)
    late_reminder_date = fields.Date("Reminded late", readonly=True, copy=False)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True, index=True)
    plan_state = fields.Selection(related="plan_id.state", string="Plan status")

    @api.depends("partner_id", "amount", "number", "plan_id.name")
    def _compute_display_name(self):
        """What a calendar or a list says of an installment: who, how much, which."""
        for line in self:
            line.display_name = self.env._(
                "%(customer)s: %(amount)s (%(which)s, %(plan)s)",
                customer=line.partner_id.display_name or "",
                amount=line.currency_id.format(line.amount) if line.currency_id else line.amount,
                which=self.env._("installment %(number)s", number=line.number)
                if line.number
                else self.env._("down payment"),
                plan=line.plan_id.name or "",
            )

    @api.depends("plan_id.amount_paid", "plan_id.line_ids.amount", "plan_id.line_ids.due_date")
    def _compute_amount_paid(self):
        """Payments go to the installments oldest first (engine ``allocate``)."""
        paid_by_line = {}
        for plan in self.plan_id:
            lines = plan.line_ids.sorted(lambda ln: (ln.due_date, ln.number, ln.id))
            paid = allocate([plan._minor(ln.amount) for ln in lines], plan._minor(plan.amount_paid))
            paid_by_line.update(zip(lines, paid, strict=True))
        for line in self:
            part = paid_by_line.get(line, 0)
            amount = line.plan_id._minor(line.amount) if line.plan_id else 0
            line.amount_paid = line.plan_id._major(part) if line.plan_id else 0.0
            line.state = "paid" if amount and part >= amount else "partial" if part else "open"

    def _to_engine(self):
        plan = self.plan_id
        return LineFacts(
            id=self.id,
            due_date=self.due_date,
            amount=plan._minor(self.amount),
            paid=plan._minor(self.amount_paid),
            reminded=bool(self.reminder_date),
            late_reminded=bool(self.late_reminder_date),
        )

    # an agreed plan's schedule is what the customer signed: it does not change
    def _check_editable(self):
        if any(line.plan_id.state not in ("draft", "to_approve") for line in self):
            raise UserError(
                self.env._(
                    "The installments of an agreed plan cannot be changed. Cancel the plan "
                    "and make a new one."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_editable()
        return lines

    def write(self, vals):
        if {"amount", "due_date", "number", "plan_id"} & set(vals):
            self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_editable()

    def _send_reminders(self, kind, today):
        """Reminders before (``before``) or after (``late``) the installments,
        set-wise; each line is marked in the same transaction as its mail."""
        if not self:
            return
        guardrails = self.env["payment.followup.guardrails"]
        Email = self.env["payment.followup.channel.email"]
        company = self.env.company
        template = self.env.ref(
            "payment_followup_plus.mail_template_plan_reminder"
            if kind == "before"
            else "payment_followup_plus.mail_template_plan_late"
        )
        partners = self.plan_id.partner_id
        partners.followup_recipient_id.mapped("is_blacklisted")
        blocked = {line: Email._block_reason(line.partner_id) for line in self}
        sendable = self.filtered(lambda ln: not blocked[ln])
        mails = (
            template.with_company(company).sudo().send_mail_batch(sendable.ids)
            if sendable
            else self.env["mail.mail"]
        )
        mail_by_line = {mail.res_id: mail for mail in mails}
        guardrails._hold_for_quiet_hours(
            company, mails, {mail.id: self.browse(mail.res_id).partner_id for mail in mails}
        )
        self.write({"reminder_date" if kind == "before" else "late_reminder_date": today})
        Event = self.env["payment.followup.event"]
        vals_list = []
        for line in self:
            plan = line.plan_id
            what = (
                self.env._(
                    "Reminder before installment %(number)s of plan %(plan)s (due %(date)s)",
                    number=line.number,
                    plan=plan.name,
                    date=format_date(self.env, line.due_date),
                )
                if kind == "before"
                else self.env._(
                    "Installment %(number)s of plan %(plan)s is late (due %(date)s)",
                    number=line.number,
                    plan=plan.name,
                    date=format_date(self.env, line.due_date),
                )
            )
            mail = mail_by_line.get(line.id)
            vals_list.append(
                Event._prepare_about_vals(
                    plan,
                    "%s: %s" % (what, blocked[line]) if blocked[line] else what,
                    state="blocked" if blocked[line] else "done",
                    channel="email",
                    plan_id=plan.id,
                    mail_id=mail.id if mail else False,
                    scheduled_date=mail.scheduled_date if mail else False,
                )
            )
        Event.sudo().create(vals_list)
