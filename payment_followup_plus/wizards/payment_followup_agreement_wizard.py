from odoo import api, fields, models

from ..models.plans.payment_followup_plan_agreement import AGREEMENT_METHODS


class PaymentFollowupAgreementWizard(models.TransientModel):
    """Record how the customer agreed to a proposed plan: the plan starts then,
    and the agreement (who, how, when, the exact schedule) is kept as evidence."""

    _name = "payment.followup.agreement.wizard"
    _description = "Record the customer's agreement to a payment plan"

    plan_id = fields.Many2one("payment.followup.plan", required=True, readonly=True)
    method = fields.Selection(
        [m for m in AGREEMENT_METHODS if m[0] != "portal"],
        string="How",
        required=True,
        default="signed",
    )
    agreed_by = fields.Char("Who agreed", required=True)
    agreed_on = fields.Datetime("When", required=True, default=fields.Datetime.now)
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        plan = self.env["payment.followup.plan"].browse(vals.get("plan_id"))
        if plan and "agreed_by" in fields_list:
            contact = plan.partner_id.followup_recipient_id
            vals["agreed_by"] = contact.name if contact != plan.partner_id else False
        return vals

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        self.plan_id._record_agreement(
            self.method, self.agreed_by, when=self.agreed_on, note=self.note
        )
        return {"type": "ir.actions.act_window_close"}
