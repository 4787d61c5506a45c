"""Dunning ladder validation and the per-customer level decision."""

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .types import (
    Decision,
    EngineError,
    InvoiceFacts,
    LevelSpec,
    PartnerFacts,
    SkipReason,
)


class LadderError(EngineError):
    """A ladder that cannot be used."""


def validate_ladder(levels: Sequence[LevelSpec]):
    """Raise :class:`LadderError` unless ``levels`` form a usable ladder.

    A usable ladder has distinct days, at least one action on every level, and
    tiers that never go backwards as the days grow.
    """
    ordered = sorted(levels, key=lambda lvl: lvl.days)
    seen = {}
    for level in ordered:
        if level.days in seen:
            raise LadderError("duplicate_days", days=level.days)
        seen[level.days] = level
        if not level.has_action:
            raise LadderError("no_action", days=level.days)
        if level.tier not in (1, 2, 3, 4):
            raise LadderError("bad_tier", days=level.days, tier=level.tier)
    for previous, level in zip(ordered, ordered[1:], strict=False):
        if level.tier < previous.tier:
            raise LadderError(
                "tier_backwards",
                days=level.days,
                tier=level.tier,
                previous_days=previous.days,
                previous_tier=previous.tier,
            )


def selection_horizon(levels: Iterable[LevelSpec], today: date) -> date | None:
    """Latest due date an invoice may have to reach some level today."""
    days = [lvl.days for lvl in levels]
    if not days:
        return None
    return today - timedelta(days=min(days))


def level_for_age(levels: Sequence[LevelSpec], days_late: int) -> LevelSpec | None:
    """The highest level whose day offset is reached by an invoice ``days_late``."""
    reached = None
    for level in sorted(levels, key=lambda lvl: lvl.days):
        if level.days <= days_late:
            reached = level
    return reached


def decide(
    partner: PartnerFacts,
    invoices: Sequence[InvoiceFacts],
    levels: Sequence[LevelSpec],
    today: date,
    *,
    min_gap_days: int = 0,
    tolerance: float = 0.0,
    force: bool = False,
) -> Decision:
    """Decide what to do today for one customer.

    - invoices on hold, or whose residual is at most ``tolerance``, are ignored;
    - an invoice whose age reaches a level it has not reached yet is *new*; the
      customer is reminded at the highest new level, and the reminder lists all
      the customer's eligible invoices (so no overdue invoice is hidden); an
      invoice flagged ``remind`` counts as new at the level it has reached;
    - hardship, a pause, or a contact closer than ``min_gap_days`` to the last
      one hold the customer back (``skip``; ``level`` then says what was due);
      ``force`` ignores the gap and re-sends the level already reached, for
      "Send reminder now".
    """
    decision = Decision(partner_id=partner.id)
    eligible = [
        inv
        for inv in invoices
        if inv.residual > tolerance and not (inv.hold_until and inv.hold_until >= today)
    ]
    best = None
    for inv in sorted(eligible, key=lambda i: (i.due_date, i.id)):
        target = level_for_age(levels, (today - inv.due_date).days)
        if target is None:
            continue
        decision.invoice_ids.append(inv.id)
        is_new = inv.level_days is None or target.days > inv.level_days or inv.remind
        if is_new:
            decision.invoice_levels[inv.id] = target
        if (is_new or force) and (best is None or target.days > best.days):
            best = target
    if best is None:
        decision.skip = SkipReason.NOTHING_NEW if decision.invoice_ids else SkipReason.NO_INVOICE
        return decision
    # something is due: say why it is held back, if it is (the level is kept
    # on the decision so the block can be recorded, but nothing acts on it)
    decision.level = best
    if partner.hardship:
        decision.skip = SkipReason.HARDSHIP
    elif partner.paused_until and partner.paused_until >= today:
        decision.skip = SkipReason.PAUSED
    elif (
        not force
        and min_gap_days
        and partner.last_contact
        and (today - partner.last_contact).days < min_gap_days
    ):
        decision.skip = SkipReason.MIN_GAP
    if decision.skip:
        decision.invoice_levels = {}
    return decision


def next_level(levels: Sequence[LevelSpec], current: LevelSpec | None) -> LevelSpec | None:
    """The first level of a higher tier than ``current`` (escalation)."""
    ordered = sorted(levels, key=lambda lvl: lvl.days)
    if current is None:
        return ordered[0] if ordered else None
    for level in ordered:
        if level.days > current.days and level.tier > current.tier:
            return level
    return None


def escalation_target(
    levels: Sequence[LevelSpec], current: LevelSpec | None, days_late: int | None = None
) -> LevelSpec | None:
    """Where "escalate" takes a customer.

    Without ``days_late``: the first level of the next tier (:func:`next_level`).
    With the oldest invoice's ``days_late`` (an arrangement was broken): one tier
    above the higher of ``current`` and the level that age reaches, or that
    level itself when there is no higher tier.
    """
    if days_late is None:
        return next_level(levels, current)
    reached = level_for_age(levels, days_late)
    base = max((lvl for lvl in (current, reached) if lvl), key=lambda lvl: lvl.days, default=None)
    return next_level(levels, base) or base


def next_action_date(levels: Sequence[LevelSpec], due_date: date, level_days: int | None):
    """When an invoice reaches its next level (None past the last one)."""
    for level in sorted(levels, key=lambda lvl: lvl.days):
        if level_days is None or level.days > level_days:
            return due_date + timedelta(days=level.days)
    return None
