from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    followup_outage_hours = fields.Integer(
        related="company_id.followup_outage_hours", readonly=False
    )
