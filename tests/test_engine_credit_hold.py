"""The credit hold's state, table-driven, and its properties."""

import pytest
from engine.credit_hold import (
    HOLD,
    NONE,
    WARNING,
    HoldFacts,
    HoldRules,
    hold_state,
    released,
)
from hypothesis import given
from hypothesis import strategies as st

RULES = HoldRules()


@pytest.mark.parametrize(
    "facts, rules, expected",
    [
        (HoldFacts(), RULES, (NONE, ())),
        # the final notice's level holds while something is overdue beyond the tolerance
        (HoldFacts(overdue=50_00, level_effect=HOLD), RULES, (HOLD, ("level",))),
        (HoldFacts(overdue=50_00, tolerance=50_00, level_effect=HOLD), RULES, (NONE, ())),
        (HoldFacts(overdue=0, level_effect=HOLD), RULES, (NONE, ())),
        (HoldFacts(overdue=1, level_effect=WARNING), RULES, (WARNING, ("level",))),
        # a broken promise or plan: only while overdue
        (HoldFacts(overdue=10, broken_promise=True), RULES, (HOLD, ("promise",))),
        (HoldFacts(broken_promise=True, broken_plan=True), RULES, (NONE, ())),
        (
            HoldFacts(overdue=10, broken_promise=True, broken_plan=True),
            RULES,
            (HOLD, ("promise", "plan")),
        ),
        # a legal case holds until it closes, whatever is overdue
        (HoldFacts(legal_case=True), RULES, (HOLD, ("legal",))),
        # Odoo's credit limit warns by default; the policy may make it a hold
        (HoldFacts(over_credit_limit=True), RULES, (WARNING, ("credit_limit",))),
        (
            HoldFacts(over_credit_limit=True),
            HoldRules(credit_limit=HOLD),
            (HOLD, ("credit_limit",)),
        ),
        # the strongest wins; weaker reasons are not said as the hold's
        (
            HoldFacts(overdue=10, level_effect=WARNING, broken_plan=True, over_credit_limit=True),
            RULES,
            (HOLD, ("plan",)),
        ),
        # a trigger the policy turned off
        (HoldFacts(overdue=10, broken_promise=True), HoldRules(promise=NONE), (NONE, ())),
        (HoldFacts(legal_case=True), HoldRules(legal=WARNING), (WARNING, ("legal",))),
    ],
)
def test_hold_state(facts, rules, expected):
    assert hold_state(facts, rules) == expected


def test_an_unknown_effect_is_refused():
    with pytest.raises(ValueError):
        hold_state(HoldFacts(overdue=1, level_effect="block"))


@pytest.mark.parametrize(
    "before, after, lifted",
    [(HOLD, NONE, True), (HOLD, WARNING, True), (HOLD, HOLD, False), (WARNING, NONE, False)],
)
def test_released(before, after, lifted):
    assert released(before, after) is lifted


effects = st.sampled_from((NONE, WARNING, HOLD))


@given(
    st.builds(
        HoldFacts,
        overdue=st.integers(0, 10**6),
        tolerance=st.integers(0, 10**6),
        level_effect=effects,
        broken_promise=st.booleans(),
        broken_plan=st.booleans(),
        legal_case=st.booleans(),
        over_credit_limit=st.booleans(),
    ),
    st.builds(HoldRules, promise=effects, plan=effects, legal=effects, credit_limit=effects),
)
def test_a_state_has_reasons_and_nothing_overdue_only_legal_or_limit_hold(facts, rules):
    state, reasons = hold_state(facts, rules)
    assert (state == NONE) == (not reasons)
    if facts.overdue <= facts.tolerance:
        assert set(reasons) <= {"legal", "credit_limit"}
