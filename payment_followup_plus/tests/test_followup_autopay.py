import re
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupAutopay(PortalCommon):
    """Plans and promises that pay themselves: the customer's consent on the
    page, one charge per installment with Odoo's demo provider (whose saved
    methods end done, pending, cancelled or in error), the retry, the
    messages, stopping."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()
        cls.provider.allow_tokenization = True
        cls.demo_method = cls.env.ref("payment_demo.payment_method_demo")

    def _token(self, partner=None, state="done", details="4242", method=None, provider=None):
        return (
            self.env["payment.token"]
            .sudo()
            .create(
                {
                    "provider_id": (provider or self.provider).id,
                    "payment_method_id": (method or self.demo_method).id,
                    "partner_id": (partner or self.acme).id,
                    "payment_details": details,
                    "provider_ref": "demo-%s-%s" % (details, state),
                    "demo_simulated_state": state,
                }
            )
        )

    def _offer(self, page_text, key):
        """The consent form of ``key`` ("plan-12") as the page shows it."""
        match = re.search(
            r'name="target" value="%s".*?name="wording_key" value="(\w+)"' % key, page_text, re.S
        )
        self.assertTrue(match, "the page offers automatic payment for %s" % key)
        return match.group(1)

    def _consent(self, record, token, partner=None, **extra):
        partner = partner or self.acme
        kind = "plan" if record._name == "payment.followup.plan" else "promise"
        key = "%s-%s" % (kind, record.id)
        wording_key = self._offer(self._page(self._signed(partner)).text, key)
        data = {
            "target": key,
            "wording_key": wording_key,
            "payment_token_id": str(token.id),
            "signer": "Ada Lovelace",
            "consent": "1",
        }
        data.update(extra)
        return self._post("autopay", data, partner=partner)

    def _autopay_plan(self, state="done", **token_vals):
        plan = self._plan(self.old | self.late, installment_count=2)
        token = self._token(state=state, **token_vals)
        response = self._consent(plan, token)
        self.assertIn("Automatic payment is set up", self._plain(response))
        return plan, plan._followup_autopay(), token

    def _autopay_promise(self):
        """A promise to pay the old invoice in 5 days, paid automatically."""
        wizard = (
            self.env["payment.followup.promise.wizard"]
            .with_context(active_model="account.move", active_ids=self.old.ids)
            .create({"promised_date": self.today + timedelta(days=5)})
        )
        wizard.action_confirm()
        promise = self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        self._consent(promise, self._token())
        return promise, promise._followup_autopay()

    def _charge(self, day):
        Charge = self.env["payment.followup.autopay.charge"]
        Charge._cron_charge(today=day, commit=False)
        self.env.invalidate_all()

    def _mails(self, subject):
        return self.env["mail.mail"].search(
            [
                ("subject", "ilike", subject),
                ("recipient_ids", "in", self.acme.followup_recipient_id.ids),
            ]
        )

    # ------------------------------------------------------------------
    def test_consent_kept_as_shown_then_each_installment_charged_once(self):
        plan = self._plan(self.old | self.late, installment_count=2)
        token = self._token()
        page = self._plain(self._page())
        wording = self.env["payment.followup.autopay"]._consent_wording(plan)
        self.assertIn(
            wording.replace("\xa0", " "), page, "the page shows the wording the customer agrees to"
        )
        self.assertIn("Demo 4242", page)
        self._consent(plan, token)
        autopay = plan._followup_autopay()
        self.assertEqual(autopay.consent_text, wording, "kept exactly as shown")
        self.assertEqual(
            (autopay.consented_by, autopay.consent_via, autopay.consent_version),
            ("Ada Lovelace", "signed_link", "2026-12"),
        )
        self.assertTrue(autopay.consent_ip and autopay.consent_user_agent)
        self.assertTrue(plan.autopay_active)
        self.assertIn(
            "Paid automatically",
            str(self.env["payment.followup.plan"].fields_get(["autopay_active"])),
        )
        started = self._mails("Automatic payment set up")
        self.assertEqual(len(started), 1)
        self.assertIn("will be charged to Demo 4242 on its due date", started.body_html)
        first, second = plan.line_ids.sorted("due_date")
        # the day before: nothing; on the day, run twice: one charge
        self._charge(first.due_date - timedelta(days=1))
        self.assertFalse(autopay.charge_ids)
        self._charge(first.due_date)
        self._charge(first.due_date)
        self.assertEqual(len(autopay.charge_ids), 1)
        charge = autopay.charge_ids
        tx = charge.transaction_id
        self.assertEqual((charge.state, tx.state, tx.operation), ("done", "done", "offline"))
        self.assertEqual(tx.amount, 175.0)
        self.assertEqual(tx.invoice_ids, self.old | self.late)
        self.assertTrue(tx.payment_id and tx.is_post_processed, "posted by Odoo's own flow")
        self.assertEqual((self.old.payment_state, self.late.amount_residual), ("paid", 175.0))
        self.assertEqual(first.state, "paid")
        receipt = self._mails("Payment received, thank you")
        self.assertEqual(len(receipt), 1)
        self.assertIn("175.00", receipt.body_html)
        history = [r.replace("\xa0", " ") for r in plan.event_ids.mapped("result")]
        self.assertTrue(any("Automatic payment of $ 175.00 received" in r for r in history))
        # the watch sends no reminder for what pays itself
        self.env["payment.followup.plan.watch"]._watch(plan, second.due_date - timedelta(days=2))
        self.assertFalse(second.reminder_date)
        self._charge(second.due_date)
        self.assertEqual(self.late.payment_state, "paid")
        self.env["payment.followup.plan.watch"]._watch(plan, second.due_date)
        self.assertEqual(plan.state, "completed")
        self.assertEqual(autopay.state, "stopped", "an ended plan charges no more")

    def test_agreement_states_it(self):
        plan, autopay, __ = self._autopay_plan()
        pdf_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("payment_followup_plus.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("Automatic payment", pdf_html)
        self.assertIn("will be charged to Demo 4242", pdf_html)
        self.assertIn(autopay.consent_text.split(":")[0], pdf_html)

    def test_declined_then_retry_then_the_customer_is_asked_to_pay(self):
        plan, autopay, __ = self._autopay_plan(state="error")
        first = plan.line_ids.sorted("due_date")[0]
        day = first.due_date
        self._charge(day)
        self.assertEqual(autopay.charge_ids.state, "failed")
        self.assertFalse(self._mails("did not go through"), "no message after the first decline")
        autopay.invalidate_recordset()
        self.assertEqual(autopay.next_charge_date, day + timedelta(days=3), "the retry's day")
        self._charge(day + timedelta(days=2))
        self.assertEqual(len(autopay.charge_ids), 1, "the retry waits the company's 3 days")
        # the watch neither reminds nor breaks while the retry waits
        self.env["payment.followup.plan.watch"]._watch(plan, day + timedelta(days=2))
        self.assertFalse(first.late_reminder_date)
        self._charge(day + timedelta(days=3))
        self.assertEqual(autopay.charge_ids.mapped("attempt"), [2, 1])
        self.assertEqual(set(autopay.charge_ids.mapped("state")), {"failed"})
        failed = self._mails("did not go through")
        self.assertEqual(len(failed), 1)
        self.assertIn("/my/payments/%s/" % self.acme.id, failed.body_html, "a signed link to pay")
        self.assertIn("175.00", failed.body_html)
        self.assertEqual(first.late_reminder_date, day + timedelta(days=3))
        self._charge(day + timedelta(days=9))
        self.assertEqual(len(autopay.charge_ids), 2, "never a third attempt")
        # then the plan's rules for a missed installment apply
        self.env["payment.followup.plan.watch"]._watch(
            plan, day + timedelta(days=self.company.followup_plan_grace_days + 1)
        )
        self.assertEqual(plan.state, "broken")

    def test_pending_waits_and_is_payment_on_its_way(self):
        plan, autopay, __ = self._autopay_plan(state="pending")
        first = plan.line_ids.sorted("due_date")[0]
        self._charge(first.due_date)
        self._charge(first.due_date + timedelta(days=6))
        self.assertEqual(len(autopay.charge_ids), 1, "a pending debit is never retried")
        self.assertEqual(autopay.charge_ids.state, "pending")
        evidence = self.env["account.move"]._followup_pending_evidence(
            tuple((self.old | self.late).ids), first.due_date - timedelta(days=30)
        )
        self.assertTrue(any(kind == "transaction" for kind, *__ in evidence))
        self.env["payment.followup.plan.watch"]._watch(
            plan, first.due_date + timedelta(days=self.company.followup_plan_grace_days + 1)
        )
        self.assertEqual(plan.state, "active", "not broken while the bank has to answer")
        # the bank's answer arrives later: Odoo's post-processing carries it out
        autopay.charge_ids.transaction_id._set_done()
        autopay.charge_ids.transaction_id._post_process()
        self.env.invalidate_all()
        self.assertEqual(autopay.charge_ids.state, "done")
        self.assertEqual(self.old.payment_state, "paid")
        self.assertEqual(len(self._mails("Payment received, thank you")), 1)

    def test_a_removed_method_stops_and_both_sides_are_told(self):
        plan, autopay, token = self._autopay_plan()
        token.active = False
        self.assertEqual(autopay.state, "stopped")
        stopped = self._mails("Automatic payment stopped")
        self.assertEqual(len(stopped), 1)
        self.assertIn("removed or expired", stopped.body_html)
        todo = self.env["mail.activity"].search(
            [
                ("res_model", "=", plan._name),
                ("res_id", "=", plan.id),
                ("followup_kind", "=", "autopay"),
            ]
        )
        self.assertEqual(len(todo), 1)
        self._charge(plan.line_ids.sorted("due_date")[0].due_date)
        self.assertFalse(autopay.charge_ids, "nothing charged")

    def test_disabled_provider_stops_at_the_run(self):
        plan, autopay, __ = self._autopay_plan()
        self.provider.state = "disabled"
        self._charge(plan.line_ids.sorted("due_date")[0].due_date)
        self.assertFalse(autopay.charge_ids)
        self.assertEqual(autopay.state, "stopped")
        # Odoo archives the methods of a disabled provider
        self.assertIn("removed or expired", autopay.stop_reason)

    def test_the_customer_stops_it(self):
        plan, autopay, __ = self._autopay_plan()
        self.assertIn("Stop automatic payment", self._plain(self._page()))
        # another customer cannot stop it
        other_plan = self._plan(self.foreign, installment_count=2)
        self.assertTrue(other_plan)
        response = self._post("autopay_stop", {"autopay_id": str(autopay.id)}, partner=self.other)
        self.assertIn("not open to you", self._plain(response).lower())
        self.assertEqual(autopay.state, "active")
        response = self._post("autopay_stop", {"autopay_id": str(autopay.id)})
        self.assertIn("nothing more will be charged", self._plain(response))
        self.assertEqual(autopay.state, "stopped")
        self.assertIn("Stopped by the customer", autopay.stop_reason)
        self._charge(plan.line_ids.sorted("due_date")[0].due_date)
        self.assertFalse(autopay.charge_ids)

    def test_staff_stop_with_a_reason_and_never_start(self):
        plan, autopay, token = self._autopay_plan()
        user = self._followup_user(self.company, "autopay_accountant", name="Accountant")
        Autopay = self.env["payment.followup.autopay"].with_user(user)
        with self.assertRaises(AccessError):
            Autopay.create(
                {
                    "partner_id": self.acme.id,
                    "company_id": self.company.id,
                    "currency_id": plan.currency_id.id,
                    "promise_id": False,
                    "plan_id": plan.id,
                    "token_id": token.id,
                    "method_label": "x",
                    "consent_text": "x",
                    "consent_version": "x",
                    "consented_on": "2026-01-01",
                    "consent_day": "2026-01-01",
                    "consented_by": "x",
                    "consent_via": "signed_in",
                }
            )
        wizard = (
            self.env["payment.followup.autopay.stop"]
            .with_user(user)
            .create({"autopay_id": autopay.id, "reason": "The customer asked us by phone."})
        )
        wizard.action_confirm()
        self.assertEqual((autopay.state, autopay.stopped_by), ("stopped", "Accountant"))
        self.assertIn("The customer asked us by phone.", self._mails("stopped").body_html)

    def test_bad_input_is_refused_and_nothing_written(self):
        plan = self._plan(self.old | self.late, installment_count=2)
        mine = self._token()
        others = self._token(partner=self.other, details="1111")
        company_b = self.setup_other_company(name="Autopay B")["company"]
        provider_b = self.provider.copy({"company_id": company_b.id, "state": "test"})
        foreign_company = self._token(details="2222", provider=provider_b)
        before = self._counts() | {"autopay": self.env["payment.followup.autopay"].search_count([])}
        cases = [
            ({"payment_token_id": str(others.id)}, "not one of yours"),
            ({"payment_token_id": str(foreign_company.id)}, "cannot pay"),
            ({"payment_token_id": "abc"}, "not open to you"),
            ({"payment_token_id": ""}, "Choose one of your saved payment methods"),
            ({"signer": ""}, "type your full name"),
            ({"consent": ""}, "tick the box"),
            ({"wording_key": "forged"}, "terms changed"),
            ({"target": "plan-%s" % (plan.id + 1000)}, "not open to you"),
            ({"target": "invoice-1"}, "Choose what to pay automatically"),
        ]
        for data, expected in cases:
            with self.subTest(data=data):
                response = self._consent(plan, mine, **data)
                self.assertEqual(response.status_code, 200)
                self.assertIn(expected.lower(), self._plain(response).lower())
        self.assertEqual(
            self._counts() | {"autopay": self.env["payment.followup.autopay"].search_count([])},
            before,
        )
        # an expired link is not obeyed
        token = self._expired_token()
        response = self._post(
            "autopay", {"target": "plan-%s" % plan.id}, token=token, page=self._signed()
        )
        self.assertFalse(plan.autopay_active)
        self.assertNotIn("Automatic payment is set up", response.text)

    def test_promise_paid_on_its_date(self):
        promise, autopay = self._autopay_promise()
        self.assertIn("as I promised", autopay.consent_text)
        self._charge(promise.promised_date)
        self.assertEqual(autopay.charge_ids.state, "done")
        self.assertEqual(self.old.payment_state, "paid")
        self.env["payment.followup.promise"]._cron_check_promises(today=promise.promised_date)
        self.assertEqual(promise.state, "kept")

    def test_direct_debit_notice_before_each_charge(self):
        sepa = self.env.ref("payment.payment_method_sepa_direct_debit")
        self.provider.payment_method_ids = [Command.link(sepa.id)]
        sepa.sudo().active = True
        plan, autopay, __ = self._autopay_plan(state="pending", method=sepa)
        self.assertTrue(autopay.direct_debit)
        first = plan.line_ids.sorted("due_date")[0]
        self._charge(first.due_date - timedelta(days=3))
        self.assertFalse(self._mails("Direct debit on"))
        self._charge(first.due_date - timedelta(days=2))
        self._charge(first.due_date - timedelta(days=1))
        notice = self._mails("Direct debit on")
        self.assertEqual(len(notice), 1, "once per installment")
        self.assertIn("175.00", notice.body_html)

    def test_consent_clicked_through_in_a_browser(self):
        self.provider.is_published = True
        plan = self._plan(self.old | self.late, installment_count=2)
        self.start_tour(self._signed(), "pfp_portal_autopay", login=None)
        self.env.invalidate_all()
        token = self.env["payment.token"].sudo().search([("partner_id", "=", self.acme.id)])
        self.assertEqual((len(token), token.payment_details), (1, "4242"))
        autopay = plan._followup_autopay()
        self.assertEqual((autopay.token_id, autopay.consented_by), (token, "Ann Payer"))
        self.assertEqual(autopay.consent_via, "signed_link")
        validation = self.env["payment.transaction"].sudo().search([("token_id", "=", token.id)])
        self.assertEqual(validation.operation, "validation", "saving the card paid nothing")
        self.assertFalse(validation.invoice_ids)

    def test_saving_a_method_only_for_the_page_customer(self):
        token = self.acme._followup_link_token()
        page = self._page("/my/payments/method?pid=%s&token=%s" % (self.acme.id, token))
        self.assertIn("Nothing is paid now", page.text)
        params = {
            "provider_id": self.provider.id,
            "payment_method_id": self.demo_method.id,
            "token_id": None,
            "amount": 5000,
            "flow": "direct",
            "tokenization_requested": True,
            "landing_route": "/evil",
            "is_validation": True,
        }
        before = self._counts()
        for partner_id, access in (
            (self.other.id, token),  # another customer's id with this link
            (self.acme.id, "forged-token"),
            (self.acme.id, self._expired_token()),
            (0, token),
        ):
            with self.subTest(partner_id=partner_id, access=access[:12]):
                with self.assertRaises(JsonRpcException):
                    self.make_jsonrpc_request(
                        "/my/payments/method/transaction/%s" % partner_id,
                        dict(params, access_token=access),
                    )
        self.assertEqual(self._counts(), before)
        self.make_jsonrpc_request(
            "/my/payments/method/transaction/%s" % self.acme.id, dict(params, access_token=token)
        )
        tx = self.env["payment.transaction"].sudo().search([], order="id desc", limit=1)
        self.assertEqual((tx.operation, tx.tokenize), ("validation", True))
        self.assertEqual(tx.partner_id, self.acme)
        self.assertNotEqual(tx.amount, 5000, "the browser's amount is ignored")
        self.assertFalse(tx.landing_route.startswith("/evil"))

    def test_the_forecast_measures_automatic_payments(self):
        plan, autopay, __ = self._autopay_plan()
        first = plan.line_ids.sorted("due_date")[0]
        dash = self.env["payment.followup.dashboard"].create({})
        dash._refresh()
        weeks = dash.week_ids.filtered(lambda w: w.series == "autopay")
        self.assertEqual(sum(weeks.mapped("amount")), 350.0, "both installments, apart")
        self.assertFalse(dash.autopay_charges, "no charge yet: nothing measured")
        self._charge(first.due_date)
        # a second customer's charge declined
        other_plan = self._plan(self.foreign, installment_count=2)
        self._consent(other_plan, self._token(partner=self.other, state="cancel"), self.other)
        self._charge(other_plan.line_ids.sorted("due_date")[0].due_date)
        dash._refresh()
        self.assertEqual(dash.autopay_charges, 2)
        self.assertEqual(dash.autopay_confidence, 50.0, "(1 paid + 1) / (2 charges + 2)")

    def test_the_customer_changes_the_card(self):
        plan, autopay, first_card = self._autopay_plan()
        self.assertNotIn("Use it from now on", self._plain(self._page()), "no other card yet")
        second = self._token(details="5555")
        foreign = self._token(partner=self.other, details="9999")
        self.assertIn("Use it from now on", self._plain(self._page()))
        response = self._post(
            "autopay_change", {"autopay_id": str(autopay.id), "payment_token_id": str(foreign.id)}
        )
        self.assertIn("Choose one of your saved payment methods", self._plain(response))
        self.assertEqual(autopay.token_id, first_card)
        response = self._post(
            "autopay_change", {"autopay_id": str(autopay.id), "payment_token_id": str(second.id)}
        )
        self.assertIn("From now on, automatic payment uses Demo 5555", self._plain(response))
        self.assertEqual((autopay.token_id, autopay.method_label), (second, "Demo 5555"))
        self._charge(plan.line_ids.sorted("due_date")[0].due_date)
        self.assertEqual(autopay.charge_ids.transaction_id.token_id, second)

    def test_not_offered_without_a_provider_that_saves_methods(self):
        self._plan(self.old | self.late, installment_count=2)
        self._token()
        self.assertIn("Pay each installment automatically", self._plain(self._page()))
        self.provider.allow_tokenization = False
        page = self._plain(self._page())
        self.assertNotIn("Automatic payment", page)
        self.assertNotIn("Save a card", page)

    def test_refused_methods_revoked_or_in_another_currency(self):
        plan = self._plan(self.old | self.late, installment_count=2)
        revoked = self._token(details="3333")
        revoked.active = False
        response = self._consent(plan, self._token(), payment_token_id=str(revoked.id))
        self.assertIn("This payment method was removed.", self._plain(response))
        eur = self.env.ref("base.EUR")
        self.provider.available_currency_ids = [Command.set(eur.ids)]
        self.assertNotEqual(plan.currency_id, eur)
        # not offered any more, and a form posted anyway is refused
        self.assertNotIn("Automatic payment", self._plain(self._page()))
        wording = self.env["payment.followup.autopay"]._consent_wording(plan)
        data = {
            "target": "plan-%s" % plan.id,
            "wording_key": self.acme._followup_autopay_wording_key(wording),
            "payment_token_id": str(self._token(details="4444").id),
            "signer": "Ada Lovelace",
            "consent": "1",
        }
        response = self._post("autopay", data)
        self.assertIn("cannot pay in %s" % plan.currency_id.name, self._plain(response))
        self.assertFalse(plan.autopay_active)

    def test_a_moved_promise_stops_it_and_the_customer_is_asked_again(self):
        promise, autopay = self._autopay_promise()
        promise.promised_date = self.today + timedelta(days=9)
        self._charge(self.today + timedelta(days=9))
        self.assertFalse(autopay.charge_ids, "never charged on terms the customer did not see")
        self.assertEqual(autopay.state, "stopped")
        self.assertIn("asked again", autopay.stop_reason)
        self.assertIn("set up automatic payment again", self._mails("stopped").body_html)
        # the page offers it again, with the new date
        self.assertIn("Pay your promise automatically", self._plain(self._page()))

    def test_the_receipt_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        self.acme.followup_recipient_id.lang = "fr_FR"
        plan = self._plan(self.old | self.late, installment_count=2)
        self._consent(plan, self._token())
        autopay = plan._followup_autopay()
        self.assertIn("J'autorise", autopay.consent_text, "the wording shown in French")
        self._charge(plan.line_ids.sorted("due_date")[0].due_date)
        receipt = self.env["mail.mail"].search(
            [
                ("subject", "ilike", "Paiement reçu"),
                ("model", "=", "payment.followup.autopay.charge"),
            ]
        )
        self.assertEqual(len(receipt), 1)
        self.assertIn("Nous avons bien reçu votre paiement automatique", receipt.body_html)

    def test_no_charge_while_the_customer_pays_by_hand(self):
        plan, autopay, __ = self._autopay_plan()
        first = plan.line_ids.sorted("due_date")[0]
        # the customer paid online this morning; the bank has yet to confirm
        tx = self._pending_payment((self.old | self.late), 175.0, "BY-HAND-1")
        self._charge(first.due_date)
        self.assertFalse(autopay.charge_ids, "never a demand for money already on its way")
        self.assertTrue(
            any(
                "money is on its way for %s" % self.old.name in r
                for r in plan.event_ids.mapped("result")
            )
        )
        # that payment failed; the customer pays the installment on the page
        tx._set_canceled()
        self._pay_online("plan-%s" % plan.id)
        self.env.invalidate_all()
        self.assertEqual(first.state, "paid")
        self._charge(first.due_date)
        self.assertFalse(autopay.charge_ids, "nothing left to charge for it")
