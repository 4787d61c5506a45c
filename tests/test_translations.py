"""Every translated sentence keeps the facts of the original: the same named
placeholders (an amount, a date, an address left out is a customer told less
than the truth)."""

import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ("payment_followup_plus", "payment_followup_plus_sale")
PLACEHOLDER = re.compile(r"%\(\w+\)s")
# French formal letters open with "Madame," / "Monsieur," / "Madame, Monsieur,":
# the convention leaves the name out on purpose
GREETINGS = {"Dear %(name)s,", "Dear Mr %(surname)s,", "Dear Ms %(surname)s,"}


@pytest.mark.parametrize("addon", ADDONS)
@pytest.mark.parametrize("lang", ["fr", "de"])
def test_every_entry_is_translated_with_the_same_placeholders(addon, lang):
    i18n = ROOT / addon / "i18n"
    catalog = polib.pofile(str(i18n / f"{lang}.po"))
    template = {entry.msgid for entry in polib.pofile(str(i18n / f"{addon}.pot"))}
    assert {entry.msgid for entry in catalog} == template
    untranslated = [entry.msgid for entry in catalog if not entry.msgstr]
    assert untranslated == []
    lost = [
        entry.msgid
        for entry in catalog
        if set(PLACEHOLDER.findall(entry.msgid)) != set(PLACEHOLDER.findall(entry.msgstr))
        and not (lang == "fr" and entry.msgid in GREETINGS)
    ]
    assert lost == []
