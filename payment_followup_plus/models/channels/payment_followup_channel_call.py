from odoo import api, models
from odoo.exceptions import UserError


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
        blocked = self.env["payment.followup.guardrails"]._calls_blocked(
            company, reminders.partner_id
        )
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
