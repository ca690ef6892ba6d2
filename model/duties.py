"""Obligations, permissions and releases: checked, and turned into formulas both interpreters read.

An obligation ``p: K [where C] by D [for x: T] [when W]`` becomes a predicate of one time
(``missed!K!…``, owned by its clause) that holds when one of its duties has a breach dated at
or before that time. A duty is judged at ``J``, the later of its deadline ``D`` and its
trigger's date, from that viewpoint and no later one: ``W`` holds there, no release of
``K`` holds there, and no act of kind ``K`` dated at or before ``D`` satisfies ``C``. Its
breach is dated at the later of ``D + 1`` (the first unit after the deadline) and the
trigger's date. Built from the formula language's own nodes (``seen from`` that keeps the
hindsight flag as it is), the obligation needs nothing new of either interpreter, of the
small-model analysis or of the look-ahead check: they read it as they read a definition.

``missed(K, t)`` is the disjunction over the obligations of kind ``K`` (``missed!K``).
A release ``K when φ`` is a definition without parameters (judged from the duty's ``J``)
flagged as a permission. A permit rule ``e: K when φ`` is read by ``forbidden``
(:func:`permitting`, twin of :func:`formal.compile_duties.permitting`): a permitted act is
never forbidden.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from model import ast
from model.ast import BOOL, TIME, EventT
from model.errors import FormulaError
from model.program import ClauseInfo, Definition, Forbid, Obligation, Permit, Program

if TYPE_CHECKING:
    from model.checker import Checker
    from model.yamlsource import PathKey

AT = "t!"
"""The time parameter of an obligation's predicate (no formula can name it)."""


def missed_name(kind: str) -> str:
    return f"missed!{kind}"


def check_missed(checker: Checker, args: tuple[ast.Expr, ...], pos: ast.Pos,
                 scope: dict[str, ast.Type]) -> ast.Expr:
    """``missed(Kind, t)``: a call of the predicate that joins the obligations of ``Kind``."""
    if len(args) != 2 or not isinstance(args[0], ast.Name):
        raise FormulaError("missed(Kind, t) takes an event kind and a time", *pos)
    kind = args[0].name
    if kind not in checker.vocab.kinds:
        from model.checker import suggest

        raise FormulaError(f"unknown event kind {kind!r}{suggest(kind, checker.vocab.kinds)}",
                           *args[0].pos)
    if kind not in checker.vocab.obliged:
        raise FormulaError(f"missed({kind}, t) names an event kind that no obligation makes due",
                           *args[0].pos)
    at, _ = checker.expr(args[1], scope, TIME)
    checker.calls.setdefault(missed_name(kind), pos)
    return ast.Call(missed_name(kind), (at,), pos)


@dataclass
class Duties:
    """What the duties of a spec add to its program."""

    definitions: dict[str, Definition] = field(default_factory=dict)
    paths: dict[str, PathKey] = field(default_factory=dict)
    obligations: list[Obligation] = field(default_factory=list)
    permits: list[Permit] = field(default_factory=list)
    releases: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    """Each kind's releases: (clause, definition name)."""
    forbids: list[Forbid] = field(default_factory=list)
    """The background rules' prohibitions."""
    background: dict[str, str] = field(default_factory=dict)
    calls: dict[str, dict[str, ast.Pos]] = field(default_factory=dict)
    """What each predicate built here calls (for :mod:`model.duty_cycles`)."""


def _var(name: str, typ: ast.Type) -> ast.Var:
    return ast.Var(name, typ)


def judged_at(at: ast.Expr, body: ast.Expr) -> ast.Expr:
    """``body`` judged from ``at`` (never later than the viewpoint), hindsight unchanged."""
    return ast.SeenFrom(at, body, hindsight=False)


def duty_body(ob: Obligation, act: str, where: ast.Expr | None, when: ast.Expr | None,
              released: ast.Expr | None) -> ast.Expr:
    """The predicate of one time ``t!``: some duty of ``ob`` has a breach dated by ``t!``."""
    t = _var(AT, TIME)
    deadline = ob.deadline
    done = ast.Quant("exists", act, EventT(ob.kind), ast.And(tuple(
        x for x in (ast.Cmp("<=", ast.Field(_var(act, EventT(ob.kind)), "date", TIME),
                            deadline), where) if x is not None)))
    inner = ast.And(tuple(x for x in (when, None if released is None else ast.Not(released),
                                      ast.Not(done)) if x is not None))
    due = (ast.Cmp("<", deadline, t), ast.Cmp("<", deadline, ast.Now()))
    if ob.trigger is None:
        return ast.And((*due, judged_at(deadline, inner)))
    name, typ = ob.trigger
    var = _var(name, typ)
    date: ast.Expr = var if isinstance(typ, ast.TimeT) else ast.Field(var, "date", TIME)
    seen = (ast.Cmp("<=", date, t), ast.Cmp("<=", date, ast.Now()))
    later = ast.Or((ast.And((ast.Cmp("<=", date, deadline), judged_at(deadline, inner))),
                    ast.And((ast.Cmp(">", date, deadline), judged_at(date, inner)))))
    return ast.Quant("exists", name, typ, ast.And((*seen, *due, later)))


class DutyLoader:
    """Checks the oblige, permit and release rules and the background rules of a spec.

    ``loader`` is the spec loader (:class:`model.load._Loader`): its ``parse_at``,
    ``formula_error`` and ``fail`` locate every error in the file.
    """

    def __init__(self, loader: Any, checker: Checker) -> None:
        self.loader = loader
        self.checker = checker
        self.out = Duties()
        self.counter = 0

    def load(self) -> Duties:
        spec = self.loader.spec
        rules: list[tuple[str, Any, PathKey, bool]] = []
        for ci, clause in enumerate(spec.clauses):
            for ri, rule in enumerate(clause.rules):
                rules.append((clause.id, rule, ("clauses", ci, "rules", ri), False))
        clause_ids = {c.id for c in spec.clauses}
        for bi, bg in enumerate(spec.background):
            path: PathKey = ("background", bi)
            if bg.id in clause_ids or bg.id in self.out.background:
                raise self.loader.fail((*path, "id"), f"background rule id {bg.id!r} is already "
                                       "the id of a clause or another background rule")
            if (bg.oblige is None) == (bg.forbid is None):
                raise self.loader.fail(path, "a background rule has one 'oblige' or one 'forbid'")
            self.out.background[bg.id] = bg.source
            rules.append((bg.id, bg, path, True))
        self.pre_scan(rules)
        for owner, rule, path, _ in rules:
            if getattr(rule, "release", None) is not None:
                self.release(owner, rule.release, (*path, "release"))
        for owner, rule, path, background in rules:
            self.rule(owner, rule, path, background)
        self.join()
        return self.out

    def pre_scan(self, rules: list[tuple[str, Any, PathKey, bool]]) -> None:
        """The kinds obligations make due, known before any formula that says ``missed``."""
        for _, rule, path, _ in rules:
            if getattr(rule, "oblige", None) is not None:
                raw = self.loader.parse_at(rule.oblige, "oblige_rule", (*path, "oblige"))
                self.checker.vocab.obliged.add(raw.kind.name)

    def rule(self, owner: str, rule: Any, path: PathKey, background: bool) -> None:
        if getattr(rule, "oblige", None) is not None:
            self.oblige(owner, rule.oblige, (*path, "oblige"), background)
        elif getattr(rule, "permit", None) is not None:
            self.permit(owner, rule.permit, (*path, "permit"))
        elif background and getattr(rule, "forbid", None) is not None:
            self.background_forbid(owner, rule.forbid, (*path, "forbid"))

    def event_kind(self, tname: ast.TypeName, what: str) -> str:
        kind = self.checker.type_of(tname)
        if not isinstance(kind, EventT):
            raise FormulaError(f"only events can be {what}, not {kind}", *tname.pos)
        return kind.kind

    def oblige(self, owner: str, text: str, path: PathKey, background: bool) -> None:
        raw: ast.RawOblige = self.loader.parse_at(text, "oblige_rule", path)
        self.checker.calls = {}
        try:
            kind = self.event_kind(raw.kind, "due")
            scope: dict[str, ast.Type] = {}
            trigger = None
            if raw.trigger is not None:
                tvar, ttype = raw.trigger
                self.checker._fresh(tvar, ttype.pos, scope)
                typ = self.checker.type_of(ttype)
                if not isinstance(typ, EventT | ast.TimeT):
                    raise FormulaError(f"a duty is for each event of a kind or for each time, "
                                       f"not for each {typ}", *ttype.pos)
                trigger = (tvar, typ)
                scope[tvar] = typ
            deadline, dtype = self.checker.expr(raw.deadline, scope, TIME)
            if dtype != TIME:
                raise FormulaError(f"the deadline must be a time, not {_a(dtype)}",
                                   *raw.deadline.pos)
            when = None if raw.when is None else self.checker.formula(raw.when, scope)
            self.checker._fresh(raw.var, raw.pos, scope)
            if raw.var in scope:
                raise FormulaError(f"the act and the trigger both are named {raw.var!r}",
                                   *raw.pos)
            where = None if raw.where is None else self.checker.formula(
                raw.where, {**scope, raw.var: EventT(kind)})
        except FormulaError as err:
            raise self.loader.formula_error(path, err) from None
        self.counter += 1
        name = f"missed!{kind}!{self.counter}"
        ob = Obligation(kind, owner, name, trigger, deadline, background)
        released = self.released(kind)
        body = duty_body(ob, raw.var, where, when, released)
        self.out.definitions[name] = Definition(name, ((AT, TIME),), body,
                                                None if background else owner)
        self.out.paths[name] = path
        self.out.calls[name] = {**self.checker.calls, **{
            r: raw.pos for _, r in self.out.releases.get(kind, [])}}
        self.out.obligations.append(ob)

    def released(self, kind: str) -> ast.Expr | None:
        calls = [ast.Call(name, ()) for _, name in self.out.releases.get(kind, [])]
        if not calls:
            return None
        return calls[0] if len(calls) == 1 else ast.Or(tuple(calls))

    def release(self, owner: str, text: str, path: PathKey) -> None:
        raw: ast.RawRelease = self.loader.parse_at(text, "release_rule", path)
        self.checker.calls = {}
        try:
            kind = self.event_kind(raw.kind, "released")
            when = ast.BoolLit(True) if raw.when is None else self.checker.formula(raw.when, {})
        except FormulaError as err:
            raise self.loader.formula_error(path, err) from None
        if kind not in self.checker.vocab.obliged:
            raise self.loader.formula_error(path, FormulaError(
                f"no obligation or background rule makes {kind} due: there is no duty to "
                "release", *raw.kind.pos))
        self.counter += 1
        name = f"released!{kind}!{self.counter}"
        self.out.definitions[name] = Definition(name, (), when, owner, permission=True)
        self.out.paths[name] = path
        self.out.calls[name] = dict(self.checker.calls)
        self.out.releases.setdefault(kind, []).append((owner, name))

    def permit(self, owner: str, text: str, path: PathKey) -> None:
        raw: ast.RawForbid = self.loader.parse_at(text, "forbid_rule", path)
        try:
            kind = self.event_kind(raw.kind, "permitted")
            when = self.checker.formula(raw.when, {raw.var: EventT(kind)})
        except FormulaError as err:
            raise self.loader.formula_error(path, err) from None
        self.out.permits.append(Permit(raw.var, kind, when, owner))

    def background_forbid(self, owner: str, text: str, path: PathKey) -> None:
        raw: ast.RawForbid = self.loader.parse_at(text, "forbid_rule", path)
        try:
            kind = self.event_kind(raw.kind, "forbidden")
            when = self.checker.formula(raw.when, {raw.var: EventT(kind)})
        except FormulaError as err:
            raise self.loader.formula_error(path, err) from None
        self.out.forbids.append(Forbid(raw.var, kind, when, owner))

    def join(self) -> None:
        """``missed!K`` for each kind made due: the disjunction of its obligations."""
        for kind in sorted(self.checker.vocab.obliged):
            calls = [ast.Call(ob.definition, (_var(AT, TIME),)) for ob in self.out.obligations
                     if ob.kind == kind]
            body = calls[0] if len(calls) == 1 else ast.Or(tuple(calls))
            self.out.definitions[missed_name(kind)] = Definition(
                missed_name(kind), ((AT, TIME),), body, None)
            self.out.paths[missed_name(kind)] = next(
                self.out.paths[ob.definition] for ob in self.out.obligations if ob.kind == kind)
            self.out.calls[missed_name(kind)] = {
                c.pred: (1, 1) for c in calls if isinstance(c, ast.Call)}


def _a(t: ast.Type) -> str:
    return "a truth value" if t == BOOL else f"a value of {t}"


def is_synthetic(name: str) -> bool:
    """Whether a definition was made from a duty rule (no formula can name it)."""
    return "!" in name



def attach_duties(clauses: tuple[ClauseInfo, ...], duties: Duties) -> tuple[ClauseInfo, ...]:
    """Each clause with its obligations, permits and releases."""
    out = []
    for info in clauses:
        out.append(dataclasses.replace(
            info,
            obligations=tuple(o for o in duties.obligations if o.clause == info.id
                              and not o.background),
            permits=tuple(p for p in duties.permits if p.clause == info.id),
            releases=tuple(name for rs in duties.releases.values() for owner, name in rs
                           if owner == info.id)))
    return tuple(out)


def group_permits(permits: list[Permit]) -> dict[str, tuple[Permit, ...]]:
    by_kind: dict[str, list[Permit]] = {}
    for p in permits:
        by_kind.setdefault(p.kind, []).append(p)
    return {k: tuple(v) for k, v in by_kind.items()}


def expected_missed(program: Program, breach: Any, path: PathKey,
                    fail: Callable[..., Exception]) -> tuple[str, int]:
    """A scenario's expected missed deadline ``{missed: Kind, clause: C, at: DATE}``: its
    label (as a simulation names it) and its date."""
    from model.load import parse_moment  # the loader imports this module
    from model.missed import missed_label

    if breach.missed is None or breach.at is None or breach.event is not None:
        raise fail(path, "a breach is {event: ID, clause: C}, or for a missed deadline "
                   "{missed: Kind, clause: C, at: DATE}")
    duties = [o for o in program.obligations if o.kind == breach.missed]
    if not duties:
        raise fail((*path, "missed"), f"no obligation makes {breach.missed!r} due")
    owners = sorted({o.clause for o in duties})
    if breach.clause not in owners:
        raise fail((*path, "clause"), f"no obligation of {breach.clause!r} makes "
                   f"{breach.missed} due (those that do: {', '.join(owners)})")
    when = parse_moment(program, breach.at, lambda sub, msg: fail((*path, "at", *sub), msg))
    return missed_label(breach.missed, when, program.codec), when


def unknown_forbidder(program: Program, owner: str, known: list[str]) -> str:
    """The message for a scenario's breach ``{event: ID, clause: C}`` whose ``C`` is neither a
    clause nor a background rule that forbids (a background obligation is missed, not
    breached by an act)."""
    from model.checker import suggest
    from model.errors import shown

    if owner in program.background:
        return (f"background rule {owner!r} makes an act due and forbids none: expect its "
                "missed deadline as {missed: Kind, clause: " + owner + ", at: DATE}")
    what = "clause or background rule" if program.background else "clause"
    return f"unknown {what} {shown(owner)}{suggest(owner, known)}"
