"""Status lanes for the page's drawings: exact where the simulator can tell where statuses change.

:func:`model.simulate.status_change_times` names every time at which some status
may change; a status keeps its value between two of them, so evaluating there draws
every lane exactly (as the report does). Where it cannot tell (a formula that is not
linear in time), it names every unit of the axis, and a spec that counts minutes
then has tens of thousands: too many to evaluate while a person types. Past
:data:`EXACT_LIMIT` the lanes are evaluated at every time the spec or the timeline
names, shifted by every offset the spec's formulas add (``48 hours`` after a request),
and the unit after each, plus an even grid; the page says the drawing is sampled, and
values at those times, and every breach, stay exact.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from model.program import Program
from model.simulate import status_change_times
from model.timeline import Event, Timeline

from ..report.timelines import TimelineView, lanes_at, timeline_view

EXACT_LIMIT = 1500
"""The most times at which a drawing's statuses are evaluated to draw them exactly."""
GRID = 160
"""Evenly spaced times added to the named ones when a drawing is sampled."""


def drawn_view(program: Program, key: str, title: str, events: Sequence[Event],
               readings: Mapping[str, str], anchor: Mapping[str, str],
               marks: Mapping[int, list[str]]) -> tuple[TimelineView, set[int] | None]:
    """The timeline's view with its lanes; and None when they are exact, else the times at
    which they are exact (the sampled drawing's named times)."""
    bare = dataclasses.replace(program, statuses=())  # marks, axis and breaches: no lanes yet
    view = timeline_view(bare, key, title, events, readings, anchor, marks)
    first, last = view.first, view.last
    samples = status_change_times(program, Timeline.of(list(events)), readings, first, last)
    named: set[int] | None = None
    if len(samples) > EXACT_LIMIT:
        shifts = {d + step for o in program.offsets for d in (o, -o) for step in (0, 1)}
        named = {first} | {t + shift for t in (*program.constants, *marks,
                                               *(e.date for e in events))
                           for shift in shifts if first <= t + shift <= last}
        grid = {first + (last - first) * i // GRID for i in range(GRID + 1)}
        samples = sorted(named | grid)
    lanes = lanes_at(program, events, readings, samples, last)
    return dataclasses.replace(view, lanes=lanes), named
