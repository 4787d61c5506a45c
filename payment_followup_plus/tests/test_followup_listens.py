import socket
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.modules import module as odoo_module
from odoo.tests import tagged

from .common import PaymentFollowupCommon

SETUP = Path(__file__).resolve().parents[2] / "setup"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ListensCommon(PaymentFollowupCommon):
    """A customer with an overdue invoice, a real local SMTP server on demand
    and the mail gateway: replies and bounces as RFC 822 messages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls._customer("Listening Ltd")
        cls.invoice = cls._invoice(cls.customer, 20, 500.0)
        cls.company.email = "accounts@yourcompany.example.com"
        cls.clerk = cls._followup_user(cls.company, login="listening_clerk")
        cls.company.followup_user_id = cls.clerk

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @contextmanager
    def _real_smtp(self, tmp, refuse=()):
        """Odoo sends for real (not its test mode) to the demo's mail sink,
        started on a free port."""
        if str(SETUP) not in sys.path:
            sys.path.insert(0, str(SETUP))
        import mailsink

        port = free_port()
        controller = mailsink.start(port, tmp, refuse)
        server = self.env["ir.mail_server"].create(
            {"name": "Sink", "smtp_host": "127.0.0.1", "smtp_port": port, "sequence": 1}
        )
        try:
            with patch.object(odoo_module, "current_test", False):
                yield controller.handler
        finally:
            controller.stop()
            server.unlink()

    def _reminder_event(self):
        return self._events(self.customer, channel="email")

    def _reply(self, body, sender=None, headers=None, subject=None, references=True):
        """An RFC 822 answer to the reminder email, through the mail gateway."""
        mail_message = self._reminders(self.customer)[-1].mail_message_id
        msg = EmailMessage()
        msg["From"] = sender or self.customer.email
        msg["To"] = self.company.email
        msg["Subject"] = subject or "Re: %s" % mail_message.subject
        msg["Message-Id"] = make_msgid(domain="customer.example.com")
        if references:
            msg["In-Reply-To"] = mail_message.message_id
            msg["References"] = mail_message.message_id
        for name, value in (headers or {}).items():
            msg[name] = value
        msg.set_content(body)
        return self.env["mail.thread"].message_process(
            "res.partner" if not references else False,
            msg.as_bytes(),
            thread_id=self.customer.id if not references else None,
        )

    def _bounce(self, mail_message, address):
        """A delivery status notification (RFC 3464) for ``mail_message``."""
        msg = EmailMessage()
        msg["From"] = "MAILER-DAEMON@mx.example.com"
        msg["To"] = self.company.email
        msg["Subject"] = "Undelivered Mail Returned to Sender"
        msg["Message-Id"] = make_msgid(domain="mx.example.com")
        msg.set_content("This is the mail system: the mailbox does not exist.")
        status = EmailMessage()
        status.set_content(
            f"Reporting-MTA: dns; mx.example.com\n\nFinal-Recipient: rfc822; {address}\n"
            "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n"
        )
        original = EmailMessage()
        original["Message-Id"] = mail_message.message_id
        original["To"] = address
        original["Subject"] = mail_message.subject or ""
        original.set_content("(original message)")
        msg.make_mixed()
        msg.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
        dsn = EmailMessage()
        dsn.add_header("Content-Type", "message/delivery-status")
        dsn.set_payload([EmailMessage(), status])
        msg.attach(dsn)
        rfc = EmailMessage()
        rfc.add_header("Content-Type", "message/rfc822")
        rfc.set_payload([original])
        msg.attach(rfc)
        return self.env["mail.thread"].message_process(False, msg.as_bytes())


@tagged("post_install", "-at_install")
class TestFollowupListens(ListensCommon):
    """Only what reached the customer counts; failures, bounces and replies
    are heard through Odoo's own mail pipeline and gateway."""

    # ------------------------------------------------------------------
    # delivery states
    # ------------------------------------------------------------------
    def test_an_email_is_delivered_only_once_the_server_accepts_it(self):
        self._run(send_mails=False)
        reminder = self._reminders(self.customer)
        event = self._reminder_event()
        self.assertEqual((reminder.state, event.delivery_state), ("pending", "queued"))
        self.assertIn("Queued to", event.result)
        self.assertFalse(self.invoice.followup_level_id, "a queued email moves no level")
        # a rerun while it waits sends nothing more
        self._run(send_mails=False)
        self.assertEqual(len(self._reminders(self.customer)), 1)
        self.assertEqual(len(self._mails(self.customer)), 1)
        self._send_queue()
        self.assertEqual((reminder.state, event.delivery_state), ("delivered", "delivered"))
        self.assertEqual(event.result, "Sent to %s" % self.customer.email)
        self.assertEqual(self.invoice.followup_level_id, reminder.level_id)
        self.assertEqual(reminder.delivered_date, self.today)
        self.assertEqual(reminder.channels, "email")

    def test_quiet_hours_hold_the_email_and_the_ladder(self):
        # 22:00 in New York: the mail waits in the queue until 08:00 there
        self.customer.tz = "America/New_York"
        night = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        self._run(today=None, now=night, send_mails=False)
        reminder = self._reminders(self.customer)
        mail = reminder.mail_id
        self.assertEqual(mail.scheduled_date, datetime(2026, 11, 24, 13, 0))
        self.assertEqual((reminder.state, mail.state), ("pending", "outgoing"))
        self.assertIn("held by the quiet hours", self._reminder_event().result)
        with freeze_time("2026-11-24 12:00:00"):
            self._send_queue(due_only=True)
            self.assertEqual(mail.state, "outgoing", "not due yet")
        # the next day's run while it waits: nothing twice
        self._run(today=None, now=night + timedelta(days=1), send_mails=False)
        self.assertEqual(len(self._reminders(self.customer)), 1, "never twice while it waits")
        self.assertFalse(self.invoice.followup_level_id)
        with freeze_time("2026-11-24 13:00:01"):
            self._send_queue(due_only=True)
        self.assertEqual(
            (reminder.state, self._reminder_event().delivery_state), ("delivered", "delivered")
        )
        self.assertEqual(self.invoice.followup_level_id, reminder.level_id)

    def test_a_refused_email_fails_falls_back_on_a_letter_and_asks_once(self):
        tmp = Path(self.env["ir.attachment"]._filestore()) / "sink-refused"
        with self._real_smtp(tmp, refuse=[self.customer.email]) as sink:
            self._run()
        reminder = self._reminders(self.customer)
        event = self._reminder_event()
        self.assertEqual(event.delivery_state, "failed")
        self.assertIn("User unknown", event.failure_reason)
        self.assertIn("Not sent to %s" % self.customer.email, event.result)
        self.assertFalse(sink.received, "nothing reached the sink")
        self.assertEqual(reminder.state, "pending", "waits for its letter")
        self.assertFalse(self.invoice.followup_level_id, "no level climbed")
        letter = self._events(self.customer, channel="letter")
        self.assertEqual((letter.state, letter.delivery_state), ("to_print", "prepared"))
        self.assertTrue(self.customer.followup_email_failing)
        todos = self.env["mail.activity"].search(
            [("followup_kind", "=", "email_failed"), ("followup_partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(todos), 1)
        self.assertIn("check the address", todos.summary)
        # no later wording claims the failed email
        self.assertFalse(reminder.previous_date)
        self.assertNotIn("reminder of", self._text(reminder.letter_preview))
        # the letter is printed: now it reached the customer
        letter.with_context(force_report_rendering=True).action_print_letter()
        self.assertEqual((reminder.state, letter.delivery_state), ("delivered", "delivered"))
        # the address still fails after a person cleared it: one to-do still
        later = self.today + timedelta(days=20)
        self.customer.action_followup_email_works()
        with self._real_smtp(tmp, refuse=[self.customer.email]):
            self._run(today=later)
        second = self._reminders(self.customer)[-1]
        self.assertNotEqual(second, reminder)
        self.assertEqual(
            second.event_ids.filtered(lambda e: e.channel == "email").delivery_state, "failed"
        )
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [
                    ("followup_kind", "=", "email_failed"),
                    ("followup_partner_id", "=", self.customer.id),
                ]
            ),
            1,
        )
        # while it fails, no email is tried: the next reminder goes on paper
        self.assertIn(
            "failed", self.env["payment.followup.channel.email"]._block_reason(self.customer)
        )

    def test_the_demo_sink_keeps_what_was_sent(self):
        tmp = Path(self.env["ir.attachment"]._filestore()) / "sink-ok"
        with self._real_smtp(tmp) as sink:
            self._run()
        reminder = self._reminders(self.customer)
        self.assertEqual(reminder.state, "delivered")
        ((recipients, path),) = sink.received
        self.assertEqual(recipients, [self.customer.email])
        content = path.read_bytes()
        self.assertIn(reminder.mail_message_id.message_id.encode(), content)
        self.assertIn(b"Subject:", content)

    def test_a_bounce_says_the_servers_reply_in_plain_words(self):
        self._run()
        reminder = self._reminders(self.customer)
        self.env["payment.followup.channel.email"]._on_bounce(
            reminder.mail_message_id,
            "<p>This is the mail system at host mx.example.com. &lt;a@b.example&gt;: host "
            "mx.example.com said: 550 5.1.1 User unknown (in reply to RCPT TO command)</p>",
        )
        event = self._reminder_event()
        self.assertEqual(event.delivery_state, "bounced")
        self.assertEqual(
            event.failure_reason,
            "The customer's server refused the address (550 5.1.1 User unknown)",
        )
        self.assertNotIn("This is the mail system", event.result)

    def test_a_bounce_fails_the_email_and_undoes_its_level(self):
        self._run()
        reminder = self._reminders(self.customer)
        self.assertEqual(reminder.state, "delivered")
        self.assertTrue(self.invoice.followup_level_id)
        self._bounce(reminder.mail_message_id, self.customer.email)
        event = self._reminder_event()
        self.assertEqual(event.delivery_state, "bounced")
        self.assertIn("the mailbox does not exist", event.failure_reason)
        self.assertEqual(reminder.state, "pending")
        self.assertFalse(self.invoice.followup_level_id, "back to where it was")
        self.assertFalse(self.invoice.followup_last_date)
        self.assertTrue(self.customer.followup_email_failing)
        self.assertTrue(self._events(self.customer, channel="letter"))
        # a bounce for an address nobody knows changes nothing
        self._bounce(self.env["mail.message"].create({"body": "x"}), "nobody@nowhere.example")
        self.assertEqual(len(self._events(self.customer, channel="letter")), 1)
        # a new address is tried again
        self.customer.email = "payables@listening.example.com"
        self.assertFalse(self.customer.followup_email_failing)

    # ------------------------------------------------------------------
    # replies
    # ------------------------------------------------------------------
    def test_a_reply_pauses_and_offers_the_stated_date_as_a_promise(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.customer.lang = "fr_FR"
        self._run()
        self._reply("Bonjour,\n\nnous paierons le 15/12.\n\nCordialement,\nClaire")
        self.customer.invalidate_recordset()
        reply = self._events(self.customer, channel="reply")
        self.assertEqual(len(reply), 1)
        self.assertFalse(reply.user_id, "by the customer, not by whoever ran the mail gateway")
        year = (
            self.today.year
            if (self.today.month, self.today.day) <= (12, 15)
            else self.today.year + 1
        )
        self.assertEqual(reply.stated_date, fields.Date.to_date(f"{year}-12-15"))
        self.assertIn("nous paierons le 15/12", reply.note)
        # as written: the blank lines between its paragraphs kept
        self.assertIn("Bonjour,\n\nnous paierons le 15/12.\n\nCordialement,\nClaire", reply.note)
        until = self.customer.followup_reply_pause_until
        self.assertGreaterEqual((until - self.today).days, 5)
        self.assertLessEqual((until - self.today).days, 9)
        todo = self.env["mail.activity"].search(
            [("followup_kind", "=", "reply"), ("followup_partner_id", "=", self.customer.id)]
        )
        self.assertEqual(len(todo), 1)
        self.assertIn("&gt; nous paierons le 15/12", str(todo.note))
        # on the customer (its chatter holds the reply), with a link to the reply
        self.assertEqual((todo.res_model, todo.res_id), ("res.partner", self.customer.id))
        self.assertIn("/odoo/payment.followup.event/%s" % reply.id, str(todo.note))
        # the reply is in the customer's chatter, as Odoo's gateway posts it
        self.assertIn("nous paierons", self.customer.message_ids[:1].body)
        # the promise is offered, filled in; nothing is recorded by itself
        action = reply.action_record_promise()
        self.assertEqual(action["context"]["default_promised_date"], f"{year}-12-15")
        self.assertFalse(
            self.env["payment.followup.promise"].search([("partner_id", "=", self.customer.id)])
        )
        # the daily run waits; the history says why
        later = self.today + timedelta(days=3)
        self._run(today=later)
        self.assertEqual(len(self._reminders(self.customer)), 1)
        held = self._events(self.customer, channel="none", state="blocked")
        self.assertIn("replied", held.result)
        # a second reply: still one to-do
        self._reply("Et la facture 2 ? Nous paierons le 20/12.")
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("followup_kind", "=", "reply"), ("followup_partner_id", "=", self.customer.id)]
            ),
            1,
        )

    def test_an_out_of_office_does_not_pause(self):
        self._run()
        self._reply(
            "I am out of the office until Monday.",
            headers={"Auto-Submitted": "auto-replied"},
            subject="Automatic reply: Friendly reminder",
        )
        self.assertFalse(self.customer.followup_reply_pause_until)
        event = self._events(self.customer, channel="reply")
        self.assertIn("Automatic reply", event.result)
        self.assertFalse(self.env["mail.activity"].search([("followup_kind", "=", "reply")]))

    def test_a_reply_from_someone_else_pauses_nothing(self):
        self._run()
        self._reply("We will pay on 15/12", sender="stranger@elsewhere.example.com")
        self.assertFalse(self.customer.followup_reply_pause_until)
        self.assertIn(
            "not an address of the customer", self._events(self.customer, channel="reply").result
        )

    def test_a_message_without_references_is_no_reply(self):
        self._run()
        self._reply("We will pay on 15/12", references=False)
        self.assertFalse(self.customer.followup_reply_pause_until)
        self.assertFalse(self._events(self.customer, channel="reply"))

    def test_a_malformed_message_pauses_nothing(self):
        self._run()
        # Odoo's gateway finds no route for it (and says so); nobody is paused
        with self.assertRaises(ValueError):
            self.env["mail.thread"].message_process(False, b"\x00\xff not an email at all")
        self.assertFalse(self.customer.followup_reply_pause_until)
        self.assertFalse(self._events(self.customer, channel="reply"))

    def test_a_person_may_still_send_and_is_told(self):
        self._run()
        # the time that reminder gave is over, but the customer just replied
        self._reminders(self.customer).delivered_date = self.today - timedelta(days=10)
        self.invoice.followup_last_date = self.today - timedelta(days=10)
        self._reply("We will pay on 15/12")
        wizard = (
            self.env["payment.followup.send.wizard"]
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({"partner_ids": [(6, 0, self.customer.ids)]})
        )
        self.assertIn("the customer replied on", self._text(wizard.preview_html))
