from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    followup_outage_hours = fields.Integer(
        "Warn when our mail server fails for (hours)",
        default=24,
        help="Reminders whose emails our own mail server could not send wait in the queue and "
        "are retried; after this many hours of failures the administrator gets one to-do.",
    )

    @api.constrains("followup_outage_hours")
    def _check_followup_outage_hours(self):
        if any(company.followup_outage_hours < 0 for company in self):
            raise ValidationError(self.env._("Numbers of hours cannot be negative."))
