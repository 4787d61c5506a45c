from odoo import fields, models


class PaymentFollowupCustomer(models.Model):
    """*Customers to follow up* says who is on credit hold and what sales wait."""

    _inherit = "payment.followup.customer"

    sales_hold_state = fields.Selection(
        [("warning", "Warning"), ("hold", "On hold")],
        string="New sales",
        compute="_compute_sales_hold",
    )
    sales_waiting = fields.Monetary(
        "Sales waiting for payment",
        compute="_compute_sales_hold",
        help="The customer's quotations not confirmed while the hold lasts.",
    )

    def _compute_sales_hold(self):
        holds = (
            self.env["payment.followup.sales.hold"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.partner_id.ids),
                    ("company_id", "in", self.company_id.ids),
                ]
            )
        )
        by_key = {(h.partner_id.id, h.company_id.id): h for h in holds}
        for row in self:
            hold = by_key.get((row.partner_id.id, row.company_id.id))
            row.sales_hold_state = hold.state if hold else False
            row.sales_waiting = hold.sales_waiting if hold else 0.0
