"""How a partial payment is shared among the customer's open debts.

Two rules, per company and jurisdiction:

- ``OLDEST`` (the default): the debts the customer named (ticked) first, then
  the others, the oldest due first;
- ``BGB`` (Germany's civil code, §366 and §367): the debts the customer named
  first; then, without a designation, the debt that is due before one that is
  not, among those the one that offers the creditor less security, then the
  one more burdensome for the debtor (the higher interest it bears), then the
  older one, and at equal rank in proportion to what each owes (§366 (2));
  within each debt, costs before interest before principal (§367 (1)).

Amounts are integer minor units; the shares always add up to the payment (never
more than is owed in all) and never exceed a debt or one of its parts."""

from dataclasses import dataclass
from datetime import date

OLDEST, BGB = "oldest", "bgb"
RULES = (OLDEST, BGB)
COSTS, INTEREST, PRINCIPAL = "costs", "interest", "principal"
PARTS = (COSTS, INTEREST, PRINCIPAL)  # §367: in this order


class AllocationError(ValueError):
    """Bad input for an allocation (a programming error, not a customer's)."""


@dataclass(frozen=True)
class Debt:
    id: int
    due_date: date
    open: int  # still owed in all
    costs: int = 0  # of which costs (charges, compensation)
    interest: int = 0  # of which interest
    secured: bool = False  # the creditor holds a security for it
    rate: int = 0  # the interest it bears (basis points): the more, the more burdensome
    arose: date | None = None  # when it arose (the invoice date)
    chosen: bool = False  # the customer named it

    @property
    def principal(self):
        return self.open - self.costs - self.interest


@dataclass(frozen=True)
class Share:
    debt_id: int
    part: str  # COSTS | INTEREST | PRINCIPAL
    amount: int


def _check(amount, debts):
    if amount < 0:
        raise AllocationError("a payment cannot be negative")
    for debt in debts:
        if min(debt.open, debt.costs, debt.interest, debt.principal) < 0:
            raise AllocationError("debt %s: parts must be positive and within it" % debt.id)


def _within(debt, amount):
    """§367: costs, then interest, then principal."""
    shares = []
    for part in PARTS:
        take = min(amount, getattr(debt, part))
        if take > 0:
            shares.append(Share(debt.id, part, take))
            amount -= take
    return shares


def _proportional(amount, debts):
    """``amount`` (less than they owe together) shared in proportion to what
    each owes; the cents left by rounding down go to the largest remainders
    (then the lowest id), so the shares add up exactly."""
    total = sum(d.open for d in debts)
    exact = [(amount * d.open, d) for d in debts]
    base = {d.id: num // total for num, d in exact}
    left = amount - sum(base.values())
    for __, d in sorted(exact, key=lambda pair: (-(pair[0] % total), pair[1].id))[:left]:
        base[d.id] += 1
    return base


def _rank(debt, today):
    """§366 (2): due first, less secured, more burdensome, older."""
    return (
        debt.due_date > today,
        debt.secured,
        -debt.rate,
        debt.arose or debt.due_date,
    )


def allocate(amount, debts, today, rule=OLDEST):
    """[Share] of ``amount`` among ``debts`` under ``rule``; the payment's
    share beyond what is owed in all is not allocated (the caller refuses it)."""
    if rule not in RULES:
        raise AllocationError("unknown rule %r" % rule)
    _check(amount, debts)
    left = min(amount, sum(d.open for d in debts))
    open_debts = [d for d in debts if d.open > 0]
    chosen = sorted((d for d in open_debts if d.chosen), key=lambda d: (d.due_date, d.id))
    others = [d for d in open_debts if not d.chosen]
    shares = []
    # the debts the customer named, in due order, each paid in full before the next
    for debt in chosen:
        take = min(left, debt.open)
        shares += _within(debt, take)
        left -= take
    if rule == OLDEST:
        for debt in sorted(others, key=lambda d: (d.due_date, d.arose or d.due_date, d.id)):
            take = min(left, debt.open)
            shares += _within(debt, take)
            left -= take
        return [s for s in shares if s.amount]
    ranks = {}
    for debt in others:
        ranks.setdefault(_rank(debt, today), []).append(debt)
    for rank in sorted(ranks):
        group = sorted(ranks[rank], key=lambda d: d.id)
        owed = sum(d.open for d in group)
        if left >= owed:
            takes = {d.id: d.open for d in group}
        else:
            takes = _proportional(left, group)
        for debt in group:
            shares += _within(debt, takes[debt.id])
        left -= sum(takes.values())
        if not left:
            break
    return [s for s in shares if s.amount]


def by_debt(shares):
    """{debt id: amount} of a list of shares."""
    result = {}
    for share in shares:
        result[share.debt_id] = result.get(share.debt_id, 0) + share.amount
    return result
