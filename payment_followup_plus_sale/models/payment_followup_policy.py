from odoo import api, fields, models

from odoo.addons.payment_followup_plus.engine.credit_hold import HOLD, NONE, WARNING, HoldRules

SALES_EFFECTS = [
    (NONE, "Nothing"),
    (WARNING, "Warn the salesperson"),
    (HOLD, "Hold new sales"),
]


class PaymentFollowupLevel(models.Model):
    _inherit = "payment.followup.level"

    sales_effect = fields.Selection(
        SALES_EFFECTS,
        string="New sales",
        compute="_compute_sales_effect",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        help="What happens to the customer's new orders while an overdue invoice is at this "
        "level (or above) and the overdue balance is over the tolerance. By default the final "
        "notice holds them.",
    )

    @api.depends("severity")
    def _compute_sales_effect(self):
        for level in self:
            if not level.sales_effect or level._origin.severity != level.severity:
                level.sales_effect = HOLD if level.severity == "final" else NONE


class PaymentFollowupPolicy(models.Model):
    """Which follow-up facts hold a customer's new sales (the levels say
    their own)."""

    _inherit = "payment.followup.policy"

    sales_hold_promise = fields.Selection(
        SALES_EFFECTS,
        string="A broken promise",
        default=HOLD,
        required=True,
        help="While a broken promise's invoices are still overdue.",
    )
    sales_hold_plan = fields.Selection(
        SALES_EFFECTS,
        string="A broken payment plan",
        default=HOLD,
        required=True,
        help="While a broken plan's invoices are still overdue.",
    )
    sales_hold_legal = fields.Selection(
        SALES_EFFECTS,
        string="An open legal case",
        default=HOLD,
        required=True,
        help="Until the legal case is closed.",
    )
    sales_hold_credit_limit = fields.Selection(
        SALES_EFFECTS,
        string="Over Odoo's credit limit",
        default=WARNING,
        required=True,
        help="When the company uses credit limits (Accounting settings) and the customer's "
        "balance is over theirs.",
    )
    sales_hold_all_companies = fields.Boolean(
        "Hold in every company",
        help="A hold from this company's debts also holds the customer's orders in the "
        "other companies (by default only this company's).",
    )

    def _hold_rules(self):
        self.ensure_one()
        return HoldRules(
            promise=self.sales_hold_promise,
            plan=self.sales_hold_plan,
            legal=self.sales_hold_legal,
            credit_limit=self.sales_hold_credit_limit,
        )
