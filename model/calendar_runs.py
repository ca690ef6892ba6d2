"""Calendar functions of the quantified unit, as runs: the concrete model's exact shortcut.

:func:`model.concrete.truth_set` decides a time quantifier from runs of units. A calendar
function of the quantified unit ``x`` is piecewise linear in ``x`` (constant, or ``x + k``,
on each segment of :meth:`model.calendars.Calendars.segments`), so a term that holds one is
split into *pieces*: ranges of units on each of which every value is a :class:`Lin` or a
constant. A comparison is then solved piece by piece, exactly, in time proportional to the
number of segments rather than of units (which matters with unit ``minute``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any

from model import ast
from model.calendars import FUNCTIONS, INTERNAL, WEEKDAYS, Calendars, Segment
from model.intervals import Lin, Runs, lin_arith

Val = Any
Piece = tuple[int, int, Val]
"""Units ``a..b`` of the horizon, and the value there (a :class:`Lin`, or a plain value)."""
_FAR = 1 << 62


def _c() -> Any:
    from model import concrete  # the twin module; imported late, it imports this one

    return concrete


def has_calendar(expr: ast.Expr) -> bool:
    return any(isinstance(n, ast.CalFn) for n in ast.walk(expr))


def cmp_runs(op: str, left: ast.Expr, right: ast.Expr, env: Mapping[str, Val], ctx: Any) -> Runs:
    """The units where ``left op right`` holds, solved piece by piece."""
    lo, hi = ctx.program.horizon
    out = Runs.empty(lo, hi)
    for a, b, x, y in _meet(pieces(left, env, ctx), pieces(right, env, ctx)):
        part = _c()._cmp_runs(op, x, y, a, b)
        out = out.union(Runs(lo, hi, part.runs))
    return out


def test_runs(expr: ast.CalFn, env: Mapping[str, Val], ctx: Any) -> Runs:
    """The units where a calendar test (``business_day(x, C)``, ``is_month_end(x)``) holds."""
    lo, hi = ctx.program.horizon
    runs = tuple((a, b) for a, b, v in pieces(expr, env, ctx) if v)
    return Runs(lo, hi, ()).union(Runs(lo, hi, runs))


def pieces(expr: ast.Expr, env: Mapping[str, Val], ctx: Any) -> list[Piece]:
    """``expr``'s value over the horizon, split where a calendar function changes piece."""
    c = _c()
    lo, hi = ctx.program.horizon
    if not c._depends(expr, env, ctx):
        return [(lo, hi, c.evaluate(expr, env, ctx))]
    match expr:
        case ast.CalFn(fn="later_of" | "earlier_of", args=(first, second)):
            return _extreme(expr.fn == "later_of", first, second, env, ctx)
        case ast.CalFn(fn=fn, args=args, calendar=calendar):
            return _apply_pieces(fn, args, calendar, env, ctx)
        case ast.Arith(op=op, left=left, right=right):
            return [(a, b, lin_arith(x, y, op))
                    for a, b, x, y in _meet(pieces(left, env, ctx), pieces(right, env, ctx))]
        case ast.Ite(cond=cond, then=then, other=other):
            truth = c.truth_set(cond, env, ctx)
            yes = _meet(pieces(then, env, ctx), [(a, b, True) for a, b in truth.runs])
            no = _meet(pieces(other, env, ctx),
                       [(a, b, False) for a, b in truth.complement().runs])
            return sorted([(a, b, x) for a, b, x, _ in yes + no])
    return [(lo, hi, c._term(expr, env, ctx))]  # raises _NotLinear where it cannot


def _meet(p: list[Piece], q: list[Piece]) -> list[tuple[int, int, Val, Val]]:
    """The common refinement of two piece lists (each sorted, disjoint)."""
    out: list[tuple[int, int, Val, Val]] = []
    i = j = 0
    while i < len(p) and j < len(q):
        a, b, x = p[i]
        c, d, y = q[j]
        start, end = max(a, c), min(b, d)
        if start <= end:
            out.append((start, end, x, y))
        if b < d:
            i += 1
        else:
            j += 1
    return out


def _extreme(later: bool, first: ast.Expr, second: ast.Expr, env: Mapping[str, Val],
             ctx: Any) -> list[Piece]:
    out: list[Piece] = []
    for a, b, x, y in _meet(pieces(first, env, ctx), pieces(second, env, ctx)):
        diff = lin_arith(x, y, "-")
        if not isinstance(diff, Lin):
            out.append((a, b, x if (diff >= 0) == later else y))
            continue
        ge = Runs.solve(diff.coef, diff.const, ">=", a, b)
        out += [(s, e, x if later else y) for s, e in ge.runs]
        out += [(s, e, y if later else x) for s, e in ge.complement().runs]
    return sorted(out, key=lambda p: p[0])


def _apply_pieces(fn: str, args: tuple[ast.Expr, ...], calendar: str | None,
                  env: Mapping[str, Val], ctx: Any) -> list[Piece]:
    c = _c()
    cals: Calendars = ctx.program.calendars
    n = 0
    if len(args) > 1:
        if c._depends(args[1], env, ctx):
            raise c._NotLinear  # a count that moves with the unit: evaluated unit by unit
        n = c.evaluate(args[1], env, ctx)
    result = (FUNCTIONS.get(fn) or INTERNAL[fn]).result
    out: list[Piece] = []
    for a, b, v in pieces(args[0], env, ctx):
        if not isinstance(v, Lin):
            out.append((a, b, cals.apply(fn, (v, n), calendar)))
            continue
        if v.coef != 1:
            raise c._NotLinear
        for s in _covering(cals, fn, n, calendar, a + v.const, b + v.const):
            value: Val = Lin(1, v.const + s.const) if s.coef else s.const
            if result == "weekday":
                value = WEEKDAYS[s.const]
            elif result == "bool":
                value = bool(s.const)
            out.append((max(a, s.start - v.const), min(b, s.end - v.const), value))
    return out


def _covering(cals: Calendars, fn: str, n: int, calendar: str | None, a: int,
              b: int) -> list[Segment]:
    """The function's segments meeting units ``a..b``, with the range's clamped ends."""
    segs = cals.segments(fn, n, calendar)
    first, last = segs[0], segs[-1]
    below = Segment(-_FAR, first.start - 1, 0, first.const if not first.coef
                    else first.start + first.const)
    above = Segment(last.end + 1, _FAR, 0, last.const if not last.coef
                    else last.end + last.const)
    key = ("starts", fn, n, calendar)
    if key not in cals._cache:
        cals._cache[key] = [s.start for s in segs]
    starts: list[int] = cals._cache[key]  # type: ignore[assignment]
    i = max(0, bisect_right(starts, a) - 1)
    out = [below] if a < first.start else []
    while i < len(segs) and segs[i].start <= b:
        if segs[i].end >= a:
            out.append(segs[i])
        i += 1
    if b > last.end:
        out.append(above)
    return out
