from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupCharges(PaymentFollowupCommon):
    """Late-payment charges on real invoices: the statement, the draft
    charge invoice, never twice, never on a dispute, never across companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2016-01-01", 1.0)])
        cls.company.followup_jurisdiction = "de"
        cls.customer = cls._customer("Charge GmbH")

    def _late_invoice(self, amount=10000.0, due=date(2025, 6, 15), partner=None):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or self.customer).id,
                "currency_id": self.eur.id,
                "invoice_date": due,
                "date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Machine", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _wizard(self, until, partner=None):
        return (
            self.env["payment.followup.charge.wizard"]
            .with_context(active_model="res.partner", active_id=(partner or self.customer).id)
            .create({"date": until})
        )

    def test_statement_then_draft_invoice_to_the_cent(self):
        late = self._late_invoice()
        wizard = self._wizard(date(2025, 9, 30))
        line = wizard.line_ids
        self.assertEqual(wizard.jurisdiction, "Germany (§288 BGB)")
        self.assertEqual((line.invoice_id, line.days), (late, 107))
        self.assertEqual((line.interest, line.compensation), (305.18, 40.0))
        self.assertIn("15 days at 11.27%", line.detail)
        self.assertIn("92 days at 10.27%", line.detail)
        self.assertTrue(wizard.get_views([(False, "form")])["views"]["form"]["arch"])
        action = wizard.action_confirm()
        charge_invoice = self.env["account.move"].browse(action["res_id"])
        self.assertEqual(charge_invoice.state, "draft", "nothing is posted without a person")
        self.assertEqual(charge_invoice.currency_id, self.eur)
        self.assertEqual(charge_invoice.invoice_line_ids.mapped("price_unit"), [305.18, 40.0])
        self.assertIn(late.name, charge_invoice.invoice_line_ids[0].name)
        self.assertEqual(charge_invoice.amount_total, 345.18)
        self.assertFalse(charge_invoice.invoice_line_ids.tax_ids)

    def test_a_rerun_charges_only_the_new_days(self):
        late = self._late_invoice()
        self._wizard(date(2025, 9, 30)).action_confirm()
        again = self._wizard(date(2025, 9, 30))
        self.assertEqual(again.line_ids.skip, "Already charged up to this date")
        with self.assertRaises(UserError):
            again.action_confirm()
        later = self._wizard(date(2025, 10, 31))
        self.assertEqual(later.line_ids.date_from, date(2025, 10, 1))
        self.assertEqual(later.line_ids.days, 31)
        # 10,000 × 31 × 10.27 % / 365 = 87.22; no second compensation
        self.assertEqual((later.line_ids.interest, later.line_ids.compensation), (87.22, 0.0))
        later.action_confirm()
        charges = self.env["payment.followup.charge"].search([("invoice_id", "=", late.id)])
        self.assertEqual(sorted(charges.mapped("days")), [31, 107])

    def test_a_cancelled_charge_invoice_frees_its_days(self):
        self._late_invoice()
        action = self._wizard(date(2025, 9, 30)).action_confirm()
        self.env["account.move"].browse(action["res_id"]).button_cancel()
        self.assertEqual(self._wizard(date(2025, 9, 30)).line_ids.days, 107)

    def test_disputed_invoices_are_never_charged(self):
        late = self._late_invoice()
        disputed = self._late_invoice(500.0)
        wizard = (
            self.env["payment.followup.delay.wizard"]
            .with_context(active_model="account.move", active_ids=disputed.ids)
            .create({"reason_id": self.env.ref("payment_followup_plus.delay_reason_dispute").id})
        )
        wizard.action_confirm()
        # the dispute holds the invoice from today: today's statement skips it
        # (the rate of the second half of 2026 is not shipped: a manager adds it)
        self.env["payment.followup.legal.rate"].create(
            {"kind": "de_base", "date_from": date(2026, 7, 1), "rate": 1.27}
        )
        until = fields.Date.context_today(self.customer)
        lines = self._wizard(until).line_ids
        skipped = lines.filtered("skip")
        self.assertEqual(skipped.invoice_id, disputed)
        self.assertEqual(skipped.skip, "Under dispute: not charged")
        self.assertEqual((lines - skipped).invoice_id, late)

    def test_a_missing_rate_is_a_clear_error_not_zero(self):
        self._late_invoice(due=date(2023, 6, 15))
        with self.assertRaises(UserError) as err:
            self._wizard(date(2023, 9, 30))
        # the rate as people know it, not its code (issue #22)
        self.assertIn("Bundesbank base rate (§247 BGB)", str(err.exception))
        self.assertNotIn("de_base", str(err.exception))
        self.assertIn("01/01/2023", str(err.exception))
        self.assertIn("Reference rates", str(err.exception))
        self.assertFalse(self.env["payment.followup.charge"].search([]))

    def _reminded(self, invoice, on):
        reminder = self._delivered(invoice, self.levels[15])
        reminder.write({"date": on, "delivered_date": on})
        return reminder

    def test_consumers_and_partial_payments(self):
        person = self.env["res.partner"].create({"name": "Erika Muster", "is_company": False})
        late = self._late_invoice(partner=person)
        self._pay(late, amount=4000.0, date=date(2025, 8, 1))
        # a consumer owes interest only once reminded after the due date
        not_yet = self._wizard(date(2025, 9, 30), partner=person).line_ids
        self.assertEqual(not_yet.skip, "Not reminded yet: a consumer owes no interest")
        self._reminded(late, date(2025, 6, 10))  # before the due date: no default
        not_yet = self._wizard(date(2025, 9, 30), partner=person).line_ids
        self.assertEqual(not_yet.skip, "Not reminded yet: a consumer owes no interest")
        with self.assertRaises(UserError) as err:
            self.env["payment.followup.legal"]._compute(late, date(2025, 9, 30))
        self.assertIn(
            "A consumer owes late-payment interest only once reminded", str(err.exception)
        )
        self._reminded(late, date(2025, 6, 30))
        line = self._wizard(date(2025, 9, 30), partner=person).line_ids
        self.assertFalse(line.skip)
        self.assertEqual((line.date_from, line.days), (date(2025, 7, 1), 92))
        # base + 5 for consumers, from the day after the reminder, 6,000 from
        # 1 August; no fixed compensation:
        # (10,000 × 31 + 6,000 × 61) × 6.27 % / 365 = 116.12
        self.assertEqual((line.interest, line.compensation), (116.12, 0.0))
        self.assertIn("Interest from the day after our reminder of 06/30/2025", line.detail)
        # one day is said as one day
        one_day = self._wizard(date(2025, 7, 1), partner=person).line_ids
        self.assertIn(
            "07/01/2025: 1 day at 6.27% on 10,000.00 €", one_day.detail.replace("\xa0", " ")
        )
        self.assertEqual(one_day.interest, 1.72)  # 10,000 × 6.27 % / 365 = 1.7178
        self.assertIn(
            "08/01/2025 to 09/30/2025: 61 days at 6.27% on 6,000.00 €",
            line.detail.replace("\xa0", " "),
        )

    def test_the_charge_invoice_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["de_DE"])
        self.customer.lang = "de_DE"
        late = self._late_invoice()
        action = self._wizard(date(2025, 9, 30)).action_confirm()
        lines = self.env["account.move"].browse(action["res_id"]).invoice_line_ids
        self.assertIn(f"Verzugszinsen auf {late.name}", lines[0].name)
        self.assertIn("92 Tage zu 10,27 %", lines[0].name)
        self.assertIn("Verzugspauschale", lines[1].name)
        self.assertEqual(lines.mapped("price_unit"), [305.18, 40.0])

    def test_only_follow_up_users_charge(self):
        self._late_invoice()
        wizard = self._wizard(date(2025, 9, 30))
        outsider = self.env["res.users"].create(
            {
                "name": "Sales only",
                "login": "sales_only_charges",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            wizard.with_user(outsider).action_confirm()

    def test_reference_rates_are_half_years_and_per_company(self):
        Rate = self.env["payment.followup.legal.rate"]
        with self.assertRaises(ValidationError):
            Rate.create({"kind": "ecb", "date_from": date(2027, 3, 1), "rate": 2.0})
        Rate.create(
            {
                "kind": "ecb",
                "date_from": date(2025, 7, 1),
                "rate": 9.0,
                "company_id": self.company.id,
            }
        )
        rates = Rate._engine_rates(self.company)
        self.assertEqual(str(rates[("ecb", date(2025, 7, 1))]), "9.0")
        # named as people know it (a breadcrumb showed "ecb")
        own = Rate.search([("company_id", "=", self.company.id)])
        self.assertEqual(own.display_name, "ECB main refinancing rate from 07/01/2025")
        other = self.env["res.company"].create({"name": "Other rates"})
        self.assertEqual(str(Rate._engine_rates(other)[("ecb", date(2025, 7, 1))]), "2.15")

    def test_bundesbank_rates_derived_from_the_ecb_rate(self):
        Rate = self.env["payment.followup.legal.rate"]
        Rate.create({"kind": "ecb", "date_from": date(2026, 7, 1), "rate": 2.40})
        clerk = self._followup_user(self.company, "clerk_rates")
        with self.assertRaises(AccessError):
            Rate.with_user(clerk).action_derive_german_base_rates()
        action = Rate.action_derive_german_base_rates()
        self.assertIn("1.52 % from 07/01/2026", action["params"]["message"])
        added = Rate.search([("kind", "=", "de_base"), ("date_from", "=", date(2026, 7, 1))])
        self.assertEqual(added.rate, 1.52)  # 1.27 + (2.40 - 2.15)
        self.assertIn("§247 BGB", added.source)
        # nothing twice
        again = Rate.action_derive_german_base_rates()
        self.assertIn("Nothing to add", again["params"]["message"])
        self.assertEqual(Rate.search_count([("kind", "=", "de_base")]), 6)

    @freeze_time("2026-11-24 10:00:00")
    def test_a_final_notice_shows_the_charges_accrued_so_far(self):
        self.levels[60].show_charges = True
        self.env["payment.followup.legal.rate"].create(
            {"kind": "de_base", "date_from": date(2026, 7, 1), "rate": 1.27}
        )
        today = date(2026, 11, 24)
        late = self._late_invoice(due=today - timedelta(days=65))
        # delivered 20 days before the run's day (not before the real today)
        self._delivered(late, self.levels[45], days_ago=(self.today - today).days + 20)
        self.followup._run_company(self.company, today=today)
        reminder = self._reminders(self.customer)[-1]
        self.assertEqual(reminder.level_id, self.levels[60])
        # 10,000 × 65 × 10.27 % / 365 = 182.89; €40 at the test rate of 1
        sentence = (
            "Late-payment interest of 182.89 € and fixed compensation of 40.00 € have accrued "
            "on the overdue invoices up to 11/24/2026."
        )
        for html in (reminder.email_preview, reminder.letter_preview):
            self.assertIn(sentence, self._text(html).replace("\xa0", " "))
        # what the customer read is kept as read, whatever changes later
        self.env["payment.followup.legal.rate"].search(
            [("kind", "=", "de_base"), ("date_from", "=", date(2026, 7, 1))]
        ).unlink()
        reminder.invalidate_recordset()
        self.assertEqual(reminder.charges_sentence.replace("\xa0", " "), sentence)
        # but without a rate for every late day, a new reminder claims nothing
        self.assertEqual(self.env["payment.followup.legal"]._charges_sentences(reminder), {})

    def test_no_charges_for_days_to_come(self):
        self._late_invoice()
        with self.assertRaises(UserError) as err:
            self._wizard(fields.Date.context_today(self.customer) + timedelta(days=1))
        self.assertIn("up to today at the latest", str(err.exception))
        self.assertFalse(self.env["payment.followup.charge"].search([]))

    def test_the_demo_charges_work_on_the_demos_date_and_say_their_rates_are_demo_figures(self):
        """The demo runs on its own date, a half-year the shipped rates may not
        reach: the demo carries the last rates forward, each saying it is a
        demo figure; without them the wizard names what a manager must add."""
        today = date(2026, 12, 7)
        Rate = self.env["payment.followup.legal.rate"]
        self._late_invoice(due=date(2026, 9, 1))
        with freeze_time(today), self.assertRaises(UserError) as err:
            self._wizard(today)
        self.assertIn("Bundesbank base rate (§247 BGB)", str(err.exception))
        self.assertIn("07/01/2026", str(err.exception))
        with freeze_time(today):
            added = Rate._demo_carry_forward(today)
            self.assertIn(("de_base", date(2026, 7, 1)), [(r.kind, r.date_from) for r in added])
            self.assertTrue(all("Demo figure" in r.source for r in added))
            self.assertFalse(Rate._demo_carry_forward(today), "once is enough")
            wizard = self._wizard(today)
        self.assertTrue(wizard.line_ids.filtered(lambda ln: not ln.skip))

    def test_no_rules_names_the_customer_and_where_to_set_them(self):
        self.company.followup_jurisdiction = False
        self.company.country_id = self.env.ref("base.us")
        self._late_invoice()
        with self.assertRaises(UserError) as err:
            self._wizard(date(2025, 9, 30))
        self.assertIn("No statutory late-payment rules apply to Charge GmbH", str(err.exception))
        self.assertIn("on the customer (Follow-up tab)", str(err.exception))
        self.customer.followup_jurisdiction = "de"
        self.assertTrue(self._wizard(date(2025, 9, 30)).line_ids)

    def test_a_charge_line_of_one_rate_says_its_period_once(self):
        late = self._late_invoice(due=date(2025, 8, 1))
        action = self._wizard(date(2025, 9, 30)).action_confirm()
        name = self.env["account.move"].browse(action["res_id"]).invoice_line_ids[0].name
        self.assertIn("Late-payment interest on %s: 08/02/2025 to 09/30/2025" % late.name, name)
        self.assertEqual(name.count("08/02/2025"), 1, name)
        self.assertNotIn("2025-", name, "no ISO date")

    def test_a_partial_payment_pays_costs_then_interest_then_principal(self):
        late = self._late_invoice()
        action = self._wizard(date(2025, 9, 30)).action_confirm()
        charges = self.env["account.move"].browse(action["res_id"])
        charges.action_post()
        self.company.followup_allocation_rule = "bgb"
        day = date(2025, 10, 20)
        # the customer names the charges invoice: §367 within it
        self.assertEqual(
            (late | charges)._followup_allocate(100.0, day, chosen=charges),
            [(charges, "costs", 40.0), (charges, "interest", 60.0)],
        )
        # no choice: §366, the older due debt first, then the charges' parts
        self.assertEqual(
            (late | charges)._followup_allocate(10100.0, day),
            [(late, "principal", 10000.0), (charges, "costs", 40.0), (charges, "interest", 60.0)],
        )
        self.assertEqual(charges._followup_debt_parts(), {charges.id: (40.0, 305.18)})
        # what was paid of the charges invoice went to its costs first, then interest
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=charges.ids
        ).create({"amount": 50.0, "payment_date": day})._create_payments()
        self.assertEqual(charges._followup_debt_parts(), {charges.id: (0.0, 295.18)})
