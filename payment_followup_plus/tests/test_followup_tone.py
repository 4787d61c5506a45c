from datetime import datetime, time, timedelta

from odoo import Command
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

    def test_french_and_german_wording(self):
        for code in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(
            ["payment_followup_plus"], ["fr_FR", "de_DE"]
        )
        madam = self.env.ref("base.res_partner_title_madam")
        cases = [
            # (lang, formality, contact title or None, expected, never)
            (
                "fr_FR",
                "formal",
                None,
                ["Madame, Monsieur,", "Nous vous prions d'agréer"],
                ["Bonjour"],
            ),
            ("fr_FR", "formal", madam, ["Madame,", "Selon nos écritures"], ["Bonjour", "Dubois"]),
            (
                "fr_FR",
                "informal",
                madam,
                ["Bonjour Claire,", "Bien cordialement,", "Merci de régler"],
                [" tu ", "Bien à vous"],
            ),
            (
                "de_DE",
                "formal",
                None,
                ["Sehr geehrte Damen und Herren,", "Mit freundlichen Grüßen"],
                [],
            ),
            (
                "de_DE",
                "formal",
                madam,
                ["Sehr geehrte Frau Dubois,", "Laut unseren Unterlagen"],
                [],
            ),
            ("de_DE", "informal", madam, ["Hallo Claire,", "Viele Grüße", "bezahle"], ["Sie "]),
        ]
        for lang, formality, title, expected, never in cases:
            with self.subTest(lang=lang, formality=formality, title=bool(title)):
                partner = self._customer(
                    f"Culture {lang} {formality} {bool(title)}",
                    lang=lang,
                    followup_style="direct",
                    followup_formality=formality,
                )
                if title:
                    contact = self.env["res.partner"].create(
                        {
                            "name": "Claire Dubois",
                            "title": title.id,
                            "parent_id": partner.id,
                            "lang": lang,
                            "email": "claire@example.com",
                        }
                    )
                    partner.followup_contact_id = contact
                self._invoice(partner, 5)
                self._run()
                mail = self._mails(partner)
                text = self._text(mail.body_html)
                for sentence in expected:
                    self.assertIn(sentence, text)
                for sentence in never:
                    self.assertNotIn(sentence, text)
                self.assertIn(
                    "Rappel de paiement" if lang == "fr_FR" else "Zahlungserinnerung", mail.subject
                )
        # messages of the wizards reach the accountant in their language too
        wizard = self.env["payment.followup.plan.wizard"].with_context(lang="fr_FR")
        with self.assertRaisesRegex(Exception, "doit être un nombre, pas « dix »"):
            wizard.create({"partner_id": self.env.company.partner_id.id, "down_payment": "dix"})

    def test_meeting_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["de_DE"])
        partner = self._customer("Bergmann GmbH", lang="de_DE", phone="+49 30 1234567")
        invoice = self._invoice(partner, 20)
        meeting = self.env["payment.followup.calendar"]._book_call(
            partner,
            partner,
            self.env.user,
            self.company,
            fields_datetime(self.today + timedelta(days=3), 9),
            fields_datetime(self.today + timedelta(days=3), 9, 30),
            invoice,
        )
        self.assertIn("Telefonat zu offenen Rechnungen", meeting.name)
        self.assertIn("Wir rufen Sie unter +49 30 1234567 an.", meeting.description)
        self.assertEqual(meeting.location, "+49 30 1234567")
        # without a phone number, a video-call link
        silent = self._customer("Ohne Telefon GmbH", lang="de_DE")
        video = self.env["payment.followup.calendar"]._book_call(
            silent,
            silent,
            self.env.user,
            self.company,
            fields_datetime(self.today + timedelta(days=4), 9),
            fields_datetime(self.today + timedelta(days=4), 9, 30),
            self._invoice(silent, 20),
        )
        self.assertTrue(video.videocall_location)
        self.assertIn("Zum Videoanruf", video.description)

    def test_the_reviewers_letter_preview_is_the_letter_printed(self):
        """A French letter waiting for review: the preview shows its French
        headings and French date, as the PDF prints them (one rendering path),
        to an English-speaking reviewer."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        partner = self._customer("Lettre SARL", lang="fr_FR", followup_opt_out=True)
        self._invoice(partner, 20)
        self._run()
        # read by an English-speaking reviewer
        reminder = self._reminders(partner)[-1].with_context(lang="en_US")
        preview = self._text(reminder.letter_preview)
        for french in ("Échéance", "Facture", "Rappel de paiement"):
            self.assertIn(french, preview)
        self.assertNotIn("Due date", preview)
        self.assertIn(reminder.letter_day.strftime("%d/%m/%Y"), preview)
        printed = self._text(
            self.env["ir.actions.report"]
            ._render_qweb_html("payment_followup_plus.action_report_reminder_letter", reminder.ids)[
                0
            ]
            .decode()
        )
        # the same words, in the same order (the QR code is an image in both)
        words = [w for w in preview.split() if "data:image" not in w]
        self.assertGreater(len(words), 40)
        self.assertIn(" ".join(words[:40]), " ".join(printed.split()))

    def test_a_british_customer_reads_british_dates_everywhere(self):
        """English (UK): day/month dates in the email, its letter and the
        letter before action, never the American month/day."""
        self.env["res.lang"]._activate_lang("en_GB")
        partner = self._customer("Thames Dates Ltd", lang="en_GB")
        invoice = self._invoice(partner, 20)
        self._run()
        reminder = self._reminders(partner)[-1]
        british = invoice.invoice_date_due.strftime("%d/%m/%Y")
        american = invoice.invoice_date_due.strftime("%m/%d/%Y")
        self.assertNotEqual(british, american, "a date that tells them apart")
        for text in (self._text(reminder.email_preview), self._text(reminder.letter_preview)):
            self.assertIn(british, text)
            self.assertNotIn(american, text)
        case = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": partner.id,
                "currency_id": invoice.currency_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        case.action_send_letter()
        letter = self._text(
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "payment_followup_plus.action_report_letter_before_action", case.ids
            )[0]
            .decode()
        )
        self.assertIn(british, letter)
        self.assertIn(case.response_deadline.strftime("%d/%m/%Y"), letter)
        mail = self.env["mail.mail"].search(
            [("model", "=", case._name), ("res_id", "=", case.id)], limit=1
        )
        self.assertIn(case.response_deadline.strftime("%d/%m/%Y"), self._text(mail.body_html))


def fields_datetime(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute))
