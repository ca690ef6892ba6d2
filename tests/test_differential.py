"""The concrete model and the Z3 compiler agree: one semantics, two interpreters (DESIGN.md).

On every spec in ``specs/``, with random timelines around the spec's own dates
and random readings:

* ``test_definitions_agree``: every definition (each clause's rules) at sampled
  times of the timeline (``spec_strategies.sample_times``: its own and the spec's
  times, moved by the spec's offsets; its other arguments sampled), and every
  forbid rule on every event, is what Z3 says once the slots are pinned to those
  events. Both polarities are compiled, so the Skolem encodings (∃t, chosen
  events) and the breakpoint expansion of ∀t are all exercised.
* ``test_questions_agree``: a random question over the spec's vocabulary
  (predicates, ``forbidden``, comparisons, readings, every connective,
  quantifiers over events and times): on each random timeline, at sampled
  times for its free times, its concrete truth is Z3's with the slots
  pinned; and the engine's answer holds up
  concretely: a witness makes the question true, and after a *no* no random
  timeline does (within the answer's bound, if it has one).
* ``test_regression_case_replays``: every shrunk failure saved in
  ``tests/regressions/differential.json`` (see ``regressions.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import pytest
import spec_money
import z3
from hypothesis import given, settings
from hypothesis_profiles import examples
from pinned import disagreement, fixed_context, symbolic
from regressions import load_cases, record, timeline_json, timeline_of
from spec_strategies import questions, readings, sample_times, timelines, value_of

from formal.certify import replay_problems
from formal.engine import Engine, goal_of
from formal.fragment import NEG, POS, shape_of
from formal.verdict import Verdict
from model import ast
from model.concrete import Context, axioms_hold, call, forbidding, holds
from model.load import check_question, load_spec
from model.program import Definition, Program, Query
from model.timeline import Timeline

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))
SAMPLES_PER_DEFINITION = 2
"""Draws of a definition's non-time arguments; its time arguments take every sampled time."""
MAX_TIME_TUPLES = 400
"""Critical-time tuples for several time parameters (evenly thinned above this)."""
TIMELINES_PER_QUESTION = (3, 6)
"""How many random timelines each random question is checked on (fewest, most)."""
DEFINITION_RUNS, QUESTION_RUNS = examples(dev=25, ci=400), examples(dev=20, ci=300)
"""With at least three timelines per question, the ci profile tries at least
400 + 3 × 300 = 1,300 random timelines on each spec."""


@cache
def program_of(spec: str) -> Program:
    return load_spec(f"specs/{spec}", (ROOT / "specs" / spec).read_text(encoding="utf-8"))


def recorded(test: str, case: dict[str, Any], check: Callable[[], None]) -> None:
    """Run ``check``; when it fails, keep ``case`` as a regression case (the shrunk one wins)."""
    try:
        check()
    except Exception:
        record(f"{test}:{case['spec']}", case)
        raise


def show_value(program: Program, value: Any, typ: ast.Type) -> str:
    if isinstance(typ, ast.TimeT):
        return program.codec.show(value)
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    return value.id if hasattr(value, "kind") else str(value)


def describe(program: Program, timeline: Timeline, chosen: dict[str, str]) -> str:
    events = "; ".join(f"{e.id} {program.codec.show(e.date)} {e.describe()}"
                       for e in timeline.events) or "no events"
    return f"timeline [{events}] under {chosen}"


# ---------------------------------------------------------------- definitions and forbid rules


def exhaustive(typ: ast.Type, program: Program, timeline: Timeline) -> list[Any]:
    """Every value of a non-time parameter worth trying (sets: all subsets of small enums)."""
    match typ:
        case ast.EventT(kind=kind):
            return list(timeline.of_kind(kind))
        case ast.BoolT():
            return [False, True]
        case ast.IntT():
            return sorted({-1, 0, 1, *program.offsets})
        case ast.AmountT() | ast.RatioT():
            return spec_money.values(typ) or []
        case ast.EnumT(name=enum):
            return list(program.enums[enum])
        case ast.SetT(elem=elem):
            members = program.enums[elem.name]
            if len(members) <= 4:
                return [frozenset(c) for r in range(len(members) + 1)
                        for c in itertools.combinations(members, r)]
            return [frozenset(), frozenset(members), *(frozenset([m]) for m in members)]
    raise TypeError(typ)


def other_arguments(definition: Definition, program: Program, timeline: Timeline,
                    draw: st.DrawFn | None) -> list[tuple[Any, ...]]:
    """Values for a definition's non-time parameters: drawn (or, with no ``draw``, all)."""
    others = [t for _, t in definition.params if not isinstance(t, ast.TimeT)]
    if draw is None:
        return list(itertools.product(*(exhaustive(t, program, timeline) for t in others)))
    rows = []
    for _ in range(SAMPLES_PER_DEFINITION):
        row = []
        for t in others:
            if isinstance(t, ast.EventT):
                pool = exhaustive(t, program, timeline)
                if not pool:
                    break
                row.append(draw(st.sampled_from(pool)))
            else:
                row.append(draw(value_of(t, program)))
        else:
            rows.append(tuple(row))
    return list(dict.fromkeys(rows))


def time_points(times: list[int], count: int) -> list[tuple[int, ...]]:
    """Every sampled time for one time parameter; for several, every tuple (thinned if many)."""
    points = list(itertools.product(times, repeat=count))
    if count > 1 and len(points) > MAX_TIME_TUPLES:
        points = points[:: -(-len(points) // MAX_TIME_TUPLES)]
    return points


def merged(params: Sequence[tuple[str, ast.Type]], times: Sequence[Any],
           rest: Sequence[Any]) -> tuple[Any, ...]:
    """A definition's arguments: ``times`` for its time parameters, ``rest`` for the others."""
    it, jt = iter(times), iter(rest)
    return tuple(next(it) if isinstance(t, ast.TimeT) else next(jt) for _, t in params)


def check_definitions(program: Program, timeline: Timeline, chosen: dict[str, str],
                      draw: st.DrawFn | None = None) -> None:
    """Every definition at every sampled time (and every forbid rule on every event) agrees."""
    concrete = Context(program, timeline, chosen)
    ctx, solver, slot_of = fixed_context(program, timeline, chosen)
    times = sample_times(program, timeline)
    where = f"{program.name}: on {describe(program, timeline, chosen)}"
    for name, definition in sorted(program.definitions.items()):
        params = definition.params
        node = ast.Call(name, tuple(ast.Var(f"a{i}", t) for i, (_, t) in enumerate(params)))
        count = sum(isinstance(t, ast.TimeT) for _, t in params)
        xs = [z3.Int(f"x{i}", ctx.z3ctx) for i in range(count)]
        points = time_points(times, count)
        for rest in other_arguments(definition, program, timeline, draw):
            env = {f"a{i}": a if isinstance(t, ast.TimeT) else symbolic(a, t, ctx, slot_of)
                   for i, (a, (_, t)) in enumerate(zip(merged(params, xs, rest), params,
                                                       strict=True))}
            truth = [call(name, merged(params, p, rest), concrete) for p in points]
            found = disagreement(solver, ctx.compile(node, env, POS), ctx.compile(node, env, NEG),
                                 xs, points, truth)
            if found is not None:
                point, how = found
                shown = ", ".join(show_value(program, a, t)
                                  for a, (_, t) in zip(merged(params, point, rest), params,
                                                       strict=True))
                raise AssertionError(f"{where}: {name}({shown}) is {how}")
    for event in timeline.events:
        slot = slot_of[event.id]
        node = ast.Forbidden(ast.Var("r", ast.EventT(event.kind)))
        found = disagreement(solver, ctx.compile(node, {"r": slot}, POS),
                             ctx.compile(node, {"r": slot}, NEG), [], [()],
                             [bool(forbidding(event, concrete))])
        assert found is None, f"{where}: forbidden({event.id}) is {found[1]}"


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=DEFINITION_RUNS)
@given(data=st.data())
def test_definitions_agree(spec: str, data: st.DataObject) -> None:
    """Every definition (each clause's rules) and every forbid rule, concrete == symbolic."""
    program = program_of(spec)
    timeline = data.draw(timelines(program), label="timeline")
    chosen = data.draw(readings(program), label="readings")
    case = {"test": "definitions", "spec": spec, "readings": chosen,
            "timelines": [timeline_json(program, timeline)]}
    recorded("definitions", case,
             lambda: check_definitions(program, timeline, chosen, data.draw))


# ---------------------------------------------------------------- random questions


def free_times(query: Query) -> list[str]:
    """The question's free variables (the generator makes only free times)."""
    assert all(isinstance(t, ast.TimeT) for _, t in query.free), query.free
    return [name for name, _ in query.free]


def within(shape_slots: dict[str, int], timeline: Timeline) -> bool:
    return all(len(timeline.of_kind(k)) <= shape_slots.get(k, 0) for k in {
        e.kind for e in timeline.events})


def check_question_case(program: Program, text: str, chosen: dict[str, str],
                        cases: Sequence[Timeline]) -> None:
    """Pinned agreement on each timeline, then the engine's answer against the concrete model.

    The question's free times are symbolic in Z3 and take every sampled time of the
    timeline concretely, as a definition's time parameters do.
    """
    extended, query = check_question(program, text, "random")
    full = {**extended.default_readings(), **chosen}
    goal, names = goal_of(query), free_times(query)
    satisfied = []
    for timeline in cases:
        concrete = Context(extended, timeline, full)
        points = time_points(sample_times(extended, timeline), len(names))
        truth = [holds(goal, dict(zip(names, p, strict=True)), concrete) for p in points]
        ctx, solver, _ = fixed_context(extended, timeline, full)
        xs = [z3.Int(f"x{i}", ctx.z3ctx) for i in range(len(names))]
        env = dict(zip(names, xs, strict=True))
        found = disagreement(solver, ctx.compile(goal, env, POS), ctx.compile(goal, env, NEG),
                             xs, points, truth)
        if found is not None:
            shown = ", ".join(f"{n} = {extended.codec.show(v)}"
                              for n, v in zip(names, found[0], strict=True))
            raise AssertionError(f"{program.name}: {text!r}: on "
                                 f"{describe(extended, timeline, full)} the goal"
                                 f"{' at ' + shown if shown else ''} is {found[1]}")
        if any(truth) and not axioms_hold(concrete):
            satisfied.append(timeline)
    (answer,) = Engine(extended).answer(query, full).by_reading
    if answer.verdict is Verdict.UNKNOWN:
        return  # nothing is claimed, so nothing can be refuted
    if answer.witness is not None:
        problems = replay_problems(extended, query, answer.witness, full)
        assert not problems, f"{program.name}: {text!r} under {full}: {problems}"
        return
    slots = shape_of(extended, goal).slots
    refuting = [t for t in satisfied if answer.bound is None or within(slots, t)]
    assert not refuting, (
        f"{program.name}: {text!r}: the engine answers {answer.verdict} "
        + (f"(timelines of ≤{answer.bound} events) " if answer.bound is not None else "")
        + f"but the goal holds concretely on {describe(extended, refuting[0], full)}")


@pytest.mark.parametrize("spec", SPECS)
@settings(max_examples=QUESTION_RUNS)
@given(data=st.data())
def test_questions_agree(spec: str, data: st.DataObject) -> None:
    """A random question: concrete == pinned Z3 on random timelines, and the answer holds up."""
    program = program_of(spec)
    text = data.draw(questions(program), label="question")
    extended, _ = check_question(program, text)
    chosen = data.draw(readings(program), label="readings")
    fewest, most = TIMELINES_PER_QUESTION
    cases = data.draw(st.lists(timelines(extended), min_size=fewest, max_size=most),
                      label="timelines")
    case = {"test": "questions", "spec": spec, "question": text, "readings": chosen,
            "timelines": [timeline_json(extended, t) for t in cases]}
    recorded("questions", case, lambda: check_question_case(program, text, chosen, cases))


# ---------------------------------------------------------------- saved regression cases


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['spec'].removesuffix('.yaml')}-{case['test']}"


@pytest.mark.parametrize("case", [pytest.param(c, id=_case_id(c)) for c in load_cases()])
def test_regression_case_replays(case: dict[str, Any]) -> None:
    """A shrunk failure of the tests above, replayed (definitions: every argument, not a sample)."""
    assert case["spec"] in SPECS, f"regression case for {case['spec']}, which is not in specs/"
    program = program_of(case["spec"])
    if case["test"] == "definitions":
        for events in case["timelines"]:
            check_definitions(program, timeline_of(program, events), case["readings"])
    else:
        extended, _ = check_question(program, case["question"])
        cases = [timeline_of(extended, events) for events in case["timelines"]]
        check_question_case(program, case["question"], case["readings"], cases)
