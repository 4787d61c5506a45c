from collections import defaultdict

from odoo import api, fields, models
from odoo.tools import html2plaintext
from odoo.tools.misc import format_date


class PaymentFollowupDelivery(models.AbstractModel):
    """What reached the customer, as Odoo's mail pipeline tells it.

    - ``mail.mail`` post-processing (after each send attempt): an email the
      outgoing server accepted delivers its reminder (the invoices take its
      level, the gap and the time to respond start); a refused one fails it.
    - ``mail.thread``'s bounce routing: a bounce fails the email even after it
      was accepted, and undoes what its delivery did (levels, last contact),
      unless a later reminder moved the invoices since.

    A failed email marks the address as failing (no email to it until a person
    fixes it or a later email to it succeeds), falls back on the level's next
    channel at the same level (a letter to print, else a call to-do) and gives
    the collector one to-do to check the address.
    """

    _name = "payment.followup.delivery"
    _description = "Payment follow-up: what reached the customer"

    # ------------------------------------------------------------------
    # entry points (mail pipeline)
    # ------------------------------------------------------------------
    @api.model
    def _on_mails_processed(self, mails):
        """After a send attempt of ``mails``: their reminder emails are
        delivered (state sent) or failed (exception, cancelled)."""
        if not mails:
            return
        events = self._queued_events([("mail_id", "in", mails.ids)])
        if not events:
            return
        sent = events.filtered(lambda e: e.mail_id.state == "sent")
        failed = events.filtered(lambda e: e.mail_id.state in ("exception", "cancel"))
        self._emails_sent(sent)
        for event in failed:
            mail = event.mail_id
            reason = (
                mail.failure_reason
                or dict(mail._fields["failure_type"]._description_selection(self.env)).get(
                    mail.failure_type
                )
                or self.env._("The email was not sent")
            )
            self._emails_failed(event, reason)

    @api.model
    def _on_bounce(self, message, reason):
        """A bounce came back for ``message`` (a mail.message)."""
        if not message:
            return
        events = self._queued_events(
            [("mail_message_id", "=", message.id)], states=("queued", "delivered")
        )
        if events:
            text = " ".join(html2plaintext(reason or "").split())[:500]
            self._emails_failed(events, text or self.env._("Bounced"), bounced=True)

    @api.model
    def _queued_events(self, domain, states=("queued",)):
        return (
            self.env["payment.followup.event"]
            .sudo()
            .search([("channel", "=", "email"), ("delivery_state", "in", states), *domain])
        )

    # ------------------------------------------------------------------
    # outcomes
    # ------------------------------------------------------------------
    @api.model
    def _emails_sent(self, events):
        if not events:
            return
        _ = self.env._
        for event in events:
            event.write(
                {
                    "delivery_state": "delivered",
                    "failure_reason": False,
                    "result": self._relabel(
                        event,
                        _("Sent to %(email)s", email=self._address(event)),
                    ),
                }
            )
        # a later email to the address succeeded: it works again
        recipients = events.reminder_id.recipient_id.filtered("followup_email_failing")
        recipients.write({"followup_email_failing": False, "followup_email_failure": False})
        guardrails = self.env["payment.followup.guardrails"]
        reminders = events.reminder_id.filtered(lambda r: r.state == "pending")
        # the customer's day it was sent (never before the day it was prepared)
        for day, group in reminders.grouped(
            lambda r: max(r.date, guardrails._partner_today(r.partner_id, company=r.company_id))
        ).items():
            group._mark_delivered(on=day)

    @api.model
    def _emails_failed(self, events, reason, bounced=False):
        """The emails of ``events`` did not reach the customer (``reason`` as
        the server or the bounce said)."""
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
        self._fall_back(reminders)
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
    def _fall_back(self, reminders):
        """The level's next channel at the same level, without climbing: a
        letter to print (unless the reminder has one already, or the customer
        refuses letters), else a call to-do for the collector."""
        _ = self.env._
        guardrails = self.env["payment.followup.guardrails"]
        team = self.env["payment.followup.team"]
        Event = self.env["payment.followup.event"].sudo()
        for reminder in reminders.filtered(lambda r: r.state in ("pending", "delivered")):
            if reminder.state == "delivered":
                continue  # another channel reached the customer already
            channels = set(reminder.event_ids.mapped("channel"))
            if "letter" in channels and reminder.event_ids.filtered(
                lambda e: e.channel == "letter" and e.state in ("to_print", "done")
            ):
                continue  # its letter still goes (or went) on paper
            if not guardrails._letter_block_reason(reminder.partner_id):
                Event.create(
                    reminder._prepare_event_vals(
                        "letter",
                        "to_print",
                        delivery_state="prepared",
                        result=_("Letter ready to print: the email did not reach the customer"),
                    )
                )
                continue
            activity = (
                self.env["mail.activity"]
                .sudo()
                .create(
                    team._prepare_todo_vals(
                        reminder.partner_id,
                        _(
                            "Call %(customer)s about the %(level)s: the email did not reach them",
                            customer=reminder.partner_id.display_name,
                            level=reminder.level_id.name,
                        ),
                        team._responsible(reminder.partner_id, reminder.level_id),
                        fields.Date.context_today(self),
                        "followup",
                    )
                )
            )
            reminder.activity_id = activity
            Event.create(
                reminder._prepare_event_vals(
                    "activity",
                    "done",
                    delivery_state="prepared",
                    activity_id=activity.id,
                    result=_(
                        "Call to-do for %(user)s: the email did not reach the customer",
                        user=activity.user_id.name,
                    ),
                )
            )
