"""What a customer's answer to a reminder says: whether it is an automatic
reply (RFC 3834 and the usual out-of-office conventions), and whether it
states a payment date (and amount) in the customer's language.

Plain Python: the mail gateway adapter gives the headers and the text. A date
found here is only a suggestion that a person confirms ("Record as a
promise"); nothing is recorded from it automatically.

Understood (case and accents as written by people):

- numeric dates ``15/12``, ``15.12.``, ``15-12-2026``, ``15/12/26`` read day
  first, or month first for a customer whose date format is month first
  (US English), in a sentence that speaks of paying;
- written dates ``15 December``, ``December 15th``, ``le 15 décembre``,
  ``am 15. Dezember`` (month names through ``dateparser`` in the customer's
  language: English, French, German and the other languages it knows);
- payment words: pay/paid/payment/settle/transfer; payer/paierons/paiement/
  règlement/réglerons/virement; zahlen/zahlung/bezahlen/überweisen/
  überweisung/begleichen;
- an amount next to a currency symbol or code in that sentence (``1,000.00 €``,
  ``EUR 1.000,00``, ``£380``), read with the customer's decimal separator.

A date without a year is the next such day from the day the reply came (a
payment is promised for the future); a date more than a year ahead, or
impossible (31/02), is not offered.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from .types import EngineError


class ReplyError(EngineError):
    """Bad input for the reply reader."""


# RFC 3834 and the widespread non-standard headers of auto-responders
AUTO_PRECEDENCE = {"auto_reply", "bulk", "junk", "list"}
AUTO_SUBJECT = re.compile(
    r"^\s*(?:"
    r"auto(?:matic)?[\s-]*reply|auto[\s-]*response|autoreply|out of (?:the )?office|"
    r"away from (?:the |my )?office|on vacation|on holiday|"
    r"r[ée]ponse automatique|absence(?: du bureau)?|absent(?:e)? du bureau|"
    r"en cong[ée]s?|message d'absence|"
    r"automatische antwort|abwesenheitsnotiz|abwesend|nicht im b[üu]ro|"
    r"au[ßs]er haus|im urlaub"
    r")",
    re.IGNORECASE,
)

PAY_WORDS = re.compile(
    r"\b(?:pay|pays|paid|paying|payment|settle|settled|settlement|transfer|wire|remit|"
    r"payer|paierons|paierai|paiera|payerons|payerai|paiement|r[èeé]gl\w*|virement|vir[ée]|"
    r"verserons|versement|"
    r"zahl\w*|bezahl\w*|[üu]berweis\w*|begleich\w*)\b",
    re.IGNORECASE,
)
# "we paid": a payment already made, in the past (not "we will pay")
PAID_WORDS = re.compile(
    r"\b(?:already\s+paid|(?:have|has|had|'ve|was|were|been|we|i|just)\s+(?:already\s+|just\s+|now\s+)?"
    r"(?:been\s+)?(?:paid|settled|transferred|wired|remitted|sent\s+(?:the\s+|a\s+)?(?:payment|money|transfer))|"
    r"payment\s+(?:has\s+been|was|is)\s+(?:made|sent|done|on\s+its\s+way)|"
    r"(?:avons|ai|a|est|été|déjà)\s+(?:déjà\s+|bien\s+)?(?:été\s+)?(?:pay[ée]e?s?|r[ée]gl[ée]e?s?|vir[ée]e?s?)|"
    r"virement\s+(?:a\s+été\s+|est\s+)?(?:effectu[ée]|fait|envoy[ée]|parti)|"
    r"(?:bereits|schon|haben|habe|hat|ist|wurde|wurden)\b[^.!?\n]{0,40}?\b(?:bezahlt|[üu]berwiesen|beglichen|gezahlt)|"
    r"zahlung\s+(?:ist|wurde)\s+(?:raus|unterwegs|veranlasst|erfolgt))\b",
    re.IGNORECASE,
)
# a sentence that promises, asks or denies is no payment made
NOT_PAID = re.compile(
    r"\b(?:will|shall|going\s+to|'ll|not|n't|never|cannot|can't|when|if|"
    r"allons|vais|pas|jamais|quand|si|"
    r"werden|wird|nicht|kein\w*|nie|wenn|ob)\b|\?",
    re.IGNORECASE,
)
REMITTANCE = re.compile(
    r"remittance|payment[\s_-]*(?:advice|proof|confirmation)|proof[\s_-]*of[\s_-]*payment|"
    r"avis[\s_-]*de[\s_-]*(?:paiement|virement)|preuve[\s_-]*de[\s_-]*paiement|"
    r"zahlungs(?:avis|beleg|bestätigung|bestaetigung)|[üu]berweisungs(?:beleg|bestätigung|bestaetigung)",
    re.IGNORECASE,
)
NUMERIC_DATE = re.compile(
    r"(?<![\d.,/-])(\d{1,2})([./-])(\d{1,2})(?:\2(\d{4}|\d{2}))?\.?(?![\d,/-]|\.\d)"
)
WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2})(?:st|nd|rd|th|er|\.)?\s+(?:of\s+|de\s+)?([^\W\d_]{3,}\.?)(?:\s+(\d{4}))?"
    r"|([^\W\d_]{3,}\.?)\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?!\d)",
    re.UNICODE,
)
CURRENCY = r"(?:€|\$|£|CHF|EUR|USD|GBP|NZD|INR|₹|Fr\.)"
AMOUNT = re.compile(
    rf"(?:{CURRENCY}\s?(\d[\d\s.,'\u00a0\u202f]*\d|\d))|(?:(\d[\d\s.,'\u00a0\u202f]*\d|\d)\s?{CURRENCY})"
)


@dataclass(frozen=True)
class ReplyFacts:
    """What a reply says: an automatic reply (and why), a payment date and an
    amount (text as the customer wrote it, and its value) when it states one."""

    auto_reply: str | None = None
    pay_date: date | None = None
    amount: Decimal | None = None
    sentence: str | None = None  # the sentence the date was read in
    # it says a payment was already made ("we paid", a remittance attached)
    paid: bool = False
    paid_sentence: str | None = None


def auto_reply_reason(headers, subject=""):
    """Why a message is an automatic reply (a short English key), or None.

    ``headers``: a mapping of header names (any case) to their values."""
    lowered = {str(k).lower(): str(v or "").strip().lower() for k, v in (headers or {}).items()}
    auto_submitted = lowered.get("auto-submitted", "")
    if auto_submitted and auto_submitted != "no":
        return "auto-submitted"
    for name in ("x-autoreply", "x-autorespond", "x-auto-response-suppress"):
        value = lowered.get(name)
        if value and (name != "x-auto-response-suppress" or value in ("all", "oof", "autoreply")):
            return name
    if lowered.get("precedence") in AUTO_PRECEDENCE:
        return "precedence"
    if AUTO_SUBJECT.match(_strip_reply_prefix(subject or "")):
        return "subject"
    return None


def _strip_reply_prefix(subject):
    return re.sub(r"^\s*(?:(?:re|aw|tr|fwd?|wg)\s*:\s*)+", "", subject, flags=re.IGNORECASE)


def read_reply(
    text,
    received,
    *,
    month_first=False,
    decimal_point=".",
    languages=("en",),
    headers=None,
    subject="",
    attachments=(),
):
    """The facts of one reply (see :class:`ReplyFacts`). ``received``: the day
    it came, in the customer's time zone; ``attachments``: the names of the
    files attached."""
    if not isinstance(received, date):
        raise ReplyError("received_invalid")
    auto = auto_reply_reason(headers or {}, subject)
    if auto:
        return ReplyFacts(auto_reply=auto)
    sentences = _sentences(_quoted_removed(text or ""))
    paid = said_paid(sentences, attachments)
    for sentence in sentences:
        if not PAY_WORDS.search(sentence):
            continue
        found = _numeric_date(sentence, received, month_first) or _word_date(
            sentence, received, languages
        )
        if found:
            return ReplyFacts(
                pay_date=found,
                amount=_amount(sentence, decimal_point),
                sentence=sentence.strip()[:300],
                paid=bool(paid),
                paid_sentence=paid or None,
            )
    return ReplyFacts(paid=bool(paid), paid_sentence=paid or None)


def said_paid(sentences, attachments=()):
    """The sentence that says a payment was already made ("we paid", "nous
    avons réglé", "bereits überwiesen"), or the name of a remittance advice
    attached; "" when none does. A promise, a question or a denial is not a
    payment made."""
    for sentence in sentences:
        if PAID_WORDS.search(sentence) and not NOT_PAID.search(sentence):
            return sentence.strip()[:300]
    for name in attachments or ():
        if REMITTANCE.search(str(name or "")):
            return str(name)[:300]
    return ""


def _quoted_removed(text):
    """The customer's own words: lines quoted from our reminder ("> ...") and
    everything after a usual "On ... wrote:" marker are left out."""
    kept = []
    for line in str(text).replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if re.match(
            r"^(?:on .{0,200} wrote:|le .{0,200} a [ée]crit\s*:|am .{0,200} schrieb .{0,200}:|"
            r"-{2,}\s*(?:original message|message d'origine|urspr[üu]ngliche nachricht))",
            stripped,
            re.IGNORECASE,
        ):
            break
        kept.append(line)
    return unicodedata.normalize("NFC", "\n".join(kept))[:20000]


def _sentences(text):
    return [
        part for part in re.split(r"(?<=[!?;])\s+|(?<=[^\d\s.][.])\s+|\n+", text) if part.strip()
    ]


def _future(day, month, year, received):
    """The date, or None when impossible; without a year the next such day."""
    try:
        if year is not None:
            found = date(year, month, day)
        else:
            found = date(received.year, month, day)
            if found < received:
                found = date(received.year + 1, month, day)
    except ValueError:
        return None
    if found < received - timedelta(days=1) or found > received + timedelta(days=366):
        return None
    return found


def _numeric_date(sentence, received, month_first):
    for match in NUMERIC_DATE.finditer(sentence):
        first, _sep, second, year = match.groups()
        if _sep == "." and not year and not match.group(0).endswith("."):
            # "15.12" alone could be an amount or a time: only with the
            # trailing dot Germans write ("15.12.") or a year
            continue
        day, month = (int(second), int(first)) if month_first else (int(first), int(second))
        if year is not None:
            year = int(year)
            if year < 100:
                year += 2000
        found = _future(day, month, year, received)
        if found:
            return found
    return None


def _word_date(sentence, received, languages):
    for match in WORD_DATE.finditer(sentence):
        day = match.group(1) or match.group(5)
        word = match.group(2) or match.group(4)
        year = match.group(3) or match.group(6)
        month = _month_number(word, languages)
        if not month:
            continue
        found = _future(int(day), month, int(year) if year else None, received)
        if found:
            return found
    return None


def _month_number(word, languages):
    """The month a word names, in one of ``languages`` (dateparser's
    dictionaries), or None."""
    import dateparser  # heavy: loaded only when a reply needs it

    word = word.rstrip(".")
    if len(word) < 3:
        return None
    try:
        parsed = dateparser.parse(
            f"1 {word} 2000",
            languages=list(languages),
            settings={"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY"},
        )
    except Exception:  # noqa: BLE001 - a word dateparser cannot read is no month
        return None
    if not parsed or parsed.year != 2000 or parsed.day != 1:
        return None
    return parsed.month


def _amount(sentence, decimal_point):
    """The first amount next to a currency in ``sentence``, read with the
    customer's decimal separator (None when absent or ambiguous)."""
    match = AMOUNT.search(sentence)
    if not match:
        return None
    raw = (match.group(1) or match.group(2) or "").strip()
    for space in (" ", "\u00a0", "\u202f", "'"):
        raw = raw.replace(space, "")
    other = "," if decimal_point == "." else "."
    integer, _sep, fraction = (
        raw.rpartition(decimal_point) if decimal_point in raw else (raw, "", "")
    )
    if not _sep:
        integer, fraction = raw, ""
    groups = integer.split(other)
    if len(groups) > 1 and (any(len(g) != 3 for g in groups[1:]) or not groups[0]):
        return None  # "1,5" for a customer whose decimals are "." is not guessed
    if fraction and (len(fraction) > 3 or not fraction.isdigit()):
        return None
    digits = "".join(groups)
    if not digits.isdigit():
        return None
    try:
        value = Decimal(f"{digits}.{fraction}" if fraction else digits)
    except InvalidOperation:
        return None
    return value if value > 0 else None


WEEKDAYS = frozenset(range(5))


def pause_until(received, days, working_weekdays=WEEKDAYS, holidays=frozenset()):
    """The last day of a pause of ``days`` working days after ``received``
    (the day of the reply does not count); ``received`` itself when ``days``
    is 0. ``working_weekdays``: Monday=0; ``holidays``: dates off."""
    if days < 0 or not isinstance(received, date):
        raise ReplyError("pause_invalid")
    if not working_weekdays:
        raise ReplyError("no_working_day")
    day, left = received, days
    while left:
        day += timedelta(days=1)
        if day.weekday() in working_weekdays and day not in holidays:
            left -= 1
    return day


# public mailbox providers: sharing one says nothing about the organisation
FREE_MAIL = frozenset(
    """gmail.com googlemail.com outlook.com hotmail.com hotmail.fr hotmail.de live.com msn.com
    yahoo.com yahoo.fr yahoo.de icloud.com me.com aol.com gmx.de gmx.net gmx.com web.de
    t-online.de orange.fr wanadoo.fr free.fr laposte.net sfr.fr proton.me protonmail.com
    mail.com yandex.ru zoho.com""".split()
)


def email_domain(address):
    """The domain of an address, lower case ("" when it has none)."""
    __, at, domain = str(address or "").strip().rpartition("@")
    return domain.lower().strip(">. ") if at else ""


def same_organisation(sender, addresses):
    """Whether ``sender`` writes from the email domain of one of
    ``addresses`` (a colleague at the customer), a public mailbox provider
    never counting."""
    domain = email_domain(sender)
    if not domain or domain in FREE_MAIL:
        return False
    return any(email_domain(address) == domain for address in addresses)


_BREAK = re.compile(r"<br\s*/?>", re.I)
_BLOCK_END = re.compile(r"</(?:p|div|blockquote|li|h[1-6]|tr)\s*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&(#x[0-9a-f]+|#\d+|[a-z]+);", re.I)
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0"}


def _entity(match):
    name = match.group(1)
    if name[:2].lower() == "#x":
        return chr(int(name[2:], 16))
    if name[0] == "#":
        return chr(int(name[1:]))
    return _ENTITIES.get(name.lower(), match.group(0))


def plain_text(html):
    """An email body (HTML) as the customer wrote it: its lines, and its blank
    lines between paragraphs (a reply quoted to a person keeps its shape);
    never more than one blank line in a row."""
    text = _BREAK.sub("\n", html or "")
    text = _BLOCK_END.sub("\n\n", text)
    text = re.sub(r"<(?:style|script)\b.*?</(?:style|script)\s*>", "", text, flags=re.I | re.S)
    text = _ENTITY.sub(_entity, _TAG.sub("", text))
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
