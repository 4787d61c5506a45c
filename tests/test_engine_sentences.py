import pytest
from engine.sentences import clause


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Acme Inc.", "Acme Inc"),
        (
            "outside the hours the customer may be contacted.",
            "outside the hours the customer may be contacted",
        ),
        ("Deco Addict", "Deco Addict"),
        ("trailing space. ", "trailing space"),
        ("", ""),
        (None, ""),
        ("...", ""),
    ],
)
def test_a_value_before_a_period_has_none_of_its_own(text, expected):
    assert clause(text) == expected
    assert ".." not in clause(text) + "."
