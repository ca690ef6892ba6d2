"""Regression cases of the differential tests, kept as JSON that people can read and the suite replays.

When a differential test fails, Hypothesis shrinks the failing example and
runs the smallest one last; every failing run writes its case here, replacing
the one the same test wrote before, so the file ends up with the shrunk case.
``test_differential.py`` replays every case on every run. Commit the file
with the fix. (Hypothesis's own example database does not fit: it is off in
derandomized runs, and its entries are opaque bytes.)

A case: ``test`` (``definitions`` or ``questions``), ``spec`` (a file name in
``specs/``), ``readings``, ``timelines`` (lists of events as a timeline file
writes them), and for ``questions`` the ``question`` text.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from model import ast
from model.errors import SpecError
from model.load import parse_event
from model.program import Program
from model.timeline import Event, Timeline

FILE = Path(__file__).resolve().parent / "regressions" / "differential.json"
_written: dict[str, dict[str, Any]] = {}
"""The case each test wrote in this session, replaced as Hypothesis shrinks."""


def load_cases(file: Path = FILE) -> list[dict[str, Any]]:
    if not file.exists():
        return []
    cases: list[dict[str, Any]] = json.loads(file.read_text(encoding="utf-8"))
    return cases


def record(test: str, case: dict[str, Any], file: Path = FILE) -> None:
    """Save ``case`` as the regression case of ``test``, in place of the one it saved before
    (in ``file``: ``differential.json`` unless another test keeps its own)."""
    cases = load_cases(file)
    previous = _written.get(f"{file.name}:{test}")
    if previous is not None and previous in cases:
        cases.remove(previous)
    if case not in cases:
        cases.append(case)
    _written[f"{file.name}:{test}"] = case
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(cases, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def event_json(program: Program, event: Event) -> dict[str, Any]:
    """An event as a timeline file writes it: dates as text, sets as lists."""
    out: dict[str, Any] = {"id": event.id, "kind": event.kind, "date": program.codec.iso(event.date)}
    for name, value in event.fields:
        ftype = program.kinds[event.kind][name]
        if isinstance(ftype, ast.TimeT):
            out[name] = program.codec.iso(int(value))
        elif isinstance(value, frozenset):
            out[name] = sorted(value)
        else:
            out[name] = value
    return out


def timeline_json(program: Program, timeline: Timeline) -> list[dict[str, Any]]:
    return [event_json(program, e) for e in timeline.events]


def timeline_of(program: Program, events: list[dict[str, Any]]) -> Timeline:
    """A saved timeline, read back through the same parser as a scenario's events."""
    def fail(sub: tuple[Any, ...], message: str, key: bool = False) -> AssertionError:
        return AssertionError(f"stale regression case in {FILE.name}: {message} ({sub})")

    try:
        return Timeline.of([parse_event(program, raw, f"e{i + 1}", fail)
                            for i, raw in enumerate(events)])
    except SpecError as err:  # pragma: no cover - parse_event raises what ``fail`` builds
        raise AssertionError(str(err)) from None
