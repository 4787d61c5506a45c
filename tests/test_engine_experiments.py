"""The experiments' statistics, table-tested against the values statsmodels
0.15 gives for the same inputs (``proportion_confint(method="wilson")``,
``confint_proportions_2indep(method="newcomb", compare="diff")`` and
``samplesize_proportions_2indep_onetail(alternative="two-sided")``), written
here so the tests need no statistics package."""

import pytest
from engine.experiments import (
    ArmFigures,
    ExperimentError,
    Status,
    assign,
    newcombe,
    sample_size,
    social_norm,
    status,
    wilson,
)

WILSON = [
    (0, 10, 0.0, 0.2775327999),
    (3, 10, 0.1077912674, 0.6032218525),
    (10, 10, 0.7224672001, 1.0),
    (45, 100, 0.3561453798, 0.54755397),
    (120, 385, 0.2674733068, 0.35962407),
    (1, 1, 0.2065493144, 1.0),
]
NEWCOMBE = [
    (56, 70, 48, 80, 0.2, 0.0524314724, 0.333872654),
    (9, 10, 3, 10, 0.6, 0.1705227239, 0.8090179735),
    (30, 100, 30, 100, 0.0, -0.1255238315, 0.1255238315),
    (120, 385, 160, 388, -0.1006828223, -0.1671344619, -0.0329245943),
    (0, 20, 5, 20, -0.25, -0.4687008776, -0.0377654456),
]
SAMPLE_SIZE = [
    # statsmodels gives the real number (387.34...); a sample is whole: rounded up
    (0.4, 0.1, 388),
    (0.4, 0.15, 173),
    (0.3, 0.4, 24),
    (0.2, 0.05, 1094),
    (0.5, -0.1, 388),
    (0.1, 0.02, 3841),
]


@pytest.mark.parametrize(("successes", "trials", "low", "high"), WILSON)
def test_wilson_matches_the_reference(successes, trials, low, high):
    got = wilson(successes, trials)
    assert got == pytest.approx((low, high), abs=1e-9)


@pytest.mark.parametrize(("s1", "n1", "s0", "n0", "diff", "low", "high"), NEWCOMBE)
def test_newcombe_matches_the_reference(s1, n1, s0, n0, diff, low, high):
    got = newcombe(s1, n1, s0, n0)
    assert got == pytest.approx((diff, low, high), abs=1e-9)


@pytest.mark.parametrize(("baseline", "effect", "expected"), SAMPLE_SIZE)
def test_sample_size_matches_the_reference(baseline, effect, expected):
    assert sample_size(baseline, effect) == expected


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ((0, 0), "counts_invalid"),
        ((5, 3), "counts_invalid"),
        ((-1, 3), "counts_invalid"),
    ],
)
def test_wilson_refuses(args, code):
    with pytest.raises(ExperimentError) as err:
        wilson(*args)
    assert err.value.code == code


@pytest.mark.parametrize(("baseline", "effect"), [(0.0, 0.1), (0.95, 0.1), (0.4, 0.0), (1.2, 0.1)])
def test_sample_size_refuses(baseline, effect):
    with pytest.raises(ExperimentError):
        sample_size(baseline, effect)


def test_assignment_is_stable_and_follows_the_shares():
    first = [assign("exp:1", partner, [1, 1]) for partner in range(2000)]
    again = [assign("exp:1", partner, [1, 1]) for partner in reversed(range(2000))][::-1]
    assert first == again
    assert 900 < first.count(0) < 1100
    other = [assign("exp:2", partner, [1, 1]) for partner in range(2000)]
    assert other != first, "another experiment draws anew"
    weighted = [assign("exp:1", partner, [3, 1]) for partner in range(4000)]
    assert 2800 < weighted.count(0) < 3200
    with pytest.raises(ExperimentError):
        assign("exp:1", 1, [0, 0])


def control(n, paid):
    return ArmFigures("control", n, paid)


@pytest.mark.parametrize(
    ("arm", "ctrl", "planned", "expected", "needed"),
    [
        # no peeking: a large gap before the planned size is still collecting
        (ArmFigures("b", 50, 45), control(50, 10), 100, Status.COLLECTING, 100),
        (ArmFigures("b", 100, 45), control(90, 40), 100, Status.COLLECTING, 10),
        (ArmFigures("b", 100, 70), control(100, 40), 100, Status.BETTER, 0),
        (ArmFigures("b", 100, 20), control(100, 40), 100, Status.WORSE, 0),
        (ArmFigures("b", 100, 44), control(100, 40), 100, Status.NO_DIFFERENCE, 0),
        (ArmFigures("b", 0, 0), control(0, 0), 10, Status.COLLECTING, 20),
    ],
)
def test_status(arm, ctrl, planned, expected, needed):
    (comparison,) = status(ctrl, [arm], planned)
    assert comparison.status == expected
    assert comparison.still_needed == needed
    if arm.reminders and ctrl.reminders:
        assert comparison.low <= comparison.difference <= comparison.high


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([3] * 7 + [40] * 3, None),  # too few customers to say it
        ([3] * 14 + [40] * 6, (7, 7)),
        ([10] * 12 + [50] * 8, (6, 14)),
        ([20] * 13 + [90] * 7, (6, 30)),
        ([100] * 20, None),  # not true within 60 days: never shown
        ([5] * 11 + [90] * 9, None),  # 5.5 in 10 within 7: not "most" in whole tenths
        ([None] * 30, None),
    ],
)
def test_social_norm_only_when_true(days, expected):
    norm = social_norm(days)
    assert (norm and (norm.in_ten, norm.days)) == expected
