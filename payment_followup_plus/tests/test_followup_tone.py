from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PaymentFollowupCommon

FRIENDLY = {
    ("direct", "formal"): "Our records show that the invoices below are now overdue.",
    ("direct", "informal"): "The invoices below are now overdue. Please pay the open amount",
    ("indirect", "formal"): "Perhaps this has escaped your attention",
    ("indirect", "informal"): "may have slipped through the cracks",
}


@tagged("post_install", "-at_install")
class TestFollowupTone(PaymentFollowupCommon):
    def _remind(self, days_late=5, **profile):
        partner = self._customer(f"Tone {len(self._partners)}", **profile)
        self._partners.append(partner)
        self._invoice(partner, days_late)
        self._run()
        mail = self._mails(partner)
        self.assertEqual(len(mail), 1)
        return partner, mail

    def setUp(self):
        super().setUp()
        self._partners = []

    def test_four_variants_in_english(self):
        bodies = {}
        for (style, formality), sentence in FRIENDLY.items():
            partner, mail = self._remind(followup_style=style, followup_formality=formality)
            self.assertIn(sentence, mail.body_html, (style, formality))
            self.assertEqual(self._events(partner).tone, f"{style}_{formality}")
            self.assertIn("Dear" if formality == "formal" else "Hello", mail.body_html)
            self.assertIn(
                "Kind regards" if formality == "formal" else "Best wishes", mail.body_html
            )
            bodies[style, formality] = mail.body_html
        for (style, formality), body in bodies.items():
            for other, sentence in FRIENDLY.items():
                if other != (style, formality):
                    self.assertNotIn(sentence, body)

    def test_severity_follows_the_ladder(self):
        _partner, courtesy = self._remind(days_late=-2)
        self.assertIn("fall due shortly", courtesy.body_html)
        self.assertIn("Friendly note: invoices due soon", courtesy.subject)
        _partner, firm = self._remind(days_late=16)
        self.assertIn("Despite our earlier reminders", firm.body_html)

    def test_senior_tier_is_always_formal(self):
        partner, mail = self._remind(
            days_late=46, followup_style="direct", followup_formality="informal"
        )
        self.assertIn("Dear", mail.body_html)
        self.assertIn("Kind regards", mail.body_html)
        self.assertEqual(self._events(partner, channel="email").tone, "direct_formal")

    def test_french_and_german_wording(self):
        for code in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"]._load_module_terms(
            ["payment_followup_plus"], ["fr_FR", "de_DE"]
        )
        _partner, fr_mail = self._remind(
            lang="fr_FR", followup_style="indirect", followup_formality="formal"
        )
        self.assertIn("Peut-être cela vous a-t-il échappé", fr_mail.body_html)
        self.assertIn("Voir et payer en ligne", fr_mail.body_html)
        self.assertIn("Cordialement", fr_mail.body_html)
        self.assertIn("Rappel de paiement", fr_mail.subject)
        self.assertNotIn("Perhaps this has escaped", fr_mail.body_html)
        _partner, de_mail = self._remind(
            lang="de_DE", followup_style="direct", followup_formality="informal"
        )
        self.assertIn("Die unten aufgeführten Rechnungen sind jetzt überfällig", de_mail.body_html)
        self.assertIn("Hallo", de_mail.body_html)
        self.assertIn("Zahlungserinnerung", de_mail.subject)
        _partner, de_formal = self._remind(
            lang="de_DE", followup_style="direct", followup_formality="formal"
        )
        self.assertIn("Laut unseren Unterlagen", de_formal.body_html)
        self.assertIn("Mit freundlichen Grüßen", de_formal.body_html)
        # messages of the wizards reach the accountant in their language too
        wizard = self.env["payment.followup.plan.wizard"].with_context(lang="fr_FR")
        with self.assertRaisesRegex(ValidationError, "doit être un nombre, pas « dix »"):
            wizard.create({"partner_id": self.env.company.partner_id.id, "down_payment": "dix"})
