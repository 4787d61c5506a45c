from datetime import UTC, timedelta

from odoo import api, models
from odoo.exceptions import UserError

from ...engine.guardrails import call_attempt_allowed


class PaymentFollowupChannelCall(models.AbstractModel):
    """Levels with "call to schedule": the first convenient slot is booked on
    the calendar with the follow-up contact (the reminder is delivered when the
    conversation is held, or by the email that announces the call)."""

    _name = "payment.followup.channel.call"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up call"
    _channel = "call"
    _sequence = 20
    _level_field = "schedule_call"
    _contact = True

    @api.model
    def _perform(self, reminders):
        if not reminders:
            return []
        company = reminders.company_id[:1]
        team = self.env["payment.followup.team"]
        calendar = self.env["payment.followup.calendar"]
        blocked = self._blocked(company, reminders.partner_id)
        results = []
        todo = reminders.filtered(lambda r: r.partner_id not in blocked)
        for reminder in reminders - todo:
            results.append(
                self._result(reminder, "blocked", "blocked", blocked[reminder.partner_id])
            )
        owners = {rem: team._responsible(rem.partner_id, rem.level_id) for rem in todo}
        users = self.env["res.users"].concat(*owners.values())
        busy = calendar._busy_times(users, self.env["payment.followup.guardrails"]._now())
        for reminder in todo:
            user = owners[reminder]
            try:
                slots = calendar._call_slots(reminder.partner_id, user, company, 1, busy)
            except UserError as err:
                # e.g. the customer's hours never meet ours: a person sorts it out
                slots, reason = [], err.args[0]
            else:
                reason = self.env._("No convenient time in the coming weeks")
            if not slots:
                results.append(self._result(reminder, "blocked", "blocked", reason))
                continue
            slot = slots[0]
            meeting = calendar._book_call(
                reminder.partner_id,
                reminder.partner_id.followup_recipient_id,
                user,
                company,
                slot.start.replace(tzinfo=None),
                slot.end.replace(tzinfo=None),
                reminder.invoice_ids,
            )
            busy[user.id].append((slot.start, slot.end))
            reminder.meeting_id = meeting
            results.append(
                self._result(
                    reminder,
                    "pending",
                    "done",
                    self.env._(
                        "Call booked: %(when)s",
                        when=calendar._local_label(meeting, reminder.partner_id),
                    ),
                    calendar_event_id=meeting.id,
                    activity_id=meeting.activity_ids[:1].id,
                )
            )
        return results

    @api.model
    def _blocked(self, company, partners):
        """{customer: reason} for the calls the guardrails forbid now (opt-out,
        cap, a recent conversation). One query for the whole set."""
        if not partners:
            return {}
        guardrails = self.env["payment.followup.guardrails"]
        now = guardrails._now()
        window = timedelta(days=company.followup_call_window_days)
        quiet = timedelta(days=company.followup_after_conversation_days)
        since = (now - max(window, quiet)).replace(tzinfo=None)
        Event = self.env["payment.followup.event"].sudo()
        base = [
            ("company_id", "=", company.id),
            ("partner_id", "in", partners.ids),
            ("date", ">", since),
        ]
        # contacts across channels count towards the cap: what was delivered,
        # and every call attempt booked
        attempts = dict(
            Event._read_group(
                base
                # the channels that reach the customer (the registry says which)
                + [("channel", "in", self.env["payment.followup.channel"]._codes(contact=True))]
                + ["|", ("channel", "=", "call"), *Event._delivered_domain()]
                + [("state", "=", "done")],
                ["partner_id"],
                ["date:array_agg"],
            )
        )
        talks = dict(
            Event._read_group(
                base + [("conversation", "=", True)], ["partner_id"], ["date:array_agg"]
            )
        )
        blocked = {}
        for partner in partners:
            if partner.followup_opt_out_phone:
                blocked[partner] = self.env._("No follow-up calls for this customer")
                continue
            decision = call_attempt_allowed(
                now,
                [d.replace(tzinfo=UTC) for d in attempts.get(partner, [])],
                [d.replace(tzinfo=UTC) for d in talks.get(partner, [])],
                max_attempts=company.followup_max_call_attempts,
                window=window,
                quiet_after_conversation=quiet,
            )
            if decision.allowed:
                continue
            label = guardrails._local_time_label(
                decision.next_allowed.replace(tzinfo=None), partner
            )
            blocked[partner] = (
                self.env._("Call cap reached; next attempt allowed from %(moment)s", moment=label)
                if decision.reason == "cap"
                else self.env._(
                    "A conversation took place recently; next attempt allowed from %(moment)s",
                    moment=label,
                )
            )
        return blocked
