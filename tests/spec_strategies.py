"""Hypothesis strategies over any spec: random timelines, readings and questions.

Everything is drawn from the spec's own vocabulary (its event kinds and fields,
enumerations, named dates, readings and definitions), so the same strategies
run on every spec in ``specs/``. Dates cluster at and around the spec's own
dates, where truth changes.

A random question is text in the formula language, fully parenthesised, that
:func:`model.load.check_question` accepts: it mixes the spec's predicates,
``forbidden``, comparisons of times, enumeration values and sets, readings,
every connective, and quantifiers over events and times. At most
:data:`TIME_VARIABLES` time variables (free or bound), day offsets only beside
a single one, and no bound time variable in a spec whose own offsets already
make many breakpoints keep both interpreters quick: each time variable that
is expanded over its breakpoints multiplies the size of the formula.
Free ones are bound by the question (some value for ``can``, every value for
``must``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import hypothesis.strategies as st
import spec_money

from model import ast
from model.duties import is_synthetic
from model.errors import FormulaError
from model.load import check_question, vocabulary
from model.program import Program
from model.timeline import Event, Ref, Timeline


def offset_deltas(offsets: Iterable[int]) -> set[int]:
    """Every difference two of a spec's offsets make: how many times each known time spreads to."""
    signed = {o for k in offsets for o in (k, -k)} | {0}
    return {a - b for a in signed for b in signed}


def sample_times(program: Program, timeline: Timeline) -> list[int]:
    """Times at which to compare the two interpreters: the spec's and the timeline's times, each
    moved by every offset difference and by one unit, within the horizon."""
    lo, hi = program.horizon
    known = set(program.constants)
    for event in timeline.events:
        known.add(event.date)
        known.update(v for _, v in event.fields if isinstance(v, int) and not isinstance(v, bool))
    out = {lo, hi}
    for x in known:
        for c in offset_deltas(program.offsets):
            out.update(min(hi, max(lo, x + c + step)) for step in (-1, 0, 1))
    return sorted(out)


TIME_VARIABLES = 2
"""Time variables per random question: each multiplies the breakpoints to expand over."""
MAX_DEPTH = 3
CMP_OPS = ("=", "!=", "<", "<=", ">", ">=")


def near_dates(program: Program) -> st.SearchStrategy[int]:
    """Times at, just around, and between the spec's own times: where truth changes.

    "Just around" is one unit (a day, or a minute) and one day either side.
    """
    anchors = sorted(program.constants) or [program.horizon[0]]
    lo, hi = program.horizon
    day = program.codec.per_day
    steps = sorted({-day, -1, 1, day})
    return st.one_of(
        st.sampled_from(anchors),
        st.sampled_from(anchors).flatmap(lambda d: st.sampled_from([d + s for s in steps])),
        st.sampled_from(anchors).flatmap(lambda d: st.integers(d - 3, d + 3)),
        st.integers(anchors[0] - 60 * day, anchors[-1] + 60 * day),
    ).map(lambda d: min(hi, max(lo, d)))


@st.composite
def value_of(draw: st.DrawFn, typ: ast.Type, program: Program) -> Any:
    """A plain value of a (non-event) type, as the concrete model holds it."""
    match typ:
        case ast.BoolT():
            return draw(st.booleans())
        case ast.IntT():
            return draw(st.integers(-40, 40))
        case ast.TimeT():
            return draw(near_dates(program))
        case ast.EnumT(name=enum):
            return draw(st.sampled_from(program.enums[enum]))
        case ast.SetT(elem=elem):
            return frozenset(draw(st.sets(st.sampled_from(program.enums[elem.name]))))
        case ast.AmountT() | ast.RatioT():
            return draw(st.sampled_from(spec_money.values(typ) or []))
    raise TypeError(typ)


@st.composite
def timelines(draw: st.DrawFn, program: Program, max_events: int = 5) -> Timeline:
    """A timeline of up to ``max_events`` events of any kinds, dated near the spec's dates."""
    kinds = sorted(program.kinds)
    events = []
    for i in range(draw(st.integers(0, max_events))):
        kind = draw(st.sampled_from(kinds))
        fields = tuple((name, None if isinstance(ftype, ast.EventT)
                        else draw(value_of(ftype, program)))
                       for name, ftype in program.kinds[kind].items())
        events.append(Event(f"e{i + 1}", kind, draw(near_dates(program)), fields))
    return Timeline.of(draw(_referring(program, events)))


@st.composite
def _referring(draw: st.DrawFn, program: Program, events: list[Event]) -> list[Event]:
    """``events`` with each reference field (left ``None``) set to an event of its kind dated
    at or before its own; an event whose reference has no such target is left out."""
    kept: list[Event] = []
    for e in sorted(events, key=lambda e: e.date):
        fields = []
        for name, value in e.fields:
            ftype = program.kinds[e.kind][name]
            if isinstance(ftype, ast.EventT):
                targets = [o.id for o in kept if o.kind == ftype.kind and o.date <= e.date]
                if not targets:
                    break
                value = Ref(draw(st.sampled_from(targets)))
            fields.append((name, value))
        else:
            kept.append(Event(e.id, e.kind, e.date, tuple(fields)))
    return kept


@st.composite
def readings(draw: st.DrawFn, program: Program) -> dict[str, str]:
    """One option for every reading of the spec."""
    return {name: draw(st.sampled_from(r.options)) for name, r in program.readings.items()}


# ---------------------------------------------------------------- random questions


@dataclass
class _Scope:
    """The variables a subformula may use: bound events (name, kind) and bound times."""

    events: list[tuple[str, str]] = field(default_factory=list)
    times: list[str] = field(default_factory=list)

    def with_event(self, name: str, kind: str) -> _Scope:
        return _Scope([*self.events, (name, kind)], list(self.times))

    def with_time(self, name: str) -> _Scope:
        return _Scope(list(self.events), [*self.times, name])


class _Formulas:
    """Draws one well-typed formula over a spec's vocabulary (see the module docstring)."""

    def __init__(self, draw: st.DrawFn, program: Program) -> None:
        self.draw = draw
        self.program = program
        self.taken = set(vocabulary(program).names())
        self.count = 0
        # Two time variables nest two expansions over breakpoints; that stays quick
        # only when no day offset multiplies those times, so offsets come with one variable.
        # A spec whose own offsets already make many breakpoints gets no bound time
        # quantifier at all: its free time variable is checked point by point instead.
        few_deltas = len(offset_deltas(program.offsets)) <= 1
        two = few_deltas and draw(st.booleans())
        self.time_budget = TIME_VARIABLES if two else 1
        self.offsets_allowed = not two
        self.bound_times = len(offset_deltas(program.offsets)) <= 5
        self.free: list[str] = []

    def fresh(self, prefix: str) -> str:
        while True:
            self.count += 1
            name = f"{prefix}{self.count}"
            if name not in self.taken:
                return name

    def pick(self, options: list[Any] | tuple[Any, ...]) -> Any:
        return self.draw(st.sampled_from(list(options)))

    # ------------------------------------------------------------ formulas

    def formula(self, depth: int, scope: _Scope) -> str:
        if depth <= 0 or self.draw(st.integers(0, 3)) == 0:
            return self.atom(scope)
        op = self.pick(["not", "and", "or", "implies", "iff", "ite", "exists-event",
                        "forall-event", "exists-time", "forall-time"])
        match op:
            case "not":
                return f"(not {self.formula(depth - 1, scope)})"
            case "and" | "or" | "implies" | "iff":
                return (f"({self.formula(depth - 1, scope)} {op} "
                        f"{self.formula(depth - 1, scope)})")
            case "ite":
                return (f"(if {self.formula(depth - 1, scope)} then "
                        f"{self.formula(depth - 1, scope)} else {self.formula(depth - 1, scope)})")
            case "exists-event" | "forall-event":
                kind = self.pick(sorted(self.program.kinds))
                var = self.fresh("e")
                body = self.formula(depth - 1, scope.with_event(var, kind))
                return f"({op.split('-')[0]} {var}: {kind}. {body})"
            case _:
                if self.time_budget <= 0 or not self.bound_times:
                    return self.atom(scope)
                self.time_budget -= 1
                var = self.fresh("s")
                body = self.formula(depth - 1, scope.with_time(var))
                return f"({op.split('-')[0]} {var}: time. {body})"

    def atom(self, scope: _Scope) -> str:
        """One atomic formula; event arguments with no variable in scope get their own binder."""
        binders: list[tuple[str, str]] = []
        options = ["time", "time", "int", "bool"]
        if any(not is_synthetic(n) for n in self.program.definitions):
            options += ["call"] * 4
        if self.program.enums:
            typed = [self.fields_of(scope, t) for t in self.value_types()]
            options += ["enum", "in", "set"] * (2 if any(typed) else 1)
        if self.program.readings:
            options.append("reading")
        if self.program.kinds:
            options.append("forbidden")
        kinds_in_scope = [k for _, k in scope.events]
        if any(kinds_in_scope.count(k) > 1 for k in kinds_in_scope):
            options.append("same-event")
        kind = self.pick(options)
        match kind:
            case "call":
                name = self.pick(sorted(n for n in self.program.definitions
                                        if not is_synthetic(n)))
                params = self.program.definitions[name].params
                args = [self.term(t, scope, binders) for _, t in params]
                text = f"{name}({', '.join(args)})"
            case "time":
                text = (f"({self.time(scope, binders)} {self.pick(CMP_OPS)} "
                        f"{self.time(scope, binders)})")
            case "int":
                text = (f"(({self.time(scope, binders)} - {self.time(scope, binders)}) "
                        f"{self.pick(CMP_OPS)} {self.pick([0, 1, 2])})")
            case "enum":
                enum = self.pick_enum(scope)
                text = (f"({self.enum(enum, scope, binders)} {self.pick(['=', '!='])} "
                        f"{self.enum(enum, scope, binders)})")
            case "in":
                enum = self.pick_enum(scope)
                text = f"({self.enum(enum, scope, binders)} in {self.set(enum, scope, binders)})"
            case "set":
                enum = self.pick_enum(scope)
                op = self.pick(["subset", "=", "!="])
                text = f"({self.set(enum, scope, binders)} {op} {self.set(enum, scope, binders)})"
            case "reading":
                name = self.pick(sorted(self.program.readings))
                text = f"(reading {name} is {self.pick(self.program.readings[name].options)})"
            case "forbidden":
                forbidding = sorted(self.program.forbids) or sorted(self.program.kinds)
                text = f"forbidden({self.event(self.pick(forbidding), scope, binders)})"
            case "same-event":
                kind_ = self.pick([k for k in kinds_in_scope if kinds_in_scope.count(k) > 1])
                a, b = [v for v, k in scope.events if k == kind_][-2:]
                text = f"({a} {self.pick(['=', '!='])} {b})"
            case _:
                text = self.pick(["true", "false"])
        for var, kind_ in reversed(binders):
            text = f"({self.pick(['exists', 'forall'])} {var}: {kind_}. {text})"
        return text

    # ------------------------------------------------------------ terms

    def term(self, typ: ast.Type, scope: _Scope, binders: list[tuple[str, str]]) -> str:
        match typ:
            case ast.TimeT():
                return self.time(scope, binders)
            case ast.IntT():
                return f"({self.time(scope, binders)} - {self.time(scope, binders)})"
            case ast.BoolT():
                return self.pick(["true", "false"])
            case ast.EnumT(name=enum):
                return self.enum(enum, scope, binders)
            case ast.SetT(elem=elem):
                return self.set(elem.name, scope, binders, empty=True)
            case ast.EventT(kind=kind):
                return self.event(kind, scope, binders)
            case ast.AmountT(currency=currency):
                return self.pick([f"{currency} 0", f"{currency} 2"])
            case ast.RatioT():
                return self.pick(["1:1", "150%"])
        raise TypeError(typ)

    def event(self, kind: str, scope: _Scope, binders: list[tuple[str, str]]) -> str:
        """A variable for an event of ``kind``: one in scope, or a new one bound around the atom."""
        known = [v for v, k in scope.events if k == kind] + [v for v, k in binders if k == kind]
        if known and self.draw(st.booleans()):
            return str(self.pick(known))
        var = self.fresh("e")
        binders.append((var, kind))
        return var

    def pick_enum(self, scope: _Scope) -> str:
        """An enumeration, often one that a field of an event in scope has (as value or set)."""
        in_scope = sorted({e for e in self.program.enums for t in (ast.EnumT(e), ast.SetT(ast.EnumT(e)))
                           if self.fields_of(scope, t)})
        if in_scope and self.draw(st.booleans()):
            return str(self.pick(in_scope))
        return str(self.pick(sorted(self.program.enums)))

    def value_types(self) -> list[ast.Type]:
        """The enumeration and set types of the spec's event fields."""
        return [t for fields in self.program.kinds.values() for t in fields.values()
                if isinstance(t, ast.EnumT | ast.SetT)]

    def fields_of(self, scope: _Scope, want: ast.Type) -> list[str]:
        return [f"{var}.{name}" for var, kind in scope.events
                for name, ftype in self.program.kinds[kind].items() if ftype == want]

    def time(self, scope: _Scope, binders: list[tuple[str, str]]) -> str:
        program = self.program
        options: list[str] = [*scope.times, *self.free, *program.dates]
        options += [f"{var}.date" for var, _ in scope.events]
        options += self.fields_of(scope, ast.TIME)
        anchors = sorted(program.constants) or [program.horizon[0]]
        literal = self.pick(anchors) + self.pick([0, 0, -1, 1, -program.codec.per_day])
        options.append(program.codec.iso(min(program.horizon[1], max(program.horizon[0], literal))))
        if self.time_budget > 0:
            options.append("<free>")
        choice = self.pick(options)
        if choice == "<free>":
            self.time_budget -= 1
            choice = self.fresh("t")
            self.free.append(choice)
        if self.offsets_allowed and self.draw(st.integers(0, 5)) == 0:
            offsets = sorted({1, *(o for o in program.offsets if o > 0)})
            choice = f"({choice} {self.pick(['+', '-'])} {self.pick(offsets)})"
        return str(choice)

    def enum(self, enum: str, scope: _Scope, binders: list[tuple[str, str]]) -> str:
        options = list(self.program.enums[enum]) + self.fields_of(scope, ast.EnumT(enum))
        return str(self.pick(options))

    def set(self, enum: str, scope: _Scope, binders: list[tuple[str, str]],
            empty: bool = False) -> str:
        fields = self.fields_of(scope, ast.SetT(ast.EnumT(enum)))
        if fields and self.draw(st.booleans()):
            return str(self.pick(fields))
        members = self.draw(st.lists(st.sampled_from(self.program.enums[enum]), unique=True,
                                     min_size=0 if empty else 1))
        return "{" + ", ".join(members) + "}"


_UNTYPED = re.compile(r"cannot tell the type of '([A-Za-z_][A-Za-z0-9_]*)'")


@st.composite
def questions(draw: st.DrawFn, program: Program) -> str:
    """The text of a random ``can …`` or ``must …`` question that the spec's checker accepts."""
    gen = _Formulas(draw, program)
    body = gen.formula(MAX_DEPTH, _Scope())
    mode = draw(st.sampled_from(["can", "must"]))
    for _ in range(TIME_VARIABLES + 1):
        text = f"{mode} {body}"
        try:
            check_question(program, text)
            return text
        except FormulaError as err:
            untyped = _UNTYPED.search(err.message)
            if untyped is None:
                raise AssertionError(f"the question generator wrote {text!r}: {err.message}") \
                    from None
            # A free variable used only beside other free ones: bind it, keeping it a time.
            body = f"(exists {untyped.group(1)}: time. {body})"
    raise AssertionError(f"the question generator wrote {text!r}")
