from datetime import UTC, datetime, time, timedelta

import pytest
from engine.guardrails import GuardrailError, call_attempt_allowed, next_allowed_moment
from engine.zones import ZoneError, hhmm, hour_of_day


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    "now, tz, expected",
    [
        # 12:00 in New York (EST, UTC-5): allowed now
        (utc(2026, 11, 24, 17, 0), "America/New_York", utc(2026, 11, 24, 17, 0)),
        # 22:00 in New York: next day 08:00 local
        (utc(2026, 11, 25, 3, 0), "America/New_York", utc(2026, 11, 25, 13, 0)),
        # 06:00 in New York: 08:00 the same day
        (utc(2026, 11, 24, 11, 0), "America/New_York", utc(2026, 11, 24, 13, 0)),
        # 21:00 sharp is already quiet
        (utc(2026, 11, 25, 2, 0), "America/New_York", utc(2026, 11, 25, 13, 0)),
        # 10:00 UTC is 23:00 in Auckland (NZDT): next morning there
        (utc(2026, 11, 24, 10, 0), "Pacific/Auckland", utc(2026, 11, 24, 19, 0)),
        # 03:00 UTC is 08:30 in Kolkata: allowed
        (utc(2026, 11, 24, 3, 0), "Asia/Kolkata", utc(2026, 11, 24, 3, 0)),
        # the night before spring forward in New York: 08:00 EDT is 12:00 UTC
        (utc(2026, 3, 8, 5, 0), "America/New_York", utc(2026, 3, 8, 12, 0)),
    ],
)
def test_quiet_hours(now, tz, expected):
    assert next_allowed_moment(now, tz) == expected


def test_quiet_hours_bad_input():
    with pytest.raises(GuardrailError):
        next_allowed_moment(datetime(2026, 11, 24, 12), "Europe/Paris")
    with pytest.raises(ZoneError):
        next_allowed_moment(utc(2026, 11, 24, 12), "Nowhere/Land")


NOW = utc(2026, 11, 24, 12, 0)


@pytest.mark.parametrize(
    "attempts, conversations, allowed, reason, next_allowed",
    [
        ([], [], True, None, None),
        ([NOW - timedelta(days=d) for d in range(6)], [], True, None, None),
        # seven attempts within the last 7 days: wait until the oldest leaves the window
        (
            [NOW - timedelta(hours=12 * i + 1) for i in range(7)],
            [],
            False,
            "cap",
            NOW - timedelta(hours=73) + timedelta(days=7),
        ),
        # attempts older than the window do not count
        ([NOW - timedelta(days=8 + i) for i in range(10)], [], True, None, None),
        # a conversation 3 days ago: no new attempt for 7 days after it
        ([], [NOW - timedelta(days=3)], False, "after_conversation", NOW + timedelta(days=4)),
        ([], [NOW - timedelta(days=8)], True, None, None),
    ],
)
def test_call_cap(attempts, conversations, allowed, reason, next_allowed):
    decision = call_attempt_allowed(NOW, attempts, conversations)
    assert (decision.allowed, decision.reason, decision.next_allowed) == (
        allowed,
        reason,
        next_allowed,
    )


def test_call_cap_bad_input():
    with pytest.raises(GuardrailError):
        call_attempt_allowed(NOW, [], [], max_attempts=0)


@pytest.mark.parametrize(
    "hours, clock, text",
    [
        (8.5, time(8, 30), "08:30"),
        (9.999, time(10, 0), "10:00"),
        (0, time(0, 0), "00:00"),
        (23.99, time(23, 59), "23:59"),
        (24, time(23, 59), "24:00"),
    ],
)
def test_an_hour_kept_as_a_number_reads_as_a_time(hours, clock, text):
    assert hour_of_day(hours) == clock
    assert hhmm(hours) == text
