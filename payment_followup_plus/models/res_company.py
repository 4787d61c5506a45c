from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    followup_policy_id = fields.Many2one(
        "payment.followup.policy",
        string="Default follow-up policy",
        domain="[('company_id', '=', id)]",
    )
    followup_min_gap_days = fields.Integer(
        "Minimum days between two contacts",
        default=5,
        help="A customer contacted less than this many days ago waits for the next run.",
    )
    followup_tolerance = fields.Monetary(
        "Residual tolerance",
        currency_field="currency_id",
        default=1.0,
        help="Invoices whose open amount is at most this amount are not reminded.",
    )

    followup_min_notice_hours = fields.Float(
        "Minimum notice for calls (hours)",
        default=24.0,
        help="Follow-up calls and meetings are booked more than this many hours ahead.",
    )
    followup_call_duration = fields.Float("Call duration (hours)", default=0.5)
    followup_quiet_from = fields.Float(
        "Contacts allowed from", default=8.0, help="Customer's local time."
    )
    followup_quiet_until = fields.Float(
        "Contacts allowed until", default=21.0, help="Customer's local time."
    )
    followup_max_call_attempts = fields.Integer("Call attempts allowed", default=7)
    followup_call_window_days = fields.Integer("Within (days)", default=7)
    followup_after_conversation_days = fields.Integer(
        "No new attempt after a conversation for (days)", default=7
    )

    @api.constrains(
        "followup_min_notice_hours",
        "followup_call_duration",
        "followup_quiet_from",
        "followup_quiet_until",
        "followup_max_call_attempts",
        "followup_call_window_days",
        "followup_after_conversation_days",
        "followup_min_gap_days",
    )
    def _check_followup_guardrails(self):
        for company in self:
            if company.followup_min_notice_hours < 0:
                raise ValidationError(self.env._("The minimum notice cannot be negative."))
            if company.followup_call_duration <= 0:
                raise ValidationError(self.env._("A call needs a duration."))
            if not 0 <= company.followup_quiet_from < company.followup_quiet_until <= 24:
                raise ValidationError(
                    self.env._("The allowed contact hours must end after they start, within a day.")
                )
            if company.followup_max_call_attempts < 1 or company.followup_call_window_days < 1:
                raise ValidationError(
                    self.env._("The call cap needs at least one attempt and one day.")
                )
            if company.followup_after_conversation_days < 0 or company.followup_min_gap_days < 0:
                raise ValidationError(self.env._("Numbers of days cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._pfp_ensure_default_policy()
        return companies

    def _pfp_ensure_default_policy(self):
        Policy = self.env["payment.followup.policy"].sudo()
        for company in self.filtered(lambda c: not c.followup_policy_id):
            policy = Policy.create(Policy._prepare_default_policy_vals(company))
            company.sudo().followup_policy_id = policy
