import logging
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import email_normalize, html2plaintext
from odoo.tools.mail import mail_header_msgid_re
from odoo.tools.misc import format_date

from ...engine.replies import ReplyError, pause_until, read_reply

_logger = logging.getLogger(__name__)

# the customer's words kept in the history and quoted in the to-do
QUOTE_CHARS = 2000


class PaymentFollowupReply(models.AbstractModel):
    """A customer answered a reminder (routed by Odoo's mail gateway through
    the reminder's Message-Id in In-Reply-To/References). The reply is in the
    customer's chatter as Odoo posts it; here it also:

    - pauses the daily run for the customer for the company's working days;
    - gives the collector one to-do "Customer replied" with the reply quoted;
    - offers "Record as a promise" when it states a payment date.

    An automatic reply (RFC 3834 headers, out-of-office subjects) is only
    logged; a reply from an address that is not the customer's pauses nothing.
    """

    _name = "payment.followup.reply"
    _description = "Payment follow-up: the customer's replies"

    @api.model
    def _answered_reminders(self, message_dict, routes):
        """The reminders an incoming message answers (by its references),
        when the gateway routes it to their customer's thread."""
        partner_ids = {
            thread_id for model, thread_id, *_rest in routes or () if model == "res.partner"
        }
        if not partner_ids:
            return self.env["payment.followup.reminder"]
        refs = " ".join(
            filter(None, (message_dict.get("references"), message_dict.get("in_reply_to")))
        )
        msg_ids = [ref.strip() for ref in mail_header_msgid_re.findall(refs)][-32:]
        if not msg_ids:
            return self.env["payment.followup.reminder"]
        messages = self.env["mail.message"].sudo().search([("message_id", "in", msg_ids)])
        return (
            self.env["payment.followup.reminder"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("partner_id", "in", list(partner_ids)),
                ],
                order="id desc",
            )
        )

    @api.model
    def _on_reply(self, reminders, message_dict, headers):
        reminder = reminders[:1]
        partner = reminder.partner_id
        company = reminder.company_id
        _ = self.with_context(lang=self.env.user.lang or self.env.lang).env._
        sender = email_normalize(message_dict.get("email_from") or "") or ""
        text = html2plaintext(message_dict.get("body") or "")
        posted = (
            self.env["mail.message"]
            .sudo()
            .search([("message_id", "=", message_dict.get("message_id"))], limit=1)
        )
        Event = self.env["payment.followup.event"].sudo()
        base = {
            "partner_id": partner.id,
            "company_id": company.id,
            "reminder_id": reminder.id,
            "level_id": reminder.level_id.id,
            "tier": reminder.tier,
            "channel": "reply",
            # the overdue total of the reminder it answers (not a made-up 0)
            "amount_overdue": reminder.amount_overdue,
            "mail_message_id": posted.id,
            "note": text.strip()[:QUOTE_CHARS],
        }
        if not self._from_customer(partner, reminder, sender):
            _logger.info(
                "Reply to reminder %s from %s, not the customer's: no pause", reminder.id, sender
            )
            Event.create(
                dict(
                    base,
                    state="blocked",
                    result=_(
                        "A reply from %(email)s, not an address of the customer: no pause",
                        email=sender or _("an unknown sender"),
                    ),
                )
            )
            return
        guardrails = self.env["payment.followup.guardrails"]
        received = guardrails._partner_today(partner, company=company)
        point, __, month_first = self.env["payment.followup.message"]._number_format(
            reminder.lang or partner._followup_lang()
        )
        try:
            facts = read_reply(
                text,
                received,
                month_first=month_first,
                decimal_point=point,
                languages=tuple(dict.fromkeys([(reminder.lang or "en")[:2], "en"])),
                headers=headers,
                subject=message_dict.get("subject") or "",
            )
        except ReplyError:
            facts = None
        if facts is not None and facts.auto_reply:
            Event.create(
                dict(
                    base,
                    state="done",
                    result=_(
                        "Automatic reply from %(email)s (%(why)s): the follow-up goes on",
                        email=sender,
                        # a header's name as written, or the subject
                        why=_("out-of-office subject")
                        if facts.auto_reply == "subject"
                        else facts.auto_reply.title(),
                    ),
                )
            )
            return
        until = self._pause_until(company, received)
        partner.write(
            {"followup_replied_on": fields.Datetime.now(), "followup_reply_pause_until": until}
        )
        stated = ""
        if facts and facts.pay_date:
            stated = _(
                " They state a payment on %(date)s.", date=format_date(self.env, facts.pay_date)
            )
        event = Event.create(
            dict(
                base,
                state="done",
                stated_date=facts.pay_date if facts else False,
                stated_amount=float(facts.amount) if facts and facts.amount else 0.0,
                result=_(
                    "The customer replied (%(email)s): automatic reminders paused until "
                    "%(date)s.%(stated)s",
                    email=sender,
                    date=format_date(self.env, until),
                    stated=stated,
                ),
            )
        )
        self._todo(event, text)

    @api.model
    def _from_customer(self, partner, reminder, sender):
        """Whether ``sender`` is an address of the customer (any of its
        contacts, or the reminder's recipient)."""
        if not sender:
            return False
        if sender == email_normalize(reminder.recipient_id.email or ""):
            return True
        return bool(
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [("email_normalized", "=", sender), ("commercial_partner_id", "=", partner.id)],
                limit=1,
            )
        )

    @api.model
    def _pause_until(self, company, received):
        """The last day of the pause: the company's working days (its working
        calendar's weekdays and public holidays) after the reply."""
        calendar = company.resource_calendar_id
        weekdays = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")} or set(
            range(5)
        )
        days = company.followup_reply_pause_days
        horizon = received + timedelta(days=days * 3 + 14)
        holidays = set()
        for leave in calendar.global_leave_ids if calendar else ():
            day = leave.date_from.date()
            while day <= min(leave.date_to.date(), horizon):
                holidays.add(day)
                day += timedelta(days=1)
        return pause_until(received, days, weekdays, holidays)

    @api.model
    def _todo(self, event, text):
        """One open "Customer replied" to-do per customer, on the customer
        (whose chatter holds the reply, to answer it there): the reply quoted
        (plain text) and a link to the reply's history line, which offers
        "Record as a promise"."""
        Activity = self.env["mail.activity"].sudo()
        open_todo = Activity.search(
            [
                ("followup_kind", "=", "reply"),
                ("followup_partner_id", "=", event.partner_id.id),
                ("followup_company_id", "=", event.company_id.id),
            ],
            limit=1,
        )
        team = self.env["payment.followup.team"]
        _ = self.env._
        quote = "\n".join("> " + line for line in text.strip()[:QUOTE_CHARS].splitlines())
        note = "\n\n".join(
            filter(
                None,
                [
                    quote,
                    event.stated_date
                    and _(
                        "They state a payment on %(date)s: open the reply and use "
                        "“Record as a promise” to confirm it.",
                        date=format_date(self.env, event.stated_date),
                    ),
                ],
            )
        )
        html = self.env["payment.followup.message"]._plain_html(note) + Markup(
            '<br/><a href="/odoo/payment.followup.event/%s">%s</a>'
        ) % (
            event.id,
            _("Open the reply (record a promise, propose a plan)"),
        )
        if open_todo:
            open_todo.write({"note": html})
            return open_todo
        vals = team._prepare_todo_vals(
            event.partner_id,
            _("Customer replied: %(customer)s", customer=event.partner_id.display_name),
            team._responsible(event.partner_id, event.level_id),
            fields.Date.context_today(self),
            "reply",
        )
        vals["note"] = html
        vals["followup_company_id"] = event.company_id.id
        return Activity.create(vals)
