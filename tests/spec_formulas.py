"""The formula generator of the random specs (``spec_gen.py``): well-typed formula text over a
drawn vocabulary.

It aims at the shapes that break a critical-time reduction: offsets that are constants,
int variables, int fields or event dates (``t = e.date + 2``, ``t != d1 + n1``),
differences of times compared with each other (``t - a.date != b.date - t``, a time with
coefficient 2), time quantifiers nested in time quantifiers, event quantifiers inside
time quantifiers and the other way round, ``forbidden(e)``, ``reading R is O``,
``if … then … else``, ``now`` and hindsight (``seen from U: φ``). In a formula judged at a
time (a status, a forbid rule, a definition) every event quantifier is bounded by that
time or by ``now`` (docs/semantics.md, "Look-ahead is refused"), unless the vocabulary
asks for some that peek.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import hypothesis.strategies as st
import spec_money

START = date(2000, 1, 1)
MIN_DAYS, MAX_DAYS = 16, 24
"""The horizon: long enough that a spec's few dates and offsets leave days uncovered by
a critical-time reduction, short enough to try every day."""
CMP = ("=", "!=", "<", "<=", ">", ">=")
POINT_CMP = ("=", "!=", "!=", "=", "<", ">=")
"""Comparisons beside a bound time, weighted to the ones true or false at a single day."""
NEST = 2
"""Time quantifiers nested in a formula, counting those inside the definitions it calls and
the question's free times (the reference tries every day for each level)."""
FORBID_NEST = 1
"""Nesting allowed in a forbid rule, so ``forbidden(e)`` counts as that much."""
DUTY_NEST = 1
"""``missed(K, t)`` counts as one level: a duty for each time is a time quantifier."""
ENUM_NAMES = (("E1", ("a1", "a2", "a3")), ("E2", ("b1", "b2", "b3")))
KIND_NAMES = ("Ka", "Kb", "Kc")


def iso(day: int) -> str:
    """Day ``day`` of the horizon (0 is its first day) as a date literal."""
    return (START + timedelta(days=day)).isoformat()


@dataclass
class Vocab:
    """What a spec declares, as the formula generator needs it."""

    days: int
    enums: dict[str, tuple[str, ...]]
    dates: dict[str, int]
    kinds: dict[str, dict[str, str]]
    """Each kind's fields with their types as written: ``E1``, ``set[E1]``, ``int``, ``time``."""
    readings: dict[str, tuple[str, ...]]
    preds: list[Pred] = field(default_factory=list)
    """Definitions so far, in order (a definition calls only earlier ones)."""
    forbidden_kinds: tuple[str, ...] = ()
    obliged_kinds: tuple[str, ...] = ()
    """Kinds some obligation makes due: ``missed(K, t)`` may name them (spec_duties.py)."""
    calendar: int = 0
    """Nonzero: the spec declares the calendar ``bank`` (NYSE) and this ``fiscal_year_start``,
    and formulas call the calendar functions (docs/spec-language.md, "Calendars")."""
    peek: bool = False
    """Leave one event quantifier in four of a judged formula unbounded, so that it may see
    later events: such a spec must be refused at load (or mean the same to both sides)."""


@dataclass(frozen=True)
class Pred:
    """A drawn definition: its parameters (name, type text), whether it asks ``forbidden``, and
    how deeply it nests time quantifiers."""

    name: str
    params: tuple[tuple[str, str], ...]
    asks_forbidden: bool
    depth: int
    anchor: int | None = None
    """The time parameter that bounds its event quantifiers (``e.date <= x``); a caller
    judged at a time passes a time not after it there. None: they are bounded by ``now``."""


@dataclass
class Scope:
    """The variables a subformula may use, by type."""

    times: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    events: tuple[tuple[str, str], ...] = ()
    enums: tuple[tuple[str, str], ...] = ()
    bools: tuple[str, ...] = ()
    inner: str | None = None
    """The innermost time bound by a quantifier: atoms often compare it (see ``pivot``)."""

    def plus(self, **more: tuple[object, ...]) -> Scope:
        return Scope(**{k: (*getattr(self, k), *more.get(k, ())) for k in  # type: ignore[arg-type]
                        ("times", "ints", "events", "enums", "bools")}, inner=self.inner)

    def bound(self, var: str) -> Scope:
        out = self.plus(times=(var,))
        out.inner = var
        return out


class Formulas:
    """Draws well-typed formulas over a :class:`Vocab` (see the module docstring)."""

    def __init__(self, draw: st.DrawFn, vocab: Vocab, *, calls: bool = True,
                 forbidden: bool = True, nest: int = NEST, judged: str | None = None,
                 missed: bool = True) -> None:
        self.draw = draw
        self.judged_at = judged
        """In a formula judged at a time (a status, a forbid rule, a definition), the time
        every event quantifier is bounded by, so that it never sees a later event (the
        look-ahead rule of docs/semantics.md); None in questions and assumptions."""
        self.vocab = vocab
        self.calls = calls
        self.forbidden = forbidden
        self.missed = missed
        """Whether ``missed(K, t)`` may appear (not in the duties' own formulas, which would
        make a duty depend on itself)."""
        self.limit = nest
        self.nest = 0
        self.deepest = 0
        self.count = 0
        self.used_forbidden = False

    def reach(self, depth: int) -> None:
        self.deepest = max(self.deepest, self.nest + depth)

    def pick(self, options: list[str] | tuple[str, ...]) -> str:
        return str(self.draw(st.sampled_from(list(options))))

    def chance(self, n: int) -> bool:
        """True one time in ``n``."""
        return self.draw(st.integers(0, n - 1)) == 0

    def fresh(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    # ------------------------------------------------------------ formulas

    def formula(self, depth: int, scope: Scope) -> str:
        if depth <= 0 or self.chance(3):
            return self.atom(scope)
        op = self.pick(["not", "and", "or", "implies", "iff", "ite", "exists-event",
                        "forall-event", "and", "or", *(["exists-time", "forall-time"] * 2),
                        "seen", "exists-bool", "forall-bool"])
        match op:
            case "seen":  # hindsight: judged from another time (docs/semantics.md)
                return f"(seen from {self.time(scope)}: {self.formula(depth - 1, scope)})"
            case "not":
                return f"(not {self.formula(depth - 1, scope)})"
            case "and" | "or" | "implies" | "iff":
                return f"({self.formula(depth - 1, scope)} {op} {self.formula(depth - 1, scope)})"
            case "ite":
                return (f"(if {self.formula(depth - 1, scope)} then {self.formula(depth - 1, scope)}"
                        f" else {self.formula(depth - 1, scope)})")
            case "exists-bool" | "forall-bool":  # over false and true (docs/semantics.md)
                var = self.fresh("q")
                body = self.formula(depth - 1, scope.plus(bools=(var,)))
                return f"({op.split('-')[0]} {var}: bool. {body})"
            case "exists-event" | "forall-event":
                kind = self.pick(sorted(self.vocab.kinds))
                var = self.fresh("e")
                body = self.formula(depth - 1, scope.plus(events=((var, kind),)))
                return self.bind(op.split("-")[0], var, kind, body)
            case _:
                if self.nest >= self.limit:
                    return self.atom(scope)
                self.nest += 1
                self.reach(0)
                var = self.fresh("s")
                body = self.formula(depth - 1, scope.bound(var))
                self.nest -= 1
                return f"({op.split('-')[0]} {var}: time. {body})"

    def timed(self, depth: int, scope: Scope, quantifier: str | None = None) -> str:
        """A formula under a time quantifier, when the nesting allows one (else any formula):
        the place where a critical-time reduction can miss a day."""
        if self.nest >= self.limit:
            return self.formula(depth, scope)
        self.nest += 1
        self.reach(0)
        var = self.fresh("s")
        inner = scope.bound(var)
        body = self.atom(inner) if self.chance(2) else self.formula(depth, inner)
        self.nest -= 1
        return f"({quantifier or self.pick(['exists', 'forall'])} {var}: time. {body})"

    def mixed(self, depth: int, scope: Scope, universal: str | None = None) -> str:
        """A formula that often joins a time-quantified part to a free-form one; the part's
        quantifier is often ``universal`` (the one that is universal in effect where the
        formula stands: a question's ``can`` wants ``forall``, its ``must`` ``exists``)."""
        if self.chance(2):
            return self.formula(depth, scope)
        op = self.pick(["and", "or", "implies", "and"])
        quantifier = universal if universal and not self.chance(4) else None
        parts = [self.formula(depth - 1, scope), self.timed(depth - 1, scope, quantifier)]
        if op != "implies" and self.draw(st.booleans()):
            parts.reverse()
        return f"({parts[0]} {op} {parts[1]})"

    def judged(self, depth: int, scope: Scope, at: str) -> str:
        """A formula judged at time ``at`` (a status's ``t``, a forbid rule's ``r.date``) that
        often asks about other events relative to it: ``exists e: K. e.date <= at``, the shape
        whose truth depends on which events of the same day (or of later days) are seen."""
        if self.chance(2):
            return self.formula(depth, scope)
        mine = [k for v, k in scope.events if at.startswith(f"{v}.")]
        kinds = [k for k in sorted(self.vocab.kinds) if k not in mine] + mine
        kind = self.pick(kinds)
        var = self.fresh("e")
        inner = scope.plus(events=((var, kind),))
        parts = [f"({var}.date {self.pick(['<=', '=', '>', '>=', '<'])} {at})"]
        if kind in mine:
            parts.insert(0, f"({var} != {at.split('.')[0]})")
        if self.chance(2):
            parts.append(self.formula(depth - 1, inner))
        core = self.bind(self.pick(["exists", "forall"]), var, kind, f"({' and '.join(parts)})")
        if self.chance(2):
            return core
        return f"({core} {self.pick(['and', 'or'])} {self.formula(depth - 1, scope)})"

    def atom(self, scope: Scope) -> str:
        """One atomic formula; an event it needs and has no variable for is bound around it."""
        binders: list[tuple[str, str]] = []
        options = ["time"] * 4 + ["diff"] * 2 + ["bool", "enum"]
        if self.vocab.readings:
            options.append("reading")
        if scope.inner is not None:
            options += ["pivot"] * 4 + ["midpoint"] * 2
        if scope.ints or self.int_fields(scope):
            options += ["int"] * 2
        if self.ref_fields(scope):
            options += ["same"] * 2
        callable_ = [p for p in self.vocab.preds if self.nest + p.depth <= self.limit]
        if self.calls and callable_:
            options += ["call"] * 3
        if (self.forbidden and self.vocab.forbidden_kinds
                and self.nest + FORBID_NEST <= self.limit):
            options += ["forbidden"]
        if self.missed and self.vocab.obliged_kinds and self.nest + DUTY_NEST <= self.limit:
            options += ["missed"] * 6
        if self.vocab.calendar:
            options += ["calendar"] * 3
        options += [f"money:{m}" for m in spec_money.options(self, scope)]
        match self.pick(options):
            case "calendar":
                text = calendar_atom(self, scope)
            case str(shape) if shape.startswith("money:"):
                text = spec_money.atom(self, scope, shape[6:])
            case "time":
                text = f"({self.time(scope)} {self.pick(CMP)} {self.time(scope)})"
            case "diff":
                right = (str(self.draw(st.integers(0, 2))) if self.chance(2)
                         else f"({self.time(scope, offset=False)} - {self.time(scope, offset=False)})")
                text = (f"(({self.time(scope, offset=False)} - {self.time(scope, offset=False)}) "
                        f"{self.pick(CMP)} {right})")
            case "pivot":  # the bound time against a time plus an offset: t != d1 + n1
                text = pivot(self, scope)
            case "midpoint":  # the bound time with coefficient 2: t - a.date != b.date - t
                text = (f"(({scope.inner} - {self.time(scope, offset=False, bias=True)}) "
                        f"{self.pick(POINT_CMP)} "
                        f"({self.time(scope, offset=False, bias=True)} - {scope.inner}))")
            case "int":
                ints = [*scope.ints, *self.int_fields(scope)]
                text = f"({self.pick(ints)} {self.pick(CMP)} {self.draw(st.integers(0, 3))})"
            case "enum":
                text = self.enum_atom(scope, binders)
            case "same":  # a reference against an event: r.f = e, r.f != s.f
                ref, kind = self.draw(st.sampled_from(self.ref_fields(scope)))
                text = f"({ref} {self.pick(['=', '!='])} {self.event(kind, scope, binders)})"
            case "reading":
                name = self.pick(sorted(self.vocab.readings))
                text = f"(reading {name} is {self.pick(self.vocab.readings[name])})"
            case "call":
                pred = self.draw(st.sampled_from(callable_))
                self.used_forbidden |= pred.asks_forbidden
                self.reach(pred.depth)
                args = [self.past_time(scope) if i == pred.anchor and self.judged_at else
                        self.term(t, scope, binders) for i, (_, t) in enumerate(pred.params)]
                text = f"{pred.name}({', '.join(args)})"
            case "missed":  # a duty's breach dated by a time (model/duties.py)
                self.reach(DUTY_NEST)
                at = self.past_time(scope) if self.judged_at else self.time(scope)
                text = f"missed({self.pick(self.vocab.obliged_kinds)}, {at})"
            case "forbidden":
                self.used_forbidden = True
                self.reach(FORBID_NEST)
                kind = self.pick(self.vocab.forbidden_kinds)
                text = f"forbidden({self.event(kind, scope, binders)})"
            case _:
                text = self.boolean(scope)
        for var, kind in reversed(binders):
            text = self.bind(self.pick(["exists", "forall"]), var, kind, text)
        return text

    def bind(self, quantifier: str, var: str, kind: str, body: str) -> str:
        """``quantifier var: kind. body``; judged at a time, bounded by it (or by ``now``)."""
        if self.judged_at is None or (self.vocab.peek and self.chance(4)):
            return f"({quantifier} {var}: {kind}. {body})"
        bound = self.pick([self.judged_at, "now"]) if self.judged_at != "now" else "now"
        link = "and" if quantifier == "exists" else "implies"
        return f"({quantifier} {var}: {kind}. (({var}.date <= {bound}) {link} {body}))"

    def past_time(self, scope: Scope) -> str:
        """A time not after the judged one: it, ``now``, less a count, or a bound event's date."""
        assert self.judged_at is not None
        options = [self.judged_at, "now", f"({self.judged_at} - {self.draw(st.integers(0, 2))})",
                   *(f"{v}.date" for v, _ in scope.events)]
        return self.pick(options)

    def enum_atom(self, scope: Scope, binders: list[tuple[str, str]]) -> str:
        enum = self.pick(sorted(self.vocab.enums))
        sets = self.fields_of(scope, f"set[{enum}]")
        shape = self.pick(["eq", "in", "subset"] if sets else ["eq", "eq", "in"])
        if shape == "eq":
            return f"({self.enum(enum, scope, binders)} {self.pick(['=', '!='])} " \
                   f"{self.enum(enum, scope, binders)})"
        if shape == "in":
            return f"({self.enum(enum, scope, binders)} in {self.set_term(enum, scope)})"
        return f"({self.pick(sets)} {self.pick(['subset', '=', '!='])} {self.set_term(enum, scope)})"

    # ------------------------------------------------------------ terms

    def term(self, typ: str, scope: Scope, binders: list[tuple[str, str]]) -> str:
        if typ == "time":
            return self.time(scope)
        if typ == "bool":
            return self.boolean(scope)
        if typ in self.vocab.enums:
            return self.enum(typ, scope, binders)
        return self.event(typ, scope, binders)

    def event(self, kind: str, scope: Scope, binders: list[tuple[str, str]]) -> str:
        """A variable for an event of ``kind``: one in scope, or one bound around the atom."""
        known = [v for v, k in (*scope.events, *binders) if k == kind]
        known += [r for r, k in self.ref_fields(scope) if k == kind]
        if known and not self.chance(4):
            return self.pick(known)
        var = self.fresh("e")
        binders.append((var, kind))
        return var

    def fields_of(self, scope: Scope, typ: str) -> list[str]:
        return [f"{v}.{f}" for v, k in scope.events for f, t in self.vocab.kinds[k].items()
                if t == typ]

    def int_fields(self, scope: Scope) -> list[str]:
        return self.fields_of(scope, "int")

    def ref_fields(self, scope: Scope) -> list[tuple[str, str]]:
        """``(v.f, K)`` for each reference field of a bound event (docs/semantics.md, "Events
        that refer to events")."""
        return [(f"{v}.{f}", t) for v, k in scope.events for f, t in self.vocab.kinds[k].items()
                if t in self.vocab.kinds]

    def boolean(self, scope: Scope) -> str:
        """A truth value: a literal, a bound or free bool variable, or a bool field."""
        return self.pick(["true", "false", *scope.bools, *scope.bools,
                          *self.fields_of(scope, "bool")])

    def extremum(self, scope: Scope) -> str:
        """``(earliest s: time. φ)`` or ``latest``: a time that counts as a nested quantifier."""
        self.nest += 1
        self.reach(0)
        var = self.fresh("s")
        inner = scope.bound(var)
        body = self.atom(inner) if self.chance(2) else self.formula(1, inner)
        self.nest -= 1
        return f"({self.pick(['earliest', 'latest'])} {var}: time. {body})"

    def time(self, scope: Scope, *, offset: bool = True, bias: bool = False) -> str:
        """A time: a variable, an event's date or time field, a named date or a literal;
        often plus an offset that is a constant, an int variable or field, or a duration
        between two times."""
        options = [*scope.times, *scope.times, *self.fields_of(scope, "time"), *self.vocab.dates]
        options += [f"{v}.date" for v, _ in scope.events] * 2
        options += [f"{r}.date" for r, _ in self.ref_fields(scope)]
        options.append("now")
        if self.nest < self.limit and self.chance(6):
            options.append(self.extremum(scope))
        if self.chance(3):
            options.append(iso(self.draw(st.integers(0, self.vocab.days - 1))))
        if bias:  # from a date or an event's date (often), never from the pivot itself
            options = [o for o in options if o not in scope.times] or options
            options += [f"{v}.date" for v, _ in scope.events] * 2
        base = self.pick(options)
        if self.vocab.calendar and self.chance(6):
            base = calendar_time(self, scope)
        if not offset or (not bias and self.chance(2)):
            return base
        ints = [*scope.ints, *self.int_fields(scope)]
        kinds = [*(["int"] * (4 if bias else 1) if ints else []), "const", "const", "dates"]
        kind = self.pick(kinds)
        sign = self.pick(["+", "-"])
        if kind == "const":
            return f"({base} {sign} {self.draw(st.integers(1, 2))})"
        if kind == "int":
            return f"({base} {sign} {self.pick(ints)})"
        return f"({base} {sign} ({self.time(scope, offset=False)} - {self.time(scope, offset=False)}))"

    def enum(self, enum: str, scope: Scope, binders: list[tuple[str, str]]) -> str:
        options = [*self.vocab.enums[enum], *self.fields_of(scope, enum),
                   *(v for v, e in scope.enums if e == enum)]
        return self.pick(options)

    def set_term(self, enum: str, scope: Scope) -> str:
        fields = self.fields_of(scope, f"set[{enum}]")
        if fields and self.chance(2):
            return self.pick(fields)
        members = self.draw(st.lists(st.sampled_from(self.vocab.enums[enum]), unique=True,
                                     min_size=1))
        return "{" + ", ".join(members) + "}"


def pivot(gen: Formulas, scope: Scope, op: str | None = None) -> str:
    """The bound time against a time plus an offset: ``s != d1 + n1``, ``s = a.date + a.f``."""
    return (f"({scope.inner} {op or gen.pick(POINT_CMP)} "
            f"{gen.time(scope, offset=True, bias=True)})")


CALENDAR_TESTS = ("is_month_end", "is_quarter_end", "is_fiscal_quarter_end", "is_fiscal_year_end")
CALENDAR_TIMES = ("following", "preceding", "modified_following", "next_business_day",
                  "previous_business_day", "month_end", "quarter_end", "year_end",
                  "fiscal_quarter_end", "fiscal_year_end", "add_business_days", "later_of",
                  "earlier_of", "month", "month")
WEEKDAY_VALUES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def calendar_atom(gen: Formulas, scope: Scope) -> str:
    """A calendar test of a time, a weekday comparison, or a calendar time compared."""
    shape = gen.pick(["business", "test", "weekday", "compare", "compare"])
    if shape == "business":
        return f"business_day({gen.time(scope)}, bank)"
    if shape == "test":
        return f"{gen.pick(CALENDAR_TESTS)}({gen.time(scope)})"
    if shape == "weekday":
        return f"(weekday({gen.time(scope)}) {gen.pick(['=', '!='])} {gen.pick(WEEKDAY_VALUES)})"
    near = scope.inner or gen.time(scope, offset=False)
    return f"({calendar_time(gen, scope)} {gen.pick(CMP)} {near})"


def calendar_time(gen: Formulas, scope: Scope) -> str:
    """A calendar function of a time (often the innermost bound one): a piecewise term."""
    arg = scope.inner if scope.inner and not gen.chance(3) else gen.time(scope, offset=False)
    fn = gen.pick(CALENDAR_TIMES)
    if fn == "month":
        return f"({arg} {gen.pick(['+', '-'])} 1 month)"
    if fn in ("later_of", "earlier_of"):
        return f"{fn}({arg}, {gen.time(scope, offset=False)})"
    if fn == "add_business_days":
        n = gen.draw(st.integers(-2, 2))
        return f"add_business_days({arg}, {n if n >= 0 else f'0 - {-n}'}, bank)"
    if fn.endswith("_end"):
        return f"{fn}({arg})"
    return f"{fn}({arg}, bank)"
