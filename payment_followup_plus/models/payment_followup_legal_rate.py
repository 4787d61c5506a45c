from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

RATE_KINDS = [
    ("ecb", "ECB main refinancing rate"),
    ("de_base", "Bundesbank base rate (§247 BGB)"),
    ("boe", "Bank of England base rate"),
    ("fr_legal_pro", "French legal interest rate (professionals)"),
    ("fr_legal_consumer", "French legal interest rate (consumers)"),
    ("nl_statutory", "Dutch statutory interest (consumers)"),
]


class PaymentFollowupLegalRate(models.Model):
    """A reference rate for one half-year, as its official publisher set it:
    statutory late-payment interest adds the jurisdiction's margin to it."""

    _name = "payment.followup.legal.rate"
    _description = "Reference rate for late-payment interest"
    _order = "kind, date_from desc"
    _rec_name = "kind"

    kind = fields.Selection(RATE_KINDS, required=True)
    date_from = fields.Date(
        "Half-year from",
        required=True,
        help="1 January or 1 July: the rate applies to every late day of that half-year.",
    )
    rate = fields.Float("Rate (%)", digits=(6, 3), required=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for every company; a company's own rate replaces the shared one.",
    )
    source = fields.Char(help="Where the rate was published.")

    _sql_constraints = [
        (
            "kind_period_company_uniq",
            "unique(kind, date_from, company_id)",
            "A rate exists once per half-year (and company).",
        ),
    ]

    @api.constrains("date_from", "rate")
    def _check_period(self):
        for rate in self:
            if (rate.date_from.month, rate.date_from.day) not in ((1, 1), (7, 1)):
                raise ValidationError(
                    self.env._("A reference rate applies from 1 January or 1 July.")
                )
            if not -5 <= rate.rate <= 50:
                raise ValidationError(
                    self.env._("A reference rate lies between -5 and 50 per cent.")
                )

    @api.model
    def _engine_rates(self, company):
        """{(kind, half-year): Decimal rate} for the engine: the shared rates,
        replaced by the company's own where it has them."""
        rates = {}
        for rate in self.sudo().search(
            [("company_id", "in", (False, company.id))], order="company_id desc"
        ):
            key = (rate.kind, rate.date_from)
            if key not in rates or rate.company_id:
                rates[key] = Decimal(str(round(rate.rate, 3)))
        return rates
