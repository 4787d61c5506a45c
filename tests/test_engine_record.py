import pytest
from engine.record import (
    GOOD,
    NEUTRAL,
    POOR,
    PaymentRecord,
    rate_record,
    review_before_escalation,
)


@pytest.mark.parametrize(
    "record, expected",
    [
        (PaymentRecord(), NEUTRAL),  # a new customer: nothing to judge
        (PaymentRecord(invoices=12, avg_days_late=2.5), GOOD),
        (PaymentRecord(invoices=12, avg_days_late=7.0), GOOD),
        (PaymentRecord(invoices=12, avg_days_late=7.1), NEUTRAL),
        (PaymentRecord(invoices=12, due_invoices=12, avg_days_late=30), POOR),
        # only on evidence: one invoice a month late, or one broken promise, is no record
        (PaymentRecord(due_invoices=1, avg_days_late=45), NEUTRAL),
        (PaymentRecord(promises_broken=1), NEUTRAL),
        (PaymentRecord(promises_broken=2), POOR),
        # too little history to call it good
        (PaymentRecord(invoices=2, avg_days_late=0), NEUTRAL),
        (PaymentRecord(invoices=3, avg_days_late=0), GOOD),
        (PaymentRecord(invoices=5, promises_kept=4, promises_broken=1), GOOD),
        (PaymentRecord(invoices=5, promises_kept=3, promises_broken=1), NEUTRAL),
        (PaymentRecord(invoices=5, promises_kept=1, promises_broken=2), POOR),
        (PaymentRecord(invoices=5, plans_completed=3, plans_broken=1), POOR),
        (PaymentRecord(invoices=5, plans_completed=2), GOOD),
    ],
)
def test_rate_record(record, expected):
    assert rate_record(record) == expected


def test_kept_rate():
    assert PaymentRecord().kept_rate is None
    assert PaymentRecord(promises_kept=3, promises_broken=1).kept_rate == 0.75


@pytest.mark.parametrize(
    "rating, current, target, expected",
    [
        (GOOD, 1, 2, True),
        (GOOD, 0, 1, False),  # first automated reminder: no person needed
        (GOOD, 2, 2, False),
        (NEUTRAL, 1, 2, False),
        (POOR, 1, 3, False),
    ],
)
def test_review_before_escalation(rating, current, target, expected):
    assert review_before_escalation(rating, current, target) == expected
