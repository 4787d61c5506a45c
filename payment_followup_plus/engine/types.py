"""Plain value types shared by the engine modules."""

from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum


class EngineError(ValueError):
    """Bad input or an impossible request. ``code`` names the problem and ``data``
    holds its details, so the Odoo side can word a translated message."""

    def __init__(self, code, **data):
        super().__init__(code)
        self.code = code
        self.data = data


class Tier(int, Enum):
    AUTOMATED = 1
    COLLECTOR = 2
    SENIOR = 3
    LEGAL = 4


class Severity(StrEnum):
    COURTESY = "courtesy"
    FRIENDLY = "friendly"
    FIRM = "firm"
    FINAL = "final"


SEVERITY_ORDER = (Severity.COURTESY, Severity.FRIENDLY, Severity.FIRM, Severity.FINAL)


class SkipReason(StrEnum):
    HARDSHIP = "hardship"
    PAUSED = "paused"
    MIN_GAP = "min_gap"
    NOTHING_NEW = "nothing_new"
    NO_INVOICE = "no_invoice"


@dataclass(frozen=True)
class LevelSpec:
    """One rung of a dunning ladder."""

    id: int
    days: int
    tier: int
    severity: str = Severity.FRIENDLY.value
    send_email: bool = False
    send_letter: bool = False
    create_activity: bool = False
    schedule_call: bool = False
    needs_review: bool = False

    @property
    def has_action(self):
        return self.send_email or self.send_letter or self.create_activity or self.schedule_call


@dataclass(frozen=True)
class InvoiceFacts:
    """What the engine needs to know of one open customer invoice."""

    id: int
    due_date: date
    residual: float
    level_days: int | None = None  # days of the level already reached, None if none
    hold_until: date | None = None
    # remind again at the level reached (a hold asked for it, e.g. "remind in N days")
    remind: bool = False


@dataclass(frozen=True)
class PartnerFacts:
    """What the engine needs to know of one customer (commercial partner)."""

    id: int
    hardship: bool = False
    paused_until: date | None = None
    last_contact: date | None = None


@dataclass
class Decision:
    """The outcome for one customer: act at ``level`` on ``invoice_ids``, or skip."""

    partner_id: int
    level: LevelSpec | None = None
    # every overdue invoice of the customer, listed in the reminder
    invoice_ids: list[int] = field(default_factory=list)
    # invoice id -> level reached by that invoice in this run
    invoice_levels: dict[int, LevelSpec] = field(default_factory=dict)
    skip: SkipReason | None = None

    @property
    def acts(self):
        return self.level is not None and self.skip is None
