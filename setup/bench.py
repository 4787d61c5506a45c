"""Benchmark of the daily follow-up run on a synthetic database.

Run through ``setup/bench`` (it prepares PostgreSQL and the benchmark database):

    setup/bench --customers 20000 --invoices 100000     # one size
    setup/bench --growth                                # 10k and 100k, and the ratio
    setup/bench --workers 4                             # one day's run by 4 processes
    setup/bench --plans 2000                            # also the plan watch
    setup/bench --packs 50                              # only the document packs
    setup/bench --cockpit --customers 20000 --invoices 100000   # only the cockpit
    setup/bench --deliver --customers 2000 --invoices 10000     # run + Odoo's mail queue

Customers and open invoices are written with set-based SQL (the run only reads
invoice headers: due date, residual, state, customer); every invoice is 1 to 44
days late and no customer was reminded before, so each gets one reminder (the
first level). The data is committed (as a real database's invoices are), each
size is timed in phases, and everything is removed afterwards:

1. selection and level decisions (claiming rows, reading facts, the engine);
2. the whole run as the cron does it (a commit per batch): reminders, levels,
   events and queued mails; then what it created is removed;
3. with ``--plans N``: the daily watch of N active payment plans.

``--workers N`` commits the data, starts N processes that run the same day
together (each ``_run_company(worker=k, workers=N)``, committing per batch),
times the whole, counts the reminders and mails per customer (one each, none
twice), then removes what it created.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta

import odoo
from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_cockpit  # noqa: E402
import bench_deliver  # noqa: E402
import bench_packs  # noqa: E402

MARK = "PFP-BENCH"
SMALL, LARGE = (2000, 10000), (20000, 100000)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--invoices", type=int, default=10000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--plans", type=int, default=0, help="also time the plan watch")
    parser.add_argument("--packs", type=int, default=0, help="only the document packs: N letters")
    parser.add_argument("--pack-invoices", type=int, default=2, help="invoices per letter")
    parser.add_argument("--growth", action="store_true", help="10k and 100k, and the ratio")
    parser.add_argument("--cockpit", action="store_true", help="only the dashboard and lists")
    parser.add_argument(
        "--deliver", action="store_true", help="the run, then Odoo's real mail queue to a sink"
    )
    parser.add_argument(
        "--mail-orm",
        action="store_true",
        help="write the reminder emails through mail.mail.create, as when another addon "
        "overrides it (the price of Odoo's own writers)",
    )
    parser.add_argument("--workers", type=int, default=0, help="processes sharing one run")
    parser.add_argument("--worker", type=int, default=-1, help=argparse.SUPPRESS)
    return parser.parse_args()


def build(env, customers, invoices):
    """(Re)create the synthetic customers and invoices with set-based SQL."""
    cr = env.cr
    company = env.company
    clean(env)
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
    # invoice g belongs to customer (g mod customers), 1 to 44 days late
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


def clean(env):
    """Remove what a committed benchmark (``--workers``) created."""
    cr = env.cr
    cr.execute(SQL("SELECT id FROM res_partner WHERE ref = %s", MARK))
    partner_ids = tuple(row[0] for row in cr.fetchall())
    if partner_ids:
        for query in (
            "DELETE FROM mail_mail WHERE mail_message_id IN "
            "(SELECT id FROM mail_message WHERE model = 'res.partner' AND res_id IN %(p)s)",
            "DELETE FROM mail_message WHERE model = 'res.partner' AND res_id IN %(p)s",
            "DELETE FROM payment_followup_event WHERE partner_id IN %(p)s",
            "DELETE FROM payment_followup_reminder WHERE partner_id IN %(p)s",
        ):
            cr.execute(SQL(query, p=partner_ids))
    cr.execute(SQL("DELETE FROM account_move WHERE ref = %s", MARK))
    cr.execute(SQL("DELETE FROM res_partner WHERE ref = %s", MARK))


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
    plans.write({"state": "proposed"})
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


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


DELIVERY_SAMPLE = 1000


def deliver(env, sample):
    """Since reminders are delivered only when the outgoing server accepts
    their email, the level writes happen in the mail queue's post-processing,
    mail by mail: time it on ``sample`` queued reminder emails, as if the
    server had accepted each (no SMTP here), one call per mail as the queue
    does. None on code without delivery states."""
    if "payment.followup.delivery" not in env:
        return None
    env.cr.execute(
        SQL(
            """
            SELECT m.id FROM mail_mail m
              JOIN mail_message msg ON msg.id = m.mail_message_id
              JOIN res_partner p ON p.id = msg.res_id
             WHERE msg.model = 'res.partner' AND p.ref = %s AND m.state = 'outgoing'
             ORDER BY m.id LIMIT %s
            """,
            MARK,
            sample,
        )
    )
    ids = [row[0] for row in env.cr.fetchall()]
    Mail = env["mail.mail"].sudo()
    Mail.browse(ids).write({"state": "sent"})
    env.flush_all()
    env.invalidate_all()
    if "payment.followup.mail.outcome" in env:
        # the queue notes each mail, then records the batch at once
        Outcome = env["payment.followup.mail.outcome"].sudo()

        def each():
            for mail_id in ids:
                Outcome._note(Mail.browse(mail_id))
            Outcome._apply()
            return len(ids)

    else:  # before the batch step: everything per mail
        Delivery = env["payment.followup.delivery"].sudo()

        def each():
            for mail_id in ids:
                Delivery._on_mails_processed(Mail.browse(mail_id))
            return len(ids)

    phase = timed(
        env,
        "delivery (queue post-processing, no SMTP, no commit per mail: not the real queue)",
        each,
    )
    env.cr.commit()
    return phase


def measure(env, customers, invoices, batch_size):
    """Both phases at one size, rolled back. Returns the figures."""
    cr = env.cr
    company = env.company
    start = time.perf_counter()
    build(env, customers, invoices)
    built = time.perf_counter() - start
    run = env["payment.followup.run"].with_company(company)
    decider = env["payment.followup.decision"].with_company(company)
    now = run._now_for(date.today())
    env.invalidate_all()

    def decide_all():
        partner_ids = decider._select_partner_ids(company, now)
        decided = 0
        for i in range(0, len(partner_ids), batch_size):
            batch = env["res.partner"].browse(partner_ids[i : i + batch_size])
            decided += sum(d.acts for d in decider._decide(company, batch, now).decisions)
            env.invalidate_all()
        return decided

    # committed, as a real database's invoices are (and analysed)
    cr.commit()
    cr.execute("ANALYZE account_move")
    cr.execute("ANALYZE res_partner")
    decisions = timed(env, "selection and level decisions", decide_all)
    cr.rollback()
    env.invalidate_all()
    # as the cron runs it: a commit per batch
    whole = timed(
        env,
        "whole run (reminders, levels, events, queued mails)",
        lambda: run._run_company(company, batch_size=batch_size, now=now, commit=True),
    )
    cr.execute(
        SQL(
            "SELECT COUNT(*) FROM mail_message m JOIN res_partner p ON p.id = m.res_id"
            " WHERE m.model = 'res.partner' AND p.ref = %s AND m.message_type = 'comment'",
            MARK,
        )
    )
    mails = cr.fetchone()[0]
    delivery = deliver(env, DELIVERY_SAMPLE)
    clean(env)
    cr.commit()
    env.invalidate_all()
    return {
        "customers": customers,
        "invoices": invoices,
        "built": built,
        "decisions": decisions,
        "whole": whole,
        "mails": mails,
        "delivery": delivery,
        "load": load_average(),
    }


def load_average():
    """The machine's load (1, 5, 15 minutes): a figure from a loaded machine is
    not a figure."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def report(figures, batch_size):
    print(
        f"\ninvoices: {figures['invoices']}  customers: {figures['customers']}  "
        f"batch size: {batch_size}  (data built in {figures['built']:.1f} s; "
        f"{figures.get('load', load_average())} after the run)"
    )
    for key in ("decisions", "whole"):
        phase = figures[key]
        print(f"  {phase['phase']}: {phase['seconds']:.2f} s, {phase['queries']} SQL queries")
    if figures["mails"]:
        per = 1000 * figures["whole"]["seconds"] / figures["mails"]
        print(
            f"  customers acted on: {figures['decisions']['result']}, mails queued: "
            f"{figures['mails']}, whole run per reminder: {per:.2f} ms"
        )
    delivery = figures.get("delivery")
    if delivery and delivery["result"]:
        per_mail = 1000 * delivery["seconds"] / delivery["result"]
        print(
            f"  {delivery['phase']}: {delivery['result']} mails, {delivery['seconds']:.2f} s, "
            f"{delivery['queries']} SQL queries, {per_mail:.2f} ms per mail; run + delivery: "
            f"{per + per_mail:.2f} ms per reminder"
        )


def run_worker(args):
    """One of the ``--workers`` processes: the day's run, committing per batch."""
    registry = odoo.modules.registry.Registry(args.database)
    if args.mail_orm:
        # what payment.followup.mail.rows does when an addon overrides the create
        # of mail.message or mail.mail
        registry["payment.followup.mail.rows"]._set_wise_allowed = lambda self: False
        print("mail rows: through mail.mail.create (--mail-orm)")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        run = env["payment.followup.run"].with_company(env.company)
        start = time.perf_counter()
        done = run._run_company(
            env.company,
            batch_size=args.batch_size,
            commit=True,
            worker=args.worker,
            workers=args.workers,
        )
        cr.commit()
        print(
            f"worker {args.worker}: went through {done} customers in {time.perf_counter() - start:.1f} s, "
            f"peak RSS {rss_mb():.0f} MB"
        )


def workers(args, env):
    """``args.workers`` processes share one day's run on committed data."""
    cr = env.cr
    build(env, args.customers, args.invoices)
    cr.commit()
    # the cron path, not queue_job, is measured here (queue_job is tested in the suite)
    cmd = [
        sys.executable,
        __file__,
        "--config",
        args.config,
        "--database",
        args.database,
        "--batch-size",
        str(args.batch_size),
        "--workers",
        str(args.workers),
    ]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(cmd + ["--worker", str(k)], env=dict(os.environ))
        for k in range(args.workers)
    ]
    codes = [proc.wait() for proc in procs]
    seconds = time.perf_counter() - start
    cr.execute(
        SQL(
            """
            SELECT COUNT(*), COUNT(DISTINCT r.partner_id),
                   (SELECT COUNT(*) FROM mail_message m JOIN res_partner p ON p.id = m.res_id
                     WHERE m.model = 'res.partner' AND p.ref = %(mark)s
                       AND m.message_type = 'comment'),
                   (SELECT COUNT(*) FROM payment_followup_event e JOIN res_partner p
                        ON p.id = e.partner_id WHERE p.ref = %(mark)s AND e.channel = 'email')
              FROM payment_followup_reminder r JOIN res_partner p ON p.id = r.partner_id
             WHERE p.ref = %(mark)s
            """,
            mark=MARK,
        )
    )
    reminders, customers, mails, events = cr.fetchone()
    print(
        f"\n{args.workers} worker process(es), {args.invoices} invoices / {args.customers} "
        f"customers: {seconds:.1f} s wall clock, exit codes {codes}"
    )
    print(
        f"  reminders: {reminders} for {customers} customers; mails: {mails}; email events: "
        f"{events}; duplicates: {reminders - customers + mails - customers + events - customers}"
    )
    clean(env)
    cr.commit()


def main():
    args = parse_args()
    print(f"benchmark starts: {load_average()}", flush=True)
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database, "--log-level=warn"])
    if args.worker >= 0:
        run_worker(args)
        return 0
    registry = odoo.modules.registry.Registry(args.database)
    if args.mail_orm:
        # what payment.followup.mail.rows does when an addon overrides the create
        # of mail.message or mail.mail
        registry["payment.followup.mail.rows"]._set_wise_allowed = lambda self: False
        print("mail rows: through mail.mail.create (--mail-orm)")
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env.company.followup_min_gap_days = 0
        cr.commit()
        if args.workers:
            workers(args, env)
            return 0
        if args.cockpit:
            bench_cockpit.run(env, build, clean, timed, args.customers, args.invoices)
            print(f"\npeak RSS: {rss_mb():.0f} MB")
            print("target: dashboard and lists open in under 1 s on 100,000 invoices")
            return 0
        if args.deliver:
            bench_deliver.run(
                env, build, clean, args.customers, args.invoices, args.batch_size, MARK
            )
            print(f"\npeak RSS: {rss_mb():.0f} MB; {load_average()}")
            print("targets: bookkeeping <= 2 ms and <= 3 queries per email; run + queue at")
            print("10,000 invoices <= 35 ms per reminder")
            return 0
        if args.packs:
            bench_packs.run(env, args.packs, args.pack_invoices)
            print(f"\npeak RSS: {rss_mb():.0f} MB")
            return 0
        sizes = [SMALL, LARGE] if args.growth else [(args.customers, args.invoices)]
        results = [measure(env, c, i, args.batch_size) for c, i in sizes]
        for figures in results:
            report(figures, args.batch_size)
        if args.growth:
            small, large = results
            for key in ("decisions", "whole"):
                ratio = large[key]["seconds"] / small[key]["seconds"]
                print(f"growth for 10x the data, {large[key]['phase']}: {ratio:.1f}x")
        if args.plans:
            env.invalidate_all()
            build(env, args.customers, args.invoices)
            start = time.perf_counter()
            plans, first = build_plans(env, args.plans)
            print(f"\nbuilt {len(plans)} active plans in {time.perf_counter() - start:.1f} s")
            env.invalidate_all()
            phase = timed(
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
            print(
                f"  {phase['phase']}: {phase['seconds']:.2f} s, {phase['queries']} SQL queries,"
                f" {plan_mails} reminders, "
                f"{1000 * phase['seconds'] / max(phase['result'], 1):.2f} ms per plan"
            )
    print(f"\npeak RSS: {rss_mb():.0f} MB")
    targets(results[-1], results if args.growth else None)
    return 0


def targets(figures, growth):
    """The issue's targets, each said met or not (at 100,000 invoices)."""
    print("\ntargets (100,000 invoices / 20,000 customers):")
    if figures["invoices"] != LARGE[1]:
        print(f"  (measured at {figures['invoices']} invoices: not the target size)")
    checks = [
        ("decisions <= 3 s", figures["decisions"]["seconds"], 3.0, "s"),
    ]
    if figures["mails"]:
        per = 1000 * figures["whole"]["seconds"] / figures["mails"]
        checks.append(("whole run <= 2.5 ms per reminder", per, 2.5, "ms"))
    if growth:
        small, large = growth
        for key in ("decisions", "whole"):
            ratio = large[key]["seconds"] / small[key]["seconds"]
            checks.append((f"10x the data <= 10.5x the time ({key})", ratio, 10.5, "x"))
    checks.append(("peak RSS < 500 MB", rss_mb(), 500, "MB"))
    for label, value, limit, unit in checks:
        print(f"  {label}: {value:.2f} {unit} ({'met' if value <= limit else 'NOT met'})")


if __name__ == "__main__":
    sys.exit(main())
