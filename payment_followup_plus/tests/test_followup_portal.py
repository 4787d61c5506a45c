import html
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import PortalCommon

PORTAL = " (by the customer, via the portal)"


@tagged("post_install", "-at_install")
class TestFollowupPortal(PortalCommon):
    """The customer's side, through real HTTP requests: the page, the signed
    links of the reminders, and what the customer does there."""

    def test_reminder_buttons_open_the_page_without_password(self):
        self._run()
        body = self._mails(self.acme)[-1].body_html
        links = re.findall(r'href="[^"]*(/my/payments/%s/[^"#]+)#(\w+)"' % self.acme.id, body)
        self.assertEqual(
            [anchor for __, anchor in links], ["pay", "plan", "promise", "reason", "call"]
        )
        page = self._plain(self._page(links[0][0]))
        # this customer's invoices, open amounts and totals, not the other one's
        # days late as of the customer's own today (Brussels), whatever the hour in UTC
        today = self.env["payment.followup.guardrails"]._partner_today(self.acme)
        late_days = [str((today - m.invoice_date_due).days) for m in (self.old, self.late)]
        for text in (self.old.name, self.late.name, "Overdue: $ 350.00", *late_days):
            self.assertIn(text, page)
        self.assertNotIn(self.foreign.name, page)
        self.assertNotIn("Other Portal", page)

    def test_portal_user_sees_own_page_and_home_entry(self):
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        page = self._plain(self._page("/my/payments"))
        self.assertIn(self.late.name, page)
        self.assertNotIn(self.foreign.name, page)
        home = self._plain(self._page("/my"))
        self.assertIn("Payments due", home)

    def test_promise_holds_the_invoices_and_says_who(self):
        date = fields.Date.to_string(self.today + timedelta(days=10))
        response = self._post(
            "promise",
            {"invoice_ids": [str(self.old.id)], "promised_date": date, "amount": "100"},
        )
        promise = self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual((promise.amount, str(promise.promised_date)), (100.0, date))
        self.assertEqual(promise.invoice_ids, self.old)
        self.assertEqual(str(self.old.followup_hold_until), date)
        self.assertFalse(self.late.followup_hold_until)
        event = self.env["payment.followup.event"].search([("promise_id", "=", promise.id)])
        self.assertTrue(event.via_portal)
        self.assertTrue(event.result.endswith(PORTAL), event.result)
        self.assertFalse(event.user_id, "nobody of ours did it")
        self.assertIn("We have noted your promise to pay $ 100.00", self._plain(response))
        # the page shows the promise and why the invoice waits
        shown = fields.Date.to_date(date).strftime("%m/%d/%Y")
        self.assertIn("Promised: $ 100.00 by %s" % shown, self._plain(self._page()))

    def test_plan_within_guidelines_starts_at_once(self):
        first = fields.Date.to_string(self.today + timedelta(days=7))
        form = {
            "invoice_ids": [str(self.old.id), str(self.late.id)],
            "frequency": "monthly",
            "mode": "count",
            "installment_count": "2",
            "first_due_date": first,
        }
        before = self._counts()
        preview = self._plain(self._post("plan", dict(form, preview="1")))
        self.assertIn("$ 175.00", preview)
        self.assertIn("starts as soon as you propose it", preview)
        self.assertEqual(self._counts(), before, "a preview writes nothing")
        # paying a bit more each time finishes sooner: the preview shows it
        faster = self._plain(
            self._post("plan", dict(form, preview="1", installment_count="3", extra="60"))
        )
        self.assertIn("Schedule: 2 installment(s)", faster)
        self.assertIn("$ 176.67", faster)
        response = self._post("plan", form)
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.agreement_method, "portal")
        self.assertEqual(plan.agreed_by, "Acme Portal")
        self.assertTrue(plan.agreement_ip)
        self.assertIn("175.00", plan.agreed_schedule)
        self.assertEqual(plan.line_ids.mapped("amount"), [175.0, 175.0])
        self.assertEqual((self.old | self.late).followup_plan_id, plan)
        self.assertTrue(all(e.via_portal for e in plan.event_ids))
        mail = (
            self.env["mail.mail"]
            .search([("model", "=", plan._name), ("res_id", "=", plan.id)])
            .filtered(lambda m: self.acme.followup_recipient_id in m.recipient_ids)
        )
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.attachment_ids, "the agreement PDF goes with the email")
        self.assertIn("is agreed and starts now", self._plain(response))
        # the agreement PDF keeps the evidence
        report = (
            self.env["ir.actions.report"]
            ._render_qweb_html("payment_followup_plus.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        agreement = self._text(report).replace("*", "")
        for text in (
            "Agreed by Acme Portal",
            "Agreed through Accepted in the customer portal",
            "Agreed from (IP address) %s" % plan.agreement_ip,
        ):
            self.assertIn(text, agreement)

    def test_plan_outside_guidelines_waits_for_a_manager(self):
        self.company.followup_plan_max_months = 2
        form = {
            "invoice_ids": [str(self.old.id), str(self.late.id)],
            "frequency": "monthly",
            "mode": "count",
            "installment_count": "6",
            "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
        }
        response = self._plain(self._post("plan", form))
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(plan.state, "to_approve")
        self.assertIn("2 months", plan.approval_reason)
        self.assertFalse(plan.proposed_by_id)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertEqual(len(activity), 1)
        self.assertFalse(activity.user_id.share)
        self.assertIn("under review", response)
        self.assertIn("under review", self._plain(self._page()))

    def test_plan_broken_in_the_last_year_needs_review(self):
        broken = self._plan(self.old, installment_count=1)
        broken.write({"state": "broken", "date_done": self.today - timedelta(days=30)})
        broken._release_invoices()
        form = {
            "invoice_ids": [str(self.late.id)],
            "frequency": "monthly",
            "mode": "count",
            "installment_count": "2",
            "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
        }
        self._post("plan", form)
        plan = self.env["payment.followup.plan"].search(
            [("partner_id", "=", self.acme.id), ("id", "!=", broken.id)]
        )
        self.assertEqual(plan.state, "to_approve")
        self.assertIn("broken in the last 12 months", plan.approval_reason)

    def test_customer_accepts_the_plan_we_proposed(self):
        plan = self._plan(self.old | self.late, agree=False, installment_count=2)
        self.assertEqual(plan.state, "proposed")
        page = self._plain(self._page())
        self.assertIn("waiting for your agreement", page)
        self._post("plan_accept", {"plan_id": str(plan.id), "signer": "Ann Payer", "agree": "1"})
        self.assertEqual(plan.state, "active")
        self.assertEqual((plan.agreed_by, plan.agreement_method), ("Ann Payer", "portal"))
        self.assertTrue(plan.agreement_ip)
        self.assertTrue(plan.agreed_schedule)

    def test_dispute_opens_a_case_routes_to_a_person_and_keeps_the_file(self):
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        response = self._post(
            "reason",
            {"reason_id": str(dispute.id), "invoice_ids": [str(self.late.id)], "note": "Wrong qty"},
            files={"attachment": ("proof.pdf", b"%PDF-1.4 proof", "application/pdf")},
        )
        case = self.env["payment.followup.dispute"].search([("partner_id", "=", self.acme.id)])
        self.assertIn("Thank you. Case %s" % case.name, self._plain(response))
        self.assertEqual((case.source, case.description), ("portal", "Wrong qty"))
        self.assertTrue(self.late.followup_held_why)
        page = self._plain(self._page())
        self.assertIn("Under review (case %s)" % case.name, page)
        self.assertNotIn("Wrong qty", page, "our notes stay internal")
        self.assertFalse(self.old.followup_hold_until)
        event = self.env["payment.followup.event"].search(
            [("partner_id", "=", self.acme.id), ("delay_reason_id", "=", dispute.id)]
        )
        self.assertTrue(event.via_portal)
        self.assertEqual(event.note, "Wrong qty")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", event._name), ("res_id", "=", event.id)]
        )
        self.assertEqual((attachment.name, attachment.mimetype), ("proof.pdf", "application/pdf"))
        self.assertEqual(case.attachment_ids, attachment, "the case keeps the customer's file")
        activity = self.env["mail.activity"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertIn("Settle the dispute", activity.summary)

    def test_invoice_not_received_sends_it_again_and_offers_it(self):
        resend = self.env.ref("payment_followup_plus.delay_reason_not_received")
        response = self._post(
            "reason", {"reason_id": str(resend.id), "invoice_ids": [str(self.old.id)]}
        )
        # on a signed link: to the customer's follow-up contact (its address)
        self.assertIn(
            "We have sent the invoices again to %s" % self.acme.email, self._plain(response)
        )
        event = self.env["payment.followup.event"].search(
            [("partner_id", "=", self.acme.id), ("delay_reason_id", "=", resend.id)]
        )
        self.assertIn("sent again to %s" % self.acme.email, event.result)
        sent = (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("res_id", "=", self.acme.id)], order="id desc")
            .filtered(lambda m: self.old.name in (m.subject or ""))
        )
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent.recipient_ids, self.acme)
        self.assertEqual(sent.author_id, self.company.partner_id)
        self.assertEqual(sent.email_from, self.company.email_formatted)
        self.assertEqual(sent.attachment_ids.mapped("mimetype"), ["application/pdf"])
        # its link downloads the invoice without a password
        link = re.search(r'href="([^"]*/my/invoices/%s[^"]*)"' % self.old.id, sent.body_html)
        self.assertTrue(link, sent.body_html)
        download = self.url_open(html.unescape(link.group(1)).replace(self.acme.get_base_url(), ""))
        self.assertEqual(download.status_code, 200)
        # signed in: to the person who asked, in the customer's language
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        self._post("reason", {"reason_id": str(resend.id), "invoice_ids": [str(self.late.id)]})
        again = (
            self.env["mail.mail"]
            .search([("model", "=", "res.partner"), ("res_id", "=", self.acme.id)], order="id desc")
            .filtered(lambda m: self.late.name in (m.subject or ""))
        )
        self.assertEqual(again.recipient_ids, self.acme_user.partner_id)
        self.assertIn("Vos factures", again.subject)
        self.assertIn("250,00", again.body_html, "the customer's number format")
        self.assertNotIn("/", again.attachment_ids.name, "a file name, not the invoice's path")
        self.assertNotIn("OdooBot", again.email_from)
        pdf = self.url_open(
            "/my/payments/invoice/%s?pid=%s&token=%s"
            % (self.old.id, self.acme.id, self.acme._followup_link_token())
        )
        self.assertEqual(pdf.status_code, 200)
        # the invoice report (Odoo serves its HTML instead of the PDF in tests)
        self.assertIn(self.old.name, pdf.text)
        self.assertNotIn(self.late.name, pdf.text)

    def test_invoice_not_received_without_an_address_says_so_and_writes_nothing(self):
        self.acme.email = False
        resend = self.env.ref("payment_followup_plus.delay_reason_not_received")
        attachments = self.env["ir.attachment"].search_count([])
        response = self._post(
            "reason", {"reason_id": str(resend.id), "invoice_ids": [str(self.old.id)]}
        )
        self.assertIn("There is no email address for Acme Portal", self._plain(response))
        self.assertFalse(
            self.env["payment.followup.event"].search(
                [("partner_id", "=", self.acme.id), ("delay_reason_id", "=", resend.id)]
            )
        )
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments)

    def test_preferences_are_saved_and_logged(self):
        friday = self.env["payment.followup.weekday"].search([("sequence", "=", 4)])
        self._post(
            "preferences",
            {
                "channel": "letter",
                "tz": "America/New_York",
                "lang": "en_US",
                "hour_from": "14:00",
                "hour_to": "16:30",
                "weekday_ids": [str(friday.id)],
                "email": "ap@acme.example.com",
                "opt_out_phone": "1",
            },
        )
        acme = self.acme
        self.assertEqual((acme.followup_channel, acme.tz), ("letter", "America/New_York"))
        self.assertEqual((acme.followup_hour_from, acme.followup_hour_to), (14.0, 16.5))
        self.assertEqual(acme.followup_weekday_ids, friday)
        self.assertTrue(acme.followup_opt_out_phone)
        self.assertEqual(acme.followup_recipient_id.email, "ap@acme.example.com")
        event = self.env["payment.followup.event"].search(
            [("partner_id", "=", acme.id), ("via_portal", "=", True)]
        )
        for text in ("Preferences changed", "16:30", "Reminders sent to: ap@acme.example.com"):
            self.assertIn(text, event.result)
        # no call can be booked any more, and the page says why
        self.assertIn("You asked us not to call you", self._plain(self._page()))
        # opting back in
        self._post(
            "preferences",
            {
                "channel": "email",
                "tz": "America/New_York",
                "lang": "en_US",
                "hour_from": "14:00",
                "hour_to": "16:30",
                "weekday_ids": [str(friday.id)],
            },
        )
        self.assertFalse(acme.followup_opt_out_phone)
        self.assertEqual(acme.followup_channel, "email")

    def test_book_move_and_cancel_a_call_in_the_customers_hours(self):
        slots = self.acme._followup_call_slots()
        self.assertTrue(slots)
        for slot in slots:
            local = slot.customer_start
            self.assertLess(local.weekday(), 5)
            self.assertTrue(9.5 <= local.hour + local.minute / 60 < 11.5, local)
        start = slots[0].start.strftime("%Y-%m-%d %H:%M:%S")
        response = self._post("call", {"slot": start})
        self.assertIn("Your call is booked", self._plain(response))
        meeting = self.acme._followup_booked_calls()
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.start, slots[0].start.replace(tzinfo=None))
        self.assertTrue(meeting.activity_ids, "the responsible has an activity")
        event = self.env["payment.followup.event"].search([("calendar_event_id", "=", meeting.id)])
        self.assertTrue(event.via_portal)
        other = self.acme._followup_call_slots()[-1]
        self._post(
            "call",
            {"slot": other.start.strftime("%Y-%m-%d %H:%M:%S"), "meeting_id": str(meeting.id)},
        )
        self.assertEqual(meeting.start, other.start.replace(tzinfo=None))
        self._post("call_cancel", {"meeting_id": str(meeting.id)})
        self.assertFalse(meeting.active)
        self.assertFalse(self.acme._followup_booked_calls())

    def test_daily_limit_says_so_and_writes_nothing(self):
        self.company.followup_portal_daily_limit = 1
        date = fields.Date.to_string(self.today + timedelta(days=5))
        self._post(
            "promise", {"invoice_ids": [str(self.old.id)], "promised_date": date, "amount": "50"}
        )
        before = self._counts()
        response = self._post(
            "promise", {"invoice_ids": [str(self.late.id)], "promised_date": date, "amount": "50"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("You have reached the limit of requests for today (1)", self._plain(response))
        self.assertEqual(self._counts(), before)

    def test_expired_link_asks_to_sign_in_or_sends_a_fresh_one(self):
        token = self._expired_token()
        page = self._plain(self._page("/my/payments/%s/%s" % (self.acme.id, token)))
        self.assertIn("This link has expired", page)
        self.assertNotIn(self.late.name, page)
        response = self._post("fresh_link", {}, token=token)
        self.assertIn("A fresh link is on its way", self._plain(response))
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.acme.id)], order="id desc", limit=1
        )
        link = re.search(r"(/my/payments/%s/[^\"#]+)" % self.acme.id, mail.body_html).group(1)
        self.assertIn(self.late.name, self._plain(self._page(link)))

    def _customer_plan(self, months=6):
        self.company.followup_plan_max_months = 2
        self._post(
            "plan",
            {
                "invoice_ids": [str(self.old.id), str(self.late.id)],
                "frequency": "monthly",
                "mode": "count",
                "installment_count": str(months),
                "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
            },
        )
        return self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])

    def _plan_mails(self, plan):
        return (
            self.env["mail.mail"]
            .search([("model", "=", plan._name), ("res_id", "=", plan.id)])
            .filtered(lambda m: self.acme.followup_recipient_id in m.recipient_ids)
        )

    def test_approving_the_customers_plan_starts_it_and_tells_them(self):
        plan = self._customer_plan()
        self.assertEqual(plan.state, "to_approve")
        self.assertEqual((plan.proposal_by, plan.customer_proposal), ("Acme Portal", True))
        manager = self.env.user  # the test user is a follow-up manager (admin)
        plan.with_user(manager).action_approve()
        self.assertEqual(plan.state, "active")
        self.assertEqual((plan.agreement_method, plan.agreed_by), ("portal", "Acme Portal"))
        self.assertEqual(plan.agreed_on, plan.proposal_date)
        mail = self._plan_mails(plan)
        self.assertEqual(len(mail), 1)
        self.assertIn("Thank you for agreeing on a payment plan", mail.body_html)

    def test_declining_tells_the_customer_why(self):
        plan = self._customer_plan()
        wizard = self.env["payment.followup.plan.decline"].create(
            {"plan_id": plan.id, "reason": "Six months is too long for us."}
        )
        wizard.action_confirm()
        self.assertEqual(plan.state, "cancelled")
        self.assertFalse((self.old | self.late).followup_plan_id)
        mail = self._plan_mails(plan)
        self.assertEqual(len(mail), 1)
        self.assertIn("Six months is too long for us.", mail.body_html)
        self.assertIn("/my/payments/%s/" % self.acme.id, mail.body_html)

    def _approval_todos(self, plan):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", plan._name),
                ("res_id", "=", plan.id),
                ("followup_kind", "=", "approval"),
            ]
        )

    def test_the_plan_to_approve_todo_closes_when_the_plan_is_settled(self):
        # declined: the manager's "Plan to approve" goes (it stayed in My follow-ups today)
        plan = self._customer_plan()
        self.assertEqual(len(self._approval_todos(plan)), 1)
        self.env["payment.followup.plan.decline"].create(
            {"plan_id": plan.id, "reason": "Too long."}
        ).action_confirm()
        self.assertFalse(self._approval_todos(plan))
        # approved: the same
        plan.unlink()
        plan = self._customer_plan()
        self.assertEqual(len(self._approval_todos(plan)), 1)
        plan.action_approve()
        self.assertFalse(self._approval_todos(plan))

    def test_other_terms_are_mailed_and_accepted_in_one_go(self):
        plan = self._customer_plan()
        # the manager changes the terms, then confirms them
        counter = self._other_terms(plan)
        self.assertFalse(self._plan_mails(plan), "no 'declined' mail: other terms follow")
        self.assertEqual(counter.state, "proposed")
        mail = self._plan_mails(counter)
        self.assertEqual(len(mail), 1)
        self.assertIn("Two installments at most.", mail.body_html)
        link = re.search(
            r'href="[^"]*(/my/payments/%s/[^"#]+)' % self.acme.id, mail.body_html
        ).group(1)
        page = self._plain(self._page(link))
        self.assertIn("Two installments at most.", page)
        self._post("plan_accept", {"plan_id": str(counter.id), "signer": "Ann Payer", "agree": "1"})
        self.assertEqual(counter.state, "active")

    def test_payment_help_chatbot_on_the_page_hands_over_to_the_collector(self):
        page = self._page()
        self.assertIn("livechatData", page.text)
        channel = self.env.ref("payment_followup_plus.livechat_channel_payment_help")
        init = self.make_jsonrpc_request(
            "/im_livechat/init",
            {"channel_id": channel.id},
            headers={"Referer": self.base_url() + self._signed()},
        )
        script = init["rule"]["chatbotScript"]
        self.assertTrue(init["available_for_me"])
        steps = self.env.ref("payment_followup_plus.chatbot_payment_help").script_step_ids
        links = steps.answer_ids.mapped("redirect_link")
        self.assertEqual(
            [link for link in links if link], ["#pay", "#plan", "#promise", "#reason", "#reason"]
        )
        self.assertTrue(script)
        # the customer's collector answers when available, not someone at random
        collector = self._followup_user(self.company, login="collector_chat")
        other = self._followup_user(self.company, login="other_chat")
        self.acme.followup_responsible_id = collector
        channel.user_ids = collector | other
        self.env["bus.presence"].sudo().create(
            [{"user_id": u.id, "status": "online"} for u in collector | other]
        )
        Portal = self.env["res.partner"]
        self.assertEqual(channel.with_user(self.acme_user).sudo()._followup_collector(), collector)
        self.assertFalse(
            channel.with_user(self.other_user).sudo()._followup_collector(),
            "another customer's collector is not chosen for them",
        )
        self.assertEqual(Portal.with_user(self.acme_user)._followup_portal_visitor(), self.acme)
        # the chat window's title (the bot's name) in the reader's language
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        bot = self.env.ref("payment_followup_plus.chatbot_payment_help").operator_partner_id
        self.assertEqual(bot.with_context(lang="en_US").user_livechat_username, "Payment help")
        self.assertEqual(bot.with_context(lang="fr_FR").user_livechat_username, "Aide au paiement")

    def test_a_plan_agreed_at_once_counts_as_one_request(self):
        self.company.followup_portal_daily_limit = 2
        self._post(
            "plan",
            {
                "invoice_ids": [str(self.old.id), str(self.late.id)],
                "frequency": "monthly",
                "mode": "count",
                "installment_count": "2",
                "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
            },
        )
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(plan.state, "active")
        self.assertGreater(len(plan.event_ids), 1, "its proposal and its start are logged")
        # one request so far: a second one is still accepted
        response = self._post(
            "call",
            {"slot": self.acme._followup_call_slots()[0].start.strftime("%Y-%m-%d %H:%M:%S")},
        )
        self.assertIn("Your call is booked", self._plain(response))

    def test_the_page_lists_only_reminders_that_really_left(self):
        self._run(send_mails=False)
        mail = self._mails(self.acme)[-1]
        self.assertEqual(mail.state, "outgoing")
        page = self._plain(self._page())
        self.assertNotIn("Our reminders and your questions", page, "still in the mail queue")
        mail.send()  # the server accepts it (Odoo's test mode)
        page = self._plain(self._page())
        self.assertIn("Our reminders and your questions", page)
        self.assertIn("Email", page)
