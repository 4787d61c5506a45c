"""Benchmark of the daily follow-up run on a synthetic database.

Run through ``setup/bench`` (it prepares PostgreSQL and the benchmark database):

    setup/bench --customers 20000 --invoices 100000

Customers and open invoices are written with set-based SQL (the run only reads
invoice headers: due date, residual, state, customer), then the run is timed in
two phases and everything is rolled back, so the database can be reused:

1. selection and level decisions (claiming rows, reading facts, the engine);
2. the whole run: decisions, levels, events, activities and queued mails;
3. with ``--plans N``: the daily watch of N active payment plans on a day when
   every plan has an installment due soon (one reminder each).
"""

import argparse
import resource
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

MARK = "PFP-BENCH"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--plans", type=int, default=0, help="also time the plan watch")
    return parser.parse_args()


def build(env, customers, invoices):
    """(Re)create the synthetic customers and invoices with set-based SQL."""
    cr = env.cr
    company = env.company
    cr.execute(SQL("DELETE FROM account_move WHERE ref = %s", MARK))
    cr.execute(SQL("DELETE FROM res_partner WHERE ref = %s", MARK))
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, ref, email, email_normalized,
                                     is_company, active, lang, type, autopost_bills,
                                     followup_style, followup_formality, create_date, write_date)
            SELECT 'Bench customer ' || g, 'Bench customer ' || g, %(mark)s,
                   'bench' || g || '@example.com', 'bench' || g || '@example.com',
                   TRUE, TRUE, 'en_US', 'contact', 'ask',
                   CASE WHEN MOD(g, 2) = 0 THEN 'direct' ELSE 'indirect' END,
                   CASE WHEN MOD(g, 3) = 0 THEN 'informal' ELSE 'formal' END,
                   NOW(), NOW()
              FROM generate_series(1, %(n)s) g
            """,
            mark=MARK,
            n=customers,
        )
    )
    cr.execute(SQL("UPDATE res_partner SET commercial_partner_id = id WHERE ref = %s", MARK))
    journal = env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
    )
    today = date.today()
    # invoice g belongs to customer (g mod customers); due dates spread over 1..44 days late (reminders, calls)
    cr.execute(
        SQL(
            """
            WITH p AS (
                SELECT id, ROW_NUMBER() OVER (ORDER BY id) - 1 AS rn
                  FROM res_partner WHERE ref = %(mark)s
            )
            INSERT INTO account_move (name, ref, move_type, state, payment_state, journal_id,
                                      company_id, currency_id, partner_id, commercial_partner_id,
                                      date, invoice_date, invoice_date_due, auto_post,
                                      amount_total, amount_residual, amount_total_signed,
                                      amount_residual_signed, amount_untaxed, amount_untaxed_signed,
                                      create_date, write_date)
            SELECT 'BENCH/' || LPAD(g::text, 7, '0'), %(mark)s, 'out_invoice', 'posted',
                   'not_paid', %(journal)s, %(company)s, %(currency)s, p.id, p.id,
                   %(today)s::date - (MOD(g, 44) + 1), %(today)s::date - (MOD(g, 44) + 1),
                   %(today)s::date - (MOD(g, 44) + 1), 'no',
                   100 + MOD(g, 900), 100 + MOD(g, 900), 100 + MOD(g, 900), 100 + MOD(g, 900),
                   100 + MOD(g, 900), 100 + MOD(g, 900), NOW(), NOW()
              FROM generate_series(1, %(n)s) g
              JOIN p ON p.rn = MOD(g, %(customers)s)
            """,
            mark=MARK,
            journal=journal.id,
            company=company.id,
            currency=company.currency_id.id,
            today=today,
            n=invoices,
            customers=customers,
        )
    )
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE res_partner")
    cr.commit()


def build_plans(env, count):
    """``count`` active three-installment plans over the first customers' invoices."""
    Plan = env["payment.followup.plan"]
    moves = env["account.move"].search(
        [("ref", "=", MARK), ("followup_plan_id", "=", False)], limit=count, order="id"
    )
    moves = moves.filtered(lambda m: m.commercial_partner_id)[:count]
    first = date.today() + timedelta(days=2)
    vals_list = []
    for move in moves:
        total = move.amount_residual
        regular = move.currency_id.round(total / 3)
        vals_list.append(
            {
                "partner_id": move.commercial_partner_id.id,
                "currency_id": move.currency_id.id,
                "invoice_ids": [Command.set(move.ids)],
                "amount_total": total,
                "line_ids": [
                    Command.create(
                        {"number": i + 1, "due_date": first + timedelta(days=30 * i), "amount": amt}
                    )
                    for i, amt in enumerate([regular, regular, total - 2 * regular])
                ],
            }
        )
    plans = Plan.create(vals_list)
    plans._activate()
    env.flush_all()
    return plans, first


def timed(env, label, func):
    cr = env.cr
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    seconds = time.perf_counter() - start
    return {
        "phase": label,
        "seconds": seconds,
        "queries": cr.sql_log_count - queries,
        "result": result,
    }


def main():
    args = parse_args()
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        company = env.company
        company.followup_min_gap_days = 0
        start = time.perf_counter()
        build(env, args.customers, args.invoices)
        print(
            f"built {args.customers} customers and {args.invoices} invoices "
            f"in {time.perf_counter() - start:.1f} s"
        )
        run = env["payment.followup.run"].with_company(company)
        decider = env["payment.followup.decision"].with_company(company)
        today = date.today()
        now = run._now_for(today)
        env.invalidate_all()

        def decide_all():
            partner_ids = decider._select_partner_ids(company, now)
            decided = 0
            for i in range(0, len(partner_ids), args.batch_size):
                batch = env["res.partner"].browse(partner_ids[i : i + args.batch_size])
                decided += sum(d.acts for d in decider._decide(company, batch, now).decisions)
                env.invalidate_all()
            return decided

        phase1 = timed(env, "selection and level decisions", decide_all)
        cr.rollback()
        env.invalidate_all()
        phase2 = timed(
            env,
            "whole run (decisions, levels, events, activities, queued mails)",
            lambda: run._run_company(company, batch_size=args.batch_size, today=today),
        )
        mails = env["mail.mail"].search_count([("model", "=", "res.partner")])
        cr.rollback()
        phase3 = plan_mails = None
        if args.plans:
            env.invalidate_all()
            start = time.perf_counter()
            plans, first = build_plans(env, args.plans)
            print(f"built {len(plans)} active plans in {time.perf_counter() - start:.1f} s")
            env.invalidate_all()
            phase3 = timed(
                env,
                f"plan watch ({len(plans)} plans, one reminder each)",
                lambda: env["payment.followup.plan.watch"]._cron_watch_plans(
                    batch_size=args.batch_size, today=first - timedelta(days=2), commit=False
                ),
            )
            plan_mails = env["mail.mail"].search_count(
                [("model", "=", "payment.followup.plan.line")]
            )
            cr.rollback()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"invoices: {args.invoices}  customers: {args.customers}  batch size: {args.batch_size}")
    for phase in (phase1, phase2):
        print(f"{phase['phase']}: {phase['seconds']:.2f} s, {phase['queries']} SQL queries")
    print(f"customers acted on: {phase1['result']}, mails queued: {mails}")
    if phase3:
        print(f"{phase3['phase']}: {phase3['seconds']:.2f} s, {phase3['queries']} SQL queries")
        print(
            f"plans watched: {phase3['result']}, reminders queued: {plan_mails}, "
            f"{1000 * phase3['seconds'] / max(phase3['result'], 1):.2f} ms per plan"
        )
    if mails:
        print(f"whole run per reminder: {1000 * phase2['seconds'] / mails:.2f} ms")
    print(f"peak RSS: {rss_mb:.0f} MB")
    print(
        "targets (100,000 invoices / 20,000 customers): decisions <= 10 s, "
        "<= 5 ms per reminder, peak RSS < 1 GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
