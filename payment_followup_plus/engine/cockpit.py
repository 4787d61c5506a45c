"""Collections figures: aging buckets, days sales outstanding (countback),
collection effectiveness index, kept and on-time rates, and "what works"
(which level, channel and tone gets paid).

Amounts are ``Decimal`` in one currency (the company's); every ratio is
``None`` when there is nothing to divide by, never a made-up zero.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

BUCKETS = ("not_due", "1_30", "31_60", "61_90", "90_plus")
AT_RISK = "90_plus"
ZERO = Decimal(0)
HUNDRED = Decimal(100)


def bucket(days_late):
    """The aging bucket of an item ``days_late`` days past its due date (0 or
    less: not due yet)."""
    if days_late <= 0:
        return "not_due"
    if days_late <= 30:
        return "1_30"
    if days_late <= 60:
        return "31_60"
    if days_late <= 90:
        return "61_90"
    return "90_plus"


@dataclass(frozen=True)
class BucketFigure:
    bucket: str
    amount: Decimal
    count: int


def aging(items):
    """Aging of ``items`` ((days late, amount) pairs, or (days late, amount,
    count) when several items share their days late): one ``BucketFigure``
    per bucket, in order, empty buckets included."""
    amounts = defaultdict(lambda: ZERO)
    counts = defaultdict(int)
    for days_late, amount, *count in items:
        key = bucket(days_late)
        amounts[key] += Decimal(amount)
        counts[key] += count[0] if count else 1
    return [BucketFigure(key, amounts[key], counts[key]) for key in BUCKETS]


def percent(part, whole, places=1):
    """``part`` as a percentage of ``whole``, rounded half-up, or None."""
    whole = Decimal(whole)
    if whole <= 0:
        return None
    value = Decimal(part) * HUNDRED / whole
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def at_risk_share(buckets):
    """Share of the receivables that are more than 90 days late (percent)."""
    total = sum((b.amount for b in buckets), ZERO)
    risky = sum((b.amount for b in buckets if b.bucket == AT_RISK), ZERO)
    return percent(risky, total)


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def months_back(day, count):
    """The first days of the ``count`` months ending with ``day``'s month,
    oldest first."""
    first = month_start(day)
    months = []
    for _ in range(count):
        months.append(first)
        first = month_start(first - timedelta(days=1))
    return months[::-1]


def dso_countback(receivables, sales_by_month):
    """Days sales outstanding by the countback method.

    ``sales_by_month``: (days in the month, credit sales) of the months going
    back from the month the receivables are measured at (that month first).
    The receivables are covered by the most recent sales first: each month
    fully used counts all its days, the month that covers the rest counts
    the share of its days that the rest is of its sales. Receivables older
    than all the sales given count every month given (the result is then a
    floor). No receivables: 0 days. Rounded to 0.1 day, half-up."""
    left = Decimal(receivables)
    if left <= 0:
        return Decimal("0.0")
    days = ZERO
    for month_days, sales in sales_by_month:
        sales = Decimal(sales)
        if sales <= 0:
            days += month_days
            continue
        if left <= sales:
            days += Decimal(month_days) * left / sales
            left = ZERO
            break
        days += month_days
        left -= sales
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cei(opening, sales, closing, closing_current):
    """Collection effectiveness index of a period, in percent:
    (opening + sales - closing) / (opening + sales - closing current) x 100,
    where *current* is what was not yet due at the end. None when nothing
    was collectible."""
    collectible = Decimal(opening) + Decimal(sales) - Decimal(closing_current)
    collected = Decimal(opening) + Decimal(sales) - Decimal(closing)
    return percent(collected, collectible)


@dataclass(frozen=True)
class Installment:
    due: date
    amount: Decimal


def paid_dates(installments, payments):
    """The day each installment (in due order) was fully paid, None when not
    yet; payments ((day, amount) pairs) go to the installments oldest first."""
    ordered = sorted(payments)
    result = []
    paid = owed = ZERO
    index = 0
    last_day = None
    for inst in sorted(installments, key=lambda i: i.due):
        owed += Decimal(inst.amount)
        while paid < owed and index < len(ordered):
            last_day, amount = ordered[index]
            paid += Decimal(amount)
            index += 1
        result.append(last_day if paid >= owed else None)
    return result


def on_time(installments, payments, today, since=None):
    """(installments due by ``today`` (and from ``since``), of which paid on
    or before their due date). Payments go to every installment, oldest
    first, including those before ``since``."""
    due = 0
    kept = 0
    ordered = sorted(installments, key=lambda i: i.due)
    for inst, day in zip(ordered, paid_dates(ordered, payments), strict=True):
        if inst.due > today or (since and inst.due < since):
            continue
        due += 1
        if day is not None and day <= inst.due:
            kept += 1
    return due, kept


@dataclass(frozen=True)
class Contact:
    """One contact with a customer: its level, channel and tone, the amount
    overdue it was about, how much of it was paid within 7 and 14 days, and
    how many days ago it happened."""

    level: object
    channel: str
    tone: str
    amount: Decimal
    paid_7: Decimal
    paid_14: Decimal
    age: int


@dataclass(frozen=True)
class Effect:
    level: object
    channel: str
    tone: str
    contacts: int
    amount: Decimal
    share_7: Decimal | None
    share_14: Decimal | None


def what_works(contacts):
    """For each (level, channel, tone), the share of the reminded amounts
    paid within 7 and 14 days of the contact. A contact counts towards a
    window only once the window is over (a contact 3 days ago says nothing
    yet about 7 days); a payment counts up to the amount reminded."""
    groups = defaultdict(list)
    for contact in contacts:
        groups[(contact.level, contact.channel, contact.tone)].append(contact)
    result = []
    for (level, channel, tone), items in groups.items():
        shares = {}
        for window, field in ((7, "paid_7"), (14, "paid_14")):
            ripe = [c for c in items if c.age >= window]
            reminded = sum((Decimal(c.amount) for c in ripe), ZERO)
            paid = sum((min(Decimal(getattr(c, field)), Decimal(c.amount)) for c in ripe), ZERO)
            shares[window] = percent(paid, reminded)
        result.append(
            Effect(
                level,
                channel,
                tone,
                len(items),
                sum((Decimal(c.amount) for c in items), ZERO),
                shares[7],
                shares[14],
            )
        )
    return sorted(result, key=lambda e: (-e.amount, str(e.level), e.channel, e.tone or ""))


TIERS = ("self", "collector", "legal")
DISPUTE_FIGURES = ("opened", "resolved", "late")


def tier_table(months, requests, first_contact, medians, disputes):
    """The tiers measured, one row per month of ``months`` (oldest first).

    ``requests``: (month, tier, count); ``first_contact``: (month, requests,
    resolved without a person) of the self-service requests; ``medians``:
    (month, tier, median days to resolution); ``disputes``: (month, figure,
    count) with figure in ``DISPUTE_FIGURES``. A month with no request has no
    first-contact share (None, not 0); a tier with nothing resolved has no
    median (None)."""
    rows = {
        month: {
            "month": month,
            **{f"requests_{tier}": 0 for tier in TIERS},
            "fcr_requests": 0,
            "fcr_resolved": 0,
            "fcr": None,
            **{f"median_{tier}": None for tier in TIERS},
            **{f"disputes_{figure}": 0 for figure in DISPUTE_FIGURES},
        }
        for month in months
    }
    for month, tier, count in requests:
        if month in rows and tier in TIERS:
            rows[month][f"requests_{tier}"] += count
    for month, total, resolved in first_contact:
        if month in rows:
            rows[month]["fcr_requests"] += total
            rows[month]["fcr_resolved"] += resolved
    for month, tier, days in medians:
        if month in rows and tier in TIERS and days is not None:
            rows[month][f"median_{tier}"] = float(days)
    for month, figure, count in disputes:
        if month in rows and figure in DISPUTE_FIGURES:
            rows[month][f"disputes_{figure}"] += count
    for row in rows.values():
        row["fcr"] = percent(row["fcr_resolved"], row["fcr_requests"])
    return [rows[month] for month in months]
