"""Run a timeline event by event, like a contract processing transactions.

After each event the declared statuses are evaluated on the events processed
so far, at that event's date; an event that a clause forbids at that moment is
reported as a breach, and processing goes on. Status checkpoints the user asks
for are evaluated on every event dated on or before them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from model.concrete import Context, evaluate, forbidding_clauses
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

    @property
    def breaches(self) -> tuple[Breach, ...]:
        return tuple(b for s in self.steps for b in s.breaches)


def statuses_at(program: Program, timeline: Timeline, readings: Mapping[str, str],
                t: int) -> tuple[tuple[str, StatusValue], ...]:
    """Every declared status at time ``t`` on ``timeline``."""
    ctx = Context(program, timeline, readings)
    out: list[tuple[str, StatusValue]] = []
    for status in program.statuses:
        if status.for_var is None:
            out.append((status.id, bool(evaluate(status.formula, {"t": t}, ctx))))
        else:
            var, kind = status.for_var
            out.append((status.id, tuple(sorted(
                e.id for e in timeline.of_kind(kind)
                if evaluate(status.formula, {"t": t, var: e}, ctx)))))
    return tuple(out)


def simulate(program: Program, events: Iterable[Event], readings: Mapping[str, str],
             checkpoints: Iterable[int] = ()) -> Simulation:
    """Process ``events`` in date order, reporting statuses and breaches."""
    timeline = Timeline.of(list(events))
    points = sorted(set(checkpoints))
    steps: list[Step] = []

    def flush(before: int | None) -> None:
        while points and (before is None or points[0] < before):
            t = points.pop(0)
            known = Timeline(tuple(e for e in timeline.events if e.date <= t))
            steps.append(Step(t, None, statuses_at(program, known, readings, t), ()))

    for i, event in enumerate(timeline.events):
        flush(event.date)
        known = timeline.upto(i + 1)
        ctx = Context(program, known, readings)
        breaches = tuple(Breach(event.id, clause, event.date)
                         for clause in forbidding_clauses(event, ctx))
        steps.append(Step(event.date, event, statuses_at(program, known, readings, event.date),
                          breaches))
    flush(None)
    return Simulation(tuple(steps), dict(readings))


def run_scenario(program: Program, scenario: ScenarioDef,
                 readings: Mapping[str, str] | None = None) -> Simulation:
    """Simulate a spec's scenario and compare it with what the scenario expects."""
    chosen = {**program.default_readings(), **(readings or {}), **scenario.readings}
    sim = simulate(program, scenario.events, chosen, (x.at for x in scenario.expect))
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
    return Simulation(sim.steps, sim.readings, tuple(mismatches))
