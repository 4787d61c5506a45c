from datetime import date, datetime

import pytest
from engine.portal_input import (
    PortalInputError,
    check_upload,
    make_token,
    parse_amount,
    parse_choice,
    parse_count,
    parse_date,
    parse_datetime,
    parse_email,
    parse_hours,
    parse_ids,
    parse_payment_target,
    parse_text,
    split_token,
)


@pytest.mark.parametrize(
    ("text", "decimals", "owed", "expected"),
    [
        ("12.50", 2, None, 1250),
        ("1\u00a0000.00", 2, None, 100000),
        ("100", 0, None, 100),
        ("0.001", 3, None, 1),
        ("250", 2, 25000, 25000),
    ],
)
def test_parse_amount(text, decimals, owed, expected):
    assert parse_amount(text, decimals, owed) == expected


@pytest.mark.parametrize(
    ("text", "decimals", "owed", "code"),
    [
        ("", 2, None, "amount_missing"),
        (None, 2, None, "amount_missing"),
        ("   ", 2, None, "amount_missing"),
        ("ten", 2, None, "amount_not_number"),
        ("1.2.3", 2, None, "amount_format"),
        ("1,000.5,0", 2, None, "amount_format"),
        # "1,5" for a customer whose decimals are written "." is not guessed
        ("1,5", 2, None, "amount_ambiguous"),
        (" 12,5 ", 2, None, "amount_ambiguous"),
        ("1000000000001", 2, None, "amount_range"),
        ("١٢", 2, None, "amount_not_number"),
        ("12" * 200, 2, None, "amount_not_number"),
        ("NaN", 2, None, "amount_not_number"),
        ("Infinity", 2, None, "amount_not_number"),
        ("-5", 2, None, "amount_negative"),
        ("0", 2, None, "amount_zero"),
        ("0.00", 2, None, "amount_zero"),
        ("12.345", 2, None, "amount_decimals"),
        ("12.5", 0, None, "amount_decimals"),
        ("250.01", 2, 25000, "amount_too_much"),
    ],
)
def test_parse_amount_refuses(text, decimals, owed, code):
    with pytest.raises(PortalInputError) as err:
        parse_amount(text, decimals, owed)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("text", "expected", "code"),
    [
        ("2026-12-03", date(2026, 12, 3), None),
        (" 2027-01-31 ", date(2027, 1, 31), None),
        ("", None, "date_missing"),
        ("03/12/2026", None, "date_invalid"),
        ("2026-02-30", None, "date_invalid"),
        ("tomorrow", None, "date_invalid"),
    ],
)
def test_parse_date(text, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            parse_date(text)
        assert err.value.code == code
    else:
        assert parse_date(text) == expected


def test_parse_datetime():
    assert parse_datetime("2026-12-01 09:30:00") == datetime(2026, 12, 1, 9, 30)
    for bad in ("", "2026-12-01T09:30", "soon", None):
        with pytest.raises(PortalInputError) as err:
            parse_datetime(bad)
        assert err.value.code == "slot_invalid"


@pytest.mark.parametrize(
    ("text", "expected", "code"),
    [
        ("3", 3, None),
        (" 12 ", 12, None),
        ("0", None, "count_range"),
        ("37", None, "count_range"),
        ("2.5", None, "count_invalid"),
        ("three", None, "count_invalid"),
        ("", None, "count_invalid"),
    ],
)
def test_parse_count(text, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            parse_count(text, 1, 36)
        assert err.value.code == code
    else:
        assert parse_count(text, 1, 36) == expected


@pytest.mark.parametrize(
    ("values", "allowed", "required", "expected", "code"),
    [
        (["3", "5", "3"], {3, 5}, True, [3, 5], None),
        ([], None, False, [], None),
        ([], None, True, None, "ids_missing"),
        (["3", "9"], {3, 5}, True, None, "ids_invalid"),
        (["x"], None, True, None, "ids_invalid"),
        (["-4"], None, True, None, "ids_invalid"),
        (["0"], None, True, None, "ids_invalid"),
    ],
)
def test_parse_ids(values, allowed, required, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            parse_ids(values, allowed, required)
        assert err.value.code == code
    else:
        assert parse_ids(values, allowed, required) == expected


@pytest.mark.parametrize(
    ("start", "stop", "expected", "code"),
    [
        ("09:30", "11:30", (9.5, 11.5), None),
        ("00:00", "24:00", (0.0, 24.0), None),
        ("11:00", "09:00", None, "hours_order"),
        ("10:00", "10:00", None, "hours_order"),
        ("25:00", "26:00", None, "hours_invalid"),
        ("9h", "11:00", None, "hours_invalid"),
        ("24:30", "24:45", None, "hours_invalid"),
        ("", "11:00", None, "hours_invalid"),
    ],
)
def test_parse_hours(start, stop, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            parse_hours(start, stop)
        assert err.value.code == code
    else:
        assert parse_hours(start, stop) == expected


@pytest.mark.parametrize(
    ("data", "expected", "code"),
    [
        (b"%PDF-1.7\n...", "application/pdf", None),
        (b"\x89PNG\r\n\x1a\n....", "image/png", None),
        (b"\xff\xd8\xff\xe0....", "image/jpeg", None),
        (b"", None, "file_empty"),
        (b"MZ\x90\x00 an executable", None, "file_type"),
        (b"<html><script>", None, "file_type"),
        (b"%PDF-" + b"x" * 200, None, "file_too_large"),
    ],
)
def test_check_upload(data, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            check_upload("proof.pdf", data, 100)
        assert err.value.code == code
    else:
        assert check_upload("proof.pdf", data, 100) == expected


def test_tokens_round_trip_and_refuse_other_text():
    token = make_token(1796000000, "abc123")
    assert split_token(token) == (1796000000, "abc123")
    for bad in (
        "",
        None,
        "abc",
        "-abc",
        "12-",
        "x1-abc",
        "1234567890123-abc",
        # digits of other scripts, non-ASCII or non-hex signatures
        "\u0661\u0662-abc",
        "\u00b2-abc",
        "12-\u00e9\u00e9",
        "12-ABCZ",
        "12-" + "a" * 129,
    ):
        assert split_token(bad) is None


# the customer's own number format: (decimal point, thousands separator) of
# English, French, German and Swiss German as Odoo's languages define them
EN, FR, DE, CH = (".", ","), (",", "\u202f"), (",", "."), (".", "'")


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("1,000", EN, 100000),  # an English "1,000" is a thousand, never 1.00
        ("1,000.00", EN, 100000),
        ("$1,234.56", EN, 123456),
        ("1234.5", EN, 123450),
        ("£ 380", EN, 38000),
        ("2 533,33 €", FR, 253333),
        ("2\u202f533,33", FR, 253333),
        ("2\u00a0533,33 EUR", FR, 253333),
        ("12,5", FR, 1250),
        ("1.000,50", DE, 100050),
        ("1.000", DE, 100000),
        ("EUR 1.234.567,89", DE, 123456789),
        ("1'234.50", CH, 123450),
        ("CHF 1\u2019234.50", CH, 123450),
    ],
)
def test_parse_amount_in_the_customers_format(text, fmt, expected):
    assert parse_amount(text, 2, None, *fmt) == expected


@pytest.mark.parametrize(
    ("text", "fmt", "code"),
    [
        ("1,5", EN, "amount_ambiguous"),
        ("1,00", EN, "amount_ambiguous"),
        ("1.000", FR, "amount_format"),  # a dot in French: not guessed
        ("12.50", DE, "amount_ambiguous"),  # a German "12.50": thousands or cents?
        ("1.5", DE, "amount_ambiguous"),
        ("1,2,3", DE, "amount_format"),
        ("1.000,", DE, "amount_format"),
        ("-1.000,00", DE, "amount_negative"),
    ],
)
def test_parse_amount_refuses_what_it_would_have_to_guess(text, fmt, code):
    with pytest.raises(PortalInputError) as err:
        parse_amount(text, 2, None, *fmt)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("text", "kwargs", "code"),
    [
        ("2026-12-31", {"latest": date(2026, 12, 30)}, "date_too_late"),
        ("2026-12-01", {"earliest": date(2026, 12, 2)}, "date_too_early"),
        ("9999-12-31", {"latest": date(2027, 12, 31)}, "date_too_late"),
        ("\u0662\u0660\u0662\u0666-12-01", {}, "date_invalid"),
    ],
)
def test_parse_date_in_range(text, kwargs, code):
    with pytest.raises(PortalInputError) as err:
        parse_date(text, **kwargs)
    assert err.value.code == code


@pytest.mark.parametrize(
    ("text", "expected", "code"),
    [
        (
            "claire.dubois@atelier-lumiere.example.com",
            "claire.dubois@atelier-lumiere.example.com",
            None,
        ),
        ("Claire@Example.COM", "Claire@example.com", None),
        ("", None, "email_missing"),
        ("claire@@nowhere", None, "email_invalid"),
        ("@nowhere", None, "email_invalid"),
        ("claire@nowhere", None, "email_invalid"),
        ("claire dubois@example.com", None, "email_invalid"),
        ("a@b.c", None, "email_invalid"),
        ("claire@example.com, eve@example.com", None, "email_invalid"),
        ("Claire <claire@example.com>", None, "email_invalid"),
        ("cl\u00e4ire@example.com", None, "email_invalid"),
    ],
)
def test_parse_email(text, expected, code):
    if code:
        with pytest.raises(PortalInputError) as err:
            parse_email(text)
        assert err.value.code == code
    else:
        assert parse_email(text) == expected


def test_parse_text_keeps_lines_and_drops_controls():
    assert parse_text(" a\r\nb\x00c\x1b\td ", 10) == "a\nbc\td"
    with pytest.raises(PortalInputError) as err:
        parse_text("x" * 11, 10)
    assert err.value.code == "text_too_long"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("inv-12-14", ("inv", [12, 14])), ("plan-3", ("plan", [3]))],
)
def test_parse_payment_target(text, expected):
    assert parse_payment_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", "inv-", "plan-1-2", "inv-\u0661", "inv-99999999999", "other-1", None, "inv-1--2"]
)
def test_parse_payment_target_refuses(text):
    with pytest.raises(PortalInputError) as err:
        parse_payment_target(text)
    assert err.value.code == "ids_invalid"


def test_parse_choice():
    assert parse_choice("monthly", ("monthly", "weekly")) == "monthly"
    with pytest.raises(PortalInputError):
        parse_choice("daily", ("monthly", "weekly"))


@pytest.mark.parametrize(
    "text, expected",
    [("part-30000", (30000, [])), ("part-1-12-14", (1, [12, 14]))],
)
def test_parse_partial_target(text, expected):
    from engine.portal_input import parse_partial_target

    assert parse_partial_target(text) == expected


@pytest.mark.parametrize(
    "text",
    ["part-", "part-0", "part--3", "part-1e5", "inv-3", "part-12-x", "part-" + "9" * 16, None],
)
def test_parse_partial_target_refuses(text):
    from engine.portal_input import parse_partial_target

    with pytest.raises(PortalInputError):
        parse_partial_target(text)
