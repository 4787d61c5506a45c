from datetime import date
from decimal import Decimal

import pytest
from engine.replies import (
    ReplyError,
    auto_reply_reason,
    pause_until,
    plain_text,
    read_reply,
    same_organisation,
)
from hypothesis import given, settings
from hypothesis import strategies as st

RECEIVED = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("headers", "subject", "expected"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Re: Friendly reminder", "auto-submitted"),
        ({"auto-submitted": "auto-generated"}, "", "auto-submitted"),
        ({"Auto-Submitted": "no"}, "Re: Friendly reminder", None),
        ({"X-Autoreply": "yes"}, "", "x-autoreply"),
        ({"X-Autorespond": "1"}, "", "x-autorespond"),
        ({"X-Auto-Response-Suppress": "All"}, "", "x-auto-response-suppress"),
        ({"X-Auto-Response-Suppress": "DR"}, "Re: reminder", None),
        ({"Precedence": "auto_reply"}, "", "precedence"),
        ({"Precedence": "bulk"}, "", "precedence"),
        ({"Precedence": "junk"}, "", "precedence"),
        ({"Precedence": "first-class"}, "Re: x", None),
        ({}, "Out of Office: back on Monday", "subject"),
        ({}, "Automatic reply: Friendly reminder", "subject"),
        ({}, "Re: Réponse automatique : absent", "subject"),
        ({}, "Absence du bureau", "subject"),
        ({}, "Automatische Antwort: Zahlungserinnerung", "subject"),
        ({}, "Abwesenheitsnotiz", "subject"),
        ({}, "AW: Nicht im Büro", "subject"),
        ({}, "Re: Friendly reminder - YourCompany", None),
        ({}, "Re: we are out of cash until Friday", None),
    ],
)
def test_auto_reply(headers, subject, expected):
    assert auto_reply_reason(headers, subject) == expected


@pytest.mark.parametrize(
    ("text", "kwargs", "expected_date", "expected_amount"),
    [
        ("Hello, we will pay on 15 December. Regards", {}, date(2026, 12, 15), None),
        ("We will pay £380 on December 20th.", {}, date(2026, 12, 20), Decimal("380")),
        (
            "Payment of $1,000.00 will be made on 12/15.",
            {"month_first": True},
            date(2026, 12, 15),
            Decimal("1000.00"),
        ),
        (
            "Bonjour, nous paierons le 15/12. Cordialement",
            {"languages": ("fr",)},
            date(2026, 12, 15),
            None,
        ),
        (
            "Le virement de 2 533,33 € partira le 3 janvier.",
            {"languages": ("fr",), "decimal_point": ","},
            date(2027, 1, 3),
            Decimal("2533.33"),
        ),
        (
            "Zahlung am 15.12.",
            {"languages": ("de",), "decimal_point": ","},
            date(2026, 12, 15),
            None,
        ),
        (
            "Wir überweisen 1.000,00 EUR am 15. Dezember 2026.",
            {"languages": ("de",), "decimal_point": ","},
            date(2026, 12, 15),
            Decimal("1000.00"),
        ),
        ("We will settle on 15-01-2027", {}, date(2027, 1, 15), None),
        ("We will pay on 15/12/26", {}, date(2026, 12, 15), None),
        # a year ago, impossible or far away dates are no promise
        ("We will pay on 31/02", {}, None, None),
        ("We will pay on 15/12/2024", {}, None, None),
        ("We will pay on 15/12/2029", {}, None, None),
        # no payment word: a date alone is not a promise
        ("I am back on 15 December", {}, None, None),
        ("This invoice was never received", {}, None, None),
        # "15.12" could be an amount: only "15.12." or with a year
        ("We can pay 15.12 now", {}, None, None),
        # quoted reminder text is not the customer's own words
        ("Thanks\n> please pay by 20/12\n", {}, None, None),
        ("Noted.\nOn Mon, 1 Dec 2026 ACME wrote:\nplease pay on 20/12", {}, None, None),
        # an ambiguous amount is not guessed
        ("We will pay 1,5 € on 20/12", {}, date(2026, 12, 20), None),
    ],
)
def test_read_reply(text, kwargs, expected_date, expected_amount):
    facts = read_reply(text, RECEIVED, **kwargs)
    assert facts.auto_reply is None
    assert facts.pay_date == expected_date
    assert facts.amount == expected_amount


def test_auto_reply_has_no_date():
    facts = read_reply(
        "I am out of office; payment on 15/12", RECEIVED, headers={"Auto-Submitted": "auto-replied"}
    )
    assert facts.auto_reply == "auto-submitted"
    assert facts.pay_date is None


def test_received_must_be_a_date():
    with pytest.raises(ReplyError):
        read_reply("pay on 15/12", "2026-12-06")


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=400),
    st.sampled_from([("en",), ("fr",), ("de",)]),
    st.booleans(),
    st.sampled_from([".", ","]),
)
def test_read_reply_never_fails(text, languages, month_first, decimal_point):
    facts = read_reply(
        "We will pay " + text,
        RECEIVED,
        languages=languages,
        month_first=month_first,
        decimal_point=decimal_point,
    )
    if facts.pay_date is not None:
        assert RECEIVED <= facts.pay_date <= date(2027, 12, 7)
    if facts.amount is not None:
        assert facts.amount > 0


@pytest.mark.parametrize(
    ("received", "days", "kwargs", "expected"),
    [
        (date(2026, 12, 4), 5, {}, date(2026, 12, 11)),  # Friday: next Friday
        (date(2026, 12, 7), 5, {}, date(2026, 12, 14)),  # Monday: next Monday
        (date(2026, 12, 5), 1, {}, date(2026, 12, 7)),  # Saturday: Monday
        (date(2026, 12, 7), 0, {}, date(2026, 12, 7)),
        (date(2026, 12, 22), 3, {"holidays": {date(2026, 12, 25)}}, date(2026, 12, 28)),
        (date(2026, 12, 7), 2, {"working_weekdays": {0, 2}}, date(2026, 12, 14)),
    ],
)
def test_pause_until(received, days, kwargs, expected):
    assert pause_until(received, days, **kwargs) == expected


@pytest.mark.parametrize("kwargs", [{"days": -1}, {"days": 2, "working_weekdays": set()}])
def test_pause_until_refuses(kwargs):
    with pytest.raises(ReplyError):
        pause_until(date(2026, 12, 7), **kwargs)


@pytest.mark.parametrize(
    "text, paid",
    [
        ("We paid it last week.", True),
        ("Already paid!", True),
        ("The payment was made on Monday.", True),
        ("Nous avons réglé la facture hier.", True),
        ("Le virement a été effectué.", True),
        ("Die Rechnung wurde bereits überwiesen.", True),
        ("Wir haben schon bezahlt.", True),
        ("We will pay on 15 December, GBP 2,750.", False),
        ("I have not paid yet.", False),
        ("Have you received our payment?", False),
        ("Nous allons payer la semaine prochaine.", False),
        ("Wir werden nächste Woche überweisen.", False),
        ("Please send the invoice again.", False),
    ],
)
def test_reply_says_paid(text, paid):
    facts = read_reply(text, date(2026, 12, 7), languages=("en", "fr", "de"))
    assert facts.paid is paid
    assert (facts.paid_sentence is not None) is paid


def test_remittance_attached_says_paid():
    facts = read_reply("See attached.", date(2026, 12, 7), attachments=["Remittance-Advice.pdf"])
    assert facts.paid and facts.paid_sentence == "Remittance-Advice.pdf"
    assert not read_reply("See attached.", date(2026, 12, 7), attachments=["invoice.pdf"]).paid


@pytest.mark.parametrize(
    "sender, addresses, expected",
    [
        ("ap@acme.example", ["billing@acme.example"], True),
        ("AP@ACME.example", ["billing@acme.example"], True),
        ("ap@other.example", ["billing@acme.example"], False),
        ("friend@gmail.com", ["boss@gmail.com"], False),
        ("", ["billing@acme.example"], False),
        ("not an address", ["billing@acme.example"], False),
    ],
)
def test_same_organisation(sender, addresses, expected):
    assert same_organisation(sender, addresses) is expected


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>Hello,</p><p>Sorry for the delay.</p>", "Hello,\n\nSorry for the delay."),
        ("Hello,<br><br>we pay on 15/12.<br>Tom", "Hello,\n\nwe pay on 15/12.\nTom"),
        ("<div>a</div><div><br></div><div>b</div>", "a\n\nb"),
        ("<p>x</p>\n\n\n\n<p>y</p>", "x\n\ny"),
        ("<p>5 &lt; 6 &amp; caf&#233; &#x263a;</p>", "5 < 6 & café ☺"),
        ("<style>p {color: red}</style><p>only this</p>", "only this"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text_keeps_the_blank_lines(html, expected):
    assert plain_text(html) == expected
