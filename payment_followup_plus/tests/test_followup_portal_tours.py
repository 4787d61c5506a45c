import re

from odoo import fields
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPortalTours(PortalCommon):
    """Every flow of the customer's page clicked through in Chromium, as a
    customer would (the tours in payment_followup_portal_flows_tour.js end by
    reading what the page then says); each test then checks what was written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls._demo_provider()
        cls.provider.is_published = True

    def _tour(self, name, url=None):
        self.start_tour(url or self._signed(), name, login=None)
        self.env.invalidate_all()

    def _plans(self):
        return self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])

    def _customer_plan(self):
        """The customer proposes six installments where our terms allow two."""
        self.company.followup_plan_max_months = 2
        self._tour("pfp_portal_plan_outside")
        plan = self._plans()
        self.assertEqual(plan.state, "to_approve")
        self.assertEqual(plan.proposal_by, "Acme Portal")
        return plan

    def test_pay_the_plans_next_installment(self):
        plan = self._plan(self.old | self.late, installment_count=2)
        self._tour("pfp_portal_installment")
        first, second = plan.line_ids.sorted("due_date")
        self.assertEqual((first.amount_paid, second.amount_paid), (175.0, 0.0))
        tx = self.env["payment.transaction"].sudo().search([("reference", "!=", False)])
        self.assertEqual((tx.amount, tx.state), (175.0, "done"))

    def test_propose_a_plan_within_our_terms(self):
        self._tour("pfp_portal_plan_inside")
        plan = self._plans()
        self.assertEqual((plan.state, plan.agreement_method), ("active", "portal"))
        self.assertEqual(plan.line_ids.mapped("amount"), [175.0, 175.0])
        self.assertEqual((self.old | self.late).followup_plan_id, plan)

    def test_propose_a_plan_outside_our_terms_then_approved(self):
        plan = self._customer_plan()
        plan.action_approve()
        self._tour("pfp_portal_plan_in_progress")
        self.assertEqual((plan.state, plan.agreed_by), ("active", "Acme Portal"))

    def test_propose_a_plan_outside_our_terms_declined_with_other_terms_accepted(self):
        plan = self._customer_plan()
        counter = self._other_terms(plan)
        self.assertIn("Two installments at most.", self._plain(self._page()))
        self._tour("pfp_portal_plan_accept")
        self.assertEqual(plan.state, "cancelled")
        self.assertEqual((counter.state, counter.agreed_by), ("active", "Ann Payer"))
        self.assertEqual(counter.agreement_method, "portal")

    def test_accept_the_plan_we_proposed(self):
        plan = self._plan(self.old | self.late, agree=False, installment_count=2)
        self.assertEqual(plan.state, "proposed")
        self._tour("pfp_portal_plan_accept")
        self.assertEqual((plan.state, plan.agreed_by), ("active", "Ann Payer"))
        self.assertTrue(plan.agreement_ip)

    def test_promise_a_date(self):
        self._tour("pfp_portal_promise")
        promise = self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(promise.amount, 350.0)
        self.assertEqual(promise.invoice_ids, self.old | self.late)
        self.assertEqual(promise.promised_date, self.old.followup_hold_until)
        self.assertTrue(promise.promised_date > self.today)

    def test_dispute_part_of_an_invoice_with_a_document(self):
        self._tour("pfp_portal_dispute")
        case = self.env["payment.followup.dispute"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(case.invoice_ids, self.late)
        self.assertEqual(
            (case.amount_disputed, case.reason_id, case.description, case.source),
            (
                50.0,
                self.env.ref("payment_followup_plus.dispute_reason_quantity"),
                "The quantity is wrong",
                "portal",
            ),
        )
        self.assertEqual(self.late._followup_undisputed(), 200.0)
        self.assertFalse(self.late.followup_hold_until, "the rest is still followed up")
        self.assertEqual(case.attachment_ids.name, "delivery-note.pdf")

    def test_the_answer_to_a_submit_has_the_focus(self):
        """After a submit, the confirmation (or the refusal) receives the
        focus, so a screen reader announces it."""
        self._tour("pfp_portal_focus")
        self.assertFalse(self.env["payment.followup.promise"].search([]), "refused: nothing")

    def test_invoice_not_received(self):
        self._tour("pfp_portal_not_received")
        # one email to the person who asked, with both invoices attached
        sent = (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("res_id", "=", self.acme.id)])
            .filtered(lambda m: self.old.name in (m.subject or ""))
        )
        self.assertEqual(len(sent), 1)
        self.assertIn(self.late.name, sent.subject)
        self.assertEqual(len(sent.attachment_ids), 2)

    def test_book_move_and_cancel_a_call(self):
        self._tour("pfp_portal_call")
        meetings = (
            self.env["calendar.event"]
            .with_context(active_test=False)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.acme.id)])
        )
        self.assertEqual(len(meetings), 1, "booked once, moved, not booked twice")
        self.assertFalse(meetings.active)
        self.assertFalse(meetings.activity_ids, "the collector's to-do went with the call")

    def test_preferences_and_a_refused_address(self):
        before = self.acme.followup_recipient_id.email
        self._tour("pfp_portal_preferences")
        self.assertNotEqual(before, "claire@@nowhere")
        self.assertEqual(self.acme.followup_recipient_id.email, "ap@acme.example.com")
        self.assertEqual((self.acme.followup_hour_from, self.acme.followup_hour_to), (14.0, 16.5))
        self.assertFalse(
            self.env["res.partner"].search([("email", "ilike", "@nowhere")]),
            "the refused address is saved nowhere",
        )

    def test_the_reminders_signed_link_opens_the_page_without_signing_in(self):
        self._run()
        body = self._mails(self.acme)[-1].body_html
        link = re.search(r'href="[^"]*(/my/payments/%s/[^"#]+)' % self.acme.id, body).group(1)
        self._tour("pfp_portal_signed_link", url=link)

    def test_the_chatbot_hands_over_to_the_customers_collector(self):
        collector = self._followup_user(self.company, login="colin", name="Colin Collector")
        self.acme.followup_responsible_id = collector
        channel = self.env.ref("payment_followup_plus.livechat_channel_payment_help")
        channel.user_ids = collector
        self.env["bus.presence"].sudo().create({"user_id": collector.id, "status": "online"})
        # the customer's side: the bot, then the customer writes to a person
        # (the collector's "joined" notice reaches the browser by the bus,
        # which this test server does not serve: checked here instead)
        self._tour("pfp_portal_chatbot")
        chat = self.env["discuss.channel"].search([("livechat_channel_id", "=", channel.id)])
        # the customer's own collector was brought in, nobody else of ours
        bot = self.env.ref("payment_followup_plus.chatbot_payment_help").operator_partner_id
        people = chat.channel_member_ids.partner_id - bot
        self.assertEqual(people, collector.partner_id)
        self.assertIn(
            "Can we talk about the last invoice?",
            " ".join(chat.message_ids.mapped("body")),
        )


@tagged("post_install", "-at_install")
class TestFollowupPortalToursSignedIn(PortalCommon):
    """The same page for a signed-in portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme_user.password = "acme_portal"  # the tour signs in with its login

    def test_book_a_call_signed_in(self):
        self.start_tour("/my/payments", "pfp_portal_call", login="acme_portal")
        meeting = (
            self.env["calendar.event"]
            .with_context(active_test=False)
            .search([("res_model", "=", "res.partner"), ("res_id", "=", self.acme.id)])
        )
        self.assertEqual(len(meeting), 1)
        self.assertFalse(meeting.active)

    def test_promise_signed_in(self):
        self.start_tour("/my/payments", "pfp_portal_promise", login="acme_portal")
        promise = self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(promise.amount, 350.0)
        self.assertEqual(
            fields.Date.to_string(promise.promised_date),
            fields.Date.to_string(self.old.followup_hold_until),
        )
