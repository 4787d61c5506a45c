import pytest
from engine.money import MoneyError, to_major, to_minor
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "amount, decimals, minor",
    [
        ("12.345", 2, 1235),
        ("0.005", 2, 1),
        ("1000.4", 0, 1000),
        ("1.0005", 3, 1001),
        (7, 2, 700),
        # floats as Odoo stores them: half-up on their decimal value
        (2.675, 2, 268),  # round(2.675 * 100) == 267
        (0.125, 2, 13),  # round(0.125 * 100) == 12 (half-even)
        (1.005, 2, 101),  # round(1.005 * 100) == 100
        (-2.675, 2, -268),
        (1234.5, 0, 1235),
        ("0.0005", 3, 1),
    ],
)
def test_to_minor_rounds_half_up_on_the_decimal_value(amount, decimals, minor):
    assert to_minor(amount, decimals) == minor
    assert to_major(minor, decimals) == pytest.approx(float(minor) / 10**decimals)


@pytest.mark.parametrize("decimals", [-1, 5, 8])
def test_unsupported_decimals_are_refused(decimals):
    with pytest.raises(MoneyError):
        to_minor(1, decimals)


@given(
    minor=st.integers(min_value=-(10**12), max_value=10**12), decimals=st.sampled_from([0, 2, 3])
)
def test_minor_units_survive_the_round_trip(minor, decimals):
    assert to_minor(to_major(minor, decimals), decimals) == minor
