from datetime import date, timedelta

import pytest
from engine.autopay import (
    DONE,
    FAILED,
    MAX_ATTEMPTS,
    PENDING,
    SENDING,
    Attempt,
    Charge,
    Installment,
    charges_due,
    confidence,
    given_up,
    in_hand,
    notices_due,
    outcome,
    schedule_key,
)
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 12, 7)
CONSENT = date(2026, 11, 1)


def inst(key, days, amount=50000):
    return Installment(key, TODAY + timedelta(days=days), amount)


@pytest.mark.parametrize(
    "attempts, expected",
    [
        # never charged: the first attempt, for what is still owed
        ([], [Charge("a", 1, 50000, TODAY)]),
        # sent, pending (a direct debit) or done: nothing more
        ([Attempt("a", 1, SENDING, TODAY)], []),
        ([Attempt("a", 1, PENDING, TODAY - timedelta(days=5))], []),
        ([Attempt("a", 1, DONE, TODAY)], []),
        # declined 2 days ago, retry after 3: not yet
        ([Attempt("a", 1, FAILED, TODAY - timedelta(days=2))], []),
        # declined 3 days ago: the one retry
        ([Attempt("a", 1, FAILED, TODAY - timedelta(days=3))], [Charge("a", 2, 50000, TODAY)]),
        # the retry failed too: no third attempt
        (
            [
                Attempt("a", 1, FAILED, TODAY - timedelta(days=6)),
                Attempt("a", 2, FAILED, TODAY - timedelta(days=3)),
            ],
            [],
        ),
    ],
)
def test_one_installment(attempts, expected):
    assert charges_due([inst("a", 0)], attempts, TODAY, CONSENT, 3) == expected


def test_what_is_charged_and_when():
    items = [
        inst("future", 1),
        inst("paid", -1, 0),
        inst("before_consent", -40),
        inst("late", -2, 12345),
        inst("today", 0),
    ]
    due = charges_due(items, [], TODAY, CONSENT, 3)
    # oldest first, only what is owed, never what was due before the consent
    assert [(c.key, c.amount) for c in due] == [("late", 12345), ("today", 50000)]


def test_given_up_and_in_hand():
    items = [inst("a", -6), inst("b", -1), inst("c", 5), inst("old", -60)]
    attempts = [
        Attempt("a", 1, FAILED, TODAY - timedelta(days=6)),
        Attempt("a", 2, FAILED, TODAY - timedelta(days=3)),
        Attempt("b", 1, FAILED, TODAY - timedelta(days=1)),
    ]
    assert given_up(attempts) == ["a"]
    # b waits for its retry, c for its day; a was given up; old predates consent
    assert in_hand(items, attempts, CONSENT) == {"b", "c"}


def test_notices():
    items = [inst("a", 2), inst("b", 3), inst("c", 0), inst("d", -1), inst("e", 1, 0)]
    assert [i.key for i in notices_due(items, TODAY, CONSENT, 2, set())] == ["c", "a"]
    assert [i.key for i in notices_due(items, TODAY, CONSENT, 2, {"a"})] == ["c"]
    with pytest.raises(ValueError):
        notices_due(items, TODAY, CONSENT, -1, set())


def test_outcome_and_key():
    assert [outcome(s) for s in ("draft", "pending", "authorized", "done", "cancel", "error")] == [
        SENDING,
        PENDING,
        PENDING,
        DONE,
        FAILED,
        FAILED,
    ]
    assert schedule_key([(TODAY, 5), (CONSENT, 7)]) == "2026-11-01:7;2026-12-07:5"
    assert schedule_key([(TODAY, 5)]) != schedule_key([(TODAY, 6)])


def test_confidence_is_measured():
    assert confidence([]) == 0.5
    assert confidence([DONE] * 8 + [FAILED] * 2 + [PENDING] * 5) == 9 / 12
    with pytest.raises(ValueError):
        charges_due([], [], TODAY, CONSENT, -1)


attempt_states = st.sampled_from([SENDING, PENDING, DONE, FAILED])


@given(
    st.lists(st.tuples(st.integers(-30, 30), st.integers(0, 10**7)), max_size=8),
    st.lists(st.tuples(st.integers(0, 7), st.integers(1, 3), attempt_states, st.integers(0, 9))),
    st.integers(0, 10),
)
def test_never_twice_never_more_than_owed(items, tries, retry_days):
    installments = [
        Installment(str(i), TODAY + timedelta(days=d), a) for i, (d, a) in enumerate(items)
    ]
    attempts = [
        Attempt(str(k), min(n, MAX_ATTEMPTS), state, TODAY - timedelta(days=ago))
        for k, n, state, ago in tries
    ]
    due = charges_due(installments, attempts, TODAY, CONSENT, retry_days)
    keys = [c.key for c in due]
    assert len(keys) == len(set(keys))
    owed = {i.key: i for i in installments}
    last = {}
    for a in attempts:
        last[a.key] = max(last.get(a.key, 0), a.attempt)
    for charge in due:
        assert 0 < charge.amount == owed[charge.key].open_amount
        assert owed[charge.key].due_date <= TODAY
        assert charge.attempt == last.get(charge.key, 0) + 1 <= MAX_ATTEMPTS
    # what was charged today is not charged again the same day
    again = attempts + [Attempt(c.key, c.attempt, SENDING, TODAY) for c in due]
    assert charges_due(installments, again, TODAY, CONSENT, retry_days) == []


def test_upcoming_charges():
    from engine.autopay import upcoming

    items = [inst("a", 0), inst("b", 30), inst("c", -3), inst("paid", 5, 0), inst("old", -60)]
    attempts = [
        Attempt("a", 1, FAILED, TODAY),
        Attempt("c", 1, FAILED, TODAY - timedelta(days=6)),
        Attempt("c", 2, FAILED, TODAY - timedelta(days=3)),
    ]
    # a declined today: its retry in 3 days comes first; c was given up
    assert [(d, i.key) for d, i in upcoming(items, attempts, CONSENT, 3)] == [
        (TODAY + timedelta(days=3), "a"),
        (TODAY + timedelta(days=30), "b"),
    ]
    pending = [Attempt("a", 1, PENDING, TODAY)]
    assert [i.key for __, i in upcoming(items, pending, CONSENT, 3)] == ["c", "b"]
