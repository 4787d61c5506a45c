from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class PaymentFollowupDelayWizard(models.TransientModel):
    """Record why a customer pays late; the reason's effect is applied at once
    and the history keeps the reason, its author and date."""

    _name = "payment.followup.delay.wizard"
    _inherit = "payment.followup.invoice.mixin"
    _description = "Record a reason for delay"
    # a reason may concern an invoice under review (a second dispute is said so)
    _offer_disputed = True

    reason_id = fields.Many2one(
        "payment.followup.delay.reason",
        required=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    effect = fields.Selection(related="reason_id.effect")
    days = fields.Integer(compute="_compute_days", store=True, readonly=False)
    note = fields.Text()
    # a dispute: what is disputed, and how much of a single invoice
    dispute_reason_id = fields.Many2one(
        "payment.followup.dispute.reason",
        string="What is disputed",
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    disputed_amount = fields.Monetary(
        "Disputed amount",
        help="Of a single invoice; empty: the invoices' whole open amounts.",
    )

    @api.depends("reason_id", "company_id")
    def _compute_days(self):
        for wizard in self:
            # a dispute's deadline: the company's, unless the reason gives one
            wizard.days = wizard.reason_id.days or (
                wizard.effect == "dispute" and wizard.company_id.followup_dispute_days
            )

    def _validate(self):
        self.ensure_one()
        if self.effect != "normal" or self.invoice_ids:
            self._check_invoices()
        if self.effect in ("dispute", "remind") and self.days < 1:
            raise UserError(self.env._("Give the number of days (at least one)."))
        if self.effect == "dispute" and self.disputed_amount and len(self.invoice_ids) > 1:
            raise UserError(
                self.env._(
                    "Give a disputed amount for one invoice at a time, or leave it empty to "
                    "dispute the invoices in full."
                )
            )

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        self._validate()
        return self._apply()[1] or {"type": "ir.actions.act_window_close"}

    def _apply(self):
        """Apply the reason's effect (validated) and log it; returns the
        history event and the action to open next (also used by the
        customer's page)."""
        today = fields.Date.context_today(self)
        handler = getattr(self, "_apply_%s" % self.effect)
        result, action, *extra = handler(today)
        event = self.env["payment.followup.event"]._log_about(
            self,
            self.env._("%(reason)s: %(effect)s", reason=self.reason_id.name, effect=result),
            delay_reason_id=self.reason_id.id,
            note=self.note,
            **(extra[0] if extra else {}),
        )
        return event, action

    # one method per effect: (what was done, the action to open next)
    def _apply_normal(self, today):
        return self.env._("normal follow-up continues"), None

    def _apply_plan(self, today):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose a payment plan"),
            "res_model": "payment.followup.plan.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.commercial_partner_id.id,
                "default_company_id": self.company_id.id,
                "default_invoice_ids": self.invoice_ids.ids,
                "default_event_id": self.event_id.id,
                "default_note": self.note,
            },
        }
        return self.env._("a payment plan is proposed"), action

    def _apply_dispute(self, today):
        """A dispute case: the chosen invoices (one with an amount, or all in
        full), the reason, the words and the deadline; only the undisputed
        part is followed up while it runs, and its owner gets a to-do."""
        partner = self.partner_id.commercial_partner_id
        Dispute = self.env["payment.followup.dispute"].sudo().with_company(self.company_id)
        amount = self.disputed_amount or None
        source = (
            "portal"
            if self.env.context.get("followup_via_portal")
            else "reply"
            if self.event_id.channel == "reply"
            else "collector"
        )
        case = Dispute.create(
            Dispute._prepare_case_vals(
                partner,
                self.company_id,
                dict.fromkeys(self.invoice_ids, amount),
                self.dispute_reason_id
                or self.env.ref("payment_followup_plus.dispute_reason_other"),
                days=self.days,
                description=self.note or False,
                source=source,
            )
        )
        activity = case.activity_ids.filtered(lambda a: a.followup_kind == "dispute")[:1]
        # the customer's or accountant's words as plain text (no live links)
        activity.note = (
            self.env["payment.followup.message"]._plain_html(self.note) if self.note else False
        )
        return (
            self.env._(
                "case %(case)s opened for %(amount)s, answer by %(date)s, handed to %(user)s",
                case=case.name,
                amount=case.currency_id.format(case.amount_disputed),
                date=format_date(self.env, case.deadline),
                user=case.user_id.name or self.env.user.name,
            ),
            None,
            {"activity_id": activity.id, "dispute_id": case.id},
        )

    def _resend_to(self):
        """Who gets the invoices again: the person who asked
        (``followup_asker_id`` in the context, with an address), else the
        customer's follow-up contact."""
        asker = self.env["res.partner"].sudo().browse(self.env.context.get("followup_asker_id"))
        asker = asker.exists()
        return asker if asker.email else self.partner_id.commercial_partner_id.followup_recipient_id

    def _apply_resend(self, today):
        """The invoices again, answered to the person who asked
        (``followup_asker_id`` in the context: the customer signed in on the
        page; else the customer's follow-up contact), from the company, in the
        customer's language, each invoice attached with a download link."""
        partner = self.partner_id.commercial_partner_id
        asker = self._resend_to()
        if not asker.email:
            raise UserError(
                self.env._(
                    "There is no email address for %(customer)s to send the invoices to: "
                    "add one under “How we contact you”, or download the invoices from the "
                    "list.",
                    customer=partner.display_name,
                )
            )
        invoices = self.invoice_ids.sudo()
        lang = partner.followup_lang or self.env.lang
        env = self.with_context(lang=lang).env
        Wording = env["payment.followup.wording"]
        formality = partner.followup_formality or "formal"
        signer = self.env["payment.followup.team"]._responsible(partner)
        Report = self.env["ir.actions.report"].sudo()
        attachments = self.env["ir.attachment"].sudo()
        rows = []
        for invoice in invoices:
            invoice._portal_ensure_token()
            pdf, __ = Report.with_context(lang=lang)._render_qweb_pdf(
                "account.account_invoices", invoice.ids
            )
            attachments |= attachments.create(
                {
                    "name": invoice._get_invoice_report_filename(),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": invoice._name,
                    "res_id": invoice.id,
                }
            )
            rows.append(
                {
                    "name": invoice.name,
                    # in the customer's number format ("150,00 €" in French)
                    "amount": invoice.currency_id.with_context(lang=lang).format(
                        invoice.amount_residual
                    ),
                    "due": format_date(env, invoice.invoice_date_due),
                    "url": invoice.get_base_url()
                    + invoice.get_portal_url(report_type="pdf", download=True),
                }
            )
        company = self.company_id
        template = self.env.ref("payment_followup_plus.mail_template_invoices_again")
        template.sudo().with_context(
            followup_lang=lang,
            followup_subject=env._(
                "Your invoices from %(company)s: %(invoices)s",
                company=company.name,
                invoices=", ".join(invoices.mapped("name")),
            ),
            followup_email_from=company.email_formatted,
            followup_greeting=Wording._greeting(env._, formality, asker),
            followup_closing=Wording._closing(env._, formality),
            followup_signer=signer.name,
            followup_company=company.name,
            followup_invoices=rows,
        ).send_mail(
            partner.id,
            email_values={
                "recipient_ids": [fields.Command.set(asker.ids)],
                "attachment_ids": [fields.Command.set(attachments.ids)],
                "author_id": company.partner_id.id,
            },
        )
        return (
            self.env._(
                "%(invoices)s sent again to %(to)s",
                invoices=", ".join(invoices.mapped("name")),
                to=asker.email,
            ),
            None,
        )

    def _apply_remind(self, today):
        remind_on = today + timedelta(days=self.days)
        self.invoice_ids._followup_hold(
            remind_on - timedelta(days=1), self.reason_id.name, remind=True
        )
        return self.env._("reminder on %(date)s", date=format_date(self.env, remind_on)), None
