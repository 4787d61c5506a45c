from odoo import fields, models

from .payment_followup_legal import JURISDICTION_SELECTION


class ResPartner(models.Model):
    """The customer's late-payment rules (empty: the company's)."""

    _inherit = "res.partner"

    followup_jurisdiction = fields.Selection(
        JURISDICTION_SELECTION,
        string="Late-payment rules",
        help="The statutory interest and compensation rules for this customer; empty: the "
        "company's.",
    )
    followup_customer_kind = fields.Selection(
        [("b2b", "Business"), ("b2c", "Consumer")],
        string="Customer for late-payment rules",
        help="Empty: a company is a business, a person a consumer.",
    )
