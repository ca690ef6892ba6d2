"""Questions built by pointing: a status or predicate, a day, a premise, turned into a formula.

The explorer never asks the engine anything a user could not type to ``clausecheck
ask``: a built question is formula text, checked as ``ask`` checks any other, and shown
to the user on request so that it can be pasted into the spec. A typed formula (or a
question's id) is read by ``ask``'s own reader and fails with the same
``<question>:LINE:COL: error: …`` message, guidance and all.

>>> from model.load import load_spec
>>> program = load_spec("specs/waiver.yaml")  # doctest: +SKIP
>>> build(program, Build(subject="in_force", day="2003-08-12"), []).formula  # doctest: +SKIP
'can in_force(2003-08-12)'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from model import ast
from model.duties import is_synthetic
from model.money import formula_literal
from model.program import Program, Query, StatusDef
from model.timeline import Event, Value

from ..asking import resolve
from .words import count, long_date

_DEFINE_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Build(BaseModel):
    """What the question builder's form sends: every choice a person made by pointing."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    mode: Literal["can", "must"] = "can"
    """``can``: is there a timeline where it happens; ``must``: does it happen on every one."""
    subject: str = Field(min_length=1, max_length=200)
    """A status id or a defined predicate's name."""
    kind: Literal["status", "predicate"] | None = None
    """Which of the two ``subject`` names (a status and a predicate may share a name);
    unset: the status if there is one."""
    value: bool = True
    """Whether the status should be yes (or list something), or no (or list nothing)."""
    day: str = Field(default="some", max_length=40)
    """A date (``YYYY-MM-DD``, or with a time for a spec in minutes), ``some`` or ``every``."""
    premise: Literal["none", "these", "only"] = "none"
    """Whatever else happens; given the timeline's events; given them and no others."""


@dataclass(frozen=True)
class Built:
    """A built question: its formula (as ``ask`` takes it) and the same question in words."""

    formula: str
    sentence: str


@dataclass(frozen=True)
class Subject:
    """A thing a question can be about: a declared status or a defined predicate."""

    id: str
    kind: Literal["status", "predicate"]
    label: str
    note: str
    clause: str | None
    has_time: bool
    listing: bool
    """A status that lists events (``for: d: Kind``) rather than saying yes or no."""


def predicate_notes(program: Program) -> dict[str, str]:
    """Each defined predicate's plain-English note, from the spec as written."""
    notes: dict[str, str] = {}
    defines = [(d.define, d.note) for d in program.spec.definitions]
    defines += [(r.define, r.note) for c in program.spec.clauses for r in c.rules
                if hasattr(r, "define")]
    for text, note in defines:
        match = _DEFINE_NAME.match(text)
        if match and note:
            notes[match.group(1)] = note
    return notes


def subjects(program: Program) -> list[Subject]:
    """The spec's vocabulary a question can point at: statuses first, then predicates."""
    out = [Subject(s.id, "status", s.label, "", None, True, s.for_var is not None)
           for s in program.statuses]
    notes = predicate_notes(program)
    for name, d in program.definitions.items():
        if not askable(program, d.params) or is_synthetic(name):
            continue
        has_time = any(isinstance(t, ast.TimeT) for _, t in d.params)
        out.append(Subject(name, "predicate", name, notes.get(name, ""), d.clause, has_time,
                           False))
    return out


def status_of(program: Program, sid: str) -> StatusDef | None:
    return next((s for s in program.statuses if s.id == sid), None)


def check(program: Program, text: str) -> tuple[Program, Query]:
    """A typed question (or a question's id) read exactly as ``ask`` reads it
    (:func:`formal.asking.resolve`): the same answers, and the same errors, caret, guidance
    and all."""
    extended, query, _ = resolve(program, program.file, text.strip())
    return extended, query


# ---------------------------------------------------------------- formula text


def literal(program: Program, value: Value, typ: ast.Type) -> str:
    """A field value as the formula language writes it."""
    if isinstance(typ, ast.TimeT) and isinstance(value, int):
        return program.codec.iso(value)
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(typ, ast.AmountT | ast.RatioT) and isinstance(value, Fraction):
        return formula_literal(value, typ)
    return str(value).lower() if isinstance(value, bool) else str(value)


def describe(program: Program, event: Event, var: str, events: Sequence[Event] = (),
             seen: frozenset[str] = frozenset()) -> str:
    """``e1.date = 2003-07-15 and e1.by = lender and …``: this event and no other value; a
    reference field by the values of the event it names (``e2.default.date = …``)."""
    parts = [f"{var}.date = {program.codec.iso(event.date)}"]
    for name, value in event.fields:
        typ = program.kinds[event.kind][name]
        if isinstance(typ, ast.EventT):
            target = next((e for e in events if e.id == str(value)), None)
            if target is not None and target.id not in seen:
                parts.append(describe(program, target, f"{var}.{name}", events,
                                      seen | {event.id}))
        elif isinstance(typ, ast.BoolT):
            parts.append(f"{var}.{name}" if value else f"not {var}.{name}")
        else:
            parts.append(f"{var}.{name} = {literal(program, value, typ)}")
    return " and ".join(parts)


def fresh(base: str, taken: set[str]) -> str:
    name = base
    while name in taken:
        name += "_"
    taken.add(name)
    return name


def premise(program: Program, events: Sequence[Event], only: bool, taken: set[str]) -> list[str]:
    """The events as conditions: each one happens (and, with ``only``, nothing else does)."""
    parts = []
    for i, event in enumerate(events):
        var = fresh(f"e{i + 1}", taken)
        parts.append(f"(exists {var}: {event.kind}. {describe(program, event, var, events)})")
    if only:
        var = fresh("x", taken)
        for kind in program.kinds:
            listed = [e for e in events if e.kind == kind]
            if listed:
                body = " or ".join(f"({describe(program, e, var, events)})" for e in listed)
                parts.append(f"(forall {var}: {kind}. {body})")
            else:
                parts.append(f"not (exists {var}: {kind}. true)")
    return parts


def _binds_t(expr: ast.Expr) -> bool:
    return any(isinstance(n, ast.Quant) and n.var == "t" for n in ast.walk(expr))


def at_day(text: str, day: str, binds_t: bool) -> str:
    """``text`` with its free time ``t`` replaced by the literal ``day``."""
    if binds_t:  # a quantifier inside rebinds t: say it with an equation instead
        return f"(exists t: time. t = {day} and ({text}))"
    return re.sub(r"(?<![\w.])t(?![\w])(?!\s*[:(])", day, text)


def binding(program: Program, name: str, typ: ast.Type) -> tuple[str, str] | None:
    """How a question binds a predicate's parameter that ``ask`` will not leave free: the
    kind to quantify over, and the argument (the event, or one of its fields of that type)."""
    if isinstance(typ, ast.EventT):
        return typ.kind, name
    for kind, fields in program.kinds.items():
        for field, ftype in fields.items():
            if ftype == typ:
                return kind, f"{name}.{field}"
    return None


def askable(program: Program, params: Sequence[tuple[str, ast.Type]]) -> bool:
    return all(isinstance(t, ast.TimeT | ast.IntT) or binding(program, n, t) is not None
               for n, t in params)


def subject_text(program: Program, request: Build,
                 taken: set[str]) -> tuple[str, bool, list[tuple[str, str]]]:
    """The subject's formula with its time ``t`` free; whether ``t`` is a quantifier's; and
    the events its other parameters are bound to (variable and kind)."""
    status = status_of(program, request.subject) if request.kind != "predicate" else None
    if status is not None:
        text = program.spec.statuses[program.statuses.index(status)].formula
        binds = _binds_t(status.formula)
        if status.for_var is not None:
            var, kind = status.for_var
            text = f"exists {var}: {kind}. ({text})"
        return text, binds, []
    definition = program.definitions.get(request.subject) if request.kind != "status" \
        and not is_synthetic(request.subject) else None
    if definition is None or not askable(program, definition.params):
        known = ", ".join([s.id for s in program.statuses] + [
            n for n, d in program.definitions.items() if askable(program, d.params)
            and not is_synthetic(n)])
        raise ValueError(f"{request.subject!r} is neither a status nor a predicate a question "
                         f"can point at (they are: {known})")
    times = [n for n, t in definition.params if isinstance(t, ast.TimeT)]
    args, bound = [], []
    for name, typ in definition.params:
        if times and name == times[-1]:
            args.append("t")
            continue
        var = fresh(name if name != "t" else "t0", taken)
        found = binding(program, var, typ)
        if found is None:  # a time or a number: free, bound by the question
            args.append(var)
        else:
            bound.append((var, found[0]))
            args.append(found[1])
    return f"{request.subject}({', '.join(args)})" if args else request.subject, False, bound


def build(program: Program, request: Build, events: Sequence[Event]) -> Built:
    """The formula of a built question, and the question in words."""
    taken = {"t"}
    text, binds, bound = subject_text(program, request, taken)
    taken |= set(_WORD.findall(text))
    body = text if request.value else f"not ({text})"
    quant = "exists" if request.mode == "can" else "forall"
    for var, kind in reversed(bound):
        body = f"{quant} {var}: {kind}. {body}"
    has_time = binds or re.search(r"(?<![\w.])t(?![\w])", text) is not None
    day_words = ""
    if has_time:
        if request.day not in ("some", "every"):
            try:
                when = program.codec.parse(request.day)
            except ValueError as exc:
                raise ValueError(f"the day: {exc}") from None
            body = at_day(body, program.codec.iso(when), binds)
            day_words = f" on {long_date(program.codec, when)}"
        else:
            wanted = "some" if request.mode == "can" else "every"
            if request.day != wanted:
                quant = "exists" if request.day == "some" else "forall"
                body = f"{quant} t: time. ({body})"
            day_words = f" on {request.day} day"
    conditions = premise(program, events, request.premise == "only", taken) \
        if request.premise != "none" else []
    if not conditions:
        formula = f"{request.mode} {body}"
    elif request.mode == "can":
        formula = f"can {' and '.join(conditions)} and ({body})"
    else:
        formula = f"must ({' and '.join(conditions)}) implies ({body})"
    some = "some" if request.mode == "can" else "every"
    with_words = "".join(f", for {some} {kind} {var}" for var, kind in bound)
    return Built(formula, sentence(program, request, len(events), with_words + day_words))


def sentence(program: Program, request: Build, events: int, day_words: str) -> str:
    """``Can “Waiver in force” be yes on July 20, 2003, given the 1 event on the timeline?``"""
    status = status_of(program, request.subject) if request.kind != "predicate" else None
    if status is None:
        what = f"“{request.subject}” {'hold' if request.value else 'fail'}"
    elif status.for_var is not None:
        what = f"“{status.label}” {'list some event' if request.value else 'list nothing'}"
    else:
        what = f"“{status.label}” be {'yes' if request.value else 'no'}"
    given = {"none": "",
             "these": f", given the {count(events, 'event')} on the timeline",
             "only": f", given the {count(events, 'event')} on the timeline and no others"}
    return f"{request.mode.capitalize()} {what}{day_words}{given[request.premise]}?"
