from datetime import timedelta

import requests

from odoo.tests import JsonRpcException, tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPortalPay(PortalCommon):
    """Paying from the customer's page with Odoo's payment flow (the demo
    provider): the amount comes from the server, and the follow-up follows
    the payment at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()

    def test_pay_the_invoices_chosen_keeps_the_promise(self):
        promise = (
            self.env["payment.followup.promise.wizard"]
            .with_context(active_model="account.move", active_ids=self.old.ids)
            .create({"promised_date": self.today + timedelta(days=5)})
        )
        promise.action_confirm()
        token = self.acme._followup_link_token()
        page = self._plain(
            self._page(
                "/my/payments/pay?pid=%s&token=%s&invoice_ids=%s"
                % (self.acme.id, token, self.old.id)
            )
        )
        self.assertIn("Amount to pay now $ 100.00", page)
        self.assertNotIn(self.late.name, page)
        tx = self._pay_online("inv-%s" % self.old.id, token=token, amount=0.01)
        self.assertEqual(tx.amount, 100.0, "the amount is the server's, not the browser's")
        self.assertEqual(tx.invoice_ids, self.old)
        self.assertEqual(self.old.payment_state, "paid")
        self.assertEqual(self.late.amount_residual, 250.0)
        self.env["payment.followup.promise"]._cron_check_promises()
        kept = self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(kept.state, "kept")
        # paying the last overdue invoice: nothing left to follow up
        self._pay_online("inv-%s" % self.late.id)
        self.assertIn("Nothing is overdue or due soon", self._plain(self._page()))

    def test_pay_the_next_installment_of_the_plan(self):
        plan = self._plan(self.old | self.late, installment_count=2)
        self.assertEqual(plan.state, "active")
        token = self.acme._followup_link_token()
        page = self._plain(self._page())
        self.assertIn("Next installment: $ 175.00", page)
        pay = self._plain(
            self._page(
                "/my/payments/pay?pid=%s&token=%s&plan_id=%s" % (self.acme.id, token, plan.id)
            )
        )
        self.assertIn("Amount to pay now $ 175.00", pay)
        tx = self._pay_online("plan-%s" % plan.id, token=token)
        self.assertEqual(tx.amount, 175.0)
        first, second = plan.line_ids.sorted("due_date")
        self.assertEqual((first.amount_paid, second.amount_paid), (175.0, 0.0))
        self.assertEqual(plan.next_due_amount, 175.0)
        self.assertEqual(plan.next_due_date, second.due_date)
        self.assertEqual(plan.amount_paid, 175.0)

    def test_the_payment_route_refuses_other_customers_and_old_links(self):
        token = self.acme._followup_link_token()
        before = self._counts()
        for partner_id, what, access_token in (
            (self.other.id, "inv-%s" % self.foreign.id, token),  # another customer, my token
            (self.acme.id, "inv-%s" % self.foreign.id, token),  # another customer's invoice
            (self.acme.id, "inv-%s" % self.old.id, self._expired_token()),
            (self.acme.id, "inv-%s" % self.old.id, "forged-token"),
            (self.acme.id, "plan-12345", token),
            (self.acme.id, "everything", token),
        ):
            with self.subTest(partner=partner_id, what=what):
                try:
                    self.make_jsonrpc_request(
                        "/my/payments/transaction/%s/%s" % (partner_id, what),
                        {
                            "access_token": access_token,
                            "provider_id": self.provider.id,
                            "payment_method_id": self.env.ref(
                                "payment_demo.payment_method_demo"
                            ).id,
                            "token_id": None,
                            "amount": 1.0,
                            "flow": "direct",
                            "tokenization_requested": False,
                            "landing_route": "/my/payments",
                            "is_validation": False,
                        },
                    )
                except (JsonRpcException, requests.HTTPError) as err:
                    refused = err
                else:
                    refused = None
                self.assertIsNotNone(refused, "the transaction must be refused")
        self.assertEqual(self._counts(), before)

    def test_pay_in_the_browser_with_the_demo_provider(self):
        """Clicked through in a browser: the signed link, Odoo's payment form,
        the demo provider, and back to the page."""
        self.provider.is_published = True
        self.start_tour(self._signed(), "payment_followup_portal_pay", login=None)
        self.assertEqual((self.old | self.late).mapped("payment_state"), ["paid", "paid"])
        tx = self.env["payment.transaction"].sudo().search([("invoice_ids", "in", self.old.ids)])
        self.assertEqual((tx.amount, tx.state), (350.0, "done"))

    def test_after_paying_the_page_says_what_was_received_and_the_history_has_it(self):
        token = self.acme._followup_link_token()
        tx = self._pay_online("inv-%s-%s" % (self.old.id, self.late.id), token=token)
        self.assertEqual(tx.state, "done")
        page = self._plain(self._page())
        self.assertIn(
            "We received your payment of $ 350.00 for %s, %s (%s). Thank you."
            % (self.old.name, self.late.name, tx.reference),
            page,
        )
        # said once: a later visit does not thank again
        self.assertNotIn("We received your payment", self._plain(self._page()))
        event = self.env["payment.followup.event"].search(
            [("partner_id", "=", self.acme.id), ("result", "like", "Payment received online")]
        )
        self.assertEqual(len(event), 1)
        self.assertEqual(event.invoice_ids, self.old | self.late)
        self.assertIn("$\xa0350.00", event.result)
        self.assertIn(tx.reference, event.result)
        self.assertTrue(event.via_portal)
        self.assertFalse(event.user_id, "nobody of ours did it")
        # another customer's page says nothing of it
        other = self._plain(
            self._page("/my/payments/%s/%s" % (self.other.id, self.other._followup_link_token()))
        )
        self.assertNotIn("We received your payment", other)
