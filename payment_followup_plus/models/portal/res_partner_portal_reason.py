from odoo import fields, models
from odoo.exceptions import UserError

from ...engine.money import to_major
from ...engine.portal_input import check_upload, parse_ids
from .res_partner_portal_limit import NEVER_LIMITED


class ResPartner(models.Model):
    """Why the customer pays late, told on the payments page; a dispute with
    what is wrong and how much."""

    _inherit = "res.partner"

    def _followup_portal_reason(self, form, upload=None):
        """Why the customer pays late (optional file: ``(name, bytes)``)."""
        partner = self
        open_invoices = partner._followup_portal_invoices()
        reasons = partner._followup_portal_reasons(open_invoices.company_id)
        reason_ids = self._followup_portal_input(
            parse_ids, [form.get("reason_id")], set(reasons.ids)
        )
        reason = reasons.browse(reason_ids)
        needs_invoices = reason.effect != "normal"
        invoices = (
            partner._followup_portal_chosen_invoices(form, planned=reason.effect != "plan")
            if needs_invoices or form.get("invoice_ids")
            else open_invoices.browse()
        )
        company = invoices.company_id or open_invoices.company_id[:1] or self.env.company
        if reason.effect in NEVER_LIMITED:
            partner._followup_portal_serialize()  # never refused, still one request at a time
        else:
            partner._followup_portal_check_limit(company)
        note = self._followup_portal_text(form, "note")
        attachment_vals = None
        if upload:
            # an empty file is said, with what was typed kept on the page
            name, data = upload
            limit = int(company.followup_portal_max_upload_mb * 1024 * 1024)
            mimetype = self._followup_portal_input(check_upload, name, data, limit)
            attachment_vals = {"name": name, "raw": data, "mimetype": mimetype}
        wizard = partner._followup_portal_wizard(
            "payment.followup.delay.wizard",
            company,
            invoices,
            reason_id=reason.id,
            note=note or False,
            **(
                partner._followup_portal_dispute_vals(form, invoices)
                if reason.effect == "dispute"
                else {}
            ),
        )
        wizard._validate()
        user = self.env.user  # who asked: the customer signed in, if so
        wizard = wizard.with_context(followup_asker_id=user.share and user.partner_id.id)
        event, __ = wizard.with_context(
            followup_via_portal=True, lang=self.env["payment.followup.team"]._staff_lang(company)
        )._apply()
        if attachment_vals:
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(dict(attachment_vals, res_model=event._name, res_id=event.id))
            )
            # the dispute case keeps the customer's file with their words
            event.dispute_id.attachment_ids = [fields.Command.link(attachment.id)]
        messages = {
            "dispute": self.env._(
                "Thank you. %(case)s", case=event.dispute_id.with_env(self.env).customer_text or ""
            ),
            "resend": self.env._(
                "We have sent the invoices again to %(email)s. You can also download them here "
                "right away.",
                email=wizard._resend_to().email,
            ),
            "remind": self.env._(
                "Thank you. We will not remind you about these invoices for %(days)s days.",
                days=wizard.days,
            ),
            "plan": self.env._(
                "Thank you for telling us. You can propose a payment plan below: within our "
                "guidelines it starts at once."
            ),
        }
        return messages.get(reason.effect) or self.env._("Thank you for telling us.")

    def _followup_portal_dispute_vals(self, form, invoices):
        """What is disputed (one of the company's reasons; none chosen:
        "other") and how much of a single invoice (empty: all in full)."""
        reasons = (
            self.env["payment.followup.dispute.reason"]
            .sudo()
            .search(
                ["|", ("company_id", "=", False), ("company_id", "in", invoices.company_id.ids)]
            )
        )
        vals = {}
        if form.get("dispute_reason_id"):
            vals["dispute_reason_id"] = self._followup_portal_input(
                parse_ids, [form.get("dispute_reason_id")], set(reasons.ids)
            )[0]
        text = (form.get("disputed_amount") or "").strip()
        if text:
            if len(invoices) != 1:
                raise UserError(
                    self.env._(
                        "Give a disputed amount for one invoice at a time, or leave it empty to "
                        "dispute the invoices in full."
                    )
                )
            minor = self._followup_portal_amount(text, invoices.currency_id, None)
            vals["disputed_amount"] = to_major(minor, invoices.currency_id.decimal_places)
        return vals
