"""Follow-up call slots: weekday mid-mornings in the customer's time zone.

All datetimes handed in and out are timezone-aware; the function never reads a
clock. Time zones come from the IANA database (``zoneinfo``), so daylight-saving
switches are handled by converting each local wall-clock time on its own day.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from .types import EngineError
from .zones import zone

DEFAULT_WINDOW = (9.5, 11.5)  # 09:30-11:30, customer's local time
WEEKDAYS = (0, 1, 2, 3, 4)


class SlotError(EngineError):
    """Bad input for the slot finder, or no possible slot."""


@dataclass(frozen=True)
class WorkPeriod:
    """One working period of the company's calendar, in the company's time zone."""

    weekday: int  # 0 = Monday
    hour_from: float
    hour_to: float


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime  # UTC
    customer_start: datetime  # in the customer's time zone
    company_start: datetime  # in the company's time zone


def _at(day: date, hour: float, tz) -> datetime:
    minutes = round(hour * 60)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)


def _overlaps(start, end, intervals):
    return any(start < i_end and i_start < end for i_start, i_end in intervals)


def _within_work(start, end, company_tz, periods):
    local_start = start.astimezone(company_tz)
    local_end = end.astimezone(company_tz)
    if local_start.date() != local_end.date():
        return False
    day = local_start.date()
    for period in periods:
        if period.weekday != day.weekday():
            continue
        if _at(day, period.hour_from, company_tz) <= local_start and local_end <= _at(
            day, period.hour_to, company_tz
        ):
            return True
    return False


def validate_window(hour_from, hour_to, min_notice):
    if not (0 <= hour_from < 24 and 0 < hour_to <= 24):
        raise SlotError("bad_hours", hour_from=hour_from, hour_to=hour_to)
    if hour_to <= hour_from:
        raise SlotError("window_end_before_start", hour_from=hour_from, hour_to=hour_to)
    if min_notice < timedelta(0):
        raise SlotError("negative_notice", notice=min_notice)


def find_slots(
    *,
    now: datetime,
    customer_tz: str,
    company_tz: str,
    work_periods: Sequence[WorkPeriod],
    window: tuple[float, float] = DEFAULT_WINDOW,
    weekdays: Iterable[int] = WEEKDAYS,
    holidays: Sequence[tuple[datetime, datetime]] = (),
    busy: Sequence[tuple[datetime, datetime]] = (),
    min_notice: timedelta = timedelta(hours=24),
    duration: timedelta = timedelta(minutes=30),
    step: timedelta = timedelta(minutes=30),
    count: int = 3,
    horizon_days: int = 28,
) -> list[Slot]:
    """The first ``count`` slots, earliest first, that are:

    - on one of ``weekdays`` and inside ``window`` in the customer's local time;
    - inside a working period of the company (its own time zone);
    - clear of public holidays / leaves and of the responsible's ``busy`` events;
    - more than ``min_notice`` after ``now``.

    Raises :class:`SlotError` for bad input, or ``no_overlap`` when the customer's
    window never meets the company's working hours.
    """
    if now.tzinfo is None:
        raise SlotError("naive_now")
    validate_window(window[0], window[1], min_notice)
    cust_tz, comp_tz = zone(customer_tz), zone(company_tz)
    weekdays = set(weekdays)
    if not weekdays:
        raise SlotError("no_weekday")
    earliest = now + min_notice
    first_day = now.astimezone(cust_tz).date()
    slots, any_overlap = [], False
    for offset in range(horizon_days + 1):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        start = _at(day, window[0], cust_tz).astimezone(UTC)
        window_end = _at(day, window[1], cust_tz).astimezone(UTC)
        while start + duration <= window_end:
            end = start + duration
            if _within_work(start, end, comp_tz, work_periods):
                any_overlap = True
                if (
                    start > earliest
                    and not _overlaps(start, end, holidays)
                    and not _overlaps(start, end, busy)
                ):
                    slots.append(
                        Slot(start, end, start.astimezone(cust_tz), start.astimezone(comp_tz))
                    )
                    if len(slots) == count:
                        return slots
            start += step
    if not any_overlap:
        raise SlotError("no_overlap", customer_tz=customer_tz, company_tz=company_tz)
    return slots


def slot_problems(
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    customer_tz: str,
    company_tz: str,
    work_periods: Sequence[WorkPeriod],
    window: tuple[float, float] = DEFAULT_WINDOW,
    weekdays: Iterable[int] = WEEKDAYS,
    holidays: Sequence[tuple[datetime, datetime]] = (),
    busy: Sequence[tuple[datetime, datetime]] = (),
    min_notice: timedelta = timedelta(hours=24),
) -> list[str]:
    """Why a call from ``start`` to ``end`` (aware) is not a convenient time,
    checked like a slot :func:`find_slots` would propose. Codes, in this order:
    ``past``, ``notice``, ``weekday``, ``customer_hours``, ``company_hours``,
    ``holiday``, ``busy``. An empty list: the time is fine."""
    if now.tzinfo is None or start.tzinfo is None or end.tzinfo is None:
        raise SlotError("naive_now")
    validate_window(window[0], window[1], min_notice)
    cust_tz, comp_tz = zone(customer_tz), zone(company_tz)
    problems = []
    if start <= now:
        problems.append("past")
    elif start <= now + min_notice:
        problems.append("notice")
    local = start.astimezone(cust_tz)
    if local.weekday() not in set(weekdays):
        problems.append("weekday")
    day = local.date()
    if not (_at(day, window[0], cust_tz) <= start and end <= _at(day, window[1], cust_tz)):
        problems.append("customer_hours")
    if not _within_work(start, end, comp_tz, work_periods):
        problems.append("company_hours")
    if _overlaps(start, end, holidays):
        problems.append("holiday")
    if _overlaps(start, end, busy):
        problems.append("busy")
    return problems
