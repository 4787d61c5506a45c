"""Time zones: the customer's own day and hour, from the IANA database."""

from datetime import date, datetime, time

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .types import EngineError


class ZoneError(EngineError):
    """An unknown time zone, or a time without one."""


def zone(name):
    """The ``ZoneInfo`` of ``name`` (UTC when empty)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as err:
        raise ZoneError("unknown_tz", tz=name) from err


def local_date(moment: datetime, tz: str) -> date:
    """The date it is at ``moment`` (aware) in the time zone ``tz``: an invoice is
    overdue when its due date is before the customer's own today (Auckland is
    a day ahead of UTC for half the day)."""
    if moment.tzinfo is None:
        raise ZoneError("naive_now")
    return moment.astimezone(zone(tz)).date()


def hour_of_day(hours):
    """An hour of the day kept as a number of hours (8.5) as a time (08:30);
    24 and more is the day's last minute."""
    minutes = round(hours * 60)
    return time(23, 59) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)


def hhmm(hours):
    """An hour of the day kept as a number of hours (14.5) as people write it
    ("14:30")."""
    return "%02d:%02d" % divmod(round((hours or 0) * 60), 60)
