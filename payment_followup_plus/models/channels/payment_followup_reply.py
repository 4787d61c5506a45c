import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import email_normalize
from odoo.tools.mail import mail_header_msgid_re
from odoo.tools.misc import format_date

from ...engine.evidence import OpenInvoice, invoices_named, mentions_reference
from ...engine.replies import ReplyError, plain_text, read_reply, same_organisation

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
        # as written: its blank lines kept for the person who reads it
        text = plain_text(message_dict.get("body") or "")
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
            # by the customer: nobody of ours did it (not whoever ran the gateway)
            "user_id": False,
            # the overdue total of the reminder it answers (not a made-up 0)
            "amount_overdue": reminder.amount_overdue,
            "mail_message_id": posted.id,
            "note": text.strip()[:QUOTE_CHARS],
        }
        who = self._from_customer(partner, reminder, sender)
        if not who:
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
                attachments=[att[0] for att in message_dict.get("attachments") or () if att],
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
        colleague = who == "colleague"
        until = self._pause_until(company, received)
        if not colleague:
            # the automatic pause stays with the customer's own addresses
            partner.write(
                {"followup_replied_on": fields.Datetime.now(), "followup_reply_pause_until": until}
            )
        stated = ""
        if facts and facts.pay_date:
            stated = _(
                " They state a payment on %(date)s.", date=format_date(self.env, facts.pay_date)
            )
        if facts and facts.paid:
            stated += _(" They say it is paid: “%(words)s”.", words=facts.paid_sentence)
        result = (
            _(
                "A colleague at the customer replied (%(email)s, same email domain): no automatic "
                "pause, a person reads it.%(stated)s",
                email=sender,
                stated=stated,
            )
            if colleague
            else _(
                "The customer replied (%(email)s): automatic reminders paused until "
                "%(date)s.%(stated)s",
                email=sender,
                date=format_date(self.env, until),
                stated=stated,
            )
        )
        event = Event.create(
            dict(
                base,
                state="done",
                stated_date=facts.pay_date if facts else False,
                stated_amount=float(facts.amount) if facts and facts.amount else 0.0,
                stated_currency_id=reminder.line_ids.currency_id[:1].id
                if len(reminder.line_ids.currency_id) == 1
                else company.currency_id.id,
                paid_move_ids=[fields.Command.set(self._paid_invoices(reminder, text).ids)]
                if facts and facts.paid
                else False,
                result=result,
            )
        )
        self._todo(event, text)

    @api.model
    def _from_customer(self, partner, reminder, sender):
        """Who ``sender`` is: "contact" (an address of the customer: any of its
        contacts, or the reminder's recipient), "colleague" (another address at
        the customer's own email domain) or False."""
        if not sender:
            return False
        if sender == email_normalize(reminder.recipient_id.email or ""):
            return "contact"
        contacts = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("commercial_partner_id", "=", partner.id), ("email", "!=", False)])
        )
        if sender in contacts.mapped("email_normalized"):
            return "contact"
        addresses = contacts.mapped("email") + [reminder.recipient_id.email or ""]
        return "colleague" if same_organisation(sender, addresses) else False

    @api.model
    def _paid_invoices(self, reminder, text):
        """The invoices a "we paid" reply is about: those it names among the
        customer's open invoices of the reminder's company; none when it names
        another reference (another company's invoice); else the ones the
        reminder demanded (still open)."""
        Move = self.env["account.move"].sudo()
        open_moves = Move.search(
            Move._followup_open_domain(reminder.company_id)
            + [("commercial_partner_id", "=", reminder.partner_id.id)]
        )
        named = invoices_named(
            text,
            [
                OpenInvoice(
                    m.id,
                    m.commercial_partner_id.id,
                    m.name or "",
                    m.payment_reference or "",
                    m.currency_id.id,
                    0,
                )
                for m in open_moves
            ],
        )
        if named:
            return Move.browse(named)
        if mentions_reference(text):
            # it names some other invoice (another company's, a typo): a
            # person reads it; nothing is held on a guess
            return Move
        demanded = reminder.line_ids.filtered(lambda ln: ln.section == "main").move_id
        return demanded.filtered(lambda m: m._followup_is_open())

    @api.model
    def _pause_until(self, company, received):
        """The last day of the pause: the company's working days (its working
        calendar's weekdays and public holidays) after the reply."""
        return company._followup_working_day_after(received, company.followup_reply_pause_days)

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
                    event.paid_move_ids
                    and _(
                        "They say %(invoices)s is paid: no reminder demands it for %(days)s "
                        "working days. Look for the payment and reconcile it.",
                        invoices=", ".join(event.paid_move_ids.mapped("name")),
                        days=event.company_id.followup_evidence_days,
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
