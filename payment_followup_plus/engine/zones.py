"""Time zones: the customer's own day and hour, from the IANA database."""

from datetime import date, datetime

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
