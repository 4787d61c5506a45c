"""Every portal parser, fed arbitrary text: any Unicode category, control
characters, very long strings, numbers in every script. Each returns a typed
value or raises the one error (PortalInputError), never anything else."""

from datetime import date

from engine.portal_input import (
    PortalInputError,
    check_upload,
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
from hypothesis import given, settings
from hypothesis import strategies as st

ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.text(
        alphabet=st.characters(categories=["Nd", "No", "Zs", "Cc", "Pd", "Po", "Sc"]), max_size=60
    ),
    st.text(alphabet="0123456789.,-' \u00a0\u202f€$£", max_size=40),
    st.text(min_size=5000, max_size=6000),
    st.none(),
    st.integers(),
)
FORMATS = st.sampled_from([(".", ","), (",", "\u202f"), (",", "."), (".", "'"), (",", " ")])


def only_our_error(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except PortalInputError:
        return None


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT, st.integers(min_value=0, max_value=3), FORMATS)
def test_amounts(text, decimals, fmt):
    value = only_our_error(parse_amount, text, decimals, None, *fmt)
    assert value is None or (isinstance(value, int) and value > 0)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT)
def test_dates_and_moments(text):
    value = only_our_error(parse_date, text, date(2026, 1, 1), date(2027, 12, 31))
    assert value is None or date(2026, 1, 1) <= value <= date(2027, 12, 31)
    only_our_error(parse_datetime, text)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, st.lists(ANY_TEXT, max_size=5))
def test_ids_counts_and_choices(text, values):
    ids = only_our_error(parse_ids, values, None)
    assert ids is None or all(0 < i < 2**31 for i in ids)
    only_our_error(parse_ids, text, {1, 2, 3})
    count = only_our_error(parse_count, text, 1, 60)
    assert count is None or 1 <= count <= 60
    only_our_error(parse_choice, text, ("monthly", "weekly"))
    only_our_error(parse_payment_target, text)


@settings(max_examples=200, deadline=None)
@given(ANY_TEXT, ANY_TEXT)
def test_hours_emails_text_tokens(first, second):
    only_our_error(parse_hours, first, second)
    email = only_our_error(parse_email, first)
    assert email is None or ("@" in email and email.isascii())
    text = only_our_error(parse_text, first, 2000)
    assert text is None or len(text) <= 2000
    token = split_token(first)
    assert token is None or (isinstance(token[0], int) and token[1].isascii())


@settings(max_examples=100, deadline=None)
@given(ANY_TEXT, st.binary(max_size=200))
def test_uploads(name, data):
    kind = only_our_error(check_upload, name, data, 150)
    assert kind in (None, "application/pdf", "image/png", "image/jpeg")
