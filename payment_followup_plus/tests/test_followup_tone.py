from datetime import timedelta

from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import PaymentFollowupCommon

FRIENDLY = {
    ("direct", "formal"): "Our records show that the invoices below are now overdue.",
    ("direct", "informal"): "The invoices below are now overdue. Please pay the open amount",
    ("indirect", "formal"): "Perhaps this has escaped your attention",
    ("indirect", "informal"): "may have slipped through the cracks",
}


@tagged("post_install", "-at_install")
class TestFollowupTone(PaymentFollowupCommon):
    def setUp(self):
        super().setUp()
        self._partners = []

    def _remind(self, days_late=5, history=None, **profile):
        partner = self._customer(f"Tone {len(self._partners)}", **profile)
        self._partners.append(partner)
        invoice = self._invoice(partner, days_late)
        if history:
            self._delivered(invoice, history, days_ago=10)
        self._run()
        mail = self._mails(partner)
        self.assertEqual(len(mail), 1)
        return partner, mail

    def test_four_variants_in_english(self):
        texts = {}
        for (style, formality), sentence in FRIENDLY.items():
            partner, mail = self._remind(followup_style=style, followup_formality=formality)
            text = self._text(mail.body_html)
            self.assertIn(sentence, text, (style, formality))
            self.assertEqual(self._reminders(partner).tone, f"{style}_{formality}")
            # written to the company itself: nobody is named
            self.assertIn("Dear Sir or Madam," if formality == "formal" else "Hello,", text)
            self.assertIn("Kind regards" if formality == "formal" else "Best wishes", text)
            texts[style, formality] = text
        for (style, formality), text in texts.items():
            for other, sentence in FRIENDLY.items():
                if other != (style, formality):
                    self.assertNotIn(sentence, text)

    def test_greeting_names_the_person_written_to(self):
        madam = self.env.ref("base.res_partner_title_madam")
        doctor = self.env.ref("base.res_partner_title_doctor")
        for title, formality, expected in [
            (madam, "formal", "Dear Ms Dubois,"),
            (doctor, "formal", "Dear Claire Dubois,"),
            (madam, "informal", "Hello Claire,"),
        ]:
            partner = self._customer(f"Greeting {title.name} {formality}")
            contact = self.env["res.partner"].create(
                {
                    "name": "Claire Dubois",
                    "title": title.id,
                    "parent_id": partner.id,
                    "email": "claire@example.com",
                }
            )
            partner.write({"followup_contact_id": contact.id, "followup_formality": formality})
            self._invoice(partner, 5)
            self._run()
            self.assertIn(expected, self._text(self._mails(partner).body_html))

    def test_severity_follows_the_ladder(self):
        _partner, courtesy = self._remind(days_late=-2)
        self.assertIn("fall due shortly", self._text(courtesy.body_html))
        self.assertIn("Invoices due soon", courtesy.subject)
        partner, firm = self._remind(days_late=16, history=self.levels[3])
        reminder = self._reminders(partner).filtered(lambda r: r.state == "delivered")[-1]
        date = format_date(self.env, self.today - timedelta(days=10))
        self.assertIn(f"Despite our reminder of {date}", self._text(firm.body_html))
        self.assertEqual(reminder.previous_date, self.today - timedelta(days=10))
        self.assertIn("Overdue invoices: payment needed", firm.subject)

    def test_first_contact_at_the_age_refers_to_no_earlier_reminder(self):
        self.company.followup_start_at_age = True
        _partner, mail = self._remind(days_late=20)
        text = self._text(mail.body_html)
        self.assertIn("The invoices below are overdue and remain unpaid.", text)
        self.assertNotIn("Despite", text)
        self.assertNotIn("wrote to you", text)
        # never a final notice as the first contact
        partner, mail = self._remind(days_late=90)
        self.assertEqual(self._reminders(partner).level_id, self.levels[45])

    def test_senior_tier_is_always_formal(self):
        partner, mail = self._remind(
            days_late=46,
            history=self.levels[30],
            followup_style="direct",
            followup_formality="informal",
        )
        text = self._text(mail.body_html)
        self.assertIn("Dear Sir or Madam,", text)
        self.assertIn("Kind regards", text)
        self.assertEqual(self._reminders(partner)[-1].tone, "direct_formal")
