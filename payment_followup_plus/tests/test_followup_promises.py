from datetime import UTC, datetime, time, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupPromises(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.followup_promise_max_days = 30
        cls.acme = cls._customer("Acme Promises")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Paula Payer", "parent_id": cls.acme.id, "email": "paula@example.com"}
        )
        cls.inv_a = cls._invoice(cls.acme, 20, 100.0)
        cls.inv_b = cls._invoice(cls.acme, 5, 50.0)
        cls.Promise = cls.env["payment.followup.promise"]

    def _wizard(self, records, **vals):
        return (
            self.env["payment.followup.promise.wizard"]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create(vals)
        )

    def _promise(self, records=None, **vals):
        vals.setdefault("promised_date", self.today + timedelta(days=5))
        action = self._wizard(records or self.acme, **vals).action_confirm()
        return self.Promise.browse(action["res_id"])

    def test_promise_pauses_follow_up_until_the_date(self):
        promise = self._promise(promised_by_id=self.contact.id, amount=150.0)
        self.assertEqual(promise.state, "open")
        self.assertEqual(promise.invoice_ids, self.inv_a | self.inv_b)
        self.assertEqual(promise.amount_owed, 150.0)
        self.assertEqual(promise.user_id, self.env.user)
        self.assertEqual(
            (self.inv_a | self.inv_b).mapped("followup_hold_until"), [promise.promised_date] * 2
        )
        event = self._events(self.acme, promise_id=promise.id)
        self.assertIn("Paula Payer", event.result)
        # nothing is sent while the promise runs, even on its last day
        self._run()
        self._run(today=promise.promised_date)
        self.assertFalse(self._mails(self.acme))
        self.Promise._cron_check_promises(today=promise.promised_date)
        self.assertEqual(promise.state, "open")

    def test_promise_kept_when_the_money_comes_in(self):
        promise = self._promise(amount=100.0)
        self._pay(self.inv_a)
        self.assertEqual(promise.amount_received, 100.0)
        self.Promise._cron_check_promises(today=self.today + timedelta(days=1))
        self.assertEqual(promise.state, "kept")
        self.assertFalse((self.inv_a | self.inv_b).mapped("followup_hold_until")[1])
        self.assertEqual(self.acme.followup_promises_kept, 1)
        self.assertEqual(self.acme.followup_kept_rate, 100.0)

    def test_promise_broken_the_next_day_resumes_follow_up(self):
        self._run()  # the customer has had its reminder at the level reached
        mails_before = self._mails(self.acme)
        self.assertEqual(len(mails_before), 1)
        promise = self._promise(amount=150.0)
        self._pay(self.inv_a, 60.0)  # some money, not what was promised
        day_after = promise.promised_date + timedelta(days=1)
        self.Promise._cron_check_promises(today=day_after)
        self.assertEqual(promise.state, "broken")
        self.assertEqual(promise.amount_received, 60.0)
        self.assertFalse(self.inv_a.followup_hold_until)
        self.assertTrue(self.inv_a.followup_remind)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", promise._name), ("res_id", "=", promise.id)]
        )
        self.assertIn("Broken promise", activity.summary)
        self.assertIn("broken", self._events(self.acme, promise_id=promise.id)[0].result)
        # follow-up resumes: the level reached is reminded again at once
        self._run(today=day_after)
        self.assertEqual(len(self._mails(self.acme) - mails_before), 1)
        self.assertFalse(self.inv_a.followup_remind)
        # and the record counts it (one broken promise is not yet a poor record)
        self.assertEqual(self.acme.followup_promises_broken, 1)
        self.assertEqual(self.acme.followup_kept_rate, 0.0)
        self.assertEqual(self.acme.followup_record, "neutral")
        # a settled promise does not change
        with self.assertRaisesRegex(UserError, "settled"):
            promise.amount = 1.0

    def test_extension_and_cancel(self):
        promise = self._promise(self.inv_a, kind="extension")
        self.assertEqual(promise.amount, 100.0)
        promise.action_cancel()
        self.assertEqual(promise.state, "cancelled")
        self.assertFalse(self.inv_a.followup_hold_until)
        with self.assertRaisesRegex(UserError, "running"):
            promise.action_cancel()

    def test_bad_input_is_refused_and_nothing_written(self):
        paid = self._invoice(self.acme, 10, 30.0)
        self._pay(paid)
        cases = {
            "zero amount": ({"amount": 0.0}, "more than zero"),
            "negative amount": ({"amount": -10.0}, "more than zero"),
            "more than owed": ({"amount": 150.01}, "more than what is owed"),
            "date in the past": (
                {"promised_date": self.today - timedelta(days=1)},
                "in the past",
            ),
            "beyond the guideline": (
                {"promised_date": self.today + timedelta(days=31)},
                "at most 30 days",
            ),
        }
        for name, (vals, message) in cases.items():
            with self.subTest(name):
                wizard = self._wizard(self.acme, **vals)
                with self.assertRaisesRegex(UserError, message):
                    wizard.action_confirm()
        with self.subTest("paid invoice"):
            wizard = self._wizard(self.inv_a)
            wizard.invoice_ids |= paid
            with self.assertRaisesRegex(ValidationError, "paid, cancelled"):
                wizard.action_confirm()
        with self.subTest("non-numeric amount"):
            with self.assertRaisesRegex(ValidationError, "must be a number, not “soon”"):
                self._wizard(self.acme, amount="soon")
        self.assertFalse(self.Promise.search([("partner_id", "=", self.acme.id)]))
        self.assertFalse(any((self.inv_a | self.inv_b).mapped("followup_hold_until")))
        self.assertFalse(self._events(self.acme))

    def test_moving_a_running_promise(self):
        promise = self._promise(amount=100.0)
        new_date = self.today + timedelta(days=12)
        promise.promised_date = new_date
        # the invoices now wait until the new date, and the history says so
        self.assertEqual((self.inv_a | self.inv_b).mapped("followup_hold_until"), [new_date] * 2)
        # the user's date format (issue #22: no ISO date in a sentence)
        self.assertIn(new_date.strftime("%m/%d/%Y"), self.inv_a.followup_hold_reason)
        self.assertEqual(len(self._events(self.acme, promise_id=promise.id)), 2)
        for name, date, message in [
            ("into the past", self.today - timedelta(days=1), "in the past"),
            ("beyond the guideline", self.today + timedelta(days=31), "at most 30 days"),
        ]:
            with self.subTest(name):
                with self.assertRaisesRegex(UserError, message):
                    promise.write({"promised_date": date})
                self.assertEqual(promise.promised_date, new_date)
                self.assertEqual(self.inv_a.followup_hold_until, new_date)
        self.assertEqual(len(self._events(self.acme, promise_id=promise.id)), 2)
        # a settled promise keeps its date
        self._pay(self.inv_a)
        self.Promise._cron_check_promises(today=self.today)
        self.assertEqual(promise.state, "kept")
        with self.assertRaisesRegex(UserError, "settled promise"):
            promise.promised_date = self.today + timedelta(days=3)

    def test_invoice_under_a_plan_takes_no_promise(self):
        self._plan(self.inv_a, installment_count=2)
        wizard = self._wizard(self.inv_b)
        wizard.invoice_ids |= self.inv_a
        with self.assertRaisesRegex(ValidationError, "already under plan"):
            wizard.action_confirm()

    def test_cron_claims_and_commits_in_batches(self):
        promises = self.Promise
        for i in range(5):
            partner = self._customer(f"Batch promise {i}")
            invoice = self._invoice(partner, 20, 10.0)
            promises |= self._promise(invoice, promised_date=self.today)
        done = self.Promise._cron_check_promises(batch_size=2, today=self.today + timedelta(days=1))
        self.assertEqual(done, 5)
        self.assertEqual(set(promises.mapped("state")), {"broken"})
        # a rerun finds nothing left to settle and adds nothing
        events = self.env["payment.followup.event"].search_count([])
        self.assertEqual(self.Promise._cron_check_promises(today=self.today), 0)
        self.assertEqual(self.env["payment.followup.event"].search_count([]), events)

    def test_a_promise_date_is_checked_against_the_customers_today(self):
        """One clock: at 12:00 UTC it is already tomorrow in Auckland, so a
        promise for today is in the past there and refused; in Los Angeles it
        is still today, and it is accepted (the user's day decided before)."""
        kiwi = self._customer("Kiwi Today", tz="Pacific/Auckland")
        yank = self._customer("Yank Today", tz="America/Los_Angeles")
        noon = datetime.combine(self.today, time(12, 0)).replace(tzinfo=UTC)
        for partner in (kiwi, yank):
            self._invoice(partner, 10, 80.0)
        refused = self._wizard(kiwi, promised_date=self.today).with_context(followup_now=noon)
        with self.assertRaisesRegex(UserError, "cannot be in the past"):
            refused.action_confirm()
        accepted = self._wizard(yank, promised_date=self.today).with_context(followup_now=noon)
        promise = self.Promise.browse(accepted.action_confirm()["res_id"])
        self.assertEqual(promise.promised_date, self.today)

    def test_the_daily_check_uses_each_customers_own_today(self):
        """At 12:00 UTC it is already tomorrow in Auckland and still today in
        Los Angeles: a promise for today is broken for the customer in
        Auckland only (the cron's own day decided for everyone before)."""
        kiwi = self._customer("Kiwi Promises", tz="Pacific/Auckland")
        yank = self._customer("Yank Promises", tz="America/Los_Angeles")
        promises = {}
        # recorded at 00:30 UTC: today in Auckland (13:30) and in Los Angeles
        # (16:30 the day before), so today is a valid date for both
        morning = datetime.combine(self.today, time(0, 30)).replace(tzinfo=UTC)
        for partner in (kiwi, yank):
            self._invoice(partner, 10, 80.0)
            wizard = self._wizard(partner, promised_date=self.today)
            action = wizard.with_context(followup_now=morning).action_confirm()
            promises[partner] = self.Promise.browse(action["res_id"])
        noon = datetime.combine(self.today, time(12, 0))
        self.Promise.with_context(followup_now=noon.replace(tzinfo=UTC))._cron_check_promises()
        self.assertEqual(promises[kiwi].state, "broken")
        self.assertEqual(promises[kiwi].date_done, self.today + timedelta(days=1))
        self.assertEqual(promises[yank].state, "open")
