from odoo import fields, models
from odoo.exceptions import UserError


class PaymentFollowupPlanDecline(models.TransientModel):
    """Decline a payment plan the customer proposed on the portal: the
    customer reads why, and other terms can be offered for them to accept."""

    _name = "payment.followup.plan.decline"
    _description = "Decline a customer's payment plan"

    plan_id = fields.Many2one("payment.followup.plan", required=True, readonly=True)
    reason = fields.Text(
        "Why (the customer reads this)",
        required=True,
        help="Written to the customer in the email that tells them the decision.",
    )
    counter = fields.Boolean(
        "Offer other terms",
        help="Opens a copy of the plan to change; once confirmed, the customer gets it by "
        "email and accepts it in the portal.",
    )

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_manager()
        plan = self.plan_id
        if plan.state != "to_approve":
            raise UserError(self.env._("Only plans waiting for approval can be declined."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the plan is declined."))
        plan.event_ids.filtered(lambda e: e.state == "to_review").sudo().write(
            {
                "state": "done",
                "result": self.env._("Declined by %(user)s", user=self.env.user.name),
            }
        )
        plan._release_invoices()
        self.env["payment.followup.team"]._close_todos(
            plan, "approval", self.env._("Declined by %(user)s", user=self.env.user.name)
        )
        plan.write(
            {
                "state": "cancelled",
                "decline_reason": self.reason.strip(),
                "date_done": fields.Date.context_today(self),
            }
        )
        plan._log(
            self.env._(
                "Plan %(plan)s declined by %(user)s: %(why)s",
                plan=plan.name,
                user=self.env.user.name,
                why=plan.decline_reason,
            )
        )
        if not self.counter:
            plan._send_mail("payment_followup_plus.mail_template_plan_declined")
            return {"type": "ir.actions.act_window_close"}
        counter = plan.copy(
            {
                "counter_to_id": plan.id,
                "line_ids": [
                    fields.Command.create(
                        {"number": ln.number, "due_date": ln.due_date, "amount": ln.amount}
                    )
                    for ln in plan.line_ids
                ],
                "invoice_ids": [fields.Command.set(plan.invoice_ids.ids)],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": counter._name,
            "res_id": counter.id,
            "view_mode": "form",
            "target": "current",
        }
