"""Type rules for money, ratios, totals and counts (the checker's half of the feature).

:class:`model.checker.Checker` hooks these in; they say which combinations of amounts,
ratios and ints make sense, so that mixing units is refused at load with both types named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model import ast
from model.ast import BOOL, INT, AmountT, IntT, RatioT, Type
from model.errors import FormulaError
from model.money import MoneyError, check_currency

if TYPE_CHECKING:
    from model.checker import Checker

RATIO = RatioT()
NUMERIC = (AmountT, RatioT, IntT)
EXTREMA = {"greater_of": "greater", "lesser_of": "lesser"}


def is_money(t: Type) -> bool:
    """Whether ``t`` is an amount or a ratio (the types that never mix with days)."""
    return isinstance(t, AmountT | RatioT)


def amount_type(t: ast.TypeName) -> Type | None:
    """``amount[USD]`` or ``ratio`` as a type, None for any other name."""
    if t.name == "amount":
        if t.elem is None:
            raise FormulaError("an amount needs its currency, as in amount[USD]", *t.pos)
        try:
            return AmountT(check_currency(t.elem))
        except MoneyError as exc:
            raise FormulaError(str(exc), *t.pos) from None
    if t.name in ("ratio", "percent") and t.elem is None:  # percent: a ratio shown as one
        return RATIO
    return None


def mixed(what: str, a: Type, b: Type, pos: ast.Pos, quoted: str = "") -> FormulaError:
    """The error for two types that do not mix, naming both."""
    return FormulaError(f"cannot {what} {a} with {b}{quoted}", *pos)


def arith_type(op: str, a: Type, b: Type, pos: ast.Pos) -> Type | None:
    """The type of ``a ± b`` when money is involved; None when neither side is money."""
    if not (is_money(a) or is_money(b)):
        return None
    if a == b:
        return a
    hint = ("; amounts add only to amounts of the same currency" if
            isinstance(a, AmountT) and isinstance(b, AmountT) else "")
    raise FormulaError(f"cannot compute {a} {op} {b}{hint}", *pos)


def mul_type(a: Type, b: Type, pos: ast.Pos) -> Type:
    """The type of ``a * b``: an amount scaled by a ratio or an int, ratios, or ints."""
    for x, y in ((a, b), (b, a)):
        if isinstance(x, AmountT) and isinstance(y, RatioT | IntT):
            return x
        if isinstance(x, RatioT) and isinstance(y, RatioT | IntT):
            return RATIO
    if isinstance(a, IntT) and isinstance(b, IntT):
        return INT
    raise FormulaError(f"cannot compute {a} * {b}; an amount is scaled by a ratio "
                       "(0.15% * x), not by another amount", *pos)


def check_mul(checker: Checker, raw: ast.Mul, scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    a, atype = checker.expr(raw.left, scope, None)
    b, btype = checker.expr(raw.right, scope, None)
    return ast.Mul(a, b, raw.pos), mul_type(atype, btype, raw.pos)


def check_div(checker: Checker, raw: ast.Div, scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    """``a / b``: two amounts of one currency, a ratio (the caller allows it only in a
    comparison)."""
    a, atype = checker.expr(raw.left, scope, None)
    b, btype = checker.expr(raw.right, scope, None)
    if not (isinstance(atype, AmountT) and atype == btype):
        raise FormulaError(f"cannot compute {atype} / {btype}; '/' divides an amount by an "
                           "amount of the same currency, giving a ratio", *raw.pos)
    return ast.Div(a, b, raw.pos), RATIO


def misplaced_div(raw: ast.Div) -> FormulaError:
    return FormulaError("a ratio of amounts (a / b) may only be compared, as in "
                        "'a / b <= 4.25:1' (see docs/semantics.md on zero divisors)", *raw.pos)


def check_extremum(checker: Checker, name: str, args: tuple[ast.Expr, ...], pos: ast.Pos,
                   scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    """``greater_of(a, b)`` / ``lesser_of(a, b)`` of two values of one numeric type."""
    if len(args) != 2:
        raise FormulaError(f"{name}(a, b) takes two values, given {len(args)}", *pos)
    a, atype = checker.expr(args[0], scope, None)
    b, btype = checker.expr(args[1], scope, None)
    if atype != btype:
        raise mixed(f"take {name} of", atype, btype, pos)
    if not isinstance(atype, NUMERIC):
        raise FormulaError(f"{name} takes amounts, ratios or ints, not {atype}", *pos)
    return ast.Extremum("greater" if name == "greater_of" else "lesser", a, b, pos), atype


def check_total(checker: Checker, raw: ast.RawTotal,
                scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    """``total(v for e: K where φ)`` (an amount or int) and ``count(e: K where φ)`` (an int)."""
    what = "count" if raw.value is None else "total"
    etype = checker.type_of(raw.type)
    if not isinstance(etype, ast.EventT):
        raise FormulaError(f"{what}(…) ranges over the events of a kind, not {etype}",
                           *raw.type.pos)
    checker.check_fresh(raw.var, raw.pos, scope)
    bound = {**scope, raw.var: etype}
    where = (ast.BoolLit(True, raw.pos) if raw.where is None
             else checker.expr(raw.where, bound, BOOL)[0])
    if raw.value is None:
        return ast.Count(raw.var, etype.kind, where, raw.pos), INT
    value, vtype = checker.expr(raw.value, bound, None)
    if not isinstance(vtype, AmountT | IntT):
        raise FormulaError(f"total(…) sums amounts or ints, not {vtype}", *raw.value.pos)
    return ast.Total(raw.var, etype.kind, value, where, vtype, raw.pos), vtype
