"""Money, ratios, totals and counts on a concrete timeline: the reference half.

:mod:`model.concrete` hooks these in; :mod:`formal.compile_money` is their Z3 twin and must
agree. Values are exact fractions; a comparison with a division holds only when every
divisor is non-zero (docs/semantics.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any

from model import ast
from model.timeline import Event

Val = Any
Eval = Callable[[ast.Expr, Mapping[str, Val]], Val]


def extremum(op: str, a: Val, b: Val) -> Val:
    """``greater_of`` / ``lesser_of``.

    >>> extremum("greater", Fraction(1, 2), 1)
    1
    """
    return max(a, b) if op == "greater" else min(a, b)


def total(expr: ast.Total | ast.Count, env: Mapping[str, Val], ev: Eval,
          events: Iterable[Event]) -> Val:
    """The sum (or the number) of the visible events of the kind for which ``where`` holds."""
    out: Val = 0
    for event in events:
        inner = {**env, expr.var: event}
        if ev(expr.where, inner):
            out += ev(expr.value, inner) if isinstance(expr, ast.Total) else 1
    return out


def _side(expr: ast.Expr, env: Mapping[str, Val], ev: Eval) -> tuple[Val, Val]:
    if isinstance(expr, ast.Div):
        return ev(expr.left, env), ev(expr.right, env)
    return ev(expr, env), 1


def ratio_compare(op: str, left: ast.Expr, right: ast.Expr, env: Mapping[str, Val], ev: Eval,
                  compare: Callable[[str, Val, Val], bool]) -> bool:
    """``a / b ⋈ x``: false when a divisor is zero, else the exact comparison.

    >>> ev = lambda e, env: e.value
    >>> div = ast.Div(ast.MoneyLit(Fraction(5), "USD"), ast.MoneyLit(Fraction(0), "USD"))
    >>> ratio_compare("!=", div, ast.RatioLit(Fraction(1)), {}, ev, lambda o, a, b: a != b)
    False
    """
    (n1, d1), (n2, d2) = _side(left, env, ev), _side(right, env, ev)
    if d1 == 0 or d2 == 0:
        return False
    return compare(op, Fraction(n1) / d1, Fraction(n2) / d2)
