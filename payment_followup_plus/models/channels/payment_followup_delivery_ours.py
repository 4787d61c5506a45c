from datetime import timedelta

from odoo import api, fields, models
from odoo.tools.misc import format_datetime

# a mail our server could not send is tried again after these minutes
RETRY_MINUTES = 10


class PaymentFollowupDelivery(models.AbstractModel):
    """A failure of ours (``engine.delivery``): the customer's address is
    fine; the email waits in the queue and is retried, and a long outage is
    one to-do for the administrator."""

    _inherit = "payment.followup.delivery"

    @api.model
    def _emails_wait(self, event, failure):
        """A failure of ours: nothing is wrong with the customer's address.
        The mail goes back to the queue (retried in ``RETRY_MINUTES``), the
        reminder keeps waiting for it; no flag, no letter, no to-do."""
        now = fields.Datetime.now()
        words = self._failure_words(failure)
        event.write(
            {
                "failure_side": "ours",
                "failure_reason": words,
                "failing_since": event.failing_since or now,
                "result": self._relabel(
                    event,
                    self.env._(
                        "Not sent yet to %(email)s: %(why)s",
                        email=self._address(event),
                        why=words,
                    ),
                ),
            }
        )
        event.mail_id.write(
            {
                "state": "outgoing",
                "scheduled_date": now + timedelta(minutes=RETRY_MINUTES),
            }
        )

    @api.model
    def _warn_outage(self, events):
        """After the company's hours of failures of our mail server, one to-do
        for the administrator (while one is open, no other)."""
        now = fields.Datetime.now()
        Activity = self.env["mail.activity"].sudo()
        team = self.env["payment.followup.team"]
        for company, group in events.grouped("company_id").items():
            since = min(group.mapped("failing_since"))
            if now - since < timedelta(hours=company.followup_outage_hours):
                continue
            if Activity.search_count(
                [
                    ("followup_kind", "=", "outage"),
                    ("followup_company_id", "=", company.id),
                ],
                limit=1,
            ):
                continue
            waiting = self._queued_events(
                [("company_id", "=", company.id), ("failure_side", "=", "ours")]
            )
            admin = self.env.ref("base.user_admin", raise_if_not_found=False)
            Activity.create(
                team._prepare_todo_vals(
                    company.partner_id,
                    self.env._(
                        "Our mail server is failing: %(count)s reminders waiting (since %(since)s). "
                        "Check the outgoing mail server in Settings",
                        count=len(waiting.reminder_id),
                        since=format_datetime(self.env, since),
                    ),
                    admin if admin and company in admin.company_ids else self.env.user,
                    fields.Date.context_today(self),
                    "outage",
                )
                | {"followup_company_id": company.id}
            )
