"""The concrete model and the Z3 compiler agree on every defined predicate (one semantics).

Random timelines around the spec's own dates and random readings: for each
definition and forbid rule of every spec in ``specs/``, the concrete value at
sampled arguments equals what Z3 says once the slots are fixed to those events.
Both polarities are compiled, so the Skolem encoding of ∃t and the expansion
of ∀t over critical times are both exercised.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
import z3
from hypothesis import HealthCheck, given, settings

from formal.compile import SymContext, evaluate, forbidding, make_slots
from formal.fragment import NEG, POS
from model import ast
from model.concrete import Context, call, forbidding_clauses
from model.load import load_spec
from model.program import Program
from model.timeline import Event, Timeline

SPECS = sorted(Path("specs").glob("*.yaml"))
PROGRAMS = {path.name: load_spec(path) for path in SPECS}
SAMPLES_PER_DEFINITION = 3


def near_dates(program: Program) -> st.SearchStrategy[int]:
    """Days at, just around, and between the spec's own dates: where truth changes."""
    anchors = sorted(program.constants) or [program.horizon[0]]
    lo, hi = program.horizon
    return st.one_of(
        st.sampled_from(anchors),
        st.sampled_from(anchors).flatmap(lambda d: st.sampled_from([d - 1, d + 1])),
        st.sampled_from(anchors).flatmap(lambda d: st.integers(d - 3, d + 3)),
        st.integers(anchors[0] - 60, anchors[-1] + 60),
    ).map(lambda d: min(hi, max(lo, d)))


@st.composite
def value_of(draw: st.DrawFn, typ: ast.Type, program: Program) -> Any:
    match typ:
        case ast.BoolT():
            return draw(st.booleans())
        case ast.IntT():
            return draw(st.integers(-40, 40))
        case ast.TimeT():
            return draw(near_dates(program))
        case ast.EnumT(name=enum):
            return draw(st.sampled_from(program.enums[enum]))
        case ast.SetT(elem=elem):
            return frozenset(draw(st.sets(st.sampled_from(program.enums[elem.name]))))
    raise TypeError(typ)


@st.composite
def timelines(draw: st.DrawFn, program: Program) -> Timeline:
    kinds = sorted(program.kinds)
    events = []
    for i in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(kinds))
        fields = tuple((name, draw(value_of(ftype, program)))
                       for name, ftype in program.kinds[kind].items())
        events.append(Event(f"e{i + 1}", kind, draw(near_dates(program)), fields))
    return Timeline.of(events)


@st.composite
def readings(draw: st.DrawFn, program: Program) -> dict[str, str]:
    return {name: draw(st.sampled_from(r.options)) for name, r in program.readings.items()}


def fixed_context(program: Program, timeline: Timeline,
                  chosen: dict[str, str]) -> tuple[SymContext, z3.Solver, dict[str, Any]]:
    """Z3 slots pinned to the timeline's events: present, dated and valued as they are."""
    counts: dict[str, int] = {}
    for e in timeline.events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    ctx = SymContext(program, z3.Context(), chosen)
    solver = z3.Solver(ctx=ctx.z3ctx)
    solver.add(*make_slots(counts, ctx))
    slot_of: dict[str, Any] = {}
    for kind in counts:
        # make_slots orders a kind's slots by date, as Timeline.of orders events.
        for slot, event in zip(ctx.slots[kind], timeline.of_kind(kind), strict=True):
            solver.add(slot.present, slot.date == event.date)
            for name, value in event.fields:
                solver.add(pin(slot.fields[name], value, program.kinds[kind][name], program))
            slot_of[event.id] = slot
    return ctx, solver, slot_of


def pin(term: Any, value: Any, typ: ast.Type, program: Program) -> Any:
    if isinstance(typ, ast.SetT):
        members = program.enums[typ.elem.name]
        return z3.And(*[b == (m in value) for b, m in zip(term, members, strict=True)])
    if isinstance(typ, ast.EnumT):
        return term == program.enums[typ.name].index(value)
    return term == value


def symbolic(value: Any, typ: ast.Type, ctx: SymContext, slot_of: dict[str, Any]) -> Any:
    if isinstance(value, Event):
        return slot_of[value.id]
    if isinstance(typ, ast.SetT):
        members = ctx.program.enums[typ.elem.name]
        return tuple(z3.BoolVal(m in value, ctx.z3ctx) for m in members)
    if isinstance(typ, ast.EnumT):
        return z3.IntVal(ctx.program.enums[typ.name].index(value), ctx.z3ctx)
    if isinstance(typ, ast.BoolT):
        return z3.BoolVal(value, ctx.z3ctx)
    return z3.IntVal(value, ctx.z3ctx)


def agrees(solver: z3.Solver, positive: Any, negative: Any, expected: bool) -> bool:
    """``positive`` is satisfiable iff true, and ``negative`` refutable iff false."""
    solver.push()
    solver.add(positive)
    can_hold = solver.check() == z3.sat
    solver.pop()
    solver.push()
    solver.add(z3.Not(negative))
    can_fail = solver.check() == z3.sat
    solver.pop()
    return can_hold == expected and can_fail == (not expected)


@pytest.mark.parametrize("spec", sorted(PROGRAMS))
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_definitions_agree(spec: str, data: st.DataObject) -> None:
    """Every definition (each clause's rules) and every forbid rule, concrete == symbolic."""
    program = PROGRAMS[spec]
    timeline = data.draw(timelines(program), label="timeline")
    chosen = data.draw(readings(program), label="readings")
    concrete = Context(program, timeline, chosen)
    ctx, solver, slot_of = fixed_context(program, timeline, chosen)
    for name, definition in sorted(program.definitions.items()) * SAMPLES_PER_DEFINITION:
        args = []
        for _, ptype in definition.params:
            if isinstance(ptype, ast.EventT):
                pool = timeline.of_kind(ptype.kind)
                if not pool:
                    break
                args.append(data.draw(st.sampled_from(pool), label=f"{name} event"))
            else:
                args.append(data.draw(value_of(ptype, program), label=f"{name} arg"))
        else:
            expected = call(name, tuple(args), concrete)
            sym_args = tuple(symbolic(a, t, ctx, slot_of)
                             for a, (_, t) in zip(args, definition.params, strict=True))
            pos = evaluate(ast.Call(name, tuple(ast.Var(f"a{i}", t) for i, (_, t) in enumerate(
                definition.params))), {f"a{i}": v for i, v in enumerate(sym_args)}, ctx, POS)
            neg = evaluate(ast.Call(name, tuple(ast.Var(f"a{i}", t) for i, (_, t) in enumerate(
                definition.params))), {f"a{i}": v for i, v in enumerate(sym_args)}, ctx, NEG)
            assert agrees(solver, pos, neg, expected), (
                f"{name}{tuple(args)} is {expected} concretely but not symbolically on "
                f"{timeline} under {chosen}")
    for event in timeline.events:
        expected = bool(forbidding_clauses(event, concrete))
        slot = slot_of[event.id]
        assert agrees(solver, forbidding(slot, ctx, POS), forbidding(slot, ctx, NEG), expected), (
            f"forbidden({event}) is {expected} concretely but not symbolically under {chosen}")
