import pytest
from engine.delivery import OURS, THEIRS, bounce_detail, classify, smtp_detail
from hypothesis import given
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "failure_type, reason, side, key, detail",
    [
        # our outgoing server
        (
            "mail_smtp",
            "[Errno 111] Connection refused",
            OURS,
            "unreachable",
            "Connection refused",
        ),
        ("mail_smtp", "", OURS, "unreachable", ""),
        ("unknown", "timed out", OURS, "timeout", "timed out"),
        (
            "mail_smtp",
            "SMTPAuthenticationError: (535, b'5.7.8 Authentication failed')",
            OURS,
            "login",
            "535 5.7.8 Authentication failed",
        ),
        (
            "mail_from_invalid",
            "Malformed 'Return-Path' or 'From' address",
            OURS,
            "sender",
            None,
        ),
        ("unknown", "Connection unexpectedly closed", OURS, "unreachable", None),
        # the customer's server says: later
        (
            "unknown",
            "{'a@b.example': (450, b'4.2.0 Greylisted, try later')}",
            OURS,
            "later",
            "450 4.2.0 Greylisted, try later",
        ),
        # theirs
        (
            "unknown",
            "{'x@example.com': (550, b'5.1.1 <x@example.com>: User unknown')}",
            THEIRS,
            "refused",
            "550 5.1.1 <x@example.com>: User unknown",
        ),
        ("mail_email_invalid", "Invalid email", THEIRS, "invalid", None),
        ("mail_email_missing", "", THEIRS, "invalid", ""),
        ("mail_bl", "Blacklisted", THEIRS, "blocked", None),
        ("unknown", "something odd", THEIRS, "unknown", "something odd"),
    ],
)
def test_classify(failure_type, reason, side, key, detail):
    failure = classify(failure_type, reason)
    assert (failure.side, failure.key) == (side, key)
    if detail is not None:
        assert failure.detail == detail


@given(
    st.text(max_size=400),
    st.sampled_from(["unknown", "mail_smtp", "mail_bl", None, ""]),
)
def test_any_text_gives_a_short_readable_detail(reason, failure_type):
    failure = classify(failure_type, reason)
    assert failure.side in (OURS, THEIRS)
    assert len(failure.detail) <= 200
    assert "\n" not in failure.detail
    assert not failure.detail.startswith(("{", "("))


def test_smtp_detail_never_shows_python():
    assert smtp_detail("{'a@b': (550, b'No such user')}") == "550 No such user"


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "This is the mail system at host mx.example.com. <ap@x.example>: host mx.example.com "
            "said: 550 5.1.1 User unknown (in reply to RCPT TO command)",
            "550 5.1.1 User unknown",
        ),
        ("Diagnostic-Code: smtp; 552 5.2.2 Mailbox full", "552 5.2.2 Mailbox full"),
        ("This is the mail system: the mailbox does not exist.", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_bounce_detail_is_the_servers_reply(text, expected):
    assert bounce_detail(text) == expected
