"""Statutory late-payment interest and fixed compensation, to the cent.

Simple interest, day by day: each late day bears the rate of the half-year it
falls in (reference rate of that half-year + the jurisdiction's margin), from
the day after the due date (or an agreed start) up to and including the
calculation date. Partial payments reduce the principal from the day they are
received. The exact sum (fractions, no float) is rounded once, half-up, to the
currency's decimals.

Day basis: 365 for every jurisdiction here, leap years included (actual/365
fixed). It is what the German, French, British, Dutch and Belgian official
calculators and the shared test vectors use.

Reference rates are data, keyed by ``(kind, first day of the half-year)``:
``ecb`` (ECB main refinancing rate: the rate on 1 January applies January to
June, on 1 July July to December), ``de_base`` (Bundesbank base rate, §247
BGB), ``boe`` (Bank of England base rate on 31 December / 30 June, for the
half-year that follows), ``fr_legal_pro`` and ``fr_legal_consumer`` (French
legal interest rate), ``nl_statutory`` (Dutch statutory interest for
consumers). A missing rate is an error, never a silent zero.

Amounts are integers in minor units; rates are percentages as ``Decimal``.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from fractions import Fraction

from .types import EngineError

DAY_BASIS = 365
HALF_POINT = Decimal("0.5")


class StatutoryError(EngineError):
    """Bad input for the interest engine, or a rate it does not have."""


@dataclass(frozen=True)
class Rule:
    """How a jurisdiction computes statutory interest and compensation."""

    kind: str  # reference rate of business-to-business debts
    margin: Decimal  # points added to it
    consumer_kind: str | None = None  # None: no statutory interest with consumers
    consumer_margin: Decimal = Decimal(0)
    round_up_half_point: bool = False  # Belgium
    compensation: str = "eu"  # eu | de | uk | nl
    contract_floor_kind: str | None = None  # France: a contract rate ≥ 3 × this rate
    contract_floor_factor: int = 3


JURISDICTIONS = {
    "eu": Rule("ecb", Decimal(8)),
    "de": Rule("de_base", Decimal(9), "de_base", Decimal(5), compensation="de"),
    "fr": Rule(
        "ecb",
        Decimal(10),
        "fr_legal_consumer",
        Decimal(0),
        contract_floor_kind="fr_legal_pro",
    ),
    "uk": Rule("boe", Decimal(8), compensation="uk"),
    "nl": Rule("ecb", Decimal(8), "nl_statutory", Decimal(0), compensation="nl"),
    "be": Rule("ecb", Decimal(8), round_up_half_point=True),
}


@dataclass(frozen=True)
class Period:
    """A run of late days at one rate on one principal."""

    start: date
    end: date  # included
    days: int
    rate: Decimal  # percent per year
    principal: int  # minor units


@dataclass(frozen=True)
class Interest:
    amount: int  # minor units, rounded once
    periods: tuple[Period, ...]


def half_year(day):
    """The first day of the half-year ``day`` falls in."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def _next_half_year(day):
    return date(day.year, 7, 1) if day.month <= 6 else date(day.year + 1, 1, 1)


def rule_for(jurisdiction):
    try:
        return JURISDICTIONS[jurisdiction]
    except KeyError:
        raise StatutoryError("unknown_jurisdiction", jurisdiction=jurisdiction) from None


def _reference(rates, kind, period_start):
    try:
        return Decimal(str(rates[(kind, period_start)]))
    except KeyError:
        raise StatutoryError("missing_rate", kind=kind, period=period_start) from None


def statutory_rate(jurisdiction, consumer, day, rates):
    """The yearly rate (percent) of a late day."""
    rule = rule_for(jurisdiction)
    if consumer:
        if rule.consumer_kind is None:
            raise StatutoryError("consumer_not_covered", jurisdiction=jurisdiction)
        kind, margin = rule.consumer_kind, rule.consumer_margin
    else:
        kind, margin = rule.kind, rule.margin
    rate = _reference(rates, kind, half_year(day)) + margin
    if rule.round_up_half_point:
        rate = (rate / HALF_POINT).to_integral_value(ROUND_CEILING) * HALF_POINT
    return rate


def consumer_default_start(due, reminded_on):
    """The first late day of a consumer's debt: consumers are in default only
    once reminded in writing after the due date (a Mahnung, §286(1) BGB; a
    mise en demeure, art. 1231-6 Code civil; an ingebrekestelling, art. 6:82
    BW), so interest runs from the day after the first reminder delivered
    after ``due``. None while no such reminder exists. (Businesses are late
    from the day after the due date, without a reminder.)"""
    after = [day for day in reminded_on if day > due]
    return min(after) + timedelta(days=1) if after else None


def german_base_rate(previous_base, previous_reference, reference):
    """The Bundesbank base rate of a half-year, per §247(1) BGB: the previous
    base rate moved by as many points as the reference rate (the ECB's main
    refinancing rate before the half-year's first day) rose or fell since.
    The base rate changes whenever the reference did, so "since the last
    change" is "since the previous half-year"."""
    return Decimal(str(previous_base)) + Decimal(str(reference)) - Decimal(str(previous_reference))


def derive_german_base_rates(rates):
    """{half-year: base rate} for the half-years that have an ECB rate but no
    Bundesbank base rate, following from the half-year before (which has
    both, or was derived here first), per §247(1) BGB. ``rates`` as for
    :func:`interest`; it is not changed."""
    known = dict(rates)
    derived = {}
    for day in sorted(day for kind, day in known if kind == "ecb"):
        previous = date(day.year - 1, 7, 1) if day.month == 1 else date(day.year, 1, 1)
        if ("de_base", day) in known or ("de_base", previous) not in known:
            continue
        if ("ecb", previous) not in known:
            continue
        value = german_base_rate(
            known[("de_base", previous)], known[("ecb", previous)], known[("ecb", day)]
        )
        known[("de_base", day)] = derived[day] = value
    return derived


def check_contract_rate(jurisdiction, contract_rate, start, end, rates):
    """Refuse a contract rate the law does not allow (France: below three
    times the legal rate of any half-year of the late period)."""
    rule = rule_for(jurisdiction)
    contract_rate = Decimal(str(contract_rate))
    if contract_rate <= 0:
        raise StatutoryError("contract_rate_not_positive")
    if not rule.contract_floor_kind:
        return
    day = half_year(start)
    while day <= end:
        floor = _reference(rates, rule.contract_floor_kind, day) * rule.contract_floor_factor
        if contract_rate < floor:
            raise StatutoryError(
                "contract_below_floor", rate=contract_rate, floor=floor, period=day
            )
        day = _next_half_year(day)


def interest(
    jurisdiction,
    principal,
    due,
    until,
    rates,
    decimals,
    consumer=False,
    payments=(),
    start=None,
    contract_rate=None,
):
    """Statutory (or contract) interest on ``principal`` (minor units) late
    since ``due``, up to and including ``until``. ``payments``: (date, minor
    units) received, reducing the principal from that day. ``start``: the
    first late day when agreed otherwise (default: the day after ``due``)."""
    rule_for(jurisdiction)
    if principal <= 0:
        raise StatutoryError("principal_not_positive")
    first = start or due + timedelta(days=1)
    if until < first:
        raise StatutoryError("until_before_due", until=until, first=first)
    for paid_on, amount in payments:
        if amount <= 0:
            raise StatutoryError("payment_not_positive", date=paid_on)
    if contract_rate is not None:
        check_contract_rate(jurisdiction, contract_rate, first, until, rates)
    paid = sorted(payments)
    total = Fraction(0)
    periods = []
    day = first
    while day <= until:
        # a period ends at the half-year's end, the day before a payment, or ``until``
        end = min(_next_half_year(day) - timedelta(days=1), until)
        balance = principal - sum(amount for paid_on, amount in paid if paid_on <= day)
        nxt = next((p for p, __ in paid if day < p <= end), None)
        if nxt:
            end = nxt - timedelta(days=1)
        if balance <= 0:
            break
        rate = (
            Decimal(str(contract_rate))
            if contract_rate is not None
            else statutory_rate(jurisdiction, consumer, day, rates)
        )
        days = (end - day).days + 1
        total += Fraction(balance) * Fraction(rate) / 100 * days / DAY_BASIS
        periods.append(Period(day, end, days, rate, balance))
        day = end + timedelta(days=1)
    return Interest(_round(total), tuple(periods))


# fixed compensation -------------------------------------------------------
EUR_40 = 4000
UK_SCALE = ((100000, 4000), (1000000, 7000))  # below £1,000: £40; below £10,000: £70
UK_TOP = 10000  # from £10,000: £100
BIK = (  # Dutch collection costs for consumers: (band width in cents, per mille)
    (250000, 150),
    (250000, 100),
    (500000, 50),
    (19000000, 10),
    (None, 5),
)
BIK_MIN, BIK_CAP = 4000, 677500


def compensation(jurisdiction, principal, consumer=False, letter_expired=False, installments=0):
    """Fixed compensation for one late invoice of ``principal`` (minor units
    of the jurisdiction's currency: EUR, GBP for the UK), in those units.
    ``installments``: late installments of a plan on it (Germany: €40 each).
    ``letter_expired``: the Dutch free 14-day letter went out and its 14 days
    are over (BIK for consumers)."""
    rule = rule_for(jurisdiction)
    if principal <= 0:
        raise StatutoryError("principal_not_positive")
    if consumer:
        if rule.compensation == "nl" and letter_expired:
            return bik(principal)
        return 0
    if rule.compensation == "uk":
        for limit, amount in UK_SCALE:
            if principal < limit:
                return amount
        return UK_TOP
    if rule.compensation == "de":
        return EUR_40 * (1 + max(installments, 0))
    return EUR_40


def bik(principal):
    """Dutch collection costs (Besluit vergoeding buitengerechtelijke
    incassokosten) on a principal in euro cents: banded, min €40, cap €6,775."""
    left, total = principal, Fraction(0)
    for width, per_mille in BIK:
        part = left if width is None else min(left, width)
        total += Fraction(part * per_mille, 1000)
        left -= part
        if left <= 0:
            break
    return min(max(_round(total), BIK_MIN), BIK_CAP)


def _round(value):
    """A fraction rounded half-up to a whole number of minor units."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return int(exact.to_integral_value(ROUND_HALF_UP))
