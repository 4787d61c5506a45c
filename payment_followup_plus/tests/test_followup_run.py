from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, freeze_time, tagged

from .common import PaymentFollowupCommon

# queries for one batch of customers, whatever its size (1 or 20 here);
# the payment record (promises, plans, lateness) takes three of them
QUERIES_PER_BATCH = 48


@tagged("post_install", "-at_install")
class TestFollowupRun(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls._customer(
            "Acme Direct", followup_style="direct", followup_formality="informal"
        )
        cls.inv_5 = cls._invoice(cls.acme, 5, 200.0)
        cls.inv_20 = cls._invoice(cls.acme, 20, 300.0)
        cls.inv_not_due = cls._invoice(cls.acme, -10, 50.0)

    def test_one_reminder_lists_all_overdue_invoices(self):
        self._run()
        mails = self._mails(self.acme)
        self.assertEqual(len(mails), 1)
        body = mails.body_html
        self.assertIn(self.inv_5.name, body)
        self.assertIn(self.inv_20.name, body)
        self.assertNotIn(self.inv_not_due.name, body)
        self.assertIn("/my/invoices/%s?access_token=" % self.inv_5.id, body)
        self.assertTrue(self.inv_5.access_token)
        # each invoice reaches its own level; the customer the highest one
        self.assertEqual(self.inv_5.followup_level_id, self.levels[3])
        self.assertEqual(self.inv_20.followup_level_id, self.levels[15])
        self.assertFalse(self.inv_not_due.followup_level_id)
        self.assertEqual(self.acme.with_company(self.company).followup_level_id, self.levels[15])
        self.assertEqual(self.inv_20.followup_last_date, self.today)
        self.assertEqual(
            self.inv_20.followup_next_date, self.inv_20.invoice_date_due + timedelta(days=30)
        )
        self.assertEqual(self.inv_5.followup_tier, 1)
        # firm wording, direct and informal, from the customer's profile
        self.assertIn("The invoices below are still unpaid after our earlier reminders", body)
        self.assertIn("Hello", body)
        self.assertIn("Overdue invoices: payment needed", mails.subject)
        self.assertEqual(mails.recipient_ids, self.acme)
        self.assertEqual(mails.state, "outgoing", "mails go through the mail queue")
        # the event: visible on the customer, the invoices and in the chatter
        event = self._events(self.acme)
        self.assertEqual(len(event), 1)
        self.assertRecordValues(
            event,
            [
                {
                    "channel": "email",
                    "state": "done",
                    "level_id": self.levels[15].id,
                    "tier": "1",
                    "tone": "direct_informal",
                    "severity": "firm",
                    "amount_overdue": 500.0,
                }
            ],
        )
        self.assertEqual(event.invoice_ids, self.inv_5 | self.inv_20)
        self.assertIn(event, self.inv_5.followup_event_ids)
        self.assertEqual(self.acme.followup_event_count, 1)
        self.assertIn(mails.mail_message_id, self.acme.message_ids)

    def test_same_day_rerun_sends_nothing_twice(self):
        self._run()
        self._run()
        self.followup._run_for_partners(self.acme)
        self.assertEqual(len(self._mails(self.acme)), 1)
        self.assertEqual(len(self._events(self.acme)), 1)

    def test_next_level_on_a_later_day(self):
        self._run()
        later = self.today + timedelta(days=11)  # inv_5 is then 16 days late: firm
        self.followup._run_company(self.company, today=later)
        self.assertEqual(len(self._mails(self.acme)), 2)
        self.assertEqual(self.inv_5.followup_level_id, self.levels[15])

    def test_minimum_gap_between_contacts(self):
        self.company.followup_min_gap_days = 15
        self._run()
        self.followup._run_company(self.company, today=self.today + timedelta(days=11))
        self.assertEqual(len(self._mails(self.acme)), 1, "the gap counts from the event's date")
        waiting = self._events(self.acme, state="blocked")
        self.assertIn("Contacted less than 15 days ago", waiting.result)
        self.assertEqual(waiting.level_id, self.levels[30])  # inv_20 is then 31 days late

    def test_no_reminder_for_paid_partly_paid_hold_hardship_opt_out(self):
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
        opted = self._customer("Opted Out Co", followup_opt_out=True)
        opted_inv = self._invoice(opted, 20)
        self._run()
        for partner in (paid, partly, held, hardship, opted):
            self.assertFalse(self._mails(partner), partner.name)
        self.assertFalse(self._events(paid | partly | held))
        # hardship: the history says why nothing went out, once per level
        held_back = self._events(hardship)
        self.assertRecordValues(held_back, [{"state": "blocked", "channel": "none"}])
        self.assertIn("Hardship", held_back.result)
        # opted out: the block is recorded with its reason, the level still moves
        blocked = self._events(opted)
        self.assertEqual(blocked.state, "blocked")
        self.assertIn("Opted out", blocked.result)
        self.assertEqual(opted_inv.followup_level_id, self.levels[15])
        # hardship: routed to a person, once
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", hardship.id)]
        )
        self.assertEqual(len(activities), 1)
        self._run()
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", hardship.id)]
            ),
            1,
        )
        self.assertEqual(len(self._events(hardship)), 1)

    def test_paid_after_selection_is_not_reminded(self):
        selected = self.followup._select_partner_ids(self.company, self.today)
        self.assertIn(self.acme.id, selected)
        self._pay(self.inv_5)
        self._pay(self.inv_20)
        self.followup._process_batch(
            self.company, self.env["res.partner"].browse(selected), self.today
        )
        self.assertFalse(self._mails(self.acme))
        self.assertFalse(self.inv_20.followup_level_id)

    def test_partly_paid_invoice_shows_its_residual(self):
        self._pay(self.inv_20, 120.0)
        self._run()
        body = self._mails(self.acme).body_html
        self.assertIn("180.00", body)
        self.assertIn("380.00", body)  # total: 200 + 180

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
        body = self._mails(partner).body_html
        self.assertIn("250.00", body)
        self.assertIn("€", body)

    def test_multi_company_isolation(self):
        company_2 = self.setup_other_company(name="Second Co")["company"]
        inv_2 = self._invoice(self.acme, 40, 999.0, company=company_2)
        self._run()
        mail = self._mails(self.acme)
        self.assertEqual(len(mail), 1)
        self.assertNotIn("/my/invoices/%s?" % inv_2.id, mail.body_html)
        self.assertNotIn("999.00", mail.body_html)
        self.assertFalse(inv_2.followup_level_id)
        self.assertEqual(self._events(self.acme).company_id, self.company)
        # the second company's run only sees its own invoice and its own ladder
        self._run(company=company_2)
        events_2 = self._events(self.acme).filtered(lambda e: e.company_id == company_2)
        self.assertEqual(events_2.invoice_ids, inv_2)
        self.assertEqual(inv_2.followup_level_id.policy_id, company_2.followup_policy_id)
        mail_2 = self._mails(self.acme).sorted("id")[-1]
        self.assertIn("/my/invoices/%s?" % inv_2.id, mail_2.body_html)
        self.assertNotIn("/my/invoices/%s?" % self.inv_20.id, mail_2.body_html)
        # a user of the first company does not see the second company's history
        user = self._followup_user(self.company)
        self.assertFalse(
            self.env["payment.followup.event"]
            .with_user(user)
            .search([("company_id", "=", company_2.id)])
        )

    def test_activities_letters_and_review(self):
        call = self._customer("Call Co")
        self._invoice(call, 31)
        senior = self._customer("Senior Co", followup_responsible_id=self.env.user.id)
        self._invoice(senior, 46)
        legal = self._customer("Legal Co")
        legal_inv = self._invoice(legal, 61)
        self._run()
        self.assertEqual(sorted(self._events(call).mapped("channel")), ["call", "email"])
        call_event = self._events(call, channel="call")
        self.assertTrue(call_event.calendar_event_id, "the call level books a meeting")
        self.assertEqual(call_event.activity_id.calendar_event_id, call_event.calendar_event_id)
        senior_events = self._events(senior)
        self.assertEqual(sorted(senior_events.mapped("channel")), ["activity", "email", "letter"])
        letter = senior_events.filtered(lambda e: e.channel == "letter")
        self.assertEqual(letter.state, "to_print")
        # the final notice waits for a person: nothing is sent yet
        review = self._events(legal)
        self.assertRecordValues(review, [{"channel": "review", "state": "to_review", "tier": "4"}])
        self.assertFalse(self._mails(legal))
        self.assertEqual(legal_inv.followup_level_id, self.levels[60])
        self._run()
        self.assertEqual(len(self._events(legal)), 1, "queued once, not every day")
        review.action_approve()
        self.assertEqual(review.state, "done")
        mail = self._mails(legal)
        self.assertEqual(len(mail), 1)
        self.assertIn("final notice", mail.body_html)
        with self.assertRaises(UserError):
            review.action_approve()
        # the letter prints (a real PDF) and is then marked done
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        action = letter.action_print_letter()
        self.assertEqual(action["report_name"], "payment_followup_plus.report_reminder_letter")
        self.assertEqual(letter.state, "done")
        text = self._pdf_text("payment_followup_plus.report_reminder_letter", letter)
        self.assertIn("Senior Co", text)
        self.assertIn(letter.invoice_ids.name, text)

    def test_legal_tier_needs_legal_advisor(self):
        legal = self._customer("Legal Co")
        self._invoice(legal, 61)
        self._run()
        review = self._events(legal)
        clerk = self._followup_user(self.company)
        with self.assertRaises(AccessError):
            review.with_user(clerk).action_approve()
        self.assertEqual(review.state, "to_review")
        clerk.groups_id += self.env.ref("payment_followup_plus.group_followup_legal")
        review.with_user(clerk).action_reject()
        self.assertEqual(review.state, "cancelled")

    def test_send_now_and_escalate(self):
        self._run()
        self.acme.action_followup_send_now()
        self.assertEqual(len(self._mails(self.acme)), 2, "send now re-sends the level reached")
        self.acme.action_followup_escalate()
        self.assertEqual(self.acme.with_company(self.company).followup_level_id, self.levels[30])
        self.assertEqual(self.inv_20.followup_level_id, self.levels[30])
        self.assertEqual(self.inv_5.followup_level_id, self.levels[30])
        self.assertTrue(self._events(self.acme, channel="call"))
        nobody = self._customer("Nothing Due")
        with self.assertRaises(UserError):
            nobody.action_followup_escalate()

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
        cron.method_direct_trigger()
        self.assertEqual(len(self._mails(self.acme)), 1)
        action = self.env["payment.followup.customer"].action_run_now()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(len(self._mails(self.acme)), 1)

    def test_customers_to_follow_up(self):
        self._run()
        row = self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(len(row), 1)
        self.assertRecordValues(
            row,
            [
                {
                    "amount_overdue": 500.0,
                    "invoice_count": 2,
                    "tier": "1",
                    "level_id": self.levels[15].id,
                    "oldest_due_date": self.inv_20.invoice_date_due,
                    "last_followup_date": self.today,
                }
            ],
        )
        self.assertEqual(row.next_action_date, self.inv_5.invoice_date_due + timedelta(days=15))
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

        def process(partners):
            self.env.flush_all()
            self.env.invalidate_all()
            self.followup._process_batch(self.company, partners, self.today)
            self.env.flush_all()

        # the first batches of a process compile templates and fill registry caches
        process(warm[0])
        process(warm[1:])
        for partners in (one, twenty):
            with self.assertQueryCount(QUERIES_PER_BATCH):
                process(partners)
        self.assertEqual(len(self._mails(twenty)), 20)
        self.assertEqual(len(self._events(twenty)), 20)
