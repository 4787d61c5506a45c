"""Contact guardrails: quiet hours in the customer's time zone and contact caps."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from .types import EngineError
from .zones import zone


class GuardrailError(EngineError):
    """Bad input for the contact guardrails."""


QUIET_END = time(8, 0)  # contacts allowed from 08:00 ...
QUIET_START = time(21, 0)  # ... until 21:00, customer's local time


def next_allowed_moment(now: datetime, tz: str, allowed_from=QUIET_END, allowed_until=QUIET_START):
    """``now`` if it falls inside the allowed hours of ``tz``, else the next start
    of allowed hours (UTC). Never reads a clock; ``now`` must be aware."""
    if now.tzinfo is None:
        raise GuardrailError("naive_now")
    if allowed_until <= allowed_from:
        raise GuardrailError(
            "window_end_before_start", hour_from=allowed_from, hour_to=allowed_until
        )
    local_tz = zone(tz)
    local = now.astimezone(local_tz)
    if allowed_from <= local.time() < allowed_until:
        return now.astimezone(UTC)
    day = local.date() if local.time() < allowed_from else local.date() + timedelta(days=1)
    return datetime.combine(day, allowed_from, tzinfo=local_tz).astimezone(UTC)


@dataclass(frozen=True)
class CapDecision:
    allowed: bool
    reason: str | None = None  # "cap" or "after_conversation"
    next_allowed: datetime | None = None


def call_attempt_allowed(
    now: datetime,
    attempts: Sequence[datetime],
    conversations: Sequence[datetime],
    *,
    max_attempts: int = 7,
    window: timedelta = timedelta(days=7),
    quiet_after_conversation: timedelta = timedelta(days=7),
) -> CapDecision:
    """Whether one more call attempt may be made now.

    At most ``max_attempts`` attempts in any rolling ``window``, and none within
    ``quiet_after_conversation`` after a conversation took place.
    """
    if max_attempts < 1 or window <= timedelta(0) or quiet_after_conversation < timedelta(0):
        raise GuardrailError("bad_cap", max_attempts=max_attempts)
    past_talks = [c for c in conversations if c <= now]
    if past_talks:
        resume = max(past_talks) + quiet_after_conversation
        if now < resume:
            return CapDecision(False, "after_conversation", resume)
    recent = sorted(a for a in attempts if now - window < a <= now)
    if len(recent) >= max_attempts:
        # the oldest attempt that keeps the count at the cap leaves the window first
        return CapDecision(False, "cap", recent[len(recent) - max_attempts] + window)
    return CapDecision(True)
