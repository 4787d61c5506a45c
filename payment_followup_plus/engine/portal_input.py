"""What a customer types or sends on the portal, checked before anything is written.

Every function raises :class:`PortalInputError` with a ``code`` the Odoo side
turns into a translated sentence (``payment.followup.message``); the page then
shows it next to what the customer typed. Nothing here trusts the browser:
amounts are read as text, ids as text, files by their first bytes.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .types import EngineError

# what a customer may send with a reason for delay: name, first bytes
UPLOAD_TYPES = (
    ("application/pdf", (b"%PDF-",)),
    ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/jpeg", (b"\xff\xd8\xff",)),
)
TOKEN_SEPARATOR = "-"


class PortalInputError(EngineError):
    """A value typed or sent on the portal that cannot be used."""


def parse_amount(text, decimals, owed=None):
    """The amount in ``text`` in minor units of a currency with ``decimals``
    decimals. A comma is read as the decimal point ("12,50") when there is no
    dot. Codes: ``amount_missing``, ``amount_not_number``, ``amount_negative``,
    ``amount_zero``, ``amount_decimals`` (more decimals than the currency has),
    ``amount_too_much`` (more than ``owed``, in minor units)."""
    text = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        raise PortalInputError("amount_missing")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise PortalInputError("amount_not_number", value=text) from None
    if not number.is_finite():
        raise PortalInputError("amount_not_number", value=text)
    if number < 0:
        raise PortalInputError("amount_negative")
    if number == 0:
        raise PortalInputError("amount_zero")
    minor = number.scaleb(decimals)
    if minor != minor.to_integral_value():
        raise PortalInputError("amount_decimals", decimals=decimals)
    minor = int(minor)
    if owed is not None and minor > owed:
        raise PortalInputError("amount_too_much", owed=owed)
    return minor


def parse_date(text):
    """The ISO date (YYYY-MM-DD, as a browser's date field sends it) in ``text``.
    Codes: ``date_missing``, ``date_invalid``."""
    text = (text or "").strip()
    if not text:
        raise PortalInputError("date_missing")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PortalInputError("date_invalid", value=text) from None


def parse_datetime(text):
    """A naive UTC moment sent back by the page (``YYYY-MM-DD HH:MM:SS``), as
    the slots are offered. Code: ``slot_invalid``."""
    try:
        return datetime.strptime((text or "").strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise PortalInputError("slot_invalid") from None


def parse_count(text, low, high):
    """A whole number between ``low`` and ``high``. Codes: ``count_invalid``,
    ``count_range``."""
    try:
        value = int((text or "").strip())
    except ValueError:
        raise PortalInputError("count_invalid", value=text) from None
    if not low <= value <= high:
        raise PortalInputError("count_range", low=low, high=high)
    return value


def parse_ids(values, allowed=None, required=True):
    """The record ids in ``values`` (a list of strings, as a form sends them).
    ``allowed``: the ids the customer may choose; any other is refused whole.
    Codes: ``ids_invalid`` (not a number, or not allowed), ``ids_missing``."""
    ids = []
    for value in values or []:
        try:
            number = int(str(value).strip())
        except ValueError:
            raise PortalInputError("ids_invalid") from None
        if number <= 0 or (allowed is not None and number not in allowed):
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
        try:
            hh, mm = (text or "").strip().split(":")
            hh, mm = int(hh), int(mm)
        except ValueError:
            raise PortalInputError("hours_invalid", value=text) from None
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
    if not data:
        raise PortalInputError("file_empty", name=filename)
    if len(data) > max_bytes:
        raise PortalInputError("file_too_large", name=filename, limit=max_bytes)
    for mimetype, prefixes in UPLOAD_TYPES:
        if any(data.startswith(prefix) for prefix in prefixes):
            return mimetype
    raise PortalInputError("file_type", name=filename)


def make_token(expires, signature):
    """The text of a link token: when it expires (Unix time) and its signature."""
    return "%d%s%s" % (expires, TOKEN_SEPARATOR, signature)


def split_token(token):
    """(expires, signature) of a link token, or None when it is not one."""
    expires, sep, signature = (token or "").partition(TOKEN_SEPARATOR)
    if not sep or not signature or not expires.isdigit() or len(expires) > 12:
        return None
    return int(expires), signature
