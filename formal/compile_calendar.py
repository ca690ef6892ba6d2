"""Calendar functions in Z3: the symbolic twin of :meth:`model.calendars.Calendars.apply`.

A calendar function of a constant folds to the constant the concrete model computes. Of a
symbolic time ``u`` it is encoded exactly, as a table over the calendar range:

- a test (``business_day``, ``is_month_end`` …) and ``weekday(u) = friday`` as the ranges of
  units where it holds, ``Or(lo_i <= u <= hi_i)``;
- a time-valued function as a balanced ``If`` tree over its segments
  (:meth:`~model.calendars.Calendars.segments`) with leaves ``u + k`` or a constant;
- ``later_of``/``earlier_of`` as ``If(a >= b, a, b)``.

Outside the range the table's end values hold (the range's first and last segments reach
to infinity), as in the concrete model. Every comparison that mentions a quantified time
stays linear inside each branch of these ``If`` trees, so :func:`ite_forms` lets
:func:`formal.compile.breakpoints` decide time quantifiers over them exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import z3

from model import ast
from model.calendars import FUNCTIONS, INTERNAL, WEEKDAYS, Calendars, Segment

Sym = Any
Form = tuple[int, Any]


def _constant(term: Sym) -> int | None:
    if isinstance(term, int):
        return term
    value = term if z3.is_int_value(term) else z3.simplify(term)
    return value.as_long() if z3.is_int_value(value) else None


def calendar_term(fn: str, args: tuple[Sym, ...], calendar: str | None, cals: Calendars,
                  z3ctx: z3.Context) -> Sym:
    """The Z3 term of a calendar function applied to compiled arguments."""
    if fn in ("later_of", "earlier_of"):
        a, b = args
        return z3.If(a >= b if fn == "later_of" else a <= b, a, b)
    values = [_constant(a) for a in args]
    result = (FUNCTIONS.get(fn) or INTERNAL[fn]).result
    if all(v is not None for v in values):
        folded = cals.apply(fn, tuple(v for v in values if v is not None), calendar)
        if isinstance(folded, bool):
            return z3.BoolVal(folded, z3ctx)
        if isinstance(folded, str):
            return z3.IntVal(WEEKDAYS.index(folded), z3ctx)
        return z3.IntVal(folded, z3ctx)
    if len(args) > 1 and values[1] is None:
        raise NotImplementedError(f"{fn} with a count that is not a constant")
    u, n = args[0], values[1] if len(args) > 1 else 0
    assert n is not None
    if result == "bool":
        return in_ranges(u, cals.ranges(fn, calendar), cals, z3ctx)
    segs = _clamped(cals.segments(fn, n, calendar))
    tree = _tree(u, segs, z3ctx)
    if len(_TREES) > MAX_TREES:
        _TREES.clear()
    _TREES[tree.get_id()] = (tree, u, segs)
    return tree


_TREES: dict[int, tuple[Any, Any, list[Segment]]] = {}
"""Each If tree built, by its term's id, with its argument and segments: so that breakpoints
read a tree's pieces from its table instead of walking thousands of nodes."""
MAX_TREES = 4096


def tree_parts(node: z3.ExprRef) -> tuple[Any, list[Segment]] | None:
    """The argument and segments of a calendar If tree, or None for any other term."""
    entry = _TREES.get(node.get_id())
    if entry is None or entry[0].ctx != node.ctx or not entry[0].eq(node):
        return None
    return entry[1], entry[2]


def weekday_is(u: Sym, index: int, cals: Calendars, z3ctx: z3.Context) -> z3.BoolRef:
    """``weekday(u) = WEEKDAYS[index]`` as ranges of units (linear in ``u``)."""
    return in_ranges(u, cals.ranges("weekday", None, index), cals, z3ctx)


def in_ranges(u: Sym, ranges: list[tuple[int, int]], cals: Calendars,
              z3ctx: z3.Context) -> z3.BoolRef:
    first, last = cals.first_unit, cals.last_unit
    parts = []
    for a, b in ranges:
        bounds = ([u >= a] if a > first else []) + ([u <= b] if b < last else [])
        parts.append(z3.And(*bounds) if len(bounds) > 1 else bounds[0] if bounds
                     else z3.BoolVal(True, z3ctx))
    return z3.Or(*parts) if len(parts) > 1 else parts[0] if parts else z3.BoolVal(False, z3ctx)


def _clamped(segs: list[Segment]) -> list[Segment]:
    """The segments, with constant ones before and after where an end one is ``u + k``."""
    out = list(segs)
    if out[0].coef:
        out.insert(0, Segment(out[0].start - 1, out[0].start - 1, 0, out[0].start + out[0].const))
    if out[-1].coef:
        out.append(Segment(out[-1].end + 1, out[-1].end + 1, 0, out[-1].end + out[-1].const))
    return out


def _tree(u: Sym, segs: list[Segment], z3ctx: z3.Context) -> Sym:
    """A balanced If tree over the segments, built with Z3's C API (thousands of nodes: z3py's
    coercions would cost more than the solver); each node is wrapped at once, so that Z3
    counts a reference to it."""
    ref, sort = z3ctx.ref(), z3.IntSort(z3ctx).ast
    leaves: dict[tuple[int, int], Any] = {}

    def leaf(s: Segment) -> Any:
        key = (s.coef, s.const)
        if key not in leaves:
            term = (u if s.const == 0 else u + s.const) if s.coef else z3.IntVal(s.const, z3ctx)
            leaves[key] = term
        return leaves[key].as_ast()

    def build(lo: int, hi: int) -> Any:
        if hi - lo == 1:
            return leaves[(segs[lo].coef, segs[lo].const)] if leaf(segs[lo]) else None
        mid = (lo + hi) // 2
        bound = z3.ArithRef(z3.Z3_mk_int64(ref, segs[mid].start, sort), z3ctx)
        cond = z3.BoolRef(z3.Z3_mk_lt(ref, u.as_ast(), bound.as_ast()), z3ctx)
        left, right = build(lo, mid), build(mid, hi)
        return z3.ArithRef(z3.Z3_mk_ite(ref, cond.as_ast(), left.as_ast(), right.as_ast()), z3ctx)

    return build(0, len(segs))


def weekday_compare(op: str, left: ast.Expr, right: ast.Expr,
                    compile_term: Callable[[ast.Expr], Sym], cals: Calendars,
                    z3ctx: z3.Context) -> z3.BoolRef | None:
    """``weekday(x) = friday`` (either way round, or ``!=``) as ranges; None for others."""
    if isinstance(left, ast.EnumLit):
        left, right = right, left
    if op not in ("=", "!=") or not isinstance(right, ast.EnumLit) \
            or not isinstance(left, ast.CalFn) or left.fn != "weekday":
        return None
    test = weekday_is(compile_term(left.args[0]), WEEKDAYS.index(right.value), cals, z3ctx)
    return test if op == "=" else z3.Not(test)


MAX_FORMS = 256
"""The most linear forms one comparison may split into before breakpoints give up."""


def ite_forms(term: z3.ExprRef, t: z3.ArithRef, occurs: Callable[[z3.ExprRef], bool],
              linear: Callable[[z3.ExprRef], Form | None], lo: int, hi: int
              ) -> tuple[list[Form], list[z3.ExprRef]] | None:
    """``term`` (an integer term with ``If`` inside) as the linear forms ``coef·t + rest`` its
    branches take, and the conditions that choose among them; None when not so linear.

    Within every stretch of ``t`` on which the conditions keep their truth, ``term`` is one of
    the forms, so the conditions' breakpoints with the forms' cover the term's.
    """
    conds: list[z3.ExprRef] = []
    memo: dict[int, list[Form] | None] = {}

    def go(node: z3.ExprRef) -> list[Form] | None:
        key = node.get_id()
        if key not in memo:
            memo[key] = _forms(node)
        return memo[key]

    def _forms(node: z3.ExprRef) -> list[Form] | None:
        if not occurs(node) or not z3.is_app(node):
            return [(0, node)] if not occurs(node) else None
        table = tree_parts(node)
        if table is not None:
            return _tree_forms(*table, linear, conds, lo, hi)
        kind = node.decl().kind()
        if kind == z3.Z3_OP_ITE:
            conds.append(node.arg(0))
            a, b = go(node.arg(1)), go(node.arg(2))
            return None if a is None or b is None else _dedupe(a + b)
        if kind in (z3.Z3_OP_ADD, z3.Z3_OP_SUB) and any(_has_ite(c, occurs) for c in node.children()):
            parts = [go(c) for c in node.children()]
            if any(p is None for p in parts):
                return None
            return _combine([p for p in parts if p is not None], kind == z3.Z3_OP_SUB)
        form = linear(node)
        return None if form is None else [form]

    out = go(term)
    return None if out is None else (out, conds)


def _tree_forms(u: Any, segs: list[Segment], linear: Callable[[z3.ExprRef], Form | None],
                conds: list[z3.ExprRef], lo: int, hi: int) -> list[Form] | None:
    """A calendar tree's linear forms (one per distinct leaf) and the branch conditions that
    can change within the horizon: with ``u = t + k``, only the segments starting in
    ``lo + k .. hi + 1 + k`` (the others hold on the whole horizon or none of it)."""
    base = linear(u)
    if base is None:
        return None
    coef, rest = base
    shift = _constant(rest) if not _zero(rest) else 0
    for s in segs[1:]:
        if shift is None or coef != 1 or lo <= s.start - shift <= hi + 1:
            conds.append(u < s.start)
    leaves = {(s.coef, s.const) for s in segs}
    forms: list[Form] = []
    for c, k in sorted(leaves):
        forms.append((0, k) if c == 0 else (coef, rest + k if not _zero(rest) else k))
    return _dedupe(forms)


def _has_ite(node: z3.ExprRef, occurs: Callable[[z3.ExprRef], bool]) -> bool:
    if not occurs(node) or not z3.is_app(node):
        return False
    return tree_parts(node) is not None or node.decl().kind() == z3.Z3_OP_ITE or any(_has_ite(c, occurs)
                                                     for c in node.children())


def _combine(parts: list[list[Form]], sub: bool) -> list[Form] | None:
    out: list[Form] = [(0, 0)]
    for i, forms in enumerate(parts):
        sign = -1 if sub and i > 0 else 1
        out = [(c + sign * fc, r + sign * fr if not _zero(r) else sign * fr)
               for c, r in out for fc, fr in forms]
        out = _dedupe(out)
        if len(out) > MAX_FORMS:
            return None
    return out


def _zero(r: Any) -> bool:
    return isinstance(r, int) and r == 0


def _dedupe(forms: list[Form]) -> list[Form]:
    seen: dict[tuple[int, Any], Form] = {}
    for coef, rest in forms:
        simple = rest if isinstance(rest, int) else z3.simplify(rest)
        seen.setdefault((coef, simple if isinstance(simple, int) else simple.get_id()),
                        (coef, simple))
    return list(seen.values())
