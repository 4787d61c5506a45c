from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    followup_legal_response_days = fields.Integer(
        related="company_id.followup_legal_response_days", readonly=False
    )
    followup_jurisdiction = fields.Selection(
        related="company_id.followup_jurisdiction", readonly=False
    )
