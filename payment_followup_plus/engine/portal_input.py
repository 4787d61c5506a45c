"""What a customer types or sends on the portal, checked before anything is written.

Every function raises :class:`PortalInputError` with a ``code`` the Odoo side
turns into a translated sentence (``payment.followup.message``); the page then
shows it next to what the customer typed. Nothing here trusts the browser:
amounts are read as text, ids as text, files by their first bytes.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal

from .types import EngineError

DIGITS = frozenset("0123456789")
# the largest id PostgreSQL's integer columns hold
MAX_ID = 2**31 - 1
# no customer owes more than this in one currency (larger is a typo)
MAX_AMOUNT = Decimal("1000000000000")
MAX_FIELD = 200  # characters of a one-line value (an amount, a date, an id)
# what may stand around an amount: currency signs and codes, spaces
CURRENCY_MARKS = re.compile(r"^(?:[A-Z]{3}|Fr\.|[$€£¥₹])\s*|\s*(?:[A-Z]{3}|Fr\.|[$€£¥₹])$")
SPACES = {" ", "\u00a0", "\u202f", "\u2009", "\u2007", "'", "\u2019"}
EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)

# what a customer may send with a reason for delay: name, first bytes
UPLOAD_TYPES = (
    ("application/pdf", (b"%PDF-",)),
    ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/jpeg", (b"\xff\xd8\xff",)),
)
TOKEN_SEPARATOR = "-"
HEX = frozenset("0123456789abcdef")


class PortalInputError(EngineError):
    """A value typed or sent on the portal that cannot be used."""


def parse_amount(text, decimals, owed=None, decimal_point=".", thousands_sep=","):
    """The amount in ``text`` in minor units of a currency with ``decimals``
    decimals, read in the customer's number format (``decimal_point``,
    ``thousands_sep``): "1,000.50" in English, "1 000,50" in French,
    "1.000,50" in German; spaces and a currency sign or code around it are
    ignored. Nothing is guessed: "1,5" for a customer whose decimals are
    written "." is refused, not read as 1.5 or 15. Codes: ``amount_missing``,
    ``amount_not_number``, ``amount_format`` (a separator the customer's
    format does not use), ``amount_ambiguous`` (thousands not in groups of
    three), ``amount_negative``, ``amount_zero``, ``amount_decimals`` (more
    decimals than the currency has), ``amount_range`` (absurdly large),
    ``amount_too_much`` (more than ``owed``, in minor units)."""
    raw = unicodedata.normalize("NFKC", text if isinstance(text, str) else str(text or ""))
    raw = raw.strip()
    if not raw:
        raise PortalInputError("amount_missing")
    if len(raw) > MAX_FIELD:
        raise PortalInputError("amount_not_number", value=raw[:20] + "…")
    typed = raw
    raw = CURRENCY_MARKS.sub("", raw).strip()
    if not raw:
        raise PortalInputError("amount_not_number", value=typed)
    sign = raw[:1] in ("-", "\u2212")
    if sign:
        raw = raw[1:].strip()
    grouping = {thousands_sep} if thousands_sep and thousands_sep.strip() else set()
    compact = "".join(ch for ch in raw if ch not in SPACES)
    allowed = DIGITS | {decimal_point} | grouping
    if not compact or not set(compact) <= allowed | {".", ","}:
        raise PortalInputError("amount_not_number", value=raw)
    if not set(compact) <= allowed:
        raise PortalInputError("amount_format", value=raw)
    whole, __, fraction = (
        compact.rpartition(decimal_point)
        if decimal_point in compact
        else (
            compact,
            "",
            "",
        )
    )
    if compact.count(decimal_point) > 1 or (decimal_point in compact and not fraction):
        raise PortalInputError("amount_format", value=raw)
    if decimal_point not in compact:
        whole = compact
    groups = whole.split(thousands_sep) if grouping else [whole]
    if (
        not groups[0]
        or len(groups[0]) > (3 if len(groups) > 1 else MAX_FIELD)
        or any(len(group) != 3 for group in groups[1:])
    ):
        raise PortalInputError("amount_ambiguous", value=raw)
    digits = "".join(groups)
    if not set(digits + fraction) <= DIGITS:
        raise PortalInputError("amount_format", value=raw)
    number = Decimal(f"{digits}.{fraction}" if fraction else digits)
    if sign and number:
        raise PortalInputError("amount_negative")
    if number == 0:
        raise PortalInputError("amount_zero")
    if number > MAX_AMOUNT:
        raise PortalInputError("amount_range")
    if len(fraction) > decimals:
        raise PortalInputError("amount_decimals", decimals=decimals)
    minor = int(number.scaleb(decimals))
    if owed is not None and minor > owed:
        raise PortalInputError("amount_too_much", owed=owed)
    return minor


def parse_date(text, earliest=None, latest=None):
    """The ISO date (YYYY-MM-DD, as a browser's date field sends it) in
    ``text``, between ``earliest`` and ``latest`` when given (the range that
    makes sense for the action, checked before any computation). Codes:
    ``date_missing``, ``date_invalid``, ``date_too_early``, ``date_too_late``."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise PortalInputError("date_missing")
    if len(text) != 10 or not text.isascii():
        raise PortalInputError("date_invalid", value=text[:20])
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise PortalInputError("date_invalid", value=text) from None
    if earliest is not None and value < earliest:
        raise PortalInputError("date_too_early", date=earliest)
    if latest is not None and value > latest:
        raise PortalInputError("date_too_late", date=latest)
    return value


def date_range(today, days_ahead, days_back=0):
    """(earliest, latest) around ``today`` for :func:`parse_date`."""
    return today - timedelta(days=days_back), today + timedelta(days=days_ahead)


def parse_datetime(text):
    """A naive UTC moment sent back by the page (``YYYY-MM-DD HH:MM:SS``), as
    the slots are offered. Code: ``slot_invalid``."""
    text = text.strip() if isinstance(text, str) else ""
    if len(text) != 19 or not text.isascii():
        raise PortalInputError("slot_invalid")
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise PortalInputError("slot_invalid") from None


def parse_count(text, low, high):
    """A whole number between ``low`` and ``high``. Codes: ``count_invalid``,
    ``count_range``."""
    text = text.strip() if isinstance(text, str) else ""
    if not text or len(text) > 6 or not set(text) <= DIGITS:
        raise PortalInputError("count_invalid", value=text[:20])
    value = int(text)
    if not low <= value <= high:
        raise PortalInputError("count_range", low=low, high=high)
    return value


def parse_ids(values, allowed=None, required=True):
    """The record ids in ``values`` (a list of strings, as a form sends them).
    ``allowed``: the ids the customer may choose; any other is refused whole.
    Codes: ``ids_invalid`` (not a number, or not allowed), ``ids_missing``."""
    ids = []
    if isinstance(values, str) or not isinstance(values, list | tuple):
        values = [values] if values else []
    if len(values) > 1000:
        raise PortalInputError("ids_invalid")
    for value in values:
        text = value.strip() if isinstance(value, str) else str(value or "")
        if not text or len(text) > 10 or not set(text) <= DIGITS:
            raise PortalInputError("ids_invalid")
        number = int(text)
        if number <= 0 or number > MAX_ID or (allowed is not None and number not in allowed):
            raise PortalInputError("ids_invalid")
        if number not in ids:
            ids.append(number)
    if required and not ids:
        raise PortalInputError("ids_missing")
    return ids


def parse_hours(text_from, text_to):
    """A window of the day from two ``HH:MM`` texts, as hours (9.5 for 09:30).
    Codes: ``hours_invalid``, ``hours_order``."""

    def hours(text):
        parts = (text.strip() if isinstance(text, str) else "").split(":")
        if len(parts) != 2 or not all(p and len(p) <= 2 and set(p) <= DIGITS for p in parts):
            raise PortalInputError("hours_invalid", value=str(text)[:20])
        hh, mm = int(parts[0]), int(parts[1])
        if not (0 <= hh <= 24 and 0 <= mm < 60) or (hh == 24 and mm):
            raise PortalInputError("hours_invalid", value=text)
        return hh + mm / 60

    start, stop = hours(text_from), hours(text_to)
    if stop <= start:
        raise PortalInputError("hours_order")
    return start, stop


def check_upload(filename, data, max_bytes):
    """The type of an uploaded file, read from its first bytes (the name and the
    browser's type are not trusted). Codes: ``file_empty``, ``file_too_large``,
    ``file_type``."""
    filename = filename if isinstance(filename, str) else ""
    filename = "".join(ch for ch in filename if unicodedata.category(ch)[0] != "C")[:120]
    if not data:
        raise PortalInputError("file_empty", name=filename)
    if len(data) > max_bytes:
        raise PortalInputError("file_too_large", name=filename, limit=max_bytes)
    for mimetype, prefixes in UPLOAD_TYPES:
        if any(data.startswith(prefix) for prefix in prefixes):
            return mimetype
    raise PortalInputError("file_type", name=filename)


def parse_email(text):
    """An email address as a person types it (one address, no display name),
    normalised to lower case. Codes: ``email_missing``, ``email_invalid``."""
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise PortalInputError("email_missing")
    if len(text) > 254 or not text.isascii() or not EMAIL.match(text):
        raise PortalInputError("email_invalid", value=text[:80])
    local, __, domain = text.rpartition("@")
    if len(local) > 64:
        raise PortalInputError("email_invalid", value=text[:80])
    return f"{local}@{domain.lower()}"


def parse_text(text, max_chars):
    """Free text a customer typed, as plain text: control characters other
    than line breaks and tabs removed, line breaks normalised, at most
    ``max_chars`` characters. Code: ``text_too_long``."""
    text = text if isinstance(text, str) else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    ).strip()
    if len(text) > max_chars:
        raise PortalInputError("text_too_long", count=max_chars)
    return text


def parse_choice(text, choices):
    """One of ``choices`` (the values the page offers). Code: ``choice_invalid``."""
    if not isinstance(text, str) or text not in choices:
        raise PortalInputError("choice_invalid")
    return text


def parse_payment_target(text):
    """What the pay route is asked for: ("inv", [ids]) or ("plan", [id]), as
    the page builds it ("inv-12-14", "plan-3"). Code: ``ids_invalid``."""
    text = text if isinstance(text, str) else ""
    kind, __, rest = text.partition("-")
    if kind not in ("inv", "plan") or not rest:
        raise PortalInputError("ids_invalid")
    ids = parse_ids(rest.split("-"))
    if kind == "plan" and len(ids) != 1:
        raise PortalInputError("ids_invalid")
    return kind, ids


def parse_partial_target(text):
    """An amount of the customer's choice, as the pay page builds it:
    "part-<minor units>[-<id>...]" (the invoices ticked first). Returns
    (minor units, [ids]). Code: ``ids_invalid``."""
    text = text if isinstance(text, str) else ""
    kind, __, rest = text.partition("-")
    amount, __, ids = rest.partition("-")
    if kind != "part" or not amount or len(amount) > 15 or not set(amount) <= DIGITS:
        raise PortalInputError("ids_invalid")
    if int(amount) <= 0:
        raise PortalInputError("ids_invalid")
    return int(amount), parse_ids(ids.split("-"), required=False) if ids else []


def make_token(expires, signature):
    """The text of a link token: when it expires (Unix time) and its signature."""
    return "%d%s%s" % (expires, TOKEN_SEPARATOR, signature)


def split_token(token):
    """(expires, signature) of a link token, or None when it is not one."""
    token = token if isinstance(token, str) else ""
    expires, sep, signature = token.partition(TOKEN_SEPARATOR)
    if not sep or not expires or len(expires) > 12 or not set(expires) <= DIGITS:
        return None
    if not signature or len(signature) > 128 or not set(signature) <= HEX:
        return None
    return int(expires), signature
