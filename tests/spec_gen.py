"""Hypothesis strategies for whole random specs, as YAML text, and questions over them.

``test_random_specs.py`` checks the prover against the concrete reference on these
(issue 10, "Random specs, not only random timelines"). A spec is drawn as a small
vocabulary (a horizon of 16–24 days, one or two enumerations, one to three event
kinds with up to two fields each, named dates, readings) and then as formulas over
it: definitions with time, event and enumeration parameters, forbid rules,
assumptions and statuses. The text goes through the real loader
(:func:`model.load.load_spec`), so everything a spec author can write is fair game.

The formulas come from ``spec_formulas.py``, which aims at the shapes that break a
critical-time reduction; questions are half free-form and half in the shapes of issue
10's wrong verdicts, which come first in Hypothesis's order of simplicity.

Every spec is well typed by construction and acyclic (a definition calls only
earlier ones; a forbid rule calls no definition that asks ``forbidden``, so no rule
judges itself). Bounds keep the exhaustive reference cheap: at most
:data:`NEST` levels of time quantifiers in one formula, small domains.
"""

from __future__ import annotations

import hypothesis.strategies as st
from spec_duties import obligations, permissions
from spec_formulas import (
    ENUM_NAMES,
    FORBID_NEST,
    KIND_NAMES,
    MAX_DAYS,
    MIN_DAYS,
    NEST,
    Formulas,
    Pred,
    Scope,
    Vocab,
    iso,
    pivot,
)
from spec_money import FIELD_TYPES

__all__ = ["GenSpec", "iso", "questions", "specs"]


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
    types = [*enums, *(f"set[{e}]" for e in enums if len(enums[e]) == 2), "int", "time", "bool",
             *FIELD_TYPES]
    kinds: dict[str, dict[str, str]] = {}
    for kind in KIND_NAMES[: draw(st.integers(1, 3))]:
        names = ["f", "g"][: draw(st.integers(0, 2))]
        # A field may refer to an earlier kind (acyclic, so the event bound holds).
        kinds[kind] = {n: draw(st.sampled_from([*types, *kinds])) for n in names}
    readings = {f"r{i + 1}": ("o1", "o2") for i in range(draw(st.integers(0, 2)))}
    calendar = draw(st.sampled_from([0, 0, 1, 10]))  # a fiscal_year_start, or no calendar
    return Vocab(days, enums, dates, kinds, readings, calendar=calendar)


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
    added, background = obligations(draw, vocab, len(rules))  # definitions may ask missed()
    for i in range(draw(st.integers(1, 4))):
        rules[draw(st.integers(0, len(rules) - 1))].append(define(draw, vocab, f"p{i + 1}"))
    # A forbid rule calls only definitions that never ask ``forbidden``: no rule judges itself.
    quiet = Vocab(vocab.days, vocab.enums, vocab.dates, vocab.kinds, vocab.readings,
                  [p for p in vocab.preds if not p.asks_forbidden], peek=peek,
                  calendar=vocab.calendar)
    quiet.obliged_kinds = vocab.obliged_kinds
    added += permissions(draw, vocab, len(rules), quiet)
    for index, rule in added:
        rules[index].append(rule)
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
    return GenSpec(render(vocab, rules, shown, background), vocab)


def define(draw: st.DrawFn, vocab: Vocab, name: str) -> str:
    """A definition with time, event and enumeration parameters; it calls only earlier ones."""
    params: list[tuple[str, str]] = []
    choices = ["time", "time", *vocab.kinds, *vocab.enums, "bool"]
    for i in range(draw(st.integers(0, 2))):
        params.append((f"x{len(vocab.preds) + 1}_{i + 1}", draw(st.sampled_from(choices))))
    scope = Scope(times=tuple(n for n, t in params if t == "time"),
                  events=tuple((n, t) for n, t in params if t in vocab.kinds),
                  enums=tuple((n, t) for n, t in params if t in vocab.enums),
                  bools=tuple(n for n, t in params if t == "bool"))
    times = [i for i, (_, t) in enumerate(params) if t == "time"]
    anchor = times[0] if times and draw(st.booleans()) else None
    gen = Formulas(draw, vocab, judged="now" if anchor is None else params[anchor][0])
    body = gen.mixed(draw(st.integers(1, 3)), scope)
    vocab.preds.append(Pred(name, tuple(params), gen.used_forbidden, gen.deepest, anchor))
    signature = ", ".join(f"{n}: {t}" for n, t in params)
    return f"define: {quote(f'{name}({signature}) := {body}')}"


def assumption(draw: st.DrawFn, vocab: Vocab) -> str:
    """A closed formula every timeline must satisfy: often ``forall e: K. φ(e)``."""
    gen = Formulas(draw, vocab, calls=False, forbidden=False, missed=False)
    if draw(st.booleans()):
        kind = draw(st.sampled_from(sorted(vocab.kinds)))
        return f"forall a: {kind}. {gen.formula(1, Scope(events=(('a', kind),)))}"
    return gen.formula(2, Scope())


def quote(text: str) -> str:
    """A YAML double-quoted scalar (formulas hold ``:`` and ``#``)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(vocab: Vocab, rules: list[list[str]], statuses: list[str],
           background: list[str] | None = None) -> str:
    """The spec's YAML text."""
    calendars = (f", calendars: {{bank: {{financial: NYSE}}}}, fiscal_year_start: {vocab.calendar}"
                 if vocab.calendar else "")
    out = ["agreement: {id: random, title: A random agreement, date: " + iso(0) + "}",
           f"time: {{unit: day, horizon: [{iso(0)}, {iso(vocab.days - 1)}]{calendars}}}", "enums:"]
    for enum, values in vocab.enums.items():
        out.append(f"  {enum}: {{values: {{{', '.join(f'{v}: value {v}' for v in values)}}}}}")
    owned = list(vocab.dates)[1:]  # a second date is defined by a clause of its own
    out.append("dates:")
    out += [f"  {name}: {iso(day)}" for name, day in vocab.dates.items() if name not in owned]
    out.append("events:")
    for kind, fields in vocab.kinds.items():
        shown = ", ".join(f'{f}: "{t}"' for f, t in fields.items())
        out.append(f"  {kind}: {{doc: An event {kind}., fields: {{{shown}}}}}")
    if vocab.readings:
        out.append("readings:")
        for name, options in vocab.readings.items():
            out.append(f"  {name}: {{question: Which {name}?, options: "
                       f"{{{', '.join(f'{o}: option {o}' for o in options)}}}, default: {options[0]}}}")
    if background:  # before the clauses: a test appends a clause at the end of them
        out += ["background:", *background]
    out.append("clauses:")
    for i, clause in enumerate(rules):
        out.append(f'  - id: "{i + 1}"')
        out.append(f"    text: Clause {i + 1}.")
        if clause:
            out.append("    rules:")
            out += [f"      - {rule}" for rule in clause]
        else:
            out.append("    not_temporal: Nothing over time.")
    if owned:
        out += ['  - id: "D"', "    text: Definitions.", "    dates: {" + ", ".join(
            f"{name}: {iso(vocab.dates[name])}" for name in owned) + "}"]
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
    if vocab.obliged_kinds and draw(st.integers(0, 3)) == 0:
        return draw(about_duties(vocab, mode))
    if draw(st.booleans()):
        return draw(free_form(vocab, mode))
    return draw(shaped(vocab, mode))  # Hypothesis's simplest draws, so its first tries


@st.composite
def about_duties(draw: st.DrawFn, vocab: Vocab, mode: str) -> str:
    """A question about a missed deadline (``missed(K, t)`` at a free time or a date, beside
    a random formula): the prover against the reference on obligations and releases."""
    gen = Formulas(draw, vocab, nest=NEST - 1)
    kind = draw(st.sampled_from(vocab.obliged_kinds))
    at = draw(st.sampled_from(["t1", *vocab.dates, iso(draw(st.integers(0, vocab.days - 1)))]))
    atom = f"missed({kind}, {at})"
    if draw(st.booleans()):
        atom = f"(not {atom})"
    extra = gen.formula(draw(st.integers(0, 2)), Scope(times=("t1",) if at == "t1" else ()))
    body = f"({atom} {draw(st.sampled_from(['and', 'or', 'implies']))} {extra})"
    anchor = f"(t1 >= {iso(0)}) and " if "t1" in body else ""
    return f"{mode} {anchor}{body}"


@st.composite
def free_form(draw: st.DrawFn, vocab: Vocab, mode: str) -> str:
    """A random question with up to two free variables (times ``t1``, ``t2``, an int ``n1``),
    each also in a trivially true atom that tells its type. A free int is kept in a window
    (``n1 > 3 and n1 < 9``), as a duration in a clause would be."""
    free = draw(st.sampled_from([(), (), ("t1",), ("t1", "t2"), ("n1",), ("n1",), ("t1", "n1"),
                                 ("u1",)]))
    free_times = tuple(v for v in free if v.startswith("t"))
    free_ints = tuple(v for v in free if v.startswith("n"))
    free_bools = tuple(v for v in free if v.startswith("u"))
    gen = Formulas(draw, vocab, nest=NEST - len(free) + len(free_bools))
    body = gen.mixed(draw(st.integers(2, 3)), Scope(times=free_times, ints=free_ints,
                                                    bools=free_bools),
                     "forall" if mode == "can" else "exists")
    anchors = [f"({t} >= {iso(0)})" for t in free_times if t in body]
    anchors += [f"({n} >= 0 or {n} < 0)" for n in free_ints if n in body]
    for b in free_bools:  # a free bool (docs/semantics.md, "Truth values"), used at least once
        body = f"({b} {draw(st.sampled_from(['and', 'or', 'iff', 'implies']))} {body})"
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
