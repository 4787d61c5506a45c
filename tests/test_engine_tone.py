import pytest
from engine.tone import ToneError, choose_tone, salutation


@pytest.mark.parametrize(
    "style, formality, tier, severity, good, expected",
    [
        ("direct", "informal", 1, "friendly", False, ("direct", "informal", "friendly")),
        ("indirect", "formal", 1, "courtesy", False, ("indirect", "formal", "courtesy")),
        # senior and legal tiers are always formal
        ("direct", "informal", 3, "firm", False, ("direct", "formal", "firm")),
        ("indirect", "informal", 4, "final", False, ("indirect", "formal", "final")),
        # good record: friendly instead of firm ...
        ("direct", "formal", 1, "firm", True, ("direct", "formal", "friendly")),
        # ... but never a courtesy text ("due shortly") for an overdue invoice,
        ("direct", "formal", 1, "friendly", True, ("direct", "formal", "friendly")),
        ("direct", "formal", 1, "courtesy", True, ("direct", "formal", "courtesy")),
        # and a final notice stays one
        ("direct", "formal", 4, "final", True, ("direct", "formal", "final")),
        # unknown profile values fall back to direct and formal
        (False, None, 1, "friendly", False, ("direct", "formal", "friendly")),
    ],
)
def test_choose_tone(style, formality, tier, severity, good, expected):
    tone = choose_tone(style, formality, tier, severity, good_record=good)
    assert (tone.style, tone.formality, tone.severity) == expected
    assert tone.key == f"{expected[0]}_{expected[1]}"


def test_unknown_severity_is_refused():
    with pytest.raises(ToneError) as err:
        choose_tone("direct", "formal", 1, "shouting")
    assert err.value.code == "unknown_severity"


@pytest.mark.parametrize(
    "formality, name, gender, key, surname, first_name",
    [
        ("formal", None, None, "formal_nobody", "", ""),
        ("formal", "  ", "female", "formal_nobody", "", ""),
        ("informal", None, None, "informal_nobody", "", ""),
        ("formal", "Claire Dubois", "female", "formal_female", "Dubois", "Claire"),
        ("formal", "Jonas Bergmann", "male", "formal_male", "Bergmann", "Jonas"),
        # Doctor, Professor or no title: no guess at the gender
        ("formal", "Claire Dubois", None, "formal_named", "Dubois", "Claire"),
        # three words: no guess at the surname either
        ("formal", "Ana María García", "female", "formal_female", "Ana María García", "Ana"),
        ("informal", "Claire  Dubois", "female", "informal_named", "Dubois", "Claire"),
        ("informal", "Madonna", None, "informal_named", "Madonna", "Madonna"),
    ],
)
def test_salutation(formality, name, gender, key, surname, first_name):
    result = salutation(formality, name, gender)
    assert (result.key, result.surname, result.first_name) == (key, surname, first_name)


def test_salutation_refuses_unknown_formality():
    with pytest.raises(ToneError):
        salutation("casual", "Claire Dubois")
