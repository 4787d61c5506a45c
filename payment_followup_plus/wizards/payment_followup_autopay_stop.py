from odoo import fields, models
from odoo.exceptions import UserError


class PaymentFollowupAutopayStop(models.TransientModel):
    """Stop a customer's automatic payment, saying why (the customer reads it
    in the email that tells them)."""

    _name = "payment.followup.autopay.stop"
    _description = "Stop an automatic payment"

    autopay_id = fields.Many2one("payment.followup.autopay", required=True, readonly=True)
    reason = fields.Text("Why (the customer reads this)", required=True)

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        if self.autopay_id.state != "active":
            raise UserError(self.env._("Only a running automatic payment can be stopped."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Say why the automatic payment stops."))
        self.autopay_id.sudo()._stop(self.reason.strip(), self.env.user.name)
        return {"type": "ir.actions.act_window_close"}
