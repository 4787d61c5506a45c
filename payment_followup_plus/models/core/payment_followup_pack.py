import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ...engine.packs import PackDocument, PackError, PackOptions, build_pack

_logger = logging.getLogger(__name__)

LETTER_REPORT = "payment_followup_plus.action_report_reminder_letter"
INVOICE_REPORT = "account.account_invoices"
STATEMENT_REPORT = "payment_followup_plus.action_report_statement"


class PaymentFollowupPack(models.AbstractModel):
    """Odoo's side of the document packs (see ``engine/packs.py``): which PDFs
    go into a pack, rendered set-wise, and where the pack is kept.

    A pack is stored as an attachment of the follow-up event that sent or
    printed it, so whoever may read the event may read its pack."""

    _name = "payment.followup.pack"
    _description = "Payment follow-up document packs"

    @api.model
    def _build(self, documents, company, title=""):
        """One PDF of ``documents`` (a list of ``(name, pdf bytes)``, or
        ``(name, pdf bytes, keep the original)``): returns ``(bytes,
        PackReport)``; a document that cannot go in is named in a ``UserError``
        and nothing is built."""
        options = PackOptions(
            title=title,
            lossy=company.followup_pack_lossy,
            max_dpi=company.followup_pack_max_dpi or 200,
        )
        try:
            return build_pack([PackDocument(*document) for document in documents], options)
        except PackError as err:
            raise UserError(self.env["payment.followup.message"]._engine_error(err)) from err

    @api.model
    def _report_pdfs(self, report_ref, records):
        """{record id: PDF bytes} of a QWeb report, rendered in one pass when
        Odoo can split the result per record, else record by record."""
        if not records:
            return {}
        result = {}
        if len(records) > 1:
            try:
                result = self._render(report_ref, records)
            except Exception:  # noqa: BLE001 - e.g. a wkhtmltopdf built without patched Qt
                _logger.info("%s: printed record by record", report_ref, exc_info=True)
            if set(result) == set(records.ids):
                return result
        for record in records:
            result[record.id] = self._render(report_ref, record)[record.id]
        return result

    @api.model
    def _render(self, report_ref, records):
        content, report_type = self.env["ir.actions.report"]._pre_render_qweb_pdf(
            report_ref, records.ids
        )
        if report_type != "pdf":
            raise UserError(self.env._("PDF printing is not available (wkhtmltopdf)."))
        result = {}
        for record_id, stream in content.items():
            if record_id:
                result[record_id] = stream["stream"].getvalue()
            stream["stream"].close()
        return result

    @api.model
    def _invoice_pdfs(self, invoices):
        """{invoice: PDF bytes}: the document the customer received when Odoo
        kept it (with its embedded Factur-X XML), otherwise the invoice printed
        now, as the portal prints it."""
        result = {
            inv: inv.invoice_pdf_report_id.raw for inv in invoices if inv.invoice_pdf_report_id
        }
        missing = invoices.filtered(lambda inv: inv not in result)
        rendered = self._report_pdfs(INVOICE_REPORT, missing)
        result.update({inv: rendered[inv.id] for inv in missing})
        return result

    @api.model
    def _reminder_documents(self, reminders):
        """{reminder: [(name, PDF bytes)]}: each reminder's letter, then the
        customer's statement of account when its level asks for it, then the
        invoices it lists when its level attaches them, in its order (rendered
        set-wise)."""
        letters = self._report_pdfs(LETTER_REPORT, reminders)
        with_invoices = reminders.filtered(lambda rem: rem.level_id.attach_invoices)
        invoices = self._invoice_pdfs(with_invoices.line_ids.move_id)
        result = {}
        for company in reminders.company_id:
            mine = reminders.filtered(lambda rem, c=company: rem.company_id == c)
            partners = mine.filtered(lambda rem: rem.level_id.attach_statement).partner_id
            statements = self.with_company(company)._report_pdfs(STATEMENT_REPORT, partners)
            for reminder in mine:
                docs = [(reminder.title, letters[reminder.id])]
                if reminder.partner_id.id in statements:
                    docs.append(
                        (self.env._("Statement of account"), statements[reminder.partner_id.id])
                    )
                if reminder in with_invoices:
                    docs += [
                        (line.move_id.name, invoices[line.move_id]) for line in reminder.line_ids
                    ]
                result[reminder] = docs
        return result

    @api.model
    def _attach(self, data, filename, res_model="payment.followup.event", res_ids=(0,)):
        """The pack as an attachment of each record of ``res_ids`` (one stored
        file: the filestore keeps identical content once). An event's pack is
        created with ``res_id`` 0 until the event exists (see
        ``payment.followup.event._link_packs``)."""
        vals = {"name": filename, "raw": data, "mimetype": "application/pdf"}
        return (
            self.env["ir.attachment"]
            .sudo()
            .create([dict(vals, res_model=res_model, res_id=res_id) for res_id in res_ids])
        )

    @api.model
    def _print_letters(self, reminders, events=None):
        """One PDF of the reminders' letters for printing at once, kept on each
        of ``events`` (or on the first reminder's when none is given); returns
        the attachments."""
        if len(reminders.company_id) > 1:
            # a pack is kept on each letter's history: it must not show another
            # company's letters to someone who may only read this one's
            raise UserError(self.env._("Print the letters of one company at a time."))
        pdfs = self._report_pdfs(LETTER_REPORT, reminders)
        documents = [(f"{rem.partner_id.name} - {rem.title}", pdfs[rem.id]) for rem in reminders]
        title = self.env._("Letters to print (%(count)s)", count=len(reminders))
        data, _report = self._build(documents, reminders.company_id, title)
        filename = self._filename(title)
        if events:
            # each customer's letter as printed, kept on its reminder (a
            # reprint keeps the first): what the evidence pack shows
            for rem in reminders.filtered(lambda r: not r.letter_sent_id):
                rem.sudo().letter_sent_id = self._attach(
                    pdfs[rem.id],
                    self._filename(rem.title, rem.partner_id.name),
                    rem._name,
                    rem.ids,
                )
        if not events:
            return self._attach(data, filename, "payment.followup.reminder", reminders[:1].ids)
        attachments = self._attach(data, filename, res_ids=events.ids)
        self.env["payment.followup.event"]._link_packs(dict(zip(events.ids, attachments.ids)))
        return attachments

    @api.model
    def _download_action(self, attachment):
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    @api.model
    def _filename(self, *parts):
        stamp = fields.Date.to_string(fields.Date.context_today(self))
        name = " - ".join(str(part) for part in parts if part)
        return f"{name} - {stamp}.pdf".replace("/", "_")

    @api.model
    def _size_label(self, size):
        return self.env._("%(mb)s MB", mb=format(size / 1_000_000, ".1f"))
