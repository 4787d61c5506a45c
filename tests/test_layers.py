"""One-way dependencies between the addon's folders (issue #24).

The follow-up itself (``models/core``, ``channels``, ``run``, ``plans``,
``experiments``) never names a legal, portal or report model; the legal part
never names a portal or report model; the portal never names a report model.
Where a lower part needs one, it calls a hook the upper part overrides (the
reminder's and the plan's signed links, the charges sentence, the names of
reference rates). Each model belongs to the folder of the file that declares
its ``_name``; this test reads every file, its model names and its imports."""

import re
from pathlib import Path

import pytest

ADDON = Path(__file__).resolve().parent.parent / "payment_followup_plus"
FOUNDATION = ("core", "channels", "run", "plans", "experiments")
# each part, and the parts it may name besides itself
MAY_NAME = {
    **{part: set(FOUNDATION) for part in FOUNDATION},
    "legal": set(FOUNDATION),
    "portal": {*FOUNDATION, "legal"},
    "report": {*FOUNDATION, "legal", "portal"},
}
# the report models, the cockpit and the to-do list live beside the QWeb reports
FOLDERS = {part: ADDON / "models" / part for part in (*FOUNDATION, "legal", "portal")}
FOLDERS["report"] = ADDON / "report"

DECLARED = re.compile(r'^\s+_name = "([\w.]+)"', re.M)
# a relative import of another part: "from ..legal.x import" or "from ..models.core.x"
IMPORTED = re.compile(r"^\s*from \.+(?:models\.)?(\w+)\.\w+ import", re.M)


def _files():
    return {
        path: part
        for part, folder in FOLDERS.items()
        for path in sorted(folder.glob("*.py"))
        if path.name != "__init__.py"
    }


def _owners(files):
    return {
        name: part for path, part in files.items() for name in DECLARED.findall(path.read_text())
    }


def _named_parts(source, owners):
    """The parts a source names: by a model's name in quotes, or by an import."""
    quoted = re.findall(r'"([a-z_]+(?:\.[a-z_]+)+)"', source)
    named = {owners[name] for name in quoted if name in owners}
    named |= {part for part in IMPORTED.findall(source) if part in MAY_NAME}
    return named


FILES = _files()
OWNERS = _owners(FILES)


def test_every_models_file_is_in_a_part():
    """No model file sits loose in models/: each is in the folder of its part."""
    loose = [p.name for p in (ADDON / "models").glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    assert len(FILES) > 80 and set(FILES.values()) == set(MAY_NAME)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_part_names_only_the_parts_below_it(path):
    part = FILES[path]
    wrong = _named_parts(path.read_text(), OWNERS) - MAY_NAME[part] - {part}
    assert not wrong, f"{part}/{path.name} names {sorted(wrong)}: use a hook"


@pytest.mark.parametrize(
    "part, source, wrong",
    [
        ("core", 'self.env["payment.followup.legal.case"]', {"legal"}),
        ("run", 'self.env["payment.followup.portal"]._url(p)', {"portal"}),
        ("plans", "from ..portal.payment_followup_portal import X", {"portal"}),
        ("core", "from ..legal.payment_followup_legal import JURISDICTION_SELECTION", {"legal"}),
        ("legal", 'comodel = "payment.followup.dashboard"', {"report"}),
        ("run", 'self.env["payment.followup.reminder"]', set()),
        ("portal", 'self.env["payment.followup.legal.case"]', set()),
        ("report", "from ..models.core.payment_followup_level import TIERS", set()),
    ],
)
def test_the_rule_catches_a_name(part, source, wrong):
    assert _named_parts(source, OWNERS) - MAY_NAME[part] - {part} == wrong
