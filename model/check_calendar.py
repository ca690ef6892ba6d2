"""Type-check the calendar functions (:mod:`model.calendars`) and month arithmetic.

Kept apart from :mod:`model.checker`, which hands these calls here: ``weekday(t)``,
``business_day(t, C)`` and their kin become :class:`ast.CalFn` nodes, and ``t + 2 quarters``
becomes ``add_months(t, 6)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model import ast
from model.ast import BOOL, INT, TIME, EnumT, Type
from model.calendars import FUNCTIONS, WEEKDAY_ENUM
from model.errors import FormulaError

if TYPE_CHECKING:
    from model.checker import Checker

_RESULTS: dict[str, Type] = {"time": TIME, "bool": BOOL, "weekday": EnumT(WEEKDAY_ENUM)}


def _usage(name: str) -> str:
    words = {"time": "t", "int": "n", "calendar": "C"}
    return f"{name}({', '.join(words[p] for p in FUNCTIONS[name].params)})"


def check_call(checker: Checker, name: str, args: tuple[ast.Expr, ...], pos: ast.Pos,
               scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    """A calendar function applied: each argument of its kind, the calendar a declared one."""
    sig = FUNCTIONS[name]
    if len(args) != len(sig.params):
        raise FormulaError(f"{name} takes {len(sig.params)} argument(s) ({_usage(name)}), "
                           f"given {len(args)}", *pos)
    checked: list[ast.Expr] = []
    calendar: str | None = None
    for arg, param in zip(args, sig.params, strict=True):
        if param == "calendar":
            calendar = _calendar(checker, arg, name)
        elif param == "int":
            checked.append(_count(checker.expr(arg, scope, INT)[0], name))
        else:
            checked.append(checker.expr(arg, scope, TIME)[0])
    return ast.CalFn(name, tuple(checked), calendar, pos), _RESULTS[sig.result]


def _count(expr: ast.Expr, fn: str) -> ast.IntLit:
    """A count written as a number (``3``, ``0 - 3``), folded: both interpreters tabulate the
    function for that count."""
    match expr:
        case ast.IntLit():
            return expr
        case ast.Arith(op=op, left=left, right=right):
            a, b = _count(left, fn).value, _count(right, fn).value
            return ast.IntLit(a + b if op == "+" else a - b, expr.pos)
    raise FormulaError(
        f"the count of {fn} must be a number written in the formula, such as 3, or 0 - 3 for "
        "three before: each count is a table of its own in both interpreters, so a count "
        "that varies is refused; when it takes a few values, choose among them, "
        f"as in 'if x.days = 3 then {fn}(t, 3, C) else {fn}(t, 5, C)'", *expr.pos)


def _calendar(checker: Checker, arg: ast.Expr, fn: str) -> str:
    declared = checker.vocab.calendars
    known = f"the calendars: {', '.join(declared)}" if declared else \
        "declare one under time.calendars, as in 'banking: {financial: NYSE}'"
    if not isinstance(arg, ast.Name):
        raise FormulaError(f"the last argument of {fn} names a calendar ({known})", *arg.pos)
    if arg.name not in declared:
        raise FormulaError(f"unknown calendar {arg.name!r} ({known})", *arg.pos)
    return arg.name


def check_shift(checker: Checker, op: str, left: ast.Expr, months: ast.Months, pos: ast.Pos,
                scope: dict[str, Type]) -> tuple[ast.Expr, Type]:
    """``t ± n months``: a time moved by calendar months (the end-of-month rule)."""
    from model.checker import _Untyped  # a cycle at import time, none at call time

    try:
        base, btype = checker.expr(left, scope, None)
    except _Untyped:
        base, btype = checker.expr(left, scope, TIME)  # a free variable: a period moves a time
    if btype != TIME:
        raise FormulaError(f"months, quarters and years are added to a time, not to "
                           f"{'a duration' if btype == INT else f'a value of type {btype}'}", *pos)
    count = months.count if op == "+" else -months.count
    return ast.CalFn("add_months", (base, ast.IntLit(count, months.pos)), None, pos), TIME


def refuse_period(months: ast.Months) -> FormulaError:
    """A period met anywhere but on the right of ``t ±``."""
    return FormulaError("a period of months, quarters or years can only be added to or "
                        "subtracted from a time, as in 't + 1 month'", *months.pos)

