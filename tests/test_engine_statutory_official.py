"""Statutory interest checked against what public authorities published.

- The UK government's own worked example (gov.uk, "Late commercial payments:
  charging interest and debt recovery").
- The late-payment rates that Belgium, the Netherlands, France, Germany and the
  UK published for past half-years, recomputed by the engine's rules from the
  reference rates this addon ships (data/payment_followup_legal_rate_data.xml),
  so a typo in the shipped table or a wrong rule fails here.
- The Bundesbank's base rates, recomputed with §247(1) BGB from the ECB rates.

Sources of the published figures are named on each row. They were read from
reproductions of the official publications (the Moniteur belge, the Journal
officiel and the Bundesanzeiger themselves were not reachable from here).
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from engine.statutory import (
    derive_german_base_rates,
    german_base_rate,
    interest,
    statutory_rate,
)
from lxml import etree

D = Decimal
DATA = (
    Path(__file__).resolve().parent.parent
    / "payment_followup_plus"
    / "data"
    / "payment_followup_legal_rate_data.xml"
)


def shipped_rates():
    """{(kind, half-year): rate} as the addon installs them."""
    rates = {}
    for record in etree.parse(str(DATA)).iterfind(".//record"):
        field = {f.get("name"): f.text for f in record.iterfind("field")}
        key = (field["kind"], date.fromisoformat(field["date_from"]))
        assert key not in rates, f"{key} shipped twice"
        rates[key] = D(field["rate"])
    return rates


SHIPPED = shipped_rates()


# The UK government's worked example: £1,000 owed, Bank of England base rate
# 0.5 % (the Bank Rate on 31 December 2014 and 30 June 2015), statutory
# interest 8.5 %: "£85 a year", "23p a day", "after 50 days £11.50".
GOV_UK_RATES = {("boe", date(2015, 1, 1)): D("0.5"), ("boe", date(2015, 7, 1)): D("0.5")}
GOV_UK_DUE = date(2014, 12, 31)


@pytest.mark.parametrize(
    ("days", "pence"),
    [
        (365, 8500),  # "the annual statutory interest on this would be £85"
        (1, 23),  # "23p a day"
        # "after 50 days this would be £11.50" multiplies the daily interest
        # already rounded to 23p by 50; rounding once at the end, as the law's
        # day-by-day interest is computed here, gives £11.64 (1,000 × 8.5 % ×
        # 50 / 365 = 11.6438…). The difference is that rounding alone.
        (50, 1164),
    ],
)
def test_gov_uk_worked_example(days, pence):
    until = GOV_UK_DUE + timedelta(days=days)
    result = interest("uk", 100000, GOV_UK_DUE, until, GOV_UK_RATES, 2)
    assert {p.rate for p in result.periods} == {D("8.5")}
    assert sum(p.days for p in result.periods) == days
    assert result.amount == pence


def test_gov_uk_fifty_days_is_fifty_rounded_days():
    one_day = interest("uk", 100000, GOV_UK_DUE, GOV_UK_DUE + timedelta(days=1), GOV_UK_RATES, 2)
    assert 50 * one_day.amount == 1150  # gov.uk's £11.50


@pytest.mark.parametrize(
    ("jurisdiction", "consumer", "day", "published", "source"),
    [
        # Belgium, law of 2 August 2002: ECB rate + 8, rounded up to the next half point
        ("be", False, date(2024, 3, 1), "12.5", "Moniteur belge, 1st half of 2024"),
        ("be", False, date(2024, 9, 1), "12.5", "Moniteur belge, 2nd half of 2024 (30 July)"),
        ("be", False, date(2025, 9, 1), "10.5", "Moniteur belge, 2nd half of 2025"),
        ("be", False, date(2026, 3, 1), "10.5", "Moniteur belge, 1st half of 2026"),
        # Netherlands, art. 6:119a BW (handelsrente): ECB rate + 8
        ("nl", False, date(2024, 3, 1), "12.5", "Rijksoverheid, handelsrente 1 January 2024"),
        ("nl", False, date(2024, 9, 1), "12.25", "Rijksoverheid, handelsrente 1 July 2024"),
        # France, L441-10 C. com.: ECB rate + 10 ("4,25 + 10 = 14,25 %")
        ("fr", False, date(2024, 9, 1), "14.25", "Bpifrance Création, 2nd half of 2024"),
        # France, consumers: the legal rate for private persons (arrêté of 15 Dec. 2025)
        ("fr", True, date(2026, 3, 1), "6.67", "JO of 26 December 2025"),
        # Germany, §288 BGB: base rate 1.27 % (Bundesbank, 1 January 2026) + 9 / + 5
        ("de", False, date(2026, 3, 1), "10.27", "Bundesbank, base rate 1 January 2026"),
        ("de", True, date(2026, 3, 1), "6.27", "Bundesbank, base rate 1 January 2026"),
        # UK, Late Payment Act: Bank Rate 3.75 % (18 December 2025) + 8
        ("uk", False, date(2026, 3, 1), "11.75", "Bank of England, Bank Rate 18 December 2025"),
        ("uk", False, date(2026, 9, 1), "11.75", "Bank of England, held 18 June 2026"),
    ],
)
def test_published_rates_follow_from_the_shipped_reference_rates(
    jurisdiction, consumer, day, published, source
):
    assert statutory_rate(jurisdiction, consumer, day, SHIPPED) == D(published), source


@pytest.mark.parametrize(
    ("half_year", "floor"),
    [
        # L441-10: a contract rate never below 3 × the legal rate for professionals
        (date(2024, 7, 1), "14.76"),  # 3 × 4.92 (Bpifrance Création)
        (date(2025, 7, 1), "8.28"),  # 3 × 2.76 (Legifiscal, arrêté of 19 June 2025)
        (date(2026, 1, 1), "7.86"),  # 3 × 2.62 (arrêté of 15 December 2025)
    ],
)
def test_french_contract_floor_as_published(half_year, floor):
    assert SHIPPED[("fr_legal_pro", half_year)] * 3 == D(floor)


def test_bundesbank_base_rates_follow_section_247_from_the_ecb_rates():
    """Each shipped base rate after the first is the previous one moved by the
    ECB rate's change (the Bundesbank's own published values: 3.37, 2.27,
    1.27, 1.27 from 3.62 on 1 January 2024)."""
    halves = sorted(day for kind, day in SHIPPED if kind == "de_base")
    assert len(halves) >= 5
    for previous, current in zip(halves, halves[1:], strict=False):
        derived = german_base_rate(
            SHIPPED[("de_base", previous)], SHIPPED[("ecb", previous)], SHIPPED[("ecb", current)]
        )
        assert derived == SHIPPED[("de_base", current)], current


@pytest.mark.parametrize(
    ("previous_base", "previous_ecb", "ecb", "expected"),
    [
        ("3.62", "4.50", "4.25", "3.37"),  # 1 July 2024
        ("3.37", "4.25", "3.15", "2.27"),  # 1 January 2025
        ("2.27", "3.15", "2.15", "1.27"),  # 1 July 2025
        ("1.27", "2.15", "2.15", "1.27"),  # 1 January 2026: unchanged
        ("-0.88", "0.00", "0.50", "-0.38"),  # a rise from a negative base rate
    ],
)
def test_section_247(previous_base, previous_ecb, ecb, expected):
    assert german_base_rate(D(previous_base), D(previous_ecb), D(ecb)) == D(expected)


def test_every_shipped_half_year_is_a_first_of_january_or_july():
    assert all(day.day == 1 and day.month in (1, 7) for __, day in SHIPPED)


def test_base_rates_derived_for_the_half_years_that_lack_them():
    # the shipped German rates removed after 2024 H1 come back as published
    rates = {k: v for k, v in SHIPPED.items() if k[0] != "de_base" or k[1] == date(2024, 1, 1)}
    derived = derive_german_base_rates(rates)
    assert derived == {
        day: SHIPPED[("de_base", day)]
        for kind, day in SHIPPED
        if kind == "de_base" and day != date(2024, 1, 1)
    }
    assert ("de_base", date(2024, 7, 1)) not in rates  # the input is left as it was
    # a new ECB rate (a made-up 2.40 for the second half of 2026) gives its base rate
    assert derive_german_base_rates({**SHIPPED, ("ecb", date(2026, 7, 1)): D("2.40")}) == {
        date(2026, 7, 1): D("1.52")
    }
    # nothing before the first base rate, nothing across a gap in the ECB rates
    assert derive_german_base_rates({("ecb", date(2024, 1, 1)): D("4.50")}) == {}
    gap = {
        ("de_base", date(2024, 1, 1)): D("3.62"),
        ("ecb", date(2024, 1, 1)): D("4.50"),
        ("ecb", date(2025, 1, 1)): D("3.15"),
    }
    assert derive_german_base_rates(gap) == {}
