"""Money and ratios: exact literals, their parsing and their display.

Amounts and ratios are exact rationals (:class:`fractions.Fraction`) in both interpreters
(the prover uses Z3 reals), never floats: ``0.15% * $1,000,000.01`` is exactly
``$1,500.000015``. An amount is held in its currency's major unit (dollars, not cents), so
that an amount scaled by a percentage stays exact; it is shown rounded to the currency's
minor unit by Babel, the only place a rounding happens.
"""

from __future__ import annotations

import re
from fractions import Fraction

from babel.numbers import format_currency, list_currencies

SYMBOLS = {"$": "USD", "\u00a3": "GBP", "\u20ac": "EUR"}
"""The currency symbols a literal may start with; any ISO 4217 code works in the code form."""

_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


class MoneyError(ValueError):
    """A malformed amount, percentage or ratio literal, or an unknown currency."""


def check_currency(code: str) -> str:
    """``code`` when it names an ISO 4217 currency Babel knows, else :class:`MoneyError`.

    >>> check_currency("GBP")
    'GBP'
    """
    if code not in _currencies():
        raise MoneyError(f"unknown currency {code!r}; use an ISO 4217 code such as USD, GBP "
                         "or EUR")
    return code


def _currencies() -> set[str]:
    global _KNOWN
    if _KNOWN is None:
        _KNOWN = set(list_currencies())
    return _KNOWN


_KNOWN: set[str] | None = None


def parse_number(text: str) -> Fraction:
    """A decimal number with optional thousands separators, exactly.

    >>> parse_number("1,250,000.50")
    Fraction(2500001, 2)
    """
    if not _GROUPED.fullmatch(text):
        raise MoneyError(f"malformed number {text!r}; group digits by three with commas, as "
                         "in 1,250,000.50")
    return Fraction(text.replace(",", ""))


def parse_money(text: str) -> tuple[Fraction, str]:
    """An amount literal: ``$50,000,000``, ``£500,000``, ``GBP 500,000``.

    >>> parse_money("$1,250,000.50")
    (Fraction(2500001, 2), 'USD')
    >>> parse_money("EUR 2,000")
    (Fraction(2000, 1), 'EUR')
    """
    if text[0] in SYMBOLS:
        return parse_number(text[1:]), SYMBOLS[text[0]]
    code, number = text[:3], text[3:].strip()
    return parse_number(number), check_currency(code)


def parse_percent(text: str) -> Fraction:
    """``0.15%`` as the ratio 0.0015.

    >>> parse_percent("12.5%")
    Fraction(1, 8)
    """
    return Fraction(text.rstrip("%")) / 100


def parse_ratio(text: str) -> Fraction:
    """``4.25:1`` as 17/4; a zero second term is refused.

    >>> parse_ratio("2.0:1.0")
    Fraction(2, 1)
    """
    first, second = text.split(":")
    if Fraction(second) == 0:
        raise MoneyError(f"the ratio {text!r} divides by zero")
    return Fraction(first) / Fraction(second)


def parse_amount_value(value: object, currency: str) -> Fraction:
    """An amount as a timeline or scenario writes it: ``$50,000,000`` (in the field's
    currency), ``USD 50,000,000`` or a plain number ``50000000`` / ``1250000.50``.

    >>> parse_amount_value("$2,000", "USD")
    Fraction(2000, 1)
    >>> parse_amount_value(12.5, "USD")
    Fraction(25, 2)
    """
    if isinstance(value, bool):
        raise MoneyError(f"expected an amount in {currency}, found {value!r}")
    if isinstance(value, int | float):
        return Fraction(str(value))
    if not isinstance(value, str):
        raise MoneyError(f"expected an amount in {currency}, found {value!r}")
    text = value.strip()
    if text[:1].isdigit():
        return parse_number(text)
    amount, found = parse_money(text)
    if found != currency:
        raise MoneyError(f"expected an amount in {currency}, found one in {found}")
    return amount


def format_amount(value: Fraction, currency: str) -> str:
    """An amount as money, rounded to the currency's minor unit for display only.

    >>> format_amount(Fraction(50_000_000), "USD")
    '$50,000,000.00'
    """
    from decimal import Decimal

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_currency(exact, currency, locale="en_US")


def format_ratio(value: Fraction) -> str:
    """A ratio shown exactly when it is short, as ``4.25:1``.

    >>> format_ratio(Fraction(17, 4))
    '4.25:1'
    """
    from decimal import Decimal

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    text = format(exact.normalize(), "f") if len(str(exact)) < 20 else f"{float(value):.6g}"
    return f"{text}:1"
