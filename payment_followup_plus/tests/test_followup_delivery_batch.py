from pathlib import Path
from unittest.mock import patch

from odoo.tests import tagged

from .test_followup_listens import ListensCommon


@tagged("post_install", "-at_install")
class TestFollowupDeliveryBatch(ListensCommon):
    """The mail queue only notes what it did to reminder emails; one set-wise
    step per queue batch records it. Real mails to the demo's local SMTP sink."""

    def _customers(self, tag, count=3):
        customers = self.env["res.partner"]
        for i in range(count):
            customer = self._customer(f"{tag} {i}")
            self._invoice(customer, 20, 100.0 + i)
            customers |= customer
        return customers

    def _state(self, customers):
        """Every stored row the delivery writes, per customer in order, with
        the customer's own names taken out."""
        rows = []
        for customer in customers:
            reminder = self._reminders(customer)
            events = reminder.event_ids.sorted("id")
            todos = self.env["mail.activity"].search(
                [("followup_partner_id", "=", customer.id)], order="id"
            )
            rows.append(
                (
                    reminder.state,
                    bool(reminder.delivered_date),
                    tuple((e.channel, e.state, e.delivery_state, e.failure_side) for e in events),
                    tuple(reminder.line_ids.move_id.mapped("followup_level_id.id")),
                    customer.followup_email_failing,
                    tuple(todos.mapped("followup_kind")),
                )
            )
        return rows

    def _scenario(self, customers, one_by_one):
        """The first customer's email is sent, the second refused, the third
        refused and then retried and accepted."""
        tmp = Path(self.env["ir.attachment"]._filestore()) / f"sink-batch-{one_by_one}"
        refused = [customers[1].email, customers[2].email]
        self.followup._run_for_partners(customers)
        mails = self._reminders(customers).mail_id
        with self._real_smtp(tmp, refuse=refused):
            for group in mails if one_by_one else [mails]:
                group.send()
        retry = self._reminders(customers[2]).mail_id
        retry.action_retry()
        with self._real_smtp(tmp):
            retry.send()

    def test_a_queue_batch_records_what_one_by_one_records(self):
        alone, together = self._customers("Alone"), self._customers("Together")
        self._scenario(alone, one_by_one=True)
        self._scenario(together, one_by_one=False)
        expected = self._state(alone)
        self.assertEqual(self._state(together), expected)
        self.assertEqual([row[0] for row in expected], ["delivered", "pending", "delivered"])
        self.assertEqual(self.env["payment.followup.mail.outcome"].search_count([]), 0)

    def test_a_crash_between_the_queue_and_the_record_loses_nothing(self):
        customers = self._customers("Crash", 2)
        self.followup._run_for_partners(customers)
        mails = self._reminders(customers).mail_id
        Outcome = type(self.env["payment.followup.mail.outcome"])
        tmp = Path(self.env["ir.attachment"]._filestore()) / "sink-crash"
        with patch.object(Outcome, "_apply", lambda self, limit=5000: 0):
            with self._real_smtp(tmp) as sink:
                mails.send()
        self.assertEqual(len(sink.received), 2, "the server accepted both")
        self.assertEqual(set(self._reminders(customers).mapped("state")), {"pending"})
        self.assertEqual(self.env["payment.followup.mail.outcome"].search_count([]), 2)
        # the next step (the next queue batch, or the next follow-up run) records them
        self.followup.sudo()._cron_run_followup()
        self.assertEqual(set(self._reminders(customers).mapped("state")), {"delivered"})
        self.assertEqual(self.env["payment.followup.mail.outcome"].search_count([]), 0)
        events = self._events(customers, channel="email")
        self.assertEqual(set(events.mapped("delivery_state")), {"delivered"})
        self.assertEqual(len(self._reminders(customers)), 2, "nothing sent twice")

    def test_the_queue_notes_only_reminder_emails(self):
        other = self.env["mail.mail"].create(
            {"email_to": "someone@example.com", "subject": "Not a reminder", "body_html": "x"}
        )
        other.send()
        self.assertEqual(self.env["payment.followup.mail.outcome"].search_count([]), 0)
        self._run(send_mails=False)
        mail = self._reminders(self.customer).mail_id
        self.assertTrue(mail.followup_reminder)
