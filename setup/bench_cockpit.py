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
    # the tiers: a request on the payments page per customer (about its oldest
    # invoice), a reply for one in ten, a history as the cockpit reads it
    cr.execute(
        SQL(
            """
            WITH firsts AS (
                SELECT DISTINCT ON (m.commercial_partner_id) m.commercial_partner_id, m.id
                  FROM account_move m
                  JOIN res_partner p ON p.id = m.commercial_partner_id AND p.ref = 'PFP-BENCH'
              ORDER BY m.commercial_partner_id, m.invoice_date_due
            ), events AS (
                INSERT INTO payment_followup_event
                       (partner_id, company_id, date, channel, state, via_portal, result)
                SELECT f.commercial_partner_id, %(company)s,
                       now() - make_interval(days => mod(f.id, 300)::int),
                       CASE WHEN mod(f.id, 10) = 0 THEN 'reply' ELSE 'none' END, 'done',
                       mod(f.id, 10) <> 0, 'bench'
                  FROM firsts f
             RETURNING id, partner_id
            )
            INSERT INTO payment_followup_event_invoice_rel (event_id, move_id)
            SELECT e.id, f.id FROM events e JOIN firsts f ON f.commercial_partner_id = e.partner_id
            """,
            company=company.id,
        )
    )
    cr.commit()
    env.invalidate_all()
    Cockpit = env["payment.followup.cockpit"]
    # the addons are importable once Odoo read its configuration
    from odoo.addons.payment_followup_plus.engine.cockpit import months_back

    months = months_back(date.today(), 12)
    _timed(
        "tiers by month (requests, first contact, resolution, disputes: 4 queries)",
        lambda: Cockpit._tiers(dash, None, months, date.today()),
    )
    cr.execute(SQL("DELETE FROM payment_followup_event WHERE result = 'bench'"))
    cr.commit()
    if "payment.followup.sales.hold" in env:
        Hold = env["payment.followup.sales.hold"]
        _timed(
            f"credit holds of every customer ({customers}, daily refresh)",
            lambda: Hold._refresh(company),
        )
        cr.execute(SQL("SELECT COUNT(*) FROM payment_followup_sales_hold"))
        print(f"  customers on hold or warned: {cr.fetchone()[0]}")
        cr.execute(SQL("DELETE FROM payment_followup_sales_hold"))
        cr.commit()
    cr.execute(SQL("SELECT COUNT(*) FROM account_move WHERE followup_expected_date IS NOT NULL"))
    print(f"  to-dos listed on the first page: {len(rows['records'])}")
    print(f"  invoices with an expected day: {cr.fetchone()[0]} (refreshed {count})")
    cr.execute(SQL("DELETE FROM mail_activity WHERE followup_partner_id = ANY(%s)", partners.ids))
    clean(env)
    cr.commit()
