from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date, format_datetime

from ...engine.delivery import OURS, THEIRS, Failure, bounce_detail, classify

# a mail our server could not send is tried again after these minutes
RETRY_MINUTES = 10


class PaymentFollowupChannelEmail(models.AbstractModel):
    """What became of a reminder's email, as Odoo's mail pipeline tells it (the
    email adapter's delivery hooks; ``mail.mail`` and ``mail.thread`` call them).

    - ``mail.mail`` post-processing (after each send attempt, noted by
      ``payment.followup.mail.outcome``): an email the outgoing server accepted
      delivers its reminder (the invoices take its level, the gap and the time
      to respond start); a refused one fails it.
    - ``mail.thread``'s bounce routing: a bounce fails the email even after it
      was accepted, and undoes what its delivery did (levels, last contact),
      unless a later reminder moved the invoices since.
    - A failure of ours (``engine.delivery``): the customer's address is fine;
      the email waits in the queue and is retried, and a long outage is one
      to-do for the administrator.

    A failed email marks the address as failing (no email to it until a person
    fixes it or a later email to it succeeds), falls back on the level's next
    channel at the same level (a letter to print, else a call to-do) and gives
    the collector one to-do to check the address.
    """

    _inherit = "payment.followup.channel.email"

    @api.model
    def _on_mails_processed(self, mails, outcomes):
        """A batch of send attempts of reminder ``mails`` (the first or a later
        one), ``outcomes`` {mail id: (state, failure type, reason)} as the
        queue noted them (``payment.followup.mail.outcome``): the emails are
        delivered (sent), wait for a retry (a failure of ours) or failed (a
        failure of theirs). An email that failed before and is now accepted
        counts from now on (``_emails_sent``)."""
        Delivery = self.env["payment.followup.delivery"]
        if not mails:
            return
        events = Delivery._queued_events(
            [("mail_id", "in", mails.ids)], states=("queued", "failed")
        )
        if not events:
            return
        sent = events.filtered(lambda e: outcomes[e.mail_id.id][0] == "sent")
        failed = events.filtered(
            lambda e: outcomes[e.mail_id.id][0] in ("exception", "cancel")
            and e.delivery_state == "queued"
        )
        self._emails_sent(sent)
        ours = self.env["payment.followup.event"]
        for event in failed:
            state, failure_type, reason = outcomes[event.mail_id.id]
            failure = classify(failure_type, reason)
            if failure.side == OURS and state == "exception":
                ours |= event
                self._emails_wait(event, failure)
            else:
                self._emails_failed(event, self._failure_words(failure))
        self._warn_outage(ours)

    @api.model
    def _failure_words(self, failure):
        """A failure as a person reads it: whose side, and the server's own
        words in brackets (never a Python dump)."""
        _ = self.env._
        words = {
            "unreachable": _("Our mail server could not be reached; it will retry"),
            "login": _("Our mail server refused our login; it will retry"),
            "timeout": _("Our mail server did not answer in time; it will retry"),
            "sender": _("Our mail server refused our sender address; it will retry"),
            "later": _("The customer's mail server asked us to try again later; it will retry"),
            "refused": _("The customer's server refused the address"),
            "invalid": _("The address is invalid or missing"),
            "blocked": _("The address is on the blocked list"),
            "unknown": _("The email could not be sent"),
        }[failure.key]
        return f"{words} ({failure.detail})" if failure.detail else words

    @api.model
    def _on_bounce(self, message, reason):
        """A bounce came back for ``message`` (a mail.message)."""
        Delivery = self.env["payment.followup.delivery"]
        if not message:
            return
        events = Delivery._queued_events(
            [("mail_message_id", "=", message.id)], states=("queued", "delivered")
        )
        if events:
            text = " ".join(html2plaintext(reason or "").split())[:500]
            # the server's reply in plain words, not the mail system's preamble
            detail = bounce_detail(text)
            words = self._failure_words(Failure(THEIRS, "refused", detail)) if detail else text
            self._emails_failed(events, words or self.env._("Bounced"), bounced=True)

    @api.model
    def _emails_sent(self, events):
        Delivery = self.env["payment.followup.delivery"]
        if not events:
            return
        _ = self.env._
        retried = events.filtered(lambda e: e.delivery_state == "failed")
        for event in events:
            event.write(
                {
                    "delivery_state": "delivered",
                    "failure_reason": False,
                    "failure_side": False,
                    "failing_since": False,
                    "result": self._relabel(
                        event,
                        _("Sent to %(email)s", email=self._address(event)),
                    ),
                }
            )
        # a later email to the address succeeded: it works again
        recipients = events.reminder_id.recipient_id.filtered("followup_email_failing")
        recipients.write({"followup_email_failing": False, "followup_email_failure": False})
        Delivery._deliver(events.reminder_id)
        self._fallbacks_not_needed(retried)
        self.env["payment.followup.team"]._close_todos(
            retried.partner_id,
            "email_failed",
            _("A later attempt of the email reached the customer."),
        )

    @api.model
    def _fallbacks_not_needed(self, events):
        """An email that failed and then reached the customer (a retry): the
        letter still to print in its place is cancelled, and the call to-do
        closed; a letter already printed stays printed (the email is then a
        second channel of the same reminder, never a second reminder)."""
        _ = self.env._
        why = _(
            "Not needed: the email reached the customer on %(date)s",
            date=format_date(self.env, fields.Date.context_today(self)),
        )
        for event in events:
            fallbacks = event.reminder_id.event_ids.filtered(
                lambda e, failed=event: (
                    e.id > failed.id
                    and (
                        (e.channel == "letter" and e.state == "to_print")
                        or (e.channel == "activity" and e.delivery_state == "prepared")
                    )
                )
            )
            todos = fallbacks.activity_id
            fallbacks.write({"state": "cancelled", "delivery_state": False, "result": why})
            if todos:
                todos.unlink()

    @api.model
    def _emails_failed(self, events, reason, bounced=False):
        """The emails of ``events`` did not reach the customer (``reason`` as
        the server or the bounce said)."""
        Delivery = self.env["payment.followup.delivery"]
        _ = self.env._
        for event in events:
            address = self._address(event)
            event.write(
                {
                    "delivery_state": "bounced" if bounced else "failed",
                    "failure_reason": reason,
                    "result": self._relabel(
                        event,
                        _("Bounced from %(email)s: %(why)s", email=address, why=reason)
                        if bounced
                        else _("Not sent to %(email)s: %(why)s", email=address, why=reason),
                    ),
                }
            )
            recipient = event.reminder_id.recipient_id or event.partner_id
            recipient.write(
                {
                    "followup_email_failing": True,
                    "followup_email_failure": _(
                        "%(when)s: %(why)s",
                        when=format_date(self.env, fields.Date.context_today(self)),
                        why=reason,
                    ),
                }
            )
        reminders = events.reminder_id
        reminders.filtered(lambda r: r.state == "delivered")._undo_delivery()
        Delivery._fall_back(reminders)
        by_company = defaultdict(lambda: self.env["res.partner"])
        for event in events:
            by_company[event.company_id] |= event.partner_id
        for company, partners in by_company.items():
            self.env["payment.followup.team"]._route_once(
                company,
                partners,
                "email_failed",
                lambda p: _(
                    "Email to %(email)s failed: check the address of %(customer)s",
                    email=p.followup_recipient_id.email or p.email or "",
                    customer=p.display_name,
                ),
            )

    @api.model
    def _relabel(self, event, label):
        """The event's history text with its first sentence (queued, sent)
        replaced by ``label``; what follows (the attachments) is kept."""
        __, sep, rest = (event.result or "").partition(". ")
        return f"{label}. {rest}" if sep and rest else label

    @api.model
    def _address(self, event):
        return event.reminder_id.recipient_id.email or event.partner_id.email or ""

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
        Delivery = self.env["payment.followup.delivery"]
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
            waiting = Delivery._queued_events(
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
