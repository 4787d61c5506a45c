from datetime import timedelta
from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL

from ..engine.autopay import confidence
from ..engine.forecast import net_credits


class PaymentFollowupCockpit(models.AbstractModel):
    """The facts of the cash forecast: what is expected in, and the credits
    that offset it (the figures come from ``engine/forecast.py``)."""

    _inherit = "payment.followup.cockpit"

    @api.model
    def _cash_items(self, dash, partners, today, weeks=13, credits=None):
        """((day, series, amount in company currency) of what is expected in,
        the credits that offset it): open installments of active plans, and
        every other open invoice at its expected payment day, less the credits
        in each customer's favour not applied yet (per customer and currency:
        what a credit covers is not cash to come)."""
        company = dash.company_id
        last = today + timedelta(weeks=weeks)
        Move = self.env["account.move"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.commercial_partner_id, m.currency_id, m.followup_expected_date,
                       m.followup_expected_basis, m.followup_expected_late,
                       SUM(m.amount_residual_signed)
                  FROM account_move m
                 WHERE %(open)s AND %(where)s AND m.followup_plan_id IS NULL
                   AND m.followup_expected_date <= %(last)s
              GROUP BY 1, 2, 3, 4, 5
                """,
                open=Move._followup_open_sql("m"),
                where=self._move_where(dash, partners),
                last=last,
            )
        )
        items = []
        for partner_id, currency_id, day, basis, late, amount in rows:
            series = "late" if late else "promise" if basis.startswith("promise") else "expected"
            items.append(((partner_id, currency_id), day, series, Decimal(str(amount))))
        lines = (
            self.env["payment.followup.plan.line"]
            .sudo()
            ._read_group(
                self._domain(dash, partners)
                + [
                    ("plan_id.state", "=", "active"),
                    ("state", "!=", "paid"),
                    ("due_date", "<=", last),
                ],
                ["due_date:day", "plan_id"],
                ["amount:sum", "amount_paid:sum"],
            )
        )
        rates = {}
        for day, plan, amount, amount_paid in lines:
            currency = plan.currency_id
            if currency not in rates:  # one rate per currency, not per installment
                rates[currency] = currency._get_conversion_rate(
                    currency, company.currency_id, company, today
                )
            rest = company.currency_id.round((amount - amount_paid) * rates[currency])
            key = (plan.partner_id.commercial_partner_id.id, currency.id)
            series = "autopay" if plan.autopay_active else "plan"
            items.append((key, max(day, today), series, Decimal(str(rest))))
        if credits is None:
            credits = self._credits(dash, partners)
        return net_credits(items, credits)

    @api.model
    def _credits(self, dash, partners):
        """{(customer id, currency id): credits in its favour not applied yet,
        in the company's currency} for the dashboard's filters."""
        where = [SQL("TRUE")]
        if partners is not None:
            where.append(SQL("p.commercial_partner_id = ANY(%s)", partners))
        if dash.currency_id:
            where.append(SQL("l.currency_id = %s", dash.currency_id.id))
        rows = self.env["payment.followup.decision"]._open_credit_rows(
            dash.company_id, SQL(" AND ").join(where)
        )
        return {(partner, currency): Decimal(str(amount)) for partner, currency, amount in rows}

    @api.model
    def _autopay_confidence(self, dash, partners, since):
        """(share of automatic charges paid, charges counted) since ``since``:
        measured from the company's own charges (settled ones: paid or
        declined), with the engine's small prior, not assumed."""
        outcomes = (
            self.env["payment.followup.autopay.charge"]
            .sudo()
            .search(self._domain(dash, partners) + [("day", ">=", since)])
            .mapped("state")
        )
        settled = [o for o in outcomes if o in ("done", "failed")]
        return confidence(settled) * 100, len(settled)
