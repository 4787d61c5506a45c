from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import PaymentFollowupCommon

# queries for one batch of customers, whatever its size (1 or 20 here)
QUERIES_PER_BATCH = 44


@tagged("post_install", "-at_install")
class TestFollowupRun(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls._customer(
            "Acme Direct", followup_style="direct", followup_formality="informal"
        )
        cls.inv_5 = cls._invoice(cls.acme, 5, 200.0)
        cls.inv_65 = cls._invoice(cls.acme, 65, 300.0)
        cls.inv_not_due = cls._invoice(cls.acme, -10, 50.0)

    def _run_on(self, days_later, **kwargs):
        return self._run(today=self.today + timedelta(days=days_later), **kwargs)

    def test_first_contact_is_the_first_level_and_lists_every_overdue_invoice(self):
        self._run()
        mail = self._mails(self.acme)
        self.assertEqual(len(mail), 1)
        text = self._text(mail.body_html)
        # 65 days late but never contacted: the friendly reminder, not a final notice
        reminder = self._reminders(self.acme)
        self.assertRecordValues(
            reminder,
            [
                {
                    "level_id": self.levels[3].id,
                    "severity": "friendly",
                    "tone": "direct_informal",
                    "state": "delivered",
                    "previous_date": False,
                    "amount_overdue": 500.0,
                }
            ],
        )
        self.assertEqual(mail.subject, "Payment reminder - %s" % self.company.name)
        self.assertIn("The invoices below are now overdue.", text)
        self.assertIn("in the next 7 days", text)
        self.assertNotIn("Despite", text)
        self.assertNotIn("earlier", text)
        self.assertIn("Hello,", text)
        self.assertIn(self.inv_5.name, text)
        self.assertIn(self.inv_65.name, text)
        self.assertNotIn(self.inv_not_due.name, text, "due in 10 days: not mentioned yet")
        self.assertEqual(mail.recipient_ids, self.acme)
        self.assertEqual(mail.state, "sent", "sent by the mail queue")
        self.assertIn(mail.mail_message_id, self.acme.message_ids)
        # delivered: each invoice is now at the first level, reminded today
        self.assertEqual((self.inv_5 | self.inv_65).followup_level_id, self.levels[3])
        self.assertEqual(self.inv_65.followup_last_date, self.today)
        self.assertFalse(self.inv_not_due.followup_level_id)
        # the history: one event, pointing at the reminder
        event = self._events(self.acme)
        self.assertRecordValues(
            event, [{"channel": "email", "state": "done", "reminder_id": reminder.id}]
        )
        self.assertEqual(event.reminder_invoice_ids, self.inv_5 | self.inv_65)
        self.assertIn(event, self.inv_5.followup_event_ids)
        self.assertEqual(event.mail_body, mail.mail_message_id.body)

    def test_one_level_per_delivered_reminder_after_the_time_it_gave(self):
        self._run()
        # the friendly reminder gave 7 days: nothing before they are over
        self._run_on(3)
        self.assertEqual(len(self._reminders(self.acme)), 1)
        waiting = self._events(self.acme, state="blocked")
        self.assertIn("next reminder may go out on", waiting.result)
        self._run_on(7)
        firm = self._reminders(self.acme)[-1]
        self.assertEqual(firm.level_id, self.levels[15])
        self.assertEqual(firm.previous_date, self.today)
        text = self._text(self._mails(self.acme)[-1].body_html)
        self.assertIn("We wrote to you about the invoices below on", text)
        # the 12-day-old invoice is listed, but its age only allows the friendly level
        lines = {line.move_id: line for line in firm.line_ids}
        self.assertEqual(lines[self.inv_65].section, "main")
        self.assertEqual(lines[self.inv_5].section, "overdue")
        self.assertFalse(lines[self.inv_5].level_id)
        # the invoice due in 3 days is now mentioned, under its own heading
        self.assertEqual(lines[self.inv_not_due].section, "due_soon")
        self.assertIn("These invoices are due soon:", text)
        self.assertIn("Due soon:", text)
        # one step at a time up to the final notice, which waits for a person
        self._run_on(14)
        self._run_on(21)
        self._run_on(28)
        levels = self._reminders(self.acme).mapped("level_id.days")
        self.assertEqual(levels, [3, 15, 30, 45, 60])
        final = self._reminders(self.acme)[-1]
        self.assertEqual(final.state, "to_review")
        self.assertEqual(self.inv_65.followup_level_id, self.levels[45], "not delivered yet")

    def test_opted_out_of_email_is_written_to_on_paper(self):
        opted = self._customer("Paper Only Co", followup_opt_out=True)
        inv = self._invoice(opted, 20)
        self._run()
        self.assertFalse(self._mails(opted))
        event = self._events(opted)
        self.assertEqual((event.channel, event.state), ("letter", "to_print"))
        self.assertEqual(self._reminders(opted).state, "pending")
        self.assertFalse(inv.followup_level_id, "delivered once printed")

    def test_blocked_rejected_and_waiting_never_count_as_delivered(self):
        opted = self._customer("Opted Out Co", followup_opt_out=True, followup_opt_out_letter=True)
        inv = self._invoice(opted, 20)
        self._run()
        blocked = self._reminders(opted)
        self.assertEqual(blocked.state, "blocked")
        self.assertIn("No printed letters", self._events(opted).result)
        self.assertFalse(inv.followup_level_id)
        self.assertFalse(inv.followup_last_date)
        # not tried again every day while nothing changed for the customer
        self._run_on(1)
        self.assertEqual(len(self._reminders(opted)), 1)
        # once the customer opts back in, the first level goes out (no skip)
        opted.followup_opt_out = False
        self._run_on(2)
        self.assertEqual(self._reminders(opted)[-1].state, "delivered")
        self.assertEqual(inv.followup_level_id, self.levels[3])
        # a reminder waiting for review: its level is not reached, nothing new is
        # prepared meanwhile, and a rejection is not proposed again by itself
        self.levels[15].needs_review = True
        self._run_on(9)
        review = self._reminders(opted)[-1]
        self.assertEqual(review.state, "to_review")
        self.assertEqual(inv.followup_level_id, self.levels[3])
        self._run_on(10)
        self.assertEqual(len(self._reminders(opted)), 3)
        review.action_reject()
        self.assertEqual(review.state, "rejected")
        self._run_on(11)
        self.assertEqual(len(self._reminders(opted)), 3)
        self.assertEqual(inv.followup_level_id, self.levels[3])

    def test_same_day_rerun_sends_nothing_twice(self):
        self._run()
        self._run()
        self.followup._run_for_partners(self.acme, now=self.followup._now_for(self.today))
        self.assertEqual(len(self._mails(self.acme)), 1)
        self.assertEqual(len(self._reminders(self.acme)), 1)

    def test_no_reminder_for_paid_partly_paid_hold_hardship(self):
        paid = self._customer("Paid Co")
        self._pay(self._invoice(paid, 20, 100.0))
        partly = self._customer("Almost Paid Co")
        inv = self._invoice(partly, 20, 100.0)
        self._pay(inv, 99.5)  # 0.50 left, tolerance is 1.00
        self.assertEqual(inv.payment_state, "partial")
        held = self._customer("Held Co")
        self._invoice(held, 20).write(
            {"followup_hold_until": self.today, "followup_hold_reason": "Dispute"}
        )
        hardship = self._customer("Hardship Co", followup_hardship=True)
        self._invoice(hardship, 20)
        self._run()
        for partner in (paid, partly, held, hardship):
            self.assertFalse(self._mails(partner), partner.name)
            self.assertFalse(self._reminders(partner), partner.name)
        self.assertFalse(self._events(paid | partly | held))
        # hardship: the history says why nothing went out, once per level
        held_back = self._events(hardship)
        self.assertRecordValues(held_back, [{"state": "blocked", "channel": "none"}])
        self.assertIn("Hardship", held_back.result)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", hardship.id)]
        )
        self.assertEqual(len(activities), 1)
        self._run()
        self.assertEqual(len(self._events(hardship)), 1)
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", hardship.id)]
            ),
            1,
        )

    def test_paid_after_selection_is_not_reminded(self):
        now = self.followup._now_for(self.today)
        selected = self.env["payment.followup.decision"]._select_partner_ids(self.company, now)
        self.assertIn(self.acme.id, selected)
        self._pay(self.inv_5)
        self._pay(self.inv_65)
        self.followup._process_batch(self.company, self.env["res.partner"].browse(selected), now)
        self.assertFalse(self._mails(self.acme))
        self.assertFalse(self.inv_65.followup_level_id)

    def test_partly_paid_invoice_shows_its_residual(self):
        self._pay(self.inv_65, 120.0)
        self._run()
        text = self._text(self._mails(self.acme).body_html)
        self.assertIn("180.00", text)
        self.assertIn("380.00", text)  # total: 200 + 180

    def test_interrupted_run_resumes_without_duplicates(self):
        others = [self._customer(f"Batch {i}") for i in range(3)]
        for partner in others:
            self._invoice(partner, 10)
        everyone = self.acme.browse([p.id for p in others]) | self.acme
        handled = self._run(batch_size=1, max_batches=2)  # stopped after two batches
        self.assertEqual(handled, 2)
        self.assertEqual(len(self._mails(everyone)), 2)
        self._run(batch_size=1)
        mails = self._mails(everyone)
        self.assertEqual(len(mails), 4)
        self.assertEqual(set(mails.mapped("res_id")), set(everyone.ids))

    def test_foreign_currency_residual(self):
        eur = self.setup_other_currency("EUR")
        partner = self._customer("Euro Co")
        self._invoice(partner, 10, 250.0, currency=eur)
        self._run()
        text = self._text(self._mails(partner).body_html)
        self.assertIn("250.00", text)
        self.assertIn("€", text)

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company(name="Second Co")["company"]
        company_2.email = "accounts@second.example.com"
        inv_2 = self._invoice(self.acme, 40, 999.0, company=company_2)
        self._run()
        mail = self._mails(self.acme)
        self.assertEqual(len(mail), 1)
        self.assertNotIn(inv_2, self._reminders(self.acme).invoice_ids)
        self.assertNotIn("999.00", mail.body_html)
        self.assertFalse(inv_2.followup_level_id)
        self.assertEqual(self._reminders(self.acme).company_id, self.company)
        # the second company's run only sees its own invoice and its own ladder
        self._run(company=company_2)
        reminder_2 = self._reminders(self.acme).filtered(lambda r: r.company_id == company_2)
        self.assertEqual(reminder_2.invoice_ids, inv_2)
        self.assertEqual(inv_2.followup_level_id.policy_id, company_2.followup_policy_id)
        # a user of the first company does not see the second company's history
        user = self._followup_user(self.company)
        for model in ("payment.followup.event", "payment.followup.reminder"):
            self.assertFalse(
                self.env[model].with_user(user).search([("company_id", "=", company_2.id)])
            )

    def test_channels_of_each_level(self):
        call = self._customer("Call Co")
        self._delivered(self._invoice(call, 31), self.levels[15])
        senior = self._customer("Senior Co", followup_responsible_id=self.env.user.id)
        self._delivered(self._invoice(senior, 46), self.levels[30])
        legal = self._customer("Legal Co")
        legal_inv = self._invoice(legal, 61)
        self._delivered(legal_inv, self.levels[45])
        self._run()
        self.assertEqual(sorted(self._events(call).mapped("channel")), ["call", "email"])
        call_event = self._events(call, channel="call")
        meeting = call_event.calendar_event_id
        self.assertTrue(meeting, "the call level books a meeting")
        self.assertEqual(len(meeting.activity_ids), 1, "one activity per booking")
        # the email says when the call is, in the customer's time
        text = self._text(self._mails(call).body_html)
        self.assertIn("We have scheduled a call with you on", text)
        senior_events = self._events(senior)
        self.assertEqual(sorted(senior_events.mapped("channel")), ["activity", "email", "letter"])
        letter = senior_events.filtered(lambda e: e.channel == "letter")
        self.assertEqual(letter.state, "to_print")
        # the final notice waits for a person: nothing is sent, the level waits
        reminder = self._reminders(legal)[-1]
        self.assertRecordValues(reminder, [{"state": "to_review", "tier": "4"}])
        self.assertFalse(self._mails(legal))
        self.assertEqual(legal_inv.followup_level_id, self.levels[45])
        self._run()
        self.assertEqual(len(self._reminders(legal)), 2, "queued once, not every day")
        reminder.action_approve()
        self.assertEqual(reminder.state, "pending", "its email waits in the mail queue")
        self._send_queue()
        self.assertEqual(reminder.state, "delivered")
        self.assertEqual(legal_inv.followup_level_id, self.levels[60])
        self.assertIn("This is our final notice.", self._text(self._mails(legal).body_html))
        with self.assertRaises(UserError):
            reminder.action_approve()

    def test_legal_tier_needs_legal_advisor(self):
        legal = self._customer("Legal Co")
        self._delivered(self._invoice(legal, 61), self.levels[45])
        self._run()
        reminder = self._reminders(legal)[-1]
        clerk = self._followup_user(self.company)
        with self.assertRaises(AccessError):
            reminder.with_user(clerk).action_approve()
        self.assertEqual(reminder.state, "to_review")
        clerk.groups_id += self.env.ref("payment_followup_plus.group_followup_legal")
        reminder.with_user(clerk).action_reject()
        self.assertEqual(reminder.state, "rejected")

    def test_pause_wizard(self):
        action = self.acme.action_followup_pause()
        self.assertEqual(action["res_model"], "payment.followup.pause")
        with self.assertRaises(ValidationError):
            self.env["payment.followup.pause"].create(
                {"partner_ids": self.acme.ids, "date_until": self.today, "reason": "x"}
            )
        self.assertFalse(self.acme.followup_paused_until)
        form = Form(self.env["payment.followup.pause"].with_context(**action["context"]))
        form.date_until = self.today + timedelta(days=10)
        form.reason = "Budget approval"
        form.save().action_confirm()
        self.assertEqual(self.acme.followup_paused_until, self.today + timedelta(days=10))
        # the invoices' next follow-up waits for the end of the pause
        self.assertEqual(self.inv_65.followup_next_date, self.today + timedelta(days=11))
        self._run()
        self.assertFalse(self._mails(self.acme))
        results = self._events(self.acme).mapped("result")
        self.assertTrue(any("Budget approval" in r for r in results), results)
        self.assertTrue(any("paused until" in r for r in results), results)
        self._run()
        self.assertEqual(len(self._events(self.acme)), 2, "the block is recorded once")

    def test_cron_and_run_now_button(self):
        cron = self.env.ref("payment_followup_plus.ir_cron_payment_followup")
        self.assertTrue(cron.active)
        self.followup._run_company(self.company, today=self.today)
        self.assertEqual(len(self._mails(self.acme)), 1)
        # the button starts the cron in the background instead of running a whole
        # company inside one web request
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        action = self.env["payment.followup.customer"].action_run_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("started in the background", action["params"]["message"])
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        self.assertEqual(len(self._mails(self.acme)), 1)

    def test_customers_to_follow_up_shows_what_the_reminder_says(self):
        due_today = self._invoice(self.acme, 0, 1000.0)
        self._run()
        row = self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        reminder = self._reminders(self.acme)
        # due today is not overdue: neither in the list nor in the reminder's total
        self.assertEqual(row.amount_overdue, 500.0)
        self.assertEqual(reminder.amount_overdue, row.amount_overdue)
        self.assertIn("Total overdue: $ 500.00", self._text(self._mails(self.acme).body_html))
        self.assertIn("Due soon: $ 1,000.00", self._text(self._mails(self.acme).body_html))
        self.assertEqual(
            reminder.line_ids.filtered(lambda ln: ln.move_id == due_today).section, "due_soon"
        )
        self.assertRecordValues(
            row,
            [
                {
                    "invoice_count": 2,
                    "tier": "1",
                    "level_id": self.levels[3].id,
                    "oldest_due_date": self.inv_65.invoice_date_due,
                    "last_followup_date": self.today,
                }
            ],
        )
        self.assertEqual(row.next_action_date, self.today + timedelta(days=7))
        self.assertEqual(row.action_open_partner()["res_id"], self.acme.id)

    @freeze_time("2026-11-24 12:00:00")  # midday: no quiet-hours hold in this count
    def test_query_count_does_not_grow_with_batch(self):
        def make(n, tag):
            partners = self.env["res.partner"]
            for i in range(n):
                partner = self._customer(f"{tag} {i}")
                self._invoice(partner, 5)
                self._invoice(partner, 20)
                partners |= partner
            return partners

        warm, one, twenty = make(3, "Warm-up"), make(1, "Single"), make(20, "Twenty")
        now = self.followup._now_for(self.today)

        def process(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            self.followup._process_batch(self.company, partners, now)
            self.env.flush_all()

        # the first batches of a process compile templates and fill registry caches
        process(warm[0])
        process(warm[1:])
        for partners in (one, twenty):
            with self.assertQueryCount(QUERIES_PER_BATCH):
                process(partners)
        self.assertEqual(len(self._mails(twenty)), 20)
        self.assertEqual(len(self._reminders(twenty)), 20)
