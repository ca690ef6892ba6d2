"""Run a timeline event by event, like a contract processing transactions.

Events of the same instant are simultaneous (docs/semantics.md): they are
processed together, and after each instant the declared statuses are judged
from it, seeing every event dated at or before it; an act that a clause
forbids, judged from its own date, is reported as a breach, and processing
goes on. Status checkpoints the user asks for are judged the same way. A
timeline that breaks one of the spec's assumptions is reported with the
clause. ``hindsight=True`` shows the same timeline as seen from its end:
every status and breach judged from the last date, in hindsight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from model.concrete import (
    HINDSIGHT,
    NOW,
    Context,
    axioms_hold,
    change_points,
    evaluate,
    forbidding,
    visible,
)
from model.program import Program, ScenarioDef
from model.timecodec import DAYS, TimeCodec
from model.timeline import Event, Timeline

StatusValue = bool | tuple[str, ...]


@dataclass(frozen=True)
class Breach:
    event: str
    clause: str
    date: int


@dataclass(frozen=True)
class Step:
    """The state after one event (``event`` set) or at a checkpoint date (``event`` None)."""

    date: int
    event: Event | None
    statuses: tuple[tuple[str, StatusValue], ...]
    breaches: tuple[Breach, ...]

    def to_json(self, codec: TimeCodec = DAYS) -> dict[str, Any]:
        return {
            "date": codec.iso(self.date),
            "event": self.event.to_json(codec) if self.event else None,
            "statuses": {k: list(v) if isinstance(v, tuple) else v for k, v in self.statuses},
            "breaches": [{"event": b.event, "clause": b.clause} for b in self.breaches],
        }


@dataclass(frozen=True)
class Mismatch:
    """A scenario expectation the simulation did not meet."""

    what: str
    expected: Any
    actual: Any


@dataclass(frozen=True)
class Simulation:
    steps: tuple[Step, ...]
    readings: Mapping[str, str]
    mismatches: tuple[Mismatch, ...] = ()
    broken_assumptions: tuple[str, ...] = ()
    """The clauses whose assumptions (``assume`` rules) this timeline breaks."""
    seen_from: int | None = None
    """Set when every status and breach is judged in hindsight from this time."""

    @property
    def breaches(self) -> tuple[Breach, ...]:
        return tuple(b for s in self.steps for b in s.breaches)

    @property
    def failed(self) -> bool:
        """An expectation not met, or an assumption of the spec that the timeline breaks."""
        return bool(self.mismatches or self.broken_assumptions)


def statuses_at(program: Program, timeline: Timeline, readings: Mapping[str, str],
                t: int, seen_from: int | None = None,
                ctx: Context | None = None) -> tuple[tuple[str, StatusValue], ...]:
    """Every declared status at time ``t``: judged from ``t``, or in hindsight from
    ``seen_from``."""
    ctx = ctx or Context(program, timeline, readings)
    view: dict[str, object] = {NOW: t} if seen_from is None else {NOW: seen_from,
                                                                 HINDSIGHT: True}
    out: list[tuple[str, StatusValue]] = []
    for status in program.statuses:
        env = {"t": t, **view}
        if status.for_var is None:
            out.append((status.id, bool(evaluate(status.formula, env, ctx))))
        else:
            var, kind = status.for_var
            out.append((status.id, tuple(sorted(
                e.id for e in visible(kind, env, ctx)
                if evaluate(status.formula, {**env, var: e}, ctx)))))
    return tuple(out)


def status_change_times(program: Program, timeline: Timeline, readings: Mapping[str, str],
                        first: int, last: int) -> list[int]:
    """Every time in ``[first, last]`` at which some status may change value, exactly: a
    status keeps its value from one of these times to the next."""
    ctx = Context(program, timeline, readings)
    out = {first}
    for status in program.statuses:
        envs: list[dict[str, object]] = [{}]
        if status.for_var is not None:
            var, kind = status.for_var
            envs = [{var: e} for e in timeline.of_kind(kind)]
        for env in envs:
            points = change_points(status.formula, "t", env, ctx, judged_at_var=True)
            if points is None:
                return list(range(first, last + 1))
            out.update(p for p in points if first <= p <= last)
    out.update(e.date for e in timeline.events if first <= e.date <= last)
    return sorted(out)


def simulate(program: Program, events: Iterable[Event], readings: Mapping[str, str],
             checkpoints: Iterable[int] = (), *, hindsight: bool = False,
             deadline: float | None = None) -> Simulation:
    """Process ``events`` instant by instant, reporting statuses and breaches; past
    ``deadline`` (``time.monotonic``) it raises :class:`~model.errors.BudgetExceeded`."""
    timeline = Timeline.of(list(events))
    points = sorted(set(checkpoints))
    ctx = Context(program, timeline, readings, deadline=deadline)
    end = max([*(e.date for e in timeline.events), *points], default=None) if hindsight else None
    judge: dict[str, object] = {} if end is None else {NOW: end, HINDSIGHT: True}
    steps: list[Step] = []
    known: dict[int, tuple[tuple[str, StatusValue], ...]] = {}

    def at(t: int) -> tuple[tuple[str, StatusValue], ...]:
        if t not in known:
            known[t] = statuses_at(program, timeline, readings, t, end, ctx)
        return known[t]

    done = 0
    for event in timeline.events:
        while done < len(points) and points[done] < event.date:
            steps.append(Step(points[done], None, at(points[done]), ()))
            done += 1
        breaches = tuple(Breach(event.id, clause, event.date)
                         for clause in forbidding(event, ctx, judge))
        steps.append(Step(event.date, event, at(event.date), breaches))
    steps += [Step(t, None, at(t), ()) for t in points[done:]]
    return Simulation(tuple(steps), dict(readings), (), tuple(axioms_hold(ctx)), end)


def run_scenario(program: Program, scenario: ScenarioDef,
                 readings: Mapping[str, str] | None = None,
                 deadline: float | None = None) -> Simulation:
    """Simulate a spec's scenario and compare it with what the scenario expects."""
    chosen = {**program.default_readings(), **(readings or {}), **scenario.readings}
    sim = simulate(program, scenario.events, chosen, (x.at for x in scenario.expect),
                   deadline=deadline)
    mismatches: list[Mismatch] = []
    at_dates = {s.date: dict(s.statuses) for s in sim.steps if s.event is None}
    for x in scenario.expect:
        actual = at_dates[x.at][x.status]
        if actual != x.value:
            mismatches.append(Mismatch(f"{x.status} on {program.codec.show(x.at)}", x.value,
                                       actual))
    expected = set(scenario.breaches)
    actual_breaches = {(b.event, b.clause) for b in sim.breaches}
    for event_id, clause in sorted(expected - actual_breaches):
        mismatches.append(Mismatch(f"breach of clause {clause} by {event_id}", "breach", "none"))
    for event_id, clause in sorted(actual_breaches - expected):
        mismatches.append(Mismatch(f"breach of clause {clause} by {event_id}", "none", "breach"))
    return Simulation(sim.steps, sim.readings, tuple(mismatches), sim.broken_assumptions,
                      sim.seen_from)
