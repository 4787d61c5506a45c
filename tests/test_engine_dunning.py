from datetime import date

import pytest
from engine.dunning import (
    LadderError,
    decide,
    escalation_target,
    level_for_age,
    next_action_date,
    next_level,
    selection_horizon,
    validate_ladder,
)
from engine.types import InvoiceFacts, LevelSpec, PartnerFacts, SkipReason

TODAY = date(2026, 11, 24)


def lvl(id_, days, tier=1, **kw):
    kw.setdefault("send_email", True)
    return LevelSpec(id=id_, days=days, tier=tier, **kw)


LADDER = [
    lvl(1, -3, severity="courtesy"),
    lvl(2, 3, severity="friendly"),
    lvl(3, 15, severity="firm"),
    lvl(4, 30, 2, schedule_call=True, send_email=False),
    lvl(5, 45, 3, create_activity=True),
    lvl(6, 60, 4, needs_review=True, send_letter=True),
]


def inv(id_, days_late, residual=100.0, level_days=None, hold_until=None, remind=False):
    return InvoiceFacts(
        id=id_,
        due_date=date.fromordinal(TODAY.toordinal() - days_late),
        residual=residual,
        level_days=level_days,
        hold_until=hold_until,
        remind=remind,
    )


@pytest.mark.parametrize(
    "days_late, expected",
    [
        (-10, None),
        (-4, None),
        (-3, 1),
        (0, 1),
        (2, 1),
        (3, 2),
        (14, 2),
        (15, 3),
        (59, 5),
        (60, 6),
        (400, 6),
    ],
)
def test_level_for_age(days_late, expected):
    level = level_for_age(LADDER, days_late)
    assert (level.id if level else None) == expected


def test_valid_default_ladder():
    validate_ladder(LADDER)


@pytest.mark.parametrize(
    "levels, code",
    [
        ([lvl(1, 3), lvl(2, 3)], "duplicate_days"),
        ([lvl(1, 3), lvl(2, 10, send_email=False)], "no_action"),
        ([lvl(1, 3, 2), lvl(2, 10, 1)], "tier_backwards"),
        ([lvl(1, 3, 5)], "bad_tier"),
    ],
)
def test_invalid_ladders(levels, code):
    with pytest.raises(LadderError) as err:
        validate_ladder(levels)
    assert err.value.code == code


def test_selection_horizon_includes_courtesy():
    assert selection_horizon(LADDER, TODAY) == date(2026, 11, 27)
    assert selection_horizon([], TODAY) is None


@pytest.mark.parametrize(
    "partner, invoices, kwargs, level, listed, new, skip",
    [
        # highest new level wins; all overdue invoices are listed, oldest first
        (PartnerFacts(1), [inv(10, 4), inv(11, 20)], {}, 3, [11, 10], {10: 2, 11: 3}, None),
        # same-day rerun: levels already reached -> nothing new
        (
            PartnerFacts(1),
            [inv(10, 4, level_days=3), inv(11, 20, level_days=15)],
            {},
            None,
            [11, 10],
            {},
            SkipReason.NOTHING_NEW,
        ),
        # one invoice moves on, the other is listed again without a new level
        (
            PartnerFacts(1),
            [inv(10, 4, level_days=3), inv(11, 16, level_days=3)],
            {},
            3,
            [11, 10],
            {11: 3},
            None,
        ),
        # paid below tolerance and on hold are ignored
        (
            PartnerFacts(1),
            [inv(10, 20, residual=0.4), inv(11, 20, hold_until=TODAY)],
            {"tolerance": 0.5},
            None,
            [],
            {},
            SkipReason.NO_INVOICE,
        ),
        # a hold that ended yesterday no longer protects the invoice
        (PartnerFacts(1), [inv(11, 20, hold_until=date(2026, 11, 23))], {}, 3, [11], {11: 3}, None),
        # not yet in the courtesy window
        (PartnerFacts(1), [inv(10, -5)], {}, None, [], {}, SkipReason.NO_INVOICE),
        # held back: the level that was due is kept so the block can be recorded
        (PartnerFacts(1, hardship=True), [inv(10, 20)], {}, 3, [10], {}, SkipReason.HARDSHIP),
        (PartnerFacts(1, paused_until=TODAY), [inv(10, 20)], {}, 3, [10], {}, SkipReason.PAUSED),
        (
            PartnerFacts(1, paused_until=date(2026, 11, 1)),
            [inv(10, 20)],
            {},
            3,
            [10],
            {10: 3},
            None,
        ),
        # minimum gap between two contacts
        (
            PartnerFacts(1, last_contact=date(2026, 11, 20)),
            [inv(10, 20)],
            {"min_gap_days": 5},
            3,
            [10],
            {},
            SkipReason.MIN_GAP,
        ),
        (
            PartnerFacts(1, last_contact=date(2026, 11, 19)),
            [inv(10, 20)],
            {"min_gap_days": 5},
            3,
            [10],
            {10: 3},
            None,
        ),
        # "remind in N days": the hold ended, the level reached is sent again
        (
            PartnerFacts(1),
            [inv(10, 20, level_days=15, hold_until=date(2026, 11, 23), remind=True)],
            {},
            3,
            [10],
            {10: 3},
            None,
        ),
        # ... but not while the hold lasts
        (
            PartnerFacts(1),
            [inv(10, 20, level_days=15, hold_until=TODAY, remind=True)],
            {},
            None,
            [],
            {},
            SkipReason.NO_INVOICE,
        ),
        # force re-sends the level already reached, ignoring the gap
        (
            PartnerFacts(1, last_contact=TODAY),
            [inv(10, 20, level_days=15)],
            {"min_gap_days": 5, "force": True},
            3,
            [10],
            {},
            None,
        ),
    ],
)
def test_decide(partner, invoices, kwargs, level, listed, new, skip):
    decision = decide(partner, invoices, LADDER, TODAY, **kwargs)
    assert (decision.level.id if decision.level else None) == level
    assert decision.invoice_ids == listed
    assert {k: v.id for k, v in decision.invoice_levels.items()} == new
    assert decision.skip == skip
    assert decision.acts == (level is not None and skip is None)


@pytest.mark.parametrize(
    "current, expected", [(None, 1), (1, 4), (3, 4), (4, 5), (5, 6), (6, None)]
)
def test_next_level_is_next_tier(current, expected):
    current_level = next(lv for lv in LADDER if lv.id == current) if current else None
    result = next_level(LADDER, current_level)
    assert (result.id if result else None) == expected


@pytest.mark.parametrize(
    "level_days, expected",
    [(None, date(2026, 11, 7)), (-3, date(2026, 11, 13)), (45, date(2027, 1, 9)), (60, None)],
)
def test_next_action_date(level_days, expected):
    assert next_action_date(LADDER, date(2026, 11, 10), level_days) == expected


@pytest.mark.parametrize(
    "current, days_late, expected",
    [
        # plain escalation: the next tier
        (None, None, 1),
        (2, None, 4),
        (6, None, None),
        # a broken arrangement: one tier above what the age reaches
        (None, 20, 4),  # 20 days: level 3 (tier 1) -> tier 2
        (None, 50, 6),  # 45 days: tier 3 -> tier 4
        (4, 5, 5),  # the customer's own level is higher than the age
        (None, 70, 6),  # already at the last tier: stays there
        (None, -10, 1),  # not even due: the first level
    ],
)
def test_escalation_target(current, days_late, expected):
    by_id = {level.id: level for level in LADDER}
    target = escalation_target(LADDER, by_id.get(current), days_late)
    assert (target.id if target else None) == expected
