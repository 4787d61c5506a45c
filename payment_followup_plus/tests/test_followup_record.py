from datetime import timedelta

from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupPaymentRecord(PaymentFollowupCommon):
    """The payment record of the last 12 months feeds the tone and the tier."""

    @classmethod
    def _good_payer(cls, name, paid_on_time=6):
        partner = cls._customer(name)
        for i in range(paid_on_time):
            invoice = cls._invoice(partner, 60 + 30 * i, 80.0)
            cls._pay(invoice, date=invoice.invoice_date_due)
        return partner

    def test_record_figures(self):
        partner = self._good_payer("Steady Co", paid_on_time=3)
        late = self._invoice(partner, 100, 40.0)
        self._pay(late, date=late.invoice_date_due + timedelta(days=12))
        old = self._invoice(partner, 400, 10.0)  # more than 12 months ago: ignored
        self._pay(old, date=self.today)
        self.assertEqual(partner.followup_avg_days_late, 3.0)  # (0 + 0 + 0 + 12) / 4
        self.assertEqual(partner.followup_record, "good")
        newcomer = self._customer("New Co")
        self._invoice(newcomer, 3, 40.0)
        self.assertEqual(newcomer.followup_record, "neutral")  # no history yet

    def test_good_record_gets_gentler_wording(self):
        good = self._good_payer("Gentle Co")
        usual = self._customer("Usual Co")
        for partner in (good, usual):
            # the friendly reminder went out; the firm one (15 days) is next
            self._delivered(self._invoice(partner, 20, 100.0), self.levels[3])
        self._run()
        self.assertEqual(good.followup_record, "good")
        self.assertEqual(usual.followup_record, "neutral")
        self.assertEqual(good.followup_level_id, usual.followup_level_id)
        self.assertEqual(self._reminders(usual)[-1].severity, "firm")
        self.assertEqual(self._reminders(good)[-1].severity, "friendly")
        self.assertEqual(self._events(good, channel="email").severity, "friendly")

    def test_good_record_is_not_moved_up_a_tier_without_a_person(self):
        good = self._good_payer("Trusted Co")
        usual = self._customer("Ordinary Co")
        for partner in (good, usual):
            # firm delivered; the collector's call (30 days) is next
            self._delivered(self._invoice(partner, 33, 100.0), self.levels[15])
        self._run()
        review = self._reminders(good, state="to_review")
        self.assertEqual(review.level_id, self.levels[30])
        self.assertIn("Good payment record", review.review_reason)
        self.assertFalse(self._mails(good))
        # the ordinary customer is handled at once
        self.assertFalse(self._reminders(usual, state="to_review"))
        self.assertTrue(self._mails(usual))
        # once a person approves, the level's actions go out
        review.action_approve()
        self.assertTrue(self._mails(good))

    def test_another_companys_record_is_not_readable(self):
        """The payment record of a customer in company B is not readable by a
        follow-up user of company A only (not even over RPC)."""
        company_b = self.setup_other_company(name="Records B")["company"]
        partner = self._customer("Two Companies Co")
        for company in (self.company, company_b):
            invoice = self._invoice(partner, 90, 80.0, company=company)
            self._pay(invoice, date=invoice.invoice_date_due)
        Record = self.env["payment.followup.record"]
        rows = Record.search([("partner_id", "=", partner.id)])
        self.assertEqual(rows.company_id, self.company | company_b)
        clerk = self._followup_user(self.company, login="records_clerk")
        self.assertEqual(clerk.company_ids, self.company)
        seen = Record.with_user(clerk).search([("partner_id", "=", partner.id)])
        self.assertEqual(seen.company_id, self.company)
        self.assertEqual(
            len(Record.with_user(clerk).search_read([], ["company_id"])),
            len(Record.search([("company_id", "=", self.company.id)])),
        )
