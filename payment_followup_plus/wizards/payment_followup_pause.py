from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PaymentFollowupPause(models.TransientModel):
    _name = "payment.followup.pause"
    _description = "Pause the payment follow-up of customers"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    date_until = fields.Date("Pause until", required=True)
    reason = fields.Char(required=True)

    @api.constrains("date_until")
    def _check_date_until(self):
        today = fields.Date.context_today(self)
        for wizard in self:
            if wizard.date_until <= today:
                raise ValidationError(
                    self.env._("The pause must end after today (%(today)s).", today=today)
                )

    def _prepare_event_vals_list(self):
        Event = self.env["payment.followup.event"]
        result = self.env._(
            "Paused until %(date)s: %(reason)s", date=self.date_until, reason=self.reason
        )
        return [
            Event._prepare_event_vals(
                partner,
                self.env.company,
                partner.with_company(self.env.company).followup_level_id,
                "none",
                "done",
                partner.with_company(self.env.company).followup_overdue_invoice_ids,
                result=result,
            )
            for partner in self.partner_ids.commercial_partner_id
        ]

    def action_confirm(self):
        self.ensure_one()
        partners = self.partner_ids.commercial_partner_id
        partners.write(
            {"followup_paused_until": self.date_until, "followup_pause_reason": self.reason}
        )
        self.env["payment.followup.event"].create(self._prepare_event_vals_list())
        return {"type": "ir.actions.act_window_close"}
