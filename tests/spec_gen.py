"""Hypothesis strategies for whole random specs, as YAML text, and questions over them.

``test_random_specs.py`` checks the prover against the concrete reference on these
(issue 10, "Random specs, not only random timelines"). A spec is drawn as a small
vocabulary (a horizon of 14–24 days, one or two enumerations, one to three event
kinds with up to two fields each, named dates, readings) and then as formulas over
it: definitions with time, event and enumeration parameters, forbid rules,
assumptions and statuses. The text goes through the real loader
(:func:`model.load.load_spec`), so everything a spec author can write is fair game.

The formula generator aims at the shapes that break a critical-time reduction:
offsets that are constants, int variables, int fields or event dates
(``t = e.date + 2``, ``t != d1 + n1``), differences of times compared with each other
(``t - a.date != b.date - t``, a time with coefficient 2), time quantifiers nested in
time quantifiers, event quantifiers inside time quantifiers and the other way round,
``forbidden(e)``, ``reading R is O``, ``if … then … else``, ``now`` and hindsight
(``seen from U: φ``).

Every spec is well typed by construction and acyclic (a definition calls only
earlier ones; a forbid rule calls no definition that asks ``forbidden``, so no rule
judges itself). Bounds keep the exhaustive reference cheap: at most
:data:`NEST` levels of time quantifiers in one formula, small domains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import hypothesis.strategies as st

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
    inner: str | None = None
    """The innermost time bound by a quantifier: atoms often compare it (see ``pivot``)."""

    def plus(self, **more: tuple[object, ...]) -> Scope:
        return Scope(**{k: (*getattr(self, k), *more.get(k, ())) for k in  # type: ignore[arg-type]
                        ("times", "ints", "events", "enums")}, inner=self.inner)

    def bound(self, var: str) -> Scope:
        out = self.plus(times=(var,))
        out.inner = var
        return out


class Formulas:
    """Draws well-typed formulas over a :class:`Vocab` (see the module docstring)."""

    def __init__(self, draw: st.DrawFn, vocab: Vocab, *, calls: bool = True,
                 forbidden: bool = True, nest: int = NEST, judged: str | None = None) -> None:
        self.draw = draw
        self.judged_at = judged
        """In a formula judged at a time (a status, a forbid rule, a definition), the time
        every event quantifier is bounded by, so that it never sees a later event (the
        look-ahead rule of docs/semantics.md); None in questions and assumptions."""
        self.vocab = vocab
        self.calls = calls
        self.forbidden = forbidden
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
                        "seen"])
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
        callable_ = [p for p in self.vocab.preds if self.nest + p.depth <= self.limit]
        if self.calls and callable_:
            options += ["call"] * 3
        if (self.forbidden and self.vocab.forbidden_kinds
                and self.nest + FORBID_NEST <= self.limit):
            options += ["forbidden"]
        match self.pick(options):
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
            case "forbidden":
                self.used_forbidden = True
                self.reach(FORBID_NEST)
                kind = self.pick(self.vocab.forbidden_kinds)
                text = f"forbidden({self.event(kind, scope, binders)})"
            case _:
                text = self.pick(["true", "false"])
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
        if typ in self.vocab.enums:
            return self.enum(typ, scope, binders)
        return self.event(typ, scope, binders)

    def event(self, kind: str, scope: Scope, binders: list[tuple[str, str]]) -> str:
        """A variable for an event of ``kind``: one in scope, or one bound around the atom."""
        known = [v for v, k in (*scope.events, *binders) if k == kind]
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

    def time(self, scope: Scope, *, offset: bool = True, bias: bool = False) -> str:
        """A time: a variable, an event's date or time field, a named date or a literal;
        often plus an offset that is a constant, an int variable or field, or a duration
        between two times."""
        options = [*scope.times, *scope.times, *self.fields_of(scope, "time"), *self.vocab.dates]
        options += [f"{v}.date" for v, _ in scope.events] * 2
        options.append("now")
        if self.chance(3):
            options.append(iso(self.draw(st.integers(0, self.vocab.days - 1))))
        if bias:  # from a date or an event's date (often), never from the pivot itself
            options = [o for o in options if o not in scope.times] or options
            options += [f"{v}.date" for v, _ in scope.events] * 2
        base = self.pick(options)
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


# ---------------------------------------------------------------- whole specs


class GenSpec:
    """A drawn spec: its YAML text and the vocabulary questions may use."""

    def __init__(self, yaml: str, vocab: Vocab) -> None:
        self.yaml = yaml
        self.vocab = vocab

    def __repr__(self) -> str:  # Hypothesis prints a falsifying example so: show the text
        return f"spec:\n{self.yaml}"


@st.composite
def vocabularies(draw: st.DrawFn) -> Vocab:
    """The declarations of a spec: horizon, enumerations, dates, event kinds, readings."""
    days = draw(st.integers(MIN_DAYS, MAX_DAYS))
    enums = dict(ENUM_NAMES[: draw(st.integers(1, 2))])
    enums = {name: values[: draw(st.integers(2, 3))] for name, values in enums.items()}
    dates = {f"d{i + 1}": draw(st.integers(1, days - 2)) for i in range(draw(st.integers(1, 2)))}
    types = [*enums, *(f"set[{e}]" for e in enums if len(enums[e]) == 2), "int", "time"]
    kinds = {}
    for kind in KIND_NAMES[: draw(st.integers(1, 3))]:
        names = ["f", "g"][: draw(st.integers(0, 2))]
        kinds[kind] = {n: draw(st.sampled_from(types)) for n in names}
    readings = {f"r{i + 1}": ("o1", "o2") for i in range(draw(st.integers(0, 2)))}
    return Vocab(days, enums, dates, kinds, readings)


@st.composite
def specs(draw: st.DrawFn, *, forbids: int = 0, assumes: int = 0, statuses: int = 0,
          peek: bool = False) -> GenSpec:
    """A whole spec as YAML text: declarations, clauses of rules, statuses (see module doc);
    with at least ``forbids`` forbid rules, ``assumes`` assumptions, ``statuses`` statuses;
    with ``peek``, some of its judged formulas may look ahead (:attr:`Vocab.peek`)."""
    vocab = draw(vocabularies())
    vocab.peek = peek
    rules: list[list[str]] = [[] for _ in range(draw(st.integers(1, 3)))]
    vocab.forbidden_kinds = tuple(draw(st.lists(st.sampled_from(sorted(vocab.kinds)),
                                                min_size=min(forbids, len(vocab.kinds)),
                                                max_size=2, unique=True)))
    for i in range(draw(st.integers(1, 4))):
        rules[draw(st.integers(0, len(rules) - 1))].append(define(draw, vocab, f"p{i + 1}"))
    # A forbid rule calls only definitions that never ask ``forbidden``: no rule judges itself.
    quiet = Vocab(vocab.days, vocab.enums, vocab.dates, vocab.kinds, vocab.readings,
                  [p for p in vocab.preds if not p.asks_forbidden], peek=peek)
    for kind in vocab.forbidden_kinds:
        gen = Formulas(draw, quiet, forbidden=False, nest=FORBID_NEST, judged="r.date")
        body = gen.judged(2, Scope(events=(("r", kind),)), "r.date")
        rules[draw(st.integers(0, len(rules) - 1))].append(
            f"forbid: {quote(f'r: {kind} when {body}')}")
    for _ in range(draw(st.integers(assumes, max(assumes, 1)))):
        rules[draw(st.integers(0, len(rules) - 1))].append(f"assume: {quote(assumption(draw, vocab))}")
    shown: list[str] = []
    for i in range(draw(st.integers(statuses, max(statuses, 2)))):
        gen = Formulas(draw, vocab, judged="t")
        if vocab.kinds and draw(st.booleans()):
            kind = draw(st.sampled_from(sorted(vocab.kinds)))
            body = gen.judged(2, Scope(times=("t",), events=(("w", kind),)), "t")
            shown.append(f"  - {{id: status{i + 1}, label: Status {i + 1}, for: \"w: {kind}\", "
                         f"formula: {quote(body)}}}")
        else:
            body = gen.judged(2, Scope(times=("t",)), "t")
            shown.append(f"  - {{id: status{i + 1}, label: Status {i + 1}, formula: {quote(body)}}}")
    return GenSpec(render(vocab, rules, shown), vocab)


def define(draw: st.DrawFn, vocab: Vocab, name: str) -> str:
    """A definition with time, event and enumeration parameters; it calls only earlier ones."""
    params: list[tuple[str, str]] = []
    choices = ["time", "time", *vocab.kinds, *vocab.enums]
    for i in range(draw(st.integers(0, 2))):
        params.append((f"x{len(vocab.preds) + 1}_{i + 1}", draw(st.sampled_from(choices))))
    scope = Scope(times=tuple(n for n, t in params if t == "time"),
                  events=tuple((n, t) for n, t in params if t in vocab.kinds),
                  enums=tuple((n, t) for n, t in params if t in vocab.enums))
    times = [i for i, (_, t) in enumerate(params) if t == "time"]
    anchor = times[0] if times and draw(st.booleans()) else None
    gen = Formulas(draw, vocab, judged="now" if anchor is None else params[anchor][0])
    body = gen.mixed(draw(st.integers(1, 3)), scope)
    vocab.preds.append(Pred(name, tuple(params), gen.used_forbidden, gen.deepest, anchor))
    signature = ", ".join(f"{n}: {t}" for n, t in params)
    return f"define: {quote(f'{name}({signature}) := {body}')}"


def assumption(draw: st.DrawFn, vocab: Vocab) -> str:
    """A closed formula every timeline must satisfy: often ``forall e: K. φ(e)``."""
    gen = Formulas(draw, vocab, calls=False, forbidden=False)
    if draw(st.booleans()):
        kind = draw(st.sampled_from(sorted(vocab.kinds)))
        return f"forall a: {kind}. {gen.formula(1, Scope(events=(('a', kind),)))}"
    return gen.formula(2, Scope())


def quote(text: str) -> str:
    """A YAML double-quoted scalar (formulas hold ``:`` and ``#``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(vocab: Vocab, rules: list[list[str]], statuses: list[str]) -> str:
    """The spec's YAML text."""
    out = ["agreement: {id: random, title: A random agreement, date: " + iso(0) + "}",
           f"time: {{unit: day, horizon: [{iso(0)}, {iso(vocab.days - 1)}]}}", "enums:"]
    for enum, values in vocab.enums.items():
        out.append(f"  {enum}: {{values: {{{', '.join(f'{v}: value {v}' for v in values)}}}}}")
    out.append("dates:")
    out += [f"  {name}: {iso(day)}" for name, day in vocab.dates.items()]
    out.append("events:")
    for kind, fields in vocab.kinds.items():
        shown = ", ".join(f'{f}: "{t}"' for f, t in fields.items())
        out.append(f"  {kind}: {{doc: An event {kind}., fields: {{{shown}}}}}")
    if vocab.readings:
        out.append("readings:")
        for name, options in vocab.readings.items():
            out.append(f"  {name}: {{question: Which {name}?, options: "
                       f"{{{', '.join(f'{o}: option {o}' for o in options)}}}, default: {options[0]}}}")
    out.append("clauses:")
    for i, clause in enumerate(rules):
        out.append(f'  - id: "{i + 1}"')
        out.append(f"    text: Clause {i + 1}.")
        if clause:
            out.append("    rules:")
            out += [f"      - {rule}" for rule in clause]
        else:
            out.append("    not_temporal: Nothing over time.")
    if statuses:
        out.append("statuses:")
        out += statuses
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- questions


@st.composite
def questions(draw: st.DrawFn, vocab: Vocab) -> str:
    """``can φ`` or ``must φ`` over the spec: half free-form (:func:`free_form`), half in the
    shapes of issue 10's wrong verdicts with random parts (:func:`shaped`)."""
    mode = draw(st.sampled_from(["can", "must"]))
    if draw(st.booleans()):
        return draw(free_form(vocab, mode))
    return draw(shaped(vocab, mode))  # Hypothesis's simplest draws, so its first tries


@st.composite
def free_form(draw: st.DrawFn, vocab: Vocab, mode: str) -> str:
    """A random question with up to two free variables (times ``t1``, ``t2``, an int ``n1``),
    each also in a trivially true atom that tells its type. A free int is kept in a window
    (``n1 > 3 and n1 < 9``), as a duration in a clause would be."""
    free = draw(st.sampled_from([(), (), ("t1",), ("t1", "t2"), ("n1",), ("n1",), ("t1", "n1")]))
    free_times = tuple(v for v in free if v.startswith("t"))
    free_ints = tuple(v for v in free if v.startswith("n"))
    gen = Formulas(draw, vocab, nest=NEST - len(free))
    body = gen.mixed(draw(st.integers(2, 3)), Scope(times=free_times, ints=free_ints),
                     "forall" if mode == "can" else "exists")
    anchors = [f"({t} >= {iso(0)})" for t in free_times if t in body]
    anchors += [f"({n} >= 0 or {n} < 0)" for n in free_ints if n in body]
    if free_ints and "n1" in body:
        body = guarded(draw, vocab, mode, body)
    return f"{mode} {' and '.join([*anchors, body])}" if anchors else f"{mode} {body}"


def guarded(draw: st.DrawFn, vocab: Vocab, mode: str, body: str) -> str:
    """``body`` with the free int ``n1`` kept in a window of the horizon's size."""
    low = draw(st.integers(1, vocab.days // 2))
    guard = f"(n1 > {low} and n1 < {vocab.days - draw(st.integers(0, vocab.days - low - 2))})"
    return f"({guard} and {body})" if mode == "can" else f"({guard} implies {body})"


@st.composite
def shaped(draw: st.DrawFn, vocab: Vocab, mode: str) -> str:
    """A question in one of the shapes of issue 10, "Why" 1, with random parts: a time
    quantifier that is universal in effect (``forall`` under ``can``, ``exists`` under
    ``must``) around a comparison of the bound time with a time plus a variable offset
    (a free int, an int field, an event's date) or with coefficient 2 (``s - a.date !=
    b.date - s``), beside a random formula over the spec."""
    kind = draw(st.sampled_from(sorted(vocab.kinds)))
    quantifier = "forall" if mode == "can" else "exists"
    shape = draw(st.sampled_from(["window", "midpoint", "event"]))
    events: tuple[tuple[str, str], ...] = ()
    prefix, ints = "", ()
    if shape == "window":
        ints = ("n1",)
    elif shape == "event":
        events = (("a", kind),)
    else:
        events = (("a", kind), ("b", kind))
    gen = Formulas(draw, vocab, nest=NEST - 1 - len(ints))
    scope = Scope(ints=ints, events=events)
    bound = scope.bound("s")
    # A single day decides "forall s. s != x" and "exists s. s = x": the one a reduction misses.
    point = ["!=", "!=", "<", ">="] if quantifier == "forall" else ["=", "=", "<", ">="]
    if shape == "midpoint":
        # Half the gap lies beyond the spec's own small offsets, where no critical time is.
        gap = 2 * draw(st.integers(7, (vocab.days - 1) // 2)) + draw(st.sampled_from([0, 0, 0, 1]))
        core = (f"((b.date - a.date) {draw(st.sampled_from(['=', '=', '>=']))} {gap}) and "
                f"({quantifier} s: time. ((s - a.date) {draw(st.sampled_from(point))} (b.date - s)))")
    elif draw(st.integers(0, 3)) < 3:
        core = f"({quantifier} s: time. {pivot(gen, bound, draw(st.sampled_from(point)))})"
    else:
        core = f"({quantifier} s: time. {gen.atom(bound)})"
    body = core
    if draw(st.booleans()):  # beside a random formula over the spec
        extra = gen.formula(draw(st.integers(0, 2)), scope)
        op = draw(st.sampled_from(["and", "or", "and"]))
        body = f"({extra} {op} {core})" if draw(st.booleans()) else f"({core} {op} {extra})"
    if shape == "window":
        body = guarded(draw, vocab, mode, body)
        prefix = "(n1 >= 0 or n1 < 0) and "
    binders = ", ".join(f"{v}: {k}" for v, k in events)
    inner = f"(exists {binders}. {body})" if mode == "can" and events else (
        f"(forall {binders}. {body})" if events else body)
    return f"{mode} {prefix}{inner}"


def pivot(gen: Formulas, scope: Scope, op: str | None = None) -> str:
    """The bound time against a time plus an offset: ``s != d1 + n1``, ``s = a.date + a.f``."""
    return (f"({scope.inner} {op or gen.pick(POINT_CMP)} "
            f"{gen.time(scope, offset=True, bias=True)})")
