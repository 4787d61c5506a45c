from odoo import fields, models


class PaymentFollowupSalesHoldOverride(models.TransientModel):
    """Release the credit hold for one order, with the reason."""

    _name = "payment.followup.sales.hold.override"
    _description = "Release a credit hold for one order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    hold_message = fields.Char(related="order_id.followup_hold_message")
    reason = fields.Text(required=True)

    def action_release(self):
        self.ensure_one()
        self.order_id._followup_release(self.reason)
        return {"type": "ir.actions.act_window_close"}
