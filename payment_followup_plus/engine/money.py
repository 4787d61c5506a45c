"""Money in exact minor units (cents, fils, yen): one conversion each way, one
rounding (half-up, on the decimal value, never Python's half-even ``round``
on a float)."""

from decimal import ROUND_HALF_UP, Decimal

from .types import EngineError


class MoneyError(EngineError):
    """A currency the engine cannot count in."""


def to_minor(amount, decimals):
    """A decimal amount as integer minor units, rounded half-up (no float drift:
    2.675 with 2 decimals is 268, where ``round(2.675 * 100)`` gives 267)."""
    if decimals not in (0, 1, 2, 3, 4):
        raise MoneyError("bad_decimals", decimals=decimals)
    quantum = Decimal(1).scaleb(-decimals)
    return int(Decimal(str(amount)).quantize(quantum, rounding=ROUND_HALF_UP).scaleb(decimals))


def to_major(minor, decimals):
    """Integer minor units as the currency's amount (a float, as Odoo stores it)."""
    return minor / 10**decimals
