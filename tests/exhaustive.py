"""The obviously-right reference for random specs: every timeline, every value, every day.

``test_random_specs.py`` holds the prover to this. Nothing here borrows a shortcut
from the prover or from the concrete model's own reductions:

* time quantifiers range over every day of the (small) horizon
  (:func:`reference_context`);
* the question's free times take every day, its free ints every value in a window
  wider than the horizon (:func:`free_domains`);
* timelines are every multiset of at most ``k`` events (:func:`every_timeline`) drawn
  from every date of the horizon and small field domains: enumerations and sets in
  full, ints from :data:`INT_FIELD_VALUES`, times from the horizon's ends and the
  spec's named dates. A field no reachable formula reads takes one value, which
  loses nothing. A reference field takes every event of its kind in the timeline dated
  at or before its own (:func:`with_references`): one, the first, when no formula reads
  it (it must still exist); a timeline where some reference has none is no timeline.

A smaller field domain can only miss a disagreement, never invent one: each
timeline tried is a real timeline.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterator, Mapping
from math import comb
from typing import Any

import spec_money

from model import ast
from model.concrete import NOW, Context, axioms_hold, holds
from model.program import Program, Query
from model.timeline import Event, Ref, Timeline

INT_FIELD_VALUES = (0, 2)
BUDGET = 400_000
"""Most (timeline × free value × day of each nested time quantifier) one search may take;
``k`` shrinks to fit."""


def reference_context(program: Program, timeline: Timeline, readings: Mapping[str, str]) -> Context:
    """A concrete context whose time quantifiers try every unit of the horizon, one by one."""
    return Context(program, timeline, readings, exhaustive=True)


def judged_at(t: int) -> dict[str, Any]:
    """The environment entry that makes a formula be judged from time ``t``."""
    return {NOW: t}


def free_domains(program: Program, query: Query) -> list[tuple[str, list[Any]]]:
    """Every value of each free (non-event) variable of the question worth trying."""
    lo, hi = program.horizon
    span = hi - lo + 1
    out = []
    for name, typ in query.free:
        match typ:
            case ast.TimeT():
                out.append((name, list(range(lo, hi + 1))))
            case ast.IntT():
                out.append((name, list(range(-span - 4, span + 5))))
            case ast.EnumT(name=enum):
                out.append((name, list(program.enums[enum])))
            case ast.SetT(elem=elem):
                out.append((name, subsets(program.enums[elem.name])))
            case ast.BoolT():
                out.append((name, [False, True]))
    return out


def subsets(members: tuple[str, ...]) -> list[frozenset[str]]:
    return [frozenset(c) for r in range(len(members) + 1)
            for c in itertools.combinations(members, r)]


def reached(program: Program, goal: ast.Expr) -> tuple[set[str], set[str]]:
    """The event kinds and the field names that the goal and the assumptions can read."""
    kinds: set[str] = set()
    fields: set[str] = set()
    for node in program.reachable([goal]):
        if isinstance(node, ast.Quant | ast.Var) and isinstance(node.type, ast.EventT):
            kinds.add(node.type.kind)
        elif isinstance(node, ast.Field):
            fields.add(node.field)
    todo = list(kinds)
    while todo:  # an event needs the events it refers to
        for ftype in program.kinds[todo.pop()].values():
            if isinstance(ftype, ast.EventT) and ftype.kind not in kinds:
                kinds.add(ftype.kind)
                todo.append(ftype.kind)
    return kinds, fields


def field_values(program: Program, typ: ast.Type) -> list[Any]:
    lo, hi = program.horizon
    match typ:
        case ast.EnumT(name=enum):
            return list(program.enums[enum])
        case ast.SetT(elem=elem):
            return subsets(program.enums[elem.name])
        case ast.IntT():
            return list(INT_FIELD_VALUES)
        case ast.TimeT():
            return sorted({lo, hi, *program.dates.values()})
        case ast.BoolT():
            return [False, True]
        case ast.AmountT() | ast.RatioT():
            return spec_money.values(typ) or []
        case ast.EventT():
            return [Ref("")]  # chosen per timeline (with_references)
    raise TypeError(typ)


def event_pool(program: Program, kinds: set[str], fields: set[str]) -> list[Event]:
    """Every event worth trying: each kind, each day, each combination of read fields."""
    lo, hi = program.horizon
    pool = []
    for kind in sorted(kinds):
        decl = program.kinds[kind]
        axes = [field_values(program, t)[: None if f in fields else 1] for f, t in decl.items()]
        for values in itertools.product(*axes):
            for day in range(lo, hi + 1):
                pool.append(Event("", kind, day, tuple(zip(decl, values, strict=True))))
    return pool


def count_upto(pool: int, k: int) -> int:
    """The number of multisets of at most ``k`` events from a pool of ``pool``."""
    return sum(comb(pool + r - 1, r) if pool else int(r == 0) for r in range(k + 1))


def every_timeline(pool: list[Event], k: int, program: Program | None = None,
                   fields: set[str] | None = None) -> Iterator[Timeline]:
    """Every timeline of at most ``k`` events from the pool (events named e1, e2, … by date),
    with every choice of its references (:func:`with_references`, given the ``program``)."""
    for r in range(k + 1):
        for chosen in itertools.combinations_with_replacement(pool, r):
            events = sorted(chosen, key=lambda e: e.date)
            named = [dataclasses.replace(e, id=f"e{i + 1}") for i, e in enumerate(events)]
            if program is None:
                yield Timeline(tuple(named))
            else:
                yield from with_references(program, named, fields or set())


def with_references(program: Program, events: list[Event], fields: set[str]) -> Iterator[Timeline]:
    """``events`` with each reference field set to each event of its kind dated at or before
    its own (only the first when no formula reads the field); none when one has no target."""
    slots: list[tuple[int, str, list[str]]] = []
    for i, e in enumerate(events):
        for fname, ftype in program.kinds[e.kind].items():
            if isinstance(ftype, ast.EventT):
                targets = [o.id for o in events if o.kind == ftype.kind and o.date <= e.date
                           and o.id != e.id]
                slots.append((i, fname, targets if fname in fields else targets[:1]))
    for choice in itertools.product(*(targets for _, _, targets in slots)):
        out = list(events)
        for (i, fname, _), target in zip(slots, choice, strict=True):
            out[i] = dataclasses.replace(out[i], fields=tuple(
                (f, Ref(target) if f == fname else v) for f, v in out[i].fields))
        yield Timeline(tuple(out))


@dataclasses.dataclass(frozen=True)
class Search:
    """What one exhaustive search covered, and the first timeline and values it found."""

    k: int
    timelines: int
    found: tuple[Timeline, dict[str, Any]] | None


def search(program: Program, query: Query, goal: ast.Expr, readings: Mapping[str, str],
           k_max: int) -> Search:
    """The first timeline (of at most ``k`` events) and free values that make ``goal`` true
    with every assumption holding; ``k`` is the largest up to ``k_max`` within :data:`BUDGET`."""
    kinds, fields = reached(program, goal)
    pool = event_pool(program, kinds, fields)
    domains = free_domains(program, query)
    lo, hi = program.horizon
    per = (hi - lo + 1) ** time_depth(program, goal, {})
    for _, values in domains:
        per *= len(values)
    k = next((k for k in range(k_max, 0, -1) if count_upto(len(pool), k) * per <= BUDGET), 1)
    tried = 0
    for timeline in every_timeline(pool, k, program, fields):
        tried += 1
        ctx = reference_context(program, timeline, readings)
        if axioms_hold(ctx):
            continue
        names = [n for n, _ in domains]
        for values in itertools.product(*(v for _, v in domains)):
            env = dict(zip(names, values, strict=True))
            if holds(goal, env, ctx):
                return Search(k, tried, (timeline, env))
    return Search(k, tried, None)


def time_depth(program: Program, expr: ast.Expr, memo: dict[str, int]) -> int:
    """How deeply ``expr`` nests time quantifiers, through the definitions and forbid rules
    it reaches (the assumptions, checked on every timeline, count too)."""
    def depth(node: ast.Expr) -> int:
        inner = 0
        if isinstance(node, ast.Call):
            if node.pred not in memo:
                memo[node.pred] = depth(program.definitions[node.pred].body)
            inner = memo[node.pred]
        elif isinstance(node, ast.Forbidden):
            if "forbidden" not in memo:
                memo["forbidden"] = max([*(depth(f.when) for fs in program.forbids.values()
                                           for f in fs),
                                         *(depth(p.when) for ps in program.permits.values()
                                           for p in ps)], default=0)
            inner = memo["forbidden"]
        below = max([inner, *(depth(c) for c in children(node))])
        timed = (isinstance(node, ast.Quant) and isinstance(node.type, ast.TimeT)) \
            or isinstance(node, ast.TimeExtremum)
        return below + 1 if timed else below
    return max([depth(expr), *(depth(a.formula) for a in program.axioms)])


def children(node: ast.Expr) -> list[ast.Expr]:
    """The direct subformulas and terms of a node (as :func:`model.ast.walk` finds them)."""
    out: list[ast.Expr] = []
    for name in node.__slots__:
        child = getattr(node, name)
        out += [c for c in (child if isinstance(child, tuple) else (child,))
                if isinstance(c, ast.EXPR_TYPES)]
    return out


def describe(program: Program, timeline: Timeline) -> str:
    return "; ".join(f"{e.id} {program.codec.show(e.date)} {e.describe()}"
                     for e in timeline.events) or "no events"
