"""Choice of tone for a reminder: directness, formality, severity, and the
greeting that fits the customer's culture and the person written to."""

from dataclasses import dataclass
from enum import StrEnum

from .types import EngineError, Severity


class Style(StrEnum):
    """How directly a reminder says it."""

    DIRECT = "direct"
    INDIRECT = "indirect"


class Formality(StrEnum):
    """The register of a reminder."""

    FORMAL = "formal"
    INFORMAL = "informal"


DIRECT, INDIRECT = Style.DIRECT, Style.INDIRECT
FORMAL, INFORMAL = Formality.FORMAL, Formality.INFORMAL

FEMALE = "female"
MALE = "male"


class ToneError(EngineError):
    """An unknown severity or formality."""


@dataclass(frozen=True)
class Tone:
    style: str  # direct / indirect
    formality: str  # formal / informal
    severity: str  # Severity value

    @property
    def key(self):
        return f"{self.style}_{self.formality}"


def choose_tone(style, formality, tier, severity, *, good_record=False) -> Tone:
    """Pick the wording variant for one reminder.

    - the customer's own communication style is kept (direct or indirect);
    - from tier 3 (senior, legal) the wording is always formal;
    - a customer with a good payment record gets friendly wording instead of a
      firm one. The severity never changes what the text states: a courtesy
      text says "due shortly" and is never used for an overdue invoice, and a
      final notice stays a final notice.
    """
    style = style if style in (DIRECT, INDIRECT) else DIRECT
    formality = formality if formality in (FORMAL, INFORMAL) else FORMAL
    if tier >= 3:
        formality = FORMAL
    try:
        sev = Severity(severity)
    except ValueError as err:
        raise ToneError("unknown_severity", severity=severity) from err
    if good_record and sev == Severity.FIRM:
        sev = Severity.FRIENDLY
    return Tone(style=style, formality=formality, severity=sev.value)


@dataclass(frozen=True)
class Salutation:
    """Which greeting to use and the name parts it needs.

    ``key`` is one of ``formal_female``, ``formal_male``, ``formal_named``,
    ``formal_nobody``, ``informal_named``, ``informal_nobody``; the texts per
    language are a translation table on the Odoo side (e.g. French formal
    letters open with "Madame," and never with "Bonjour").
    """

    key: str
    name: str = ""
    surname: str = ""
    first_name: str = ""


def salutation(formality, person_name=None, gender=None) -> Salutation:
    """The greeting for a reminder to ``person_name`` (None: to the company
    itself, no person known) whose title gives ``gender`` (``female``, ``male``
    or None when the title says nothing of it, e.g. Doctor).

    A surname is only taken from a name of exactly two words; otherwise the
    whole name is used, so nobody is addressed by a guessed part of their name.
    """
    if formality not in (FORMAL, INFORMAL):
        raise ToneError("unknown_formality", formality=formality)
    name = " ".join((person_name or "").split())
    if not name:
        return Salutation(f"{formality}_nobody")
    parts = name.split(" ")
    surname = parts[-1] if len(parts) == 2 else name
    first_name = parts[0] if len(parts) >= 2 else name
    if formality == INFORMAL:
        return Salutation("informal_named", name, surname, first_name)
    if gender in (FEMALE, MALE):
        return Salutation(f"formal_{gender}", name, surname, first_name)
    return Salutation("formal_named", name, surname, first_name)
