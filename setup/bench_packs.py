"""Benchmark of the document packs (``setup/bench --packs N``), on real Odoo PDFs.

N customers each get ``--pack-invoices`` overdue invoices (posted through the
ORM) and one reminder (the follow-up run); their letters and invoices are
printed by Odoo (wkhtmltopdf), then:

- the print pack: the N letters with their invoices as one PDF, against the
  naive merge of the same documents (pypdf append, nothing shared);
- one reminder pack per customer (letter + its invoices), seconds per pack;
- a 10-page pack (a letter and 9 invoices), seconds;
- the peak memory Python allocated while building the print pack;
- the print pack rendered page by page (pdftoppm) against its documents.

Everything runs in one transaction that is rolled back.
"""

import os
import time
import tracemalloc
from datetime import date, timedelta

from odoo import Command


def _customers_with_invoices(env, count, per_customer, prefix):
    partners = env["res.partner"].create(
        [
            {"name": f"{prefix} {n:03d}", "is_company": True, "email": f"pack{n}@example.com"}
            for n in range(count)
        ]
    )
    day = date.today() - timedelta(days=20)
    moves = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": day - timedelta(days=k),
                "invoice_date_due": day,
                "invoice_line_ids": [
                    Command.create(
                        {"name": f"Consulting, phase {k + 1}", "quantity": 1 + k, "price_unit": 250}
                    )
                ],
            }
            for partner in partners
            for k in range(per_customer)
        ]
    )
    moves.action_post()
    return partners


def _documents(env, partners):
    """{reminder: [(name, pdf)]} for the reminders the run prepares for ``partners``."""
    company = env.company
    # every level attaches the invoices it lists: the letters and their invoices
    env["payment.followup.level"].search([("company_id", "=", company.id)]).write(
        {"attach_invoices": True}
    )
    env["payment.followup.run"].with_company(company)._run_company(company, commit=False)
    reminders = env["payment.followup.reminder"].search([("partner_id", "in", partners.ids)])
    return env["payment.followup.pack"]._reminder_documents(reminders)


def _mb(size):
    return f"{size / 1_000_000:.2f} MB"


def run(env, count, per_customer):
    # the addon is importable once Odoo's configuration is read
    from odoo.addons.payment_followup_plus.engine.packs import (  # noqa: PLC0415
        PackDocument,
        build_pack,
        naive_merge,
    )
    from odoo.addons.payment_followup_plus.engine.pdf_render import (  # noqa: PLC0415
        render_pages,
        same_pixels,
    )

    cr = env.cr
    start = time.perf_counter()
    partners = _customers_with_invoices(env, count, per_customer, "Pack bench")
    ten = _customers_with_invoices(env, 1, 9, "Pack bench ten")
    by_reminder = _documents(env, partners | ten)
    printed = time.perf_counter() - start
    ten_docs = next(docs for rem, docs in by_reminder.items() if rem.partner_id == ten)
    letters = [docs for rem, docs in by_reminder.items() if rem.partner_id != ten]
    flat = [PackDocument(name, data) for docs in letters for name, data in docs]
    print(
        f"\n{len(letters)} letters with {per_customer} invoice(s) each: {len(flat)} PDFs "
        f"printed by Odoo in {printed:.1f} s"
    )

    dump = os.environ.get("PFP_PACK_DUMP")
    if dump:  # the documents, to look at them
        os.makedirs(dump, exist_ok=True)
        for n, doc in enumerate(flat):
            with open(os.path.join(dump, f"{n:03d}.pdf"), "wb") as out:
                out.write(doc.data)
    naive = naive_merge(flat)
    tracemalloc.start()
    pack, report = build_pack(flat)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(
        f"  print pack: {report.pages} pages; documents {_mb(report.size_in)}, naive merge "
        f"{_mb(len(naive))}, pack {_mb(report.size_out)}: "
        f"{100 * (1 - report.size_out / len(naive)):.1f} % smaller than the naive merge "
        f"({100 * report.saved_ratio:.1f} % smaller than the documents); "
        f"{report.seconds:.2f} s, Python peak {peak / 1_000_000:.0f} MB"
    )

    seconds = []
    for docs in letters:
        _data, one = build_pack([PackDocument(name, data) for name, data in docs])
        seconds.append(one.seconds)
    print(
        f"  one pack per reminder ({1 + per_customer} pages): "
        f"{sum(seconds) / len(seconds):.3f} s on average, {max(seconds):.3f} s at most"
    )
    _data, ten_report = build_pack([PackDocument(name, data) for name, data in ten_docs])
    print(
        f"  10-page pack (a letter and 9 invoices): {ten_report.seconds:.3f} s, "
        f"{_mb(ten_report.size_in)} -> {_mb(ten_report.size_out)}"
    )

    start = time.perf_counter()
    before = [page for doc in flat for page in render_pages(doc.data)]
    after = render_pages(pack)
    identical = len(before) == len(after) and all(
        same_pixels(a, b) for a, b in zip(before, after, strict=True)
    )
    print(
        f"  print pack vs its documents, page by page ({len(after)} pages at 40 dpi): "
        f"{'identical pixels' if identical else 'DIFFERENT'} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    print(
        "  targets: >= 80 % smaller than the naive merge of 50 letters with their invoices "
        "(lossless); <= 0.5 s per 10-page pack"
    )
    cr.rollback()
