from datetime import UTC, datetime, timedelta

import pytest
from engine.slots import SlotError, WorkPeriod, find_slots, slot_problems
from engine.zones import ZoneError

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
OFFICE = [WorkPeriod(d, 8, 12) for d in range(5)] + [WorkPeriod(d, 13, 17) for d in range(5)]


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def slots_for(**kwargs):
    """find_slots with a Paris customer of a Brussels company, Monday 10:00 UTC."""
    params = {
        "now": utc(2026, 11, 23, 10, 0),
        "customer_tz": "Europe/Paris",
        "company_tz": "Europe/Brussels",
        "work_periods": OFFICE,
    }
    return find_slots(**(params | kwargs))


def starts(slots, attr="start"):
    return [getattr(s, attr).strftime("%a %Y-%m-%d %H:%M") for s in slots]


def test_mid_morning_weekday_with_more_than_24h_notice():
    # Monday 10:00 UTC; Paris is UTC+1 in November
    slots = slots_for()
    # Tuesday 11:00 Paris is exactly 24 h ahead: not *more* than 24 h
    assert starts(slots, "customer_start") == [
        "Wed 2026-11-25 09:30",
        "Wed 2026-11-25 10:00",
        "Wed 2026-11-25 10:30",
    ]
    assert starts(slots) == ["Wed 2026-11-25 08:30", "Wed 2026-11-25 09:00", "Wed 2026-11-25 09:30"]


def test_holidays_and_existing_meetings_are_avoided():
    holiday = (utc(2026, 11, 24, 23, 0), utc(2026, 11, 25, 23, 0))  # all Wednesday, Paris time
    meeting = (utc(2026, 11, 26, 8, 45), utc(2026, 11, 26, 9, 15))  # 09:45-10:15 in Paris
    slots = slots_for(holidays=[holiday], busy=[meeting])
    assert starts(slots, "customer_start") == [
        "Thu 2026-11-26 10:30",
        "Thu 2026-11-26 11:00",
        "Fri 2026-11-27 09:30",
    ]


def test_weekends_are_skipped():
    slots = slots_for(now=utc(2026, 11, 26, 12, 0), company_tz="Europe/Paris", count=1)
    assert starts(slots, "customer_start") == ["Mon 2026-11-30 09:30"]


def test_auckland_monday_morning_is_sunday_in_utc():
    nz_office = [WorkPeriod(d, 9, 17) for d in range(5)]
    slots = find_slots(
        now=utc(2026, 11, 27, 1, 0),
        customer_tz="Pacific/Auckland",
        company_tz="Pacific/Auckland",
        work_periods=nz_office,
        count=1,
    )
    assert starts(slots, "customer_start") == ["Mon 2026-11-30 09:30"]
    assert starts(slots) == ["Sun 2026-11-29 20:30"]  # NZDT is UTC+13


@pytest.mark.parametrize(
    "now, expected_utc",
    [
        # spring forward on Sunday 2026-03-08: 09:30 EST (14:30 UTC) then 09:30 EDT (13:30 UTC)
        (utc(2026, 3, 7, 12, 0), ["Sun 2026-03-08 13:30", "Mon 2026-03-09 13:30"]),
        # fall back on Sunday 2026-11-01: 09:30 EDT (13:30 UTC) then 09:30 EST (14:30 UTC)
        (utc(2026, 10, 31, 12, 0), ["Sun 2026-11-01 14:30", "Mon 2026-11-02 14:30"]),
    ],
)
def test_new_york_on_both_dst_switch_days(now, expected_utc):
    seven_days = [WorkPeriod(d, 9, 17) for d in range(7)]
    slots = find_slots(
        now=now,
        customer_tz="America/New_York",
        company_tz="America/New_York",
        work_periods=seven_days,
        weekdays=range(7),
        window=(9.5, 10.0),
        count=2,
    )
    assert starts(slots) == expected_utc
    assert [s.customer_start.strftime("%H:%M") for s in slots] == ["09:30", "09:30"]


def test_kolkata_half_hour_offset():
    slots = slots_for(customer_tz="Asia/Kolkata", window=(14.0, 16.0), count=2)
    # 14:00 IST = 08:30 UTC = 09:30 Brussels, on Wednesday (Tuesday is within 24 h)
    assert starts(slots, "customer_start") == ["Wed 2026-11-25 14:00", "Wed 2026-11-25 14:30"]
    assert starts(slots, "company_start") == ["Wed 2026-11-25 09:30", "Wed 2026-11-25 10:00"]


def test_window_never_meets_the_company_hours():
    # 09:30-11:30 in Kolkata is 05:00-07:00 in Brussels, before the office opens
    with pytest.raises((SlotError, ZoneError)) as err:
        find_slots(
            now=utc(2026, 11, 23, 10, 0),
            customer_tz="Asia/Kolkata",
            company_tz="Europe/Brussels",
            work_periods=OFFICE,
        )
    assert err.value.code == "no_overlap"


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"window": (11.5, 9.5)}, "window_end_before_start"),
        ({"window": (10.0, 10.0)}, "window_end_before_start"),
        ({"window": (-1.0, 10.0)}, "bad_hours"),
        ({"min_notice": timedelta(hours=-1)}, "negative_notice"),
        ({"customer_tz": "Mars/Olympus"}, "unknown_tz"),
        ({"now": datetime(2026, 11, 23, 10, 0)}, "naive_now"),
        ({"weekdays": ()}, "no_weekday"),
    ],
)
def test_bad_input(kwargs, code):
    with pytest.raises((SlotError, ZoneError)) as err:
        slots_for(**kwargs)
    assert err.value.code == code


def test_slot_problems_saturday_night():
    # Saturday 28 Nov 2026, 03:00 in Berlin: every rule is broken but the notice
    start = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
    problems = slot_problems(
        start,
        start + timedelta(minutes=30),
        now=NOW,
        customer_tz="Europe/Berlin",
        company_tz="Europe/Brussels",
        work_periods=OFFICE,
    )
    assert problems == ["weekday", "customer_hours", "company_hours"]


def test_slot_problems_a_proposed_slot_is_fine():
    slot = find_slots(
        now=NOW, customer_tz="Europe/Berlin", company_tz="Europe/Brussels", work_periods=OFFICE
    )[0]
    assert (
        slot_problems(
            slot.start,
            slot.end,
            now=NOW,
            customer_tz="Europe/Berlin",
            company_tz="Europe/Brussels",
            work_periods=OFFICE,
        )
        == []
    )


@pytest.mark.parametrize(
    "hours_ahead, expected",
    [(-1, ["past"]), (2, ["notice"])],
)
def test_slot_problems_notice(hours_ahead, expected):
    # a Tuesday at 10:00 Berlin, seen from shortly before
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    now = start - timedelta(hours=hours_ahead)
    problems = slot_problems(
        start,
        start + timedelta(minutes=30),
        now=now,
        customer_tz="Europe/Berlin",
        company_tz="Europe/Berlin",
        work_periods=OFFICE,
    )
    assert problems == expected


def test_slot_problems_holiday_and_busy():
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    hour = (start - timedelta(minutes=15), start + timedelta(minutes=15))
    problems = slot_problems(
        start,
        start + timedelta(minutes=30),
        now=NOW,
        customer_tz="Europe/Berlin",
        company_tz="Europe/Berlin",
        work_periods=OFFICE,
        holidays=[hour],
        busy=[hour],
    )
    assert problems == ["holiday", "busy"]
