"""Whether a customer's new sales wait: the credit hold, from what the
follow-up knows of the customer (no ``odoo`` import).

A customer is on *hold* (new orders are not confirmed), on *warning* (the
salesperson is told) or neither. Each trigger's strength is chosen on the
follow-up policy; the strongest wins and every trigger at that strength is a
reason. What releases each trigger is the same fact turning false: the
overdue balance within the tolerance (the ladder's levels, broken promises and
plans count only while something is overdue beyond it), the legal case closed,
the balance back under the credit limit."""

from dataclasses import dataclass

NONE, WARNING, HOLD = "none", "warning", "hold"
EFFECTS = (NONE, WARNING, HOLD)
RANK = {effect: rank for rank, effect in enumerate(EFFECTS)}
# the reasons, in the order they are said
REASONS = ("legal", "level", "promise", "plan", "credit_limit")


@dataclass(frozen=True)
class HoldFacts:
    """One customer in one company. Amounts in minor units of the company's
    currency; ``overdue``: what the follow-up demands now (overdue, not in a
    running plan, not on hold, not under dispute)."""

    overdue: int = 0
    tolerance: int = 0
    level_effect: str = NONE  # the strongest effect of the levels reached
    broken_promise: bool = False  # a broken promise whose invoices are still open
    broken_plan: bool = False  # a broken plan whose invoices are still open
    legal_case: bool = False  # an open legal case
    over_credit_limit: bool = False  # Odoo's credit limit, when the company uses it


@dataclass(frozen=True)
class HoldRules:
    """The policy's choice for each trigger (``NONE``, ``WARNING``, ``HOLD``);
    the levels carry their own."""

    promise: str = HOLD
    plan: str = HOLD
    legal: str = HOLD
    credit_limit: str = WARNING


def hold_state(facts, rules=HoldRules()):
    """(state, reasons): the strongest effect of the triggers that hold, and
    the reasons at that strength (codes of ``REASONS``, in that order)."""
    overdue = facts.overdue > facts.tolerance
    triggered = {
        "legal": rules.legal if facts.legal_case else NONE,
        "level": facts.level_effect if overdue else NONE,
        "promise": rules.promise if overdue and facts.broken_promise else NONE,
        "plan": rules.plan if overdue and facts.broken_plan else NONE,
        "credit_limit": rules.credit_limit if facts.over_credit_limit else NONE,
    }
    for effect in triggered.values():
        if effect not in RANK:
            raise ValueError(f"unknown effect {effect!r}")
    state = max(triggered.values(), key=RANK.__getitem__)
    if state == NONE:
        return NONE, ()
    return state, tuple(code for code in REASONS if triggered[code] == state)


def released(before, after):
    """Whether a customer's hold lifted (a warning left or nothing)."""
    return before == HOLD and after != HOLD
