"""Choice of tone for a reminder: directness, formality and severity."""

from dataclasses import dataclass

from .types import SEVERITY_ORDER, Severity

DIRECT = "direct"
INDIRECT = "indirect"
FORMAL = "formal"
INFORMAL = "informal"


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
    - a customer with a good payment record gets one step gentler wording on
      friendly and firm reminders (never on courtesy or final notices).
    """
    style = style if style in (DIRECT, INDIRECT) else DIRECT
    formality = formality if formality in (FORMAL, INFORMAL) else FORMAL
    if tier >= 3:
        formality = FORMAL
    sev = Severity(severity)
    if good_record and sev in (Severity.FRIENDLY, Severity.FIRM):
        sev = SEVERITY_ORDER[SEVERITY_ORDER.index(sev) - 1]
    return Tone(style=style, formality=formality, severity=sev.value)
