import re
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPortalTruth(PortalCommon):
    """What the customer's page says after what they did (issue #22: the
    headline, one call at a time, the daily limit)."""

    def _promise(self, invoice, amount="100"):
        date = fields.Date.to_string(self.today + timedelta(days=10))
        return self._post(
            "promise", {"invoice_ids": [str(invoice.id)], "promised_date": date, "amount": amount}
        )

    def test_the_headline_keeps_apart_what_is_already_arranged(self):
        page = self._plain(self._page())
        self.assertIn("Overdue: $ 350.00", page)
        self.assertNotIn("already arranged", page)
        self._promise(self.old)
        page = self._plain(self._page())
        # late now: only the invoice nothing covers; the promised one apart
        self.assertIn("Overdue: $ 250.00", page)
        self.assertNotIn("Overdue: $ 350.00", page)
        self.assertIn(
            "Overdue, already arranged (plan, promise, review or payment on its way): $ 100.00",
            page,
        )

    def test_with_a_call_booked_the_page_offers_to_move_or_cancel_it_not_another(self):
        slot = self.acme._followup_call_slots()[0]
        self._post("call", {"slot": slot.start.strftime("%Y-%m-%d %H:%M:%S")})
        page = self._plain(self._page())
        self.assertIn("Your call", page)
        self.assertIn("Move the call", page)
        self.assertIn("Cancel the call", page)
        self.assertNotIn("Book this call", page)
        self.assertNotIn("Book a call", page)
        # the time as the customer reads the offered times, not ISO
        self.assertRegex(page, r"Call booked: \*?\w+day \d+ \w+ \d{4}, \d\d:\d\d \(CET\)")
        self.assertNotRegex(page, r"Call booked: \*?\d{4}-\d\d-\d\d")
        # the form the page no longer shows is refused too: one call at a time
        other = self.acme._followup_call_slots()[-1]
        self._post("call", {"slot": other.start.strftime("%Y-%m-%d %H:%M:%S")})
        self.assertEqual(len(self.acme._followup_booked_calls()), 1)

    def test_when_no_call_time_fits_the_customer_reads_what_they_can_do(self):
        """Calling hours in Auckland never meet our working hours in Paris:
        the page says so to the customer, not to our people ("the customer's
        preferred hours", "call outside the usual window")."""
        self.acme.tz = "Pacific/Auckland"
        page = self._plain(self._page())
        self.assertIn(
            "No time suits both your calling hours (09:30 to 11:30, Pacific/Auckland) and our "
            'working hours. You can change your calling hours under "How we contact you"',
            page,
        )
        self.assertNotIn("the customer's preferred hours", page)
        self.assertNotIn("Book this call", page)

    def test_at_the_daily_limit_a_dispute_is_still_heard_and_nothing_refused_is_offered(self):
        self.company.followup_portal_daily_limit = 1
        self._promise(self.old)
        page = self._page().text
        plain = self._plain(self._page())
        self.assertIn("You have sent us today's requests", plain)
        # no form the limit would refuse
        for refused in ("/my/payments/do/plan", "/my/payments/do/promise"):
            self.assertNotIn('action="%s"' % refused, page)
        self.assertNotIn("Book this call", plain)
        # the reasons offered: only those never refused
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        not_received = self.env.ref("payment_followup_plus.delay_reason_not_received")
        hardship = self.env.ref("payment_followup_plus.delay_reason_hardship")
        offered = re.search(r'name="reason_id">(.*?)</select>', page, re.S).group(1)
        self.assertIn('value="%s"' % dispute.id, offered)
        self.assertIn('value="%s"' % not_received.id, offered)
        self.assertNotIn('value="%s"' % hardship.id, offered)
        # a dispute goes through although the limit is reached (it was refused)
        response = self._post(
            "reason",
            {
                "reason_id": str(dispute.id),
                "invoice_ids": [str(self.late.id)],
                "note": "We never ordered the second item.",
            },
        )
        self.assertNotIn("limit of requests", self._plain(response))
        event = self.env["payment.followup.event"].search(
            [("partner_id", "=", self.acme.id), ("delay_reason_id", "=", dispute.id)]
        )
        self.assertEqual(len(event), 1)
        self.assertTrue(event.via_portal)
        # any other reason is still refused
        response = self._post(
            "reason", {"reason_id": str(hardship.id), "invoice_ids": [str(self.late.id)]}
        )
        self.assertIn("limit of requests", self._plain(response))

    def test_complaints_do_not_use_up_the_days_requests(self):
        """A dispute and an invoice not received are heard, and a plan is still
        possible afterwards the same day (a limit of one request)."""
        self.company.followup_portal_daily_limit = 1
        for xml_id, invoice in (
            ("delay_reason_dispute", self.late),
            ("delay_reason_not_received", self.old),
        ):
            self._post(
                "reason",
                {
                    "reason_id": str(self.env.ref("payment_followup_plus.%s" % xml_id).id),
                    "invoice_ids": [str(invoice.id)],
                    "note": "About %s" % invoice.name,
                },
            )
        self.assertEqual(self.acme._followup_portal_requests_today(), 0)
        self.assertFalse(self.acme._followup_portal_limit_reached(self.company))
        plain = self._plain(self._page())
        self.assertNotIn("You have sent us today's requests", plain)
        response = self._promise(self.old)
        self.assertNotIn("limit of requests", self._plain(response))
        self.assertTrue(
            self.env["payment.followup.promise"].search([("partner_id", "=", self.acme.id)])
        )
        self.assertTrue(self.acme._followup_portal_limit_reached(self.company))

    def test_our_people_are_told_from_the_company_whoever_acts_on_the_page(self):
        """A customer's dispute on a signed link (the public user, no address)
        and signed in (the customer's own address): the collector's to-do
        notice comes from the company, and its email can leave."""
        collector = self._followup_user(
            self.company, login="portal_notice_collector", email="collector@example.com"
        )
        self.acme.followup_responsible_id = collector
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")

        def notice():
            message = (
                self.env["mail.message"]
                .sudo()
                .search(
                    [
                        ("message_type", "=", "user_notification"),
                        ("partner_ids", "in", collector.partner_id.ids),
                    ],
                    order="id desc",
                    limit=1,
                )
            )
            self.assertIn("assigned to you", message.subject)
            return message

        self._post("reason", {"reason_id": str(dispute.id), "invoice_ids": [str(self.late.id)]})
        on_link = notice()
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        self._post("reason", {"reason_id": str(dispute.id), "invoice_ids": [str(self.old.id)]})
        signed_in = notice()
        self.assertNotEqual(on_link, signed_in)
        for message in (on_link, signed_in):
            self.assertEqual(message.author_id, self.company.partner_id)
            self.assertEqual(message.email_from, self.company.email_formatted)
            self.assertNotIn(self.acme_user.partner_id.email, message.email_from)
            for mail in message.mail_ids:
                self.assertNotEqual(mail.state, "exception", mail.failure_reason)

    def test_a_refused_promise_keeps_its_ticks_in_its_own_form(self):
        """A promise refused (an amount that is no number) shows again with
        what was ticked in it; the plan form keeps its own ticks."""
        response = self._promise(self.late, amount="a lot")
        body = response.text
        self.assertIn("o_pfp_promise_form", body)

        def ticked(form_class):
            form = re.search(r'<form[^>]*class="%s".*?</form>' % form_class, body, re.S).group(0)
            return {
                int(value)
                for value in re.findall(
                    r'<input[^>]*name="invoice_ids"[^>]*value="(\d+)"[^>]*checked', form
                )
            }

        self.assertEqual(ticked("o_pfp_promise_form"), {self.late.id})
        self.assertEqual(ticked("o_pfp_plan_form"), {self.old.id, self.late.id})

    def test_the_tab_title_is_the_pages_in_the_customers_language(self):
        self.assertIn("<title>Payments due</title>", self._page().text)
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme_user.partner_id.lang = "fr_FR"
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        self.assertIn("<title>Paiements dus</title>", self._page("/my/payments").text)

    def test_a_signed_link_writes_the_amounts_in_the_customers_format(self):
        """A German customer's signed link: the headline's total and the
        table's amounts are both in German format (the page's figures were
        once computed before the page took the customer's language)."""
        self.env["res.lang"]._activate_lang("de_DE")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["de_DE"])
        german = self._customer("Nord Handel", tz="Europe/Berlin", lang="de_DE")
        self._invoice(german, 20, 1234.5)
        page = self._plain(self._page(self._signed(german)))
        self.assertRegex(page, r"Überfällig: \D*1\.234,50")
        self.assertNotIn("1,234.50", page)
        # and what the page reads from records: reasons and weekdays
        self.assertIn("Liquiditätsengpass", page)
        self.assertIn("Montag", page)

    def test_the_plan_form_proposes_a_first_installment_in_a_week(self):
        page = self._page().text
        # a week from the customer's own today, as the back office's wizard
        today = self.env["payment.followup.guardrails"]._partner_today(self.acme)
        expected = fields.Date.to_string(today + timedelta(days=7))
        tag = re.search(r'<input[^>]*name="first_due_date"[^>]*>', page).group(0)
        self.assertIn('value="%s"' % expected, tag)

    def test_a_signed_in_customer_gets_the_invitation_the_page_promises(self):
        # the follow-up contact is the person signed in (Claire in the demo)
        self.acme.followup_contact_id = self.acme_user.partner_id
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        slot = self.acme._followup_call_slots()[0]
        response = self._post(
            "call",
            {"slot": slot.start.strftime("%Y-%m-%d %H:%M:%S")},
            token="",
            page="/my/payments",
        )
        email = self.acme_user.partner_id.email
        self.assertIn("The invitation is on its way to %s" % email, self._plain(response))
        meeting = self.acme._followup_booked_calls()
        self.assertEqual(len(meeting), 1)
        # Odoo's invitation: a notification email with the .ics, to each attendee
        invitations = (
            self.env["mail.mail"]
            .search([("recipient_ids", "in", self.acme_user.partner_id.ids)])
            .filtered(lambda m: "invitation.ics" in m.attachment_ids.mapped("name"))
        )
        self.assertEqual(len(invitations), 1, "the customer got the invitation")
        self.assertIn("Invitation", invitations.subject)

    def test_cancelling_a_call_closes_the_collectors_call_todo(self):
        slot = self.acme._followup_call_slots()[0]
        self._post("call", {"slot": slot.start.strftime("%Y-%m-%d %H:%M:%S")})
        meeting = self.acme._followup_booked_calls()
        todo = meeting.activity_ids
        self.assertEqual(len(todo), 1, "the responsible has the call in their to-dos")
        self._post("call_cancel", {"meeting_id": str(meeting.id)})
        self.assertFalse(todo.exists(), "no 'Call booked' left for a cancelled call")
        self.assertFalse(meeting.active)

    def test_under_a_legal_case_a_proposed_plan_waits_for_the_legal_advisor(self):
        advisor = self._followup_user(self.company, login="portal_legal_advisor")
        case = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": self.acme.id,
                "company_id": self.company.id,
                "currency_id": self.old.currency_id.id,
                "invoice_ids": [Command.set((self.old | self.late).ids)],
                "user_id": advisor.id,
            }
        )
        response = self._post(
            "plan",
            {
                "invoice_ids": [str(self.old.id), str(self.late.id)],
                "frequency": "monthly",
                "mode": "count",
                "installment_count": "2",  # within the guidelines: agreed at once otherwise
                "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
            },
        )
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(plan.state, "to_approve")
        self.assertIn(case.name, plan.approval_reason)
        self.assertIn("is with our legal department", self._plain(response))
        todo = self.env["mail.activity"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertEqual(todo.user_id, advisor, "the legal advisor is told")

    def test_what_our_people_read_is_in_the_companys_language(self):
        """A French customer acts on the page in French; the history lines,
        to-dos and review reasons are in the company's language (English
        here), and the customer's messages and the agreed schedule in French."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        self.assertEqual(self.env["payment.followup.team"]._staff_lang(self.company), "en_US")
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        answer = self._plain(
            self._post("reason", {"reason_id": str(dispute.id), "invoice_ids": [str(self.late.id)]})
        )
        self.assertIn("en cours d’examen", answer, "the customer reads French")
        case = self.env["payment.followup.dispute"].search([("partner_id", "=", self.acme.id)])
        todo = self.env["mail.activity"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertIn("Settle the dispute", todo.summary)
        # a plan outside the terms: the review reason and its to-do in English
        self.company.followup_plan_max_months = 2
        self._post(
            "plan",
            {
                "invoice_ids": [str(self.old.id)],
                "frequency": "monthly",
                "mode": "count",
                "installment_count": "6",
                "first_due_date": fields.Date.to_string(self.today + timedelta(days=7)),
            },
        )
        plan = self.env["payment.followup.plan"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(plan.state, "to_approve")
        self.assertIn("months", plan.approval_reason)
        review = self.env["mail.activity"].search(
            [("res_model", "=", plan._name), ("res_id", "=", plan.id)]
        )
        self.assertIn("Review the payment plan proposed by", review.summary)
        # preferences and a call: the history in English
        self._post(
            "call",
            {"slot": self.acme._followup_call_slots()[0].start.strftime("%Y-%m-%d %H:%M:%S")},
        )
        results = " | ".join(
            self.env["payment.followup.event"]
            .search([("partner_id", "=", self.acme.id)])
            .mapped("result")
        )
        self.assertIn("Call booked:", results)
        self.assertNotIn("Appel", results)
        # the meeting is the customer's (French title), its to-do ours
        meeting = self.acme._followup_booked_calls()
        self.assertIn("appel au sujet des factures ouvertes", meeting.name)
        self.assertEqual(meeting.activity_ids.summary, "Follow-up call with Acme Portal")
        self.assertIn("Invoices:", meeting.activity_ids.note)
        # the schedule the customer agrees to is kept in French, whoever records it
        plan.action_approve()
        self.assertIn("16,6", plan.agreed_schedule)
        # (an invoice not under dispute: the disputed one waits for our answer)
        other = self._invoice(self.acme, 15, 250.0)
        accepted = self._plan(other, agree=False, installment_count=1)
        self._post("plan_accept", {"plan_id": str(accepted.id), "signer": "Claire", "agree": "1"})
        self.assertIn("250,00", accepted.agreed_schedule)
        agreed = self.env["payment.followup.event"].search(
            [
                ("partner_id", "=", self.acme.id),
                ("result", "like", "agreed to plan %s" % accepted.name),
            ]
        )
        self.assertEqual(len(agreed), 1, "the history says it in English")

    def test_a_french_customers_link_serves_the_whole_page_in_french(self):
        """Not only our words: Odoo's own scripts on the page (the chat's
        "Today at …", its buttons) take the visitor's session language, which
        the signed link sets to the customer's, from the next page on too."""
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        # the browser asks for English
        headers = {"Accept-Language": "en-US"}
        self.url_open("/web/login", headers=headers)
        page = self.url_open(self._signed(), headers=headers)
        self.assertIn("Paiements dus", page.text)
        again = self.url_open(self._signed(), headers=headers)
        self.assertIn('"bundle_params": {"lang": "fr_FR"', again.text)
        # the last word on the browser's language is the customer's (Odoo's
        # own cookie of the browser's language comes first)
        cookies = [
            value
            for value in again.raw.headers.getlist("Set-Cookie")
            if value.startswith("frontend_lang=")
        ]
        self.assertTrue(cookies[-1].startswith("frontend_lang=fr_FR;"), cookies)
        # the chat's own words come with the page's translations
        modules = self.env["ir.http"]._get_translation_frontend_modules_name()
        self.assertIn("im_livechat", modules)
        self.assertIn("mail", modules)
        terms = self.url_open("/website/translations/x?lang=fr_FR", headers=headers).json()[
            "modules"
        ]
        self.assertIn("im_livechat", terms)
