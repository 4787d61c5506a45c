from odoo import api, fields, models


class MailMessage(models.Model):
    """As an addon that stamps every message it creates would."""

    _inherit = "mail.message"

    probe_created = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([dict(vals, probe_created=True) for vals in vals_list])


class MailMail(models.Model):
    """As an addon that stamps every email it queues would."""

    _inherit = "mail.mail"

    probe_queued = fields.Boolean(readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([dict(vals, probe_queued=True) for vals in vals_list])
