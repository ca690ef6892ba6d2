"""Events that refer to events: the checks a timeline's references must pass.

A field whose type is an event kind holds a :class:`~model.timeline.Ref`, the id of an
event of that kind in the same timeline, dated at or before the referring event
(docs/semantics.md, "Events that refer to events"). Both interpreters rely on this:
the concrete model looks the id up, and the prover's reference is a slot index with the
same constraints, so a timeline that breaks them is refused where it is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from model import ast
from model.checker import suggest
from model.timecodec import TimeCodec
from model.timeline import Event, Ref


def reference_fields(kinds: Mapping[str, Mapping[str, ast.Type]], kind: str) -> list[tuple[str, str]]:
    """``(field, referenced kind)`` for each reference field of ``kind``."""
    return [(f, t.kind) for f, t in kinds[kind].items() if isinstance(t, ast.EventT)]


def check_references(kinds: Mapping[str, Mapping[str, ast.Type]], codec: TimeCodec,
                     events: Sequence[Event], fail: Any) -> None:
    """Refuse a reference to an unknown id, to an event of another kind, to itself, or to a
    later event.
    ``fail(index, field, message)`` builds the error for event ``index``'s field."""

    by_id = {e.id: e for e in events}
    for i, event in enumerate(events):
        for fname, target in reference_fields(kinds, event.kind):
            ref = event.field(fname)
            assert isinstance(ref, Ref)
            other = by_id.get(ref.id)
            if other is None:
                raise fail(i, fname, f"unknown event {ref.id!r}{suggest(ref.id, by_id)}")
            if other.kind != target:
                raise fail(i, fname, f"{ref.id!r} is an event of kind {other.kind}, but field "
                           f"{fname!r} refers to {_a(target)}")
            if other is event:
                raise fail(i, fname, f"{ref.id!r} refers to itself; an event refers to another "
                           "event")
            if other.date > event.date:
                raise fail(i, fname, f"{event.id!r} ({codec.iso(event.date)}) refers to "
                           f"{ref.id!r}, dated later ({codec.iso(other.date)}); an event can "
                           "only refer to an event at or before its date")


def _a(kind: str) -> str:
    return f"an {kind}" if kind[:1].lower() in "aeiou" else f"a {kind}"


def closed_counts(kinds: Mapping[str, Mapping[str, ast.Type]],
                  counts: Mapping[str, int]) -> tuple[dict[str, int], list[str] | None]:
    """Event slots per kind once every counted event brings the events it refers to
    (transitively), and the cycle of references met on the way, if any (then the counts
    are not a bound: see docs/semantics.md, "Events that refer to events")."""
    out = {k: n for k, n in counts.items() if n}
    reached: list[str] = []
    state: dict[str, int] = {}
    cycle: list[str] | None = None

    def visit(kind: str, path: list[str]) -> None:
        nonlocal cycle
        state[kind] = 1
        for _, target in reference_fields(kinds, kind):
            if state.get(target) == 1 and cycle is None:
                cycle = [*path[path.index(target):], kind, target] if target in path \
                    else [kind, target]
            elif target not in state:
                visit(target, [*path, kind])
        state[kind] = 2
        reached.append(kind)  # after every kind it refers to

    for kind in sorted(out):
        if kind not in state:
            visit(kind, [])
    if cycle is None:
        for kind in reversed(reached):  # a referring kind before the kinds it refers to
            for _, target in reference_fields(kinds, kind):
                out[target] = out.get(target, 0) + out.get(kind, 0)
    return out, cycle
