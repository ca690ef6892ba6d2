"""The naive alternative: enumerate every timeline up to k events and test the formula.

This is what a test suite without a solver does. Every event a formula can see
(the kinds its quantifiers and ``forbidden`` reach, through definitions and the
spec's assumptions) is tried with every value of every field, on every day of a
grid around the spec's own dates; each timeline is evaluated by the reference
semantics (:mod:`model.concrete`), whose time quantifiers are exact. A *no* from it
only ever means "none with at most k events on the grid". Each k gets a time
budget; past it, the time the whole enumeration would take is extrapolated from
the rate measured so far.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from formal.engine import Engine, goal_of
from model import ast
from model.concrete import Context, axioms_hold, holds
from model.load import load_spec
from model.money import Money
from model.program import Program, Query
from model.timecodec import parse_date
from model.timeline import Event, Timeline, Value

GRID_MARGIN_DAYS = 30
SMALL_INTS = (0, 1, 30)
"""Values tried for ``int`` fields (the spec language has no bound on them)."""


def kinds_reached(program: Program, query: Query) -> list[str]:
    """The event kinds that can change the truth of the query's goal (or of an assumption)."""
    found = {n.type.kind for n in program.reachable([goal_of(query)])
             if isinstance(n, ast.Quant) and isinstance(n.type, ast.EventT)}
    return sorted(k for k in found if k in program.kinds)


def grid(program: Program) -> list[int]:
    """Every day from a month before the spec's first date to a month after its last."""
    day = program.codec.per_day
    agreed = program.codec.encode_day(parse_date(program.spec.agreement.date))
    dates = [agreed, *program.constants]
    lo, hi = program.horizon
    first = max(lo, min(dates) - GRID_MARGIN_DAYS * day)
    last = min(hi, max(dates) + GRID_MARGIN_DAYS * day)
    return list(range(first, last + 1, day))


def domain(program: Program, typ: ast.Type, days: list[int]) -> list[Value]:
    """Every value of a field's type (times on the grid, a few ints)."""
    match typ:
        case ast.BoolT():
            return [False, True]
        case ast.IntT():
            return list(SMALL_INTS)
        case ast.TimeT():
            return list(days)
        case ast.EnumT(name=name):
            return list(program.enums[name])
        case ast.SetT(elem=elem):
            members = program.enums[elem.name]
            return [frozenset(c) for n in range(len(members) + 1)
                    for c in itertools.combinations(members, n)]
        case ast.AmountT(currency=currency):
            return [Money(Fraction(n), currency) for n in (0, 2)]
        case ast.RatioT():
            return [Fraction(0), Fraction(3, 2)]
        case ast.EventT():
            raise TypeError("an event is not a field value here")
    raise TypeError(f"unknown type {typ}")


def event_choices(program: Program, kinds: list[str], days: list[int]) -> list[Event]:
    """One event of each reached kind with each value of its fields, on each day."""
    out = []
    for kind in kinds:
        fields = program.kinds[kind]
        for values in itertools.product(*(domain(program, t, days) for t in fields.values())):
            for day in days:
                out.append(Event("e", kind, day, tuple(zip(fields, values, strict=True))))
    return out


def goal_with_times(query: Query) -> tuple[ast.Expr, list[tuple[str, ast.Type]]]:
    """The goal with its free times bound by ``exists`` (exact, over critical times); the other
    free variables, whose values the enumeration tries one by one."""
    goal = goal_of(query)
    others: list[tuple[str, ast.Type]] = []
    for name, typ in reversed(query.free):
        if isinstance(typ, ast.TimeT):
            goal = ast.Quant("exists", name, typ, goal)
        elif not isinstance(typ, ast.EventT):
            others.append((name, typ))
    return goal, others


def timelines(choices: list[Event], k: int) -> Iterator[Timeline]:
    for combo in itertools.combinations_with_replacement(range(len(choices)), k):
        events = [dataclasses.replace(choices[c], id=f"e{n + 1}") for n, c in enumerate(combo)]
        yield Timeline.of(events)


def search(program: Program, query: Query, choices: list[Event], k: int, budget: float,
           readings: dict[str, str], days: list[int]) -> dict[str, Any]:
    """Try every timeline of exactly ``k`` events, within ``budget`` seconds."""
    goal, others = goal_with_times(query)
    values = [dict(zip([n for n, _ in others], combo, strict=True)) for combo in
              itertools.product(*(domain(program, t, days) for _, t in others))]
    count = math.comb(len(choices) + k - 1, k)
    started = time.perf_counter()
    tried = 0
    found = False
    for timeline in timelines(choices, k):
        ctx = Context(program, timeline, readings)
        tried += 1
        if not axioms_hold(ctx) and any(holds(goal, env, ctx) for env in values):
            found = True
            break
        if tried % 64 == 0 and time.perf_counter() - started > budget:
            break
    seconds = time.perf_counter() - started
    complete = found or tried == count
    estimate = seconds if complete else seconds * count / tried
    return {"k": k, "timelines": count, "tried": tried, "seconds": seconds,
            "complete": complete, "estimated_seconds": estimate, "found": found}


def brute_question(engine: Engine, query: Query, max_k: int, budget: float) -> dict[str, Any]:
    program = engine.program
    readings = program.default_readings()
    days = grid(program)
    kinds = kinds_reached(program, query)
    choices = event_choices(program, kinds, days)
    started = time.perf_counter()
    answer = engine.answer(query, readings)
    engine_seconds = time.perf_counter() - started
    steps = []
    for k in range(max_k + 1):
        step = search(program, query, choices, k, budget, readings, days)
        steps.append(step)
        if step["found"]:
            break
    found = steps[-1]["found"]
    exhausted = max((s["k"] for s in steps if s["complete"]), default=-1)
    if found:
        verdict = "yes" if query.mode == "can" else "no"
    else:
        verdict = f"{'no' if query.mode == 'can' else 'yes'} up to {exhausted} events"
    return {"question": query.id, "kinds": kinds, "grid_days": len(days),
            "events_per_slot": len(choices), "steps": steps, "brute_verdict": verdict,
            "engine_verdict": str(answer.verdict), "engine_seconds": engine_seconds}


def brute_force(spec: Path, max_k: int, budget: float, limit: int | None = None) -> dict[str, Any]:
    """Each question of a spec under its default readings, by enumeration and by the engine."""
    program = load_spec(spec)
    engine = Engine(program)
    rows = [brute_question(engine, q, max_k, budget) for q in program.questions[:limit]]
    infeasible: dict[str, float] = {}
    for k in range(max_k + 1):
        infeasible[str(k)] = sum(next((s["estimated_seconds"] for s in r["steps"] if s["k"] == k),
                                      0.0) for r in rows)
    return {"spec": str(spec), "max_k": max_k, "budget_seconds": budget,
            "margin_days": GRID_MARGIN_DAYS, "grid_days": len(grid(program)),
            "questions": rows, "estimated_seconds_per_k": infeasible,
            "engine_seconds": sum(r["engine_seconds"] for r in rows)}
