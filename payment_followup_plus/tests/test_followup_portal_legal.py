import re

from odoo import Command
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPortalLegal(PortalCommon):
    """A debt with the legal department, as the customer reads and pays it
    (issue #33): the letter before action opens the customer's page without a
    password, the page says what the letter says, and the letter's total (its
    debts and the charges it claims) can be paid there."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()
        cls.company.followup_jurisdiction = "uk"
        cls.advisor = cls._followup_user(cls.company, login="portal_lba_advisor")
        cls.advisor.groups_id = [
            Command.link(cls.env.ref("payment_followup_plus.group_followup_legal").id)
        ]

    def _send_letter(self):
        case = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": self.acme.id,
                "company_id": self.company.id,
                "currency_id": self.old.currency_id.id,
                "invoice_ids": [Command.set((self.old | self.late).ids)],
                "user_id": self.advisor.id,
            }
        )
        case.with_user(self.advisor).action_send_letter()
        return case

    def _letter_total(self, case):
        [(__, total)] = case._letter_totals(case._letter_lines())
        return total

    def test_the_letters_charges_are_invoiced_as_the_letter_states_them(self):
        case = self._send_letter()
        charges = case.charge_move_ids
        self.assertEqual(len(charges), 1)
        self.assertEqual(charges.state, "posted")
        claimed = sum(ln.interest + ln.compensation for ln in case.letter_line_ids)
        self.assertGreater(claimed, 0, "UK rules: interest and compensation are claimed")
        self.assertAlmostEqual(charges.amount_total, claimed, places=2)
        self.assertEqual(charges.invoice_date_due, case.letter_date)
        self.assertEqual(charges.followup_hold_until, self.old.followup_hold_until)
        # a later charge run never claims the same period again
        wizard = (
            self.env["payment.followup.charge.wizard"]
            .with_context(active_model="res.partner", active_id=self.acme.id)
            .create({})
        )
        for line in wizard.line_ids.filtered(lambda ln: ln.invoice_id in case.invoice_ids):
            self.assertEqual(line.skip, "Already charged up to this date")
        # closing the case releases the charges with the debts
        case.with_user(self.advisor).action_close()
        self.assertFalse(charges.followup_hold_until)

    def test_the_page_says_with_our_legal_department_and_ticks_what_the_letter_demands(self):
        case = self._send_letter()
        response = self._page()
        page = self._plain(response)
        total = self._letter_total(case)
        self.assertIn(
            "With our legal department (%s): $ %s, answer by" % (case.name, f"{total:,.2f}"),
            page,
        )
        self.assertNotIn("already arranged", page)
        # the letter's charges (due on its date) are in its line, not counted twice
        self.assertNotIn("Due soon", page)
        for move in case.invoice_ids | case.charge_move_ids:
            box = re.search(r'<input[^>]*value="%s"[^>]*>' % move.id, response.text).group(0)
            self.assertIn("checked", box, "%s is ticked to pay" % move.name)
        # paying what is ticked is paying the letter's total
        ticked = (case.invoice_ids | case.charge_move_ids).ids
        token = self.acme._followup_link_token()
        pay = self._plain(
            self._page(
                "/my/payments/pay?pid=%s&token=%s&%s"
                % (self.acme.id, token, "&".join("invoice_ids=%s" % i for i in ticked))
            )
        )
        self.assertIn("Amount to pay now $ %s" % f"{total:,.2f}", pay)
        tx = self._pay_online("inv-" + "-".join(map(str, ticked)), token=token)
        self.assertAlmostEqual(tx.amount, total, places=2)
        self.assertTrue(case.charge_move_ids.payment_state in ("paid", "in_payment"))
        self.assertEqual(case.amount_due, 0.0)

    def test_the_letter_before_action_opens_the_page_without_a_password(self):
        case = self._send_letter()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "payment_followup_plus.action_report_letter_before_action", case.ids
            )[0]
            .decode()
        )
        text = self._text(html)
        self.assertIn("Dear Sir or Madam,", text)
        self.assertIn("Kind regards,", text)
        link = re.search(r"http://\S+/my/payments/%s/[0-9]+-[0-9a-f]+" % self.acme.id, text)
        self.assertTrue(link, "the letter prints the signed link")
        self.assertIn('src="data:image/svg+xml;base64,', html, "and its QR code")
        # the link opens the page, signed out, with what the letter says
        self.assertIn(
            "With our legal department (%s)" % case.name,
            self._plain(self._page(link.group(0).replace(self.acme.get_base_url(), ""))),
        )
        # the email says the same, with the link
        mail = self.env["mail.mail"].search(
            [("model", "=", case._name), ("res_id", "=", case.id)], limit=1
        )
        body = self._text(mail.body_html)
        self.assertIn("Dear Sir or Madam,", body)
        self.assertIn("Kind regards,", body)
        self.assertIn("/my/payments/%s/" % self.acme.id, mail.body_html)

    def test_in_the_browser_the_letters_link_opens_the_page_and_pays_its_total(self):
        """Clicked through: the letter's signed link, the ticked debts and
        charges, Odoo's payment form with the demo provider."""
        self.provider.is_published = True
        case = self._send_letter()
        total = self._letter_total(case)
        url = case._letter_payments_url().replace(self.acme.get_base_url(), "")
        self.start_tour(url, "pfp_portal_pay_letter_before_action", login=None)
        tx = self.env["payment.transaction"].sudo().search([("invoice_ids", "in", self.old.ids)])
        self.assertEqual(tx.state, "done")
        self.assertAlmostEqual(tx.amount, total, places=2)
        self.assertEqual(tx.invoice_ids, case.invoice_ids | case.charge_move_ids)
        self.assertEqual(case.amount_due, 0.0)
