"""Benchmark of the document packs (``setup/bench --packs N``), on real Odoo PDFs.

N customers each get ``--pack-invoices`` overdue invoices (posted through the
ORM) and one reminder (the follow-up run); their letters and invoices are
printed by Odoo (wkhtmltopdf), then:

- the print pack: the N letters with their invoices (every level set to attach
  them) as one PDF, against the naive merge of the same documents (pypdf
  append, nothing shared) and Ghostscript's pdfwrite (/prepress) of that merge;
- the same for the N letters alone;
- one reminder pack per customer (letter + its invoices), seconds per pack;
- a 10-page pack (a letter and 9 invoices), seconds;
- the peak memory Python allocated while building the print pack;
- the print pack rendered page by page (pdftoppm) against its documents.

Everything runs in one transaction that is rolled back.
"""

import os
import subprocess
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from odoo import Command


def _customers_with_invoices(env, count, per_customer, prefix):
    partners = env["res.partner"].create(
        [
            {
                "name": f"{prefix} {n:03d}",
                "is_company": True,
                "email": f"pack{n}@example.com",
            }
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
                        {
                            "name": f"Consulting, phase {k + 1}",
                            "quantity": 1 + k,
                            "price_unit": 250,
                        }
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


def _ghostscript(data):
    """``data`` rewritten by Ghostscript's pdfwrite with /prepress settings:
    (bytes, seconds)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = os.path.join(tmp, "in.pdf"), os.path.join(tmp, "out.pdf")
        with open(src, "wb") as out:
            out.write(data)
        started = time.perf_counter()
        subprocess.run(
            [
                "gs",
                "-q",
                "-dNOPAUSE",
                "-dBATCH",
                "-dSAFER",
                "-sDEVICE=pdfwrite",
                "-dPDFSETTINGS=/prepress",
                f"-sOutputFile={dst}",
                src,
            ],
            check=True,
        )
        seconds = time.perf_counter() - started
        with open(dst, "rb") as result:
            return result.read(), seconds


def _compare(label, documents, build_pack, naive_merge):
    """One set of documents: naive merge, Ghostscript and our pack, side by side."""
    naive = naive_merge(documents)
    gs_data, gs_seconds = _ghostscript(naive)
    # timed without allocation tracking (it slows Python's allocations
    # several times over); the memory is measured in a second, separate pass
    pack, report = build_pack(documents)
    tracemalloc.start()
    build_pack(documents)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    smaller = 1 - report.size_out / len(naive)
    print(
        f"\n{label}: {len(documents)} PDFs, {report.pages} pages\n"
        f"  documents added up   {_mb(report.size_in)}\n"
        f"  naive merge          {_mb(len(naive))}\n"
        f"  Ghostscript /prepress {_mb(len(gs_data))} ({gs_seconds:.2f} s, "
        f"{100 * (1 - len(gs_data) / len(naive)):.1f} % smaller than the naive merge)\n"
        f"  our pack             {_mb(report.size_out)} ({report.seconds:.2f} s, "
        f"{100 * smaller:.1f} % smaller than the naive merge; font programs "
        f"{report.font_programs[0]} -> {report.font_programs[1]}; timed without allocation "
        f"tracking; Python peak {peak / 1_000_000:.0f} MB, measured in a separate pass)"
    )
    return naive, (len(gs_data), gs_seconds), pack, report


def run(env, count, per_customer):
    # the addon is importable once Odoo's configuration is read
    from odoo.addons.payment_followup_plus.engine.packs import (  # noqa: PLC0415
        PackDocument,
        build_pack,
        naive_merge,
    )
    from odoo.addons.payment_followup_plus.tests.pdf_render import (  # noqa: PLC0415
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
        f"\n{len(letters)} letters with {per_customer} invoice(s) each attached (every level "
        f"set to attach the invoices): {len(flat)} PDFs printed by Odoo in {printed:.1f} s"
    )
    dump = os.environ.get("PFP_PACK_DUMP")
    if dump:  # the documents, to look at them
        os.makedirs(dump, exist_ok=True)
        for n, doc in enumerate(flat):
            with open(os.path.join(dump, f"{n:03d}.pdf"), "wb") as out:
                out.write(doc.data)

    _naive, (gs_size, gs_seconds), pack, report = _compare(
        "letters with their invoices", flat, build_pack, naive_merge
    )
    big_naive = len(_naive)
    alone = [PackDocument(*docs[0]) for docs in letters]
    _compare("the letters alone", alone, build_pack, naive_merge)

    seconds = []
    for docs in letters:
        _data, one = build_pack([PackDocument(name, data) for name, data in docs])
        seconds.append(one.seconds)
    print(
        f"\none pack per reminder ({1 + per_customer} pages): "
        f"{sum(seconds) / len(seconds):.3f} s on average, {max(seconds):.3f} s at most"
    )
    ten_pack = [PackDocument(name, data) for name, data in ten_docs]
    ten_seconds = min(build_pack(ten_pack)[1].seconds for _ in range(3))
    print(f"10-page pack (a letter and 9 invoices): {ten_seconds:.3f} s (best of 3)")

    start = time.perf_counter()
    before = [page for doc in flat for page in render_pages(doc.data)]
    after = render_pages(pack)
    identical = len(before) == len(after) and all(
        same_pixels(a, b) for a, b in zip(before, after, strict=True)
    )
    print(
        f"pack vs its documents, page by page ({len(after)} pages at 40 dpi): "
        f"{'identical pixels' if identical else 'DIFFERENT'} "
        f"({time.perf_counter() - start:.1f} s)"
    )
    smaller = 1 - report.size_out / big_naive
    print("\ntargets (the letters with their invoices, lossless):")
    print(
        f"  >= 85 % smaller than the naive merge: {100 * smaller:.1f} % "
        f"({'met' if smaller >= 0.85 else 'NOT met'})"
    )
    print(
        f"  no slower than Ghostscript /prepress: {report.seconds:.2f} s vs {gs_seconds:.2f} s "
        f"({'met' if report.seconds <= gs_seconds else 'NOT met'})"
    )
    print(
        f"  smaller than Ghostscript /prepress: {_mb(report.size_out)} vs {_mb(gs_size)} "
        f"({'met' if report.size_out < gs_size else 'NOT met'})"
    )
    print(
        f"  10-page pack <= 0.5 s: {ten_seconds:.3f} s "
        f"({'met' if ten_seconds <= 0.5 else 'NOT met'})"
    )
    cr.rollback()
