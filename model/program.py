"""A checked spec: declarations resolved and every formula typed, ready for both interpreters."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from model import ast
from model.calendars import EMPTY, Calendars
from model.timecodec import DAYS, TimeCodec, parse_date
from model.timeline import Event

if TYPE_CHECKING:  # pydantic's import alone outweighs Z3's: a cached program never needs it
    from model.spec import Spec


@dataclass(frozen=True)
class Definition:
    """``name(params) := body``, owned by a clause (or by no clause: shared vocabulary)."""

    name: str
    params: tuple[tuple[str, ast.Type], ...]
    body: ast.Expr
    clause: str | None
    permission: bool = False
    """A release (:mod:`model.duties`): deleting its clause's permissions makes it false."""


@dataclass(frozen=True)
class Forbid:
    """Clause ``clause`` forbids an event ``var`` of ``kind`` when ``when`` holds."""

    var: str
    kind: str
    when: ast.Expr
    clause: str
    note: str | None = None


@dataclass(frozen=True)
class Axiom:
    """A closed formula clause ``clause`` makes true of every timeline."""

    formula: ast.Expr
    clause: str
    text: str


@dataclass(frozen=True)
class Permit:
    """Clause ``clause`` permits an event ``var`` of ``kind`` when ``when`` holds; a permitted
    act is never forbidden."""

    var: str
    kind: str
    when: ast.Expr
    clause: str


@dataclass(frozen=True)
class Obligation:
    """A duty to perform an act of ``kind`` by a deadline, of clause ``clause`` or of the
    background rule of that id (``background``); ``definition`` names the predicate of one
    time ``t`` that holds when the duty has a breach dated at or before ``t``."""

    kind: str
    clause: str
    definition: str
    trigger: tuple[str, ast.Type] | None
    deadline: ast.Expr
    background: bool = False


@dataclass(frozen=True)
class ClauseInfo:
    id: str
    heading: str
    text: str
    not_temporal: str | None
    defines: tuple[str, ...]
    forbids: tuple[Forbid, ...]
    axioms: tuple[Axiom, ...]
    obligations: tuple[Obligation, ...] = ()
    permits: tuple[Permit, ...] = ()
    releases: tuple[str, ...] = ()
    """The names of the definitions that hold this clause's releases."""


@dataclass(frozen=True)
class Query:
    """A question or an invariant: ``mode`` over ``body`` with its free variables."""

    id: str
    kind: Literal["question", "invariant"]
    text: str
    formula_text: str
    mode: Literal["can", "must"]
    free: tuple[tuple[str, ast.Type], ...]
    body: ast.Expr
    expect: Literal["yes", "no", "depends"] | None
    cites: tuple[str, ...]
    readings: tuple[tuple[str, str], ...] = ()
    """The readings the question or invariant fixes (its ``readings:``), sorted by name."""


@dataclass(frozen=True)
class StatusDef:
    id: str
    label: str
    formula: ast.Expr
    """Free variable ``t`` (the time), and ``for_var`` when set."""
    for_var: tuple[str, str] | None


@dataclass(frozen=True)
class StatusExpectation:
    at: int
    status: str
    value: bool | tuple[str, ...]
    where: tuple[str | int, ...]


@dataclass(frozen=True)
class ScenarioDef:
    id: str
    description: str
    readings: dict[str, str]
    events: tuple[Event, ...]
    expect: tuple[StatusExpectation, ...]
    breaches: tuple[tuple[str, str], ...]
    """(event id, clause), or for a missed deadline (its label, clause or background rule)."""
    missed_at: tuple[int, ...] = ()
    """The dates of the missed deadlines the scenario expects (simulated up to them)."""


@dataclass(frozen=True)
class ReadingDef:
    name: str
    question: str
    options: tuple[str, ...]
    default: str


@dataclass(frozen=True, repr=False)
class Program:
    """Everything both interpreters need, and nothing they would have to look up in YAML."""

    file: str
    spec: Spec
    horizon: tuple[int, int]
    enums: dict[str, tuple[str, ...]]
    dates: dict[str, int]
    kinds: dict[str, dict[str, ast.Type]]
    readings: dict[str, ReadingDef]
    definitions: dict[str, Definition]
    forbids: dict[str, tuple[Forbid, ...]]
    axioms: tuple[Axiom, ...]
    clauses: tuple[ClauseInfo, ...]
    statuses: tuple[StatusDef, ...]
    questions: tuple[Query, ...]
    invariants: tuple[Query, ...]
    scenarios: tuple[ScenarioDef, ...]
    codec: TimeCodec = DAYS
    """How this spec writes and counts time (days, or minutes in a zone)."""
    constants: frozenset[int] = field(default_factory=frozenset)
    """Every fixed time the spec's formulas mention (named dates and date literals)."""
    offsets: frozenset[int] = field(default_factory=frozenset)
    """Every day count the spec's formulas add to or subtract from a time."""
    obligations: tuple[Obligation, ...] = ()
    """Every duty with a deadline, of the clauses and of the background rules."""
    permits: dict[str, tuple[Permit, ...]] = field(default_factory=dict)
    """The permit rules of each event kind."""
    background: dict[str, str] = field(default_factory=dict)
    """Each background rule's id, with its source in words."""
    date_owners: dict[str, str] = field(default_factory=dict)
    """Each named date a clause defines (its ``dates:``), with that clause's id."""
    calendars: Calendars = EMPTY
    """The calendar functions over this spec's calendar range (model.calendars)."""
    agreement_id: str = ""
    """``spec.agreement.id``, and below its date and the calendars' names: what answering a
    question reads of ``spec``, kept apart so that a cached program (model.speccache) answers
    without building pydantic's models."""
    agreement_date: str = ""
    calendar_names: tuple[str, ...] = ()

    def __repr__(self) -> str:  # the whole program runs to hundreds of kilobytes
        return f"Program({self.file!r})"

    @property
    def name(self) -> str:
        return self.agreement_id

    def clause(self, clause_id: str) -> ClauseInfo:
        for info in self.clauses:
            if info.id == clause_id:
                return info
        raise KeyError(clause_id)

    def codec_day(self, text: str) -> date:
        """A calendar day written in the spec (such as the agreement's date)."""
        return parse_date(text)

    def reachable(self, exprs: Iterable[ast.Expr], *,
                  with_axioms: bool = True) -> Iterator[ast.Expr]:
        """Every node the formulas can reach, with the spec's assumptions, through the
        definitions they call and (for ``forbidden``) every forbid rule; each definition once."""
        seen: set[str] = set()
        roots: list[ast.Expr] = [*exprs, *(a.formula for a in self.axioms if with_axioms)]
        while roots:
            for node in ast.walk(roots.pop()):
                yield node
                if isinstance(node, ast.Call) and node.pred not in seen:
                    seen.add(node.pred)
                    roots.append(self.definitions[node.pred].body)
                elif isinstance(node, ast.Forbidden) and "forbidden" not in seen:
                    seen.add("forbidden")
                    roots.extend(f.when for fs in self.forbids.values() for f in fs)
                    roots.extend(p.when for ps in self.permits.values() for p in ps)

    def time_fields(self, kind: str) -> tuple[str, ...]:
        """The fields of an event kind that hold a time (shown as dates)."""
        return tuple(n for n, t in self.kinds.get(kind, {}).items() if isinstance(t, ast.TimeT))

    def percent_fields(self, kind: str) -> tuple[str, ...]:
        """The fields of an event kind declared ``percent`` (ratios shown as percentages)."""
        decl = self.spec.events.get(kind)
        return () if decl is None else tuple(
            n for n, text in decl.fields.items() if text.replace(" ", "") == "percent")

    def default_readings(self) -> dict[str, str]:
        return {name: r.default for name, r in self.readings.items()}
