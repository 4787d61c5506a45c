import base64
import io
import re
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from pypdf import PdfReader

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools.pdf import OdooPdfFileReader, OdooPdfFileWriter

from ..models.core.payment_followup_pack import LETTER_REPORT, PaymentFollowupPack
from .common import PaymentFollowupCommon
from .pdf_render import render_pages, same_pixels


def read(data):
    return PdfReader(io.BytesIO(data))


@tagged("post_install", "-at_install")
class TestFollowupPacks(PaymentFollowupCommon):
    """Real PDFs from Odoo (wkhtmltopdf) merged into packs and read back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # real PDFs in tests (Odoo gives HTML otherwise)
        cls.env = cls.env(context=dict(cls.env.context, force_report_rendering=True))
        cls.followup = cls.followup.with_env(cls.env)
        cls.company = cls.company.with_env(cls.env)
        cls.policy.level_ids.write({"attach_invoices": True})

    def _customer_with_invoices(self, name, count=2):
        partner = self._customer(name)
        invoices = self.env["account.move"]
        for n in range(count):
            invoices |= self._invoice(partner, 12 + n, amount=100.0 * (n + 1))
        return partner, invoices

    def _outline(self, attachment):
        pack = read(attachment.raw)
        return [item.title for item in pack.outline], pack

    def test_reminder_email_carries_letter_and_invoices_in_one_pdf(self):
        partner, invoices = self._customer_with_invoices("Pack Customer")
        self._run()
        mail = self._mails(partner)
        reminder = self._reminders(partner)
        self.assertEqual(len(mail), 1)
        self.assertEqual(len(mail.attachment_ids), 1)
        titles, pack = self._outline(mail.attachment_ids)
        lines = reminder.line_ids.move_id
        self.assertEqual(titles, [reminder.title] + lines.mapped("name"))
        self.assertEqual(set(lines.ids), set(invoices.ids))
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pack.pages))
        for invoice in invoices:
            self.assertIn(invoice.name, text)
        self.assertIn(reminder.title, text)
        event = self._events(partner, channel="email")
        self.assertEqual(event.pack_attachment_id, mail.attachment_ids)
        self.assertEqual(
            (mail.attachment_ids.res_model, mail.attachment_ids.res_id),
            ("payment.followup.event", event.id),
        )
        self.assertIn("Attached: the reminder and 2 invoices in one PDF", event.result)

    def test_statement_of_account_attached_after_the_letter(self):
        self.policy.level_ids.write({"attach_invoices": False, "attach_statement": True})
        partner, invoices = self._customer_with_invoices("Statement Customer")
        self._run()
        mail = self._mails(partner)
        reminder = self._reminders(partner)
        titles, pack = self._outline(mail.attachment_ids)
        self.assertEqual(titles, [reminder.title, "Statement of account"])
        text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pack.pages))
        self.assertIn("Open items", text)
        for invoice in invoices:
            self.assertIn(invoice.name, text)
        event = self._events(partner, channel="email")
        self.assertIn(
            "Attached: the reminder and the statement of account in one PDF", event.result
        )

    def test_pack_looks_exactly_like_the_documents(self):
        partner, _invoices = self._customer_with_invoices("Pixel Customer")
        self._run()
        reminder = self._reminders(partner)
        Pack = self.env["payment.followup.pack"]
        documents = Pack._reminder_documents(reminder)[reminder]
        pack, report = Pack._build(documents, self.company)
        before = [page for _name, data in documents for page in render_pages(data)]
        after = render_pages(pack)
        self.assertEqual(len(after), len(before))
        self.assertEqual(report.pages, len(before))
        for old, new in zip(before, after, strict=True):
            self.assertTrue(same_pixels(old, new))
        self.assertLess(len(pack), sum(len(data) for _name, data in documents))

    def test_the_letters_qr_code_is_vector_and_a_reader_opens_the_signed_link(self):
        partner, _invoices = self._customer_with_invoices("QR Customer", count=1)
        self._run()
        reminder = self._reminders(partner)
        letter = self.env["payment.followup.pack"]._report_pdfs(LETTER_REPORT, reminder)[
            reminder.id
        ]
        # no picture at all in the letter: the QR code is drawn with rectangles
        # (it was a 110x110 RGB JPEG of about 11 KB)
        for page in read(letter).pages:
            self.assertFalse(list(page.images))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "letter.png"
            render_pages(letter, dpi=150)[0].save(path)
            found = subprocess.run(
                ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(path)],
                capture_output=True,
                check=False,
            )
        self.assertEqual(found.stdout.decode().strip(), reminder.payments_url)
        self.assertRegex(reminder.payments_url, r"/my/payments/\d+/\d+-[0-9a-f]{64}$")

    def test_over_the_size_limit_the_email_links_instead(self):
        self.company.followup_email_max_mb = 0.001
        partner, _invoices = self._customer_with_invoices("Big Pack Customer")
        self._run()
        mail = self._mails(partner)
        self.assertFalse(mail.attachment_ids)
        self.assertIn("/my/invoices/", mail.body_html)
        event = self._events(partner, channel="email")
        self.assertIn("over the 0.001 MB email limit", event.result)
        self.assertIn("links to the customer's page instead", event.result)
        self.assertTrue(read(event.pack_attachment_id.raw).pages)

    def test_factur_x_of_the_sent_invoice_survives(self):
        partner, invoices = self._customer_with_invoices("Factur-X Customer", count=1)
        self.env["account.move.send"]._generate_and_send_invoices(
            invoices, sending_methods=["manual"]
        )
        legal = invoices.invoice_pdf_report_id
        self.assertTrue(legal)
        # Odoo embeds the Factur-X XML in the sent PDF, except in test mode:
        # do here what account_edi_ubl_cii does outside tests
        xml = self.env["account.edi.xml.cii"]._export_invoice(invoices)[0]
        writer = OdooPdfFileWriter()
        writer.cloneReaderDocumentRoot(OdooPdfFileReader(io.BytesIO(legal.raw), strict=False))
        writer.add_attachment("factur-x.xml", xml, subtype="text/xml")
        out = io.BytesIO()
        writer.write(out)
        legal.raw = out.getvalue()
        embedded = read(legal.raw).attachments
        self.assertIn("factur-x.xml", embedded)
        self._run()
        titles, pack = self._outline(self._mails(partner).attachment_ids)
        self.assertEqual(titles[1], invoices.name)
        self.assertEqual(pack.attachments["factur-x.xml"], embedded["factur-x.xml"])
        self.assertIn(invoices.name, pack.pages[-1].extract_text())

    def _letters_to_print(self, count=2):
        self.policy.level_ids.write({"send_email": False, "send_letter": True})
        partners = self.env["res.partner"]
        for n in range(count):
            partners |= self._customer_with_invoices(f"Letter Customer {n}", count=1)[0]
        self._run()
        events = self._events(partners, channel="letter")
        self.assertEqual(events.mapped("state"), ["to_print"] * count)
        return partners, events

    def test_print_letters_makes_one_pdf_then_marks_printed(self):
        partners, events = self._letters_to_print()
        action = events.action_print_letter()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = events[0].pack_attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual(events.pack_attachment_id.mapped("checksum"), [attachment.checksum] * 2)
        titles, pack = self._outline(attachment)
        self.assertEqual(len(titles), 2)
        self.assertEqual(sorted(t.split(" - ")[0] for t in titles), sorted(partners.mapped("name")))
        self.assertEqual(len(pack.pages), 2)
        self.assertEqual(events.mapped("state"), ["done", "done"])
        self.assertTrue(all("one PDF of 2 letters" in r for r in events.mapped("result")))
        self.assertEqual(set(events.reminder_id.mapped("state")), {"delivered"})

    def test_print_letter_on_the_reminder_marks_it_printed(self):
        """The reminder form's *Print letter* is the history's *Print letters*
        for its letter: printed once, marked printed, the reminder delivered."""
        __, events = self._letters_to_print(count=1)
        action = events.reminder_id.action_print_letter()
        self.assertEqual(action["type"], "ir.actions.act_url")
        self.assertEqual(events.state, "done")
        self.assertEqual(events.delivery_state, "delivered")
        self.assertEqual(events.reminder_id.state, "delivered")
        self.assertEqual(events.result, "Printed", "one letter: no 'one PDF of 1 letters'")
        self.assertTrue(events.reminder_id.letter_date)
        # printed again: a copy, nothing changes
        events.reminder_id.action_print_letter()
        self.assertEqual(events.state, "done")

    def test_print_letters_marks_nothing_when_the_pdf_fails(self):
        _partners, events = self._letters_to_print()

        def broken(pack_model, report_ref, records):
            return {record.id: b"%PDF-1.4 broken" for record in records}

        with patch.object(PaymentFollowupPack, "_report_pdfs", broken):
            with self.assertRaisesRegex(UserError, "is damaged and cannot be read"):
                events.action_print_letter()
        self.assertEqual(events.mapped("state"), ["to_print", "to_print"])
        self.assertFalse(events.pack_attachment_id)
        self.assertEqual(set(events.reminder_id.mapped("state")), {"pending"})

    def test_agreement_pack_covers_the_plan_invoices(self):
        partner, invoices = self._customer_with_invoices("Plan Pack Customer")
        plan = self._plan(invoices, installment_count=3)
        # from the plan's Print menu
        action = (
            self.env.ref("payment_followup_plus.action_server_plan_agreement_pack")
            .with_context(active_model=plan._name, active_id=plan.id, active_ids=plan.ids)
            .run()
        )
        event = self._events(partner, plan_id=plan.id).filtered("pack_attachment_id")
        self.assertEqual(action["url"], f"/web/content/{event.pack_attachment_id.id}?download=true")
        titles, pack = self._outline(event.pack_attachment_id)
        self.assertEqual(titles, [f"Payment plan {plan.name}"] + plan.invoice_ids.mapped("name"))
        self.assertIn(plan.name, pack.pages[0].extract_text())
        self.assertIn("Agreement printed with its 2 invoices in one PDF", event.result)

    def test_pack_readable_only_with_the_event(self):
        partner, _invoices = self._customer_with_invoices("Access Customer")
        self._run()
        attachment = self._events(partner, channel="email").pack_attachment_id
        other_company = self.setup_other_company(name="Packs B")["company"]
        clerk = self._followup_user(other_company, login="pack_clerk_other")
        with self.assertRaises(AccessError):
            attachment.with_user(clerk).check("read")
        own_clerk = self._followup_user(self.company, login="pack_clerk_own")
        attachment.with_user(own_clerk).check("read")
        self.assertEqual(base64.b64decode(attachment.with_user(own_clerk).datas)[:5], b"%PDF-")

    def test_a_letter_no_longer_true_is_prepared_again_not_printed(self):
        _partners, events = self._letters_to_print(count=1)
        reminder = events.reminder_id
        self._pay(reminder.line_ids.move_id, amount=40.0)
        with self.assertRaisesRegex(UserError, "no longer true: .* now has .* open"):
            events.action_print_letter()
        self.assertEqual(events.state, "to_print")
        self.assertFalse(events.pack_attachment_id)
        reminder.action_refresh()
        self.assertEqual(reminder.state, "cancelled")
        self.assertEqual(events.state, "cancelled")
        fresh = self._events(reminder.partner_id, channel="letter", state="to_print")
        self.assertEqual(len(fresh), 1)
        self.assertEqual(fresh.reminder_id.line_ids.amount_residual, 60.0)
        fresh.action_print_letter()
        self.assertEqual(fresh.state, "done")

    def test_due_soon_that_fell_due_makes_a_waiting_letter_untrue(self):
        self.policy.level_ids.write({"send_email": False, "send_letter": True})
        partner = self._customer("Due Soon Letter Co")
        self._invoice(partner, 20)
        soon = self._invoice(partner, 2)  # due 2 days ago, due soon 5 days ago
        self._run(today=self.today - timedelta(days=5))
        event = self._events(partner, channel="letter")
        line = event.reminder_id.line_ids.filtered(lambda ln: ln.move_id == soon)
        self.assertEqual(line.section, "due_soon")
        self.assertIn(f"{soon.name} is now overdue, not due soon", event.reminder_id.stale)
        with self.assertRaisesRegex(UserError, "no longer true"):
            event.action_print_letter()

    def test_when_printing_fails_the_reminder_still_goes_out(self):
        partner, _invoices = self._customer_with_invoices("No Printer Co")

        def unavailable(pack_model, report_ref, records):
            raise UserError("PDF printing is not available (wkhtmltopdf).")

        with patch.object(PaymentFollowupPack, "_render", unavailable):
            self._run()
        mail = self._mails(partner)
        self.assertEqual(len(mail), 1)
        self.assertFalse(mail.attachment_ids)
        event = self._events(partner, channel="email")
        self.assertIn(
            "The invoices could not be attached: PDF printing is not available", event.result
        )
        self.assertEqual(self._reminders(partner).state, "delivered")

    def test_letters_of_two_companies_are_not_printed_together(self):
        _partners, events = self._letters_to_print(count=1)
        company_b = self.setup_other_company(name="Letters B")["company"]
        company_b._pfp_ensure_default_policy()
        company_b.followup_policy_id.level_ids.write({"send_email": False, "send_letter": True})
        company_b.followup_min_gap_days = 0
        partner_b = self._customer("Letter Customer B")
        self._invoice(partner_b, 12, company=company_b)
        self._run(company=company_b)
        events_b = self._events(partner_b, channel="letter")
        self.assertEqual(events_b.state, "to_print")
        both = (events | events_b).with_context(allowed_company_ids=[self.company.id, company_b.id])
        with self.assertRaisesRegex(UserError, "one company at a time"):
            both.action_print_letter()
        self.assertEqual((events | events_b).mapped("state"), ["to_print", "to_print"])

    def test_an_untrue_paper_copy_of_a_sent_reminder_is_dropped_not_printed(self):
        self.policy.level_ids.write({"send_email": True, "send_letter": True})
        stale_partner = self._customer_with_invoices("Emailed And Paid Co", count=1)[0]
        fresh_partner = self._customer_with_invoices("Emailed Only Co", count=1)[0]
        self._run()
        stale = self._events(stale_partner, channel="letter")
        fresh = self._events(fresh_partner, channel="letter")
        self.assertEqual(stale.reminder_id.state, "delivered", "the email went out")
        self._pay(stale.reminder_id.line_ids.move_id, amount=40.0)
        # alone: nothing printed, the user is told
        action = stale.action_print_letter()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("the letters ticked are no longer true", action["params"]["message"])
        self.assertEqual(stale.state, "cancelled")
        self.assertIn("Not printed, no longer true:", stale.result)
        self.assertIn("(the reminder went by email)", stale.result)
        self.assertFalse(stale.pack_attachment_id)
        # with a true letter: only that one is printed
        action = (stale | fresh).action_print_letter()
        titles, _pack = self._outline(fresh.pack_attachment_id)
        self.assertEqual(len(titles), 1)
        self.assertTrue(titles[0].startswith("Emailed Only Co"))
        self.assertEqual(fresh.state, "done")
        self.assertEqual(stale.state, "cancelled")

    def test_printing_says_which_letters_were_dropped_and_refreshes_the_list(self):
        self.policy.level_ids.write({"send_email": True, "send_letter": True})
        stale_partner = self._customer_with_invoices("Dropped Letter Co", count=1)[0]
        fresh_partner = self._customer_with_invoices("Printed Letter Co", count=1)[0]
        self._run()
        stale = self._events(stale_partner, channel="letter")
        fresh = self._events(fresh_partner, channel="letter")
        self._pay(stale.reminder_id.line_ids.move_id, amount=40.0)
        action = (stale | fresh).action_print_letter()
        # one letter printed, and the user is told which one was dropped and why
        self.assertEqual(action["tag"], "display_notification")
        params = action["params"]
        self.assertIn("Printed 1 letter(s): %s.", params["message"])
        self.assertIn("Dropped, no longer true", params["message"])
        self.assertIn("Dropped Letter Co", params["message"])
        self.assertEqual(
            params["links"][0]["url"], f"/web/content/{fresh.pack_attachment_id.id}?download=true"
        )
        self.assertEqual(params["next"], {"type": "ir.actions.client", "tag": "soft_reload"})
        self.assertEqual((stale.state, fresh.state), ("cancelled", "done"))

    def test_a_letter_bears_the_day_it_is_printed(self):
        prepared = self.today - timedelta(days=12)
        self.policy.level_ids.write({"send_email": False, "send_letter": True})
        partner = self._customer("Late Printing Co")
        self._invoice(partner, 30)
        self._run(today=prepared)
        event = self._events(partner, channel="letter")
        reminder = event.reminder_id
        self.assertEqual(reminder.date, prepared)
        self.assertFalse(reminder.letter_date)
        self.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        event.action_print_letter()
        self.assertEqual(reminder.letter_date, self.today)
        text = read(event.pack_attachment_id.raw).pages[0].extract_text()
        self.assertIn(self.today.strftime("%m/%d/%Y"), text)
        self.assertNotIn(prepared.strftime("%m/%d/%Y"), text)
