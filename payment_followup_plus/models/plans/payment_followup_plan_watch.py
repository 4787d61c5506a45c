from odoo import api, models

from ...engine.plans import watch_plan
from ...engine.types import Mode

BATCH_SIZE = 200


class PaymentFollowupPlanWatch(models.AbstractModel):
    """The daily watch of active payment plans: completed when paid, a reminder
    before each installment and one when it is late, broken after the grace
    period (the customer then goes one level further, and a person is told)."""

    _name = "payment.followup.plan.watch"
    _description = "Payment plan daily watch"

    @api.model
    def _cron_watch_plans(self, batch_size=BATCH_SIZE, today=None, commit=True):
        """Daily: batch by batch, committing each one."""
        return self.env["payment.followup.batch"]._claim_in_batches(
            "payment.followup.plan",
            "active",
            batch_size,
            lambda plans: [
                self._watch(day_plans, day)
                for day, day_plans in self.env["payment.followup.guardrails"]
                ._by_partner_today(plans, today)
                .items()
            ],
            commit=commit,
        )

    @api.model
    def _watch(self, plans, today):
        """One set of active plans of one company."""
        company = plans.env.company
        Line = self.env["payment.followup.plan.line"]
        completed, broken, before, late = plans.browse(), plans.browse(), Line, Line
        # installments an automatic payment takes care of: no reminder, and
        # no broken plan while a retry or the bank's answer is awaited
        in_hand = plans._followup_autopay_lines()
        for plan in plans:
            outcome = watch_plan(
                [line._to_engine() for line in plan.line_ids],
                today,
                remind_days=company.followup_plan_remind_days,
                grace_days=company.followup_plan_grace_days,
            )
            if outcome.completed:
                completed |= plan
            elif outcome.broken and not in_hand.filtered(
                lambda ln, p=plan: ln.plan_id == p and ln.due_date < today
            ):
                broken |= plan
            before |= Line.browse(outcome.remind_before) - in_hand
            late |= Line.browse(outcome.remind_late) - in_hand
        self._complete(completed, today)
        self._break(broken, today)
        before._send_reminders("before", today)
        late._send_reminders("late", today)

    @api.model
    def _complete(self, plans, today):
        if not plans:
            return
        plans._release_invoices()
        plans.write({"state": "completed", "date_done": today})
        plans._log(
            lambda plan: self.env._(
                "Plan %(plan)s completed: every installment paid", plan=plan.name
            )
        )

    @api.model
    def _break(self, plans, today):
        """Broken plans: normal follow-up one level further at once, and an
        activity for the responsible."""
        if not plans:
            return
        plans._release_invoices()
        plans.write({"state": "broken", "date_done": today})
        company = plans.env.company
        plans._log(
            lambda plan: self.env._(
                "Plan %(plan)s broken: an installment is more than %(days)s days late",
                plan=plan.name,
                days=company.followup_plan_grace_days,
            )
        )
        run = self.env["payment.followup.run"]
        team = self.env["payment.followup.team"]
        team._todo_activities(
            plans,
            lambda plan: self.env._(
                "Plan %(plan)s broken: contact %(customer)s",
                plan=plan.name,
                customer=plan.partner_id.display_name,
            ),
            lambda plan: plan.user_id or team._responsible(plan.partner_id),
            today,
            "broken_plan",
        )
        # one level further at once (never a skip): the plan's dates were the
        # last word, and they were not kept
        run.with_company(company)._run_for_partners(
            plans.partner_id,
            mode=Mode.ESCALATE,
            override=True,
            reason=self.env._("Payment plan broken"),
            now=run._now_for(today),
        )
