from datetime import date

import pytest
from engine.installments import (
    InstallmentError,
    add_period,
    faster_options,
    schedule,
    split,
    to_minor,
)
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "amount, decimals, count, expected",
    [
        # the rounding vectors of DOMAIN.md
        ("100.00", 2, 3, ["33.33", "33.33", "33.34"]),
        ("1000", 0, 3, ["333", "333", "334"]),
        ("10.000", 3, 3, ["3.333", "3.333", "3.334"]),
        ("99.99", 2, 7, ["14.28"] * 6 + ["14.31"]),
        ("0.05", 2, 3, ["0.02", "0.02", "0.01"]),
        # rounding up the regular part would leave nothing for the last one
        ("0.13", 2, 8, ["0.01"] * 7 + ["0.06"]),
        ("5.00", 2, 1, ["5.00"]),
    ],
)
def test_split_vectors(amount, decimals, count, expected):
    parts = split(to_minor(amount, decimals), count)
    assert parts == [to_minor(x, decimals) for x in expected]


@given(
    total=st.integers(min_value=1, max_value=10**9),
    count=st.integers(min_value=1, max_value=120),
)
def test_split_property(total, count):
    if count > total:
        with pytest.raises(InstallmentError):
            split(total, count)
        return
    parts = split(total, count)
    assert sum(parts) == total
    assert len(parts) == count
    assert all(part >= 1 for part in parts)
    assert len(set(parts[:-1])) <= 1  # every installment but the last is the same


@given(
    amount=st.decimals(min_value="0.001", max_value="1000000", places=3),
    decimals=st.sampled_from([0, 2, 3]),
    count=st.integers(min_value=1, max_value=36),
)
def test_split_property_in_currencies(amount, decimals, count):
    total = to_minor(amount, decimals)
    if total < count:
        return
    assert sum(split(total, count)) == total


@pytest.mark.parametrize(
    "start, frequency, n, expected",
    [
        (date(2026, 1, 31), "monthly", 1, date(2026, 2, 28)),
        (date(2028, 1, 31), "monthly", 1, date(2028, 2, 29)),
        (date(2026, 11, 30), "monthly", 3, date(2027, 2, 28)),
        (date(2026, 12, 15), "monthly", 1, date(2027, 1, 15)),
        (date(2026, 12, 28), "weekly", 1, date(2027, 1, 4)),
        (date(2026, 12, 28), "biweekly", 2, date(2027, 1, 25)),
    ],
)
def test_add_period(start, frequency, n, expected):
    assert add_period(start, frequency, n) == expected


def test_schedule_by_count_with_down_payment():
    lines = schedule(
        100000,
        date(2026, 12, 1),
        "monthly",
        count=3,
        down_payment=10000,
        down_payment_date=date(2026, 11, 24),
    )
    assert [(line.number, line.due_date, line.amount) for line in lines] == [
        (0, date(2026, 11, 24), 10000),
        (1, date(2026, 12, 1), 30000),
        (2, date(2027, 1, 1), 30000),
        (3, date(2027, 2, 1), 30000),
    ]


@pytest.mark.parametrize(
    "down_payment_date, today, code",
    [
        # the down payment falls due before the first installment
        (date(2026, 12, 1), None, "down_payment_after_first"),
        (date(2026, 12, 5), None, "down_payment_after_first"),
        (date(2026, 11, 20), date(2026, 11, 24), "date_in_past"),
    ],
)
def test_down_payment_date(down_payment_date, today, code):
    with pytest.raises(InstallmentError) as err:
        schedule(
            100000,
            date(2026, 12, 1),
            "monthly",
            count=3,
            down_payment=10000,
            down_payment_date=down_payment_date,
            today=today,
        )
    assert err.value.code == code


def test_down_payment_defaults_to_today():
    lines = schedule(
        100000, date(2026, 12, 1), "monthly", count=3, down_payment=10000, today=date(2026, 11, 24)
    )
    assert lines[0].due_date == date(2026, 11, 24)


def test_schedule_by_amount_last_absorbs_the_rest():
    lines = schedule(100000, date(2026, 12, 1), "weekly", amount=30000)
    assert [line.amount for line in lines] == [30000, 30000, 30000, 10000]
    assert lines[-1].due_date == date(2026, 12, 22)


def options_of(base, steps, frequency="monthly"):
    return [
        (
            o.extra,
            o.installment,
            o.count,
            o.last_due,
            o.last_amount,
            o.installments_saved,
            o.smallest,
        )
        for o in faster_options(base, frequency, steps)
    ]


def test_pay_a_bit_more_finish_sooner():
    # 1,200.00 at 100.00 a month: 12 months; +10 -> 11 (last one smaller), +20 -> 10
    base = schedule(120000, date(2027, 1, 1), "monthly", amount=10000)
    assert options_of(base, [1000, 2000]) == [
        (1000, 11000, 11, date(2027, 11, 1), 10000, 1, False),
        (2000, 12000, 10, date(2027, 10, 1), 12000, 2, False),
    ]
    option = faster_options(base, "monthly", [2000])[0]
    assert option.days_saved == (date(2027, 12, 1) - date(2027, 10, 1)).days


def test_an_option_that_saves_nothing_is_not_shown():
    # 100.00 in 3: 33.33, 33.33, 33.34. +10 gives 43.33 a month: still 3 installments
    # (43.33 + 43.33 + 13.34), same end date: not an option. The smallest raise
    # that ends one month sooner is +16.67 (50.00 twice).
    base = schedule(10000, date(2027, 1, 1), "monthly", count=3)
    assert options_of(base, [1000, 1500]) == [
        (1667, 5000, 2, date(2027, 2, 1), 5000, 1, True),
    ]


def test_a_single_installment_has_no_faster_option():
    base = schedule(10000, date(2027, 1, 1), "monthly", count=1)
    assert faster_options(base, "monthly", [1000]) == []


def test_faster_options_keep_the_down_payment():
    base = schedule(
        100000,
        date(2027, 1, 1),
        "monthly",
        count=4,
        down_payment=20000,
        down_payment_date=date(2026, 12, 1),
    )
    options = faster_options(base, "monthly", [10000])
    assert [(o.installment, o.count) for o in options] == [(30000, 3)]


@given(
    total=st.integers(2, 10**7),
    count=st.integers(1, 36),
    steps=st.lists(st.integers(1, 10**5), max_size=3),
    frequency=st.sampled_from(["weekly", "biweekly", "monthly"]),
)
def test_an_option_never_ends_later_nor_has_more_installments(total, count, steps, frequency):
    if count > total:
        return
    base = schedule(total, date(2027, 1, 31), frequency, count=count)
    for option in faster_options(base, frequency, steps):
        assert option.count < count
        assert option.last_due < base[-1].due_date
        assert option.days_saved > 0
        lines = schedule(total, date(2027, 1, 31), frequency, amount=option.installment)
        assert sum(line.amount for line in lines) == total
        assert lines[-1].amount == option.last_amount


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"count": 0}, "count_below_one"),
        ({"amount": 0}, "amount_not_positive"),
        ({"amount": -5}, "amount_not_positive"),
        ({}, "count_or_amount"),
        ({"count": 3, "amount": 100}, "count_or_amount"),
        ({"count": 3, "down_payment": -1}, "negative_down_payment"),
        ({"count": 3, "down_payment": 100000}, "down_payment_covers_total"),
        ({"count": 3, "today": date(2026, 12, 2)}, "first_due_in_past"),
        ({"count": 200001}, "count_above_total"),
    ],
)
def test_schedule_bad_input(kwargs, code):
    with pytest.raises(InstallmentError) as err:
        schedule(100000, date(2026, 12, 1), "monthly", **kwargs)
    assert err.value.code == code


def test_bad_frequency_and_total():
    with pytest.raises(InstallmentError):
        schedule(100, date(2026, 12, 1), "daily", count=1)
    with pytest.raises(InstallmentError):
        split(0, 1)
