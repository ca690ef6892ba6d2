"""Money and ratios: exact literals, their parsing and their display.

Amounts and ratios are exact rationals (:class:`fractions.Fraction`) in both interpreters
(the prover uses Z3 reals), never floats: ``0.15% * $1,000,000.01`` is exactly
``$1,500.000015``. An amount is held in its currency's major unit (dollars, not cents), so
that an amount scaled by a percentage stays exact; it is shown rounded to the currency's
minor unit by Babel, the only place a rounding happens.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from typing import TYPE_CHECKING

from model.ast import AmountT

if TYPE_CHECKING:
    from decimal import Decimal

SYMBOLS = {"$": "USD", "\u00a3": "GBP", "\u20ac": "EUR"}
"""The currency symbols a literal may start with; any ISO 4217 code works in the code form."""

_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


class MoneyError(ValueError):
    """A malformed amount, percentage or ratio literal, or an unknown currency."""


class Money(Fraction):
    """An exact amount that remembers its currency, as an event field holds it.

    Arithmetic on it gives plain fractions (the checker has already fixed the currency);
    it exists so that timelines show amounts as money.

    >>> m = Money(Fraction(3, 2), "USD")
    >>> (m == Fraction(3, 2), m.currency, str(m))
    (True, 'USD', '$1.50')
    """

    __slots__ = ("currency",)
    currency: str

    def __new__(cls, value: Fraction | int, currency: str) -> Money:
        self = super().__new__(cls, value)
        self.currency = currency
        return self

    def __str__(self) -> str:
        return format_amount(self, self.currency)

    def __repr__(self) -> str:
        return f"Money({Fraction(self)!r}, {self.currency!r})"

    def __reduce__(self) -> tuple[type, tuple[Fraction, str]]:
        return (Money, (Fraction(self), self.currency))


def show_value(value: object, percent: bool = False) -> object:
    """An amount as money, a ratio as ``4.25:1`` (with ``percent``, a field declared
    ``percent``: as ``0.15%``); any other value unchanged.

    >>> show_value(Money(Fraction(5), "GBP"))
    '£5.00'
    >>> show_value(Fraction(3, 2000), percent=True)
    '0.15%'
    """
    if isinstance(value, Money):
        return str(value)
    if isinstance(value, Fraction):
        return format_percent(value) if percent else format_ratio(value)
    return value


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
        from babel.numbers import list_currencies  # imported on first use: startup time


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
    >>> parse_amount_value("$0.33 (exactly 1/3)", "USD")
    Fraction(1, 3)
    """
    if isinstance(value, bool):
        raise MoneyError(f"expected an amount in {currency}, found {value!r}")
    if isinstance(value, int | float):
        return Fraction(str(value))
    if not isinstance(value, str):
        raise MoneyError(f"expected an amount in {currency}, found {value!r}")
    text = value.strip()
    if text.endswith(")") and " (exactly " in text:  # as output shows a fraction of a cent
        shown, exact = text[:-1].split(" (exactly ")
        parse_amount_value(shown, currency)
        return Fraction(exact)
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

    from babel.numbers import format_currency  # imported on first use: startup time

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    shown = format_currency(exact, currency, locale="en_US")
    if Fraction(Decimal(str(round(exact, 2)))) != value:
        shown += f" (exactly {value.numerator}/{value.denominator})"
    return shown


def format_ratio(value: Fraction) -> str:
    """A ratio as a credit agreement writes it, ``5.20:1``: at least two decimals, more when
    the value needs them; one with no short decimal form rounded to two, with its exact
    value beside it (as an amount is), so that the text still says exactly what it is.

    >>> [format_ratio(v) for v in (Fraction(26, 5), Fraction(0), Fraction(33, 8))]
    ['5.20:1', '0.00:1', '4.125:1']
    >>> format_ratio(Fraction(1, 3))
    '0.33:1 (exactly 1/3)'
    """
    return f"{_decimals(value, 2)}:1" + _exactly(value)


def format_percent(value: Fraction) -> str:
    """A ratio as a percentage, ``0.15%``, ``150%``, exactly (rounded to two decimals, with
    the exact value beside it, when it has no short decimal form).

    >>> [format_percent(v) for v in (Fraction(3, 2000), Fraction(3, 2), Fraction(1, 3))]
    ['0.15%', '150%', '33.33% (exactly 1/3)']
    """
    return f"{_decimals(value * 100, 0)}%" + _exactly(value)


def _short(value: Fraction) -> Decimal | None:
    """``value`` as a decimal, when it has a finite one."""
    from decimal import Decimal

    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact if Fraction(exact) == value else None


def _decimals(value: Fraction, least: int) -> str:
    """``value`` with at least ``least`` decimals (two, rounded, when it has no finite form)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    exact = _short(value)
    if exact is None:
        return format((Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_EVEN), "f")
    text = format(exact.normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return format(exact, f".{max(least, places)}f")


def _exactly(value: Fraction) -> str:
    return "" if _short(value) is not None else f" (exactly {value})"


def money_value(ftype: object, value: object, fail: Callable[[str], Exception]) -> Fraction:
    """A field value of an amount or ratio type, as a timeline writes it."""
    try:
        if isinstance(ftype, AmountT):
            return Money(parse_amount_value(value, ftype.currency), ftype.currency)
        return parse_ratio_value(value)
    except (MoneyError, ValueError, ZeroDivisionError) as exc:
        raise fail(str(exc)) from None


def parse_ratio_value(value: object) -> Fraction:
    """A ratio field as written: ``4.25:1``, ``12.5%`` or a plain number.

    >>> parse_ratio_value("12.5%")
    Fraction(1, 8)
    >>> parse_ratio_value("0.33:1 (exactly 1/3)")  # as output shows it
    Fraction(1, 3)
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise MoneyError(f"expected a ratio such as 4.25:1 or 12.5%, found {value!r}")
    text = str(value).strip()
    if text.endswith(")") and " (exactly " in text:
        shown, exact = text[:-1].split(" (exactly ")
        parse_ratio_value(shown)
        return Fraction(exact)
    if text.endswith("%"):
        return parse_percent(text)
    if ":" in text:
        return parse_ratio(text)
    return Fraction(text)


def parse_shown(text: str, typ: object) -> Fraction:
    """The exact value of an amount or ratio as :func:`show_value` showed it (its inverse).

    >>> parse_shown("$0.33 (exactly 1/3)", None)
    Fraction(1, 3)
    >>> parse_shown("4.25:1", None)
    Fraction(17, 4)
    """
    if "(exactly " in text:
        return Fraction(text.split("(exactly ")[1].rstrip(")"))
    if text.endswith(":1"):
        return Fraction(text[:-2])
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    if isinstance(typ, AmountT):
        return Money(parse_number(re.sub(r"^[^\d-]+", "", text)), typ.currency)
    return Fraction(re.sub(r"^[^\d-]+", "", text).replace(",", ""))


def formula_literal(value: Fraction, typ: object) -> str:
    """An exact amount or ratio as the formula language writes it (the explorer builds
    questions from witnesses with it); a value with no short decimal form is a product.

    >>> formula_literal(Fraction(3, 2), AmountT("USD"))
    'USD 1.5'
    >>> formula_literal(Fraction(-1, 3), AmountT("USD"))
    '(USD 0 - (USD 1 * 1:3))'
    >>> formula_literal(Fraction(17, 4), None)
    '4.25:1'
    """
    from decimal import Decimal

    magnitude = abs(value)
    exact = Decimal(magnitude.numerator) / Decimal(magnitude.denominator)
    short = format(exact.normalize(), "f") if Fraction(exact) == magnitude else None
    if isinstance(typ, AmountT):
        code = typ.currency
        text = f"{code} {short}" if short else \
            f"({code} {magnitude.numerator} * 1:{magnitude.denominator})"
        return f"({code} 0 - {text})" if value < 0 else text
    text = f"{short}:1" if short else f"{magnitude.numerator}:{magnitude.denominator}"
    return f"(0:1 - {text})" if value < 0 else text
