"""Every test written is a test that runs: a ``test_*`` function hidden inside
another function (after a helper's ``return``) or shadowed by a second method
of the same name in its class is never collected, so it can never fail."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_FILES = sorted(
    [*ROOT.glob("payment_followup_plus*/tests/*.py"), *(ROOT / "tests").glob("*.py")]
)


def _problems(source):
    tree = ast.parse(source)
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            problems += [
                "%s is hidden inside %s" % (sub.name, node.name)
                for sub in ast.walk(node)
                if sub is not node
                and isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef)
                and sub.name.startswith("test")
            ]
        if isinstance(node, ast.ClassDef):
            names = [n.name for n in node.body if isinstance(n, ast.FunctionDef)]
            problems += [
                "%s.%s is defined twice" % (node.name, name)
                for name in sorted(
                    {n for n in names if n.startswith("test") and names.count(n) > 1}
                )
            ]
    return problems


@pytest.mark.parametrize("path", TEST_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_is_collected(path):
    assert _problems(path.read_text()) == []


@pytest.mark.parametrize(
    "source, problem",
    [
        (
            "def helper():\n    return 1\n\n    def test_lost(self):\n        assert 0\n",
            "test_lost is hidden inside helper",
        ),
        (
            "class T:\n    def test_a(self):\n        pass\n\n    def test_a(self):\n        pass\n",
            "T.test_a is defined twice",
        ),
    ],
)
def test_the_check_sees_a_lost_test(source, problem):
    assert _problems(source) == [problem]
