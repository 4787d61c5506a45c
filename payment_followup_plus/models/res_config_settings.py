from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    followup_policy_id = fields.Many2one(
        related="company_id.followup_policy_id", readonly=False, string="Default follow-up policy"
    )
    followup_min_gap_days = fields.Integer(
        related="company_id.followup_min_gap_days", readonly=False
    )
    followup_tolerance = fields.Monetary(related="company_id.followup_tolerance", readonly=False)
