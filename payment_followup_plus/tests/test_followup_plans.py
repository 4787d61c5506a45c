from datetime import datetime, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupPlans(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "followup_plan_max_months": 12,
                "followup_plan_min_installment_pct": 5.0,
                "followup_plan_min_down_payment_pct": 0.0,
                "followup_plan_max_amount": 0.0,
                "followup_plan_steps": "10, 15",
                "followup_plan_remind_days": 3,
                "followup_plan_grace_days": 7,
            }
        )
        cls.responsible = cls._followup_user(
            cls.company, "carla", name="Collector Carla", email="carla@example.com"
        )
        cls.company.email = "accounts@example.com"
        cls.acme = cls._customer("Acme Plans", followup_responsible_id=cls.responsible.id)
        cls.inv_a = cls._invoice(cls.acme, 20, 100.0)
        cls.inv_b = cls._invoice(cls.acme, 40, 200.0)

    def _lines(self, plan):
        return [(ln.number, ln.due_date, ln.amount) for ln in plan.line_ids]

    # ------------------------------------------------------------------
    # wizard
    # ------------------------------------------------------------------
    def test_wizard_opens_from_customer_invoices_and_event(self):
        not_due = self._invoice(self.acme, -40, 50.0)
        from_customer = self._plan_wizard(self.acme)
        self.assertEqual(from_customer.partner_id, self.acme)
        # default: every overdue invoice, not the one due in 40 days
        self.assertEqual(from_customer.invoice_ids, self.inv_a | self.inv_b)
        self.assertEqual(from_customer.amount_owed, 300.0)
        self.assertNotIn(not_due, from_customer.invoice_ids)

        from_invoice = self._plan_wizard(self.inv_a)
        self.assertEqual(from_invoice.invoice_ids, self.inv_a)
        self.assertEqual(from_invoice.partner_id, self.acme)

        self._run()
        event = self._events(self.acme, channel="email")
        self.assertTrue(event)
        from_event = self._plan_wizard(event)
        self.assertEqual(from_event.event_id, event)
        self.assertEqual(from_event.invoice_ids, self.inv_a | self.inv_b)
        action = event.action_propose_plan()
        self.assertEqual(action["res_model"], "payment.followup.plan.wizard")

    def test_preview_shows_schedule_and_pay_a_bit_more(self):
        wizard = self._plan_wizard(
            self.acme,
            first_due_date=self.today + timedelta(days=7),
            frequency="monthly",
            installment_count=6,
        )
        self.assertFalse(wizard.error)
        self.assertFalse(wizard.approval_reason)
        html = str(wizard.preview_html)
        self.assertEqual(html.count("<tr"), 1 + 6 + 1 + 2)  # heads, 6 lines, 2 options
        self.assertIn("50.00", html)
        # +10: 60.00 a month -> 5 installments; +15: 65.00 -> 5 installments
        options = wizard._options()
        self.assertEqual([o.count for o in options], [5, 5])
        self.assertEqual([o.installments_saved for o in options], [1, 1])
        self.assertTrue(all(o.days_saved >= 28 for o in options))
        self.assertIn("60.00", html)
        self.assertIn("65.00", html)
        # choosing an option changes the schedule
        with Form(wizard) as form:
            form.extra = 10
        plan = self.env["payment.followup.plan"].browse(wizard.action_confirm()["res_id"])
        self.assertEqual([ln.amount for ln in plan.line_ids], [60.0] * 5)

    def test_pay_a_bit_more_only_when_it_really_ends_sooner(self):
        # 300.00 in 3: +10 and +15 give 110.00 or 115.00 a month, still 3
        # installments and the same last date: not offered. The smallest raise that
        # ends a month sooner is +50.00 (150.00 twice), and it says so.
        wizard = self._plan_wizard(self.acme, installment_count=3)
        options = wizard._options()
        self.assertEqual(
            [(o.extra, o.count, o.last_amount, o.smallest) for o in options],
            [(5000, 2, 15000, True)],
        )
        html = str(wizard.preview_html)
        self.assertNotIn("110.00", html)
        self.assertIn("150.00", html)
        self.assertIn("the smallest raise that saves an installment", html)
        self.assertIn("1 installment(s)", html)

    def test_a_bit_more_that_does_not_shorten_the_plan_says_so(self):
        # 300.00 in 3: 10.00 more a month still takes 3 installments
        wizard = self._plan_wizard(self.acme, installment_count=3, extra=10)
        self.assertEqual(
            wizard.extra_note,
            "Paying $\xa010.00 more per installment does not shorten the plan: still 3 "
            "installments. Raise each installment by $\xa050.00 to save one.",
        )
        wizard.extra = 50
        self.assertFalse(wizard.extra_note)
        self.assertEqual(len([ln for ln in wizard._schedule() if ln.number]), 2)

    def test_rounding_vectors_on_real_currencies(self):
        """DOMAIN.md vectors, stored in the currency's own rounding."""
        cases = [
            (self.company.currency_id, 100.00, 3, [33.33, 33.33, 33.34]),
            (self.company.currency_id, 99.99, 7, [14.28] * 6 + [14.31]),
            (self.setup_other_currency("JPY"), 1000, 3, [333, 333, 334]),
            (self.setup_other_currency("KWD"), 10.0, 3, [3.333, 3.333, 3.334]),
        ]
        for currency, total, count, expected in cases:
            with self.subTest(currency=currency.name, total=total):
                partner = self._customer(f"Rounding {currency.name} {total}")
                invoice = self._invoice(partner, 20, total, currency=currency)
                plan = self._plan(invoice, installment_count=count)
                self.assertEqual(plan.state, "active")
                self.assertEqual(plan.currency_id, currency)
                self.assertEqual([ln.amount for ln in plan.line_ids], expected)
                self.assertEqual(
                    currency.compare_amounts(sum(plan.line_ids.mapped("amount")), total), 0
                )

    def test_down_payment_and_amount_mode(self):
        plan = self._plan(
            self.acme,
            down_payment=50.0,
            mode="amount",
            installment_amount=80.0,
            frequency="weekly",
        )
        first = self.today + timedelta(days=7)
        # the down payment falls due before the first installment (today by default)
        self.assertEqual(
            self._lines(plan),
            [
                (0, self.today, 50.0),
                (1, first, 80.0),
                (2, first + timedelta(weeks=1), 80.0),
                (3, first + timedelta(weeks=2), 80.0),
                # the last installment is what is left
                (4, first + timedelta(weeks=3), 10.0),
            ],
        )
        self.assertEqual(plan.amount_total, 300.0)
        wizard = self._plan_wizard(
            self._invoice(self._customer("Down Co"), 20, 300.0),
            installment_count=3,
            down_payment=50.0,
            down_payment_date=first,
        )
        with self.assertRaisesRegex(UserError, "must fall due before the first installment"):
            wizard.action_confirm()

    # ------------------------------------------------------------------
    # guidelines and approval
    # ------------------------------------------------------------------
    def test_plan_starts_once_the_customer_agrees(self):
        plan = self._plan(self.acme, agree=False, installment_count=3)
        self.assertEqual(plan.state, "proposed")
        self.assertFalse((self.inv_a | self.inv_b).followup_plan_id)
        action = plan.action_record_agreement()
        wizard = Form(self.env[action["res_model"]].with_context(**action["context"]))
        wizard.method = "signed"
        wizard.agreed_by = "Paul Payer"
        wizard.save().action_confirm()
        self.assertRecordValues(
            plan, [{"state": "active", "agreement_method": "signed", "agreed_by": "Paul Payer"}]
        )
        self.assertTrue(plan.agreed_on)
        self.assertIn(plan.currency_id.format(plan.line_ids[0].amount), plan.agreed_schedule)
        # the printed agreement says when in the customer's time zone, named
        self.acme.tz = "Pacific/Auckland"
        plan.agreed_on = datetime(2026, 12, 7, 3, 22)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "payment_followup_plus.action_report_payment_plan", plan.ids
            )[0]
        )
        self.assertIn("Monday 7 December 2026, 16:22 (NZDT)", html)
        self.assertTrue(any("Paul Payer agreed" in r for r in plan.event_ids.mapped("result")))
        with self.assertRaisesRegex(UserError, "waiting for the customer's agreement"):
            plan._record_agreement("phone", "Someone")
        other = self._plan(self._invoice(self.acme, 10, 20.0), agree=False, installment_count=1)
        with self.assertRaisesRegex(UserError, "who agreed"):
            other._record_agreement("phone", "  ")
        self.assertEqual(other.state, "proposed")

    def test_plan_within_guidelines_starts_and_stops_normal_dunning(self):
        plan = self._plan(self.acme, installment_count=3)
        self.assertEqual(plan.state, "active")
        self.assertTrue(plan.name.startswith("PLAN/"))
        self.assertEqual((self.inv_a | self.inv_b).followup_plan_id, plan)
        self.assertTrue(any("agreed:" in r for r in plan.event_ids.mapped("result")))
        # the invoices' next follow-up is the plan's next installment
        self.assertEqual(self.inv_a.followup_next_date, plan.line_ids[0].due_date)
        self._pay(self.inv_b, 100.0)
        self.assertEqual(self.inv_a.followup_next_date, plan.line_ids[1].due_date)
        # the daily run leaves the plan's invoices to the plan
        self._run()
        self.assertFalse(self._mails(self.acme))
        self.assertFalse(
            self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        )
        # an invoice outside the plan is still followed up
        other = self._invoice(self.acme, 20, 70.0)
        self._run()
        event = self._events(self.acme, channel="email")
        self.assertEqual(event.reminder_invoice_ids, other)

    def test_plan_outside_guidelines_waits_for_a_manager(self):
        self.company.write({"followup_plan_max_months": 2, "followup_plan_max_amount": 250.0})
        plan = self._plan(self.acme, installment_count=6)
        self.assertEqual(plan.state, "to_approve")
        self.assertIn("2 months", plan.approval_reason)
        self.assertIn("more than", plan.approval_reason)
        self.assertFalse((self.inv_a | self.inv_b).followup_plan_id)
        review = plan.event_ids.filtered(lambda e: e.state == "to_review")
        self.assertTrue(review)
        with self.assertRaises(AccessError):
            plan.with_user(self.responsible).action_approve()
        self.assertEqual(plan.state, "to_approve")
        # who proposed a plan outside the guidelines does not approve it
        self.assertEqual(plan.proposed_by_id, self.env.user)
        with self.assertRaisesRegex(AccessError, "another follow-up manager"):
            plan.action_approve()
        manager = self._followup_user(self.company, "manager_plans", name="Manager Mia")
        manager.groups_id += self.env.ref("payment_followup_plus.group_followup_manager")
        plan.with_user(manager).action_approve()
        self.assertEqual(plan.state, "proposed", "approved: now the customer agrees")
        self.assertEqual(plan.approved_by_id, manager)
        self.assertEqual(review.state, "done")
        plan._record_agreement("email", "Paul Payer")
        self.assertEqual(plan.state, "active")

    def test_minimum_installment_and_down_payment_guidelines(self):
        self.company.write(
            {"followup_plan_min_installment_pct": 20.0, "followup_plan_min_down_payment_pct": 10.0}
        )
        wizard = self._plan_wizard(self.acme, installment_count=6, down_payment=10.0)
        self.assertIn("installments below 20", wizard.approval_reason)
        self.assertIn("down payment below 10", wizard.approval_reason)
        wizard.write({"installment_count": 4, "down_payment": 30.0})
        self.assertFalse(wizard.approval_reason)

    # ------------------------------------------------------------------
    # payments
    # ------------------------------------------------------------------
    def test_payments_go_to_installments_oldest_first(self):
        plan = self._plan(self.acme, installment_count=3)
        self._pay(self.inv_b, 130.0)
        self.assertEqual(plan.amount_paid, 130.0)
        self.assertEqual(plan.line_ids.mapped("amount_paid"), [100.0, 30.0, 0.0])
        self.assertEqual(plan.line_ids.mapped("state"), ["paid", "partial", "open"])
        self.assertEqual(plan.next_due_date, plan.line_ids[1].due_date)
        self.assertEqual(plan.next_due_amount, 70.0)

    # ------------------------------------------------------------------
    # daily watch
    # ------------------------------------------------------------------
    def test_watch_reminds_before_and_when_late_once(self):
        plan = self._plan(self.acme, installment_count=3)
        first = plan.line_ids[0]
        Plan = self.env["payment.followup.plan.watch"]
        Plan._cron_watch_plans(today=first.due_date - timedelta(days=4))
        self.assertFalse(first.reminder_date)
        Plan._cron_watch_plans(today=first.due_date - timedelta(days=3))
        mails = self.env["mail.mail"].search(
            [("model", "=", "payment.followup.plan.line"), ("res_id", "in", plan.line_ids.ids)]
        )
        self.assertEqual(len(mails), 1)
        self.assertIn("friendly reminder", mails.body_html)
        self.assertIn(self.acme.email, mails.recipient_ids.mapped("email"))
        # same day again: nothing new
        Plan._cron_watch_plans(today=first.due_date - timedelta(days=3))
        Plan._cron_watch_plans(today=first.due_date - timedelta(days=1))
        self.assertEqual(
            self.env["mail.mail"].search_count([("res_id", "in", plan.line_ids.ids)]), 1
        )
        # late: one reminder, once
        for _day in range(2):
            Plan._cron_watch_plans(today=first.due_date + timedelta(days=1))
        late = (
            self.env["mail.mail"].search(
                [("model", "=", "payment.followup.plan.line"), ("res_id", "=", first.id)]
            )
            - mails
        )
        self.assertEqual(len(late), 1)
        self.assertIn("not yet received", late.body_html)
        self.assertEqual(plan.state, "active")
        self.assertEqual(len(plan.event_ids.filtered(lambda e: e.channel == "email")), 2)

    def test_watch_breaks_plan_after_grace_and_escalates(self):
        plan = self._plan(self.acme, installment_count=3)
        self._run()  # nothing: the plan holds the invoices
        level_before = self.acme.followup_level_id
        first = plan.line_ids[0]
        watch = self.env["payment.followup.plan.watch"]
        watch._cron_watch_plans(today=first.due_date + timedelta(days=7))
        self.assertEqual(plan.state, "active")  # within the grace period
        day = first.due_date + timedelta(days=8)
        watch._cron_watch_plans(today=day)
        self.assertEqual(plan.state, "broken")
        self.assertEqual(plan.date_done, day)
        self.assertFalse((self.inv_a | self.inv_b).followup_plan_id)
        # back to normal follow-up at once, one level further than what was
        # delivered (nothing yet: the first level), never a skip
        self.assertFalse(level_before)
        self._send_queue()
        reminder = self._reminders(self.acme)
        self.assertRecordValues(
            reminder,
            [
                {
                    "level_id": self.levels[3].id,
                    "state": "delivered",
                    "override_reason": "Payment plan broken",
                }
            ],
        )
        self.assertEqual(self.acme.followup_level_id, self.levels[3])
        activity = self.env["mail.activity"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertEqual(activity.user_id, plan.user_id)
        self.assertIn("broken", activity.summary)
        self.assertEqual(self.acme.followup_plans_broken, 1)
        self.assertEqual(self.acme.followup_record, "poor")

    def test_watch_completes_paid_plan(self):
        plan = self._plan(self.acme, installment_count=2)
        self._pay(self.inv_a)
        self._pay(self.inv_b)
        self.env["payment.followup.plan.watch"]._cron_watch_plans(today=self.today)
        self.assertEqual(plan.state, "completed")
        self.assertIn("completed", plan.event_ids[0].result)
        self.assertEqual(self.acme.followup_plans_completed, 1)

    def test_agreement_pdf_and_mail(self):
        plan = self._plan(self.acme, installment_count=3)
        text = self._pdf_text("payment_followup_plus.action_report_payment_plan", plan)
        self.assertIn(plan.name, text)
        self.assertIn(self.acme.name, text)
        self.assertIn(self.inv_a.name, text)
        self.assertIn(self.inv_b.name, text)
        for line in plan.line_ids:
            self.assertIn(plan.currency_id.format(line.amount).replace("\xa0", " "), text)
        action = plan.action_send_agreement()
        composer = (
            self.env["mail.compose.message"]
            .with_context(**action["context"], force_report_rendering=True)
            .create({})
        )
        self.assertIn(plan.name, composer.subject)
        self.assertEqual(composer.attachment_ids.mapped("mimetype"), ["application/pdf"])
        self.assertTrue(composer.attachment_ids.raw.startswith(b"%PDF-"))
        composer._action_send_mail()
        self.assertIn(self.acme, plan.message_ids[0].partner_ids)

    # ------------------------------------------------------------------
    # bad input: refused with a clear message, nothing written
    # ------------------------------------------------------------------
    def test_bad_input_is_refused_and_nothing_written(self):
        other = self._customer("Other Co")
        other_invoice = self._invoice(other, 20, 10.0)
        paid = self._invoice(self.acme, 20, 30.0)
        self._pay(paid)
        cancelled = self._invoice(self.acme, 20, 40.0)
        cancelled.button_draft()
        cancelled.button_cancel()
        cases = {
            "negative down payment": ({"down_payment": -5.0}, "negative"),
            "down payment covers all": ({"down_payment": 300.0}, "covers the whole debt"),
            "zero installments": ({"installment_count": 0}, "at least one installment"),
            "negative installment amount": (
                {"mode": "amount", "installment_amount": -10.0},
                "more than zero",
            ),
            "zero installment amount": (
                {"mode": "amount", "installment_amount": 0.0},
                "more than zero",
            ),
            "first date in the past": (
                {"first_due_date": self.today - timedelta(days=1)},
                "in the past",
            ),
            "more installments than cents": ({"installment_count": 30001}, "smallest unit"),
        }
        Plan = self.env["payment.followup.plan"]
        for name, (vals, message) in cases.items():
            with self.subTest(name):
                wizard = self._plan_wizard(self.acme, **{"installment_count": 3, **vals})
                with self.assertRaisesRegex(UserError, message):
                    wizard.action_confirm()
                self.assertFalse(Plan.search([("partner_id", "=", self.acme.id)]))
        for name, invoices, message in [
            ("paid invoice", paid, "paid, cancelled"),
            ("cancelled invoice", cancelled, "paid, cancelled"),
        ]:
            with self.subTest(name):
                wizard = self._plan_wizard(self.inv_a, installment_count=3)
                wizard.invoice_ids = self.inv_a | invoices
                with self.assertRaisesRegex(ValidationError, message):
                    wizard.action_confirm()
                self.assertFalse(Plan.search([("partner_id", "=", self.acme.id)]))
        with self.subTest("invoices of two customers"):
            with self.assertRaisesRegex(UserError, "several customers"):
                self._plan_wizard(self.inv_a | other_invoice)
            wizard = self._plan_wizard(self.inv_a, installment_count=3)
            wizard.invoice_ids = self.inv_a | other_invoice
            with self.assertRaisesRegex(ValidationError, "same customer"):
                wizard.action_confirm()
        for name, vals, message in [
            ("text as down payment", {"down_payment": "ten"}, "Down Payment must be a number"),
            ("comma decimal", {"installment_amount": "1,5"}, "Each installment must be a number"),
            ("text as count", {"installment_count": "three"}, "Installments must be a number"),
            ("fraction as count", {"installment_count": 2.5}, "must be a whole number"),
            ("infinite amount", {"down_payment": float("inf")}, "must be a number"),
        ]:
            with self.subTest(name):
                with self.assertRaisesRegex(ValidationError, message):
                    self._plan_wizard(self.acme, **vals)
                wizard = self._plan_wizard(self.acme, installment_count=3)
                with self.assertRaisesRegex(ValidationError, message):
                    wizard.write(vals)
                self.assertEqual(wizard.installment_count, 3)
        with self.subTest("non-numeric steps in the settings"):
            with self.assertRaisesRegex(ValidationError, "positive amounts"):
                self.company.followup_plan_steps = "10, ten"
            with self.assertRaisesRegex(ValidationError, r"\(got nan\)"):
                self.company.followup_plan_steps = "10, nan"
        self.assertFalse(Plan.search([("partner_id", "=", self.acme.id)]))
        self.assertFalse((self.inv_a | self.inv_b).followup_plan_id)

    def test_invoices_of_two_companies_refused(self):
        company_b = self.setup_other_company(name="Plans B")["company"]
        acme_b = self._invoice(self.acme, 20, 10.0, company=company_b)
        with self.assertRaisesRegex(UserError, "several companies"):
            self._plan_wizard(self.inv_a | acme_b)
        with self.assertRaisesRegex(ValidationError, "several companies"):
            (self.inv_a | acme_b)._followup_check_plannable(self.acme)

    def test_invoice_under_an_active_plan_refused(self):
        self._plan(self.inv_a, installment_count=2)
        wizard = self._plan_wizard(self.inv_b, installment_count=2)
        wizard.invoice_ids = self.inv_a | self.inv_b
        with self.assertRaisesRegex(ValidationError, "already under plan"):
            wizard.action_confirm()

    def test_draft_plan_with_a_past_installment_is_not_agreed(self):
        plan = self.env["payment.followup.plan"].create(
            {
                "partner_id": self.acme.id,
                "currency_id": self.company.currency_id.id,
                "invoice_ids": [Command.set(self.inv_a.ids)],
                "amount_total": self.inv_a.amount_residual,
                "line_ids": [
                    Command.create(
                        {
                            "number": 1,
                            "due_date": self.today - timedelta(days=1),
                            "amount": self.inv_a.amount_residual,
                        }
                    )
                ],
            }
        )
        with self.assertRaisesRegex(UserError, "Installment 1 is due in the past"):
            plan.action_confirm()
        self.assertEqual(plan.state, "draft")
        self.assertFalse(self.inv_a.followup_plan_id)
        plan.line_ids.due_date = self.today + timedelta(days=3)
        plan.action_confirm()
        self.assertEqual(plan.state, "proposed")

    def test_active_plan_amounts_cannot_change(self):
        plan = self._plan(self.acme, installment_count=3)
        before = self._lines(plan)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.line_ids[0].amount = 1.0
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.line_ids[0].due_date = self.today + timedelta(days=400)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.amount_total = 10.0
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.line_ids[-1].unlink()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            plan.write({"line_ids": [Command.create({"due_date": self.today, "amount": 1.0})]})
        self.assertEqual(self._lines(plan), before)
        # a draft plan's installments must add up to the amount under the plan
        other = self._customer("Draft Co")
        # (each create in a savepoint, as the request's transaction would be rolled back)
        with self.assertRaisesRegex(ValidationError, "add up to"), self.env.cr.savepoint():
            self.env["payment.followup.plan"].create(
                {
                    "partner_id": other.id,
                    "currency_id": self.company.currency_id.id,
                    "invoice_ids": [Command.set(self._invoice(other, 20, 100.0).ids)],
                    "amount_total": 100.0,
                    "line_ids": [Command.create({"due_date": self.today, "amount": 99.0})],
                }
            )
        with (
            self.assertRaisesRegex(ValidationError, "Amount must be a number, not “abc”"),
            self.env.cr.savepoint(),
        ):
            self.env["payment.followup.plan"].create(
                {
                    "partner_id": other.id,
                    "currency_id": self.company.currency_id.id,
                    "amount_total": 100.0,
                    "line_ids": [Command.create({"due_date": self.today, "amount": "abc"})],
                }
            )
        self.assertFalse(self.env["payment.followup.plan"].search([("partner_id", "=", other.id)]))

    def test_cancel_returns_invoices_to_normal_follow_up(self):
        plan = self._plan(self.acme, installment_count=3)
        plan.action_cancel()
        self.assertEqual(plan.state, "cancelled")
        self.assertFalse((self.inv_a | self.inv_b).followup_plan_id)
        self._run()
        self.assertTrue(self._mails(self.acme))
        with self.assertRaisesRegex(UserError, "not ended"):
            plan.action_cancel()

    def test_watch_query_count_does_not_grow_with_plans(self):
        def make(n, tag):
            plans = self.env["payment.followup.plan"]
            for i in range(n):
                partner = self._customer(f"{tag} {i}")
                plans |= self._plan(self._invoice(partner, 20, 90.0), installment_count=3)
            return plans

        warm, one, twenty = make(2, "Warm plan"), make(1, "One plan"), make(20, "Twenty plans")
        day = warm[0].line_ids[0].due_date - timedelta(days=2)  # a reminder before each

        def watch(plans):
            self.env.flush_all()
            self.env.invalidate_all()
            self.env["payment.followup.plan.watch"].with_company(self.company)._watch(
                plans.with_company(self.company), day
            )
            self.env.flush_all()

        watch(warm[:1])  # compiles the template, fills the registry caches
        watch(warm[1:])
        for plans in (one, twenty):
            with self.assertQueryCount(26):
                watch(plans)
        self.assertTrue(
            all(twenty.line_ids.filtered(lambda ln: ln.number == 1).mapped("reminder_date"))
        )
        self.assertEqual(
            self.env["mail.mail"].search_count(
                [
                    ("model", "=", "payment.followup.plan.line"),
                    ("res_id", "in", twenty.line_ids.ids),
                ]
            ),
            20,
        )

    def test_plans_of_another_company_stay_hidden(self):
        company_b = self.setup_other_company(name="Plans hidden B")["company"]
        plan = self._plan(self.acme, installment_count=3)
        user_b = self._followup_user(company_b, "accountant_b_plans", name="Accountant B")
        for model in ("payment.followup.plan", "payment.followup.plan.line"):
            self.assertFalse(self.env[model].with_user(user_b).search([]), model)
        self.assertTrue(self.env["payment.followup.plan"].with_user(self.responsible).search([]))
        with self.assertRaises(AccessError):
            plan.with_user(user_b).read(["amount_total"])
