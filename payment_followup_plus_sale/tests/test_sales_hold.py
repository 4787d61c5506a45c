import json
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.payment_followup_plus.tests.portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestSalesHold(PortalCommon):
    """New sales of a customer whose invoice reached the final notice wait,
    on every path; a manager may release one order; paying releases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()
        cls.final = cls.levels[max(cls.levels)]
        cls.assertTrue(cls, cls.final.sales_effect == "hold", "the final notice holds by default")
        cls.overdue = cls._invoice(cls.acme, 70, 500.0)
        cls._delivered(cls.overdue, cls.final)
        cls.product = cls.env["product.product"].create(
            {"name": "Installation", "type": "service", "list_price": 100.0}
        )
        cls.salesman = new_test_user(
            cls.env, "hold_salesman", groups="sales_team.group_sale_salesman"
        )
        cls.manager = new_test_user(
            cls.env,
            "hold_manager",
            groups="sales_team.group_sale_manager,"
            "payment_followup_plus_sale.group_release_credit_hold",
        )
        cls.Hold = cls.env["payment.followup.sales.hold"]
        cls.Hold._refresh(cls.company)

    def _quote(self, partner=None, company=None, **vals):
        return (
            self.env["sale.order"]
            .with_company(company or self.company)
            .create(
                {
                    "partner_id": (partner or self.acme).id,
                    "company_id": (company or self.company).id,
                    "user_id": self.salesman.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2, "tax_id": False}
                        )
                    ],
                    **vals,
                }
            )
        )

    def test_the_hold_is_stored_with_its_reason(self):
        hold = self.Hold.search([("partner_id", "=", self.acme.id)])
        self.assertEqual((hold.state, hold.reasons, hold.level_id), ("hold", "level", self.final))
        self.assertEqual(hold.overdue, 850.0)  # 500 at the final notice, 100 and 250 too
        self.assertIn("reached %s" % self.final.name, hold.message)
        self.assertIn("settled or a payment plan is agreed", hold.message)
        # the quotation's banner extends Odoo's credit warning; the customer's form says it
        quote = self._quote()
        self.assertIn("Credit hold for %s" % self.acme.name, quote.partner_credit_warning)
        self.assertEqual(self.acme.followup_sales_hold_message, hold.message)
        self.assertEqual(hold.sales_waiting, 200.0)
        self.assertFalse(self.Hold.search([("partner_id", "=", self.other.id)]))

    def test_button_rpc_mass_and_copy_are_refused(self):
        quote = self._quote()
        with self.assertRaisesRegex(UserError, "cannot be confirmed. Credit hold"):
            quote.with_user(self.salesman).action_confirm()
        free = self._quote(partner=self.other)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            (free | quote).with_user(self.salesman).action_confirm()
        self.assertEqual((free.state, quote.state), ("draft", "draft"), "nothing half-done")
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            quote.copy().action_confirm()
        # over RPC, as any client calls it
        self.authenticate("hold_salesman", "hold_salesman")
        response = self.url_open(
            "/web/dataset/call_kw/sale.order/action_confirm",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": "sale.order",
                        "method": "action_confirm",
                        "args": [quote.ids],
                        "kwargs": {},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertIn("cannot be confirmed", response.json()["error"]["data"]["message"])
        self.assertEqual(quote.state, "draft")
        # another customer's order goes through
        free.action_confirm()
        self.assertEqual(free.state, "sale")

    def test_the_portal_signature_leaves_it_waiting_and_says_why(self):
        quote = self._quote(require_signature=True, require_payment=False)
        quote.action_quotation_sent()
        url = "/my/orders/%s?access_token=%s" % (quote.id, quote._portal_ensure_token())
        page = self._plain(self.url_open(url))
        self.assertIn("We can confirm this order once the overdue balance is settled", page)
        self.assertIn("Propose a payment plan", page)
        result = self.make_jsonrpc_request(
            "/my/orders/%s/accept" % quote.id,
            {
                "access_token": quote.access_token,
                "name": "Ann Payer",
                "signature": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
                "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
            },
        )
        self.assertNotIn("error", result)
        self.assertEqual(quote.state, "sent", "signed, not confirmed")
        self.assertEqual(quote.signed_by, "Ann Payer")
        self.assertIn("not confirmed", " ".join(quote.message_ids.mapped("preview")))

    def test_paid_in_part_online_waits_paid_in_full_confirms(self):
        part = self._quote(require_payment=True, prepayment_percent=0.3)
        full = self._quote(require_payment=True, prepayment_percent=1.0)
        for quote, amount in ((part, 60.0), (full, 200.0)):
            tx = (
                self.env["payment.transaction"]
                .sudo()
                .create(
                    {
                        "provider_id": self.provider.id,
                        "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                        "amount": amount,
                        "currency_id": quote.currency_id.id,
                        "partner_id": self.acme.id,
                        "reference": "HOLD-%s" % quote.id,
                        "sale_order_ids": [Command.set(quote.ids)],
                    }
                )
            )
            tx._set_done()
            tx._post_process()
        self.assertIn(part.state, ("draft", "sent"), "a prepayment does not confirm it")
        self.assertIn("not confirmed", " ".join(part.message_ids.mapped("preview")))
        self.assertEqual(full.state, "sale", "paid in full online: confirmed")

    def test_a_manager_releases_one_order_with_a_reason(self):
        quote = self._quote()
        with self.assertRaisesRegex(UserError, "allowed to release"):
            quote.with_user(self.salesman).action_followup_release_hold()
        with self.assertRaisesRegex(UserError, "allowed to release"):
            quote.with_user(self.salesman)._followup_release("because")
        wizard = (
            self.env["payment.followup.sales.hold.override"]
            .with_user(self.manager)
            .create({"order_id": quote.id, "reason": "Urgent repair agreed with their CFO"})
        )
        wizard.action_release()
        self.assertEqual(quote.followup_hold_released_by, self.manager)
        self.assertIn("Urgent repair", quote.message_ids[0].body)
        self.assertIn("Urgent repair", self.acme.message_ids[0].body)
        event = self.env["payment.followup.event"].search([("sales_override", "=", True)])
        self.assertEqual(event.partner_id, self.acme)
        quote.with_user(self.salesman).action_confirm()
        self.assertEqual(quote.state, "sale")
        # that order only: the customer's next one waits
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            quote.copy().action_confirm()
        dash = self.env["payment.followup.dashboard"].create({})
        dash._refresh()
        self.assertEqual((dash.sales_holds, dash.sales_overrides), (1, 1))

    def test_paying_the_overdue_invoice_releases_and_tells_the_salesperson(self):
        quote = self._quote()
        self._pay(self.overdue)
        self.assertFalse(self.Hold.search([("partner_id", "=", self.acme.id)]))
        todo = quote.activity_ids.filtered(lambda a: "Credit hold lifted" in a.summary)
        self.assertEqual(todo.user_id, self.salesman)
        quote.action_confirm()
        self.assertEqual(quote.state, "sale")

    def test_another_company_is_unaffected_unless_the_policy_says_so(self):
        company_b = self.env["res.company"].create(
            {"name": "Hold B", "currency_id": self.company.currency_id.id}
        )
        self.env.user.company_ids |= company_b
        quote_b = self._quote(company=company_b)
        quote_b.action_confirm()
        self.assertEqual(quote_b.state, "sale")
        self.policy.sales_hold_all_companies = True
        self.Hold._refresh(self.company)
        with self.assertRaisesRegex(UserError, "cannot be confirmed"):
            self._quote(company=company_b).action_confirm()
        self.assertEqual(quote_b.state, "sale", "a confirmed order is never touched")

    def test_a_plan_agreed_releases(self):
        plan = self._plan(self.overdue, installment_count=2)
        self.assertEqual(plan.state, "active")
        self.assertFalse(self.Hold.search([("partner_id", "=", self.acme.id)]))

    def test_a_broken_promise_holds_and_a_closed_legal_case_releases(self):
        customer = self._customer("Promising Ltd")
        invoice = self._invoice(customer, 20, 300.0)
        promise = self.env["payment.followup.promise"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "invoice_ids": [Command.set(invoice.ids)],
                "promised_date": self.today - timedelta(days=2),
                "amount": 300.0,
                "currency_id": invoice.currency_id.id,
            }
        )
        promise._settle(self.today)
        self.assertEqual(promise.state, "broken")
        hold = self.Hold.search([("partner_id", "=", customer.id)])
        self.assertEqual((hold.state, hold.reasons), ("hold", "promise"))
        self.assertIn("a promise to pay was broken", hold.message)
        # a legal case holds whatever is overdue, until it is closed
        self.policy.sales_hold_promise = "none"
        case = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": customer.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        self.Hold._refresh(self.company, customer)
        hold = self.Hold.search([("partner_id", "=", customer.id)])
        self.assertEqual(hold.reasons, "legal")
        case.write({"state": "closed"})
        self.assertFalse(self.Hold.search([("partner_id", "=", customer.id)]))
