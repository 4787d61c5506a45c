from datetime import UTC, datetime, timedelta

from odoo.tests import tagged

from ..engine.types import Mode
from ..engine.zones import local_date
from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupTruth(PaymentFollowupCommon):
    """What a customer receives is true: one set of invoices for every document
    of a reminder, and "overdue" means past the due date in the customer's own
    day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"email": "accounts@example.com", "phone": "+1 555 0100"})
        cls.collector = cls._followup_user(
            cls.company,
            "collector_truth",
            name="Collector Carla",
            email="carla@example.com",
            phone="+1 555 0199",
        )
        cls.acme = cls._customer("Acme Truth", followup_responsible_id=cls.collector.id)

    def test_overdue_means_before_the_customers_own_today(self):
        now = datetime.now(UTC).replace(microsecond=0)
        rows = {}
        for name, tz in (
            ("Auckland Ltd", "Pacific/Auckland"),
            ("Honolulu Inc", "Pacific/Honolulu"),
        ):
            partner = self._customer(name, tz=tz)
            today = local_date(now, tz)
            late = self._invoice(partner, (self.today - today).days + 4, 100.0)
            due_today = self._invoice(partner, (self.today - today).days, 1000.0)
            rows[partner] = (today, late, due_today)
        self.followup._run_company(self.company, now=now)
        for partner, (today, late, due_today) in rows.items():
            with self.subTest(partner.name):
                self.assertEqual(late.invoice_date_due, today - timedelta(days=4))
                self.assertEqual(due_today.invoice_date_due, today)
                reminder = self._reminders(partner)
                self.assertEqual(reminder.date, today, "the customer's own day")
                lines = {line.move_id: line for line in reminder.line_ids}
                self.assertEqual(lines[late].section, "main")
                self.assertEqual(lines[due_today].section, "due_soon")
                self.assertEqual(reminder.amount_overdue, 100.0)
                # the list says the same as the reminder
                row = self.env["payment.followup.customer"].search(
                    [("partner_id", "=", partner.id)]
                )
                self.assertEqual(row.amount_overdue, reminder.amount_overdue)
                self.assertEqual(row.invoice_count, 1)
                text = self._text(self._mails(partner).body_html)
                self.assertIn("Total overdue: $ 100.00", text)
                self.assertIn("Due soon: $ 1,000.00", text)

    def test_every_document_of_a_reminder_shows_the_same_invoices(self):
        kept = self._invoice(self.acme, 70, 4200.0)
        disputed = self._invoice(self.acme, 65, 990.0)
        self._delivered(kept | disputed, self.levels[45])
        self._run()
        reminder = self._reminders(self.acme, state="to_review")
        self.assertEqual(reminder.level_id, self.levels[60])
        # the reviewer sees the exact email and letter before approving
        for preview in (reminder.email_preview, reminder.letter_preview):
            text = self._text(preview)
            self.assertIn(kept.name, text)
            self.assertIn(disputed.name, text)
            self.assertIn("This is our final notice.", text)
        self.assertIn("Final notice before legal review", self._text(reminder.letter_preview))
        # the customer disputes one invoice before the review
        reason = self.env.ref("payment_followup_plus.delay_reason_dispute")
        self.env["payment.followup.delay.wizard"].with_context(
            active_model="account.move", active_ids=disputed.ids
        ).create({"reason_id": reason.id, "note": "Wrong quantity"}).action_confirm()
        self.assertIn(disputed.name, reminder.stale)
        self.assertIn("under dispute", reminder.stale)
        with self.assertRaisesRegex(Exception, "no longer true"):
            reminder.action_approve()
        self.assertFalse(self._mails(self.acme))
        reminder.action_refresh()
        self.assertEqual(reminder.state, "cancelled")
        fresh = self._reminders(self.acme, state="to_review")
        self.assertEqual(fresh.invoice_ids, kept)
        self.assertFalse(fresh.stale)
        fresh.action_approve()
        email = self._text(self._mails(self.acme).body_html)
        self.assertIn(kept.name, email)
        self.assertNotIn(disputed.name, email)
        self.assertIn("4,200.00", email)
        self.assertNotIn("5,190.00", email)
        # the letter made by the same approval: same invoice, same title as its level
        letter_event = self._events(self.acme, channel="letter", state="to_print")
        self.assertEqual(letter_event.reminder_id, fresh)
        self.assertEqual(letter_event.reminder_invoice_ids, kept)
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        pdf = self._pdf_text("payment_followup_plus.report_reminder_letter", fresh)
        self.assertIn("Final notice before legal review", pdf)
        self.assertNotIn("Payment reminder", pdf)
        self.assertIn(kept.name, pdf)
        self.assertNotIn(disputed.name, pdf)
        self.assertIn("4,200.00", pdf)
        # printing delivers the letter, once
        letter_event.with_context(force_report_rendering=True).action_print_letter()
        self.assertEqual(letter_event.state, "done")

    def test_what_the_customer_needs_to_pay(self):
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "BE71 0961 2345 6769", "partner_id": self.company.partner_id.id}
        )
        invoice = self._invoice(self.acme, 50, 300.0, post=False)
        invoice.write({"partner_bank_id": bank.id, "payment_reference": "RF18 5390 0754 7034"})
        invoice.action_post()
        self._delivered(invoice, self.levels[30])  # next: senior (email and letter)
        self._run()
        reminder = self._reminders(self.acme)[-1]
        for html in (self._mails(self.acme).body_html, reminder.letter_preview):
            text = self._text(html)
            self.assertIn("BE71 0961 2345 6769", text)
            self.assertIn("RF18 5390 0754 7034", text)
            # the signature: who, which company, how to reach them
            for part in ("Collector Carla", self.company.name, "+1 555 0199", "carla@example.com"):
                self.assertIn(part, text)
        # on paper, an address to type and a QR code, not link text
        letter = str(reminder.letter_preview)
        self.assertNotIn("<a ", letter)
        self.assertIn("/my/payments", letter)
        self.assertIn("<img", letter)
        self.assertIn("data:image/svg+xml;base64", letter)

    def test_no_demand_while_credits_in_the_customers_favour_are_not_applied(self):
        invoice = self._invoice(self.acme, 20, 100.0)
        refund = self._refund(self.acme, 40.0)
        self._run()
        # the daily run asks for nothing: 100.00 would be more than is owed
        self.assertFalse(self._reminders(self.acme))
        self.assertFalse(self._mails(self.acme))
        held = self._events(self.acme)
        self.assertRecordValues(held, [{"state": "blocked", "channel": "none"}])
        self.assertIn("Credits in the customer's favour are not applied yet", held.result)
        todo = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.acme.id)]
        )
        self.assertRecordValues(
            todo,
            [
                {
                    # what the person reads, no internal code (issue #24: the test pinned "[credits] ")
                    "summary": "Apply the open credits of Acme Truth to its invoices",
                    "followup_kind": "credits",
                    "user_id": self.collector.id,
                }
            ],
        )
        # the list of customers to follow up shows why
        row = self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        self.assertRecordValues(row, [{"amount_overdue": 100.0, "amount_credit": 40.0}])
        self._run()  # nothing twice
        self.assertEqual(len(self._events(self.acme)), 1)
        self.assertEqual(len(todo.search([("id", "in", todo.ids)])), 1)
        # the collector applies the credit note: the next run asks for what is left
        (invoice.line_ids + refund.line_ids).filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(invoice.amount_residual, 60.0)
        row = self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        self.assertRecordValues(row, [{"amount_overdue": 60.0, "amount_credit": 0.0}])
        self._run()
        reminder = self._reminders(self.acme)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.line_ids.amount_residual, 60.0)
        self.assertIn("60.00", self._text(self._mails(self.acme).body_html))
        self.assertNotIn("100.00", self._text(self._mails(self.acme).body_html))

    def test_a_person_may_send_despite_unapplied_credits(self):
        self._invoice(self.acme, 20, 100.0)
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.acme.id,
                "amount": 30.0,
                "date": self.today,
            }
        )
        payment.action_post()  # received, not matched with the invoice yet
        self._run()
        self.assertFalse(self._reminders(self.acme))
        self.followup._run_for_partners(
            self.acme, mode=Mode.SEND_NOW, now=self.followup._now_for(self.today)
        )
        self.assertEqual(len(self._reminders(self.acme)), 1)

    def test_a_dollar_names_its_currency_when_another_dollar_is_active(self):
        """With NZD active beside USD (both "$"), every amount a customer reads
        names its currency: the email's table and total, the letter, the
        portal's headline and a sentence; with one "$" only, "$" stays."""
        nzd = self.env.ref("base.NZD")
        self.assertEqual(nzd.symbol, "$")
        kiwi = self._customer("Kiwi Ltd")
        self.assertEqual(self.company.currency_id.format(12.5), "$\xa012.50")
        nzd.active = True
        self.env["res.currency.rate"].create(
            {
                "currency_id": nzd.id,
                "rate": 1.6,
                "name": "2016-01-01",
                "company_id": self.company.id,
            }
        )
        self._invoice(kiwi, 20, 1234.5, currency=nzd)
        self._run()
        mail = self._mails(kiwi)[-1]
        text = self._text(mail.body_html)
        self.assertIn("NZD 1,234.50", text)
        self.assertIn("Total overdue: NZD 1,234.50", text)
        self.assertNotIn("$", text)
        reminder = self._reminders(kiwi)[-1]
        self.assertIn("NZD 1,234.50", self._text(reminder.letter_preview))
        self.assertEqual(self.company.currency_id.format(12.5), "USD\xa012.50")
        page = kiwi._followup_portal_values()
        self.assertEqual(page["overdue_totals"], "NZD\xa01,234.50")
        # the back office's widgets read the same symbols (the plan form, the lists)
        symbols = self.env["ir.http"].get_currencies()
        self.assertEqual(symbols[nzd.id]["symbol"], "NZD")
        self.assertEqual(symbols[self.company.currency_id.id]["symbol"], "USD")
        alone = self.env["res.currency"].browse(symbols).filtered(lambda c: c.symbol != "$")
        self.assertEqual({symbols[c.id]["symbol"] for c in alone}, set(alone.mapped("symbol")))
        nzd.active = False
        self.assertEqual(self.company.currency_id.format(12.5), "$\xa012.50")
        self.assertEqual(
            self.env["ir.http"].get_currencies()[self.company.currency_id.id]["symbol"], "$"
        )

    def test_the_part_received_is_thanked_for_and_only_the_rest_demanded(self):
        invoice = self._invoice(self.acme, 50, 1500.0)
        self._delivered(invoice, self.levels[30])
        paid_on = self.today - timedelta(days=4)
        self._pay(invoice, 300.0, paid_on)
        # a credit note applied is no payment: not thanked for
        refund = self._refund(self.acme, 100.0, days_ago=3)
        (refund + invoice).line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        ).reconcile()
        self._run()
        reminder = self._reminders(self.acme)[-1]
        self.assertEqual(reminder.line_ids.amount_residual, 1100.0)
        thanks = "Thank you for your payment of $ 300.00 on %s; $ 1,100.00 remains." % (
            paid_on.strftime("%m/%d/%Y")
        )
        for html in (self._mails(self.acme).body_html, reminder.letter_preview):
            text = self._text(html).replace("\xa0", " ")
            self.assertIn(thanks, text)
        self.assertEqual(reminder.received_sentence.replace("\xa0", " "), thanks)
        # a reminder prepared after one that came after the payment: no thanks again
        later = self._delivered(invoice, self.levels[30], days_ago=0)
        later.previous_date = self.today - timedelta(days=2)
        self.assertFalse(later.received_sentence)
