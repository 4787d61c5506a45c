from datetime import date, timedelta

import pytest
from engine.dunning import decide
from engine.evidence import (
    BankLine,
    Evidence,
    OpenInvoice,
    invoices_named,
    match_statement_lines,
    mentions_reference,
    merge,
    normalise,
)
from engine.types import InvoiceFacts, LevelSpec, PartnerFacts, Section, SkipReason
from hypothesis import given
from hypothesis import strategies as st

EUR, USD = 1, 2
DAY = date(2026, 12, 4)


def inv(id_, number, residual, partner=10, currency=EUR, ref=""):
    return OpenInvoice(id_, partner, number, ref, currency, residual)


def line(id_, label, amount, partner=None, currency=EUR):
    return BankLine(id_, DAY, label, partner, currency, amount)


A = inv(1, "INV/2026/00001", 275000)
B = inv(2, "INV/2026/00012", 99000, ref="RF18 5390 0754 7034")
C = inv(3, "INV/2026/00013", 99000)
OTHER = inv(4, "INV/2026/00020", 275000, partner=20)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("inv/2026/00001", "INV202600001"),
        (" INV - 2026 / 00001 ", "INV202600001"),
        ("RF18 5390_0754.7034", "RF18539007547034"),
        (None, ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "lines, found, ambiguous",
    [
        # by number, written another way, exact amount
        ([line(100, "Payment inv 2026-00001 thanks", 275000)], {1: 100}, []),
        # by payment reference
        ([line(101, "rf18539007547034", 99000)], {2: 101}, []),
        # the number of another invoice that only starts the same: not named
        ([line(102, "INV/2026/000012", 275000)], {}, []),
        # right number, wrong amount: nothing
        ([line(103, "INV/2026/00001", 270000)], {}, []),
        # another currency: nothing
        ([line(104, "INV/2026/00001", 275000, currency=USD)], {}, []),
        # no reference, the customer's line, one invoice with that amount
        ([line(105, "transfer", 275000, partner=10)], {1: 105}, []),
        # no reference, the customer's line, two invoices with that amount: ambiguous
        ([line(106, "transfer", 99000, partner=10)], {}, [(2, 3)]),
        # no reference, no partner: nothing
        ([line(107, "transfer", 275000)], {}, []),
        # an outgoing line: nothing
        ([line(108, "INV/2026/00001", -275000)], {}, []),
        # two lines for one invoice: the first keeps it, the second is evidence of nothing
        (
            [line(109, "INV/2026/00001", 275000), line(110, "INV 2026 00001", 275000)],
            {1: 109},
            [],
        ),
    ],
)
def test_match_statement_lines(lines, found, ambiguous):
    evidence, ambiguities = match_statement_lines(lines, [A, B, C, OTHER])
    assert {e.invoice_id: e.source_id for e in evidence} == found
    assert [a.invoice_ids for a in ambiguities] == ambiguous


def test_tolerance_and_partner_of_other_customer():
    evidence, __ = match_statement_lines([line(1, "INV/2026/00001", 274999)], [A], tolerance=1)
    assert [e.invoice_id for e in evidence] == [1]
    # a line naming another customer matches only that customer's invoice
    evidence, __ = match_statement_lines([line(2, "wire", 275000, partner=20)], [A, OTHER])
    assert [e.invoice_id for e in evidence] == [4]


def test_merge_first_kind_wins():
    tx = Evidence(1, "transaction", 7, 100, EUR, DAY)
    st_ = Evidence(1, "statement", 8, 100, EUR, DAY)
    reply = Evidence(2, "reply", 9, 0, EUR, DAY)
    assert merge([tx], [st_, reply]) == {1: tx, 2: reply}


def test_invoices_named():
    assert invoices_named("We paid INV/2026/00012 yesterday", [A, B, C]) == [2]
    assert invoices_named("We paid", [A, B]) == []


invoices_st = st.lists(
    st.builds(
        OpenInvoice,
        id=st.integers(1, 50),
        partner_id=st.integers(1, 3),
        number=st.sampled_from(["INV/1", "INV/0002", "INV/0003", "F-0004"]),
        payment_reference=st.sampled_from(["", "RF0001", "RF0002"]),
        currency_id=st.sampled_from([EUR, USD]),
        residual=st.sampled_from([100, 200, 300]),
    ),
    unique_by=lambda i: i.id,
    max_size=8,
)
lines_st = st.lists(
    st.builds(
        BankLine,
        id=st.integers(1, 50),
        day=st.just(DAY),
        label=st.sampled_from(["", "INV/0002", "inv 0003 RF0001", "F-0004", "misc"]),
        partner_id=st.one_of(st.none(), st.integers(1, 3)),
        currency_id=st.sampled_from([EUR, USD]),
        amount=st.sampled_from([-100, 100, 200, 300]),
    ),
    unique_by=lambda ln: ln.id,
    max_size=8,
)


@given(invoices_st, lines_st)
def test_evidence_is_sound(invoices, lines):
    """Never a wrong hold: each invoice at most once, from a line of its currency
    and exact amount; each line used at most once; an ambiguity names two or
    more invoices and holds none of them through that line."""
    evidence, ambiguities = match_statement_lines(lines, invoices)
    by_id = {i.id: i for i in invoices}
    lines_by_id = {ln.id: ln for ln in lines}
    assert len({e.invoice_id for e in evidence}) == len(evidence)
    assert len({e.source_id for e in evidence}) == len(evidence)
    for item in evidence:
        invoice, bank = by_id[item.invoice_id], lines_by_id[item.source_id]
        assert bank.currency_id == invoice.currency_id
        assert bank.amount == invoice.residual > 0
    for amb in ambiguities:
        assert len(amb.invoice_ids) >= 2
        assert amb.source_id not in {e.source_id for e in evidence}


# the decision with a payment on its way
def lvl(id_, days, severity="friendly"):
    return LevelSpec(id=id_, days=days, tier=1, severity=severity, channels=frozenset({"email"}))


LADDER = [lvl(1, 3), lvl(2, 15, "firm"), lvl(3, 30, "firm")]
TODAY = date(2026, 12, 7)


def facts(id_, late, on_its_way=False, level=None):
    return InvoiceFacts(
        id=id_,
        due_date=TODAY - timedelta(days=late),
        residual=1000,
        level_id=level,
        on_its_way=on_its_way,
    )


def test_on_its_way_is_not_demanded_and_does_not_climb():
    decision = decide(
        PartnerFacts(1, today=TODAY), [facts(1, 20, True, level=1), facts(2, 5)], LADDER
    )
    assert decision.acts and decision.level.id == 1
    sections = {line.id: line.section for line in decision.invoices}
    assert sections == {1: Section.ON_ITS_WAY, 2: Section.MAIN}
    assert decision.invoice_levels == {2: LADDER[0]}


def test_all_on_its_way_skips_with_the_level_it_would_have_reached():
    decision = decide(PartnerFacts(1, today=TODAY), [facts(1, 20, True, level=1)], LADDER)
    assert decision.skip == SkipReason.ON_ITS_WAY
    assert decision.level.id == 2
    # the evidence gone, the follow-up resumes at its step
    decision = decide(PartnerFacts(1, today=TODAY), [facts(1, 20, False, level=1)], LADDER)
    assert decision.acts and decision.level.id == 2


@pytest.mark.parametrize(
    "late, level, skip",
    [
        (5, None, None),  # the first level still goes out
        (20, 1, SkipReason.STALE_STATEMENTS),  # the next waits for the statements
    ],
)
def test_stale_statements_hold_levels_past_the_first(late, level, skip):
    decision = decide(
        PartnerFacts(1, today=TODAY, statements_stale=True),
        [facts(1, late, level=level)],
        LADDER,
    )
    assert decision.skip == skip


@pytest.mark.parametrize(
    "text, expected",
    [
        ("We paid INV/2026/00012 yesterday", True),
        ("paid with reference F-2026-0001", True),
        ("We paid last Friday.", False),
        ("We paid 2,750.00 on 15/12", False),
    ],
)
def test_mentions_reference(text, expected):
    assert mentions_reference(text) is expected
