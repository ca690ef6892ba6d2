"""Results are values: verdicts, witnesses and citations, built by the engine and printed elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from model import ast
from model.money import parse_shown
from model.program import Program, Query
from model.timecodec import DAYS, TimeCodec
from model.timeline import Event, Value


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"
    DEPENDS = "depends"


@dataclass(frozen=True)
class Witness:
    """A timeline (fewest events) and values for the question's free variables."""

    events: tuple[Event, ...]
    bindings: tuple[tuple[str, str], ...]
    """Each free variable with its value as text (dates in ISO form)."""
    times: tuple[tuple[str, int], ...]
    """The free time variables, for showing statuses at those times."""

    def to_json(self, codec: TimeCodec = DAYS) -> dict[str, Any]:
        return {"events": [e.to_json(codec) for e in self.events],
                "bindings": dict(self.bindings)}


@dataclass(frozen=True)
class Citation:
    clause: str
    heading: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"clause": self.clause, "heading": self.heading, "text": self.text}


@dataclass(frozen=True)
class ReadingAnswer:
    """The verdict under one combination of the readings that the question touches."""

    readings: tuple[tuple[str, str], ...]
    verdict: Verdict
    witness: Witness | None = None
    clauses: tuple[Citation, ...] | None = None
    bound: int | None = None
    """Set when the answer holds only for timelines of at most this many events."""
    reason: str | None = None

    def to_json(self, codec: TimeCodec = DAYS) -> dict[str, Any]:
        return {
            "readings": dict(self.readings),
            "verdict": str(self.verdict),
            "witness": self.witness.to_json(codec) if self.witness else None,
            "clauses": [c.to_json() for c in self.clauses] if self.clauses is not None else None,
            "bound": self.bound,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Answer:
    """A question's verdict across readings, with each reading's own answer."""

    mode: str
    verdict: Verdict
    by_reading: tuple[ReadingAnswer, ...]
    fixed: tuple[tuple[str, str], ...] = ()
    """The readings the question itself fixes (its ``readings:``): it was answered only under
    the combinations that agree with them."""

    @property
    def clauses(self) -> tuple[str, ...]:
        """Every clause cited by any reading's answer, in first-cited order."""
        out: list[str] = []
        for r in self.by_reading:
            for c in r.clauses or ():
                if c.clause not in out:
                    out.append(c.clause)
        return tuple(out)

    def deciding_readings(self) -> list[str]:
        """The readings whose choice alone changes the verdict, others held fixed."""
        names = sorted({k for r in self.by_reading for k, _ in r.readings})
        out = []
        for name in names:
            groups: dict[tuple[tuple[str, str], ...], set[Verdict]] = {}
            for r in self.by_reading:
                rest = tuple((k, v) for k, v in r.readings if k != name)
                groups.setdefault(rest, set()).add(r.verdict)
            if any(len(v) > 1 for v in groups.values()):
                out.append(name)
        return out

    def outcomes(self) -> list[tuple[tuple[tuple[str, str], ...], ReadingAnswer]]:
        """The reading answers worth showing: one per distinct verdict over the deciding
        readings, each labelled by those readings (one, unlabelled, when all agree). The
        answer keeps its full readings, under which its witness was found."""
        if len({r.verdict for r in self.by_reading}) <= 1:
            return [((), r) for r in self.by_reading[:1]]
        deciding = self.deciding_readings() or sorted({k for r in self.by_reading
                                                       for k, _ in r.readings})
        seen: set[tuple[Verdict, tuple[tuple[str, str], ...]]] = set()
        out = []
        for r in self.by_reading:
            key = tuple((k, v) for k, v in r.readings if k in deciding)
            if (r.verdict, key) not in seen:
                seen.add((r.verdict, key))
                out.append((key, r))
        return out

    @property
    def bound(self) -> int | None:
        bounds = [r.bound for r in self.by_reading if r.bound is not None]
        return max(bounds) if bounds else None


def combine(verdicts: list[Verdict]) -> Verdict:
    """One verdict across readings: the common one, ``depends``, or ``unknown``; never folded."""
    known = {v for v in verdicts if v is not Verdict.UNKNOWN}
    if len(known) > 1:
        return Verdict.DEPENDS
    if Verdict.UNKNOWN in verdicts or not known:
        return Verdict.UNKNOWN
    return known.pop()


def witness_values(program: Program, query: Query, witness: Witness) -> dict[str, Value]:
    """The witness's values of the question's free (non-event) variables, as plain values."""
    times = dict(witness.times)
    texts = dict(witness.bindings)
    env: dict[str, Value] = {}
    for name, typ in query.free:
        match typ:
            case ast.EventT():
                continue
            case ast.TimeT():
                env[name] = times[name]
            case ast.SetT():
                inner = texts[name].strip().removeprefix("{").removesuffix("}").strip()
                env[name] = frozenset(m.strip() for m in inner.split(",")) if inner \
                    else frozenset()
            case ast.BoolT():
                env[name] = texts[name] == "true"
            case ast.IntT():
                env[name] = int(texts[name])
            case ast.AmountT() | ast.RatioT():
                env[name] = parse_shown(texts[name], typ)
            case ast.EnumT():
                env[name] = texts[name]
    return env
