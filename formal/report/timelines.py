"""A timeline as a report shows it: dated marks, each status as runs of equal value, and the steps.

Statuses are sampled with :func:`model.simulate.simulate` at the times where one
may change (:func:`model.simulate.status_change_times`): a status keeps its value
from one such time to the next, so the runs are exact, not a per-day scan.
Times are in the spec's unit (days, or minutes in its zone); the codec shows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from model.program import Program
from model.prose import clause_quotes, quoted
from model.simulate import Simulation, StatusValue, simulate, status_change_times
from model.timecodec import TimeCodec
from model.timeline import Event, Timeline

from .words import date_words

MarkKind = Literal["event", "breach", "time", "date"]
MIN_SPAN = 14
"""An axis covers at least this many days, so a one-day witness still reads as a stretch of time
(a spec that counts in minutes: at least a day, so the hours read)."""
QUESTION_DATE = "date in the question"
"""How a date written in a question is marked on its witness's timeline."""


@dataclass(frozen=True)
class ClauseRef:
    """A link to a clause of the agreement, as a citation or a breach shows it."""

    id: str
    heading: str
    anchor: str
    excerpt: str = ""
    """The clause's whole sentences that hold what the cited rules encode."""


@dataclass(frozen=True)
class Mark:
    """Something dated on the axis: an event, a value of the question's time, or a named date."""

    day: int
    label: str
    kind: MarkKind
    detail: str
    breaches: tuple[ClauseRef, ...] = ()


@dataclass(frozen=True)
class Run:
    """Times ``start`` to ``end`` (exclusive) at which a status keeps one value."""

    start: int
    end: int
    text: str
    on: bool
    """True for ``yes`` and for a non-empty set: drawn filled; ``no`` and ``none`` are hatched."""


@dataclass(frozen=True)
class Lane:
    status: str
    label: str
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class StepRow:
    """One line of the timeline's table: an event or a marked date, and what changed then."""

    date: str
    event: str
    what: str
    changes: tuple[str, ...]
    breaches: tuple[ClauseRef, ...]


@dataclass(frozen=True)
class TimelineView:
    key: str
    """A page-unique prefix for the ids inside the drawing."""
    title: str
    first: int
    last: int
    """The axis runs from time ``first`` to time ``last``, both included."""
    codec: TimeCodec
    marks: tuple[Mark, ...]
    lanes: tuple[Lane, ...]
    rows: tuple[StepRow, ...]
    bindings: tuple[tuple[str, str], ...] = ()
    readings: tuple[tuple[str, str], ...] = ()


def status_text(value: StatusValue) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return ", ".join(value) if value else "none"


def axis_range(program: Program, own: Iterable[int]) -> tuple[int, int]:
    """First and last time of an axis that shows ``own`` times, with a margin."""
    day = program.codec.per_day
    times = sorted(set(own))
    named = sorted(program.dates.values())
    if not times:
        times = named or [program.horizon[0]]
    lo, hi = times[0], times[-1]
    pad = max(2 * (day if day == 1 else 60), (hi - lo) // 20)
    lo, hi = lo - pad, hi + pad
    least = MIN_SPAN if day == 1 else day
    if hi - lo + 1 < least:
        grow = least - (hi - lo + 1)
        lo, hi = lo - grow // 2, hi + grow - grow // 2
    first, last = program.horizon
    return max(first, lo), min(last, hi)


def lanes_of(program: Program, events: tuple[Event, ...], readings: Mapping[str, str],
             first: int, last: int) -> tuple[Lane, ...]:
    """Each declared status as runs of equal value over the axis's days."""
    samples = status_change_times(program, Timeline.of(list(events)), readings, first, last)
    return lanes_at(program, events, readings, samples, last)


def lanes_at(program: Program, events: Sequence[Event], readings: Mapping[str, str],
             samples: list[int], last: int) -> tuple[Lane, ...]:
    """Each status as runs of equal value, from its values at ``samples`` (sorted)."""
    sim = simulate(program, events, readings, samples)
    at: dict[int, dict[str, StatusValue]] = {}
    for step in sim.steps:  # a checkpoint comes after the events of its time: the last wins
        if step.event is None:
            at[step.date] = dict(step.statuses)
    lanes = []
    for status in program.statuses:
        runs: list[Run] = []
        for i, time in enumerate(samples):
            value = at[time][status.id]
            end = samples[i + 1] if i + 1 < len(samples) else last + 1
            text, on = status_text(value), bool(value)
            if runs and runs[-1].text == text:
                runs[-1] = Run(runs[-1].start, end, text, on)
            else:
                runs.append(Run(time, end, text, on))
        lanes.append(Lane(status.id, status.label, tuple(runs)))
    return tuple(lanes)


def step_rows(program: Program, sim: Simulation, marks: Mapping[int, list[str]],
              anchor: Mapping[str, str]) -> tuple[StepRow, ...]:
    """Each event and marked time with what changed then, each change on its own date.

    A checkpoint that no one marked is shown only where a status changes (the waiver
    coming into force on its effective date, with no event that day); a marked time
    (the question's ``t``, a date it names) shows every status as it stands, so the
    row agrees with the answer beside it.
    """
    labels = {s.id: s.label for s in program.statuses}
    named = {day: name for name, day in program.dates.items()}
    rows = []
    previous: dict[str, StatusValue] = {}
    for step in sim.steps:
        current = dict(step.statuses)
        changed = {k for k, v in current.items() if k not in previous or previous[k] != v}
        marked = step.event is None and step.date in marks
        shown = current if marked else {k: v for k, v in current.items() if k in changed}
        changes = tuple(f"{labels[k]}: {status_text(v)}" for k, v in shown.items())
        missed = [b for b in step.breaches if b.missed is not None]
        changes += tuple(f"missed deadline: {b.missed} due by {program.codec.show(b.due or 0)} "
                         f"({'background rule' if b.clause in program.background else 'clause'}"
                         f" {b.clause})" for b in missed)
        if step.event is not None:
            event, what = step.event.id, step.event.describe(program.codec)
        elif marked:
            event, what = "", "at " + ", ".join(marks[step.date])
        elif missed:
            event, what = "", "a deadline passes"
        elif changed and previous:
            event, what = "", (f"{named[step.date]}: " if step.date in named else "") + \
                "no event; the statuses change"
        else:  # the state before anything happens is shown with the first row that is shown
            previous = previous and current
            continue
        breaches = tuple(clause_ref(program, b.clause, anchor, ()) for b in step.breaches
                         if b.missed is None)
        rows.append(StepRow(date_words(program.codec, step.date), event, what, changes,
                            breaches))
        previous = current
    return tuple(rows)


def excerpt(text: str, quotes: Iterable[str] = ()) -> str:
    """The whole sentences of ``text`` that hold one of ``quotes`` (every sentence if none does).

    Never a prefix cut where a length limit fell: a citation quotes what decides.

    >>> excerpt("Subject to paragraph 2 hereof, the Lender waives. The rest is silence here.",
    ...         ["Lender waives"])
    'Subject to paragraph 2 hereof, the Lender waives.'
    """
    return " ".join(quoted(text, quotes))


def clause_ref(program: Program, clause_id: str, anchor: Mapping[str, str],
               names: Iterable[str] | None = None) -> ClauseRef:
    """A link to a clause, quoting the sentences that hold the quotes of its rules that define
    one of ``names`` (``None``: of every rule; a breach passes ``()``: its forbid rules').
    A background rule (never a clause) is named as one, with its source."""
    if clause_id in program.background:
        return ClauseRef(clause_id, "background rule", anchor.get(clause_id, ""),
                         program.background[clause_id])
    clause = program.clause(clause_id)
    chosen = None if names is None else sorted(names)
    quotes = clause_quotes(program.spec, clause_id, chosen) or clause_quotes(
        program.spec, clause_id, None)
    return ClauseRef(clause_id, clause.heading, anchor[clause_id], excerpt(clause.text, quotes))


def timeline_view(program: Program, key: str, title: str, events: Iterable[Event],
                  readings: Mapping[str, str], anchor: Mapping[str, str],
                  times: Mapping[int, list[str]] | None = None,
                  bindings: tuple[tuple[str, str], ...] = (),
                  sim: Simulation | None = None,
                  named: Iterable[str] = ()) -> TimelineView:
    """The view of one timeline; ``times`` are dates to mark (a question's time, its dates).

    ``sim`` is a simulation already run on these events (a scenario's, with its
    expectation checkpoints); the table is simulated again at every critical time as
    well, so each change is listed on its own date. Of the spec's named dates only
    ``named`` (those the question mentions) are drawn: the drawing labels no date that
    neither the question nor the timeline mentions.
    """
    ordered = Timeline.of(list(events)).events
    times = dict(times or {})
    full = {**program.default_readings(), **readings}
    drawn = {name: program.dates[name] for name in named if name in program.dates}
    given = {s.date for s in sim.steps if s.event is None} if sim is not None else set()
    first, last = axis_range(program, [e.date for e in ordered] + list(times) + list(
        drawn.values()) + sorted(given))
    checkpoints = set(times) | set(status_change_times(program, Timeline.of(list(ordered)), full,
                                                       first, last))
    checkpoints |= given
    table = simulate(program, ordered, full, sorted(checkpoints))
    sim = sim or table
    show = program.codec.show
    breaches = {e.id: tuple(b.clause for b in s.breaches) for s in sim.steps if (e := s.event)}
    groups: dict[tuple[int, str, tuple[str, ...]], list[Event]] = {}
    for e in ordered:  # events of one kind at one time, breaching alike, share a label
        groups.setdefault((e.date, e.kind, breaches.get(e.id, ())), []).append(e)
    marks = [Mark(t, f"{', '.join(e.id for e in same)} {kind}", "breach" if clauses else "event",
                  "; ".join(f"{show(t)} {e.describe(program.codec)}" for e in same),
                  tuple(clause_ref(program, c, anchor, ()) for c in dict.fromkeys(clauses)))
             for (t, kind, clauses), same in groups.items()]
    marks += [Mark(day, ", ".join(names), "time", f"{show(day)}: {', '.join(names)}")
              for day, names in sorted(times.items())
              if not (day in drawn.values() and set(names) == {QUESTION_DATE})]
    marks += [Mark(day, name, "date", f"{name} = {show(day)}")
              for name, day in sorted(drawn.items(), key=lambda kv: kv[1])]
    return TimelineView(key, title, first, last, program.codec, tuple(marks),
                        lanes_of(program, ordered, full, first, last),
                        step_rows(program, table, times, anchor), bindings,
                        tuple(sorted(full.items())))
