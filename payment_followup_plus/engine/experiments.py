"""Wording experiments: which arm a customer gets, and what the figures say.

Plain Python, no Odoo. An experiment compares arms of one level's wording
(the current wording is always the control); its outcome per reminder is
whether the overdue amount it demanded was paid within the window.

- :func:`assign` gives each customer one arm, by a hash of the experiment and
  the customer: the same answer on every rerun, worker or crash.
- :func:`wilson` is the Wilson score interval of a proportion;
  :func:`newcombe` the difference of two proportions with Newcombe's hybrid
  score interval (method 10 of Newcombe, 1998), built from the two Wilson
  intervals.
- :func:`sample_size` is the number of reminders per arm needed up front to
  detect a chosen difference (two-sided, normal approximation with the pooled
  variance under the null, as in Fleiss' formula without continuity
  correction).
- :func:`status` says *collecting* until every arm reached the planned size
  (no peeking: nothing is concluded earlier), then *better*, *worse* or *no
  clear difference* from the interval of each arm's difference to the control.
- :func:`social_norm` computes a true "N in 10 customers pay within D days".
"""

import hashlib
import math
from dataclasses import dataclass
from enum import StrEnum
from statistics import NormalDist

from .types import EngineError

Z_95 = NormalDist().inv_cdf(0.975)


class ExperimentError(EngineError):
    """Bad input for an experiment."""


class Status(StrEnum):
    COLLECTING = "collecting"
    BETTER = "better"
    WORSE = "worse"
    NO_DIFFERENCE = "no_difference"


@dataclass(frozen=True)
class ArmFigures:
    """What one arm gathered: reminders counted and those paid in the window."""

    key: str
    reminders: int
    paid: int

    @property
    def rate(self):
        return self.paid / self.reminders if self.reminders else None


@dataclass(frozen=True)
class Comparison:
    """One arm against the control: the difference of the paid shares and its
    95 % interval (None while an arm has no reminder), and the status."""

    key: str
    difference: float | None
    low: float | None
    high: float | None
    status: Status
    still_needed: int


def assign(experiment_key, partner_id, weights):
    """The index of the arm of ``partner_id`` in an experiment, from a hash of
    both (stable forever), with arms drawn in proportion to ``weights``."""
    if not weights or any(w < 0 for w in weights) or not sum(weights):
        raise ExperimentError("weights_invalid")
    digest = hashlib.sha256(f"{experiment_key}:{partner_id}".encode()).digest()
    point = int.from_bytes(digest[:8], "big") / 2**64 * sum(weights)
    total = 0
    for index, weight in enumerate(weights):
        total += weight
        if point < total:
            return index
    return len(weights) - 1


def wilson(successes, trials, z=Z_95):
    """The Wilson score interval (low, high) of ``successes`` in ``trials``."""
    if trials <= 0 or not 0 <= successes <= trials:
        raise ExperimentError("counts_invalid", successes=successes, trials=trials)
    p = successes / trials
    denominator = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe(successes, trials, control_successes, control_trials, z=Z_95):
    """(difference, low, high) of the proportion of an arm minus the
    control's, with Newcombe's hybrid score interval."""
    p1 = successes / trials if trials else None
    p0 = control_successes / control_trials if control_trials else None
    if p1 is None or p0 is None:
        raise ExperimentError("counts_invalid", successes=successes, trials=trials)
    l1, u1 = wilson(successes, trials, z)
    l0, u0 = wilson(control_successes, control_trials, z)
    difference = p1 - p0
    low = difference - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = difference + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return difference, low, high


def sample_size(baseline, effect, alpha=0.05, power=0.8):
    """Reminders needed per arm to detect ``baseline`` -> ``baseline + effect``
    (two-sided test of two proportions at ``alpha``, with ``power``)."""
    target = baseline + effect
    if not 0 < baseline < 1 or not 0 < target < 1 or effect == 0:
        raise ExperimentError("effect_invalid", baseline=baseline, effect=effect)
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise ExperimentError("power_invalid")
    z_alpha = NormalDist().inv_cdf(1 - alpha / 2)
    z_beta = NormalDist().inv_cdf(power)
    pooled = (baseline + target) / 2
    numerator = z_alpha * math.sqrt(2 * pooled * (1 - pooled)) + z_beta * math.sqrt(
        baseline * (1 - baseline) + target * (1 - target)
    )
    return math.ceil(numerator**2 / effect**2)


def status(control, arms, planned):
    """[Comparison] of each arm of ``arms`` against ``control`` (ArmFigures),
    with ``planned`` reminders per arm. Collecting until every arm, control
    included, has ``planned``; then the interval decides."""
    if planned <= 0:
        raise ExperimentError("planned_invalid")
    result = []
    for arm in arms:
        needed = max(planned - arm.reminders, 0) + max(planned - control.reminders, 0)
        if arm.reminders and control.reminders:
            difference, low, high = newcombe(
                arm.paid, arm.reminders, control.paid, control.reminders
            )
        else:
            difference = low = high = None
        if needed:
            verdict = Status.COLLECTING
        elif low > 0:
            verdict = Status.BETTER
        elif high < 0:
            verdict = Status.WORSE
        else:
            verdict = Status.NO_DIFFERENCE
        result.append(Comparison(arm.key, difference, low, high, verdict, needed))
    return result


@dataclass(frozen=True)
class SocialNorm:
    """ "Most of our customers (N in 10) settle their invoices within D days"."""

    in_ten: int
    days: int
    customers: int


def social_norm(days_to_pay, candidates=(7, 14, 30, 45, 60), minimum_customers=20):
    """The shortest ``days`` of ``candidates`` within which most customers
    (at least 6 in 10, rounded down) paid, from each customer's usual days
    from invoice to payment over the period (``days_to_pay``: one figure per
    customer). None when it would not be true, or there are too few
    customers to say it."""
    figures = [d for d in days_to_pay if d is not None]
    if len(figures) < minimum_customers:
        return None
    for days in sorted(candidates):
        share = sum(1 for d in figures if d <= days) / len(figures)
        in_ten = math.floor(share * 10 + 1e-9)
        if in_ten >= 6:
            return SocialNorm(in_ten, days, len(figures))
    return None
