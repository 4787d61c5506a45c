import io
from datetime import date, timedelta

from pypdf import PdfReader

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupLegalCase(PaymentFollowupCommon):
    """The legal tier opens a case instead of writing; only a legal advisor
    moves it on; its debts are held while it is open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.legal_level = cls.env["payment.followup.level"].create(
            {
                "policy_id": cls.policy.id,
                "name": "Legal case",
                "days": 90,
                "tier": "4",
                "severity": "final",
                "open_legal_case": True,
            }
        )
        cls.customer = cls._customer("Legal Debtor Ltd")
        cls.debt = cls._invoice(cls.customer, 95, 1200.0)
        # due in a few days: listed on the reminder, but not a debt of the case
        cls.soon = cls._invoice(cls.customer, -2, 300.0)
        cls._delivered(cls.debt, cls.levels[60], days_ago=20)
        cls.clerk = cls._followup_user(cls.company, login="legal_clerk")
        cls.advisor = cls._followup_user(cls.company, login="legal_advisor")
        cls.advisor.groups_id = [
            Command.link(cls.env.ref("payment_followup_plus.group_followup_legal").id)
        ]

    def _case(self):
        return self.env["payment.followup.legal.case"].search(
            [("partner_id", "=", self.customer.id)]
        )

    def _letter_html(self, case):
        """The letter before action as rendered for its PDF."""
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "payment_followup_plus.action_report_letter_before_action", case.ids
            )[0]
            .decode()
        )

    def test_the_legal_tier_opens_a_case_and_sends_nothing(self):
        mails_before = len(self._mails(self.customer))
        self._run()
        case = self._case()
        self.assertIn(self.soon, case.reminder_id.line_ids.move_id, "listed as due soon")
        self.assertEqual((case.state, case.invoice_ids), ("review", self.debt))
        self.assertEqual(case.amount_at_opening, 1200.0)
        self.assertEqual(len(self._mails(self.customer)), mails_before, "nothing sent by itself")
        event = self._events(self.customer, channel="legal")
        self.assertIn("Legal case %s opened" % case.name, event.result)
        # automation stops for its debts: the next runs do nothing more
        self.assertIn(case.name, self.debt.followup_held_why)
        # the customer's page says where the debt is, not a hold date
        labels = self.env["res.partner"]._followup_portal_status_labels(
            self.debt, self.env["payment.followup.promise"], self.today
        )
        self.assertEqual(labels[self.debt.id], "With our legal department (%s)" % case.name)
        self._run(today=self.today + timedelta(days=40))
        self.assertEqual(len(self._case()), 1)
        self.assertEqual(len(self._mails(self.customer)), mails_before)

    def test_only_a_legal_advisor_moves_a_case_on(self):
        self._run()
        case = self._case()
        with self.assertRaises(AccessError):
            case.with_user(self.clerk).action_send_letter()
        with self.assertRaises(AccessError):
            case.with_user(self.clerk).action_close()
        self.assertEqual(case.state, "review")
        case.with_user(self.advisor).action_send_letter()
        self.assertEqual(case.state, "letter")
        self.assertEqual(case.response_deadline, case.letter_date + timedelta(days=14))
        mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.attachment_ids, "the letter before action as a PDF")
        # every step is logged with who and when
        step = case.message_ids.filtered(
            lambda m: "Letter before action sent, by" in (m.body or "")
        )
        self.assertEqual(step.author_id, self.advisor.partner_id)
        self.assertTrue(step.date)

    def test_steps_in_order_and_holds_released_at_the_end(self):
        self._run()
        case = self._case().with_user(self.advisor)
        with self.assertRaises(UserError):
            case.action_hand_over()  # no letter yet
        case.action_send_letter()
        with self.assertRaises(UserError):
            case.action_hand_over()  # to whom, when?
        lawyer = self.env["res.partner"].create({"name": "Law Firm LLP"})
        case.write(
            {"handover_partner_id": lawyer.id, "handover_date": self.today, "handover_ref": "LF-1"}
        )
        case.action_hand_over()
        self.assertEqual(case.state, "handed_over")
        self.assertTrue(self.debt.followup_hold_until)
        case.action_close()
        self.assertEqual(case.state, "closed")
        self.assertFalse(self.debt.followup_hold_until, "normal follow-up may resume")
        with self.assertRaises(UserError):
            case.action_settle()

    def test_the_letter_before_action_says_only_what_is_true(self):
        self.company.followup_jurisdiction = "uk"
        self._run()
        case = self._case()
        # before it is sent: the reminders listed are those that really left
        # (none yet); a printed letter counts, an email still queued does not
        self.assertNotIn("We wrote to you", self._text(self._letter_html(case)))
        reminder = self._reminders(self.customer)[:1]
        Event = self.env["payment.followup.event"]
        queued = self.env["mail.mail"].create({"body_html": "<p>x</p>", "state": "outgoing"})
        Event.create(
            [
                Event._prepare_event_vals(
                    self.customer,
                    self.company,
                    self.levels[60],
                    "letter",
                    "done",
                    self.debt,
                    reminder_id=reminder.id,
                    delivery_state="delivered",
                ),
                Event._prepare_event_vals(
                    self.customer,
                    self.company,
                    self.levels[60],
                    "email",
                    "done",
                    self.debt,
                    reminder_id=reminder.id,
                    mail_id=queued.id,
                    mail_message_id=queued.mail_message_id.id,
                    delivery_state="queued",
                ),
            ]
        )
        self.assertEqual(case._reminders_sent().mapped("channel"), ["letter"])
        # without the Bank of England rates of 2026, no interest is claimed rather
        # than a wrong one
        rates_2026 = self.env["payment.followup.legal.rate"].search(
            [("kind", "=", "boe"), ("date_from", ">=", date(2026, 1, 1))]
        )
        saved = rates_2026.read(["kind", "date_from", "rate"], load=None)
        rates_2026.unlink()
        self.assertNotIn("Interest so far", self._letter_html(case))
        self.env["payment.followup.legal.rate"].create(
            [{k: v for k, v in row.items() if k != "id"} for row in saved]
        )
        case.with_user(self.advisor).action_send_letter()
        html = self._letter_html(case)
        text = self._text(html).replace("*", "")
        self.assertIn(self.debt.name, text)
        self.assertIn("$ 1,200.00", text)
        self.assertIn("Interest so far", html)
        deadline = case.response_deadline.strftime("%m/%d/%Y")
        self.assertIn(deadline, text)
        self.assertIn("We wrote to you about them on these dates", text)
        self.assertIn("(letter)", text)
        self.assertNotIn("(email)", text)
        # kept as sent: a payment, a new rate or an email sent later change
        # nothing the customer read, nor the PDF that left
        line = case.letter_line_ids
        self.assertEqual(
            (line.name, line.amount_owed, line.charges_known), (self.debt.name, 1200.0, True)
        )
        sent_pdf = case.letter_attachment_id.raw
        self.assertTrue(sent_pdf.startswith(b"%PDF-"))
        self._pay(self.debt, amount=200.0)
        queued.mail_message_id and queued.write({"state": "sent"})
        self.env["payment.followup.legal.rate"].create(
            {
                "kind": "boe",
                "date_from": date(2025, 7, 1),
                "rate": 9.0,
                "company_id": self.company.id,
            }
        )
        again = self._text(self._letter_html(case)).replace("*", "")
        self.assertIn("$ 1,200.00", again)
        self.assertNotIn("(email)", again)
        self.assertEqual(case.letter_attachment_id.raw, sent_pdf)
        mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertEqual(mail.attachment_ids, case.letter_attachment_id)

    def test_a_case_paid_in_full_is_proposed_for_settlement_once(self):
        self._run()
        case = self._case()
        self._pay(self.debt)
        Case = self.env["payment.followup.legal.case"]
        self.assertEqual(Case._cron_propose_settlement(), case)
        self.assertEqual(len(case.activity_ids), 1)
        self.assertFalse(Case._cron_propose_settlement())

    def test_cases_stay_in_their_company(self):
        self._run()
        other = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        outsider = self._followup_user(other, login="legal_elsewhere")
        outsider.groups_id = [
            Command.link(self.env.ref("payment_followup_plus.group_followup_legal").id)
        ]
        self.assertFalse(self.env["payment.followup.legal.case"].with_user(outsider).search([]))

    def test_the_evidence_pack_is_one_pdf_with_everything(self):
        self._run()
        case = self._case().with_user(self.advisor)
        case.action_send_letter()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("payment_followup_plus.action_report_legal_case_file", case.ids)[0]
            .decode()
        )
        text = self._text(html).replace("*", "")
        for part in (
            "Statement of account",
            self.debt.name,
            "Legal case %s opened" % case.name,
            "Letter before action sent, by",
            "Late-payment interest and compensation",
        ):
            self.assertIn(part, text)
        with self.assertRaises(AccessError):
            case.with_user(self.clerk).action_evidence_pack()
        action = case.with_context(force_report_rendering=True).action_evidence_pack()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        self.assertEqual((attachment.res_model, attachment.res_id), (case._name, case.id))
        reader = PdfReader(io.BytesIO(attachment.raw))
        titles = [item.title for item in reader.outline]
        self.assertEqual(titles[:2], ["Case file %s" % case.name, "Letter before action (as sent)"])
        # the letter as it was sent, byte for byte, inside the pack
        self.assertEqual(list(reader.attachments.values()), [[case.letter_attachment_id.raw]])
        self.assertIn(self.debt.name, titles)

    def test_the_evidence_pack_holds_only_what_was_sent_as_sent(self):
        earlier = self._reminders(self.customer)[:1]
        message = self.customer.message_post(
            body="Your invoice %s is overdue (as sent)." % self.debt.name,
            subject="Reminder",
            message_type="comment",
        )
        earlier.mail_message_id = message
        Event = self.env["payment.followup.event"]
        for channel, state, delivery in (
            ("email", "done", "delivered"),
            ("letter", "to_print", "prepared"),
        ):
            Event.create(
                earlier._prepare_event_vals(channel, state, delivery_state=delivery, result=channel)
            )
        self._run()
        case = self._case().with_user(self.advisor)
        action = case.with_context(force_report_rendering=True).action_evidence_pack()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/")[3].split("?")[0])
        )
        reader = PdfReader(io.BytesIO(attachment.raw))
        titles = [item.title for item in reader.outline]
        emails = [title for title in titles if title.startswith("Email sent on")]
        self.assertEqual(len(emails), 1)
        self.assertTrue(emails[0].endswith("(as sent)"))
        self.assertFalse([t for t in titles if "Letter printed" in t or "Reminder of" in t])
        text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
        self.assertIn("Your invoice %s is overdue (as sent)." % self.debt.name, text)

    def test_the_case_shows_what_the_customer_did_since_it_was_opened(self):
        self._run()
        case = self._case()
        self.env["payment.followup.event"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "channel": "reply",
                "state": "done",
                "note": "We can pay half now and half in January.",
                "result": "The customer replied",
            }
        )
        case.invalidate_recordset(["news"])
        self.assertIn("> We can pay half now and half in January.", case.news)
        self.assertIn("The customer replied", case.news)

    def test_a_reminder_that_only_thanked_for_a_payment_is_not_cited(self):
        self._run()
        case = self._case()
        cited = case._reminders_sent(live=True)
        thanks = self.env["payment.followup.reminder"].create(
            {
                "partner_id": self.customer.id,
                "company_id": self.company.id,
                "date": self.today,
                "level_id": self.levels[60].id,
                "state": "delivered",
                "line_ids": [
                    Command.create(
                        {
                            "move_id": self.debt.id,
                            "name": self.debt.name,
                            "due_date": self.debt.invoice_date_due,
                            "currency_id": self.debt.currency_id.id,
                            "amount_residual": self.debt.amount_residual,
                            "section": "on_its_way",
                        }
                    )
                ],
            }
        )
        self.env["payment.followup.event"].create(
            thanks._prepare_event_vals("email", "done", delivery_state="delivered")
        )
        self.assertEqual(case._reminders_sent(live=True), cited)

    def test_the_letter_before_action_gives_the_total_how_to_pay_and_who_signs(self):
        self.company.followup_jurisdiction = "uk"
        bank = self.env["res.partner.bank"].create(
            {"acc_number": "GB33 BUKB 2020 1555 5555 55", "partner_id": self.company.partner_id.id}
        )
        self.advisor.write({"phone": "+44 20 7946 0000", "email": "advisor@example.com"})
        self._run()
        case = self._case()
        case.user_id = self.advisor
        case.with_user(self.advisor).action_send_letter()
        text = self._text(self._letter_html(case)).replace("*", "")
        lines = case._letter_lines()
        total = sum(ln.owed + (ln.interest or 0) + (ln.compensation or 0) for ln in lines)
        self.assertGreater(total, 1200.0, "interest and compensation are claimed too")
        self.assertIn(f"Total to pay: $ {total:,.2f}", text)
        self.assertIn(bank.acc_number, text)
        self.assertIn("quoting the payment reference of each invoice", text)
        for part in (
            self.advisor.name,
            self.company.name,
            "+44 20 7946 0000",
            "advisor@example.com",
        ):
            self.assertIn(part, text)

    def test_a_threat_and_a_case_cover_only_the_debts_that_reached_them(self):
        """An invoice overdue for 12 days and never reminded is listed on the
        final notice as information, apart from its demand and its total, and
        stays out of the legal case (it stays on its own step of the ladder)."""
        thames = self._customer("Thames Trading")
        debt = self._invoice(thames, 65, 1000.0)
        young = self._invoice(thames, 12, 380.0)
        self._delivered(debt, self.levels[45], days_ago=20)
        self._run()
        final = self._reminders(thames)[-1]
        self.assertEqual((final.level_id, final.state), (self.levels[60], "to_review"))
        text = self._text(final.email_preview)
        demand, info = text.split("For your information, these invoices are also overdue")
        self.assertIn(debt.name, demand)
        self.assertNotIn(young.name, demand)
        self.assertIn("They are not part of this notice", info)
        self.assertIn(young.name, info)
        self.assertIn("Total of this notice: $ 1,000.00", text)
        self.assertIn("Also overdue, not part of this notice: $ 380.00", text)
        self.assertNotIn("Total overdue", text)
        final.action_approve()
        self._send_queue()
        self.assertEqual(final.state, "delivered")
        self.assertEqual(debt.followup_level_id, self.levels[60])
        # listed for information only: not reminded at any step by the notice,
        # its next reminder is its own first step
        self.assertFalse(young.followup_level_id, "it keeps its own step")
        self.assertEqual(young.followup_last_date, final.delivered_date, "it was mentioned")
        # the legal level: a case for the debt that went up the ladder, not the other
        self._run(today=self.today + timedelta(days=40))
        case = self._case_of(thames)
        self.assertEqual(case.invoice_ids, debt)
        self.assertEqual(case.amount_at_opening, 1000.0)
        self.assertFalse(young.followup_hold_until, "not held by the case")
        letter = self._text(self._letter_html(case))
        self.assertIn(debt.name, letter)
        self.assertNotIn(young.name, letter)

    def _case_of(self, partner):
        return self.env["payment.followup.legal.case"].search([("partner_id", "=", partner.id)])

    def test_the_letter_is_read_before_it_is_sent_and_a_hand_over_asks_what_it_needs(self):
        self._run()
        case = self._case()
        mails = len(self._mails(self.customer))
        action = case.with_user(self.advisor).action_open_send_letter()
        self.assertEqual(
            (action["res_model"], action["target"]), ("payment.followup.legal.step", "new")
        )
        step = self.env["payment.followup.legal.step"].browse(action["res_id"])
        self.assertEqual(case.state, "review", "opening the preview sends nothing")
        self.assertEqual(len(self._mails(self.customer)), mails)
        preview = self._text(step.preview)
        self.assertIn("Letter before action %s" % case.name, preview)
        self.assertIn(self.debt.name, preview)
        self.assertIn(self.today.strftime("%m/%d/%Y"), preview, "dated the day it is sent")
        until = self.today + timedelta(days=self.company.followup_legal_response_days)
        self.assertIn("contact us, by %s" % until.strftime("%m/%d/%Y"), preview)
        self.assertEqual(step.response_days, self.company.followup_legal_response_days)
        # a clerk cannot send it through the wizard either
        with self.assertRaises(AccessError):
            step.with_user(self.clerk).action_confirm()
        step.with_user(self.advisor).action_confirm()
        self.assertEqual(case.state, "letter")
        self.assertIn(self.debt.name, self._text(self._letter_html(case)))
        # hand over: a dialog asks to whom and when
        action = case.with_user(self.advisor).action_open_hand_over()
        step = self.env["payment.followup.legal.step"].browse(action["res_id"])
        with self.assertRaises(UserError):
            step.write({"handover_date": False})
            step.with_user(self.advisor).action_confirm()
        lawyer = self.env["res.partner"].create({"name": "Counsel & Partners"})
        # a hand-over is recorded when it happens, not ahead
        step.write(
            {"handover_partner_id": lawyer.id, "handover_date": self.today + timedelta(days=3)}
        )
        with self.assertRaisesRegex(UserError, "is in the future"):
            step.with_user(self.advisor).action_confirm()
        self.assertEqual(case.state, "letter")
        self.assertFalse(case.handover_partner_id)
        step.write({"handover_date": self.today})
        step.with_user(self.advisor).action_confirm()
        self.assertEqual((case.state, case.handover_partner_id), ("handed_over", lawyer))
