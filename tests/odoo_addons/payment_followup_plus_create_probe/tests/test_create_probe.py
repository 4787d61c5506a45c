from odoo.addons.payment_followup_plus.tests.common import PaymentFollowupCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCreateProbe(PaymentFollowupCommon):
    """With an addon that overrides mail.message and mail.mail create, every
    reminder email and its message go through those overrides (the set-wise
    INSERTs are not used then)."""

    def test_every_reminder_email_goes_through_the_overrides(self):
        Rows = self.env["payment.followup.mail.rows"]
        self.assertFalse(Rows._set_wise_allowed())
        partners = self.env["res.partner"]
        for index in range(3):
            partner = self._customer(f"Probe customer {index}")
            self._invoice(partner, days_late=20, amount=100.0 + index)
            partners |= partner
        self._run(send_mails=False)
        mails = self._mails(partners)
        self.assertEqual(len(mails), 3)
        self.assertTrue(all(mails.mapped("probe_queued")))
        self.assertTrue(all(mails.mail_message_id.mapped("probe_created")))
        self.assertEqual(set(mails.mapped("res_id")), set(partners.ids))
