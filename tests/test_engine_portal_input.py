from datetime import date, datetime

import pytest
from engine.portal_input import (
    PortalInputError,
    check_upload,
    make_token,
    parse_amount,
    parse_count,
    parse_date,
    parse_datetime,
    parse_hours,
    parse_ids,
    split_token,
)


@pytest.mark.parametrize(
    ("text", "decimals", "owed", "expected"),
    [
        ("12.50", 2, None, 1250),
        (" 12,5 ", 2, None, 1250),
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
        ("1.2.3", 2, None, "amount_not_number"),
        ("1,000.5,0", 2, None, "amount_not_number"),
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
    for bad in ("", None, "abc", "-abc", "12-", "x1-abc", "1234567890123-abc"):
        assert split_token(bad) is None
