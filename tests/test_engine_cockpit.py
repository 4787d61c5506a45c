"""The cockpit's figures on small hand-computed sets: aging buckets, DSO by
countback, CEI, installments on time, "what works", expected payment days
and the 13-week forecast."""

from datetime import date
from decimal import Decimal

import pytest
from engine.cockpit import (
    BucketFigure,
    Contact,
    Installment,
    aging,
    at_risk_share,
    bucket,
    cei,
    dso_countback,
    month_end,
    months_back,
    on_time,
    paid_dates,
    percent,
    tier_table,
    what_works,
)
from engine.forecast import History, expected_payment, net_credits, weekly
from hypothesis import given
from hypothesis import strategies as st

D = Decimal


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-5, "not_due"),
        (0, "not_due"),
        (1, "1_30"),
        (30, "1_30"),
        (31, "31_60"),
        (60, "31_60"),
        (61, "61_90"),
        (90, "61_90"),
        (91, "90_plus"),
        (400, "90_plus"),
    ],
)
def test_bucket_edges(days, expected):
    assert bucket(days) == expected


def test_aging_and_at_risk_share():
    figures = aging([(-3, D("100")), (10, D("50")), (45, D("25.50")), (95, D("24.50"))])
    assert figures == [
        BucketFigure("not_due", D("100"), 1),
        BucketFigure("1_30", D("50"), 1),
        BucketFigure("31_60", D("25.50"), 1),
        BucketFigure("61_90", D("0"), 0),
        BucketFigure("90_plus", D("24.50"), 1),
    ]
    # 24.50 of 200.00 = 12.25 % -> 12.3 (half-up)
    assert at_risk_share(figures) == D("12.3")
    assert at_risk_share(aging([])) is None


@pytest.mark.parametrize(
    ("receivables", "months", "days"),
    [
        # 100,000 of November (30 days) + 50,000 of October's 80,000 (31 days)
        (D("150000"), [(30, D("100000")), (31, D("80000"))], D("49.4")),
        (D("50000"), [(30, D("100000"))], D("15.0")),
        (D("0"), [(30, D("100000"))], D("0.0")),
        # a month without sales counts all its days
        (D("10000"), [(30, D("0")), (31, D("20000"))], D("45.5")),
        # older than every month given: all their days (a floor)
        (D("300000"), [(30, D("100000")), (31, D("80000"))], D("61.0")),
    ],
)
def test_dso_countback(receivables, months, days):
    assert dso_countback(receivables, months) == days


@pytest.mark.parametrize(
    ("opening", "sales", "closing", "current", "expected"),
    [
        # (100 + 200 - 120) / (100 + 200 - 50) = 180 / 250
        (D(100), D(200), D(120), D(50), D("72.0")),
        (D(0), D(300), D(0), D(0), D("100.0")),
        (D(0), D(0), D(0), D(0), None),
    ],
)
def test_cei(opening, sales, closing, current, expected):
    assert cei(opening, sales, closing, current) == expected


def test_percent_rounds_half_up_and_refuses_nothing():
    assert percent(1, 8) == D("12.5")
    assert percent(1, 3) == D("33.3")
    assert percent(2, 3) == D("66.7")
    assert percent(5, 0) is None


def test_months_back_and_month_end():
    assert months_back(date(2026, 1, 15), 3) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    ]
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert month_end(date(2025, 12, 1)) == date(2025, 12, 31)


PLAN = [
    Installment(date(2026, 1, 10), D(100)),
    Installment(date(2026, 2, 10), D(100)),
    Installment(date(2026, 3, 10), D(100)),
]


@pytest.mark.parametrize(
    ("payments", "dates", "today", "due_kept"),
    [
        (
            [(date(2026, 1, 8), D(100)), (date(2026, 2, 15), D(150))],
            [date(2026, 1, 8), date(2026, 2, 15), None],
            date(2026, 3, 20),
            (3, 1),
        ),
        # one payment covering two installments early
        (
            [(date(2026, 1, 5), D(200))],
            [date(2026, 1, 5), date(2026, 1, 5), None],
            date(2026, 2, 20),
            (2, 2),
        ),
        ([], [None, None, None], date(2026, 1, 9), (0, 0)),
    ],
)
def test_installments_paid_and_on_time(payments, dates, today, due_kept):
    assert paid_dates(PLAN, payments) == dates
    assert on_time(PLAN, payments, today) == due_kept


def test_on_time_since_still_allocates_earlier_installments():
    payments = [(date(2026, 1, 8), D(100)), (date(2026, 2, 9), D(100))]
    # January is paid first, so February's payment pays February on time
    assert on_time(PLAN, payments, date(2026, 3, 20), since=date(2026, 2, 1)) == (2, 1)


def test_what_works_counts_only_ripe_windows_and_caps_payments():
    key = ("L1", "email", "direct_formal")
    contacts = [
        Contact(*key, amount=D(100), paid_7=D(50), paid_14=D(100), age=20),
        Contact(*key, amount=D(300), paid_7=D(0), paid_14=D(150), age=10),  # 7 days only
        Contact(*key, amount=D(200), paid_7=D(400), paid_14=D(200), age=3),  # too recent
        Contact("L2", "letter", "indirect_formal", amount=D(50), paid_7=D(0), paid_14=D(0), age=30),
        Contact("L2", "call", "indirect_formal", amount=D(10), paid_7=D(10), paid_14=D(10), age=2),
    ]
    effects = {(e.level, e.channel, e.tone): e for e in what_works(contacts)}
    first = effects[key]
    assert (first.contacts, first.amount) == (3, D(600))
    # 7 days: (50 + 0) / (100 + 300); 14 days: 100 / 100
    assert (first.share_7, first.share_14) == (D("12.5"), D("100.0"))
    letter = effects[("L2", "letter", "indirect_formal")]
    assert (letter.share_7, letter.share_14) == (D("0.0"), D("0.0"))
    call = effects[("L2", "call", "indirect_formal")]
    assert (call.share_7, call.share_14) == (None, None)
    # largest reminded amount first
    assert [e.channel for e in what_works(contacts)] == ["email", "letter", "call"]


TODAY = date(2026, 11, 25)
DUE = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("history", "kwargs", "day", "basis", "series"),
    [
        (History(), {}, DUE, "due", "expected"),
        (History(paid=5, avg_days_late=D("12.4")), {}, date(2026, 12, 13), "history", "expected"),
        (History(paid=5, avg_days_late=D("12.5")), {}, date(2026, 12, 14), "history", "expected"),
        # one paid invoice is not a history
        (History(paid=1, avg_days_late=D(30)), {}, DUE, "due", "expected"),
        (
            History(paid=4, avg_days_late=D(10), promises_kept=4, promises_broken=1),
            {"promised": date(2026, 12, 3)},
            date(2026, 12, 3),
            "promise",
            "promise",
        ),
        # half kept is still trusted
        (
            History(promises_kept=1, promises_broken=1),
            {"promised": date(2026, 12, 3)},
            date(2026, 12, 3),
            "promise",
            "promise",
        ),
        # mostly broken: the promise plus the usual lateness
        (
            History(paid=4, avg_days_late=D(10), promises_kept=1, promises_broken=3),
            {"promised": date(2026, 12, 3)},
            date(2026, 12, 13),
            "promise_doubtful",
            "promise",
        ),
        (
            History(paid=4, avg_days_late=D(10)),
            {"plan_end": date(2027, 3, 15)},
            date(2027, 3, 15),
            "plan",
            "plan",
        ),
    ],
)
def test_expected_payment(history, kwargs, day, basis, series):
    expected = expected_payment(DUE, TODAY, history, **kwargs)
    assert (expected.day, expected.basis, expected.series) == (day, basis, series)
    assert not expected.late


def test_expected_payment_already_past_is_today_and_late():
    expected = expected_payment(date(2026, 10, 1), TODAY, History(paid=3, avg_days_late=D(5)))
    assert (expected.day, expected.basis, expected.late, expected.series) == (
        TODAY,
        "history",
        True,
        "late",
    )
    assert expected.usual_days_late == 5


def test_weekly_forecast_thirteen_weeks_from_monday():
    items = [
        (date(2026, 11, 20), "late", D(10)),  # before this week: this week
        (date(2026, 11, 29), "promise", D(5)),  # Sunday: this week
        (date(2026, 11, 30), "plan", D(7)),
        (date(2026, 11, 30), "plan", D(3)),
        (date(2027, 2, 21), "expected", D(1)),  # last day of week 13
        (date(2027, 2, 22), "expected", D(99)),  # week 14: left out
    ]
    weeks = weekly(items, TODAY)
    assert len(weeks) == 13
    assert weeks[0] == (date(2026, 11, 23), {"late": D(10), "promise": D(5)})
    assert weeks[1] == (date(2026, 11, 30), {"plan": D(10)})
    assert weeks[12] == (date(2027, 2, 15), {"expected": D(1)})
    assert weeks[5][1] == {}


ACME_USD, ACME_EUR, DECO_USD = ("acme", "USD"), ("acme", "EUR"), ("deco", "USD")


@pytest.mark.parametrize(
    "items, credits, left, used",
    [
        # no credit: every item stays
        (
            [(ACME_USD, date(2026, 12, 1), "expected", D(100))],
            {},
            [(date(2026, 12, 1), "expected", D(100))],
            D(0),
        ),
        # a credit larger than the debt: nothing is expected, the rest is not cash
        (
            [(DECO_USD, date(2026, 12, 1), "late", D(36512.50))],
            {DECO_USD: D(109162.50)},
            [],
            D(36512.50),
        ),
        # the earliest expected is offset first; another currency is not
        (
            [
                (ACME_USD, date(2026, 12, 20), "expected", D(300)),
                (ACME_USD, date(2026, 12, 5), "promise", D(100)),
                (ACME_EUR, date(2026, 12, 1), "late", D(50)),
            ],
            {ACME_USD: D(150)},
            [
                (date(2026, 12, 1), "late", D(50)),
                (date(2026, 12, 20), "expected", D(250)),
            ],
            D(150),
        ),
        # one customer's credit never offsets another's debt
        (
            [(ACME_USD, date(2026, 12, 1), "plan", D(80))],
            {DECO_USD: D(500)},
            [(date(2026, 12, 1), "plan", D(80))],
            D(0),
        ),
    ],
)
def test_credits_are_netted_per_customer_and_currency(items, credits, left, used):
    assert net_credits(items, credits) == (left, used)


# ---------------------------------------------------------------------------
# the tiers, month by month
# ---------------------------------------------------------------------------
TIER_MONTHS = [date(2026, 10, 1), date(2026, 11, 1), date(2026, 12, 1)]


@pytest.mark.parametrize(
    "requests, first_contact, medians, disputes, expected",
    [
        # nothing: zeros, and no share or median rather than a made-up 0
        ([], [], [], [], {"requests_self": 0, "fcr": None, "median_self": None}),
        (
            [(date(2026, 12, 1), "self", 4), (date(2026, 12, 1), "collector", 2)],
            [(date(2026, 12, 1), 4, 3)],
            [(date(2026, 12, 1), "self", 2.5)],
            [(date(2026, 12, 1), "opened", 2), (date(2026, 12, 1), "late", 1)],
            {
                "requests_self": 4,
                "requests_collector": 2,
                "fcr": Decimal("75.0"),
                "median_self": 2.5,
                "median_collector": None,
                "disputes_opened": 2,
                "disputes_late": 1,
                "disputes_resolved": 0,
            },
        ),
        # chats and page requests of a month add up; another month is not mixed in
        (
            [(date(2026, 12, 1), "self", 1), (date(2026, 12, 1), "self", 2)],
            [(date(2026, 12, 1), 1, 0), (date(2026, 12, 1), 2, 2), (date(2026, 11, 1), 5, 5)],
            [],
            [],
            {"requests_self": 3, "fcr_requests": 3, "fcr_resolved": 2, "fcr": Decimal("66.7")},
        ),
        # months outside the table and unknown tiers are ignored
        (
            [(date(2025, 1, 1), "self", 9), (date(2026, 12, 1), "robot", 9)],
            [],
            [(date(2026, 12, 1), "legal", None)],
            [(date(2026, 12, 1), "lost", 3)],
            {"requests_self": 0, "median_legal": None},
        ),
    ],
)
def test_tier_table(requests, first_contact, medians, disputes, expected):
    rows = tier_table(TIER_MONTHS, requests, first_contact, medians, disputes)
    assert [row["month"] for row in rows] == TIER_MONTHS
    last = rows[-1]
    for key, value in expected.items():
        assert last[key] == value, key


@given(
    st.lists(
        st.tuples(st.sampled_from(TIER_MONTHS), st.integers(0, 50), st.integers(0, 50)).map(
            lambda t: (t[0], max(t[1], t[2]), min(t[1], t[2]))
        ),
        max_size=10,
    )
)
def test_first_contact_share_is_a_share(first_contact):
    for row in tier_table(TIER_MONTHS, [], first_contact, [], []):
        if row["fcr"] is None:
            assert row["fcr_requests"] == 0
        else:
            assert 0 <= row["fcr"] <= 100
