"""Installment schedules in exact money: integer minor units (cents, fils, yen).

The regular installment is the total divided by the count, rounded half-up to
the currency's smallest unit; the last installment absorbs the remainder, so the
schedule always sums to the total exactly (as Odoo's payment terms do).
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from .money import to_major, to_minor  # noqa: F401 (the engine's money)
from .types import EngineError

FREQUENCIES = ("weekly", "biweekly", "monthly")


class InstallmentError(EngineError):
    """Bad input for an installment schedule."""


@dataclass(frozen=True)
class Installment:
    number: int
    due_date: date
    amount: int  # minor units


def split(total, count):
    """``count`` amounts (minor units) summing to ``total``; the last absorbs the rest."""
    if total <= 0:
        raise InstallmentError("total_not_positive", total=total)
    if count < 1:
        raise InstallmentError("count_below_one", count=count)
    if count > total:
        raise InstallmentError("count_above_total", count=count, total=total)
    regular = (2 * total + count) // (2 * count)  # total / count, rounded half-up
    if total - regular * (count - 1) < 1:
        regular = total // count
    return [regular] * (count - 1) + [total - regular * (count - 1)]


def add_period(start, frequency, n):
    """The n-th due date after ``start`` (month ends are kept: 31 Jan + 1 month = 28/29 Feb)."""
    if frequency == "weekly":
        return start + timedelta(weeks=n)
    if frequency == "biweekly":
        return start + timedelta(weeks=2 * n)
    if frequency == "monthly":
        month_index = start.month - 1 + n
        year, month = start.year + month_index // 12, month_index % 12 + 1
        return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    raise InstallmentError("bad_frequency", frequency=frequency)


def schedule(
    total,
    first_due,
    frequency,
    *,
    count=None,
    amount=None,
    down_payment=0,
    down_payment_date=None,
    today=None,
):
    """The full schedule: an optional down payment (number 0, due on
    ``down_payment_date``, before the first installment; ``today`` when not
    given) then installments from ``first_due`` on, by ``count`` or by ``amount``."""
    if (count is None) == (amount is None):
        raise InstallmentError("count_or_amount")
    if frequency not in FREQUENCIES:
        raise InstallmentError("bad_frequency", frequency=frequency)
    if today is not None and first_due < today:
        raise InstallmentError("first_due_in_past", first_due=first_due)
    if down_payment < 0:
        raise InstallmentError("negative_down_payment", down_payment=down_payment)
    if down_payment >= total:
        raise InstallmentError("down_payment_covers_total", down_payment=down_payment)
    rest = total - down_payment
    if amount is not None:
        if amount <= 0:
            raise InstallmentError("amount_not_positive", amount=amount)
        count = -(-rest // amount)  # ceil
        amounts = [amount] * (count - 1) + [rest - amount * (count - 1)]
    else:
        amounts = split(rest, count)
    lines = []
    if down_payment:
        down_payment_date = down_payment_date or today or first_due
        if today is not None and down_payment_date < today:
            raise InstallmentError("date_in_past", date=down_payment_date)
        if down_payment_date >= first_due:
            raise InstallmentError(
                "down_payment_after_first",
                down_payment_date=down_payment_date,
                first_due=first_due,
            )
        lines.append(Installment(0, down_payment_date, down_payment))
    lines += [
        Installment(i + 1, add_period(first_due, frequency, i), value)
        for i, value in enumerate(amounts)
    ]
    return lines


@dataclass(frozen=True)
class FasterOption:
    extra: int  # minor units added to each regular installment
    installment: int  # the regular installment then
    count: int  # regular installments then
    last_due: date
    last_amount: int  # the last installment then (it takes the remainder)
    installments_saved: int
    days_saved: int
    smallest: bool = False  # the smallest raise that saves one installment


def faster_options(base, frequency, steps):
    """ "Pay a bit more, finish sooner" for the schedule ``base`` (as shown to the
    customer): each regular installment raised by each of ``steps`` (minor
    units). Only options that really end sooner are returned; when no step does,
    the smallest raise that saves one installment is offered instead."""
    regular = [line for line in base if line.number]
    if not regular:
        return []
    down = [line for line in base if not line.number]
    down_payment = down[0].amount if down else 0
    rest = sum(line.amount for line in regular)
    total = rest + down_payment
    first_due = regular[0].due_date
    kwargs = {"down_payment": down_payment, "down_payment_date": down[0].due_date if down else None}
    count = len(regular)

    def option(extra, smallest=False):
        lines = schedule(total, first_due, frequency, amount=regular[0].amount + extra, **kwargs)
        numbered = [line for line in lines if line.number]
        return FasterOption(
            extra=extra,
            installment=regular[0].amount + extra,
            count=len(numbered),
            last_due=numbered[-1].due_date,
            last_amount=numbered[-1].amount,
            installments_saved=count - len(numbered),
            days_saved=(regular[-1].due_date - numbered[-1].due_date).days,
            smallest=smallest,
        )

    options = []
    for step in steps:
        if step <= 0:
            raise InstallmentError("step_not_positive", step=step)
        candidate = option(step)
        if candidate.count < count:
            options.append(candidate)
    if not options and count > 1:
        # the smallest regular amount that needs one installment less
        needed = -(-rest // (count - 1))
        options.append(option(needed - regular[0].amount, smallest=True))
    return options
