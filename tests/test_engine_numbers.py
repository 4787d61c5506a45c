from decimal import Decimal

import pytest
from engine.numbers import NumberError, parse_number, parse_steps


@pytest.mark.parametrize(
    ("value", "integer", "expected"),
    [
        (None, False, 0),
        (False, False, 0),
        ("", False, 0),
        (0, False, 0.0),
        (12, False, 12.0),
        (12.5, False, 12.5),
        (-3.25, False, -3.25),
        (Decimal("0.125"), False, 0.125),
        (" 12.50 ", False, 12.5),
        ("-7", False, -7.0),
        ("1e3", False, 1000.0),
        (6, True, 6),
        ("6", True, 6),
        (6.0, True, 6),
        ("12.000", True, 12),
    ],
)
def test_parse_number(value, integer, expected):
    result = parse_number(value, integer=integer)
    assert result == expected
    assert isinstance(result, int if integer else float)


@pytest.mark.parametrize(
    ("value", "integer", "code"),
    [
        ("ten", False, "not_a_number"),
        ("1,5", False, "not_a_number"),
        ("12 EUR", False, "not_a_number"),
        ("nan", False, "not_a_number"),
        ("inf", False, "not_a_number"),
        (float("nan"), False, "not_a_number"),
        (float("-inf"), False, "not_a_number"),
        (True, False, "not_a_number"),
        ([1], False, "not_a_number"),
        ({"amount": 1}, False, "not_a_number"),
        ("three", True, "not_a_number"),
        (2.5, True, "not_whole"),
        ("2.5", True, "not_whole"),
    ],
)
def test_parse_number_refuses(value, integer, code):
    with pytest.raises(NumberError) as err:
        parse_number(value, integer=integer)
    assert err.value.code == code
    assert err.value.data["value"] is value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10, 15", [10.0, 15.0]),
        ("15;10", [10.0, 15.0]),
        (" 5 , 5, 2.5 ", [2.5, 5.0]),
        ("10,", [10.0]),
        ("", []),
        (None, []),
        (False, []),
    ],
)
def test_parse_steps(text, expected):
    assert parse_steps(text) == expected


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("10, ten", "ten"),
        ("10, 0", "0"),
        ("-5", "-5"),
        ("10, nan", "nan"),
        ("inf", "inf"),
        ("1,5 ; x", "x"),
    ],
)
def test_parse_steps_refuses(text, bad):
    with pytest.raises(NumberError) as err:
        parse_steps(text)
    assert err.value.code == "bad_step"
    assert err.value.data["value"] == bad
