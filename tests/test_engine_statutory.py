"""Statutory interest and compensation: the shared vectors of DOMAIN.md, plus
our own cases for each rule (partial payments, Belgium's rounding, France's
contract floor, the UK and Dutch scales, bad input)."""

from datetime import date
from decimal import Decimal

import pytest
from engine.statutory import (
    StatutoryError,
    bik,
    compensation,
    consumer_default_start,
    half_year,
    interest,
    statutory_rate,
)

D = Decimal
RATES = {
    # Bundesbank base rate (§247 BGB)
    ("de_base", date(2024, 1, 1)): D("3.62"),
    ("de_base", date(2024, 7, 1)): D("3.37"),
    ("de_base", date(2025, 1, 1)): D("2.27"),
    ("de_base", date(2025, 7, 1)): D("1.27"),
    ("de_base", date(2026, 1, 1)): D("1.27"),
    # ECB main refinancing rate on 1 January / 1 July
    ("ecb", date(2025, 1, 1)): D("3.15"),
    ("ecb", date(2025, 7, 1)): D("2.15"),
    ("ecb", date(2026, 1, 1)): D("2.15"),
    # Bank of England base rate on 31 December / 30 June
    ("boe", date(2025, 1, 1)): D("4.75"),
    ("boe", date(2025, 7, 1)): D("4.25"),
    # French legal interest rate for professionals
    ("fr_legal_pro", date(2026, 1, 1)): D("2.62"),
}


@pytest.mark.parametrize(
    ("case", "jurisdiction", "consumer", "principal", "due", "until", "expected", "days"),
    [
        ("DE B2B", "de", False, 1000000, date(2025, 6, 15), date(2025, 9, 30), 30518, [15, 92]),
        ("DE consumer", "de", True, 1000000, date(2025, 6, 15), date(2025, 9, 30), 18792, [15, 92]),
        ("DE year end", "de", False, 250000, date(2024, 11, 20), date(2025, 2, 10), 6639, [41, 41]),
        ("UK B2B", "uk", False, 500000, date(2025, 3, 1), date(2025, 8, 31), 31538, [121, 62]),
        ("FR B2B", "fr", False, 200000, date(2025, 11, 30), date(2026, 1, 31), 4128, [31, 31]),
        ("EU default", "eu", False, 750000, date(2025, 5, 31), date(2025, 7, 15), 10002, [30, 15]),
    ],
)
def test_domain_vectors(case, jurisdiction, consumer, principal, due, until, expected, days):
    result = interest(jurisdiction, principal, due, until, RATES, 2, consumer=consumer)
    assert result.amount == expected, case
    assert [p.days for p in result.periods] == days
    assert sum(days) == (until - due).days


def test_rates_of_each_half_year():
    de = interest("de", 1000000, date(2025, 6, 15), date(2025, 9, 30), RATES, 2)
    assert [p.rate for p in de.periods] == [D("11.27"), D("10.27")]
    uk = interest("uk", 500000, date(2025, 3, 1), date(2025, 8, 31), RATES, 2)
    assert [p.rate for p in uk.periods] == [D("12.75"), D("12.25")]


@pytest.mark.parametrize(
    ("principal", "expected"),
    [(99999, 4000), (100000, 7000), (999999, 7000), (1000000, 10000), (5000000, 10000)],
)
def test_uk_fixed_compensation_by_debt(principal, expected):
    assert compensation("uk", principal) == expected


def test_forty_euro_per_invoice_and_per_german_installment():
    # three late invoices: three times €40 (CJEU C-370/21)
    assert sum(compensation("fr", amount) for amount in (10000, 20000, 30000)) == 12000
    assert compensation("eu", 100) == 4000
    # Germany: a plan's three late installments, €40 each (§288(5) BGB)
    assert compensation("de", 300000, installments=3) == 16000
    # consumers: no fixed compensation, except the Dutch BIK after the 14-day letter
    assert compensation("de", 300000, consumer=True) == 0
    assert compensation("nl", 300000, consumer=True) == 0
    assert compensation("nl", 300000, consumer=True, letter_expired=True) == 42500
    assert compensation("nl", 300000) == 4000


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        (10000, 4000),
        (26667, 4000),
        (300000, 42500),
        (1000000, 87500),
        (30000000, 327500),
        (200000000, 677500),
    ],
)
def test_dutch_collection_costs(principal, expected):
    assert bik(principal) == expected


def test_partial_payment_reduces_the_principal_from_the_day_received():
    # EUR 10,000 late from 16 June; 4,000 paid on 1 August
    result = interest(
        "de",
        1000000,
        date(2025, 6, 15),
        date(2025, 9, 30),
        RATES,
        2,
        payments=[(date(2025, 8, 1), 400000)],
    )
    assert [(p.days, p.principal) for p in result.periods] == [
        (15, 1000000),
        (31, 1000000),
        (61, 600000),
    ]
    # 10,000 × (15 × 11.27 % + 31 × 10.27 %) / 365 + 6,000 × 61 × 10.27 % / 365 = 236.52
    assert result.amount == 23652
    # paid in full: nothing runs after
    done = interest(
        "de",
        1000000,
        date(2025, 6, 15),
        date(2025, 9, 30),
        RATES,
        2,
        payments=[(date(2025, 7, 1), 1000000)],
    )
    assert [p.days for p in done.periods] == [15]


def test_belgium_rounds_up_to_the_next_half_point():
    assert statutory_rate("be", False, date(2025, 7, 10), RATES) == D("10.5")  # 2.15 + 8
    assert statutory_rate("be", False, date(2025, 3, 10), RATES) == D("11.5")  # 3.15 + 8


def test_contract_rate_and_the_french_floor():
    until = date(2026, 3, 31)
    # 3 × 2.62 % = 7.86 %: a lower contract rate is refused
    with pytest.raises(StatutoryError) as err:
        interest("fr", 200000, date(2026, 1, 31), until, RATES, 2, contract_rate=D("7.85"))
    assert err.value.code == "contract_below_floor"
    assert err.value.data["floor"] == D("7.86")
    ok = interest("fr", 200000, date(2026, 1, 31), until, RATES, 2, contract_rate=D("7.86"))
    assert ok.periods[0].rate == D("7.86")
    assert ok.amount == 2541  # 2,000 × 59 × 7.86 % / 365 = 25.41
    # elsewhere a contract rate simply replaces the statutory one
    de = interest("de", 1000000, date(2025, 6, 15), date(2025, 9, 30), RATES, 2, contract_rate=5)
    assert de.amount == 14658  # 10,000 × 107 × 5 % / 365


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"jurisdiction": "xx"}, "unknown_jurisdiction"),
        ({"until": date(2025, 6, 15)}, "until_before_due"),
        ({"until": date(2025, 6, 1)}, "until_before_due"),
        ({"principal": 0}, "principal_not_positive"),
        ({"principal": -500}, "principal_not_positive"),
        ({"due": date(2023, 12, 1)}, "missing_rate"),
        ({"jurisdiction": "uk", "consumer": True}, "consumer_not_covered"),
        ({"jurisdiction": "be", "consumer": True}, "consumer_not_covered"),
        ({"payments": [(date(2025, 7, 1), 0)]}, "payment_not_positive"),
        ({"contract_rate": 0}, "contract_rate_not_positive"),
        ({"jurisdiction": "fr", "contract_rate": 5}, "missing_rate"),
    ],
)
def test_bad_input_is_refused(kwargs, code):
    args = {
        "jurisdiction": "de",
        "principal": 1000000,
        "due": date(2025, 6, 15),
        "until": date(2025, 9, 30),
        "rates": RATES,
        "decimals": 2,
    }
    args.update(kwargs)
    with pytest.raises(StatutoryError) as err:
        interest(**args)
    assert err.value.code == code


def test_missing_rate_names_what_is_missing():
    with pytest.raises(StatutoryError) as err:
        interest("uk", 500000, date(2025, 12, 1), date(2026, 2, 1), RATES, 2)
    assert err.value.data == {"kind": "boe", "period": date(2026, 1, 1)}


def test_half_years():
    assert half_year(date(2025, 6, 30)) == date(2025, 1, 1)
    assert half_year(date(2025, 7, 1)) == date(2025, 7, 1)
    assert half_year(date(2025, 12, 31)) == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("reminded_on", "expected"),
    [
        ([], None),  # never reminded: no default yet
        ([date(2025, 6, 10)], None),  # reminded before the due date only
        ([date(2025, 6, 15)], None),  # on the due date: not yet late
        ([date(2025, 6, 16)], date(2025, 6, 17)),
        ([date(2025, 8, 1), date(2025, 6, 30), date(2025, 6, 1)], date(2025, 7, 1)),
    ],
)
def test_consumers_are_late_from_the_day_after_a_reminder(reminded_on, expected):
    assert consumer_default_start(date(2025, 6, 15), reminded_on) == expected


def test_a_consumer_reminded_later_owes_interest_from_then():
    start = consumer_default_start(date(2025, 6, 15), [date(2025, 6, 30)])
    result = interest(
        "de", 1000000, date(2025, 6, 15), date(2025, 9, 30), RATES, 2, consumer=True, start=start
    )
    assert [(p.start, p.days, p.rate) for p in result.periods] == [
        (date(2025, 7, 1), 92, D("6.27"))
    ]
    assert result.amount == 15804  # 10,000 × 92 × 6.27 % / 365 = 158.04
