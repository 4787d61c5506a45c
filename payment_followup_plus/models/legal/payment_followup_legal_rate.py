from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_date, formatLang

from ...engine.statutory import derive_german_base_rates

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
    rate = fields.Float("Rate (%)", digits=(6, 3), required=True, aggregator=False)
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

    @api.depends("kind", "date_from")
    def _compute_display_name(self):
        """As people know the rate, with its half-year ("ECB main refinancing
        rate from 07/01/2026"), never its code."""
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for rate in self:
            rate.display_name = (
                self.env._(
                    "%(rate)s from %(date)s",
                    rate=labels.get(rate.kind, ""),
                    date=format_date(self.env, rate.date_from),
                )
                if rate.kind and rate.date_from
                else labels.get(rate.kind, "")
            )

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

    @api.model
    def _demo_carry_forward(self, today=None):
        """Demo databases only: each shared rate is carried forward up to the
        half-year of ``today``, so the demo's charges work on its own date. Each
        rate added says it is a demo figure, not the published one."""
        today = today or fields.Date.context_today(self)
        current = today.replace(month=1 if today.month < 7 else 7, day=1)
        vals_list = []
        for kind, __ in RATE_KINDS:
            last = self.search(
                [("kind", "=", kind), ("company_id", "=", False)], order="date_from desc", limit=1
            )
            day = last.date_from
            while last and day < current:
                day = (
                    day.replace(month=7)
                    if day.month == 1
                    else day.replace(year=day.year + 1, month=1)
                )
                vals_list.append(
                    {
                        "kind": kind,
                        "date_from": day,
                        "rate": last.rate,
                        "source": self.env._(
                            "Demo figure carried forward from %(date)s: not the published rate",
                            date=format_date(self.env, last.date_from),
                        ),
                    }
                )
        return self.create(vals_list)

    def action_derive_german_base_rates(self):
        """Add the Bundesbank base rates that §247(1) BGB gives from the ECB
        rates entered (shared rates: the statute's rate is everyone's), for
        each half-year with an ECB rate and no base rate yet."""
        self.env["payment.followup.team"]._check_manager()
        shared = {
            (rate.kind, rate.date_from): Decimal(str(round(rate.rate, 3)))
            for rate in self.search([("company_id", "=", False)])
        }
        derived = derive_german_base_rates(shared)
        source = self.env._(
            "Derived per §247 BGB from the ECB rate: check it against the Bundesbank's "
            "announcement"
        )
        self.create(
            [
                {"kind": "de_base", "date_from": day, "rate": float(value), "source": source}
                for day, value in sorted(derived.items())
            ]
        )
        if derived:
            added = [
                self.env._(
                    "%(rate)s %% from %(date)s",
                    rate=formatLang(self.env, float(value), digits=2),
                    date=format_date(self.env, day),
                )
                for day, value in sorted(derived.items())
            ]
            message = self.env._("Bundesbank base rate added: %(rates)s.", rates=", ".join(added))
        else:
            message = self.env._(
                "Nothing to add: each half-year with an ECB rate already has its Bundesbank "
                "base rate, or the half-year before has none to start from."
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "message": message,
                "type": "success" if derived else "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
