from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.fields import Command

from ..engine.cockpit import (
    aging,
    at_risk_share,
    cei,
    dso_countback,
    months_back,
    percent,
    what_works,
)
from ..engine.forecast import weekly
from ..models.core.payment_followup_level import TIERS

TREND_MONTHS = 13
FORECAST_WEEKS = 13


class PaymentFollowupDashboard(models.Model):
    """One person's collections dashboard: the filters they chose and the
    figures computed for them, kept so the dashboard opens at once. Refreshed
    by its button and by the daily cockpit run."""

    _name = "payment.followup.dashboard"
    _description = "Collections dashboard"
    _check_company_auto = True
    _rec_name = "company_id"

    def _compute_display_name(self):
        for dash in self:
            dash.display_name = self.env._("Collections dashboard")

    user_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency", string="Invoice currency", help="Only invoices in this currency."
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Amounts in")
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        help="The customer's follow-up responsible, else its salesperson.",
    )
    tier = fields.Selection(TIERS, help="The highest tier reached on the customer's open invoices.")
    country_id = fields.Many2one("res.country", string="Customer country")
    computed_at = fields.Datetime("Figures as of", readonly=True)
    period_start = fields.Date("Since", readonly=True, help="Rates are over the last 12 months.")

    receivables = fields.Monetary(
        "Open invoices", currency_field="company_currency_id", readonly=True
    )
    overdue = fields.Monetary(
        "Overdue, all customers",
        currency_field="company_currency_id",
        readonly=True,
        help="Every overdue invoice, including those in a payment plan, promised or on hold. "
        "Customers to follow up lists only the customers the follow-up still has to act on "
        "(customers in a plan or with a promise are left out), so its total is smaller.",
    )
    at_risk = fields.Monetary("90+ days late", currency_field="company_currency_id", readonly=True)
    at_risk_share = fields.Float("At risk (%)", digits=(16, 1), readonly=True)
    dso = fields.Float(
        "DSO (days)",
        digits=(16, 1),
        readonly=True,
        help="Countback method, today, on the open invoices; credits not applied yet are shown "
        "apart.",
    )
    cei = fields.Float(
        "CEI (%)", digits=(16, 1), readonly=True, help="Collection effectiveness, last full month."
    )
    cei_measured = fields.Boolean(readonly=True)
    dso_floor = fields.Boolean(
        "DSO is a floor", readonly=True, help="More is open than a year of sales: at least this."
    )
    promises_kept = fields.Integer("Promises kept", readonly=True)
    promises_broken = fields.Integer("Promises broken", readonly=True)
    kept_rate = fields.Float("Promises kept (%)", digits=(16, 1), readonly=True)
    installments_due = fields.Integer("Installments due", readonly=True)
    installments_on_time = fields.Integer("Paid on time", readonly=True)
    on_time_rate = fields.Float("Installments on time (%)", digits=(16, 1), readonly=True)
    plans_completed = fields.Integer("Plans completed", readonly=True)
    plans_broken = fields.Integer("Plans broken", readonly=True)
    disputes_open = fields.Integer("Disputes open", readonly=True)
    dispute_age = fields.Float("Open for (days, average)", digits=(16, 1), readonly=True)
    disputes_settled = fields.Integer("Disputes settled", readonly=True)
    dispute_days = fields.Float("Days to settle (average)", digits=(16, 1), readonly=True)
    disputes_late = fields.Integer(
        "Disputes past their deadline",
        readonly=True,
        help="Open dispute cases not answered by their deadline (company setting, 30 days by "
        "default).",
    )
    forecast_total = fields.Monetary(
        "Cash expected (13 weeks)",
        currency_field="company_currency_id",
        readonly=True,
        help="Net of the credits in the customers' favour not applied yet: per customer and "
        "currency, a credit offsets the earliest expected payments first.",
    )
    autopay_confidence = fields.Float(
        "Automatic charges paid (%)",
        digits=(16, 1),
        readonly=True,
        help="Measured from the company's automatic charges of the period (paid or declined), "
        "with a small prior so that a few charges do not read as certainty: how far the "
        "forecast's automatic installments can be trusted.",
    )
    autopay_charges = fields.Integer("Automatic charges counted", readonly=True)
    credits_open = fields.Monetary(
        "Credits not applied",
        currency_field="company_currency_id",
        readonly=True,
        help="Credit notes and payments in the customers' favour, not matched with an invoice "
        "yet. Open invoices and the aging are before them.",
    )
    forecast_credits = fields.Monetary(
        "Offset by credits", currency_field="company_currency_id", readonly=True
    )
    credits_note = fields.Char("How credits are treated", compute="_compute_credits_note")
    statements_note = fields.Char("Bank statements", compute="_compute_statements_note")
    has_figures = fields.Char(compute="_compute_missing")
    bucket_ids = fields.One2many("payment.followup.dashboard.bucket", "dashboard_id", readonly=True)
    month_ids = fields.One2many("payment.followup.dashboard.month", "dashboard_id", readonly=True)
    tier_ids = fields.One2many(
        "payment.followup.dashboard.tier", "dashboard_id", string="Tiers by month", readonly=True
    )
    trend_ids = fields.One2many("payment.followup.dashboard.trend", "dashboard_id", readonly=True)
    effect_ids = fields.One2many("payment.followup.dashboard.effect", "dashboard_id", readonly=True)
    week_ids = fields.One2many("payment.followup.dashboard.week", "dashboard_id", readonly=True)

    def _compute_statements_note(self):
        """Bank statements older than the company allows hold the reminders
        past the first level: said where the accountant looks first."""
        for dash in self:
            dash.statements_note = dash.company_id._followup_statements_warning()

    @api.depends("credits_open", "forecast_credits")
    def _compute_credits_note(self):
        """How the credits in the customers' favour were treated, in words."""
        for dash in self:
            if not dash.credits_open:
                dash.credits_note = False
                continue
            currency = dash.company_currency_id
            dash.credits_note = self.env._(
                "Customers have %(credits)s of credits not applied yet. Open invoices and the "
                "aging count the invoices before them; the cash forecast is net of them, per "
                "customer and currency (%(netted)s of expected payments are covered by a credit "
                "and are not cash to come).",
                credits=currency.format(dash.credits_open),
                netted=currency.format(dash.forecast_credits),
            )

    def _compute_missing(self):
        """What the rates cannot say (nothing to divide by), in words."""
        for dash in self:
            missing = []
            if not dash.promises_kept + dash.promises_broken:
                missing.append(self.env._("no promise was settled"))
            if not dash.installments_due:
                missing.append(self.env._("no installment fell due"))
            if not dash.receivables:
                missing.append(self.env._("nothing is open"))
            dash.has_figures = (
                self.env._("Over the last 12 months %(what)s.", what=", ".join(missing))
                if missing and dash.computed_at
                else False
            )

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    @api.model
    def action_open_dashboard(self):
        """Menu *Dashboard*: the current person's dashboard for the current
        company, computed the first time."""
        self.env["payment.followup.team"]._check_user()
        dash = self.search(
            [("user_id", "=", self.env.uid), ("company_id", "=", self.env.company.id)], limit=1
        )
        if not dash:
            dash = self.create({})
        if not dash.computed_at:
            dash._refresh()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collections dashboard"),
            "res_model": self._name,
            "res_id": dash.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_refresh(self):
        self.env["payment.followup.team"]._check_user()
        self._refresh()
        return True

    def _open_lines(self, model, name, view_mode="graph,pivot,list"):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": view_mode,
            "domain": [("dashboard_id", "=", self.id)],
            "context": {"create": False},
        }

    def action_view_aging(self):
        return self._open_lines("payment.followup.dashboard.bucket", self.env._("Aging"))

    def action_view_trend(self):
        # one line per figure in the chart; the months' table beside it
        return self._open_lines(
            "payment.followup.dashboard.trend", self.env._("DSO and CEI by month"), "graph,list"
        )

    def action_view_effects(self):
        return self._open_lines("payment.followup.dashboard.effect", self.env._("What works"))

    def action_view_forecast(self):
        return self._open_lines("payment.followup.dashboard.week", self.env._("Cash forecast"))

    # ------------------------------------------------------------------
    # the figures
    # ------------------------------------------------------------------
    def _refresh(self):
        for dash in self:
            dash.sudo().write(dash._prepare_figures_vals())

    def _prepare_figures_vals(self):
        self.ensure_one()
        self.env.flush_all()  # the figures are read in SQL
        cockpit = self.env["payment.followup.cockpit"].sudo().with_company(self.company_id)
        today = fields.Date.context_today(self.with_company(self.company_id))
        since = today - timedelta(days=365)
        partners = cockpit._partner_ids(self)
        buckets = aging(cockpit._open_items(self, partners, today))
        receivables = sum((b.amount for b in buckets), Decimal(0))
        months = cockpit._monthly(self, partners, today, TREND_MONTHS)
        tiers = cockpit._tier_vals(cockpit._tiers(self, partners, months_back(today, 12), today))
        promises = cockpit._promises(self, partners, since)
        plans = cockpit._plans(self, partners, since, today)
        open_ages, settled, late = cockpit._disputes(self, partners, since, today)
        effects = what_works(cockpit._contacts(self, partners, since, today))
        # invoices posted since the daily run get their expected day now
        self.env["payment.followup.expected"].sudo()._refresh(self.company_id, missing=True)
        open_credits = cockpit._credits(self, partners)
        items, netted = cockpit._cash_items(
            self, partners, today, FORECAST_WEEKS, credits=open_credits
        )
        weeks = weekly(items, today, FORECAST_WEEKS)
        autopay_share, autopay_count = cockpit._autopay_confidence(self, partners, since)
        credits = sum(open_credits.values(), Decimal(0))
        trend = self._trend(months)
        kept, broken = promises.get("kept", 0), promises.get("broken", 0)
        return {
            "computed_at": fields.Datetime.now(),
            "period_start": since,
            "receivables": float(receivables),
            "overdue": float(sum((b.amount for b in buckets if b.bucket != "not_due"), Decimal(0))),
            "at_risk": float(buckets[-1].amount),
            "at_risk_share": _num(at_risk_share(buckets)),
            "dso": _num(trend[-1]["dso"]) if trend else 0.0,
            "dso_floor": bool(trend) and trend[-1]["dso_floor"],
            "cei": trend[-2]["cei"] if len(trend) > 1 else 0.0,
            "cei_measured": len(trend) > 1 and trend[-2]["cei_measured"],
            "promises_kept": kept,
            "promises_broken": broken,
            "kept_rate": _num(percent(kept, kept + broken)),
            "installments_due": plans["due"],
            "installments_on_time": plans["on_time"],
            "on_time_rate": _num(percent(plans["on_time"], plans["due"])),
            "plans_completed": plans["completed"],
            "plans_broken": plans["broken"],
            "disputes_open": len(open_ages),
            "dispute_age": sum(open_ages) / len(open_ages) if open_ages else 0.0,
            "disputes_settled": len(settled),
            "dispute_days": sum(settled) / len(settled) if settled else 0.0,
            "disputes_late": late,
            "autopay_confidence": _num(autopay_share),
            "autopay_charges": autopay_count,
            "credits_open": float(credits),
            "forecast_credits": float(netted),
            "forecast_total": float(
                sum((sum(s.values(), Decimal(0)) for _w, s in weeks), Decimal(0))
            ),
            "bucket_ids": [Command.clear()]
            + [
                Command.create(
                    {"sequence": i, "bucket": b.bucket, "amount": float(b.amount), "count": b.count}
                )
                for i, b in enumerate(buckets)
            ],
            "month_ids": [Command.clear()] + [Command.create(row) for row in trend],
            "tier_ids": [Command.clear()] + [Command.create(row) for row in tiers],
            "trend_ids": [Command.clear()]
            + [
                Command.create({"month": row["month"], "figure": figure, "value": row[figure]})
                for row in trend
                for figure in ("dso", "cei")
                if figure == "dso" or row["cei_measured"]
            ],
            "effect_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "level_id": e.level,
                        "channel": e.channel,
                        "tone": e.tone or False,
                        "contacts": e.contacts,
                        "amount": float(e.amount),
                        "share_7": _num(e.share_7),
                        "share_14": _num(e.share_14),
                        "measured_7": e.share_7 is not None,
                        "measured_14": e.share_14 is not None,
                    }
                )
                for e in effects
            ],
            "week_ids": [Command.clear()]
            + [
                Command.create({"week": monday, "series": series, "amount": float(amount)})
                for monday, by_series in weeks
                for series, amount in (by_series.items() or [("expected", Decimal(0))])
            ],
        }

    @staticmethod
    def _trend(months):
        """The last ``TREND_MONTHS`` months: DSO at each month's end (countback
        over the year of sales behind it) and the month's CEI."""
        rows = []
        for index in range(len(months) - TREND_MONTHS, len(months)):
            month = months[index]
            back = [
                (m["days"], m["sales"]) for m in reversed(months[max(index - 11, 0) : index + 1])
            ]
            previous = months[index - 1]["receivables"] if index else Decimal(0)
            # on invoices, as the receivables are (a credit note applied to an
            # invoice settles it; one not applied is shown apart)
            value = cei(previous, month["sales"], month["receivables"], month["current"])
            rows.append(
                {
                    "month": month["month"],
                    "sales": float(month["sales"]),
                    "credit_notes": float(month["credit_notes"]),
                    "receivables": float(month["receivables"]),
                    "dso": dso_countback(month["receivables"], back),
                    "dso_floor": month["receivables"] > sum((max(x, 0) for _d, x in back), 0),
                    "cei": value,
                    "cei_measured": value is not None,
                }
            )
        return [dict(row, dso=_num(row["dso"]), cei=_num(row["cei"])) for row in rows]

    @api.model
    def _cron_cockpit(self):
        """Daily: each company's expected payments, disputes whose invoices are
        all settled, then every dashboard with its owner's rights; committed
        company by company, so a crash keeps what was done."""
        companies = self.env["res.company"].search([])
        dashboards = self.sudo().search([])
        Dispute = self.env["payment.followup.dispute"]
        Dispute._close_paid()
        Dispute._cron_deadlines()
        for done, company in enumerate(companies, 1):
            self.env["payment.followup.expected"].sudo()._refresh(company)
            for dash in dashboards.filtered(lambda d, c=company: d.company_id == c):
                dash.with_user(dash.user_id).with_company(company)._refresh()
            # recomputed figures only: rerunning it after a crash is harmless
            self.env["payment.followup.batch"]._end_of_batch(done, len(companies) - done)


def _num(value):
    return float(value) if value is not None else 0.0
