from datetime import date, timedelta

import pytest
from engine.allocation import (
    BGB,
    COSTS,
    INTEREST,
    OLDEST,
    PRINCIPAL,
    AllocationError,
    Debt,
    Share,
    allocate,
    by_debt,
)
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 12, 7)


def d(days):
    return TODAY + timedelta(days=days)


A = Debt(1, d(-60), 100000, arose=d(-90))  # 1,000.00 due 60 days ago
B = Debt(2, d(-30), 50000, arose=d(-60))
C = Debt(3, d(10), 80000, arose=d(-20))  # not due yet
# a charges invoice: 40.00 compensation and 12.34 interest
F = Debt(4, d(-5), 5234, costs=4000, interest=1234, arose=d(-5))


@pytest.mark.parametrize(
    "amount, debts, rule, expected",
    [
        # oldest due first, one after the other
        (120000, [B, A, C], OLDEST, {1: 100000, 2: 20000}),
        # the ticked invoice first, whatever its age
        (
            60000,
            [A, B.__class__(**{**B.__dict__, "chosen": True}), C],
            OLDEST,
            {2: 50000, 1: 10000},
        ),
        # more than owed: only what is owed is allocated
        (999999, [B], OLDEST, {2: 50000}),
        # §366: a due debt before one not due, though younger
        (30000, [C, B], BGB, {2: 30000}),
        # §366: the more burdensome (higher interest) first
        (
            30000,
            [Debt(5, d(-10), 40000, rate=900), Debt(6, d(-10), 40000, rate=500)],
            BGB,
            {5: 30000},
        ),
        # §366: the less secured first
        (
            30000,
            [Debt(7, d(-10), 40000, secured=True), Debt(8, d(-10), 40000)],
            BGB,
            {8: 30000},
        ),
        # equal rank: in proportion to what each owes, to the cent
        (
            10000,
            [Debt(9, d(-10), 30000, arose=d(-40)), Debt(10, d(-10), 60000, arose=d(-40))],
            BGB,
            {9: 3333, 10: 6667},
        ),
    ],
)
def test_orders(amount, debts, rule, expected):
    assert by_debt(allocate(amount, debts, TODAY, rule)) == expected


def test_costs_then_interest_then_principal():
    # §367 within the charges invoice: compensation, then interest
    assert allocate(4500, [F], TODAY, BGB) == [Share(4, COSTS, 4000), Share(4, INTEREST, 500)]
    # a debt with its own interest: interest before principal
    debt = Debt(11, d(-10), 10500, interest=500)
    assert allocate(1000, [debt], TODAY, BGB) == [
        Share(11, INTEREST, 500),
        Share(11, PRINCIPAL, 500),
    ]


def test_german_order_with_charges():
    # the charges invoice (due 5 days ago) is younger than A: A first, then B,
    # then the charges; their parts apart
    shares = allocate(155000, [F, B, A, C], TODAY, BGB)
    assert by_debt(shares) == {1: 100000, 2: 50000, 4: 5000}
    assert [s for s in shares if s.debt_id == 4] == [
        Share(4, COSTS, 4000),
        Share(4, INTEREST, 1000),
    ]


def test_bad_input():
    with pytest.raises(AllocationError):
        allocate(-1, [A], TODAY)
    with pytest.raises(AllocationError):
        allocate(1, [Debt(1, TODAY, 100, costs=80, interest=30)], TODAY)
    with pytest.raises(AllocationError):
        allocate(1, [A], TODAY, "fifo")
    assert allocate(0, [A], TODAY) == []


debts = st.lists(
    st.builds(
        lambda i, due, open_, costs, interest, secured, rate, chosen: Debt(
            i,
            d(due),
            open_,
            costs=min(costs, open_),
            interest=min(interest, open_ - min(costs, open_)),
            secured=secured,
            rate=rate,
            chosen=chosen,
        ),
        st.integers(1, 10**6),
        st.integers(-400, 60),
        st.integers(0, 10**8),
        st.integers(0, 10**6),
        st.integers(0, 10**6),
        st.booleans(),
        st.sampled_from([0, 500, 900]),
        st.booleans(),
    ),
    max_size=8,
    unique_by=lambda debt: debt.id,
)


@given(st.integers(0, 10**9), debts, st.sampled_from([OLDEST, BGB]))
def test_never_more_than_owed_and_always_the_payment(amount, debt_list, rule):
    shares = allocate(amount, debt_list, TODAY, rule)
    owed = {debt.id: debt for debt in debt_list}
    assert sum(s.amount for s in shares) == min(amount, sum(x.open for x in debt_list))
    for debt_id, total in by_debt(shares).items():
        assert 0 < total <= owed[debt_id].open
    for share in shares:
        assert share.amount <= getattr(owed[share.debt_id], share.part)
    # the customer's choice is honoured first
    chosen = [x for x in debt_list if x.chosen]
    if amount >= sum(x.open for x in chosen):
        for debt in chosen:
            assert by_debt(shares).get(debt.id, 0) == debt.open
