from unittest.mock import patch

from odoo.tests import tagged

from ..models.channels import payment_followup_channel_email as channel_email
from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupSanitize(PaymentFollowupCommon):
    """The shipped reminder template is sanitized once per language (its
    dynamic parts are escaped by QWeb); a template an administrator changed is
    sanitized mail by mail, by Odoo."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.customers = cls.env["res.partner"]
        for index in range(4):
            customer = cls._customer("Sanitize %s" % index, lang="fr_FR" if index % 2 else "en_US")
            cls._invoice(customer, 20, 100.0 + index)
            cls.customers |= customer

    def _count_sanitizer(self):
        calls = []
        original = channel_email.html_sanitize

        def counting(*args, **kwargs):
            calls.append(1)
            return original(*args, **kwargs)

        return calls, patch.object(channel_email, "html_sanitize", counting)

    def test_the_shipped_template_is_sanitized_once_per_language(self):
        calls, patcher = self._count_sanitizer()
        with patcher:
            self._run(send_mails=False)
        self.assertEqual(len(self._mails(self.customers)), 4)
        # one check per language (English, French), nothing per mail
        self.assertEqual(len(calls), 2)

    def test_a_changed_template_is_sanitized_mail_by_mail(self):
        self.template.body_html = (
            '<div><p>Dear customer,</p><script>alert("x")</script>'
            '<p t-out="object.overdue_totals"/></div>'
        )
        self._run(send_mails=False)
        mails = self._mails(self.customers)
        self.assertEqual(len(mails), 4)
        for mail in mails:
            self.assertNotIn("<script", mail.mail_message_id.body)
            self.assertIn("Dear customer", mail.mail_message_id.body)

    def test_a_body_that_cannot_be_kept_as_is_does_not_untrust_its_language(self):
        english = self.customers.filtered(lambda c: c.lang == "en_US")
        quoted = english[0]
        invoice = self.env["account.move"].search([("partner_id", "=", quoted.id)])
        invoice.payment_reference = 'PO "42"'
        self._run(send_mails=False)
        reminders = self._reminders(english).sorted("id")
        self.assertEqual(reminders[0].partner_id, quoted)
        Email = self.env["payment.followup.channel.email"]
        vals_list, order, trusted = Email._prepare_mail_vals(reminders, {})
        # the body with a double quote is sanitized on insert, the other one is
        # still checked once and stored as it is
        self.assertEqual([order[i] for i in trusted], [reminders[1]])
        mail = self._mails(quoted)
        # as Odoo's sanitizer writes it (quotes in text unescaped)
        self.assertIn('Payment reference: PO "42"', str(mail.mail_message_id.body))
