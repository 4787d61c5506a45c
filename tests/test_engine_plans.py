from datetime import date, timedelta

import pytest
from engine.installments import schedule
from engine.plans import (
    Guidelines,
    LineFacts,
    PlanError,
    allocate,
    check_promise,
    guideline_breaches,
    promise_outcome,
    watch_plan,
)
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 11, 24)


def breaches(total, down, count, months_apart="monthly", rules=None, first=TODAY):
    lines = schedule(
        total,
        first,
        months_apart,
        count=count,
        down_payment=down,
        down_payment_date=first - timedelta(days=7),
    )
    amounts = [line.amount for line in lines if line.number]
    return guideline_breaches(total, down, amounts, first, lines[-1].due_date, rules)


@pytest.mark.parametrize(
    "total, down, count, rules, expected",
    [
        # 12 monthly installments end 11 months after the first: within 12 months
        (120000, 0, 12, Guidelines(max_months=12), []),
        (130000, 0, 13, Guidelines(max_months=12), []),
        (140000, 0, 14, Guidelines(max_months=12), ["duration"]),
        # no limit
        (140000, 0, 48, Guidelines(max_months=0), []),
        # 10 % minimum installment: 10 installments of 10 % pass, 11 do not
        (100000, 0, 10, Guidelines(min_installment_pct=10), []),
        (100000, 0, 11, Guidelines(min_installment_pct=10), ["installment"]),
        # one installment is always the whole debt
        (100000, 0, 1, Guidelines(min_installment_pct=50), []),
        # minimum down payment (% of the debt)
        (100000, 19999, 4, Guidelines(min_down_payment_pct=20), ["down_payment"]),
        (100000, 20000, 4, Guidelines(min_down_payment_pct=20), []),
        # maximum amount under a plan
        (500001, 0, 4, Guidelines(max_amount=500000), ["amount"]),
        (500000, 0, 4, Guidelines(max_amount=500000), []),
        # several at once, in a stable order
        (
            900000,
            0,
            24,
            Guidelines(max_months=12, min_installment_pct=5, max_amount=1000),
            ["duration", "installment", "amount"],
        ),
    ],
)
def test_guideline_breaches(total, down, count, rules, expected):
    assert breaches(total, down, count, rules=rules) == expected


@pytest.mark.parametrize(
    "amounts, paid, expected",
    [
        ([100, 100, 100], 0, [0, 0, 0]),
        ([100, 100, 100], 150, [100, 50, 0]),
        ([100, 100, 100], 300, [100, 100, 100]),
        # overpayment is not spread beyond the plan
        ([100, 100, 100], 999, [100, 100, 100]),
        # a negative balance (e.g. a refund reversed) pays nothing
        ([100, 100], -5, [0, 0]),
        ([3333, 3333, 3334], 6667, [3333, 3333, 1]),
    ],
)
def test_allocate_oldest_first(amounts, paid, expected):
    assert allocate(amounts, paid) == expected


@given(
    amounts=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=40),
    paid=st.integers(min_value=-(10**6), max_value=10**9),
)
def test_allocate_property(amounts, paid):
    parts = allocate(amounts, paid)
    assert sum(parts) == min(max(paid, 0), sum(amounts))
    assert all(0 <= p <= a for p, a in zip(parts, amounts, strict=True))
    # oldest first: once an installment is not fully paid, later ones get nothing
    first_open = next(
        (i for i, (p, a) in enumerate(zip(parts, amounts, strict=True)) if p < a), None
    )
    if first_open is not None:
        assert all(p == 0 for p in parts[first_open + 1 :])


def line(id_, due_in, amount=100, paid=0, **kw):
    return LineFacts(id_, TODAY + timedelta(days=due_in), amount, paid, **kw)


@pytest.mark.parametrize(
    "lines, expected",
    [
        # all paid: completed
        ([line(1, -10, paid=100), line(2, 20, paid=100)], ("completed", [], [])),
        # next installment in 3 days: a reminder before
        ([line(1, -10, paid=100), line(2, 3)], ("active", [2], [])),
        # ... only once
        ([line(1, 3, reminded=True)], ("active", [], [])),
        # too far ahead: nothing yet
        ([line(1, 4)], ("active", [], [])),
        # due today and unpaid: still "before" (the customer has the day)
        ([line(1, 0)], ("active", [1], [])),
        # late within the grace period: one late reminder for the oldest late one
        ([line(1, -2), line(2, -1)], ("active", [], [1])),
        ([line(1, -2, late_reminded=True), line(2, -1)], ("active", [], [])),
        # partly paid and late counts as late
        ([line(1, -3, paid=99)], ("active", [], [1])),
        # past the grace period: broken
        ([line(1, -8), line(2, 20)], ("broken", [], [])),
        ([line(1, -7)], ("active", [], [1])),
    ],
)
def test_watch_plan(lines, expected):
    watch = watch_plan(lines, TODAY, remind_days=3, grace_days=7)
    state = "completed" if watch.completed else "broken" if watch.broken else "active"
    assert (state, watch.remind_before, watch.remind_late) == expected


def test_watch_plan_refuses_negative_days():
    with pytest.raises(PlanError):
        watch_plan([line(1, 1)], TODAY, remind_days=-1, grace_days=7)


@pytest.mark.parametrize(
    "amount, received, promised, today, expected",
    [
        (500, 0, TODAY, TODAY, None),  # the day itself: still running
        (500, 0, TODAY, TODAY + timedelta(days=1), "broken"),
        (500, 499, TODAY, TODAY + timedelta(days=1), "broken"),
        (500, 500, TODAY, TODAY + timedelta(days=1), "kept"),
        (500, 600, TODAY + timedelta(days=5), TODAY, "kept"),  # kept early
    ],
)
def test_promise_outcome(amount, received, promised, today, expected):
    assert promise_outcome(amount, received, promised, today) == expected


@pytest.mark.parametrize(
    "date_, amount, owed, max_days, code",
    [
        (TODAY + timedelta(days=10), 0, 1000, 30, "amount_not_positive"),
        (TODAY + timedelta(days=10), -5, 1000, 30, "amount_not_positive"),
        (TODAY + timedelta(days=10), 1001, 1000, 30, "amount_above_debt"),
        (TODAY - timedelta(days=1), 100, 1000, 30, "date_in_past"),
        (TODAY + timedelta(days=31), 100, 1000, 30, "beyond_guideline"),
        (TODAY + timedelta(days=30), 100, 1000, 30, None),
        (TODAY, 1000, 1000, 30, None),
        (TODAY + timedelta(days=400), 100, 1000, 0, None),  # no limit
    ],
)
def test_check_promise(date_, amount, owed, max_days, code):
    if code is None:
        check_promise(date_, amount, owed, TODAY, max_days)
        return
    with pytest.raises(PlanError) as err:
        check_promise(date_, amount, owed, TODAY, max_days)
    assert err.value.code == code
