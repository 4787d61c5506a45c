import calendar
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupCockpit(PaymentFollowupCommon):
    """The dashboard's figures on a small data set computed by hand:
    - Belgium (A and B): invoices in fixed months, for DSO, CEI and sales;
    - Germany (C): invoices relative to today, one per aging bucket."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Country = cls.env["res.country"]
        cls.be, cls.de = (
            Country.search([("code", "=", "BE")]),
            Country.search([("code", "=", "DE")]),
        )
        cls.boss = cls._followup_user(cls.company, login="cockpit_boss")
        cls.a = cls._customer(
            "Cockpit A", country_id=cls.be.id, followup_responsible_id=cls.boss.id
        )
        cls.b = cls._customer("Cockpit B", country_id=cls.be.id)
        cls.c = cls._customer("Cockpit C", country_id=cls.de.id)
        today = cls.today
        cls.m0 = today.replace(day=1)
        cls.m1 = (cls.m0 - timedelta(days=1)).replace(day=1)
        cls.m2 = (cls.m1 - timedelta(days=1)).replace(day=1)
        cls.a1 = cls._dated(cls.a, cls.m2 + timedelta(days=4), cls.m2 + timedelta(days=14), 1000.0)
        cls._pay(cls.a1, 400.0, cls.m1 + timedelta(days=9))
        cls.a2 = cls._dated(cls.a, cls.m1, cls.m1 + timedelta(days=9), 500.0)
        cls.b1 = cls._dated(cls.b, cls.m0, today + timedelta(days=30), 2000.0)
        cls.b2 = cls._dated(cls.b, cls.m1, cls.m1 + timedelta(days=19), 300.0)
        cls._pay(cls.b2, 300.0, cls.m1 + timedelta(days=24))
        # one invoice per bucket: not due, 1-30, 31-60, 90+
        cls.c1 = cls._dated(cls.c, today - timedelta(days=5), today + timedelta(days=10), 100.0)
        cls.c2 = cls._dated(cls.c, today - timedelta(days=40), today - timedelta(days=10), 50.0)
        cls.c3 = cls._dated(cls.c, today - timedelta(days=80), today - timedelta(days=45), 25.5)
        cls.c4 = cls._dated(cls.c, today - timedelta(days=150), today - timedelta(days=120), 24.5)

    @classmethod
    def _dated(cls, partner, date, due, amount):
        move = cls._invoice(partner, 0, amount, post=False)
        move.write({"invoice_date": date, "date": date, "invoice_date_due": due})
        move.action_post()
        return move

    def _dashboard(self, **filters):
        dash = self.env["payment.followup.dashboard"].create(filters)
        dash._refresh()
        return dash

    def test_aging_buckets_and_at_risk_share(self):
        dash = self._dashboard(country_id=self.de.id)
        self.assertEqual(
            [(b.bucket, b.amount, b.count) for b in dash.bucket_ids],
            [
                ("not_due", 100.0, 1),
                ("1_30", 50.0, 1),
                ("31_60", 25.5, 1),
                ("61_90", 0.0, 0),
                ("90_plus", 24.5, 1),
            ],
        )
        self.assertEqual((dash.receivables, dash.overdue, dash.at_risk), (200.0, 100.0, 24.5))
        # 24.50 of 200.00 = 12.25 % -> 12.3
        self.assertEqual(dash.at_risk_share, 12.3)

    def test_dso_cei_and_sales_by_month(self):
        dash = self._dashboard(country_id=self.be.id)
        months = {m.month: m for m in dash.month_ids}
        self.assertEqual(len(dash.month_ids), 13)
        # sales: M-2 1000, M-1 500 + 300, this month 2000
        self.assertEqual(
            [(months[m].sales, months[m].receivables) for m in (self.m2, self.m1, self.m0)],
            [(1000.0, 1000.0), (800.0, 1100.0), (2000.0, 3100.0)],
        )
        # CEI of last month: (1000 + 800 - 1100) / (1000 + 800 - 0) = 38.9 %
        self.assertEqual(months[self.m1].cei, 38.9)
        self.assertTrue(months[self.m1].cei_measured)
        self.assertEqual((dash.cei, dash.cei_measured), (38.9, True))
        # countback today: 3100 = this month's 2000 (days so far) + last month's
        # 800 (all its days) + 300 of the 1000 of the month before
        days_m1 = calendar.monthrange(self.m1.year, self.m1.month)[1]
        days_m2 = calendar.monthrange(self.m2.year, self.m2.month)[1]
        expected = round(self.today.day + days_m1 + 0.3 * days_m2 + 1e-9, 1)
        self.assertAlmostEqual(dash.dso, expected, places=1)
        # a month with nothing collectible says so rather than 0 %
        self.assertFalse(months[self.m0.replace(year=self.m0.year - 1)].cei_measured)
        # the chart draws both figures: a line for DSO, one for CEI, no made-up CEI
        action = dash.action_view_trend()
        self.assertEqual(action["res_model"], "payment.followup.dashboard.trend")
        points = self.env[action["res_model"]].search(action["domain"])
        by_figure = {
            figure: {p.month: p.value for p in points if p.figure == figure}
            for figure in ("dso", "cei")
        }
        self.assertEqual(by_figure["dso"][self.m0], dash.dso)
        self.assertEqual(by_figure["cei"][self.m1], 38.9)
        self.assertNotIn(self.m0.replace(year=self.m0.year - 1), by_figure["cei"])
        graph = self.env[action["res_model"]].get_view(view_type="graph")["arch"]
        self.assertIn('name="figure" type="col"', graph)
        self.assertIn('stacked="False"', graph)

    def test_filters_responsible_and_currency(self):
        dash = self._dashboard(responsible_id=self.boss.id)
        self.assertEqual(dash.receivables, 1100.0)  # A only: 600 + 500
        other = self.env.ref("base.EUR" if self.company.currency_id.name != "EUR" else "base.CHF")
        other.active = True
        dash.write({"responsible_id": False, "currency_id": other.id})
        dash._refresh()
        self.assertEqual(dash.receivables, 0.0)
        self.assertIn("nothing is open", dash.has_figures)

    def test_promises_kept_rate(self):
        Promise = self.env["payment.followup.promise"]
        for state in ("kept", "kept", "broken"):
            Promise.create(
                {
                    "partner_id": self.a.id,
                    "currency_id": self.company.currency_id.id,
                    "promised_date": self.today - timedelta(days=20),
                    "amount": 100.0,
                    "state": state,
                    "date_done": self.today - timedelta(days=10),
                    "invoice_ids": [Command.set(self.a2.ids)],
                }
            )
        dash = self._dashboard(country_id=self.be.id)
        self.assertEqual((dash.promises_kept, dash.promises_broken, dash.kept_rate), (2, 1, 66.7))
        self.assertEqual(self._dashboard(country_id=self.de.id).promises_kept, 0)

    def test_what_works_share_paid_after_contact(self):
        level = self.levels[min(self.levels)]
        reminder = self._delivered(self.c2 | self.c3, level, days_ago=20)
        for line in reminder.line_ids:
            line.amount_company = line.move_id.amount_residual_signed
        self.env["payment.followup.event"].create(
            {
                "partner_id": self.c.id,
                "company_id": self.company.id,
                "reminder_id": reminder.id,
                "level_id": level.id,
                "channel": "email",
                "tone": "direct_formal",
                "state": "done",
                "date": fields.Datetime.now() - timedelta(days=20),
            }
        )
        self.assertEqual(sum(reminder.line_ids.mapped("amount_company")), 75.5)
        # 50 paid 5 days after the email; 25.50 paid 10 days after it
        self._pay(self.c2, 50.0, self.today - timedelta(days=15))
        self._pay(self.c3, 25.5, self.today - timedelta(days=10))
        dash = self._dashboard(country_id=self.de.id)
        effect = dash.effect_ids.filtered(lambda e: e.channel == "email")
        self.assertEqual(
            (effect.level_id, effect.tone, effect.contacts), (level, "direct_formal", 1)
        )
        self.assertEqual(effect.amount, 75.5)
        # 7 days: 50 / 75.50 = 66.2 %; 14 days: 75.50 / 75.50
        self.assertEqual((effect.share_7, effect.share_14), (66.2, 100.0))
        self.assertTrue(effect.measured_7 and effect.measured_14)

    def test_disputes_open_late_and_settled(self):
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        wizard = (
            self.env["payment.followup.delay.wizard"]
            .with_context(active_model="account.move", active_ids=self.c2.ids)
            .create({"reason_id": dispute.id, "days": 10, "note": "Wrong quantity"})
        )
        wizard.action_confirm()
        event = self._events(self.c, delay_reason_id=dispute.id)
        case = event.dispute_id
        self.assertEqual(case.deadline, self.today + timedelta(days=10))
        self.assertEqual(event.activity_id.followup_kind, "dispute")
        dash = self._dashboard(country_id=self.de.id)
        self.assertEqual(
            (dash.disputes_open, dash.dispute_age, dash.disputes_settled, dash.disputes_late),
            (1, 0.0, 0, 0),
        )
        # past its deadline: one to-do for its owner (once) and a figure
        case.deadline = self.today - timedelta(days=1)
        Dispute = self.env["payment.followup.dispute"]
        self.assertEqual(Dispute._cron_deadlines(), case)
        self.assertFalse(Dispute._cron_deadlines(), "told once")
        todo = (
            self.env["mail.activity"]
            .search([("res_model", "=", case._name), ("res_id", "=", case.id)])
            .filtered(lambda a: "past its deadline" in a.summary)
        )
        self.assertEqual(len(todo), 1)
        dash._refresh()
        self.assertEqual(dash.disputes_late, 1)
        # a to-do done does not end a case: its outcome does
        event.activity_id.action_feedback(feedback="Looked at it")
        self.assertEqual(case.state, "open")
        with self.assertRaisesRegex(UserError, "Write what was agreed"):
            case.action_resolve()
        case.outcome_note = "We replaced the missing items."
        case.action_resolve()
        self.assertEqual((case.state, case.closed_on), ("resolved", self.today))
        self.assertEqual(event.dispute_closed_on, self.today)
        dash._refresh()
        self.assertEqual(
            (dash.disputes_open, dash.disputes_settled, dash.dispute_days, dash.disputes_late),
            (0, 1, 0.0, 0),
        )

    def test_dispute_settled_when_its_invoices_are_paid(self):
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        self.env["payment.followup.delay.wizard"].with_context(
            active_model="account.move", active_ids=self.c3.ids
        ).create({"reason_id": dispute.id, "days": 10}).action_confirm()
        event = self._events(self.c, delay_reason_id=dispute.id)
        self.assertFalse(self.env["payment.followup.dispute"]._close_paid())
        self._pay(self.c3)
        self.assertEqual(self.env["payment.followup.dispute"]._close_paid(), event.dispute_id)
        self.assertEqual(event.dispute_closed_on, self.today)
        self.assertEqual(event.dispute_id.state, "resolved")

    def test_expected_payment_and_forecast(self):
        Expected = self.env["payment.followup.expected"]
        Expected._refresh(self.company, self.c1 | self.b1)
        # no history for C or B: the due date
        self.assertEqual(self.c1.followup_expected_date, self.c1.invoice_date_due)
        self.assertEqual(self.c1.followup_expected_basis, "due")
        self.assertEqual(
            self.c1.followup_expected_why, "No payment history yet: expected on the due date"
        )
        # a promise covering it: its day
        promised = self.today + timedelta(days=20)
        self.env["payment.followup.promise"].create(
            {
                "partner_id": self.c.id,
                "currency_id": self.company.currency_id.id,
                "promised_date": promised,
                "amount": 100.0,
                "invoice_ids": [Command.set(self.c1.ids)],
            }
        )
        Expected._refresh(self.company)
        self.assertEqual(
            (self.c1.followup_expected_date, self.c1.followup_expected_basis),
            (promised, "promise"),
        )
        # the user's date format, not ISO (issue #22)
        self.assertIn(promised.strftime("%m/%d/%Y"), self.c1.followup_expected_why)
        # overdue with no history: expected today, and said to be late
        self.assertEqual(
            (self.c2.followup_expected_date, self.c2.followup_expected_late), (self.today, True)
        )
        dash = self._dashboard(country_id=self.de.id)
        weeks = {(w.week, w.series): w.amount for w in dash.week_ids}
        monday = self.today - timedelta(days=self.today.weekday())
        self.assertEqual(weeks[(monday, "late")], 100.0)  # 50 + 25.50 + 24.50
        promise_week = promised - timedelta(days=promised.weekday())
        self.assertEqual(weeks[(promise_week, "promise")], 100.0)
        self.assertEqual(dash.forecast_total, 200.0)
        self.assertEqual(len({w.week for w in dash.week_ids}), 13)

    def test_credits_not_applied_are_netted_before_the_forecast(self):
        """A customer whose open credit covers its overdue invoices expects no
        cash from them; a month of credit notes shows them apart (no
        negative sales); the dashboard says how credits were treated."""
        self.env["payment.followup.expected"]._refresh(self.company)
        before = self._dashboard(country_id=self.de.id)
        self.assertEqual(before.forecast_total, 200.0)
        self.assertFalse(before.credits_note)
        refund = self._refund(self.c, 150.0, days_ago=0)
        self.assertEqual(refund.amount_residual, 150.0)
        dash = self._dashboard(country_id=self.de.id)
        # 150 of credit offsets the earliest expected first: 100 of the late
        # ones (today) and 50 of the invoice expected on its due date
        self.assertEqual((dash.credits_open, dash.forecast_credits), (150.0, 150.0))
        self.assertEqual(dash.forecast_total, 50.0)
        weeks = {(w.week, w.series): w.amount for w in dash.week_ids}
        monday = self.today - timedelta(days=self.today.weekday())
        self.assertEqual(weeks.get((monday, "late"), 0.0), 0.0)
        self.assertIn("$ 150.00 of credits not applied", dash.credits_note.replace("\xa0", " "))
        self.assertIn("the cash forecast is net of them", dash.credits_note)
        # the aging still counts the invoices themselves
        self.assertEqual(dash.receivables, 200.0)
        # another customer's credit does not touch this forecast
        self.assertEqual(self._dashboard(country_id=self.be.id).forecast_credits, 0.0)
        # by month: the credit note apart, sales not made negative by it
        month = {m.month: m for m in dash.month_ids}[self.today.replace(day=1)]
        self.assertEqual((month.credit_notes, month.sales >= 0), (150.0, True))
        # DSO and CEI on the invoices: a credit not applied does not make the
        # open invoices look collected (it is shown apart)
        self.assertEqual((dash.dso, dash.cei), (before.dso, before.cei))
        self.assertEqual(
            month.receivables,
            {m.month: m for m in before.month_ids}[self.today.replace(day=1)].receivables,
        )

    def test_my_followups_today(self):
        Todo = self.env["payment.followup.todo"]
        self.env["payment.followup.delay.wizard"].with_context(
            active_model="account.move", active_ids=self.c2.ids
        ).create(
            {"reason_id": self.env.ref("payment_followup_plus.delay_reason_dispute").id, "days": 2}
        ).action_confirm()
        level = self.levels[min(self.levels)]
        review = self._delivered(self.a2, level, days_ago=0)
        review.write({"state": "to_review", "user_id": self.boss.id})
        rows = Todo.search([("partner_id", "in", (self.a | self.c).ids)])
        by_kind = {row.kind: row for row in rows}
        self.assertEqual(by_kind["review"].user_id, self.boss)
        self.assertEqual(by_kind["review"].amount_at_risk, 1100.0)  # A's overdue: 600 + 500
        dispute = by_kind["dispute"]
        self.assertEqual(dispute.amount_at_risk, 100.0)  # C's overdue: 50 + 25.50 + 24.50
        self.assertEqual(dispute.res_model, "payment.followup.dispute")
        # largest amount at risk first
        self.assertEqual(rows[0].kind, "review")
        action = by_kind["review"].action_open()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("payment.followup.reminder", review.id)
        )
        mine = Todo.with_user(self.boss).search([("user_id", "=", self.boss.id)])
        self.assertIn("review", mine.mapped("kind"))

    def test_legal_cases_listed_for_the_legal_advisors_only(self):
        self.env["payment.followup.legal.case"].create(
            {
                "partner_id": self.c.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "invoice_ids": [Command.set(self.c4.ids)],
                "user_id": self.boss.id,
            }
        )
        Todo = self.env["payment.followup.todo"]
        domain = [("partner_id", "=", self.c.id), ("kind", "=", "legal")]
        self.assertEqual(Todo.search_count(domain), 1)
        self.assertEqual(Todo.with_user(self.boss).search_count(domain), 0)
        self.boss.groups_id = [
            Command.link(self.env.ref("payment_followup_plus.group_followup_legal").id)
        ]
        self.assertEqual(Todo.with_user(self.boss).search_count(domain), 1)

    def test_dashboard_is_personal_and_guarded(self):
        action = self.env["payment.followup.dashboard"].action_open_dashboard()
        mine = self.env["payment.followup.dashboard"].browse(action["res_id"])
        self.assertTrue(mine.computed_at)
        self.assertEqual(
            self.env["payment.followup.dashboard"].action_open_dashboard()["res_id"], mine.id
        )
        Dash = self.env["payment.followup.dashboard"].with_user(self.boss)
        self.assertFalse(Dash.search([("id", "=", mine.id)]))
        with self.assertRaises(AccessError):
            mine.with_user(self.boss).read(["receivables"])
        outsider = self.env["res.users"].create(
            {
                "name": "No follow-up",
                "login": "cockpit_outsider",
                "groups_id": [Command.set(self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["payment.followup.dashboard"].with_user(outsider).action_open_dashboard()
        with self.assertRaises(AccessError):
            self.env["payment.followup.todo"].with_user(outsider).search([])

    def test_statement_of_account_pdf(self):
        self._pay(self.c4, 10.0, self.today - timedelta(days=3))
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.c.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Goodwill", "price_unit": 20.0, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        refund.action_post()
        text = self._pdf_text("payment_followup_plus.action_report_statement", self.c)
        self.assertIn("Statement of account", text)
        for move in self.c1 | self.c2 | self.c3 | self.c4 | refund:
            self.assertIn(move.name, text)
        self.assertIn("(credit note)", text)
        # balance: 100 + 50 + 25.50 + 14.50 - 20 = 170.00
        self.assertIn("170.00", text)
        self.assertIn("Payments received since", text)
        self.assertIn("10.00", text)
