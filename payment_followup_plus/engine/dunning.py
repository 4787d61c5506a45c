"""Dunning ladder validation and the per-customer decision.

The ladder is climbed one step at a time. Each invoice keeps the level of the
last reminder actually *delivered* for it (sent, printed or held as a
conversation); the next reminder takes it one rung further, and only when its
age has reached that rung: the age of the debt is a ceiling, never a reason to
skip. The customer gets one reminder, at the highest rung one of its invoices
reaches, listing every eligible invoice so none is hidden.
"""

from collections.abc import Sequence
from datetime import date, timedelta

from .types import (
    Decision,
    EngineError,
    InvoiceDecision,
    InvoiceFacts,
    LevelSpec,
    Mode,
    PartnerFacts,
    Section,
    Severity,
    SkipReason,
)


class LadderError(EngineError):
    """A ladder that cannot be used."""


def _ordered(levels):
    return sorted(levels, key=lambda lvl: lvl.days)


def validate_ladder(levels: Sequence[LevelSpec]):
    """Raise :class:`LadderError` unless ``levels`` form a usable ladder.

    A usable ladder has distinct days, at least one action on every level, tiers
    that never go backwards as the days grow, courtesy wording exactly on the
    levels before the due date (it says "due shortly"; the others say "overdue"),
    and a firm level before any final notice.
    """
    ordered = _ordered(levels)
    seen = set()
    for level in ordered:
        if level.days in seen:
            raise LadderError("duplicate_days", days=level.days)
        seen.add(level.days)
        if not level.has_action:
            raise LadderError("no_action", days=level.days)
        if level.tier not in (1, 2, 3, 4):
            raise LadderError("bad_tier", days=level.days, tier=level.tier)
        if level.before_due != (level.severity == Severity.COURTESY):
            raise LadderError("courtesy_before_due", days=level.days, severity=str(level.severity))
        if level.response_days < 0:
            raise LadderError("negative_response_days", days=level.days)
    for previous, level in zip(ordered, ordered[1:], strict=False):
        if level.tier < previous.tier:
            raise LadderError(
                "tier_backwards",
                days=level.days,
                tier=level.tier,
                previous_days=previous.days,
                previous_tier=previous.tier,
            )
    for index, level in enumerate(ordered):
        if level.severity == Severity.FINAL:
            if not any(lvl.severity == Severity.FIRM for lvl in ordered[:index]):
                raise LadderError("final_without_firm", days=level.days)
            break


def selection_horizon(levels: Sequence[LevelSpec], today: date) -> date | None:
    """Latest due date an invoice may have to be listed in a reminder today."""
    days = [lvl.days for lvl in levels]
    if not days:
        return None
    return today - timedelta(days=min(min(days), 1))


def level_for_age(levels: Sequence[LevelSpec], days_late: int) -> LevelSpec | None:
    """The highest level whose day offset is reached by an invoice ``days_late``."""
    reached = None
    for level in _ordered(levels):
        if level.days <= days_late:
            reached = level
    return reached


def _candidates(ladder, age, ceiling=True):
    """The levels of an invoice's kind (before the due date, or overdue), in
    ladder order; ``ceiling``: only those its age has reached."""
    overdue = age >= 1
    return [lvl for lvl in ladder if lvl.before_due != overdue and (not ceiling or lvl.days <= age)]


def _first_step(candidates, start_at_age):
    """The first level of a cycle: the first that applies, or (``start_at_age``,
    for migrations) the highest the age reaches, short of a final notice."""
    if not candidates:
        return None
    if not start_at_age:
        return candidates[0]
    allowed = [lvl for lvl in candidates if lvl.severity != Severity.FINAL]
    return allowed[-1] if allowed else None


def invoice_target(inv, ladder, today, *, mode=Mode.RUN, start_at_age=False, repeat=False):
    """The level one invoice reaches by the next reminder, or None.

    ``repeat`` re-sends the level reached when there is nothing new (a manager's
    override of "Send reminder now").
    """
    age = inv.age(today)
    overdue = age >= 1
    current = {lvl.id: lvl for lvl in ladder}.get(inv.level_id)
    if mode == Mode.ESCALATE:
        # an accountant's decision: one step further, whatever the age says
        if not overdue:
            return None
        candidates = _candidates(ladder, age, ceiling=False)
    else:
        candidates = _candidates(ladder, age)
    if current is None or current.before_due == overdue:
        # no reminder of this kind yet (or only a courtesy one before the due
        # date): the cycle starts at its first level
        return _first_step(candidates, start_at_age and mode == Mode.RUN)
    if inv.remind:
        return current
    later = [lvl for lvl in candidates if lvl.days > current.days]
    if later:
        return later[0]
    return current if repeat else None


def decide(
    partner: PartnerFacts,
    invoices: Sequence[InvoiceFacts],
    levels: Sequence[LevelSpec],
    *,
    min_gap_days: int = 0,
    tolerance: int = 0,
    start_at_age: bool = False,
    mode: Mode = Mode.RUN,
    override: bool = False,
) -> Decision:
    """Decide what to do today for one customer.

    - invoices on hold, or whose residual (minor units) is at most ``tolerance``,
      are left out;
    - every overdue invoice, and every invoice due soon enough to reach a
      courtesy level, is listed; each reaches the level :func:`invoice_target`
      says; the reminder is at the highest of them, and the invoices at that
      level are its main section;
    - hardship and a pause hold the customer back; so do a reminder still waiting
      for review or printing, and a contact less than the minimum gap (or the
      days the last reminder gave to respond) ago, unless a manager overrides
      (``override``, which also re-sends the level reached when nothing is new);
    - the daily run sends nothing while credits in the customer's favour (above
      ``tolerance``) are not applied: the demand would ask for more than is
      owed. A person applies them, or sends the reminder anyway;
    - nor while the customer's reply to a reminder pauses it (``replied_until``):
      a person reads it first, and may still send.
    """
    today = partner.today
    ladder = _ordered(levels)
    position = {lvl.id: index for index, lvl in enumerate(ladder)}
    listed = []
    waiting = []  # what the invoices with a payment on its way would have reached
    for inv in sorted(invoices, key=lambda i: (i.due_date, i.id)):
        if inv.residual <= tolerance or inv.held(today):
            continue
        age = inv.age(today)
        if age < 1 and not _candidates(ladder, age):
            continue  # not due soon enough to be mentioned
        target = invoice_target(
            inv, ladder, today, mode=mode, start_at_age=start_at_age, repeat=override
        )
        if inv.on_its_way:
            # thanked in the reminder, never demanded, and its level stays
            waiting += [target] if target else []
            target = None
        listed.append((inv, target))
    if not listed:
        return Decision(partner.id, skip=SkipReason.NO_INVOICE)
    targets = [target for _inv, target in listed if target]
    if not targets:
        return Decision(
            partner.id,
            level=max(waiting, key=lambda lvl: position[lvl.id]) if waiting else None,
            invoices=tuple(InvoiceDecision(inv.id, _section(inv, today)) for inv, _t in listed),
            skip=SkipReason.ON_ITS_WAY if waiting else SkipReason.NOTHING_NEW,
        )
    level = max(targets, key=lambda lvl: position[lvl.id])
    # a final notice demands only the invoices that reached it: the others are
    # listed for information, and keep their own step for their next reminder
    informs = level.severity == Severity.FINAL
    lines = tuple(
        InvoiceDecision(
            inv.id,
            Section.MAIN if target == level else _section(inv, today),
            target if target == level or not informs else None,
        )
        for inv, target in listed
    )
    history = [
        inv.last_reminded
        for inv, target in listed
        if target == level and inv.level_id is not None and inv.last_reminded
    ]
    decision = Decision(
        partner.id,
        level=level,
        invoices=lines,
        previous_date=max(history) if history else None,
    )
    # a broken promise replaced the time the last reminder gave: only the gap
    broken_promise = any(inv.remind for inv, target in listed if target == level)
    skip, wait_until = _held_back(partner, today, min_gap_days, override, broken_promise, mode)
    if not skip and level.id in partner.refused and not override:
        skip = SkipReason.REFUSED
    if not skip and mode == Mode.RUN and partner.credit > tolerance:
        skip = SkipReason.CREDITS
    if not skip and mode == Mode.RUN and partner.statements_stale and _past_first(ladder, level):
        skip = SkipReason.STALE_STATEMENTS
    if skip:
        decision = Decision(
            partner.id,
            level=level,
            invoices=tuple(InvoiceDecision(line.id, line.section) for line in lines),
            skip=skip,
            previous_date=decision.previous_date,
            wait_until=wait_until,
        )
    return decision


def _section(inv, today):
    if inv.on_its_way:
        return Section.ON_ITS_WAY
    return Section.OVERDUE if inv.age(today) >= 1 else Section.DUE_SOON


def _past_first(ladder, level):
    """Whether ``level`` is past the ladder's first level for overdue
    invoices (a courtesy reminder and the first reminder still go out)."""
    overdue = [lvl for lvl in ladder if not lvl.before_due]
    return bool(overdue) and level.days > overdue[0].days


def _held_back(partner, today, min_gap_days, override, gap_only=False, mode=Mode.RUN):
    """Why the customer gets nothing today, and until when (for the gap and
    a reply's pause). ``gap_only``: the days the last reminder gave do not
    count (a promise replaced them)."""
    if partner.hardship:
        return SkipReason.HARDSHIP, None
    if partner.paused_until and partner.paused_until >= today:
        return SkipReason.PAUSED, None
    if mode == Mode.RUN and partner.replied_until and partner.replied_until >= today:
        return SkipReason.REPLIED, partner.replied_until + timedelta(days=1)
    # a reminder still waiting for review or printing is approved, rejected or
    # refreshed: an override never puts a second one beside it
    if partner.pending:
        return SkipReason.PENDING, None
    if override:
        return None, None
    wait_until = (
        partner.last_contact + timedelta(days=min_gap_days)
        if gap_only and partner.last_contact
        else partner.wait_until(min_gap_days)
    )
    if wait_until and today < wait_until:
        return SkipReason.MIN_GAP, wait_until
    return None, None


def next_action_date(
    levels: Sequence[LevelSpec],
    due_date: date,
    level_id: int | None,
    *,
    today: date | None = None,
    last_reminded: date | None = None,
    min_gap_days: int = 0,
    hold_until: date | None = None,
    paused_until: date | None = None,
):
    """When an invoice is next followed up (None past the last level).

    The next rung's day (a courtesy rung whose day has passed by ``today`` is
    skipped), but never before the gap after its last reminder, the end of a
    hold on it or the end of a pause of its customer.
    """
    ladder = _ordered(levels)
    current = {lvl.id: lvl for lvl in ladder}.get(level_id)
    upcoming = [
        lvl
        for lvl in ladder
        if (current is None or lvl.days > current.days)
        and not (lvl.before_due and today and due_date + timedelta(days=lvl.days) < today)
    ]
    if not upcoming:
        return None
    moment = due_date + timedelta(days=upcoming[0].days)
    if last_reminded and current is not None:
        wait = max(min_gap_days, current.response_days)
        moment = max(moment, last_reminded + timedelta(days=wait))
    for end in (hold_until, paused_until):
        if end:
            moment = max(moment, end + timedelta(days=1))
    return moment
