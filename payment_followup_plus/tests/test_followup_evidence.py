from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupEvidence(PaymentFollowupCommon):
    """Money on its way is never demanded: a pending or authorized payment
    transaction, an unreconciled bank statement line that matches, a reply
    saying it was paid. Real transactions and statement lines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.company_data["default_journal_bank"]
        # statements are fresh (the check has its own test)
        cls.company.followup_statement_max_days = 0
        cls.customer = cls._customer("Wire Ltd")
        cls.paid = cls._invoice(cls.customer, 20, 275.0)
        cls.other = cls._invoice(cls.customer, 20, 80.0)
        cls.provider = cls.env.ref("payment.payment_provider_demo").sudo()
        if cls.provider.company_id != cls.company:
            cls.provider = cls.provider.copy({"company_id": cls.company.id})
        cls.provider.state = "test"

    def _transaction(self, invoices, state="pending"):
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "amount": sum(invoices.mapped("amount_residual")),
                    "currency_id": invoices.currency_id.id,
                    "partner_id": self.customer.id,
                    "reference": "TX-%s" % "-".join(map(str, invoices.ids)),
                    "invoice_ids": [Command.set(invoices.ids)],
                }
            )
        )
        if state == "pending":
            tx._set_pending()
        else:
            tx._set_authorized()
        return tx

    def _statement_line(self, amount, label="", partner=None, **vals):
        return self.env["account.bank.statement.line"].create(
            {
                "journal_id": self.bank.id,
                "date": self.today - timedelta(days=1),
                "payment_ref": label or "/",
                "amount": amount,
                "partner_id": partner.id if partner else False,
                **vals,
            }
        )

    def _todos(self, record):
        return self.env["mail.activity"].search(
            [
                ("followup_kind", "=", "evidence"),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )

    def _sections(self, reminder):
        return {line.move_id: line.section for line in reminder.line_ids}

    def assertOnItsWay(self, move, what):
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(self._sections(reminder)[move], "on_its_way")
        self.assertEqual(self._sections(reminder)[self.other], "main", "the other is demanded")
        self.assertFalse(move.followup_level_id, "it does not climb")
        self.assertEqual(self.other.followup_level_id, reminder.level_id)
        text = self._text(self._mails(self.customer)[-1].body_html)
        self.assertIn("We see a payment on its way for these invoices", text)
        self.assertIn("Total overdue: $ 80.00", text, "the total demands only the other")
        todo = self._todos(move)
        self.assertEqual(len(todo), 1)
        self.assertIn("Possible payment for %s" % move.name, todo.summary)
        self.assertIn(what, todo.summary)
        event = self._events(self.customer).filtered("evidence_key")
        self.assertEqual(len(event), 1)
        self.assertEqual(event.invoice_ids, move)
        self.assertIn("%s not demanded" % move.name, event.result)

    def assertDemanded(self, move):
        """``move`` is demanded again, at its own step of the ladder."""
        reminder = self._reminders(self.customer)[-1]
        line = reminder.line_ids.filtered(lambda ln: ln.move_id == move)
        self.assertIn(line.section, ("main", "overdue"))
        self.assertTrue(line.level_id, "it climbs with this reminder")
        self.assertEqual(move.followup_level_id, line.level_id)

    def test_a_pending_transfer_is_not_demanded_until_it_fails(self):
        tx = self._transaction(self.paid)
        self._run()
        self.assertOnItsWay(self.paid, "started online")
        # a rerun says it once
        self._run()
        self.assertEqual(len(self._todos(self.paid)), 1)
        self.assertEqual(len(self._events(self.customer).filtered("evidence_key")), 1)
        # the transfer is cancelled: the follow-up resumes at its step
        tx._set_canceled()
        self._run(today=self.today + timedelta(days=30))
        self.assertDemanded(self.paid)

    def test_an_authorized_payment_alone_holds_the_reminder_with_a_reason(self):
        self.other.button_draft()
        self.other.button_cancel()
        self._transaction(self.paid, state="authorized")
        self._run()
        self.assertFalse(self._reminders(self.customer), "nothing demanded")
        held = self._events(self.customer, state="blocked", channel="none").filtered(
            lambda e: "Payment on its way for" in (e.result or "")
        )
        self.assertEqual(len(held), 1)
        self.assertIn(self.paid.name, held.result)

    def test_a_pending_transfer_waits_only_the_company_days(self):
        tx = self._transaction(self.paid)
        self.env.cr.execute(
            "UPDATE payment_transaction SET create_date = %s WHERE id = %s",
            (self.today - timedelta(days=30), tx.id),
        )
        self._run()
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(self._sections(reminder)[self.paid], "main")

    def test_a_statement_line_with_the_number_and_amount(self):
        self._statement_line(275.0, label="Payment %s thank you" % self.paid.name.lower())
        self._run()
        self.assertOnItsWay(self.paid, "bank statement line of $\xa0275.00")

    def test_a_letter_waiting_to_print_is_not_printed_once_money_is_on_its_way(self):
        """A reminder prepared before the payment started demands it: its
        letter is no longer true, and is not printed until prepared again."""
        self.customer.followup_channel = "letter"
        self._run()
        letter = self.env["payment.followup.event"].search(
            [
                ("partner_id", "=", self.customer.id),
                ("channel", "=", "letter"),
                ("state", "=", "to_print"),
            ]
        )
        self.assertEqual(len(letter), 1)
        self.assertFalse(letter.reminder_id.stale)
        self._statement_line(275.0, label="Payment %s thank you" % self.paid.name.lower())
        letter.reminder_id.invalidate_recordset(["stale"])
        self.assertIn("%s: a payment is on its way" % self.paid.name, letter.reminder_id.stale)
        with self.assertRaisesRegex(UserError, "no longer true"):
            letter.action_print_letter()

    def test_a_statement_line_of_the_customer_with_the_amount(self):
        self._statement_line(275.0, label="TRANSFER", partner=self.customer)
        self._run()
        self.assertOnItsWay(self.paid, "bank statement line")

    def test_a_statement_line_from_the_customers_bank_account(self):
        self.env["res.partner.bank"].create(
            {"acc_number": "DE89 3704 0044 0532 0130 00", "partner_id": self.customer.id}
        )
        self._statement_line(275.0, label="TRANSFER", account_number="de89370400440532013000")
        self._run()
        self.assertOnItsWay(self.paid, "bank statement line")

    def test_a_transaction_without_invoices_holds_nothing(self):
        tx = self._transaction(self.paid)
        tx.invoice_ids = False
        self._run()
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(set(self._sections(reminder).values()), {"main"})

    def test_a_statement_line_reconciled_elsewhere_resumes(self):
        line = self._statement_line(275.0, label=self.paid.name)
        self._run()
        self.assertEqual(
            self._sections(self._reminders(self.customer)[-1])[self.paid], "on_its_way"
        )
        line.unlink()
        self._run(today=self.today + timedelta(days=30))
        self.assertDemanded(self.paid)

    def test_bad_lines_hold_nothing(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        # no reference and no partner; the right number but another amount; another currency
        self._statement_line(275.0, label="misc")
        self._statement_line(270.0, label=self.paid.name)
        self._statement_line(
            300.0,
            label=self.paid.name,
            foreign_currency_id=eur.id,
            amount_currency=275.0,
        )
        self._run()
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(set(self._sections(reminder).values()), {"main"})
        self.assertFalse(self._todos(self.paid))

    def test_two_invoices_fit_one_line_both_are_demanded_and_a_person_decides(self):
        twin = self._invoice(self.customer, 20, 275.0)
        self._statement_line(275.0, label="TRANSFER", partner=self.customer)
        self._run()
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(self._sections(reminder)[self.paid], "main")
        self.assertEqual(self._sections(reminder)[twin], "main")
        todo = self._todos(self.customer)
        self.assertEqual(len(todo), 1)
        self.assertIn(self.paid.name, todo.summary)
        self.assertIn(twin.name, todo.summary)
        self._run()
        self.assertEqual(len(self._todos(self.customer)), 1, "said once")

    def test_stale_statements_hold_reminders_past_the_first_level(self):
        self.company.followup_statement_max_days = 3
        self._statement_line(10.0, label="old", date=self.today - timedelta(days=20))
        first = self.policy.level_ids.sorted("days").filtered(lambda lvl: lvl.days > 0)[:1]
        self._delivered(self.paid | self.other, first, days_ago=15)
        self._run()
        self.assertFalse(self._reminders(self.customer, state="pending"))
        held = self._events(self.customer, state="blocked", channel="none")
        self.assertIn("Bank statements are not up to date", " ".join(held.mapped("result")))
        # imported today: the reminder goes out
        self._statement_line(10.0, label="new", date=self.today)
        self._run()
        self.assertTrue(self._reminders(self.customer).filtered(lambda r: r.level_id != first))

    def test_the_dashboard_says_the_statements_are_old(self):
        self.company.followup_statement_max_days = 3
        self._statement_line(10.0, label="old", date=self.today - timedelta(days=20))
        dashboard = self.env["payment.followup.dashboard"].create({"company_id": self.company.id})
        self.assertIn("Bank statements are 20 days old", dashboard.statements_note)
        # Run follow-up now, on Customers to follow up, says it too
        message = self.followup.action_run_now()["params"]["message"]
        self.assertIn("Bank statements are 20 days old", message)
        self._statement_line(10.0, label="new", date=self.today)
        dashboard.invalidate_recordset()
        self.assertFalse(dashboard.statements_note)
        message = self.followup.action_run_now()["params"]["message"]
        self.assertNotIn("Bank statements", message)

    def test_the_portal_says_the_reminders_wait_for_the_transfer(self):
        self._transaction(self.paid)
        Portal = self.env["res.partner"]
        sentences = [text for __, text in self.customer._followup_recent_payments()]
        self.assertEqual(len(sentences), 1)
        self.assertIn("is on its way", sentences[0])
        self.assertIn("We send no reminder about them until", sentences[0])
        labels = Portal._followup_portal_status_labels(
            self.paid | self.other, self.env["payment.followup.promise"], self.today
        )
        self.assertEqual(labels.get(self.paid.id), "Your payment is on its way: no reminder for it")
        self.assertNotIn(self.other.id, labels)
