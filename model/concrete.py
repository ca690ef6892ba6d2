"""The reference semantics: evaluate a formula on one concrete timeline.

This is the interpreter the Z3 compiler (:mod:`formal.compile`) must agree
with; its functions have the same names and the same shape there. Every
solver witness is replayed through :func:`holds` before a user sees it.

Time quantifiers need no search over every day. A formula compares times only
as ``x ⋈ y + c`` for fixed offsets ``c``; so, for a fixed timeline, its truth
can change only where a time equals a known time plus an offset, or the day
after. :func:`critical_times` lists those days (clamped to the horizon);
checking them is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, assert_never

from model import ast
from model.errors import EvaluationError
from model.program import Program
from model.timeline import Event, Timeline

Val = Any  # bool | int | str | frozenset[str] | Event


def offset_deltas(offsets: Iterable[int]) -> tuple[int, ...]:
    """Every difference two offsets can make: where ``t + a ⋈ x + b`` changes truth."""
    signed = {o for k in offsets for o in (k, -k)} | {0}
    return tuple(sorted({a - b for a in signed for b in signed}))


@dataclass
class Context:
    """One timeline under one choice of readings."""

    program: Program
    timeline: Timeline
    readings: Mapping[str, str]
    deltas: tuple[int, ...] = ()
    _memo: dict[tuple[str, tuple[Any, ...]], bool] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.deltas:
            self.deltas = offset_deltas(self.program.offsets)


def critical_times(ctx: Context, env: Mapping[str, Val]) -> list[int]:
    """Days that represent every stretch of time on which a formula keeps its truth."""
    lo, hi = ctx.program.horizon
    known = set(ctx.program.constants)
    for event in ctx.timeline.events:
        known.add(event.date)
        known.update(v for _, v in event.fields if isinstance(v, int) and not isinstance(v, bool))
    known.update(v for v in env.values() if isinstance(v, int) and not isinstance(v, bool))
    out = {lo}
    for x in known:
        for c in ctx.deltas:
            for step in (0, 1):
                out.add(min(hi, max(lo, x + c + step)))
    return sorted(out)


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
        case ast.Field(target=target, field=fname):
            event = evaluate(target, env, ctx)
            return event.field(fname)
        case ast.Call(pred=pred, args=args):
            return call(pred, tuple(evaluate(a, env, ctx) for a in args), ctx)
        case ast.Forbidden(event=target):
            return bool(forbidding_clauses(evaluate(target, env, ctx), ctx))
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
            domain: Iterable[Val]
            if isinstance(vtype, ast.EventT):
                domain = ctx.timeline.of_kind(vtype.kind)
            else:
                domain = critical_times(ctx, env)
            values = (evaluate(body, {**env, var: v}, ctx) for v in domain)
            return any(values) if kind == "exists" else all(values)
        case ast.ReadingIs(reading=reading, option=option):
            return ctx.readings[reading] == option
        case ast.Name() | ast.Apply() | ast.RawQuant() | ast.RawCmp():
            raise EvaluationError(f"unchecked formula node {type(expr).__name__}")
        case _:
            assert_never(expr)


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


def call(pred: str, args: tuple[Val, ...], ctx: Context) -> bool:
    """A defined predicate, applied; every clause's definition is in force."""
    key = (pred, args)
    if key not in ctx._memo:
        definition = ctx.program.definitions[pred]
        env = {name: value for (name, _), value in zip(definition.params, args, strict=True)}
        ctx._memo[key] = bool(evaluate(definition.body, env, ctx))
    return ctx._memo[key]


def forbidding_clauses(event: Event, ctx: Context) -> list[str]:
    """The clauses whose forbid rules hold for ``event`` on this timeline."""
    return [f.clause for f in ctx.program.forbids.get(event.kind, ())
            if evaluate(f.when, {f.var: event}, ctx)]


def holds(expr: ast.Expr, env: Mapping[str, Val], ctx: Context) -> bool:
    """Whether a formula is true; a non-boolean formula is an evaluation error."""
    value = evaluate(expr, env, ctx)
    if not isinstance(value, bool):
        raise EvaluationError(f"formula evaluated to {value!r}, not true or false")
    return value


def axioms_hold(ctx: Context) -> list[str]:
    """The clauses whose assumptions this timeline violates (empty when all hold)."""
    return [a.clause for a in ctx.program.axioms if not holds(a.formula, {}, ctx)]
