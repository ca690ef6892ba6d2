"""The parser's half of money: literal tokens and ``*`` / ``/`` chains into AST nodes.

Kept apart from :mod:`model.parser` so that the shared parser only hooks these in.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from lark import Token

from model import ast
from model.errors import FormulaError
from model.money import MoneyError, parse_money


def _tok(token: Token) -> ast.Pos:
    return (token.line or 1, token.column or 1)


def money_literal(token: Token) -> ast.Expr:
    """``$50,000,000`` / ``GBP 500,000`` as a :class:`ast.MoneyLit`, or an error at the token."""
    try:
        value, currency = parse_money(str(token))
    except MoneyError as exc:
        raise FormulaError(str(exc), *_tok(token)) from None
    return ast.MoneyLit(value, currency, _tok(token))


def ratio_literal(token: Token, parse: Callable[[str], Fraction]) -> ast.Expr:
    """``0.15%`` / ``4.25:1`` as a :class:`ast.RatioLit`, or an error at the token."""
    try:
        return ast.RatioLit(parse(str(token)), _tok(token))
    except (MoneyError, ValueError, ZeroDivisionError) as exc:
        raise FormulaError(str(exc), *_tok(token)) from None


def product(children: list[Any], pos: ast.Pos) -> ast.Expr:
    """``a * b / c`` read from the left."""
    out: ast.Expr = children[0]
    for i in range(1, len(children), 2):
        node = ast.Mul if children[i] == "*" else ast.Div
        out = node(out, children[i + 1], pos)
    return out
