"""When will an open invoice be paid, and how much cash comes in each week.

The expected day of an invoice comes, in this order, from the customer's
active payment plan, an open promise (trusted unless the customer breaks most
of theirs), the customer's own lateness over the last 12 months, or the due
date when there is no history. A day already past is *later than usual*: it
is counted today, apart, so the forecast never hides that it is uncertain.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class Basis(StrEnum):
    """What an invoice's expected payment day rests on (stored as its value)."""

    PLAN = "plan"
    AUTOPAY = "autopay"  # installments paid automatically: their own confidence
    PROMISE = "promise"
    PROMISE_DOUBTFUL = "promise_doubtful"
    HISTORY = "history"
    DUE = "due"


class Series(StrEnum):
    """The series of the cash forecast."""

    PLAN = "plan"
    PROMISE = "promise"
    EXPECTED = "expected"
    LATE = "late"


PLAN, PROMISE, PROMISE_DOUBTFUL = Basis.PLAN, Basis.PROMISE, Basis.PROMISE_DOUBTFUL
HISTORY, DUE = Basis.HISTORY, Basis.DUE
EXPECTED, LATE = Series.EXPECTED, Series.LATE
SERIES = tuple(Series)  # the forecast's series


@dataclass(frozen=True)
class History:
    """A customer's last 12 months: invoices paid, their average days late
    (paid early counts 0), promises kept and broken."""

    paid: int = 0
    avg_days_late: Decimal = Decimal(0)
    promises_kept: int = 0
    promises_broken: int = 0

    @property
    def usual_days_late(self):
        return int(Decimal(self.avg_days_late).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def trusted_promises(self):
        """Promises are trusted unless most of those settled were broken."""
        settled = self.promises_kept + self.promises_broken
        return not settled or self.promises_kept * 2 >= settled


@dataclass(frozen=True)
class Expected:
    day: date
    basis: str
    usual_days_late: int = 0
    promised: date | None = None
    late: bool = False  # the reasoned day is already past: counted today

    @property
    def series(self):
        """The forecast series the invoice goes to."""
        if self.late:
            return Series.LATE
        if self.basis in (Basis.PROMISE, Basis.PROMISE_DOUBTFUL):
            return Series.PROMISE
        if self.basis == Basis.PLAN:
            return Series.PLAN
        return Series.EXPECTED


def expected_payment(due, today, history, *, promised=None, plan_end=None, min_history=2):
    """The ``Expected`` payment of an invoice due ``due``.

    ``history``: the customer's ``History``; ``promised``: the day of an open
    promise covering it; ``plan_end``: the last installment of the active plan
    covering it; ``min_history``: paid invoices needed to trust the average."""
    usual = history.usual_days_late if history.paid >= min_history else 0
    if plan_end:
        day, basis = plan_end, PLAN
    elif promised and history.trusted_promises:
        day, basis = promised, PROMISE
    elif promised:
        day, basis = max(promised, due) + timedelta(days=usual), PROMISE_DOUBTFUL
    elif history.paid >= min_history:
        day, basis = due + timedelta(days=usual), HISTORY
    else:
        day, basis = due, DUE
    if day < today:
        return Expected(today, basis, usual, promised, late=True)
    return Expected(day, basis, usual, promised)


def week_start(day):
    return day - timedelta(days=day.weekday())


def weekly(items, today, weeks=13):
    """Cash in per week for ``weeks`` weeks from this week (Monday first):
    ``items`` are (day, series, amount); a day before this week falls in this
    week, one after the last week is left out. Returns (Monday, {series:
    amount}) for every week, empty weeks included."""
    first = week_start(today)
    totals = [defaultdict(lambda: Decimal(0)) for _ in range(weeks)]
    for day, series, amount in items:
        index = max((day - first).days // 7, 0)
        if index < weeks:
            totals[index][series] += Decimal(amount)
    return [(first + timedelta(weeks=i), dict(totals[i])) for i in range(weeks)]


def net_credits(items, credits):
    """Cash items less the credits in the customers' favour not applied yet.

    ``items``: (key, day, series, amount) of what each customer owes, ``key``
    being (customer, currency); ``credits``: {key: credit amount}. A customer's
    credit offsets what it owes in the same currency, the earliest expected
    first (what is offset is not cash to come). Returns the items left as
    (day, series, amount) and the credits used (what is left of a credit
    larger than the debts is not cash either, and is not counted)."""
    left = {key: Decimal(amount) for key, amount in credits.items() if amount > 0}
    result, used = [], Decimal(0)
    for key, day, series, amount in sorted(items, key=lambda item: (item[1], item[2])):
        amount = Decimal(amount)
        offset = min(left.get(key, Decimal(0)), max(amount, Decimal(0)))
        if offset:
            left[key] -= offset
            used += offset
            amount -= offset
        if amount:
            result.append((day, series, amount))
    return result, used
