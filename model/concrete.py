"""The reference semantics: evaluate a formula on one concrete timeline.

This is the interpreter the Z3 compiler (:mod:`formal.compile`) must agree
with; its functions have the same names and the same shape there. Every
solver witness is replayed through :func:`holds` before a user sees it, and
nothing here borrows the prover's shortcuts. ``docs/semantics.md`` is the
contract both follow.

A formula is judged from a *viewpoint* (``now``): it sees the events dated at
or before it. The environment carries the viewpoint under :data:`NOW` (the
end of the horizon when absent: questions see the whole timeline) and whether
it is judged in hindsight under :data:`HINDSIGHT`.

Time quantifiers range over every unit of the horizon. Rather than trying the
units one by one, :func:`truth_set` computes the set of units where the body
holds (every comparison is linear in the quantified time, so each is a run of
units); a body it cannot treat so (a time quantifier nested inside that
depends on the outer one) is evaluated unit by unit, and
``Context(exhaustive=True)`` always does that, so tests compare the two.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, assert_never

from model import ast, calendar_runs
from model import money_eval as money
from model.errors import BudgetExceeded, EvaluationError
from model.intervals import Lin, Runs, lin_arith
from model.program import Program
from model.timeline import Event, Timeline

Val = Any  # bool | int | str | frozenset[str] | Event | Lin
NOW = "now"
"""Environment key of the viewpoint (``now`` is a keyword, so no variable takes the name)."""
HINDSIGHT = "seen from"
"""Environment key: true inside ``seen from U: …``."""
RUNS_FROM = 32
"""Timelines of at least this many events answer calls judged at their own time from runs
(one pass over the timeline); shorter ones evaluate each call directly, which is cheaper."""
ENUMERATION_LIMIT = 200_000
"""The most units a time quantifier is evaluated at one by one, when it must be."""


class _NotLinear(Exception):
    """The body's truth is not a union of runs computable from linear comparisons alone."""


@dataclass
class Context:
    """One timeline under one choice of readings."""

    program: Program
    timeline: Timeline
    readings: Mapping[str, str]
    exhaustive: bool = False
    """Quantify time over every unit of the horizon, one by one (for testing the runs)."""
    deadline: float | None = None
    """When evaluation must stop (a ``time.monotonic`` value): a command's budget."""
    _memo: dict[tuple[Any, ...], Any] = field(default_factory=dict)


def check_deadline(ctx: Context) -> None:
    if ctx.deadline is not None and time.monotonic() > ctx.deadline:
        raise BudgetExceeded("the evaluation ran past its time budget (raise it with --timeout)")


def viewpoint(env: Mapping[str, Val], ctx: Context) -> Val:
    """The time ``env`` judges from: the end of the horizon unless set."""
    return env.get(NOW, ctx.program.horizon[1])


def visible(kind: str, env: Mapping[str, Val], ctx: Context) -> tuple[Event, ...]:
    """The events of ``kind`` dated at or before the viewpoint."""
    return ctx.timeline.of_kind_until(kind, viewpoint(env, ctx))


def evaluate(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> Val:
    """The value of ``expr`` with its variables bound by ``env``."""
    match expr:
        case ast.BoolLit(value=v) | ast.IntLit(value=v) | ast.TimeLit(value=v):
            return v
        case ast.EnumLit(value=v):
            return v
        case ast.SetLit(items=items):
            return frozenset(evaluate(i, env, ctx) for i in items)
        case ast.Var(name=name):
            return env[name]
        case ast.Now():
            return viewpoint(env, ctx)
        case ast.Field(target=target, field=fname, type=ftype):
            event = evaluate(target, env, ctx)
            if isinstance(ftype, ast.EventT):
                return referenced(event, fname, ctx)
            return event.field(fname)
        case ast.Call(pred=pred, args=args):
            return call(pred, tuple(evaluate(a, env, ctx) for a in args), ctx, env)
        case ast.Forbidden(event=target):
            return bool(forbidding(evaluate(target, env, ctx), ctx, env))
        case ast.Not(arg=arg):
            return not evaluate(arg, env, ctx)
        case ast.And(args=args):
            return all(evaluate(a, env, ctx) for a in args)
        case ast.Or(args=args):
            return any(evaluate(a, env, ctx) for a in args)
        case ast.Implies(left=left, right=right):
            return (not evaluate(left, env, ctx)) or bool(evaluate(right, env, ctx))
        case ast.Iff(left=left, right=right):
            return bool(evaluate(left, env, ctx)) == bool(evaluate(right, env, ctx))
        case ast.Cmp(op=op, left=left, right=right) if isinstance(left, ast.Div) or \
                isinstance(right, ast.Div):
            return money.ratio_compare(op, left, right, env, _ev(ctx), compare)
        case ast.Cmp(op=op, left=left, right=right):
            return compare(op, evaluate(left, env, ctx), evaluate(right, env, ctx))
        case ast.In(elem=elem, set=members):
            return evaluate(elem, env, ctx) in evaluate(members, env, ctx)
        case ast.Subset(left=left, right=right):
            return bool(evaluate(left, env, ctx) <= evaluate(right, env, ctx))
        case ast.Arith(op=op, left=left, right=right):
            a, b = evaluate(left, env, ctx), evaluate(right, env, ctx)
            return a + b if op == "+" else a - b
        case ast.Ite(cond=cond, then=then, other=other):
            return evaluate(then if evaluate(cond, env, ctx) else other, env, ctx)
        case ast.Quant(kind=kind, var=var, type=vtype, body=body):
            return quantify(kind, var, vtype, body, env, ctx)
        case ast.SeenFrom(at=at, body=body, hindsight=hindsight):
            return evaluate(body, seen_from(evaluate(at, env, ctx), env, ctx, hindsight), ctx)
        case ast.TimeExtremum(kind=kind, var=var, body=body):
            return extremum(kind, var, body, env, ctx)
        case ast.ReadingIs(reading=reading, option=option):
            return ctx.readings[reading] == option
        case ast.CalFn(fn=fn, args=args, calendar=calendar):
            return ctx.program.calendars.apply(fn, tuple(evaluate(a, env, ctx) for a in args),
                                               calendar)
        case ast.MoneyLit(value=v) | ast.RatioLit(value=v):
            return v
        case ast.Mul(left=left, right=right):
            return evaluate(left, env, ctx) * evaluate(right, env, ctx)
        case ast.Extremum(op=op, left=left, right=right):
            return money.extremum(op, evaluate(left, env, ctx), evaluate(right, env, ctx))
        case ast.Total(kind=kind) | ast.Count(kind=kind):
            return money.total(expr, env, _ev(ctx), visible(kind, env, ctx))
        case ast.Div():
            raise EvaluationError("a ratio of amounts outside a comparison")
        case (ast.Name() | ast.Apply() | ast.RawQuant() | ast.RawCmp() | ast.RawTotal()
              | ast.Months() | ast.RawTimeExtremum()):
            raise EvaluationError(f"unchecked formula node {type(expr).__name__}")
        case _:
            assert_never(expr)


def _ev(ctx: Context) -> Any:
    """``evaluate`` bound to one context, for the feature modules that call back into it."""
    return lambda expr, env: evaluate(expr, env, ctx)
def referenced(event: Event, fname: str, ctx: Context) -> Event:
    """The event that ``event``'s reference field ``fname`` names (docs/semantics.md, "Events
    that refer to events"): dated at or before ``event``, so seen whenever it is."""
    ref = event.field(fname)
    found = ctx.timeline.by_id(str(ref))
    if found is None:
        raise EvaluationError(f"event {event.id!r} refers to {ref!r}, which is not in the "
                              "timeline")
    return found


def extremum(kind: str, var: str, body: ast.Expr, env: Mapping[str, Val], ctx: Context) -> int:
    """``earliest``/``latest v: time. body``: the first (last) unit where ``body`` holds, or
    the unit just past the horizon on the other side when it holds nowhere."""
    lo, hi = ctx.program.horizon
    runs: Runs | None = None
    if not ctx.exhaustive:
        with contextlib.suppress(_NotLinear):
            runs = truth_set(body, {**env, var: Lin(1, 0)}, ctx)
    if runs is not None:
        if kind == "earliest":
            return runs.runs[0][0] if runs.runs else hi + 1
        return runs.runs[-1][1] if runs.runs else lo - 1
    if hi - lo + 1 > ENUMERATION_LIMIT and not ctx.exhaustive:
        raise EvaluationError(f"'{kind} {var}: time' must be evaluated unit by unit over "
                              f"{hi - lo + 1:,} units (the limit is {ENUMERATION_LIMIT:,}); "
                              "narrow the horizon")
    units = range(lo, hi + 1) if kind == "earliest" else range(hi, lo - 1, -1)
    for x in units:
        if x % 1024 == 0:
            check_deadline(ctx)
        if evaluate(body, {**env, var: x}, ctx):
            return x
    return hi + 1 if kind == "earliest" else lo - 1


def seen_from(at: int, env: Mapping[str, Val], ctx: Context,
              hindsight: bool = True) -> dict[str, Val]:
    """The environment of ``seen from at: …``: the earlier viewpoint, in hindsight (or, for
    ``hindsight=False``, as judged around it)."""
    return {**env, NOW: min(at, viewpoint(env, ctx)),
            HINDSIGHT: hindsight or env.get(HINDSIGHT, False)}


def compare(op: str, a: Val, b: Val) -> bool:
    if op == "=":
        return bool(a == b)
    if op == "!=":
        return bool(a != b)
    if op == "<":
        return bool(a < b)
    if op == "<=":
        return bool(a <= b)
    if op == ">":
        return bool(a > b)
    if op == ">=":
        return bool(a >= b)
    raise EvaluationError(f"unknown comparison {op!r}")


def quantify(kind: str, var: str, vtype: ast.Type, body: ast.Expr, env: Mapping[str, Val],
             ctx: Context) -> bool:
    """``exists``/``forall`` over the visible events of a kind, or over every unit of time."""
    if isinstance(vtype, ast.EventT):
        values = (evaluate(body, {**env, var: e}, ctx) for e in visible(vtype.kind, env, ctx))
        return any(values) if kind == "exists" else all(values)
    if isinstance(vtype, ast.BoolT):
        values = (evaluate(body, {**env, var: b}, ctx) for b in (False, True))
        return any(values) if kind == "exists" else all(values)
    lo, hi = ctx.program.horizon
    if not ctx.exhaustive:
        try:
            runs = truth_set(body, {**env, var: Lin(1, 0)}, ctx)
        except _NotLinear:
            pass
        else:
            return not runs.is_empty() if kind == "exists" else runs.is_full()
    if hi - lo + 1 > ENUMERATION_LIMIT and not ctx.exhaustive:
        raise EvaluationError(
            f"'{kind} {var}: time' nests a time quantifier that depends on {var!r}; evaluating "
            f"it unit by unit would take {hi - lo + 1:,} steps (the limit is "
            f"{ENUMERATION_LIMIT:,}); narrow the horizon")
    def each(x: int) -> Val:
        if x % 1024 == 0:
            check_deadline(ctx)
        return evaluate(body, {**env, var: x}, ctx)

    values = (each(x) for x in range(lo, hi + 1))
    return any(values) if kind == "exists" else all(values)


def call(pred: str, args: tuple[Val, ...], ctx: Context,
         env: Mapping[str, Val] | None = None) -> bool:
    """A defined predicate, applied, judged from the caller's viewpoint."""
    outer = env or {}
    at_now = _judged_at_now(pred, args, outer, ctx)
    if at_now is not None:
        return at_now
    key = (pred, args, outer.get(NOW), outer.get(HINDSIGHT, False))
    if key not in ctx._memo:
        check_deadline(ctx)
        definition = ctx.program.definitions[pred]
        inner = {name: value for (name, _), value in zip(definition.params, args, strict=True)}
        inner.update({k: outer[k] for k in (NOW, HINDSIGHT) if k in outer})
        ctx._memo[key] = bool(evaluate(definition.body, inner, ctx))
    return bool(ctx._memo[key])


def _judged_at_now(pred: str, args: tuple[Val, ...], env: Mapping[str, Val],
                   ctx: Context) -> bool | None:
    """A call whose time arguments are the viewpoint itself (a forbid rule asking about its
    act's own date, a status about its own time), answered from the runs of units on which
    the predicate holds so judged: computed once for the timeline, not once per act, so a
    simulation stays linear in its length. None when that does not apply or the runs are not
    computable (the caller evaluates the call as usual)."""
    now = env.get(NOW)
    if ctx.exhaustive or len(ctx.timeline) < RUNS_FROM or not isinstance(now, int) \
            or env.get(HINDSIGHT, False):
        return None
    definition = ctx.program.definitions[pred]
    times = [i for i, (_, t) in enumerate(definition.params) if isinstance(t, ast.TimeT)]
    if not times or any(args[i] != now for i in times):
        return None
    moving = tuple(Lin(1, 0) if i in times else a for i, a in enumerate(args))
    key = ("at now", pred, moving)
    if key not in ctx._memo:
        try:
            ctx._memo[key] = _call_runs(pred, moving, {NOW: Lin(1, 0)}, ctx)
        except _NotLinear:
            ctx._memo[key] = None
    runs: Runs | None = ctx._memo[key]
    return None if runs is None else now in runs


def forbidding(event: Event, ctx: Context, env: Mapping[str, Val] | None = None) -> list[str]:
    """The clauses whose forbid rules hold for ``event``: judged from its date, or, in
    hindsight, from the later of its date and the viewpoint."""
    outer = env or {}
    judged = event.date
    if outer.get(HINDSIGHT, False):
        judged = max(event.date, viewpoint(outer, ctx))
    key = ("forbid", event, judged, outer.get(HINDSIGHT, False))
    if key not in ctx._memo:
        ctx._memo[key] = [
            f.clause for f in ctx.program.forbids.get(event.kind, ())
            if evaluate(f.when, {f.var: event, NOW: judged, HINDSIGHT: outer.get(HINDSIGHT, False)},
                        ctx)]
        if ctx._memo[key] and permitting(event, judged, outer.get(HINDSIGHT, False), ctx):
            ctx._memo[key] = []  # a permission beats every prohibition
    return list(ctx._memo[key])


def permitting(event: Event, judged: int, hindsight: bool, ctx: Context) -> list[str]:
    """The clauses whose permit rules hold for ``event``, judged as its forbid rules are."""
    return [p.clause for p in ctx.program.permits.get(event.kind, ())
            if evaluate(p.when, {p.var: event, NOW: judged, HINDSIGHT: hindsight}, ctx)]


def holds(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> bool:
    """Whether a formula is true; a non-boolean formula is an evaluation error."""
    value = evaluate(expr, env, ctx)
    if not isinstance(value, bool):
        raise EvaluationError(f"formula evaluated to {value!r}, not true or false")
    return value


def axioms_hold(ctx: Context) -> list[str]:
    """The clauses whose assumptions this timeline violates (empty when all hold)."""
    return [a.clause for a in ctx.program.axioms if not holds(a.formula, {}, ctx)]


# ---------------------------------------------------------------- time quantifiers as runs


def _depends(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> bool:
    """Whether ``expr``'s value can depend on the quantified unit: a variable bound to a
    :class:`Lin`, or, when the viewpoint is one, anything that reads the viewpoint."""
    names, reads_view, forbids = _features(expr, ctx)
    if isinstance(env.get(NOW), Lin) and (reads_view or (forbids and env.get(HINDSIGHT))):
        return True
    return any(isinstance(env.get(name), Lin) for name in names)


def _features(expr: ast.Expr, ctx: Context) -> tuple[frozenset[str], bool, bool]:
    """The variables ``expr`` names, whether it reads the viewpoint (``now``, a quantifier,
    a call, ``seen from``) and whether it asks ``forbidden``; one walk per node, memoized."""
    key = ("features", id(expr))
    if key not in ctx._memo:
        names: set[str] = set()
        reads_view = forbids = False
        for node in ast.walk(expr):
            if isinstance(node, ast.Var):
                names.add(node.name)
            elif isinstance(node, ast.Now | ast.Quant | ast.Call | ast.SeenFrom | ast.Total
                            | ast.Count | ast.TimeExtremum):
                reads_view = True
            elif isinstance(node, ast.Forbidden):
                forbids = True
        ctx._memo[key] = (frozenset(names), reads_view, forbids)
    result: tuple[frozenset[str], bool, bool] = ctx._memo[key]
    return result


def _term(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> Val:
    """A non-boolean value, as a :class:`Lin` where it depends on the quantified unit."""
    if not _depends(expr, env, ctx):
        return evaluate(expr, env, ctx)
    match expr:
        case ast.Var(name=name):
            return env[name]
        case ast.Now():
            return env[NOW]
        case ast.Arith(op=op, left=left, right=right):
            return lin_arith(_term(left, env, ctx), _term(right, env, ctx), op)
        case ast.Ite(cond=cond, then=then, other=other) if not _depends(cond, env, ctx):
            return _term(then if evaluate(cond, env, ctx) else other, env, ctx)
        case ast.Field() | ast.SetLit():
            return evaluate(expr, env, ctx)  # events and sets never hold a unit of time
    raise _NotLinear


def _cmp_runs(op: str, a: Val, b: Val, lo: int, hi: int) -> Runs:
    if not isinstance(a, Lin) and not isinstance(b, Lin):
        return Runs.of(compare(op, a, b), lo, hi)
    diff = lin_arith(a, b, "-")
    if isinstance(diff, Lin):
        return Runs.solve(diff.coef, diff.const, op, lo, hi)
    return Runs.of(compare(op, diff, 0), lo, hi)


def truth_set(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> Runs:
    """The units of the horizon at which a boolean ``expr`` holds, with the quantified unit
    bound to ``Lin(1, 0)`` in ``env`` (and the other variables to plain values)."""
    lo, hi = ctx.program.horizon
    if not _depends(expr, env, ctx):
        return Runs.of(bool(evaluate(expr, env, ctx)), lo, hi)
    match expr:
        case ast.Not(arg=arg):
            return truth_set(arg, env, ctx).complement()
        case ast.And(args=args):
            out = Runs.full(lo, hi)
            for a in args:
                out = out.intersect(truth_set(a, env, ctx))
            return out
        case ast.Or(args=args):
            out = Runs.empty(lo, hi)
            for a in args:
                out = out.union(truth_set(a, env, ctx))
            return out
        case ast.Implies(left=left, right=right):
            return truth_set(left, env, ctx).complement().union(truth_set(right, env, ctx))
        case ast.Iff(left=left, right=right):
            lhs, rhs = truth_set(left, env, ctx), truth_set(right, env, ctx)
            return lhs.intersect(rhs).union(lhs.complement().intersect(rhs.complement()))
        case ast.Ite(cond=cond, then=then, other=other):
            c = truth_set(cond, env, ctx)
            return c.intersect(truth_set(then, env, ctx)).union(
                c.complement().intersect(truth_set(other, env, ctx)))
        case ast.Cmp(op=op, left=left, right=right) if calendar_runs.has_calendar(expr):
            return calendar_runs.cmp_runs(op, left, right, env, ctx)
        case ast.Cmp(left=ast.Div()) | ast.Cmp(right=ast.Div()):
            raise _NotLinear  # a ratio that moves with the unit: evaluated unit by unit
        case ast.Cmp(op=op, left=left, right=right):
            return _cmp_runs(op, _term(left, env, ctx), _term(right, env, ctx), lo, hi)
        case ast.CalFn():
            return calendar_runs.test_runs(expr, env, ctx)
        case ast.In() | ast.Subset():
            raise _NotLinear  # a set chosen by the time: rare; evaluated unit by unit
        case ast.Call(pred=pred, args=args):
            return _call_runs(pred, tuple(_term(a, env, ctx) for a in args), env, ctx)
        case ast.Quant(kind=kind, var=var, type=ast.EventT(kind=ekind), body=body):
            return _event_runs(kind, var, ekind, body, env, ctx)
        case ast.Quant(kind=kind, var=var, type=ast.BoolT(), body=body):
            no, yes = (truth_set(body, {**env, var: b}, ctx) for b in (False, True))
            return no.union(yes) if kind == "exists" else no.intersect(yes)
        case ast.SeenFrom(at=at, body=body, hindsight=hindsight):
            return _seen_from_runs(_term(at, env, ctx), body, env, ctx, hindsight)
    raise _NotLinear


def _seen_from_runs(at: Val, body: ast.Expr, env: Mapping[str, Val], ctx: Context,
                    hindsight: bool = True) -> Runs:
    """``seen from at: body`` where ``at`` or the viewpoint may move with the unit: the new
    viewpoint is the earlier of the two, so split the horizon where that changes."""
    lo, hi = ctx.program.horizon
    now = viewpoint(env, ctx)
    flag = hindsight or env.get(HINDSIGHT, False)
    if not isinstance(at, Lin) and not isinstance(now, Lin):
        return truth_set(body, seen_from(at, env, ctx, hindsight), ctx)
    if at == now:
        return truth_set(body, {**env, HINDSIGHT: flag}, ctx)
    earlier = _cmp_runs("<=", at, now, lo, hi)  # where ``at`` is the earlier one
    first = truth_set(body, {**env, NOW: at, HINDSIGHT: flag}, ctx)
    second = truth_set(body, {**env, NOW: now, HINDSIGHT: flag}, ctx)
    return earlier.intersect(first).union(earlier.complement().intersect(second))


def runs_of(expr: ast.Expr, var: str, env: Mapping[str, Val], ctx: Context,
            judged_at_var: bool = False) -> Runs | None:
    """The units at which ``expr`` holds as ``var`` runs over the horizon, or None when that
    is not computable from linear comparisons alone. ``judged_at_var``: the viewpoint moves
    with ``var`` (a status, judged at its own time)."""
    bound: dict[str, Val] = {**env, var: Lin(1, 0)}
    if judged_at_var:
        bound[NOW] = Lin(1, 0)
    try:
        return truth_set(expr, bound, ctx)
    except _NotLinear:
        return None


def change_points(expr: ast.Expr, var: str, env: Mapping[str, Val], ctx: Context,
                  judged_at_var: bool = False) -> list[int] | None:
    """The units where ``expr`` may change truth as ``var`` runs over the horizon (the starts
    of its runs and gaps, with the horizon's start), or None (see :func:`runs_of`)."""
    runs = runs_of(expr, var, env, ctx, judged_at_var)
    return None if runs is None else sorted({ctx.program.horizon[0], *runs.starts()})


def _call_runs(pred: str, args: tuple[Val, ...], env: Mapping[str, Val], ctx: Context) -> Runs:
    key = ("runs", pred, args, env.get(NOW), env.get(HINDSIGHT, False))
    if key not in ctx._memo:
        definition = ctx.program.definitions[pred]
        inner = {name: value for (name, _), value in zip(definition.params, args, strict=True)}
        inner.update({k: env[k] for k in (NOW, HINDSIGHT) if k in env})
        ctx._memo[key] = truth_set(definition.body, inner, ctx)
    result: Runs = ctx._memo[key]
    return result


def _event_runs(kind: str, var: str, ekind: str, body: ast.Expr, env: Mapping[str, Val],
                ctx: Context) -> Runs:
    """An event quantifier whose body depends on the unit; with a viewpoint that does too, an
    event counts only at the units from which it is visible."""
    lo, hi = ctx.program.horizon
    now = env.get(NOW)
    events: Iterable[Event] = (ctx.timeline.of_kind(ekind) if isinstance(now, Lin)
                               else visible(ekind, env, ctx))
    out = Runs.empty(lo, hi) if kind == "exists" else Runs.full(lo, hi)
    for event in events:
        runs = truth_set(body, {**env, var: event}, ctx)
        if isinstance(now, Lin):
            seen = _cmp_runs("<=", event.date, now, lo, hi)
            runs = seen.intersect(runs) if kind == "exists" else seen.complement().union(runs)
        out = out.union(runs) if kind == "exists" else out.intersect(runs)
    return out
