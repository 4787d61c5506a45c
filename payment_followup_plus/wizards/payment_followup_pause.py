from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date


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
        company = self.env.company
        Event = self.env["payment.followup.event"]
        Move = self.env["account.move"]
        partners = self.partner_ids.commercial_partner_id
        invoices = Move.search(
            Move._followup_open_domain(company) + [("commercial_partner_id", "in", partners.ids)]
        ).grouped("commercial_partner_id")
        result = self.env._(
            "Paused until %(date)s: %(reason)s",
            date=format_date(self.env, self.date_until),
            reason=self.reason,
        )
        return [
            Event._prepare_note_vals(partner, company, invoices.get(partner, Move), result)
            for partner in partners
        ]

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        partners = self.partner_ids.commercial_partner_id
        # follow-up users pause without the right to edit contacts (checked above)
        partners.sudo().write(
            {"followup_paused_until": self.date_until, "followup_pause_reason": self.reason}
        )
        # the history of a legal-tier customer is written for whoever pauses it
        self.env["payment.followup.event"].sudo().create(self._prepare_event_vals_list())
        return {"type": "ir.actions.act_window_close"}
