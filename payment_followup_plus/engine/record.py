"""A customer's payment record over the last months, and what it changes."""

from dataclasses import dataclass
from enum import StrEnum


class Record(StrEnum):
    """How a customer has paid lately (stored as its value)."""

    GOOD = "good"
    NEUTRAL = "neutral"
    POOR = "poor"


GOOD, NEUTRAL, POOR = Record.GOOD, Record.NEUTRAL, Record.POOR


@dataclass(frozen=True)
class PaymentRecord:
    promises_kept: int = 0
    promises_broken: int = 0
    plans_completed: int = 0
    plans_broken: int = 0
    avg_days_late: float = 0.0
    invoices: int = 0  # invoices paid in the period: the history there is to judge
    due_invoices: int = 0  # invoices due in the period (paid or not): what the average is of

    @property
    def promises(self):
        return self.promises_kept + self.promises_broken

    @property
    def kept_rate(self):
        """Share of settled promises that were kept (None when there were none)."""
        return self.promises_kept / self.promises if self.promises else None


def rate_record(
    record, *, good_days_late=7.0, poor_days_late=30.0, good_kept_rate=0.8, min_history=3
):
    """``good``, ``neutral`` or ``poor``, only on evidence.

    - poor: a broken plan, more broken than kept promises (of at least two), or
      paying ``poor_days_late`` days late on average over at least
      ``min_history`` invoices;
    - good: a history to judge (``min_history`` paid invoices), no broken plan, promises kept
      at least ``good_kept_rate`` of the time, and at most ``good_days_late``
      days late on average;
    - neutral otherwise (a new customer has no record yet).
    """
    rate = record.kept_rate
    if (
        record.plans_broken
        or (record.promises >= 2 and rate < 0.5)
        or (record.due_invoices >= min_history and record.avg_days_late >= poor_days_late)
    ):
        return POOR
    if (
        record.invoices >= min_history
        and (rate is None or rate >= good_kept_rate)
        and record.avg_days_late <= good_days_late
    ):
        return GOOD
    return NEUTRAL


def review_before_escalation(rating, current_tier, target_tier):
    """A customer with a good record is not moved up to a person's tier by the
    automation alone: a person confirms first."""
    return rating == GOOD and target_tier > max(current_tier, 1)
