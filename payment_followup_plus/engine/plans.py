"""Installment plans once agreed: company guidelines, payment allocation, the
daily watch (reminders before and after each installment, broken plans) and
promises to pay. Amounts are integer minor units throughout."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from .installments import add_period
from .types import EngineError


class PlanError(EngineError):
    """Bad input for a plan's watch or a promise to pay."""


@dataclass(frozen=True)
class Guidelines:
    """A company's rules for plans; a plan outside them needs a manager."""

    max_months: int = 12  # 0: no limit
    min_installment_pct: float = 0.0  # of the debt
    min_down_payment_pct: float = 0.0  # of the debt
    max_amount: int = 0  # minor units, 0: no limit


def guideline_breaches(total, down_payment, amounts, first_due, last_due, rules):
    """Codes of the guidelines a schedule breaks (empty: within them).

    ``amounts`` are the regular installments (not the down payment); the last
    one absorbs the remainder, so only the regular amount is held to the minimum.
    """
    breaches = []
    if rules.max_months and last_due > add_period(first_due, "monthly", rules.max_months):
        breaches.append("duration")
    regular = amounts[0] if amounts else 0
    if rules.min_installment_pct and len(amounts) > 1:
        if regular * 100 < total * rules.min_installment_pct:
            breaches.append("installment")
    if rules.min_down_payment_pct and down_payment * 100 < total * rules.min_down_payment_pct:
        breaches.append("down_payment")
    if rules.max_amount and total > rules.max_amount:
        breaches.append("amount")
    return breaches


def allocate(amounts, paid):
    """What is paid of each installment, oldest first (``amounts`` in due order).

    Payments beyond the plan's total are ignored; a negative total paid counts
    as nothing paid.
    """
    left = max(paid, 0)
    result = []
    for amount in amounts:
        part = min(amount, left)
        result.append(part)
        left -= part
    return result


@dataclass(frozen=True)
class LineFacts:
    id: int
    due_date: date
    amount: int
    paid: int
    reminded: bool = False  # the reminder before the due date went out
    late_reminded: bool = False  # the reminder after the due date went out

    @property
    def open(self):
        return self.paid < self.amount


@dataclass
class PlanWatch:
    """What the daily watch does for one active plan."""

    completed: bool = False
    broken: bool = False
    remind_before: list[int] = field(default_factory=list)  # line ids
    remind_late: list[int] = field(default_factory=list)  # line ids


def watch_plan(lines, today, *, remind_days, grace_days):
    """Today's outcome for an active plan.

    - every installment covered: the plan is completed;
    - an installment still open ``grace_days`` after its due date: broken;
    - an installment due within ``remind_days``: one friendly reminder before;
    - an installment past due: one reminder (only the oldest late one, so the
      customer gets one message, which lists what is late).
    """
    if remind_days < 0 or grace_days < 0:
        raise PlanError("negative_days")
    watch = PlanWatch()
    open_lines = sorted((line for line in lines if line.open), key=lambda ln: ln.due_date)
    if not open_lines:
        watch.completed = True
        return watch
    late = [line for line in open_lines if line.due_date < today]
    if any((today - line.due_date).days > grace_days for line in late):
        watch.broken = True
        return watch
    if late:
        if not late[0].late_reminded:
            watch.remind_late.append(late[0].id)
        return watch
    upcoming = open_lines[0]
    if not upcoming.reminded and (upcoming.due_date - today).days <= remind_days:
        watch.remind_before.append(upcoming.id)
    return watch


class Outcome(StrEnum):
    """How a promise ended (stored as its value)."""

    KEPT = "kept"
    BROKEN = "broken"


def promise_outcome(promised_amount, received, promised_date, today):
    """``None`` while the promise runs, then kept or broken (the day after the
    promised date, when less than promised has come in)."""
    if promised_amount <= 0:
        raise PlanError("amount_not_positive", amount=promised_amount)
    if received >= promised_amount:
        return Outcome.KEPT
    if today > promised_date:
        return Outcome.BROKEN
    return None


def check_promise(promised_date, promised_amount, owed, today, max_days):
    """Raise :class:`InstallmentError` unless a promise to pay is acceptable."""
    if promised_amount <= 0:
        raise PlanError("amount_not_positive", amount=promised_amount)
    if promised_amount > owed:
        raise PlanError("amount_above_debt", amount=promised_amount, owed=owed)
    if promised_date < today:
        raise PlanError("date_in_past", date=promised_date)
    if max_days and promised_date > today + timedelta(days=max_days):
        raise PlanError("beyond_guideline", date=promised_date, max_days=max_days)
