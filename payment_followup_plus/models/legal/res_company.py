from odoo import fields, models

from .payment_followup_legal import JURISDICTION_SELECTION


class ResCompany(models.Model):
    """The company's late-payment rules and its letter before action."""

    _inherit = "res.company"

    followup_jurisdiction = fields.Selection(
        JURISDICTION_SELECTION,
        string="Late-payment rules",
        help="Statutory interest and compensation on late invoices; empty: from the "
        "company's country (an EU country without its own rules here: the directive).",
    )
    followup_legal_response_days = fields.Integer(
        "Response window of the letter before action (days)", default=14
    )
