from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPartial(PortalCommon):
    """Paying an amount of one's choice: shown shared out before paying, then
    reconciled exactly so with Odoo's demo provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()

    def _preview(self, amount, ticked=(), partner=None, raw=False):
        partner = partner or self.acme
        token = partner._followup_link_token()
        url = "/my/payments/pay?pid=%s&token=%s&partial=1&amount=%s" % (partner.id, token, amount)
        url += "".join("&invoice_ids=%s" % i for i in ticked)
        response = self._page(url)
        return response.text if raw else self._plain(response)

    def test_an_odd_amount_oldest_first_reconciled_as_shown(self):
        page = self._preview("123.45")
        self.assertIn("How your payment is shared", page)
        self.assertIn("%s invoice amount $ 100.00" % self.old.name, page)
        self.assertIn("%s invoice amount $ 23.45" % self.late.name, page)
        self.assertIn("Amount to pay now $ 123.45", page)
        tx = self._pay_online("part-12345", amount=999)
        self.assertEqual(tx.amount, 123.45, "the server's amount")
        self.assertEqual(self.old.payment_state, "paid")
        self.assertEqual(self.late.amount_residual, 226.55)
        history = " ".join(
            self.env["payment.followup.event"]
            .search([("partner_id", "=", self.acme.id)])
            .mapped("result")
        ).replace("\xa0", " ")
        self.assertIn("shared as the customer was shown", history)

    def test_the_ticked_invoice_first(self):
        page = self._preview("60", ticked=[self.late.id])
        self.assertIn("%s invoice amount $ 60.00" % self.late.name, page)
        self.assertNotIn(self.old.name + " invoice amount", page)
        self._pay_online("part-6000-%s" % self.late.id)
        self.assertEqual((self.old.amount_residual, self.late.amount_residual), (100.0, 190.0))

    def test_german_order_at_equal_rank_in_proportion(self):
        self.company.followup_allocation_rule = "bgb"
        customer = self._customer("Gleich GmbH", tz="Europe/Berlin", lang="en_US")
        first = self._invoice(customer, 20, 300.0)
        second = self._invoice(customer, 20, 600.0)
        page = self._preview("100", partner=customer)
        self.assertIn("$ 33.33", page)
        self.assertIn("$ 66.67", page)
        self._pay_online("part-10000", partner=customer)
        self.assertEqual((first.amount_residual, second.amount_residual), (266.67, 533.33))

    def test_bad_amounts_refused_nothing_written(self):
        before = self._counts()
        for text, expected in (
            ("400", "more than the $ 350.00 you owe"),
            ("20", "The smallest amount you can pay here is $ 35.00"),
            ("-5", ""),
            ("abc", ""),
            ("1.234,50", ""),
            ("", ""),
        ):
            with self.subTest(text=text):
                raw = self._preview(text, raw=True)
                self.assertNotIn("How your payment is shared", raw)
                self.assertIn('class="alert alert-danger"', raw, "a clear message")
                self.assertIn(expected, self._preview(text))
        # a forged target posted to the transaction route
        for what in ("part-100", "part-99999999", "part-5000-%s" % self.foreign.id):
            with self.subTest(what=what), self.assertRaises(Exception):
                self._pay_online(what)
        self.assertEqual(self._counts(), before)
        self.company.followup_partial_min_amount = 50.0
        self.assertIn("smallest amount you can pay here is $ 50.00", self._preview("40"))

    def test_pay_another_amount_in_a_browser(self):
        self.provider.is_published = True
        self.start_tour(self._signed(), "pfp_portal_partial", login=None)
        self.env.invalidate_all()
        self.assertEqual(self.old.payment_state, "paid")
        self.assertEqual(self.late.amount_residual, 226.55)

    def test_nothing_for_an_invoice_already_on_its_way(self):
        self._pending_payment(self.old, 100.0, "ON-ITS-WAY")
        page = self._preview("60")
        self.assertIn("%s invoice amount $ 60.00" % self.late.name, page)
        self.assertNotIn(self.old.name + " invoice amount", page)
        # ticked, it is the customer's choice
        self.assertIn(
            "%s invoice amount $ 60.00" % self.old.name, self._preview("60", [self.old.id])
        )
