from datetime import UTC, datetime, time

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.sms.tests.common import SMSCase

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupSms(PaymentFollowupCommon, SMSCase):
    """SMS as one more channel adapter: Odoo's own SMS service (its paid
    gateway replaced by Odoo's SMS test helpers only), the customer's mobile in
    E.164, opt-out and quiet hours like email, the delivery state from Odoo's
    SMS tracking."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.levels[3].send_sms = True
        cls.be = cls.env.ref("base.be")
        cls.texted = cls._customer("Texted Ltd", mobile="0470 12 34 56", country_id=cls.be.id)
        cls.invoice = cls._invoice(cls.texted, 5, 120.0)
        # within the allowed hours (the quiet hours are tested on their own)
        cls.noon = datetime.combine(cls.today, time(12, 0))

    def _sms_event(self, partner):
        return self.env["payment.followup.event"].search(
            [("partner_id", "=", partner.id), ("channel", "=", "sms")]
        )

    def test_the_sms_reaches_the_customers_mobile_and_says_so(self):
        with freeze_time(self.noon):
            self._run()
        event = self._sms_event(self.texted)
        self.assertEqual((event.delivery_state, event.state), ("queued", "done"))
        self.assertIn("SMS queued for +32470123456", event.result)
        sms = self.env["sms.sms"].search([("uuid", "=", event.sms_uuid)])
        self.assertEqual((sms.number, sms.state), ("+32470123456", "outgoing"))
        self.assertIn("$ 120.00 overdue", sms.body.replace("\xa0", " "))
        self.assertIn("/my/payments/%s/" % self.texted.id, sms.body)
        # the message is in the customer's history (chatter) as an SMS
        self.assertEqual(sms.mail_message_id.model, "res.partner")
        self.assertEqual(sms.mail_message_id.res_id, self.texted.id)
        self.assertEqual(sms.mail_message_id.message_type, "sms")
        with self.mockSMSGateway(), freeze_time(self.noon):
            self.env["sms.sms"].sudo()._process_queue()
        self.assertSMSIapSent(["+32470123456"])
        self.assertEqual(event.delivery_state, "delivered")
        self.assertIn("SMS sent to +32470123456", event.result)
        self.assertEqual(event.reminder_id.state, "delivered")

    def test_without_sms_credits_the_state_is_clear(self):
        with freeze_time(self.noon):
            self._run(send_mails=False)
        event = self._sms_event(self.texted)
        with self.mockSMSGateway(sim_error="credit"), freeze_time(self.noon):
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(event.delivery_state, "failed")
        self.assertEqual(event.failure_reason, "no SMS credit left on our SMS account")
        self.assertIn(
            "SMS could not be sent to +32470123456: no SMS credit left on our SMS account",
            event.result,
        )
        self.assertNotIn("Insufficient Credit", event.result)
        self.assertNotEqual(event.reminder_id.state, "delivered", "nothing reached the customer")

    def test_without_network_the_sms_says_so_and_a_letter_takes_over(self):
        """The SMS alone on its level, the SMS service unreachable: the history
        says so in plain words, and the letter is ready to print, saying why."""
        self.texted.email = False
        with freeze_time(self.noon):
            self._run(send_mails=False)
        event = self._sms_event(self.texted)
        with self.mockSMSGateway(sim_error="server_error"), freeze_time(self.noon):
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(event.delivery_state, "failed")
        self.assertIn("the SMS service could not be reached", event.result)
        letter = self.env["payment.followup.event"].search(
            [("reminder_id", "=", event.reminder_id.id), ("channel", "=", "letter")]
        )
        self.assertEqual(letter.state, "to_print")
        self.assertIn(
            "Letter ready to print: the SMS could not be sent (the SMS service could not be "
            "reached)",
            letter.result,
        )

    def test_no_mobile_or_opted_out_blocks_the_sms_only(self):
        nobody = self._customer("No Mobile Ltd")
        self._invoice(nobody, 5, 50.0)
        opted = self._customer("Opted Out Texts", mobile="+32 470 99 99 99", followup_opt_out=True)
        self._invoice(opted, 5, 50.0)
        barred = self._customer("Barred Texts", mobile="+32 470 11 11 11")
        self._invoice(barred, 5, 50.0)
        self.env["phone.blacklist"].sudo()._add(["+32470111111"])
        self._run()
        self.assertIn(
            "+32470111111 asked not to receive text messages", self._sms_event(barred).result
        )
        self.assertIn("No mobile number", self._sms_event(nobody).result)
        self.assertEqual(self._sms_event(nobody).state, "blocked")
        self.assertIn("Opted out", self._sms_event(opted).result)
        self.assertFalse(
            self.env["sms.sms"].search([("partner_id", "in", (nobody | opted | barred).ids)])
        )
        # the email still went to the one who has no mobile
        self.assertEqual(self._reminders(nobody).state, "delivered")

    def test_the_sms_waits_for_the_customers_allowed_hours(self):
        self.company.write({"followup_quiet_from": 8.0, "followup_quiet_until": 21.0})
        self.texted.tz = "Europe/Brussels"
        night = datetime.combine(self.today, datetime.min.time()).replace(hour=23, tzinfo=UTC)
        self.followup.with_context(followup_now=night)._run_company(self.company, today=self.today)
        event = self._sms_event(self.texted)
        sms = self.env["sms.sms"].search([("uuid", "=", event.sms_uuid)])
        self.assertTrue(sms.followup_send_after)
        with self.mockSMSGateway():
            self.env["sms.sms"].sudo()._process_queue()
        self.assertEqual(sms.state, "outgoing", "not sent at night")
        self.assertEqual(event.delivery_state, "queued")
