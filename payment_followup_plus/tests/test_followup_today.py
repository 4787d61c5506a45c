from pathlib import Path
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import UserError
from odoo.modules import module as odoo_module
from odoo.tests import Form, tagged

from odoo.addons.payment_followup_plus.engine.types import Mode

from .test_followup_listens import ListensCommon, free_port


@tagged("post_install", "-at_install")
class TestFollowupToday(ListensCommon):
    """Today's truth after preparation: a retried email counts, our own outage
    is not blamed on the customer, a reply reaches the reviewer, a "we paid"
    reply holds the demand, and the lawyer's pack holds only what was sent.
    A real local SMTP server (the demo's sink) and Odoo's mail gateway."""

    def _tmp(self, name):
        return Path(self.env["ir.attachment"]._filestore()) / name

    def _down_server(self):
        """Our outgoing server, configured but down (nothing listens)."""
        return self.env["ir.mail_server"].create(
            {
                "name": "Down",
                "smtp_host": "127.0.0.1",
                "smtp_port": free_port(),
                "sequence": 0,
            }
        )

    def _todos(self, kind, **domain):
        return self.env["mail.activity"].search(
            [("followup_kind", "=", kind)] + [(k, "=", v) for k, v in domain.items()]
        )

    # ------------------------------------------------------------------
    # ours or theirs; a retry counts
    # ------------------------------------------------------------------
    def test_our_server_down_then_back_delivers_once_and_blames_nobody(self):
        down = self._down_server()
        with patch.object(odoo_module, "current_test", False):
            self._run()
        reminder = self._reminders(self.customer)
        event = self._reminder_event()
        mail = reminder.mail_id
        self.assertEqual((reminder.state, event.delivery_state), ("pending", "queued"))
        self.assertEqual(event.failure_side, "ours")
        self.assertIn("Our mail server could not be reached; it will retry", event.result)
        self.assertNotIn("Errno", event.result)
        self.assertNotIn("{", event.failure_reason)
        self.assertEqual(mail.state, "outgoing", "back in the queue, retried by the queue")
        self.assertFalse(self.customer.followup_email_failing, "the address is fine")
        self.assertFalse(self._events(self.customer, channel="letter"), "no letter")
        self.assertFalse(self._todos("email_failed", followup_partner_id=self.customer.id))
        # a rerun sends nothing more while it waits
        self._run(send_mails=False)
        self.assertEqual(len(self._reminders(self.customer)), 1)
        # after the company's hours of failures: one to-do for the administrator
        self.company.followup_outage_hours = 0
        mail.write({"scheduled_date": False})
        with patch.object(odoo_module, "current_test", False):
            mail.send()
            mail.write({"scheduled_date": False})
            mail.send()
        outage = self._todos("outage", followup_company_id=self.company.id)
        self.assertEqual(len(outage), 1)
        self.assertIn("Our mail server is failing: 1 reminders waiting", outage.summary)
        # the server is back: the retry delivers it, once
        down.unlink()
        with self._real_smtp(self._tmp("sink-back")) as sink:
            mail.write({"scheduled_date": False})
            self._send_queue()
        self.assertEqual(len(sink.received), 1)
        self.assertEqual((reminder.state, event.delivery_state), ("delivered", "delivered"))
        self.assertFalse(event.failure_side)
        self.assertEqual(self.invoice.followup_level_id, reminder.level_id)
        self._run()
        self.assertEqual(len(self._reminders(self.customer)), 1, "nothing sent twice")

    def test_a_failed_email_retried_and_accepted_cancels_its_letter_and_to_do(self):
        tmp = self._tmp("sink-retry")
        with self._real_smtp(tmp, refuse=[self.customer.email]):
            self._run()
        reminder = self._reminders(self.customer)
        event = self._reminder_event()
        self.assertEqual((event.delivery_state, event.failure_side), ("failed", False))
        self.assertIn("The customer's server refused the address (550 5.1.1", event.result)
        letter = self._events(self.customer, channel="letter")
        self.assertEqual(letter.state, "to_print")
        self.assertEqual(len(self._todos("email_failed", followup_partner_id=self.customer.id)), 1)
        # the address was fixed at their end; Odoo's Retry
        with self._real_smtp(tmp) as sink:
            reminder.mail_id.action_retry()
            self._send_queue()
        self.assertEqual(len(sink.received), 1)
        self.assertEqual((event.delivery_state, reminder.state), ("delivered", "delivered"))
        self.assertEqual(self.invoice.followup_level_id, reminder.level_id, "the ladder moves")
        self.assertEqual(letter.state, "cancelled")
        self.assertIn("Not needed: the email reached the customer on", letter.result)
        self.assertFalse(self.customer.followup_email_failing)
        self.assertFalse(self._todos("email_failed", followup_partner_id=self.customer.id))
        self._run()
        self.assertEqual(len(self._reminders(self.customer)), 1, "no second reminder")

    def test_a_letter_printed_before_the_retry_stays_one_reminder(self):
        tmp = self._tmp("sink-printed")
        with self._real_smtp(tmp, refuse=[self.customer.email]):
            self._run()
        reminder = self._reminders(self.customer)
        letter = self._events(self.customer, channel="letter")
        letter.with_context(force_report_rendering=True).action_print_letter()
        day = reminder.delivered_date
        with self._real_smtp(tmp):
            reminder.mail_id.action_retry()
            self._send_queue()
        self.assertEqual(letter.state, "done", "printed stays printed")
        self.assertEqual(self._reminder_event().delivery_state, "delivered")
        self.assertEqual((reminder.state, reminder.delivered_date), ("delivered", day))

    # ------------------------------------------------------------------
    # replies
    # ------------------------------------------------------------------
    def test_a_we_paid_reply_holds_the_demand_and_names_the_invoice(self):
        other = self._invoice(self.customer, 25, 90.0)
        self._run()
        self._reply("Hello, we paid %s last Friday." % self.invoice.name)
        reply = self._events(self.customer, channel="reply")
        self.assertEqual(reply.paid_move_ids, self.invoice, "only the invoice it names")
        self.assertIn("They say it is paid", reply.result)
        todo = self._todos("reply", followup_partner_id=self.customer.id)
        self.assertIn("is paid: no reminder demands it", str(todo.note))
        # a person sends anyway: only the other invoice is demanded
        first = self._reminders(self.customer)
        self.followup._run_for_partners(self.customer, mode=Mode.SEND_NOW, override=True)
        last = self._reminders(self.customer)[-1]
        self.assertNotEqual(last, first)
        sections = {line.move_id: line.section for line in last.line_ids}
        self.assertEqual(sections[self.invoice], "on_its_way")
        self.assertNotEqual(sections[other], "on_its_way")
        self.assertNotIn(self.invoice.name, last.overdue_totals or "")

    def test_a_colleague_at_the_customer_domain_gets_a_to_do_without_pause(self):
        self.customer.email = "accounts@listening.example"
        self._run()
        self._reply("We are checking this with our bank.", sender="jane@listening.example")
        reply = self._events(self.customer, channel="reply")
        self.assertEqual(reply.state, "done")
        self.assertIn("A colleague at the customer replied (jane@listening.example", reply.result)
        self.assertTrue(self._todos("reply", followup_partner_id=self.customer.id))
        self.customer.invalidate_recordset()
        self.assertFalse(self.customer.followup_reply_pause_until, "the pause stays with them")
        # a free mailbox provider is nobody's colleague
        self._reply("Hi", sender="someone@gmail.com")
        self.assertEqual(
            self._events(self.customer, channel="reply", state="blocked").mapped("result")[:1],
            ["A reply from someone@gmail.com, not an address of the customer: no pause"],
        )

    def test_record_as_a_promise_carries_the_written_amount_and_invoices(self):
        second = self._invoice(self.customer, 15, 3000.0)
        self._run()
        self._reply("We will pay on 15 December, $ 500.")
        reply = self._events(self.customer, channel="reply")
        self.assertEqual(reply.stated_amount, 500.0)
        action = reply.action_record_promise()
        form = Form(self.env[action["res_model"]].with_context(**action["context"]))
        self.assertEqual(form.amount, 500.0, "the amount the customer wrote")
        self.assertEqual(form.invoice_ids[:], self.invoice, "only the invoice it covers")
        promise = self.env["payment.followup.promise"].browse(
            form.save().action_confirm()["res_id"]
        )
        self.assertEqual(promise.amount, 500.0)
        self.assertNotIn(second, promise.invoice_ids)

    # ------------------------------------------------------------------
    # the reviewer sees what changed
    # ------------------------------------------------------------------
    def test_a_reply_after_preparation_blocks_a_silent_approval(self):
        self.policy.level_ids.write({"needs_review": True})
        self._run()
        reminder = self._reminders(self.customer, state="to_review")
        self.assertTrue(reminder, "it waits for review")
        self.assertFalse(reminder.news)
        # the customer's words arrive after it was prepared
        self.env["payment.followup.event"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "channel": "reply",
                "state": "done",
                "note": "We will pay on 15 December, $ 250.",
                "result": "The customer replied (listening.ltd@example.com)",
                "invoice_ids": [Command.set(self.invoice.ids)],
            }
        )
        reminder.invalidate_recordset()
        self.assertIn("> We will pay on 15 December, $ 250.", reminder.news)
        with self.assertRaisesRegex(UserError, "read what changed"):
            reminder.action_approve()
        self.assertEqual(reminder.state, "to_review", "nothing sent")
        reminder.action_read_news()
        reminder.invalidate_recordset()
        self.assertFalse(reminder.news_unread)
        reminder.action_approve()
        self.assertNotEqual(reminder.state, "to_review")

    def test_approving_many_reminders_reads_each_ones_news_at_once(self):
        """A list's *Approve and send* on several customers: the news are read
        for all in a few queries, each reminder with its own customer's only,
        a reply's blank lines kept in the quote."""
        self.policy.level_ids.write({"needs_review": True})
        quiet = self._customer("Quiet Ltd")
        self._invoice(quiet, 20)
        self._run()
        reminders = self._reminders(self.customer | quiet, state="to_review")
        self.assertEqual(len(reminders), 2)
        self.env["payment.followup.event"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "channel": "reply",
                "state": "done",
                "note": "Hello,\n\nwe pay on Friday.",
                "result": "The customer replied",
            }
        )
        self.env.invalidate_all()
        with self._recorded_sql() as statements:
            news = reminders._news_events()
        # the history read set-wise: its first lines, the news, their fields
        # (as many queries for 2 reminders as for 200)
        history = [q for q in statements if 'FROM "payment_followup_event"' in q]
        self.assertLessEqual(len(history), 3, history)
        loud = reminders.filtered(lambda r: r.partner_id == self.customer)
        self.assertEqual(len(news[loud]), 1)
        self.assertFalse(news[reminders - loud], "another customer's reply is not its news")
        self.assertIn("> Hello,\n>\n> we pay on Friday.", loud.news)
        with self.assertRaisesRegex(UserError, "read what changed"):
            reminders.action_approve()

    def test_a_we_paid_reply_about_another_invoice_holds_nothing(self):
        self._run()
        self._reply("We paid INV/2026/99999 to your sister company last week.")
        reply = self._events(self.customer, channel="reply")
        self.assertIn("They say it is paid", reply.result)
        self.assertFalse(reply.paid_move_ids, "nothing held on a guess")
