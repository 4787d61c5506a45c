import io
import os

from pypdf import PdfReader

from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPdfText(PortalCommon):
    """PDFs printed by a running server keep their text (issue #33): with the
    server's stylesheets and fonts (as in production and in the demo), a web
    font would make wkhtmltopdf draw every letter as shapes."""

    def _print(self, report, records):
        # what a running server does: wkhtmltopdf fetches the report's
        # stylesheets and fonts from it
        self.env["ir.config_parameter"].sudo().set_param("report.url", self.base_url())
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def _fonts(self, reader):
        """The fonts of the pages, and whether each is embedded."""
        fonts = {}
        for page in reader.pages:
            for font in (page["/Resources"].get("/Font") or {}).values():
                font = font.get_object()
                descendant = font.get("/DescendantFonts")
                if descendant:
                    font = descendant[0].get_object()
                descriptor = font.get("/FontDescriptor")
                descriptor = descriptor.get_object() if descriptor else {}
                fonts[str(font.get("/BaseFont"))] = any(
                    key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
                )
        return fonts

    def test_a_letter_and_an_invoice_printed_by_the_server_have_text_and_fonts(self):
        for report, records, words in (
            ("account.account_invoices", self.old, [self.old.name]),
            (
                "payment_followup_plus.action_report_statement",
                self.acme,
                [self.old.name, self.late.name],
            ),
        ):
            with self.subTest(report=report):
                pdf = self._print(report, records)
                reader = PdfReader(io.BytesIO(pdf))
                text = " ".join(page.extract_text() for page in reader.pages)
                for word in words:
                    self.assertIn(word, text)
                fonts = self._fonts(reader)
                self.assertTrue(fonts, "the text is set in fonts, not drawn as shapes")
                self.assertTrue(all(fonts.values()), "every font is embedded: %s" % fonts)
                self.assertLess(len(pdf), 200_000, "a page of text, not of shapes")
                if os.environ.get("FONTCONFIG_FILE"):
                    # the project's setup maps the PDF font to Lato, Odoo's report font
                    self.assertTrue(any("Lato" in name for name in fonts), fonts)
