from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

AGREEMENT_METHODS = [
    ("portal", "Accepted in the customer portal"),
    ("signed", "Signed agreement received"),
    ("phone", "Agreed by phone"),
    ("email", "Agreed by email"),
]


# the agreement as a PDF (the plan report)
PLAN_REPORT = "payment_followup_plus.action_report_payment_plan"


class PaymentFollowupPlanAgreement(models.AbstractModel):
    """How a payment plan is agreed with the customer: proposed by us or by the
    customer on the portal, approved or declined by a manager, accepted with
    who, when, from where and the exact schedule. Part of
    ``payment.followup.plan``."""

    _name = "payment.followup.plan.agreement"
    _description = "Payment plan: the customer's agreement"

    agreement_method = fields.Selection(
        AGREEMENT_METHODS, string="Agreed through", readonly=True, copy=False, tracking=True
    )
    agreed_by = fields.Char("Agreed by", readonly=True, copy=False, tracking=True)
    agreed_on = fields.Datetime("Agreed on", readonly=True, copy=False)
    agreement_ip = fields.Char("Agreed from (IP address)", readonly=True, copy=False)
    agreed_schedule = fields.Text(
        "Schedule agreed", readonly=True, copy=False, help="The schedule exactly as agreed."
    )
    agreement_note = fields.Text(readonly=True, copy=False)
    # proposed by the customer on the portal: who, from where, when
    customer_proposal = fields.Boolean("Proposed by the customer", readonly=True, copy=False)
    proposal_by = fields.Char("Proposed by (name)", readonly=True, copy=False)
    proposal_ip = fields.Char("Proposed from (IP address)", readonly=True, copy=False)
    proposal_date = fields.Datetime("Proposed on", readonly=True, copy=False)
    decline_reason = fields.Text("Why it was declined", readonly=True, copy=False)
    counter_to_id = fields.Many2one(
        "payment.followup.plan", string="Counter-proposal to", readonly=True, copy=False
    )
    portal_url = fields.Char("Customer page link", compute="_compute_portal_url")

    def _compute_portal_url(self):
        for plan in self:
            plan.portal_url = plan._plans_page_url()

    def _plans_page_url(self):
        """Where the customer sees this plan (hook: the portal signs a link
        to its payments page; without it, the page behind a login)."""
        self.ensure_one()
        return self.partner_id.get_base_url() + "/my/payments#plans"

    def _agreed_on_label(self):
        """When the customer agreed, as the printed agreement says it: in the
        customer's time zone (named) and language, not the printing user's."""
        self.ensure_one()
        guardrails = self.env["payment.followup.guardrails"].with_context(
            lang=self.partner_id.followup_lang
        )
        return guardrails._local_time_label(self.agreed_on, self.partner_id, self.company_id)

    def action_decline(self):
        """Decline a plan the customer proposed (a manager): the customer is
        told why, and may get other terms to accept."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_manager()
        if self.state != "to_approve":
            raise UserError(self.env._("Only plans waiting for approval can be declined."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decline the plan"),
            "res_model": "payment.followup.plan.decline",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def _send_mail(self, xmlid):
        """One of the plan's emails to the customer's follow-up contact."""
        template = self.env.ref(xmlid)
        for plan in self:
            template.sudo().send_mail(plan.id)

    def action_record_agreement(self):
        """Open the form that records how the customer agreed (the plan starts then)."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        if self.state != "proposed":
            raise UserError(
                self.env._("Only a plan waiting for the customer's agreement can be agreed.")
            )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record the customer's agreement"),
            "res_model": "payment.followup.agreement.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_plan_id": self.id},
        }

    def _schedule_text(self):
        """The schedule as the customer agreed it, kept with the agreement (in
        the customer's language, whoever records it)."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id._followup_lang(self.env.lang)).env
        return "\n".join(
            "%s  %s  %s"
            % (
                line.number or env._("Down payment"),
                format_date(env, line.due_date),
                self.currency_id.with_env(env).format(line.amount),
            )
            for line in self.line_ids.sorted(lambda ln: (ln.due_date, ln.number))
        )

    def _record_agreement(self, method, who, when=None, ip=False, note=False):
        """The customer agreed: who, how and when are kept with the exact
        schedule, and the plan starts."""
        for plan in self:
            if plan.state != "proposed":
                raise UserError(
                    self.env._("Only a plan waiting for the customer's agreement can be agreed.")
                )
            if not (who or "").strip():
                raise UserError(self.env._("Say who agreed to the plan."))
            plan.write(
                {
                    "agreement_method": method,
                    "agreed_by": who.strip(),
                    "agreed_on": when or fields.Datetime.now(),
                    "agreement_ip": ip,
                    "agreement_note": note,
                    "agreed_schedule": plan._schedule_text(),
                }
            )
        labels = dict(self._fields["agreement_method"]._description_selection(self.env))
        self._log(
            lambda plan: self.env._(
                "%(who)s agreed to plan %(plan)s (%(how)s)",
                who=plan.agreed_by,
                plan=plan.name,
                how=labels[plan.agreement_method],
            )
        )
        self._activate()
        return True

    def action_send_agreement(self):
        """Open the composer with the plan agreement and its PDF."""
        self.ensure_one()
        template = self.env.ref("payment_followup_plus.mail_template_plan_agreement")
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_composition_mode": "comment",
                "force_email": True,
            },
        }

    def action_print_agreement_pack(self):
        """The agreement followed by the invoices it covers, in one PDF kept
        in the plan's history."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return self.env["payment.followup.pack"]._download_action(self._print_pack())

    def _print_pack(self):
        """The plan's agreement and the invoices it covers in one PDF, logged in
        the plan's history with the PDF attached; returns the attachment."""
        self.ensure_one()
        _ = self.env._
        Pack = self.env["payment.followup.pack"]
        agreement = Pack._report_pdfs(PLAN_REPORT, self)[self.id]
        invoices = Pack._invoice_pdfs(self.invoice_ids)
        title = _("Payment plan %(plan)s", plan=self.name)
        documents = [(title, agreement)] + [(inv.name, invoices[inv]) for inv in self.invoice_ids]
        data, _report = Pack._build(documents, self.company_id, title)
        attachment = Pack._attach(data, Pack._filename(title, self.partner_id.name))
        event = self._log(
            _(
                "Agreement printed with its %(count)s invoices in one PDF (%(size)s)",
                count=len(self.invoice_ids),
                size=Pack._size_label(len(data)),
            )
        )
        event._link_packs({event.id: attachment.id})
        return attachment
