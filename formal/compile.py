"""The symbolic twin of :mod:`model.concrete`: the same AST compiled to Z3 terms.

The concrete model is the reference; the functions here have its names and
shapes (``evaluate``, ``call``, ``quantify``, ``forbidding``, ``viewpoint``) and must
agree with it on every fixed timeline.

A timeline is a fixed number of event *slots* per kind (see
:mod:`formal.fragment` for why that number suffices); a slot is present or
not. Event quantifiers become finite disjunctions and conjunctions over the
visible slots of their kind (dated at or before the viewpoint, as in the
concrete model). A time quantifier that is existential in effect becomes a
fresh constant (a Skolem constant). Any other is compiled once with a fresh
time ``T`` and then decided exactly: when every comparison that mentions
``T`` is ``±T + rest ⋈ 0``, the body's truth can change only at each
``rest`` or the unit after it, so the quantifier is the conjunction (or
disjunction) of the body at those points and the horizon's start (see
:func:`breakpoints`); otherwise it stays a real Z3 quantifier over the
horizon, which the solver decides or answers ``unknown``.

Each clause has a tracking literal. When the literal is false the clause's
definitions become unknown (an uninterpreted function of their arguments),
its forbid rules likewise, and its assumptions are dropped; so an unsat core
over the literals names the clauses that force an answer.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, assert_never

import z3

from model import ast
from model.concrete import HINDSIGHT, NOW
from model.program import Program

from . import compile_money as money
from .budget import check as check_budget
from .compile_calendar import calendar_term, ite_forms, tree_parts, weekday_compare
from .compile_dates import date_terms, is_owned, owned_date
from .fragment import BOTH, NEG, POS

Sym = Any  # z3.BoolRef | z3.ArithRef | tuple[z3.BoolRef, ...] | Slot


@dataclass(eq=False)
class Slot:
    """One possible event of a kind: present or not, with a symbolic date and fields."""

    uid: int
    kind: str
    present: z3.BoolRef
    date: z3.ArithRef
    fields: dict[str, Sym]
    pos: int = 0
    """Where the slot stands among the slots of its kind."""

    def field(self, name: str) -> Sym:
        return self.date if name == "date" else self.fields[name]


@dataclass(eq=False)
class Choice:
    """An event an existential quantifier picks: one of its kind's slots, chosen by ``index``.

    One body over a chosen event instead of one body per slot keeps ``k`` nested existential
    quantifiers over a kind with ``k`` slots linear in ``k`` rather than ``k^k``; every
    access to the event is an if-then-else over the slots.
    """

    kind: str
    index: z3.ArithRef
    slots: list[Slot]

    def pick(self, values: list[Any]) -> Any:
        """The value among ``values`` (one per slot) that the chosen slot holds."""
        if isinstance(values[0], tuple):
            return tuple(self.pick([v[i] for v in values]) for i in range(len(values[0])))
        out = values[-1]
        for i in range(len(values) - 2, -1, -1):
            out = _ite(self.index == i, values[i], out)
        return out

    def field(self, name: str) -> Sym:
        values = [s.field(name) for s in self.slots]
        if isinstance(values[0], Choice):  # a reference field: the chosen slot's choice
            return Choice(values[0].kind, self.pick([v.index for v in values]), values[0].slots)
        return self.pick(values)

    @property
    def uid(self) -> Any:
        return self.pick([z3.IntVal(s.uid, self.index.ctx) for s in self.slots])


def _ite(cond: z3.BoolRef, then: Any, other: Any) -> Any:
    """``z3.If(cond, then, other)``, made by Z3's C call directly when the two branches are
    already terms of one sort: the same term, without z3py's coercions (most of a pick's cost)."""
    kind = type(then)
    if kind is type(other) and kind in (z3.ArithRef, z3.BoolRef) and then.ctx is other.ctx \
            and z3.Z3_is_eq_sort(then.ctx.ref(), z3.Z3_get_sort(then.ctx.ref(), then.as_ast()),
                                 z3.Z3_get_sort(then.ctx.ref(), other.as_ast())):
        return kind(z3.Z3_mk_ite(then.ctx.ref(), cond.as_ast(), then.as_ast(), other.as_ast()),
                    then.ctx)
    return z3.If(cond, then, other)


@dataclass
class SymContext:
    """One Z3 problem: the slots, the readings, the clause literals and the side constraints."""

    program: Program
    z3ctx: z3.Context
    readings: Mapping[str, str]
    """The option chosen for each reading; a reading left out stays open (:func:`reading_is`)."""
    slots: dict[str, list[Slot]] = field(default_factory=dict)
    literals: dict[str, z3.BoolRef] = field(default_factory=dict)
    side: list[z3.BoolRef] = field(default_factory=list)
    skolem: bool = True
    """Whether an existential time may become a constant: not inside a body compiled once
    for a quantified ``T`` (each point of it needs its own witness)."""
    choose_events: bool = True
    """Whether an existential event quantifier picks a slot by a Skolem index (:class:`Choice`)
    or stays a disjunction over the slots; the two are equivalent."""
    deadline: float | None = None
    """When building terms must stop (``time.monotonic``); see :mod:`formal.budget`."""
    _memo: dict[tuple[Any, ...], z3.BoolRef] = field(default_factory=dict)
    _fresh: int = 0
    _free: dict[str, z3.FuncDeclRef] = field(default_factory=dict)
    grants: dict[str, z3.BoolRef] = field(default_factory=dict)
    """Each clause's grant literal (:mod:`formal.compile_duties`): false deletes its permissions."""

    def fresh(self, prefix: str) -> str:
        self._fresh += 1
        return f"{prefix}!{self._fresh}"

    def all_slots(self) -> list[Slot]:
        return [s for kind in sorted(self.slots) for s in self.slots[kind]]


# ---------------------------------------------------------------- values and sorts


def bool_val(b: bool, ctx: SymContext) -> z3.BoolRef:
    return z3.BoolVal(b, ctx.z3ctx)


def int_val(n: int, ctx: SymContext) -> z3.ArithRef:
    return z3.IntVal(n, ctx.z3ctx)


def conj(items: Iterable[z3.BoolRef], ctx: SymContext) -> z3.BoolRef:
    items = list(items)
    if not items:
        return bool_val(True, ctx)
    return items[0] if len(items) == 1 else _connect(z3.Z3_mk_and, z3.And, items, ctx)


def disj(items: Iterable[z3.BoolRef], ctx: SymContext) -> z3.BoolRef:
    items = list(items)
    if not items:
        return bool_val(False, ctx)
    return items[0] if len(items) == 1 else _connect(z3.Z3_mk_or, z3.Or, items, ctx)


def _connect(make: Any, connective: Any, items: list[z3.BoolRef],
             ctx: SymContext) -> z3.BoolRef:
    """``connective(*items)``, made by Z3's C call directly when every item is already a
    formula of this context: the same term (``z3.And`` would only check and cast each item
    to its own sort first, which was a large part of compiling a question)."""
    zc = ctx.z3ctx
    if not all(type(a) is z3.BoolRef and a.ctx is zc for a in items):
        return connective(*items)
    array = (z3.Ast * len(items))(*[a.as_ast() for a in items])
    return z3.BoolRef(make(zc.ref(), len(items), array), zc)


def enum_index(ctx: SymContext, enum: str, value: str) -> int:
    return ctx.program.enums[enum].index(value)


def declare(name: str, typ: ast.Type, ctx: SymContext) -> tuple[Sym, list[z3.BoolRef]]:
    """A fresh symbolic value of ``typ``, with the constraints that keep it in its domain."""
    zc = ctx.z3ctx
    match typ:
        case ast.BoolT():
            return z3.Bool(name, zc), []
        case ast.IntT():
            return z3.Int(name, zc), []
        case ast.TimeT():
            v = z3.Int(name, zc)
            lo, hi = ctx.program.horizon
            return v, [v >= lo, v <= hi]
        case ast.EnumT(name=enum):
            v = z3.Int(name, zc)
            return v, [v >= 0, v < len(ctx.program.enums[enum])]
        case ast.SetT(elem=elem):
            members = ctx.program.enums[elem.name]
            return tuple(z3.Bool(f"{name}.{m}", zc) for m in members), []
        case ast.AmountT() | ast.RatioT():
            return z3.Real(name, zc), []
        case ast.EventT():
            raise TypeError("events are slots, not declared values")
        case _:
            assert_never(typ)


def make_slots(shape_slots: Mapping[str, int], ctx: SymContext) -> list[z3.BoolRef]:
    """Allocate the slots of each kind; returns their domain and symmetry constraints."""
    constraints: list[z3.BoolRef] = []
    uid = 0
    for kind in sorted(shape_slots):
        row: list[Slot] = []
        for i in range(shape_slots[kind]):
            name = f"{kind}#{i + 1}"
            present = z3.Bool(f"{name}.present", ctx.z3ctx)
            date, dom = declare(f"{name}.date", ast.TIME, ctx)
            constraints += dom
            fields: dict[str, Sym] = {}
            for fname, ftype in ctx.program.kinds[kind].items():
                if isinstance(ftype, ast.EventT):
                    continue  # a reference: a slot index, chosen once every kind has slots
                fields[fname], dom = declare(f"{name}.{fname}", ftype, ctx)
                constraints += dom
            row.append(Slot(uid, kind, present, date, fields, i))
            uid += 1
        for a, b in itertools.pairwise(row):  # symmetry: present slots first, by date
            constraints.append(z3.Implies(b.present, z3.And(a.present, a.date <= b.date)))
        ctx.slots[kind] = row
    return constraints + reference_slots(ctx)


def reference_slots(ctx: SymContext) -> list[z3.BoolRef]:
    """Each reference field of each slot: an index into the referenced kind's slots, which
    when the slot is present picks a present slot dated at or before it (docs/semantics.md,
    "Events that refer to events")."""
    constraints: list[z3.BoolRef] = []
    for slot in ctx.all_slots():
        for fname, ftype in ctx.program.kinds[slot.kind].items():
            if not isinstance(ftype, ast.EventT):
                continue
            targets = ctx.slots.get(ftype.kind, [])
            index = z3.Int(f"{slot.kind}#{slot.pos + 1}.{fname}", ctx.z3ctx)
            choice = Choice(ftype.kind, index, targets)
            slot.fields[fname] = choice
            if not targets:
                constraints.append(z3.Not(slot.present))
                continue
            itself = [index != slot.pos] if ftype.kind == slot.kind else []
            constraints.append(z3.Implies(slot.present, z3.And(
                index >= 0, index < len(targets), choice.pick([s.present for s in targets]),
                choice.field("date") <= slot.date, *itself)))
    return constraints


def flatten(value: Sym) -> list[Any]:
    """A value as arguments of an uninterpreted function (sets by member, events by slot)."""
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Slot | Choice):
        return [value.uid]
    return [value]


# ---------------------------------------------------------------- the twin of model.concrete


def viewpoint(env: Mapping[str, Sym], ctx: SymContext) -> Sym:
    """Twin of :func:`model.concrete.viewpoint`: the end of the horizon unless set."""
    return env.get(NOW, ctx.program.horizon[1])


def visible_slots(kind: str, env: Mapping[str, Sym],
                  ctx: SymContext) -> list[tuple[Slot, z3.BoolRef]]:
    """Twin of :func:`model.concrete.visible`: each slot with the condition that it is an
    event seen from the viewpoint."""
    now = viewpoint(env, ctx)
    out = []
    for slot in ctx.slots.get(kind, []):
        seen = slot.present if isinstance(now, int) and now >= ctx.program.horizon[1] \
            else z3.And(slot.present, slot.date <= now)
        out.append((slot, seen))
    return out


def seen_from(at: Sym, env: Mapping[str, Sym], ctx: SymContext,
              hindsight: bool = True) -> dict[str, Sym]:
    """Twin of :func:`model.concrete.seen_from`."""
    now = viewpoint(env, ctx)
    at_end = isinstance(now, int) and now >= ctx.program.horizon[1]
    # ``at`` may lie past the horizon (arithmetic is unbounded): clamp unless it is a constant
    # known not to (docs/semantics.md: the earlier of ``U`` and the viewpoint).
    early = at_end and z3.is_int_value(at) and at.as_long() <= now
    earlier = at if early else z3.If(at < now, at, now)
    return {**env, NOW: earlier, HINDSIGHT: hindsight or bool(env.get(HINDSIGHT, False))}


def evaluate(expr: ast.Expr, env: Mapping[str, Sym], ctx: SymContext, pol: int = POS) -> Sym:
    """The Z3 term of ``expr``; ``pol`` is its polarity, which decides how ∃t is encoded."""
    match expr:
        case ast.BoolLit(value=v):
            return bool_val(v, ctx)
        case ast.TimeLit(name=str(name)) if ctx.program.date_owners and is_owned(expr, ctx):
            return owned_date(name, ctx)  # a clause's date: tracked (formal/compile_dates.py)
        case ast.IntLit(value=v) | ast.TimeLit(value=v):
            return int_val(v, ctx)
        case ast.EnumLit(enum=enum, value=v):
            return int_val(enum_index(ctx, enum, v), ctx)
        case ast.SetLit(items=items, enum=enum):
            members = ctx.program.enums[enum]
            values = [evaluate(i, env, ctx, BOTH) for i in items]
            return tuple(disj((v == k for v in values), ctx) for k in range(len(members)))
        case ast.Var(name=name):
            return env[name]
        case ast.Now():
            now = viewpoint(env, ctx)
            return int_val(now, ctx) if isinstance(now, int) else now
        case ast.Field(target=target, field=fname):
            slot = evaluate(target, env, ctx, BOTH)
            return slot.field(fname)
        case ast.Call(pred=pred, args=args):
            return call(pred, tuple(evaluate(a, env, ctx, BOTH) for a in args), ctx, pol, env)
        case ast.Forbidden(event=target):
            return forbidding(evaluate(target, env, ctx, BOTH), ctx, pol, env)
        case ast.Not(arg=arg):
            return z3.Not(evaluate(arg, env, ctx, -pol))
        case ast.And(args=args):
            return conj((evaluate(a, env, ctx, pol) for a in args), ctx)
        case ast.Or(args=args):
            return disj((evaluate(a, env, ctx, pol) for a in args), ctx)
        case ast.Implies(left=left, right=right):
            return z3.Implies(evaluate(left, env, ctx, -pol), evaluate(right, env, ctx, pol))
        case ast.Iff(left=left, right=right):
            if pol == BOTH:
                return evaluate(left, env, ctx, BOTH) == evaluate(right, env, ctx, BOTH)
            # (A and B) or (not A and not B): each side once in each polarity, so that the
            # quantifiers inside keep their cheap encodings (see split_polarity).
            return split_polarity(left, right, env, ctx, pol, lambda a, b: z3.And(a, b),
                                  lambda a, b: z3.And(z3.Not(a), z3.Not(b)))
        case ast.Cmp(op=op, left=left, right=right) if (day := weekday_compare(
                op, left, right, lambda e: evaluate(e, env, ctx, BOTH), ctx.program.calendars,
                ctx.z3ctx)) is not None:
            return day
        case ast.Cmp(op=op, left=left, right=right) if isinstance(left, ast.Div) or \
                isinstance(right, ast.Div):
            return money.ratio_compare(op, left, right, env, _ev(ctx),
                                       lambda o, a, b: compare(o, a, b, ctx))
        case ast.Cmp(op=op, left=left, right=right):
            return compare(op, evaluate(left, env, ctx, BOTH), evaluate(right, env, ctx, BOTH), ctx)
        case ast.In(elem=elem, set=members):
            e, s = evaluate(elem, env, ctx, BOTH), evaluate(members, env, ctx, BOTH)
            return disj((z3.And(e == k, s[k]) for k in range(len(s))), ctx)
        case ast.Subset(left=left, right=right):
            a, b = evaluate(left, env, ctx, BOTH), evaluate(right, env, ctx, BOTH)
            return conj((z3.Implies(x, y) for x, y in zip(a, b, strict=True)), ctx)
        case ast.Arith(op=op, left=left, right=right):
            a, b = evaluate(left, env, ctx, BOTH), evaluate(right, env, ctx, BOTH)
            return a + b if op == "+" else a - b
        case ast.Ite(cond=cond, then=then, other=other) if pol != BOTH and \
                isinstance(then, _FORMULAS):
            # A formula if-then-else: (C and A) or (not C and B), C once in each polarity.
            flip = NEG if pol == POS else POS
            return z3.Or(z3.And(evaluate(cond, env, ctx, pol), evaluate(then, env, ctx, pol)),
                         z3.And(z3.Not(evaluate(cond, env, ctx, flip)),
                                evaluate(other, env, ctx, pol)))
        case ast.Ite(cond=cond, then=then, other=other):
            c = evaluate(cond, env, ctx, BOTH)
            a, b = evaluate(then, env, ctx, pol), evaluate(other, env, ctx, pol)
            if isinstance(a, tuple):
                return tuple(z3.If(c, x, y) for x, y in zip(a, b, strict=True))
            return z3.If(c, a, b)
        case ast.Quant(kind=kind, var=var, type=vtype, body=body):
            return quantify(kind, var, vtype, body, env, ctx, pol)
        case ast.SeenFrom(at=at, body=body, hindsight=hindsight):
            return evaluate(body, seen_from(evaluate(at, env, ctx, BOTH), env, ctx, hindsight),
                            ctx, pol)
        case ast.TimeExtremum(kind=kind, var=var, body=body):
            from .compile_extremum import extremum
            return extremum(kind, var, body, env, ctx)
        case ast.ReadingIs(reading=reading, option=option):
            return reading_is(reading, option, ctx)
        case ast.CalFn(fn=fn, args=args, calendar=calendar):
            return calendar_term(fn, tuple(evaluate(a, env, ctx, BOTH) for a in args), calendar,
                                 ctx.program.calendars, ctx.z3ctx)
        case ast.MoneyLit(value=v) | ast.RatioLit(value=v):
            return money.real_val(v, ctx.z3ctx)
        case ast.Mul(left=left, right=right):
            return evaluate(left, env, ctx, BOTH) * evaluate(right, env, ctx, BOTH)
        case ast.Extremum(op=op, left=left, right=right):
            return money.extremum(op, evaluate(left, env, ctx, BOTH),
                                  evaluate(right, env, ctx, BOTH))
        case ast.Total() | ast.Count():
            return money.total(expr, env, _ev(ctx), lambda k, e: visible_slots(k, e, ctx),
                               ctx.z3ctx)
        case ast.Div():
            raise TypeError("a ratio of amounts outside a comparison")
        case (ast.Name() | ast.Apply() | ast.RawQuant() | ast.RawCmp() | ast.RawTotal()
              | ast.Months() | ast.RawTimeExtremum()):
            raise TypeError(f"unchecked formula node {type(expr).__name__}")
        case _:
            assert_never(expr)


def _ev(ctx: SymContext) -> Any:
    """``evaluate`` (in both polarities) bound to one context, for :mod:`.compile_money`."""
    return lambda expr, env: evaluate(expr, env, ctx, BOTH)


_FORMULAS = (ast.BoolLit, ast.Call, ast.Forbidden, ast.Not, ast.And, ast.Or, ast.Implies,
             ast.Iff, ast.Cmp, ast.In, ast.Subset, ast.Quant, ast.ReadingIs, ast.SeenFrom)
"""Nodes that are truth values (an if-then-else of them is a formula, not a term)."""


def split_polarity(left: ast.Expr, right: ast.Expr, env: Mapping[str, Sym], ctx: SymContext,
                   pol: int, same: Any, opposite: Any) -> z3.BoolRef:
    """``same(A, B) or opposite(A, B)`` with every operand compiled in the polarity it has there.

    In ``(A and B) or (not A and not B)`` read positively, the first ``A`` is positive and
    the second negative; read negatively, the reverse. A node in both polarities would make
    every quantifier inside it a full expansion; two copies in one polarity each keep
    Skolem constants and chosen events.
    """
    flip = NEG if pol == POS else POS
    return z3.Or(same(evaluate(left, env, ctx, pol), evaluate(right, env, ctx, pol)),
                 opposite(evaluate(left, env, ctx, flip), evaluate(right, env, ctx, flip)))


def reading_is(reading: str, option: str, ctx: SymContext) -> z3.BoolRef:
    """``reading R is O``: a constant when ``ctx`` chooses R, else R's open literal.

    Open literals let one build of a query serve every combination of readings: the
    engine fixes them by assumptions, one check per combination. :func:`fix_readings`
    replaces them by constants instead, which yields exactly the terms a build under one
    combination makes (what the SMT-LIB2 export states).
    """
    if reading in ctx.readings:
        return bool_val(ctx.readings[reading] == option, ctx)
    return reading_literal(reading, option, ctx.z3ctx)


def reading_literal(reading: str, option: str, z3ctx: z3.Context) -> z3.BoolRef:
    return z3.Bool(f"reading {reading}={option}", z3ctx)


def fix_readings(terms: list[z3.BoolRef], program: Program, readings: Mapping[str, str],
                 z3ctx: z3.Context) -> list[z3.BoolRef]:
    """``terms`` with every open reading literal replaced by its value under ``readings``."""
    pairs = [(reading_literal(name, option, z3ctx), z3.BoolVal(readings[name] == option, z3ctx))
             for name, r in program.readings.items() for option in r.options]
    return [z3.substitute(term, *pairs) for term in terms] if pairs else list(terms)


def compare(op: str, a: Sym, b: Sym, ctx: SymContext) -> z3.BoolRef:
    if isinstance(a, Slot | Choice):
        same = same_event(a, b, ctx)
        return same if op == "=" else z3.Not(same)
    if isinstance(a, tuple):
        same = conj((x == y for x, y in zip(a, b, strict=True)), ctx)
        return same if op == "=" else z3.Not(same)
    match op:
        case "=":
            return a == b
        case "!=":
            return a != b
        case "<":
            return a < b
        case "<=":
            return a <= b
        case ">":
            return a > b
        case ">=":
            return a >= b
    raise ValueError(f"unknown comparison {op!r}")


def same_event(a: Slot | Choice, b: Slot | Choice, ctx: SymContext) -> z3.BoolRef:
    """``a = b`` for events: the same slot."""
    if a.kind != b.kind:
        return bool_val(False, ctx)
    if isinstance(a, Slot) and isinstance(b, Slot):
        return bool_val(a is b, ctx)
    if isinstance(a, Slot):
        a, b = b, a
    assert isinstance(a, Choice)
    return a.index == (b.index if isinstance(b, Choice) else b.pos)


def quantify(kind: str, var: str, vtype: ast.Type, body: ast.Expr, env: Mapping[str, Sym],
             ctx: SymContext, pol: int) -> z3.BoolRef:
    if isinstance(vtype, ast.EventT):
        seen = visible_slots(vtype.kind, env, ctx)
        if len(seen) > 1 and ctx.skolem and ctx.choose_events and pol != BOTH \
                and (pol == POS) == (kind == "exists"):
            return choose_event(kind, var, vtype.kind, body, seen, env, ctx, pol)
        if kind == "exists":
            return disj((z3.And(v, evaluate(body, {**env, var: s}, ctx, pol)) for s, v in seen),
                        ctx)
        return conj((z3.Implies(v, evaluate(body, {**env, var: s}, ctx, pol)) for s, v in seen),
                    ctx)
    if isinstance(vtype, ast.BoolT):
        return quantify_bool(kind, var, body, env, ctx, pol)
    if not any(isinstance(n, ast.Var) and n.name == var for n in ast.walk(body)):
        # A time the body never mentions: over a non-empty horizon, both quantifiers are idle.
        return evaluate(body, env, ctx, pol)
    if ctx.skolem and pol != BOTH and (pol == POS) == (kind == "exists"):
        # An existential time in effect: one fresh constant (a Skolem constant) suffices.
        t, dom = declare(ctx.fresh(var), ast.TIME, ctx)
        inner = evaluate(body, {**env, var: t}, ctx, pol)
        return z3.And(*dom, inner) if kind == "exists" else z3.Implies(z3.And(*dom), inner)
    return expand_time(kind, var, body, env, ctx, pol)


def quantify_bool(kind: str, var: str, body: ast.Expr, env: Mapping[str, Sym], ctx: SymContext,
                  pol: int) -> z3.BoolRef:
    """Over ``false`` and ``true``: a fresh constant where it is existential in effect (a
    Skolem constant), else both instances."""
    if ctx.skolem and pol != BOTH and (pol == POS) == (kind == "exists"):
        b = z3.Bool(ctx.fresh(var), ctx.z3ctx)
        return evaluate(body, {**env, var: b}, ctx, pol)
    both = [evaluate(body, {**env, var: bool_val(v, ctx)}, ctx, pol) for v in (False, True)]
    return disj(both, ctx) if kind == "exists" else conj(both, ctx)


def choose_event(kind: str, var: str, event_kind: str, body: ast.Expr,
                 seen: list[tuple[Slot, z3.BoolRef]], env: Mapping[str, Sym], ctx: SymContext,
                 pol: int) -> z3.BoolRef:
    """An event quantifier that is existential in effect, as one chosen slot (a Skolem
    constant for its index) instead of a disjunction over the slots."""
    index = z3.Int(ctx.fresh(f"{var}#"), ctx.z3ctx)
    choice = Choice(event_kind, index, [s for s, _ in seen])
    guard = z3.And(index >= 0, index < len(seen), choice.pick([v for _, v in seen]))
    inner = evaluate(body, {**env, var: choice}, ctx, pol)
    return z3.And(guard, inner) if kind == "exists" else z3.Implies(guard, inner)


def at_fresh_time(var: str, body: ast.Expr, env: Mapping[str, Sym], ctx: SymContext,
                  pol: int) -> tuple[z3.ArithRef, Sym]:
    """``body`` with ``var`` a fresh Z3 time, and that time; no Skolem constants inside, since
    the caller quantifies the time itself (over breakpoints or as a real quantifier)."""
    t = z3.Int(ctx.fresh(var), ctx.z3ctx)
    skolem, ctx.skolem = ctx.skolem, False
    try:
        return t, evaluate(body, {**env, var: t}, ctx, pol)
    finally:
        ctx.skolem = skolem


def expand_time(kind: str, var: str, body: ast.Expr, env: Mapping[str, Sym], ctx: SymContext,
                pol: int) -> z3.BoolRef:
    """A time quantifier decided exactly: over its breakpoints, or as a real quantifier."""
    check_budget(ctx.deadline)
    t, term = at_fresh_time(var, body, env, ctx, pol)
    lo, hi = ctx.program.horizon
    points = breakpoints(term, t, lo, hi)
    if points is None:
        bounds = z3.And(t >= lo, t <= hi)
        if kind == "exists":
            return z3.Exists([t], z3.And(bounds, term))
        return z3.ForAll([t], z3.Implies(bounds, term))
    instances = []
    for p in points:
        at = z3.substitute(term, (t, int_val(p, ctx) if isinstance(p, int) else p))
        if not isinstance(p, int):  # a symbolic point counts only inside the horizon
            inside = z3.And(p >= lo, p <= hi)
            at = z3.And(inside, at) if kind == "exists" else z3.Implies(inside, at)
        instances.append(at)
    return disj(instances, ctx) if kind == "exists" else conj(instances, ctx)


_CMP_KINDS = frozenset({z3.Z3_OP_LE, z3.Z3_OP_LT, z3.Z3_OP_GE, z3.Z3_OP_GT, z3.Z3_OP_EQ,
                        z3.Z3_OP_DISTINCT})


def breakpoints(term: z3.ExprRef, t: z3.ArithRef, lo: int,
                hi: int) -> list[int | z3.ArithRef] | None:
    """Points of ``[lo, hi]`` that represent every stretch on which ``term`` keeps its truth
    as ``t`` varies, or None when ``t`` occurs other than linearly in comparisons.

    A comparison ``c·t + r ⋈ 0`` (``c > 0``, after flipping its sign) changes truth only
    where ``t`` crosses ``−r/c``: each stretch of constant truth starts at ``lo``, at
    ``⌊−r/c⌋`` or at the unit after it (``=`` holds at most at ``⌊−r/c⌋``). A symbolic
    point may fall outside the horizon; the caller counts it only inside (no clamping
    if-then-else, which would hide an enclosing quantifier's variable from its own
    breakpoints). Occurrences of
    ``t`` inside an unknown (a dropped clause's predicate) are skipped: those terms stand
    for "any value" while citations are computed, and the answer never rests on them.
    """
    occurs = _Occurs(t)
    found: dict[int, int | z3.ArithRef] = {}
    fixed: set[int] = {lo}
    stack: list[z3.ExprRef] = [term]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node.get_id() in seen or not occurs(node):
            continue
        seen.add(node.get_id())
        if z3.is_quantifier(node):
            return None
        if not z3.is_app(node):
            continue
        decl = node.decl()
        if decl.kind() == z3.Z3_OP_UNINTERPRETED:
            continue
        if decl.kind() == z3.Z3_OP_TO_REAL:
            return None  # days scaling an amount: not a comparison linear in t
        if decl.kind() in _CMP_KINDS and node.num_args() == 2 and z3.is_int(node.arg(0)):
            diff = node.arg(0) - node.arg(1)
            form = _linear(diff, t, occurs)
            # A calendar function is an If tree: linear in t within each of its branches.
            split = None if form is not None else ite_forms(
                diff, t, occurs, lambda n: _linear(n, t, occurs), lo, hi)
            if split is None and form is None:
                return None
            stack.extend(split[1] if split is not None else ())
            for each in [form] if form is not None else split[0] if split else []:
                _add_points(each, fixed, found, lo, hi)
            continue
        stack.extend(node.children())
    return [*sorted(fixed), *found.values()]


def _add_points(form: tuple[int, Any], fixed: set[int], found: dict[int, Any], lo: int,
                hi: int) -> None:
    """The points where ``coef·t + rest ⋈ 0`` may change truth (see :func:`breakpoints`)."""
    coef, rest = form if form[0] > 0 else (-form[0], -form[1])
    if coef == 0:
        return  # t cancels out (t - t = 0): the same truth everywhere
    if isinstance(rest, int):
        fixed.update(min(hi, max(lo, (-rest) // coef + d)) for d in (0, 1))
        return
    root = z3.simplify(-rest if coef == 1 else (-rest) / coef)  # Int division floors
    if z3.is_int_value(root):
        v = root.as_long()
        fixed.update(min(hi, max(lo, v + d)) for d in (0, 1))
    else:
        for d in (0, 1):
            point = root + d
            found.setdefault(point.get_id(), point)


class _Occurs:
    """Whether ``t`` occurs in a term, memoized over the term's shared subterms."""

    def __init__(self, t: z3.ArithRef) -> None:
        self.t = t
        self.memo: dict[int, bool] = {}

    def __call__(self, node: z3.ExprRef) -> bool:
        key = node.get_id()
        if key not in self.memo:
            if node.eq(self.t):
                self.memo[key] = True
            elif z3.is_quantifier(node):
                self.memo[key] = self(node.body())
            elif (tree := tree_parts(node)) is not None:  # a calendar table: its argument
                self.memo[key] = self(tree[0])
            else:
                self.memo[key] = z3.is_app(node) and any(self(c) for c in node.children())
        return self.memo[key]


def _linear(term: z3.ExprRef, t: z3.ArithRef,
            occurs: _Occurs) -> tuple[int, z3.ArithRef | int] | None:
    """``term`` as ``coef·t + rest``, or None when it is not linear in ``t``."""
    if term.eq(t):
        return 1, 0
    if not occurs(term):
        return 0, term
    kind = term.decl().kind()
    if kind not in (z3.Z3_OP_ADD, z3.Z3_OP_SUB, z3.Z3_OP_UMINUS, z3.Z3_OP_MUL):
        return None  # not linear whatever the children are: do not walk them
    parts = [_linear(c, t, occurs) for c in term.children()]
    if any(p is None for p in parts):
        return None
    forms = [p for p in parts if p is not None]
    if kind == z3.Z3_OP_ADD:
        return sum(c for c, _ in forms), _sum([r for _, r in forms])
    if kind == z3.Z3_OP_SUB:
        (c0, r0), *others = forms
        return c0 - sum(c for c, _ in others), _sum([r0, *(-r for _, r in others)])
    if kind == z3.Z3_OP_UMINUS:
        return -forms[0][0], -forms[0][1]
    if kind == z3.Z3_OP_MUL and len(forms) == 2:
        (c0, r0), (c1, r1) = forms
        for (ca, ra), (cb, rb) in (((c0, r0), (c1, r1)), ((c1, r1), (c0, r0))):
            if ca == 0 and cb != 0 and not isinstance(ra, int) and z3.is_int_value(ra):
                k = ra.as_long()
                return k * cb, k * rb
    return None


def _sum(items: list[Any]) -> Any:
    total: Any = 0
    for item in items:
        total = item if isinstance(total, int) and total == 0 else total + item
    return total


def _key(value: Sym) -> Any:
    if isinstance(value, Slot):
        return ("slot", value.uid)
    if isinstance(value, Choice):
        return ("choice", value.index.get_id())
    if isinstance(value, tuple):
        return tuple(v.get_id() for v in value)
    return value.get_id()


def unknown(name: str, args: tuple[Sym, ...], ctx: SymContext) -> z3.BoolRef:
    """What a dropped clause leaves of a predicate: an uninterpreted function of its arguments."""
    flat = [a for arg in args for a in flatten(arg)]
    zc = ctx.z3ctx
    if name not in ctx._free:
        sorts = [z3.IntSort(zc) if isinstance(a, int) else a.sort() if isinstance(
            a, z3.ArithRef) else z3.BoolSort(zc) for a in flat]
        ctx._free[name] = z3.Function(name, *sorts, z3.BoolSort(zc))
    values = [int_val(a, ctx) if isinstance(a, int) else a for a in flat]
    return ctx._free[name](*values)


def call(pred: str, args: tuple[Sym, ...], ctx: SymContext, pol: int = POS,
         env: Mapping[str, Sym] | None = None) -> z3.BoolRef:
    """A defined predicate, expanded from the caller's viewpoint; guarded by its clause's
    literal when tracking."""
    outer = env or {}
    view = {k: outer[k] for k in (NOW, HINDSIGHT) if k in outer}
    key = (pred, pol, tuple(_key(a) for a in args), _view_key(view))
    if key not in ctx._memo:
        check_budget(ctx.deadline)
        definition = ctx.program.definitions[pred]
        inner = {name: value for (name, _), value in zip(definition.params, args, strict=True)}
        body = evaluate(definition.body, {**inner, **view}, ctx, pol)
        literal = ctx.literals.get(definition.clause or "")
        if literal is not None:
            body = z3.If(literal, body, unknown(f"unknown!{pred}", args, ctx))
        if definition.permission and definition.clause in ctx.grants:
            body = z3.And(ctx.grants[definition.clause], body)
        ctx._memo[key] = body
    return ctx._memo[key]


def _view_key(view: Mapping[str, Sym]) -> tuple[Any, ...]:
    now = view.get(NOW)
    return (now if now is None or isinstance(now, int) else now.get_id(),
            bool(view.get(HINDSIGHT, False)))


def forbidding(slot: Slot | Choice, ctx: SymContext, pol: int = POS,
               env: Mapping[str, Sym] | None = None) -> z3.BoolRef:
    """Twin of :func:`model.concrete.forbidding`: some clause forbids the event in ``slot``,
    judged from its date, or in hindsight from the later of its date and the viewpoint."""
    if isinstance(slot, Choice):
        return slot.pick([forbidding(s, ctx, pol, env) for s in slot.slots])
    outer = env or {}
    hindsight = bool(outer.get(HINDSIGHT, False))
    judged: Sym = slot.date
    if hindsight:
        now = viewpoint(outer, ctx)
        judged = z3.If(slot.date >= now, slot.date, now)
    key = ("forbid", slot.uid, pol, _view_key({NOW: judged, HINDSIGHT: hindsight}))
    if key not in ctx._memo:
        parts = []
        for i, rule in enumerate(ctx.program.forbids.get(slot.kind, ())):
            when = evaluate(rule.when, {rule.var: slot, NOW: judged, HINDSIGHT: hindsight},
                            ctx, pol)
            literal = ctx.literals.get(rule.clause)
            if literal is not None:
                when = z3.If(literal, when,
                             unknown(f"unknown!forbid!{slot.kind}!{i}", (slot,), ctx))
            parts.append(when)
        ctx._memo[key] = disj(parts, ctx)
        if parts and slot.kind in ctx.program.permits:  # a permission beats every prohibition
            from .compile_duties import permitting

            ctx._memo[key] = z3.And(ctx._memo[key], z3.Not(permitting(
                slot, judged, hindsight, ctx, -pol)))
    return ctx._memo[key]


def axioms(ctx: SymContext) -> list[z3.BoolRef]:
    """The spec's assumptions, each guarded by its clause's literal when tracking (and the
    values of the dates clauses define, :func:`formal.compile_dates.date_terms`)."""
    out = date_terms(ctx) if ctx.program.date_owners else []
    for axiom in ctx.program.axioms:
        term = evaluate(axiom.formula, {}, ctx, POS)
        literal = ctx.literals.get(axiom.clause)
        out.append(z3.Implies(literal, term) if literal is not None else term)
    return out
