import html
import re
from datetime import date

from odoo.tests import tagged
from odoo.tools import SQL, format_date

from ..models.core.payment_followup_reminder_line import _Formats
from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupRules(PaymentFollowupCommon):
    """Each customer rule has one home, and its SQL twin gives the same answer
    on the same data (issue #24)."""

    def test_whose_customer_it_is_in_python_and_in_sql(self):
        team = self.env["payment.followup.team"]
        boss = self._followup_user(self.company, login="rules_boss")
        seller = self._followup_user(self.company, login="rules_seller")
        default = self._followup_user(self.company, login="rules_default")
        own = self._customer("Own Responsible", followup_responsible_id=boss.id, user_id=seller.id)
        sold = self._customer("Salesperson Only", user_id=seller.id)
        nobody = self._customer("Nobody Set")
        contact = self.env["res.partner"].create({"name": "A contact", "parent_id": own.id})
        cases = {own: boss, sold: seller, nobody: self.env["res.users"], contact: boss}
        for company_default in (False, default):
            self.company.followup_user_id = company_default
            if company_default:
                cases[nobody] = default
            self.env.flush_all()
            rows = dict(
                self.env.execute_query(
                    SQL(
                        """SELECT c.id, %s FROM res_partner c
                             JOIN res_partner p ON p.id = c.commercial_partner_id,
                                  res_company co
                            WHERE co.id = %s AND c.id IN %s""",
                        team._responsible_sql("p", "co"),
                        self.company.id,
                        tuple(p.id for p in cases),
                    )
                )
            )
            for partner, expected in cases.items():
                with self.subTest(partner=partner.name, company_default=bool(company_default)):
                    self.assertEqual(team._responsible_of(partner, self.company), expected)
                    self.assertEqual(rows[partner.id] or False, expected.id or False)
        # the customer list and the cockpit's filter read the same rule
        self._invoice(sold, 20, 100.0)
        self._invoice(nobody, 20, 100.0)
        listed = self.env["payment.followup.customer"].search(
            [("partner_id", "in", (sold | nobody).ids)]
        )
        self.assertEqual(
            {row.partner_id: row.user_id for row in listed}, {sold: seller, nobody: default}
        )
        dash = self.env["payment.followup.dashboard"].create({"responsible_id": default.id})
        kept = set(self.env["payment.followup.cockpit"]._partner_ids(dash))
        self.assertEqual(kept & {sold.id, nobody.id}, {nobody.id})

    def test_the_customers_language_in_python_and_in_every_document(self):
        """The follow-up contact's language, else the customer's: the same for
        the rule and its field, and the plan's PDF and its email agree (the PDF
        used the company's language while the email used the contact's)."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        Partner = self.env["res.partner"]
        plain = self._customer("Plain English", lang="en_US")
        french_contact = self._customer("Anglo Ltd", lang="en_US")
        contact = Partner.create(
            {"name": "Claire", "parent_id": french_contact.id, "lang": "fr_FR", "email": "c@x.fr"}
        )
        french_contact.followup_contact_id = contact
        no_lang = self._customer("No Language")
        no_lang.lang = False
        for partner, expected in ((plain, "en_US"), (french_contact, "fr_FR"), (no_lang, False)):
            with self.subTest(partner=partner.name):
                self.assertEqual(partner._followup_lang(), expected)
                self.assertEqual(partner.followup_lang, expected)
        self.assertEqual(contact._followup_lang(), "fr_FR", "a contact reads as its customer")
        plan = self._plan(self._invoice(french_contact, 20, 300.0), installment_count=2)
        pdf = self._text(
            self.env["ir.actions.report"]
            ._render_qweb_html("payment_followup_plus.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("Accord de plan de paiement", pdf)
        template = self.env.ref("payment_followup_plus.mail_template_plan_agreement")
        self.assertEqual(template._render_lang(plan.ids), {plan.id: "fr_FR"})

    def test_the_customers_today_in_python_and_in_sql(self):
        """Auckland, Los Angeles, a customer without a time zone in a company in
        Paris, and one in a company without one: the same day both ways."""
        Move = self.env["account.move"]
        guardrails = self.env["payment.followup.guardrails"]
        self.company.partner_id.tz = "Europe/Paris"
        partners = [
            self._customer("Kiwi Today", tz="Pacific/Auckland"),
            self._customer("Yank Today", tz="America/Los_Angeles"),
            self._customer("Zoneless Today", tz=False),
        ]
        self.env.flush_all()
        (now,) = self.env.execute_query(SQL("SELECT now()"))[0]
        rows = dict(
            self.env.execute_query(
                SQL(
                    """SELECT p.id, %s FROM res_partner p, res_company c
                         JOIN res_partner cp ON cp.id = c.partner_id
                        WHERE c.id = %s AND p.id IN %s""",
                    Move._followup_local_today_sql("p", "cp"),
                    self.company.id,
                    tuple(p.id for p in partners),
                )
            )
        )
        for partner in partners:
            with self.subTest(partner=partner.name):
                self.assertEqual(
                    guardrails._partner_today(partner, now=now, company=self.company),
                    rows[partner.id],
                )

    def test_open_and_overdue_in_python_and_in_sql(self):
        """Open: posted, not fully paid; overdue: open and due *before* the
        customer's own today. Python, SQL and the customer list agree for a
        customer in Auckland and one in Los Angeles, on the invoice due on
        their today and the one due the day before."""
        Move = self.env["account.move"]
        guardrails = self.env["payment.followup.guardrails"]
        expected = Move
        invoices = Move
        customers = self.env["res.partner"]
        for name, tz in (("Kiwi Due", "Pacific/Auckland"), ("Yank Due", "America/Los_Angeles")):
            partner = self._customer(name, tz=tz)
            customers |= partner
            shift = (self.today - guardrails._partner_today(partner, company=self.company)).days
            due_today = self._invoice(partner, shift, 100.0)
            due_yesterday = self._invoice(partner, shift + 1, 200.0)
            draft = self._invoice(partner, shift + 5, 300.0, post=False)
            invoices |= due_today | due_yesterday | draft
            expected |= due_yesterday
        posted = invoices.filtered(lambda m: m.state == "posted")
        self.assertEqual(len(posted), 4)
        self.assertEqual(invoices.filtered(lambda m: m._followup_is_open()), posted)
        self.assertEqual(
            Move.search(Move._followup_open_domain() + [("id", "in", invoices.ids)]), posted
        )
        self.assertEqual(invoices._followup_overdue(), expected)
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                """SELECT m.id FROM account_move m
                     JOIN res_partner p ON p.id = m.commercial_partner_id
                     JOIN res_company c ON c.id = m.company_id
                     JOIN res_partner cp ON cp.id = c.partner_id
                    WHERE m.id IN %s AND %s""",
                tuple(invoices.ids),
                Move._followup_overdue_sql("m", "p", "cp"),
            )
        )
        self.assertEqual({row[0] for row in rows}, set(expected.ids))
        listed = self.env["payment.followup.customer"].search([("partner_id", "in", customers.ids)])
        self.assertEqual(
            {row.partner_id.name: row.amount_overdue for row in listed},
            {"Kiwi Due": 200.0, "Yank Due": 200.0},
        )

    def test_the_customers_amounts_and_dates_read_the_same_everywhere(self):
        """A reminder's lines format their amounts and dates set-wise
        (``_Formats``, the language's settings read once); they must write
        exactly what the totals and the portal write (``formatLang``), what the
        letters write (the monetary widget) and Odoo's ``format_date``, in each
        language and with a symbol two active currencies share. Half-up, as
        the money rule: the totals rounded 0.125 to 0.12 (formatLang's
        half-even) where the lines wrote 0.13."""
        for code in ("fr_FR", "de_DE"):
            self.env["res.lang"]._activate_lang(code)
        usd, eur, nzd = (self.env.ref(f"base.{c}") for c in ("USD", "EUR", "NZD"))
        (eur | nzd).active = True
        Partner = self.env["res.partner"]
        Monetary = self.env["ir.qweb.field.monetary"]
        amounts = (0.0, 2.675, 1234.5, 1234567.891, -5.005, 0.125)
        days = (date(2026, 1, 5), date(2026, 12, 31))
        for code in ("en_US", "fr_FR", "de_DE"):
            formats = _Formats(self.env, code)
            env = self.env(context=dict(self.env.context, lang=code))
            for currency in (usd, eur, nzd):
                for amount in amounts:
                    with self.subTest(lang=code, currency=currency.name, amount=amount):
                        text = formats.money(amount, currency)
                        self.assertEqual(
                            Partner._followup_format_amounts({currency: amount}, code), text
                        )
                        widget = Monetary.with_context(lang=code).value_to_html(
                            amount, {"display_currency": currency}
                        )
                        plain = html.unescape(re.sub(r"<[^>]+>", "", str(widget)))
                        self.assertEqual(plain.replace("\ufeff", ""), text)
            for day in days:
                with self.subTest(lang=code, day=day):
                    self.assertEqual(formats.date(day), format_date(env, day))
        # the shared "$" names its currency; the euro keeps its sign
        self.assertEqual(_Formats(self.env, "en_US").money(1234.5, nzd), "NZD\xa01,234.50")
        self.assertEqual(_Formats(self.env, "fr_FR").money(1234.5, eur), "1\xa0234,50\xa0€")
        self.assertEqual(_Formats(self.env, "en_US").money(0.125, usd), "USD\xa00.13")

    def test_the_channel_registry_is_the_one_list_of_channels(self):
        """Each adapter declares its key, order, level field and flags; every
        list of channels is read from there."""
        Channel = self.env["payment.followup.channel"]
        self.assertEqual(Channel._codes(), ("legal", "call", "email", "sms", "letter", "activity"))
        # SMS came as one adapter file: it counts as a contact, not as written notice
        self.assertEqual(Channel._codes(contact=True), ("call", "email", "sms", "letter"))
        self.assertEqual(Channel._codes(written=True), ("email", "letter"))
        self.assertEqual(Channel._codes(exclusive=True), ("legal",))
        Level = self.env["payment.followup.level"]
        events = dict(self.env["payment.followup.event"]._fields["channel"].selection)
        for adapter in Channel._registry():
            with self.subTest(channel=adapter._channel):
                self.assertIn(adapter._level_field, Level._fields)
                self.assertIn(adapter._channel, events, "the history can say it")
        # a level's channels as the adapters put them
        run = self.env["payment.followup.run"]
        level = Level.new({"send_email": True, "schedule_call": True, "create_activity": True})
        paper = self._customer("Paper Rules", followup_channel="letter")
        self.assertEqual(run._channels_of_level(level, paper), {"letter", "call", "activity"})
        level.open_legal_case = True
        self.assertEqual(run._channels_of_level(level, paper), {"legal"})
