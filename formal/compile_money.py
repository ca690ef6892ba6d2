"""Money, ratios, totals and counts in Z3: the twin of :mod:`model.money_eval`.

Amounts and ratios are Z3 reals (exact rationals); ints stay Z3 ints and are promoted where
they meet a real (``3 * fee``). A total or a count is a sum over the visible slots of its
kind, ``Σ If(present ∧ date ≤ now ∧ φ, v, 0)``; a comparison with a division is decided by
cross-multiplication, false when a divisor is zero (docs/semantics.md).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import z3

from model import ast

Sym = Any
Eval = Callable[[ast.Expr, Mapping[str, Sym]], Sym]
Visible = Callable[[str, Mapping[str, Sym]], list[tuple[Any, z3.BoolRef]]]
Compare = Callable[[str, Sym, Sym], z3.BoolRef]


def real_val(value: Fraction, z3ctx: z3.Context) -> z3.ArithRef:
    """An exact rational as a Z3 real."""
    return z3.RealVal(f"{value.numerator}/{value.denominator}", z3ctx)


def from_model(value: z3.ExprRef) -> Fraction:
    """A real (or int) value of a Z3 model as an exact fraction: the inverse of
    :func:`real_val`."""
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    assert isinstance(value, z3.RatNumRef)
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def extremum(op: str, a: Sym, b: Sym) -> Sym:
    """``greater_of`` / ``lesser_of``."""
    return z3.If(a >= b, a, b) if op == "greater" else z3.If(a <= b, a, b)


def total(expr: ast.Total | ast.Count, env: Mapping[str, Sym], ev: Eval, visible: Visible,
          z3ctx: z3.Context) -> Sym:
    """``total(v for e: K where φ)`` / ``count(e: K where φ)`` over the visible slots."""
    terms = []
    for slot, seen in visible(expr.kind, env):
        inner = {**env, expr.var: slot}
        value = ev(expr.value, inner) if isinstance(expr, ast.Total) else z3.IntVal(1, z3ctx)
        zero = z3.RealVal(0, z3ctx) if z3.is_real(value) else z3.IntVal(0, z3ctx)
        terms.append(z3.If(z3.And(seen, ev(expr.where, inner)), value, zero))
    if not terms:
        is_real = isinstance(expr, ast.Total) and isinstance(expr.type, ast.AmountT)
        return z3.RealVal(0, z3ctx) if is_real else z3.IntVal(0, z3ctx)
    return terms[0] if len(terms) == 1 else z3.Sum(*terms)


def _side(expr: ast.Expr, env: Mapping[str, Sym], ev: Eval) -> tuple[Sym, Sym | None]:
    """A side of a ratio comparison as numerator and divisor (None for a divisor of 1)."""
    if isinstance(expr, ast.Div):
        return ev(expr.left, env), ev(expr.right, env)
    return ev(expr, env), None


def ratio_compare(op: str, left: ast.Expr, right: ast.Expr, env: Mapping[str, Sym], ev: Eval,
                  compare: Compare) -> z3.BoolRef:
    """``n₁/d₁ ⋈ n₂/d₂``: both divisors non-zero and ``n₁·d₂ ⋈ n₂·d₁``, turned around when
    ``d₁·d₂ < 0``; with one divisor 1 the products stay linear."""
    (n1, d1), (n2, d2) = _side(left, env, ev), _side(right, env, ev)
    if d1 is None and d2 is None:
        return compare(op, n1, n2)
    if d2 is None:
        assert d1 is not None
        return z3.And(d1 != 0, z3.If(d1 > 0, compare(op, n1, n2 * d1), compare(op, n2 * d1, n1)))
    if d1 is None:
        return z3.And(d2 != 0, z3.If(d2 > 0, compare(op, n1 * d2, n2), compare(op, n2, n1 * d2)))
    a, b = n1 * d2, n2 * d1
    return z3.And(d1 != 0, d2 != 0, z3.If(d1 * d2 > 0, compare(op, a, b), compare(op, b, a)))
