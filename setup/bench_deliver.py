"""``setup/bench --deliver``: the run and then Odoo's real mail queue, end to end.

The daily run queues one reminder email per customer; then Odoo's own queue
(``mail.mail.process_email_queue``: its batches of 1,000 and its commit after
every mail) sends them to the demo's local SMTP sink on a free port of this
machine. It prints the run, the queue and their sum per reminder, and the
follow-up's own bookkeeping inside the queue (time and SQL queries per email):
on this code the queue's note per mail plus the set-wise step per batch; on
code before that step, the per-mail post-processing."""

import socket
import tempfile
import time


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _measured(cls, name, totals):
    """Wrap ``cls.name`` to add its time and SQL queries to ``totals``."""
    original = getattr(cls, name)

    def wrapper(self, *args, **kwargs):
        queries = self.env.cr.sql_log_count
        start = time.perf_counter()
        try:
            return original(self, *args, **kwargs)
        finally:
            totals["seconds"] += time.perf_counter() - start
            totals["queries"] += self.env.cr.sql_log_count - queries

    setattr(cls, name, wrapper)
    return lambda: setattr(cls, name, original)


def run(env, build, clean, customers, invoices, batch_size, mark):
    import mailsink  # noqa: PLC0415 - setup/ is on the path (bench.py)

    cr = env.cr
    company = env.company
    # a company that writes to its customers has an address to write from
    company.email = company.email or "accounts@bench.example.com"
    build(env, customers, invoices)
    cr.commit()
    followup = env["payment.followup.run"].with_company(company)
    now = followup._now_for(None)
    start = time.perf_counter()
    followup._run_company(company, batch_size=batch_size, now=now, commit=True)
    run_seconds = time.perf_counter() - start
    cr.execute(
        "SELECT m.id FROM mail_mail m JOIN mail_message msg ON msg.id = m.mail_message_id"
        " JOIN res_partner p ON p.id = msg.res_id"
        " WHERE msg.model = 'res.partner' AND p.ref = %s AND m.state = 'outgoing'",
        [mark],
    )
    mail_ids = [row[0] for row in cr.fetchall()]
    # only the bench's mails go out: anything else waiting stays as it is
    cr.execute("UPDATE mail_mail SET scheduled_date = NULL WHERE id = ANY(%s)", [mail_ids])
    # a sink left by an interrupted benchmark is not there any more
    env["ir.mail_server"].search([("name", "=", "Bench sink")]).unlink()
    port = _free_port()
    controller = mailsink.start(port, tempfile.mkdtemp(prefix="pfp-bench-sink-"))
    server = env["ir.mail_server"].create(
        {"name": "Bench sink", "smtp_host": "127.0.0.1", "smtp_port": port, "sequence": 0}
    )
    cr.commit()
    totals = {"seconds": 0.0, "queries": 0}
    if "payment.followup.mail.outcome" in env:
        Outcome = type(env["payment.followup.mail.outcome"])
        undo = [_measured(Outcome, "_note", totals), _measured(Outcome, "_apply", totals)]
        how = "note per mail + one step per queue batch"
    else:
        Delivery = type(env["payment.followup.delivery"])
        undo = [_measured(Delivery, "_on_mails_processed", totals)]
        how = "post-processing per mail"
    Mail = env["mail.mail"].sudo()
    queries = cr.sql_log_count
    start = time.perf_counter()
    try:
        due = [("id", "in", mail_ids), ("state", "=", "outgoing"), ("scheduled_date", "=", False)]
        while Mail.search_count(due):
            Mail.with_context(filters=[("id", "in", mail_ids)]).process_email_queue()
            cr.commit()
    finally:
        for restore in undo:
            restore()
    queue_seconds = time.perf_counter() - start
    queue_queries = cr.sql_log_count - queries
    sent = Mail.search_count([("id", "in", mail_ids), ("state", "=", "sent")])
    received = len(controller.handler.received)
    controller.stop()
    delivered = env["payment.followup.reminder"].search_count(
        [("partner_id.ref", "=", mark), ("state", "=", "delivered")]
    )
    server.unlink()
    clean(env)
    cr.commit()
    n = max(len(mail_ids), 1)
    print(
        f"\nend to end, {invoices} invoices / {customers} customers: {len(mail_ids)} reminder "
        f"emails, {sent} sent, {received} received by the local SMTP sink, {delivered} "
        "reminders delivered"
    )
    print(f"  run: {run_seconds:.1f} s, {1000 * run_seconds / n:.2f} ms per reminder")
    print(
        f"  mail queue (Odoo's process_email_queue, a commit per mail): {queue_seconds:.1f} s, "
        f"{1000 * queue_seconds / n:.2f} ms and {queue_queries / n:.1f} SQL queries per email"
    )
    print(f"  run + queue: {1000 * (run_seconds + queue_seconds) / n:.2f} ms per reminder")
    print(
        f"  the follow-up's bookkeeping in the queue ({how}): "
        f"{1000 * totals['seconds'] / n:.2f} ms and {totals['queries'] / n:.2f} SQL queries "
        "per email"
    )
