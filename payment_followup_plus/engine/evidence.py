"""Payment on its way: the evidence that an open invoice is being paid, so no
demand goes out for money already sent.

Plain Python. The model side reads, set-wise, the customers' pending or
authorized payment transactions, the company's unreconciled bank statement
lines and the replies that say "we paid"; this module decides which invoice
each piece of evidence is about. Amounts are integer minor units of the
invoice's currency.

A statement line is evidence for one invoice when its amount equals the
invoice's open amount (in the same currency, within ``tolerance``) and:

- the invoice's number or payment reference appears in the line's label or
  reference (compared normalised: case, spaces, slashes, dashes, dots), or
- without such a reference, the line's partner (or its bank account) is the
  customer's and exactly one open invoice of the customer has that amount.

Two invoices that fit one line equally well are an *ambiguity*: a person
decides (a to-do), nothing is held silently. A line in another currency than
the invoice, or without any of these clues, is evidence of nothing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

KINDS = ("transaction", "statement", "reply")

_NOISE = re.compile(r"[\s/\\\-_.]+")
# a reference this short would be found inside unrelated labels
MIN_REFERENCE = 4


def normalise(text):
    """A reference or label compared as people write it: upper case, without
    spaces, slashes, dashes, underscores or dots."""
    return _NOISE.sub("", str(text or "")).upper()


@dataclass(frozen=True)
class OpenInvoice:
    id: int
    partner_id: int  # the commercial customer
    number: str
    payment_reference: str
    currency_id: int
    residual: int  # minor units of ``currency_id``


@dataclass(frozen=True)
class BankLine:
    id: int
    day: object  # date of the line
    label: str  # the line's label and reference, as imported
    partner_id: int | None  # the commercial customer it names, if any
    currency_id: int  # the currency its ``amount`` is in
    amount: int  # minor units, > 0 for money received


@dataclass(frozen=True)
class Evidence:
    invoice_id: int
    kind: str  # one of KINDS
    source_id: int  # the transaction, statement line or reply event
    amount: int  # minor units of ``currency_id``
    currency_id: int
    day: object  # when it was seen (the line's date, the transaction's day)


@dataclass(frozen=True)
class Ambiguity:
    kind: str
    source_id: int
    invoice_ids: tuple  # every invoice that fits equally well
    amount: int
    currency_id: int
    day: object


def _references(invoice):
    refs = {normalise(invoice.number), normalise(invoice.payment_reference)}
    return {ref for ref in refs if len(ref) >= MIN_REFERENCE}


def _names(text, invoice):
    """Whether the normalised ``text`` names ``invoice``: its number or
    payment reference, not followed by another digit (INV/0001 is not named by
    INV/00012)."""
    return any(
        re.search(("(?<!\\d)" if ref[0].isdigit() else "") + re.escape(ref) + "(?!\\d)", text)
        for ref in _references(invoice)
    )


def match_statement_lines(lines, invoices, tolerance=0):
    """(evidence, ambiguities) of unreconciled statement ``lines`` against the
    ``invoices`` still open. Each line is evidence for at most one invoice;
    an invoice keeps the first line that fits it (by date, then id)."""
    by_amount = defaultdict(list)
    for invoice in invoices:
        by_amount[invoice.currency_id].append(invoice)
    evidence, ambiguities, taken = [], [], set()
    for line in sorted(lines, key=lambda ln: (str(ln.day), ln.id)):
        if line.amount <= 0:
            continue
        same = [
            inv
            for inv in by_amount.get(line.currency_id, ())
            if abs(inv.residual - line.amount) <= tolerance and inv.id not in taken
        ]
        if not same:
            continue
        label = normalise(line.label)
        named = [inv for inv in same if _names(label, inv)]
        if not named and line.partner_id:
            named = [inv for inv in same if inv.partner_id == line.partner_id]
        if len(named) == 1:
            taken.add(named[0].id)
            evidence.append(
                Evidence(named[0].id, "statement", line.id, line.amount, line.currency_id, line.day)
            )
        elif len(named) > 1:
            ambiguities.append(
                Ambiguity(
                    "statement",
                    line.id,
                    tuple(sorted(inv.id for inv in named)),
                    line.amount,
                    line.currency_id,
                    line.day,
                )
            )
    return evidence, ambiguities


def merge(*groups):
    """{invoice id: its evidence}: the first kind found wins (a transaction
    before a statement line before a reply), so an invoice is on its way once."""
    found = {}
    for group in groups:
        for item in group:
            found.setdefault(item.invoice_id, item)
    return found


def invoices_named(text, invoices):
    """The ids of ``invoices`` whose number or payment reference ``text``
    names (normalised); used to tell which invoices a "we paid" reply is about."""
    words = normalise(text)
    return [inv.id for inv in invoices if _names(words, inv)]


# something written like an invoice number or payment reference: letters, then
# digits in groups ("INV/2026/00012", "F-2026-0001", "RF18 5390 0754")
REFERENCE_LIKE = re.compile(r"\b[A-Za-z]{1,10}[/\-_.]?\d{2,}(?:[/\-_. ]\d{2,})+\b")


def mentions_reference(text):
    """Whether ``text`` names some invoice or payment reference (ours or not)."""
    return bool(REFERENCE_LIKE.search(str(text or "")))
