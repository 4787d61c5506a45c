from datetime import timedelta

from odoo import fields, models


class PaymentFollowupEvent(models.Model):
    _inherit = "payment.followup.event"

    sales_override = fields.Boolean(
        "Credit hold released", readonly=True, help="A manager released an order's credit hold."
    )


class PaymentFollowupDashboard(models.Model):
    """The cockpit's credit-hold figures."""

    _inherit = "payment.followup.dashboard"

    sales_holds = fields.Integer("Customers on credit hold", readonly=True)
    sales_waiting = fields.Monetary(
        "Sales waiting for payment",
        currency_field="company_currency_id",
        readonly=True,
        help="The quotations of the customers on hold, not confirmed while it lasts (in the "
        "company's currency).",
    )
    sales_overrides = fields.Integer(
        "Holds released by a manager",
        readonly=True,
        help="Orders confirmed despite a credit hold, released with a reason, over the last "
        "12 months.",
    )

    def _prepare_figures_vals(self):
        vals = super()._prepare_figures_vals()
        holds = (
            self.env["payment.followup.sales.hold"]
            .sudo()
            .search([("company_id", "=", self.company_id.id), ("state", "=", "hold")])
        )
        today = fields.Date.context_today(self.with_company(self.company_id))
        vals.update(
            sales_holds=len(holds),
            sales_waiting=sum(holds.mapped("sales_waiting")),
            sales_overrides=self.env["payment.followup.event"]
            .sudo()
            .search_count(
                [
                    ("company_id", "=", self.company_id.id),
                    ("sales_override", "=", True),
                    ("date", ">=", today - timedelta(days=365)),
                ]
            ),
        )
        return vals
