"""Ours or theirs: what a failed email says about whom.

Plain Python. Odoo's mail queue gives a failure type and the server's or
Python's text; this module says on which side the failure is and gives a
short detail a person can read (the SMTP code and text, never a Python
representation):

- **ours**: our outgoing server could not be reached, refused our login or
  our sender, timed out, or no server is configured; or the customer's
  server asked to try later (4xx). Nothing is wrong with the address: the
  mail stays in the queue and is retried;
- **theirs**: the customer's server refused the address (5xx at RCPT), the
  address is invalid or missing, blacklisted, or the mail bounced. The
  address is flagged and the level's next channel takes over.
"""

import re
from dataclasses import dataclass

OURS, THEIRS = "ours", "theirs"

OURS_TYPES = {"mail_smtp", "mail_from_invalid", "mail_from_missing"}
THEIRS_TYPES = {"mail_email_invalid", "mail_email_missing", "mail_bl", "mail_optout", "mail_dup"}

# (pattern in the server's or Python's text, key), tried in order
OURS_TEXT = (
    (re.compile(r"authenticat|535|534|530 ", re.I), "login"),
    (re.compile(r"timed?\s*out|timeout", re.I), "timeout"),
    (
        re.compile(
            r"connection (?:refused|reset|unexpectedly closed)|errno 1(?:11|04|13)|"
            r"unable to connect|smtpconnecterror|serverdisconnected|network is unreachable|"
            r"name or service not known|temporary failure in name resolution|"
            r"no (?:outgoing|smtp) (?:mail )?server|nodename nor servname",
            re.I,
        ),
        "unreachable",
    ),
)
SMTP_REPLY = re.compile(r"\(\s*(\d{3})\s*,\s*b?(['\"])(.*?)\2\s*\)", re.S)
CODE_TEXT = re.compile(r"\b([245]\d\d)[ -](\d\.\d{1,3}\.\d{1,3})?\s*(.*)", re.S)


@dataclass(frozen=True)
class Failure:
    side: str  # OURS or THEIRS
    key: str  # unreachable, login, timeout, sender, later, refused, invalid, blocked, unknown
    detail: str  # the server's words, short ("550 5.1.1 User unknown"), or ""


def _clean(text, limit=200):
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def smtp_detail(reason):
    """The server's reply in ``reason`` as people quote it ("550 5.1.1 User
    unknown"), else the reason's last line without Python's wrapping."""
    text = str(reason or "")
    match = SMTP_REPLY.search(text)
    if match:
        words = match.group(3).encode("utf-8", "replace").decode("unicode_escape", "replace")
        return _clean(f"{match.group(1)} {words}")
    text = re.sub(
        r"^\s*(?:\[errno \d+\]|[A-Za-z_.]*(?:error|exception)\s*:)\s*", "", text, flags=re.I
    )
    return _clean(text.strip("{}()[]'\" "))


def _code(detail):
    match = CODE_TEXT.match(detail or "")
    return int(match.group(1)) if match else None


def classify(failure_type, reason):
    """The :class:`Failure` of one failed send attempt."""
    detail = smtp_detail(reason)
    text = str(reason or "")
    if failure_type in ("mail_from_invalid", "mail_from_missing"):
        return Failure(OURS, "sender", detail)
    if failure_type == "mail_bl":
        return Failure(THEIRS, "blocked", detail)
    if failure_type in THEIRS_TYPES:
        return Failure(THEIRS, "invalid", detail)
    code = _code(detail)
    if code and 400 <= code < 500:
        return Failure(OURS, "later", detail)
    if code and code >= 500 and "recipient" in text.lower() or "SMTPRecipientsRefused" in text:
        return Failure(THEIRS, "refused", detail)
    for pattern, key in OURS_TEXT:
        if pattern.search(text):
            return Failure(OURS, key, detail)
    if failure_type in OURS_TYPES:
        return Failure(OURS, "unreachable", detail)
    if code and code >= 500:
        return Failure(THEIRS, "refused", detail)
    return Failure(THEIRS, "unknown", detail)


BOUNCE_REPLY = re.compile(r"\b([45]\d\d)[ -](\d\.\d{1,3}\.\d{1,3})\s+([^()\n]*)")


def bounce_detail(text):
    """The receiving server's reply quoted in a bounce ("550 5.1.1 User
    unknown"), without the mail system's preamble; "" when it quotes none."""
    match = BOUNCE_REPLY.search(str(text or ""))
    if not match:
        return ""
    return _clean(" ".join(part for part in match.groups() if part).strip(" .:;"))
