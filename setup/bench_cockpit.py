"""Benchmark of the collections cockpit (``setup/bench --cockpit``): on the
synthetic database of ``bench.py`` (committed, analysed), time the daily
refresh of the expected payment days, a dashboard's refresh, opening the
dashboard as the web client does, and "My follow-ups today"."""

import time
from datetime import date

from odoo.tools import SQL

FORM_SPEC = {
    "receivables": {},
    "overdue": {},
    "at_risk": {},
    "at_risk_share": {},
    "dso": {},
    "cei": {},
    "kept_rate": {},
    "forecast_total": {},
    "computed_at": {},
    "bucket_ids": {"fields": {"bucket": {}, "amount": {}, "count": {}}},
    "month_ids": {"fields": {"month": {}, "sales": {}, "dso": {}, "cei": {}}},
    "effect_ids": {"fields": {"channel": {}, "tone": {}, "share_7": {}, "share_14": {}}},
    "week_ids": {"fields": {"week": {}, "series": {}, "amount": {}}},
}


def run(env, build, clean, timed, customers, invoices):
    """``build``, ``clean`` and ``timed`` are ``bench.py``'s."""

    def _timed(label, func):
        phase = timed(env, label, func)
        print(f"  {label}: {phase['seconds']:.2f} s, {phase['queries']} SQL queries")
        return phase["result"]

    cr = env.cr
    company = env.company
    build(env, customers, invoices)
    cr.commit()
    print(f"\ncockpit on {invoices} open invoices, {customers} customers")
    count = _timed(
        "expected payment days (daily refresh)",
        lambda: env["payment.followup.expected"]._refresh(company),
    )
    cr.commit()
    env.invalidate_all()
    # 500 to-dos (disputes waiting) for the benchmark user, on as many customers
    partners = env["res.partner"].search([("ref", "=", "PFP-BENCH")], limit=500)
    team = env["payment.followup.team"]
    env["mail.activity"].create(
        [
            team._prepare_todo_vals(
                p, f"Settle the dispute with {p.name}", env.user, date.today(), "dispute"
            )
            for p in partners
        ]
    )
    cr.commit()
    Dashboard = env["payment.followup.dashboard"]
    dash = Dashboard.search([("user_id", "=", env.uid), ("company_id", "=", company.id)], limit=1)
    dash = dash or Dashboard.create({})
    _timed("dashboard refresh (every figure)", dash._refresh)
    cr.commit()
    env.invalidate_all()
    _timed(
        "dashboard opened (menu action and form read)",
        lambda: Dashboard.browse(Dashboard.action_open_dashboard()["res_id"]).web_read(FORM_SPEC),
    )
    env.invalidate_all()
    today = time.strftime("%Y-%m-%d")
    rows = _timed(
        "My follow-ups today (list, first page)",
        lambda: env["payment.followup.todo"].web_search_read(
            [("date", "<=", today)], {"kind": {}, "partner_id": {}, "amount_at_risk": {}}, limit=80
        ),
    )
    _timed(
        "Customers to follow up (list, first page, with open credits)",
        lambda: env["payment.followup.customer"].web_search_read(
            [], {"partner_id": {}, "amount_overdue": {}, "amount_credit": {}}, limit=80
        ),
    )
    _timed(
        "aging chart (graph read_group)",
        lambda: env["payment.followup.dashboard.bucket"].read_group(
            [("dashboard_id", "=", dash.id)], ["amount:sum"], ["bucket"]
        ),
    )
    cr.execute(SQL("SELECT COUNT(*) FROM account_move WHERE followup_expected_date IS NOT NULL"))
    print(f"  to-dos listed on the first page: {len(rows['records'])}")
    print(f"  invoices with an expected day: {cr.fetchone()[0]} (refreshed {count})")
    cr.execute(SQL("DELETE FROM mail_activity WHERE followup_partner_id = ANY(%s)", partners.ids))
    clean(env)
    cr.commit()
