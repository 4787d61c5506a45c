"""Numbers typed by people or sent over RPC, checked before they reach a field.

Odoo's float and integer fields turn a value with ``float()``/``int()`` and fail
with a bare ``ValueError`` on "ten" or "1,5"; the models check the values with
:func:`parse_number` first so the user reads a clear message instead.
"""

from decimal import Decimal, InvalidOperation

from .types import EngineError


class NumberError(EngineError):
    """A value that is not a usable number."""


def parse_number(value, integer=False):
    """The number in ``value`` (an int, a float, a Decimal or a string such as
    " 12.50 "); empty values (``None``, ``False``, ``""``) are 0. Raises
    :class:`NumberError` with code ``not_a_number`` (text, NaN, infinity, a
    boolean ``True``, another type) or ``not_whole`` (a fraction where a whole
    number is needed)."""
    if value is None or value is False or value == "":
        return 0 if integer else 0.0
    if value is True or not isinstance(value, int | float | Decimal | str):
        raise NumberError("not_a_number", value=value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise NumberError("not_a_number", value=value) from None
    else:
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise NumberError("not_a_number", value=value)
    if integer:
        if number != number.to_integral_value():
            raise NumberError("not_whole", value=value)
        return int(number)
    return float(number)


def parse_steps(text):
    """The positive amounts of a list such as "10, 15" (commas or semicolons),
    sorted and without repeats. Raises :class:`NumberError` with code
    ``bad_step`` for a part that is not a positive number."""
    steps = set()
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = parse_number(part)
        except NumberError:
            raise NumberError("bad_step", value=part) from None
        if value <= 0:
            raise NumberError("bad_step", value=part)
        steps.add(value)
    return sorted(steps)
