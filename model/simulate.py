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

import heapq
from collections.abc import Callable, Iterable, Mapping
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
    runs_of,
    visible,
)
from model.intervals import Runs
from model.missed import missed_deadlines, missed_label
from model.program import Program, ScenarioDef, StatusDef
from model.timecodec import DAYS, TimeCodec
from model.timeline import Event, Timeline

StatusValue = bool | tuple[str, ...]


@dataclass(frozen=True)
class Breach:
    event: str
    """The act that breaches a forbid rule, or for a missed deadline its label
    (:func:`model.missed.missed_label`)."""
    clause: str
    date: int
    missed: str | None = None
    """For a missed deadline: the kind of the act that was due (``due`` its deadline)."""
    due: int | None = None


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
            "breaches": [{"event": b.event, "clause": b.clause} if b.missed is None else
                         {"missed": b.missed, "clause": b.clause, "due": codec.iso(b.due or 0)}
                         for b in self.breaches],
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


class _Sweep:
    """The ids whose runs hold the current time, for times that only grow."""

    def __init__(self) -> None:
        self.seen = 0
        self.slow: list[Event] = []
        self.pending: list[tuple[int, int, str]] = []  # (start, end, id), a heap by start
        self.active: list[tuple[int, str]] = []  # (end, id), a heap by end

    def add(self, eid: str, runs: Runs) -> None:
        for start, end in runs.runs:
            heapq.heappush(self.pending, (start, end, eid))

    def at(self, t: int) -> set[str]:
        while self.pending and self.pending[0][0] <= t:
            _, end, eid = heapq.heappop(self.pending)
            heapq.heappush(self.active, (end, eid))
        while self.active and self.active[0][0] < t:
            heapq.heappop(self.active)
        return {eid for _, eid in self.active}


class _StatusTable:
    """Every status at any time of one timeline, from the runs of units on which each holds
    (one pass over the events per status, not one per date); a status whose runs cannot be
    computed is evaluated date by date, as :func:`statuses_at` does."""

    def __init__(self, program: Program, ctx: Context, seen_from: int | None) -> None:
        self.program, self.ctx, self.seen_from = program, ctx, seen_from
        self.view: dict[str, object] = {} if seen_from is None else {NOW: seen_from,
                                                                     HINDSIGHT: True}
        self.runs: dict[tuple[str, str | None], Runs | None] = {}
        self.sweeps: dict[str, _Sweep] = {}

    def holds(self, status: StatusDef, event: Event | None, t: int) -> bool:
        key = (status.id, None if event is None else event.id)
        env: dict[str, object] = dict(self.view)
        if event is not None and status.for_var is not None:
            env[status.for_var[0]] = event
        if key not in self.runs:
            self.runs[key] = runs_of(status.formula, "t", env, self.ctx,
                                     judged_at_var=self.seen_from is None)
        runs = self.runs[key]
        if runs is None:
            return bool(evaluate(status.formula, {**env, "t": t,
                                                  **({} if self.view else {NOW: t})}, self.ctx))
        return t in runs

    def at(self, t: int) -> tuple[tuple[str, StatusValue], ...]:
        """The statuses at ``t``; times must come in order (a sweep over the events' runs)."""
        out: list[tuple[str, StatusValue]] = []
        for status in self.program.statuses:
            if status.for_var is None:
                out.append((status.id, self.holds(status, None, t)))
            else:
                out.append((status.id, self.events_at(status, t)))
        return tuple(out)

    def events_at(self, status: StatusDef, t: int) -> tuple[str, ...]:
        """The events a ``for`` status lists at ``t``: those seen from the viewpoint whose
        runs hold ``t``; events join a sweep as the viewpoint reaches them."""
        assert status.for_var is not None
        now = t if self.seen_from is None else self.seen_from
        sweep = self.sweeps.setdefault(status.id, _Sweep())
        for event in visible(status.for_var[1], {NOW: now}, self.ctx)[sweep.seen:]:
            sweep.seen += 1
            runs = self.runs_for(status, event)
            if runs is None:
                sweep.slow.append(event)
            else:
                sweep.add(event.id, runs)
        listed = sweep.at(t) | {e.id for e in sweep.slow if self.holds(status, e, t)}
        return tuple(sorted(listed))

    def runs_for(self, status: StatusDef, event: Event) -> Runs | None:
        self.holds(status, event, self.program.horizon[0])  # fills the runs
        return self.runs[(status.id, event.id)]


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
             deadline: float | None = None,
             progress: Callable[[int, int, str], None] | None = None) -> Simulation:
    """Process ``events`` instant by instant, reporting statuses and breaches; past
    ``deadline`` (``time.monotonic``) it raises :class:`~model.errors.BudgetExceeded`;
    ``progress(done, total, what)`` hears of each event as it is processed."""
    timeline = Timeline.of(list(events))
    points = sorted(set(checkpoints))
    ctx = Context(program, timeline, readings, deadline=deadline)
    end = max([*(e.date for e in timeline.events), *points], default=None) if hindsight else None
    judge: dict[str, object] = {} if end is None else {NOW: end, HINDSIGHT: True}
    steps: list[Step] = []
    known: dict[int, tuple[tuple[str, StatusValue], ...]] = {}
    table = _StatusTable(program, ctx, end)
    missed = _missed_deadlines(program, ctx, timeline, points, judge)
    dates = {e.date for e in timeline.events}
    points = sorted({*points, *(b.date for b in missed if b.date not in dates)})

    def at(t: int) -> tuple[tuple[str, StatusValue], ...]:
        if t not in known:
            known[t] = table.at(t)
        return known[t]

    done = 0
    for i, event in enumerate(timeline.events):
        if progress:
            progress(i, len(timeline.events), f"{event.id} {event.kind}")
        while done < len(points) and points[done] < event.date:
            steps.append(Step(points[done], None, at(points[done]), ()))
            done += 1
        breaches = tuple(Breach(event.id, clause, event.date)
                         for clause in forbidding(event, ctx, judge))
        steps.append(Step(event.date, event, at(event.date), breaches))
    steps += [Step(t, None, at(t), ()) for t in points[done:]]
    steps = _with_breaches(steps, missed)
    if progress:
        progress(len(timeline.events), len(timeline.events), "done")
    return Simulation(tuple(steps), dict(readings), (), tuple(axioms_hold(ctx)), end)


def _missed_deadlines(program: Program, ctx: Context, timeline: Timeline, points: list[int],
                      judge: Mapping[str, object]) -> list[Breach]:
    """The deadlines missed by the simulation's last date (its last event or checkpoint),
    each as a breach dated when the deadline has passed."""
    last = max([*(e.date for e in timeline.events), *points], default=None)
    if not program.obligations or last is None:
        return []
    return [Breach(missed_label(m.kind, m.date, program.codec), m.clause, m.date, m.kind, m.due)
            for m in missed_deadlines(ctx, {NOW: last, **judge})]


def _with_breaches(steps: list[Step], missed: list[Breach]) -> list[Step]:
    """``steps`` with each missed deadline in the last step of its date."""
    out = list(steps)
    for breach in missed:
        i = max(i for i, step in enumerate(out) if step.date == breach.date)
        step = out[i]
        out[i] = Step(step.date, step.event, step.statuses, (*step.breaches, breach))
    return out


def owner_name(program: Program, owner: str) -> str:
    """``clause 2``, or ``background rule course-of-waivers`` (never called a clause)."""
    return f"background rule {owner}" if owner in program.background else f"clause {owner}"


def run_scenario(program: Program, scenario: ScenarioDef,
                 readings: Mapping[str, str] | None = None,
                 deadline: float | None = None) -> Simulation:
    """Simulate a spec's scenario and compare it with what the scenario expects."""
    chosen = {**program.default_readings(), **(readings or {}), **scenario.readings}
    sim = simulate(program, scenario.events, chosen, [
        *(x.at for x in scenario.expect), *scenario.missed_at], deadline=deadline)
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
        mismatches.append(Mismatch(f"breach of {owner_name(program, clause)} by {event_id}",
                                   "breach", "none"))
    for event_id, clause in sorted(actual_breaches - expected):
        mismatches.append(Mismatch(f"breach of {owner_name(program, clause)} by {event_id}",
                                   "none", "breach"))
    return Simulation(sim.steps, sim.readings, tuple(mismatches), sim.broken_assumptions,
                      sim.seen_from)
