"""Plain value types shared by the engine modules."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class EngineError(ValueError):
    """Bad input or an impossible request. ``code`` names the problem and ``data``
    holds its details, so the Odoo side can word a translated message. Each engine
    module has its own subclass (``LadderError``, ``SlotError``...)."""

    def __init__(self, code, **data):
        super().__init__(code)
        self.code = code
        self.data = data


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
    PENDING = "pending"  # an earlier reminder still waits for review or printing
    # this level was rejected by a person, or could not be delivered, since the
    # last delivered reminder: it is not proposed again by itself
    REFUSED = "refused"
    NOTHING_NEW = "nothing_new"
    NO_INVOICE = "no_invoice"
    # credits in the customer's favour (credit notes, payments) are not applied
    # yet: a demand would ask for more than is owed; a person applies them first
    CREDITS = "credits"
    # the customer answered a reminder: the daily run waits a few working days
    # (a person may still send)
    REPLIED = "replied"
    # every invoice the reminder would demand has a payment on its way (a
    # pending transaction, a bank statement line, a "we paid" reply)
    ON_ITS_WAY = "on_its_way"
    # the company's bank statements are older than it allows: a reminder past
    # the first level waits until they are imported (a payment may be there)
    STALE_STATEMENTS = "stale_statements"


class Mode(StrEnum):
    """Who asks: the daily run, "Send reminder now" or "Escalate one level"."""

    RUN = "run"
    SEND_NOW = "send_now"
    ESCALATE = "escalate"


class Section(StrEnum):
    """Where an invoice stands in a reminder."""

    MAIN = "main"  # the invoices the reminder's level is about
    OVERDUE = "overdue"  # other overdue invoices, listed so none is hidden
    DUE_SOON = "due_soon"  # not due yet, listed under their own heading
    ON_ITS_WAY = "on_its_way"  # a payment is on its way: thanked, not demanded


@dataclass(frozen=True)
class LevelSpec:
    """One rung of a dunning ladder."""

    id: int
    days: int
    tier: int
    severity: str = Severity.FRIENDLY.value
    # every channel the level asks for, by key (the adapters' registry: email,
    # letter, call, activity, legal...): a channel added as one adapter
    # needs no field here
    channels: frozenset = frozenset()
    needs_review: bool = False
    # the days the wording gives the customer to respond ("within 7 days"): no
    # next step comes before they are over
    response_days: int = 0

    @property
    def has_action(self):
        return bool(self.channels)

    @property
    def before_due(self):
        """A level for invoices not due yet (a courtesy reminder)."""
        return self.days <= 0


@dataclass(frozen=True)
class InvoiceFacts:
    """What the engine needs to know of one open customer invoice."""

    id: int
    due_date: date
    residual: int  # minor units of the company currency (compared with the tolerance)
    level_id: int | None = None  # level of the last reminder *delivered* for it
    last_reminded: date | None = None  # when that reminder was delivered
    hold_until: date | None = None
    # remind again at the level reached (a hold asked for it, e.g. a broken promise)
    remind: bool = False
    # a payment of it is on its way (engine.evidence): not demanded, no climb
    on_its_way: bool = False

    def age(self, today):
        """Days past the due date (0 on the due date, negative before)."""
        return (today - self.due_date).days

    def held(self, today):
        return bool(self.hold_until and self.hold_until >= today)


@dataclass(frozen=True)
class PartnerFacts:
    """What the engine needs to know of one customer (commercial partner)."""

    id: int
    today: date  # the customer's own today (its time zone)
    hardship: bool = False
    paused_until: date | None = None
    last_contact: date | None = None  # last reminder actually delivered
    response_days: int = 0  # the days that reminder gave to respond
    pending: bool = False  # a reminder waits for review or printing
    refused: frozenset = frozenset()  # level ids not to propose again (see SkipReason)
    credit: int = 0  # open credits in its favour, not applied (minor units, > 0)
    # the customer replied to a reminder: no automatic reminder until this day
    # (included)
    replied_until: date | None = None
    # the company's newest bank statement is older than it allows
    statements_stale: bool = False

    def wait_until(self, min_gap_days):
        """First day a new contact may go out (None: at once)."""
        if not self.last_contact:
            return None
        return self.last_contact + timedelta(days=max(min_gap_days, self.response_days, 0))


@dataclass(frozen=True)
class InvoiceDecision:
    """One invoice of a reminder: its section and the level it reaches by it
    (None: listed, its level does not change)."""

    id: int
    section: Section
    level: LevelSpec | None = None


@dataclass(frozen=True)
class Decision:
    """The outcome for one customer: a reminder at ``level`` listing ``invoices``,
    or ``skip`` (then ``level`` says what was due, for the history)."""

    partner_id: int
    level: LevelSpec | None = None
    invoices: tuple[InvoiceDecision, ...] = ()
    skip: SkipReason | None = None
    # when the main invoices were last reminded (None: no earlier reminder, so
    # the wording must not refer to one)
    previous_date: date | None = None
    wait_until: date | None = None  # for MIN_GAP: when the next contact may go out

    @property
    def acts(self):
        return self.level is not None and self.skip is None

    @property
    def invoice_ids(self):
        return [line.id for line in self.invoices]

    def section_ids(self, section):
        return [line.id for line in self.invoices if line.section == section]

    @property
    def invoice_levels(self):
        """{invoice id: level} of the invoices whose level moves with this reminder."""
        return {line.id: line.level for line in self.invoices if line.level}
