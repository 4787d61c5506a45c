from odoo import api, fields, models


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
