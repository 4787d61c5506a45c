import re
from datetime import timedelta

from odoo import Command, fields, http
from odoo.tests import tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon


class FollowupHttpCommon(AccountTestInvoicingHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The map of static folders is built lazily by the first request. Built
        # here, once, it is not parsed by several server threads at the same
        # time, which on some CPython 3.11 releases fails at random with
        # "AST constructor recursion depth mismatch" (CPython gh-106905).
        http.root.statics  # noqa: B018


@tagged("post_install", "-at_install")
class TestFollowupHttp(FollowupHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company._pfp_ensure_default_policy()
        cls.env.company.followup_min_gap_days = 0
        cls.env.company.email = "accounts@yourcompany.example.com"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Customer", "email": "tour.customer@example.com", "is_company": True}
        )
        due = fields.Date.context_today(cls.customer) - timedelta(days=20)
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": due,
                "invoice_date_due": due,
                "invoice_line_ids": [
                    Command.create({"name": "Service", "quantity": 1, "price_unit": 420.0})
                ],
            }
        )
        cls.invoice.action_post()

    def _reminder(self):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer.id),
                ("message_type", "=", "comment"),
            ]
        )

    def test_reminder_link_opens_the_invoice_in_the_portal(self):
        self.env["payment.followup.run"]._run_company(self.env.company)
        body = self._reminder().body_html
        link = re.search(
            r'href="[^"]*(/my/invoices/%s\?access_token=[^"]+)"' % self.invoice.id, body
        ).group(1)
        response = self.url_open(link)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.invoice.name, response.text)
        self.assertIn("420.00", response.text)
        # a wrong token shows nothing of the invoice
        bad = self.url_open(f"/my/invoices/{self.invoice.id}?access_token=not-the-token")
        self.assertNotIn("420.00", bad.text)
        self.assertIn("/web/login", bad.url)

    def test_customers_to_follow_up_and_run_now_in_the_browser(self):
        self.start_tour(
            "/odoo/action-payment_followup_plus.action_payment_followup_customer",
            "payment_followup_run_now",
            login=self.env.user.login,
        )
        cron = self.env.ref("payment_followup_plus.ir_cron_payment_followup")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.assertEqual(len(self._reminder()), 1)
        # the email waits in the mail queue: no level until the server takes it
        self.assertFalse(self.invoice.followup_level_id)
        self.env["mail.mail"].search([("state", "=", "outgoing")]).send()
        self.assertEqual(self.invoice.followup_level_id.days, 3, "the first level first")

    def test_the_settings_menu_opens_the_follow_up_settings(self):
        self.start_tour(
            "/odoo/action-payment_followup_plus.action_payment_followup_settings",
            "payment_followup_settings",
            login=self.env.user.login,
        )

    def test_propose_a_payment_plan_in_the_browser(self):
        self.start_tour(
            f"/odoo/action-base.action_partner_form/{self.customer.id}",
            "payment_followup_plan_wizard",
            login=self.env.user.login,
        )
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.agreed_by, "Paul Payer")
        self.assertEqual(plan.line_ids.mapped("amount"), [105.0] * 4)
        self.assertEqual(self.invoice.followup_plan_id, plan)

    def test_dashboard_and_my_followups_in_the_browser(self):
        self.env["payment.followup.delay.wizard"].with_context(
            active_model="account.move", active_ids=self.invoice.ids
        ).create(
            {"reason_id": self.env.ref("payment_followup_plus.delay_reason_dispute").id, "days": 3}
        ).action_confirm()
        # the dispute's to-do falls due today, so it is in today's list
        activity = self.env["mail.activity"].search([("followup_kind", "=", "dispute")])
        activity.write(
            {"date_deadline": fields.Date.context_today(activity), "user_id": self.env.uid}
        )
        self.start_tour(
            "/odoo/followup-dashboard", "payment_followup_cockpit", login=self.env.user.login
        )
        dash = self.env["payment.followup.dashboard"].search(
            [("user_id", "=", self.env.uid), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(dash.overdue, 420.0)


@tagged("post_install", "-at_install")
class TestFollowupOptOutLink(FollowupHttpCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Opt Out Co", "email": "o@example.com"}
        )
        cls.other = cls.env["res.partner"].create({"name": "Other Co", "email": "x@example.com"})

    def _url(self, partner, token):
        return f"/payment_followup/opt_out/{partner.id}/{token}"

    def test_opt_out_link(self):
        token = self.customer._followup_opt_out_token()
        page = self.url_open(self._url(self.customer, token))
        self.assertEqual(page.status_code, 200)
        self.assertIn("Opt Out Co", page.text)
        self.assertFalse(self.customer.followup_opt_out, "a GET changes nothing")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        # without the CSRF token the POST is refused
        refused = self.url_open(self._url(self.customer, token), data={"x": "1"})
        self.assertNotEqual(refused.status_code, 200)
        self.assertFalse(self.customer.followup_opt_out)
        done = self.url_open(self._url(self.customer, token), data={"csrf_token": csrf})
        self.assertEqual(done.status_code, 200)
        self.assertIn("Payment reminders are no longer sent by email", done.text)
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.followup_opt_out)
        event = (
            self.env["payment.followup.event"]
            .sudo()
            .search([("partner_id", "=", self.customer.id)])
        )
        self.assertIn("reminder link", event.result)

    def test_opt_out_page_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        french = self.env["res.partner"].create(
            {"name": "Atelier Lumière", "email": "a@example.com", "lang": "fr_FR"}
        )
        token = french._followup_opt_out_token()
        # the browser asks for English; the customer reads French
        page = self.url_open(self._url(french, token), headers={"Accept-Language": "en-US"})
        self.assertIn("Arrêter l'envoi des relances de paiement par e-mail", page.text)
        self.assertIn("Atelier Lumière", page.text)

    def test_bad_tokens_and_other_customers(self):
        token = self.customer._followup_opt_out_token()
        for url in (
            self._url(self.customer, "wrong-token"),
            self._url(self.other, token),  # my token, another customer's id
            f"/payment_followup/opt_out/999999999/{token}",
        ):
            self.assertEqual(self.url_open(url).status_code, 404, url)
        page = self.url_open(self._url(self.customer, token))
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = self.url_open(self._url(self.other, token), data={"csrf_token": csrf})
        self.assertEqual(response.status_code, 404)
        self.other.invalidate_recordset()
        self.assertFalse(self.other.followup_opt_out)
