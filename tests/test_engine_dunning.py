from datetime import date, timedelta

import pytest
from engine.dunning import (
    LadderError,
    decide,
    invoice_target,
    level_for_age,
    next_action_date,
    selection_horizon,
    validate_ladder,
)
from engine.types import InvoiceFacts, LevelSpec, Mode, PartnerFacts, Section, SkipReason
from hypothesis import given
from hypothesis import strategies as st

TODAY = date(2026, 11, 24)


def lvl(id_, days, tier=1, severity="friendly", channels=("email",), **kw):
    return LevelSpec(
        id=id_, days=days, tier=tier, severity=severity, channels=frozenset(channels), **kw
    )


COURTESY, FRIENDLY, FIRM, CALL, SENIOR, FINAL = (
    lvl(1, -3, severity="courtesy"),
    lvl(2, 3, response_days=7),
    lvl(3, 15, severity="firm", response_days=7),
    lvl(4, 30, 2, severity="firm", channels=("email", "call"), response_days=7),
    lvl(5, 45, 3, severity="firm", channels=("email", "activity"), response_days=7),
    lvl(
        6,
        60,
        4,
        severity="final",
        needs_review=True,
        channels=("email", "letter"),
        response_days=10,
    ),
)
LADDER = [COURTESY, FRIENDLY, FIRM, CALL, SENIOR, FINAL]


def inv(id_, days_late, residual=10000, level=None, reminded=None, hold_until=None, remind=False):
    return InvoiceFacts(
        id=id_,
        due_date=TODAY - timedelta(days=days_late),
        residual=residual,
        level_id=level.id if level else None,
        last_reminded=reminded,
        hold_until=hold_until,
        remind=remind,
    )


def partner(**kw):
    return PartnerFacts(1, today=TODAY, **kw)


def ago(days):
    return TODAY - timedelta(days=days)


@pytest.mark.parametrize(
    "days_late, expected",
    [(-10, None), (-4, None), (-3, 1), (0, 1), (2, 1), (3, 2), (14, 2), (15, 3), (60, 6), (400, 6)],
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
        ([lvl(1, 3), lvl(2, 10, channels=())], "no_action"),
        ([lvl(1, 3, 2), lvl(2, 10, 1)], "tier_backwards"),
        ([lvl(1, 3, 5)], "bad_tier"),
        # courtesy wording says "due shortly": only before the due date ...
        ([lvl(1, 5, severity="courtesy")], "courtesy_before_due"),
        # ... and "overdue" wording never before it
        ([lvl(1, -2, severity="friendly")], "courtesy_before_due"),
        ([lvl(1, 0, severity="firm")], "courtesy_before_due"),
        # a final notice needs a firm reminder before it
        ([lvl(1, 3), lvl(2, 30, severity="final")], "final_without_firm"),
        ([lvl(1, 3, response_days=-1)], "negative_response_days"),
    ],
)
def test_invalid_ladders(levels, code):
    with pytest.raises(LadderError) as err:
        validate_ladder(levels)
    assert err.value.code == code


def test_selection_horizon_includes_courtesy():
    assert selection_horizon(LADDER, TODAY) == date(2026, 11, 27)
    # without a courtesy level, only overdue invoices (due before today)
    assert selection_horizon([FRIENDLY, FIRM], TODAY) == date(2026, 11, 23)
    assert selection_horizon([], TODAY) is None


def levels_of(decision):
    return {line.id: (line.level.id if line.level else None) for line in decision.invoices}


def sections_of(decision):
    return {line.id: line.section for line in decision.invoices}


# (case, partner facts, invoices, decide() options, level, {invoice: level}, skip)
DECISIONS = [
    (
        "65 days late, never contacted: the first overdue level",
        {},
        [inv(10, 65)],
        {},
        2,
        {10: 2},
        None,
    ),
    (
        "after the friendly reminder and its 7 days: firm",
        {"last_contact": ago(7), "response_days": 7},
        [inv(10, 72, level=FRIENDLY, reminded=ago(7))],
        {},
        3,
        {10: 3},
        None,
    ),
    (
        "firm delivered: the call level next, one step",
        {"last_contact": ago(8), "response_days": 7},
        [inv(10, 80, level=FIRM, reminded=ago(8))],
        {},
        4,
        {10: 4},
        None,
    ),
    (
        "senior delivered: the final notice",
        {"last_contact": ago(10), "response_days": 7},
        [inv(10, 95, level=SENIOR, reminded=ago(10))],
        {},
        6,
        {10: 6},
        None,
    ),
    (
        "the age is a ceiling: friendly delivered, 12 days late, firm waits",
        {"last_contact": ago(9), "response_days": 7},
        [inv(10, 12, level=FRIENDLY, reminded=ago(9))],
        {},
        None,
        {10: None},
        SkipReason.NOTHING_NEW,
    ),
    (
        "the gap: friendly 3 days ago, nothing before the 7 days it gave",
        {"last_contact": ago(3), "response_days": 7},
        [inv(10, 72, level=FRIENDLY, reminded=ago(3))],
        {"min_gap_days": 5},
        3,
        {10: None},
        SkipReason.MIN_GAP,
    ),
    (
        "the company gap when it is longer than the response time",
        {"last_contact": ago(8), "response_days": 7},
        [inv(10, 72, level=FRIENDLY, reminded=ago(8))],
        {"min_gap_days": 10},
        3,
        {10: None},
        SkipReason.MIN_GAP,
    ),
    (
        "a reminder waiting for review or printing blocks a new one",
        {"pending": True},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.PENDING,
    ),
    (
        "an override never puts a second reminder beside one waiting for review",
        {"pending": True},
        [inv(10, 20)],
        {"mode": Mode.ESCALATE, "override": True},
        2,
        {10: None},
        SkipReason.PENDING,
    ),
    (
        "a level rejected since the last delivery is not proposed again",
        {"refused": frozenset({2})},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.REFUSED,
    ),
    (
        "a manager's override still may send it",
        {"refused": frozenset({2})},
        [inv(10, 20)],
        {"mode": Mode.SEND_NOW, "override": True},
        2,
        {10: 2},
        None,
    ),
    (
        "same-day rerun after delivery: nothing new",
        {"last_contact": TODAY, "response_days": 7},
        [inv(10, 10, level=FRIENDLY, reminded=TODAY)],
        {},
        None,
        {10: None},
        SkipReason.NOTHING_NEW,
    ),
    (
        "due today is not overdue: a courtesy level, due-soon section",
        {},
        [inv(10, 0)],
        {},
        1,
        {10: 1},
        None,
    ),
    (
        "a courtesy note delivered, the invoice now overdue: friendly",
        {"last_contact": ago(8)},
        [inv(10, 5, level=COURTESY, reminded=ago(8))],
        {},
        2,
        {10: 2},
        None,
    ),
    (
        "start at the age (migration), short of a final notice",
        {},
        [inv(10, 65)],
        {"start_at_age": True},
        5,
        {10: 5},
        None,
    ),
    (
        "start at the age never skips a delivered step",
        {"last_contact": ago(30)},
        [inv(10, 65, level=FRIENDLY, reminded=ago(30))],
        {"start_at_age": True},
        3,
        {10: 3},
        None,
    ),
    (
        "an old and a new invoice: each its own step, the reminder at the highest",
        {"last_contact": ago(9), "response_days": 7},
        [inv(10, 40, level=FIRM, reminded=ago(9)), inv(11, 4), inv(12, -2)],
        {},
        4,
        {10: 4, 11: 2, 12: 1},
        None,
    ),
    (
        "below the tolerance, on hold: left out",
        {},
        [inv(10, 20, residual=40), inv(11, 20, hold_until=TODAY)],
        {"tolerance": 50},
        None,
        {},
        SkipReason.NO_INVOICE,
    ),
    (
        "a hold that ended yesterday counts again",
        {},
        [inv(10, 20, hold_until=ago(1))],
        {},
        2,
        {10: 2},
        None,
    ),
    (
        "remind after a broken promise: the level reached again",
        {"last_contact": ago(20)},
        [inv(10, 20, level=FIRM, reminded=ago(20), remind=True)],
        {},
        3,
        {10: 3},
        None,
    ),
    (
        "a broken promise: the level again after the gap, not the days it gave",
        {"last_contact": ago(3), "response_days": 7},
        [inv(10, 20, level=FIRM, reminded=ago(3), remind=True)],
        {"min_gap_days": 2},
        3,
        {10: 3},
        None,
    ),
    (
        "hardship holds the customer back",
        {"hardship": True},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.HARDSHIP,
    ),
    (
        "a pause holds the customer back until its last day",
        {"paused_until": TODAY},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.PAUSED,
    ),
    (
        "escalate: one step further whatever the age, never a skip",
        {"last_contact": ago(9), "response_days": 7},
        [inv(10, 5, level=FRIENDLY, reminded=ago(9))],
        {"mode": Mode.ESCALATE},
        3,
        {10: 3},
        None,
    ),
    (
        "escalate still waits for the gap",
        {"last_contact": ago(2), "response_days": 7},
        [inv(10, 5, level=FRIENDLY, reminded=ago(2))],
        {"mode": Mode.ESCALATE},
        3,
        {10: None},
        SkipReason.MIN_GAP,
    ),
    (
        "escalate by a manager's override: gap ignored, still one step",
        {"last_contact": ago(2), "response_days": 7},
        [inv(10, 5, level=FRIENDLY, reminded=ago(2))],
        {"mode": Mode.ESCALATE, "override": True},
        3,
        {10: 3},
        None,
    ),
    (
        "escalate leaves invoices not due yet alone",
        {},
        [inv(10, -2)],
        {"mode": Mode.ESCALATE},
        None,
        {10: None},
        SkipReason.NOTHING_NEW,
    ),
    (
        "send now: what the run would send",
        {},
        [inv(10, 20)],
        {"mode": Mode.SEND_NOW},
        2,
        {10: 2},
        None,
    ),
    (
        "send now with nothing new: held back",
        {"last_contact": ago(1), "response_days": 7},
        [inv(10, 10, level=FRIENDLY, reminded=ago(1))],
        {"mode": Mode.SEND_NOW},
        None,
        {10: None},
        SkipReason.NOTHING_NEW,
    ),
    (
        "send now overridden by a manager: the level reached again",
        {"last_contact": ago(1), "response_days": 7},
        [inv(10, 10, level=FRIENDLY, reminded=ago(1))],
        {"mode": Mode.SEND_NOW, "override": True},
        2,
        {10: 2},
        None,
    ),
    (
        "an override never passes hardship",
        {"hardship": True},
        [inv(10, 20)],
        {"mode": Mode.SEND_NOW, "override": True},
        2,
        {10: None},
        SkipReason.HARDSHIP,
    ),
    (
        "unapplied credits: the daily run asks nothing",
        {"credit": 4000},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.CREDITS,
    ),
    (
        "credits within the tolerance do not hold the run",
        {"credit": 50},
        [inv(10, 20)],
        {"tolerance": 50},
        2,
        {10: 2},
        None,
    ),
    (
        "a person's send now goes out despite the credits",
        {"credit": 4000},
        [inv(10, 20)],
        {"mode": Mode.SEND_NOW},
        2,
        {10: 2},
        None,
    ),
    (
        "a reply pauses the daily run until its day, included",
        {"replied_until": ago(-2)},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.REPLIED,
    ),
    (
        "the reply pause is over the day after",
        {"replied_until": ago(1)},
        [inv(10, 20)],
        {},
        2,
        {10: 2},
        None,
    ),
    (
        "a person may still send to a customer who replied",
        {"replied_until": ago(-2)},
        [inv(10, 20)],
        {"mode": Mode.SEND_NOW},
        2,
        {10: 2},
        None,
    ),
    (
        "hardship comes before the credits",
        {"credit": 4000, "hardship": True},
        [inv(10, 20)],
        {},
        2,
        {10: None},
        SkipReason.HARDSHIP,
    ),
]


@pytest.mark.parametrize(
    "facts, invoices, kwargs, level, levels, skip",
    [case[1:] for case in DECISIONS],
    ids=[case[0] for case in DECISIONS],
)
def test_decide(facts, invoices, kwargs, level, levels, skip):
    decision = decide(partner(**facts), invoices, LADDER, **kwargs)
    assert (decision.level.id if decision.level else None) == level
    assert levels_of(decision) == levels
    assert decision.skip == skip
    assert decision.acts == (skip is None and level is not None)


def test_sections_and_history():
    invoices = [
        inv(10, 40, level=FIRM, reminded=date(2026, 11, 12)),
        inv(11, 33, level=FIRM, reminded=date(2026, 11, 10)),
        inv(12, 4),
        inv(13, -2),
    ]
    decision = decide(partner(last_contact=date(2026, 11, 12), response_days=7), invoices, LADDER)
    assert decision.level == CALL
    assert sections_of(decision) == {
        10: Section.MAIN,
        11: Section.MAIN,
        12: Section.OVERDUE,
        13: Section.DUE_SOON,
    }
    # "our reminder of 12 November": the latest one the main invoices had
    assert decision.previous_date == date(2026, 11, 12)
    # oldest first
    assert decision.invoice_ids == [10, 11, 12, 13]


def test_first_contact_refers_to_no_earlier_reminder():
    decision = decide(partner(), [inv(10, 65)], LADDER, start_at_age=True)
    assert decision.level == SENIOR
    assert decision.previous_date is None


def test_invoice_not_due_soon_enough_is_not_listed():
    decision = decide(partner(), [inv(10, -10), inv(11, 20)], LADDER)
    assert decision.invoice_ids == [11]


def test_without_courtesy_level_due_today_is_not_listed():
    decision = decide(partner(), [inv(10, 0)], [FRIENDLY, FIRM])
    assert decision.skip == SkipReason.NO_INVOICE


@given(
    ages=st.lists(st.integers(-5, 400), min_size=1, max_size=6),
    delivered=st.lists(st.sampled_from([None, 1, 2, 3, 4, 5, 6]), min_size=6, max_size=6),
    start_at_age=st.booleans(),
    mode=st.sampled_from(list(Mode)),
)
def test_never_more_than_one_step(ages, delivered, start_at_age, mode):
    """Property: whatever the ages and history, an invoice moves at most one rung
    past the level delivered for it, a final notice only follows a delivered
    level, and the run never goes past the age."""
    by_id = {level.id: level for level in LADDER}
    invoices = [
        inv(10 + i, age, level=by_id.get(delivered[i]), reminded=ago(30) if delivered[i] else None)
        for i, age in enumerate(ages)
    ]
    decision = decide(partner(), invoices, LADDER, start_at_age=start_at_age, mode=mode)
    facts = {invoice.id: invoice for invoice in invoices}
    order = [level.id for level in LADDER]
    for line in decision.invoices:
        if not line.level:
            continue
        invoice = facts[line.id]
        if line.level.severity == "final":
            assert invoice.level_id is not None
        if invoice.level_id is not None and not by_id[invoice.level_id].before_due:
            assert order.index(line.level.id) <= order.index(invoice.level_id) + 1
        elif not start_at_age or mode != Mode.RUN:
            # first contact of a cycle: the first level that applies
            kind = [lvl for lvl in LADDER if lvl.before_due == (invoice.age(TODAY) < 1)]
            assert line.level == kind[0]
        if mode != Mode.ESCALATE:
            assert line.level.days <= invoice.age(TODAY)


def test_a_final_notice_lists_the_other_invoices_for_information_only():
    """The final notice demands the invoice that reached it; an invoice on its
    first step is listed for information and keeps its step: it reaches no
    level through the notice (its next reminder is its own next step)."""
    senior = inv(10, 70, level=SENIOR, reminded=ago(20))
    young = inv(11, 5)  # never reminded: its first step is the friendly reminder
    decision = decide(partner(), [senior, young], LADDER)
    lines = {line.id: line for line in decision.invoices}
    assert decision.level == FINAL
    assert (lines[10].section, lines[10].level) == (Section.MAIN, FINAL)
    assert (lines[11].section, lines[11].level) == (Section.OVERDUE, None)
    # a firm reminder carries each invoice to its own step
    firm = decide(partner(), [inv(10, 20, level=FRIENDLY, reminded=ago(10)), young], LADDER)
    assert {line.id: line.level for line in firm.invoices} == {10: FIRM, 11: FRIENDLY}


@pytest.mark.parametrize(
    "level, kwargs, expected",
    [
        (None, {}, date(2026, 10, 29)),  # due 1 Nov: the courtesy day
        (None, {"today": date(2026, 11, 5)}, date(2026, 11, 4)),  # courtesy day passed
        (FRIENDLY, {}, date(2026, 11, 16)),
        (FRIENDLY, {"last_reminded": date(2026, 11, 14)}, date(2026, 11, 21)),
        (FRIENDLY, {"last_reminded": date(2026, 11, 14), "min_gap_days": 10}, date(2026, 11, 24)),
        (FRIENDLY, {"hold_until": date(2026, 12, 1)}, date(2026, 12, 2)),
        (FRIENDLY, {"paused_until": date(2026, 12, 5)}, date(2026, 12, 6)),
        (FINAL, {}, None),
    ],
)
def test_next_action_date(level, kwargs, expected):
    due = date(2026, 11, 1)
    assert next_action_date(LADDER, due, level.id if level else None, **kwargs) == expected


def test_invoice_target_is_exposed_for_the_preview():
    assert invoice_target(inv(10, 65), LADDER, TODAY) == FRIENDLY
