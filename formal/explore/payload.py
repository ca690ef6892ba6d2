"""The JSON the page needs: the agreement, a simulated timeline, an answer; all from finished values.

Nothing here asks the solver or re-runs the semantics on its own: statuses and
breaches come from :func:`model.simulate.simulate` (through the report's timeline
view, :func:`formal.report.timelines.timeline_view`, whose geometry the page draws),
answers from the engine. Every text is plain data; the page puts it in the DOM as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from model import ast
from model.errors import ClauseCheckError
from model.load import parse_event
from model.program import Program, Query
from model.references import check_references
from model.simulate import Simulation, simulate
from model.timeline import Event

from ..report.svg_timeline import Drawing, layout
from ..report.timelines import QUESTION_DATE, TimelineView
from ..verdict import Answer, ReadingAnswer, Verdict
from .lanes import drawn_view
from .questions import subjects
from .words import clause_list, long_date, reading_answer_sentence, verdict_sentence

MAX_EVENTS = 60
"""The most events a timeline from the page may hold (a person builds a story, not a log)."""


class EventProblem(ClauseCheckError):
    """An event from the page that the spec does not allow, with where it is."""

    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index, self.field, self.message = index, field, message

    def to_json(self) -> dict[str, Any]:
        return {"error": self.message, "event": self.index, "field": self.field}


def anchors(program: Program) -> dict[str, str]:
    return {c.id: f"clause-{c.id}" for c in program.clauses}


def _values(program: Program, enum: str) -> list[dict[str, str]]:
    docs: dict[str, str] = {}
    if enum == "Actor":
        docs = {a.id: a.name for a in program.spec.actors}
    elif enum == "Instrument":
        docs = {i.id: i.name for i in program.spec.instruments}
    elif enum in program.spec.enums:
        docs = dict(program.spec.enums[enum].values)
    return [{"id": v, "doc": docs.get(v, "")} for v in program.enums[enum]]


def _field(program: Program, name: str, typ: ast.Type) -> dict[str, Any]:
    match typ:
        case ast.EnumT(name=enum):
            return {"name": name, "type": "enum", "of": enum, "values": _values(program, enum)}
        case ast.SetT(elem=elem):
            return {"name": name, "type": "set", "of": elem.name,
                    "values": _values(program, elem.name)}
        case ast.EventT(kind=kind):  # a reference: the id of an earlier event of the kind
            return {"name": name, "type": "event", "of": kind}
        case _:
            return {"name": name, "type": str(typ)}


def spec_json(program: Program) -> dict[str, Any]:
    """What the page shows of the agreement and offers in its forms."""
    spec, codec = program.spec, program.codec
    agreement_day = codec.encode_day(program.codec_day(spec.agreement.date))
    return {
        "title": spec.agreement.title, "id": spec.agreement.id, "file": program.file,
        "date": long_date(codec, agreement_day), "day": codec.iso(agreement_day),
        "unit": codec.unit, "zone": codec.zone,
        "clauses": [{"id": c.id, "heading": c.heading, "text": c.text.strip(),
                     "not_temporal": c.not_temporal} for c in program.clauses],
        "kinds": [{"name": kind, "doc": spec.events[kind].doc,
                   "fields": [_field(program, n, t) for n, t in fields.items()]}
                  for kind, fields in program.kinds.items()],
        "subjects": [s.__dict__ for s in subjects(program)],
        "readings": [{"name": r.name, "question": r.question, "default": r.default,
                      "options": [{"id": o, "doc": spec.readings[r.name].options[o]}
                                  for o in r.options]} for r in program.readings.values()],
        "questions": [{"id": q.id, "ask": q.text, "formula": q.formula_text}
                      for q in program.questions],
        "scenarios": [{"id": s.id, "description": s.description,
                       "readings": s.readings,
                       "events": [event_json(program, e) for e in s.events]}
                      for s in program.scenarios],
        "dates": [{"name": n, "date": codec.iso(t), "words": long_date(codec, t)}
                  for n, t in sorted(program.dates.items(), key=lambda kv: kv[1])],
    }


def event_json(program: Program, event: Event) -> dict[str, Any]:
    """An event as a timeline file writes it, time-valued fields as dates too (so it loads back)."""
    out = event.to_json(program.codec)
    for name, typ in program.kinds[event.kind].items():
        value = event.field(name)
        if isinstance(typ, ast.TimeT) and isinstance(value, int):
            out[name] = program.codec.iso(value)
    return out


def parse_events(program: Program, raws: Any) -> list[Event]:
    """The page's events, checked as a timeline file's are; a problem names the event and field."""
    if not isinstance(raws, list):
        raise EventProblem(-1, "", "events: a list of events")
    if len(raws) > MAX_EVENTS:
        raise EventProblem(-1, "", f"a timeline here holds at most {MAX_EVENTS} events")
    events: list[Event] = []
    for i, raw in enumerate(raws):
        def fail(sub: tuple[Any, ...], message: str, key: bool = False,
                 i: int = i) -> EventProblem:
            return EventProblem(i, str(sub[0]) if sub else "", message)
        events.append(parse_event(program, raw, f"e{i + 1}", fail))
    seen: set[str] = set()
    for i, event in enumerate(events):
        if event.id in seen:
            raise EventProblem(i, "id", f"two events are named {event.id!r}")
        seen.add(event.id)
    check_references(program.kinds, program.codec, events,
                     lambda i, fname, msg: EventProblem(i, fname, msg))
    return events


def full_readings(program: Program, chosen: Mapping[str, str]) -> dict[str, str]:
    return {**program.default_readings(), **chosen}


def drawing_json(drawing: Drawing) -> dict[str, Any]:
    """The report's timeline geometry, as data the page draws with SVG elements."""
    return {
        "width": drawing.width, "height": drawing.height, "title": drawing.title,
        "desc": drawing.desc, "band": drawing.band, "left": drawing.left,
        "right": drawing.right, "axis_y": drawing.axis_y,
        "marks": [{"x": m.x, "label_x": m.label_x, "label_y": m.label_y, "anchor": m.anchor,
                   "label": m.mark.label, "date": m.date, "kind": m.kind,
                   "detail": m.mark.detail, "breaches": [c.id for c in m.breaches]}
                  for m in drawing.marks],
        "lanes": [{"label": lane.label, "y": lane.y,
                   "bands": [{"x": b.x, "width": b.width, "text": b.text, "on": b.on,
                              "title": b.title, "show_text": b.show_text} for b in lane.bands]}
                  for lane in drawing.lanes],
        "ticks": [{"x": t.x, "label": t.label, "anchor": t.anchor, "label_x": t.label_x}
                  for t in drawing.ticks],
    }


def changes(program: Program, view: TimelineView) -> list[dict[str, Any]]:
    """Where a status changes value on the axis, in date order, in words."""
    out = []
    for lane in view.lanes:
        for run in lane.runs[1:]:
            out.append({"time": run.start, "date": program.codec.iso(run.start),
                        "words": long_date(program.codec, run.start), "status": lane.status,
                        "label": lane.label, "value": run.text, "on": run.on})
    return sorted(out, key=lambda c: c["time"])


def timeline_json(program: Program, events: Sequence[Event], readings: Mapping[str, str],
                  marks: Mapping[int, list[str]] | None = None) -> dict[str, Any]:
    """A timeline as the page shows it: drawing, changes, breaches and its YAML; ``marks`` are
    times to mark on the drawing (a witness's values, the dates in its question)."""
    full = full_readings(program, readings)
    sim = simulate(program, events, full)
    view, named = drawn_view(program, "current", "The timeline", events, full, anchors(program),
                             dict(marks or {}))
    breaches = [{"event": b.event, "clause": b.clause,
                 "heading": "background rule" if b.clause in program.background
                 else program.clause(b.clause).heading,
                 "words": long_date(program.codec, b.date)} for b in sim.breaches]
    return {
        "events": [{**event_json(program, e), "words": long_date(program.codec, e.date),
                    "describe": e.describe(program.codec)} for e in sim_events(sim)],
        "drawing": drawing_json(layout(view)),
        "exact": named is None,
        "changes": [{**c, "exact": named is None or c["time"] in named}
                    for c in changes(program, view)],
        "breaches": breaches,
        "breached": list(dict.fromkeys(b["clause"] for b in breaches)),
        "readings": full,
        "yaml": scenario_yaml(program, sim),
    }


def sim_events(sim: Simulation) -> list[Event]:
    return [s.event for s in sim.steps if s.event is not None]


class _Flow(dict[str, Any]):
    """A mapping written on one line, as the bundled specs write events."""


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """PyYAML's safe dumper, with :class:`_Flow` mappings on one line."""


_Dumper.add_representer(_Flow, lambda dumper, data: dumper.represent_mapping(
    "tag:yaml.org,2002:map", data.items(), flow_style=True))


def scenario_yaml(program: Program, sim: Simulation, sid: str = "my-timeline") -> str:
    """The timeline as a scenario to paste under ``scenarios:``, expecting what it shows now."""
    codec = program.codec
    scenario: dict[str, Any] = {"id": sid, "description": "A timeline built in the explorer."}
    changed = {k: v for k, v in sim.readings.items() if v != program.readings[k].default}
    if changed:
        scenario["readings"] = _Flow(changed)
    events = []
    last: dict[int, dict[str, Any]] = {}
    for step in sim.steps:
        if step.event is None:
            continue
        events.append(_Flow(event_json(program, step.event)))
        last[step.date] = {k: list(v) if isinstance(v, tuple) else v for k, v in step.statuses}
    scenario["events"] = events
    expect = [_Flow(at=codec.iso(day), **statuses) for day, statuses in sorted(last.items())]
    if expect:
        scenario["expect"] = expect
    breaches = [_Flow(event=b.event, clause=b.clause) if b.missed is None else
                _Flow(missed=b.missed, clause=b.clause, at=codec.iso(b.date))
                for b in sim.breaches]
    if breaches:
        scenario["breaches"] = breaches
    text: str = yaml.dump([scenario], Dumper=_Dumper, sort_keys=False, width=4096,
                          allow_unicode=True, default_flow_style=False, indent=2)
    # Indented as the bundled specs list their scenarios, ready under ``scenarios:``.
    return "".join("  " + line for line in text.splitlines(keepends=True))


# ---------------------------------------------------------------- answers


def _reading_words(program: Program, readings: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"name": k, "option": v, "doc": program.spec.readings[k].options[v]}
            for k, v in readings]


def witness_json(program: Program, query: Query, r: ReadingAnswer) -> dict[str, Any] | None:
    """A witness as events the page can load, with the times to mark on its drawing; the
    drawing itself is the page's next request (``/api/timeline``), so the answer comes first."""
    if r.witness is None:
        return None
    marks = [{"date": program.codec.iso(t), "label": name} for name, t in r.witness.times]
    marks += [{"date": program.codec.iso(node.value), "label": QUESTION_DATE}
              for node in ast.walk(query.body) if isinstance(node, ast.TimeLit)]
    words = [f"{name} = {long_date(program.codec, t)}" for name, t in r.witness.times]
    return {"events": [event_json(program, e) for e in r.witness.events],
            "bindings": words or [f"{k} = {v}" for k, v in r.witness.bindings],
            "readings": full_readings(program, dict(r.readings)), "marks": marks}


def answer_json(program: Program, query: Query, answer: Answer, question: str) -> dict[str, Any]:
    """An answer as the page shows it: the verdict as a sentence, then each reading's grounds."""
    many = len(answer.by_reading) > 1
    shown = []
    for label, r in answer.outcomes():
        cited = [c.clause for c in r.clauses or ()]
        witness = witness_json(program, query, r)
        shown.append({
            "readings": _reading_words(program, label), "verdict": str(r.verdict),
            "sentence": reading_answer_sentence(
                query.mode, r.verdict, cited,
                len(r.witness.events) if r.witness is not None else None, r.reason),
            "clauses": cited, "cited": clause_list(cited) if cited else "",
            "witness": witness, "bound": r.bound, "reason": r.reason,
        })
    return {"question": question, "formula": query.formula_text, "mode": query.mode,
            "verdict": str(answer.verdict),
            "sentence": verdict_sentence(query.mode, answer.verdict,
                                         [program.readings[r].question
                                          for r in answer.deciding_readings()], many),
            "turns": answer.deciding_readings(), "clauses": list(answer.clauses),
            "same_everywhere": answer.verdict is not Verdict.DEPENDS and many,
            "fixed": _reading_words(program, answer.fixed),
            "by_reading": shown}
