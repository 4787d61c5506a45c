import pytest
from engine.tone import choose_tone


@pytest.mark.parametrize(
    "style, formality, tier, severity, good, expected",
    [
        ("direct", "informal", 1, "friendly", False, ("direct", "informal", "friendly")),
        ("indirect", "formal", 1, "courtesy", False, ("indirect", "formal", "courtesy")),
        # senior and legal tiers are always formal
        ("direct", "informal", 3, "firm", False, ("direct", "formal", "firm")),
        ("indirect", "informal", 4, "final", False, ("indirect", "formal", "final")),
        # good record: one step gentler, never below courtesy, never on final notices
        ("direct", "formal", 1, "firm", True, ("direct", "formal", "friendly")),
        ("direct", "formal", 1, "friendly", True, ("direct", "formal", "courtesy")),
        ("direct", "formal", 1, "courtesy", True, ("direct", "formal", "courtesy")),
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
    with pytest.raises(ValueError):
        choose_tone("direct", "formal", 1, "shouting")
