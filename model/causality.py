"""Refuse formulas that look ahead: the judged-at-t rule of docs/semantics.md.

A status is judged at its time ``t``, a forbid rule at its act's date, and a
definition with time parameters at those times. The simulator judges them on
the events so far and the prover on the whole timeline; the two agree exactly
when such a formula cannot see an event dated after the time it is judged at.
So every event quantifier such a formula reaches (through the definitions it
calls) must be *guarded*: ``exists e: K. … e.date <= P …`` with the guard as a
conjunct, or ``forall e: K. e.date <= P implies …``, where ``P`` is a time
known not to lie after the judged time (:meth:`_Walk.past`). Looking back
from a later time is what ``seen from U: …`` and ``now`` are for; they judge
from the viewpoint, which never lies ahead.
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from model import ast
from model.errors import FormulaError

GUARD_OPS = {"<=": "le", "<": "le", "=": "eq", ">=": "ge", ">": "ge"}
INLINE_DEPTH = 4
"""How deep a guard is looked for inside the definitions a quantifier's body calls."""


@dataclass(frozen=True)
class LookAhead:
    """A quantifier that can see past the judged time, found in ``definition`` (or in the
    root formula itself when None)."""

    definition: str | None
    error: FormulaError
    quantifier: str = ""
    """The quantifier as written (``exists e: Notice``)."""


class _Walk:
    def __init__(self, definitions: Mapping[str, _Def], judged: str) -> None:
        self.definitions = definitions
        self.judged = judged
        self.done: set[tuple[str, frozenset[str]]] = set()

    def past(self, term: ast.Expr, past: frozenset[str]) -> bool:
        """Whether ``term`` is a time at or before the judged time."""
        if _key(term) in past:
            return True
        match term:
            case ast.Var(name=name):
                return name in past
            case ast.Now():
                return True
            case ast.Field(target=ast.Var(name=name), field="date"):
                return name in past
            case ast.Field(target=ast.Field(type=ast.EventT()) as ref, field="date"):
                return self.past(ast.Field(ref.target, "date"), past)  # refers to no later
            case ast.Arith(op="-", left=left, right=ast.IntLit(value=k)):
                return k >= 0 and self.past(left, past)
            case ast.Ite(then=then, other=other):
                return self.past(then, past) and self.past(other, past)
            case ast.TimeLit(value=value):
                return f"#{value}" in past
        return False

    def guard(self, cond: ast.Expr, var: str, past: frozenset[str], want: bool,
              depth: int = 0) -> bool:
        """Whether ``cond`` being ``want`` implies ``var.date`` is not after the judged time."""
        match cond:
            case ast.And(args=args) if want:
                return any(self.guard(a, var, past, want, depth) for a in args)
            case ast.Or(args=args) if not want:
                return any(self.guard(a, var, past, want, depth) for a in args)
            case ast.Not(arg=arg):
                return self.guard(arg, var, past, not want, depth)
            case ast.Ite(then=then, other=other):
                return (self.guard(then, var, past, want, depth)
                        and self.guard(other, var, past, want, depth))
            case ast.Cmp(op="=", left=left, right=right) if want and any(
                    isinstance(a, ast.Var) and a.name == var and isinstance(a.type, ast.EventT)
                    and self.past(ast.Field(b, "date"), past) for a, b in ((left, right),
                                                                            (right, left))):
                return True  # the event is one already seen (``r.default = d``)
            case ast.Cmp(op=op, left=left, right=right) if op in GUARD_OPS:
                return self._bounds(op, left, right, var, past, want)
            case ast.Call(pred=pred, args=args) if depth < INLINE_DEPTH:
                d = self.definitions[pred]
                names = {}
                for a, (p, _) in zip(args, d.params, strict=True):
                    if isinstance(a, ast.Var):
                        names[a.name] = p
                    elif isinstance(a, ast.Field) and a.field == "date" \
                            and isinstance(a.target, ast.Var):
                        names[a.target.name] = p  # the parameter holds the event's date
                inner_past = frozenset(p for a, (p, _) in zip(args, d.params, strict=True)
                                       if self.past(a, past) or
                                       (isinstance(a, ast.Var) and a.name in past))
                if var not in names:
                    return False
                return self.guard(d.body, names[var], inner_past, want, depth + 1)
        return False

    def _bounds(self, op: str, left: ast.Expr, right: ast.Expr, var: str,
                past: frozenset[str], want: bool) -> bool:
        for a, o, b in _sides(op, left, right):
            if _is_time_of(a, var, plus=o in ("<=", "<", "=") if want else False) \
                    and self.past(b, past):
                if want and o in ("<=", "<", "="):
                    return True
                if not want and o == ">":  # not (e.date > P)
                    return True
        return False

    def formula(self, expr: ast.Expr, past: frozenset[str], where: str | None) -> None:
        """Check every event quantifier ``expr`` reaches; raise on the first that looks ahead.

        Conditions met on the way down widen what counts as past: in ``t > deadline and …``
        the deadline lies before the judged time ``t``.
        """
        match expr:
            case ast.Quant(kind=kind, var=var, type=ast.EventT(kind=ekind), body=body, pos=pos):
                if not self._guarded(kind, var, body, past):
                    raise _Found(LookAhead(where, FormulaError(
                        f"'{kind} {var}: {ekind}' can see events dated after {self.judged}, "
                        f"the time this is judged at; bound it with '{var}.date <= …' (a time "
                        f"not after {self.judged}), or look back from a later time with "
                        "'seen from U: …'", *pos), f"{kind} {var}: {ekind}"))
                self.formula(body, past | {var}, where)
            case ast.Total(var=var, kind=ekind, where=cond, pos=pos) | \
                    ast.Count(var=var, kind=ekind, where=cond, pos=pos):
                what = f"{'total' if isinstance(expr, ast.Total) else 'count'}(… {var}: {ekind} …)"
                if not self.guard(cond, var, past, True):
                    raise _Found(LookAhead(where, FormulaError(
                        f"'{what}' can see events dated after {self.judged}, the time this is "
                        f"judged at; bound it with 'where {var}.date <= …' (a time not after "
                        f"{self.judged}), or look back from a later time with 'seen from U: …'",
                        *pos), what))
                for child in _children(expr):
                    self.formula(child, past | {var}, where)
            case ast.Quant(kind=kind, var=var, type=ast.TimeT(), body=body):
                bounded = body.left if kind == "forall" and isinstance(body, ast.Implies) \
                    else body if kind == "exists" else None
                if bounded is not None and self.guard(bounded, var, past, True):
                    past = past | {var}
                self.formula(body, past, where)
            case ast.Call(pred=pred, args=args, pos=pos):
                try:
                    self.call(pred, args, past)
                except _Found as inside:
                    if self._given_past_times(pred, args, past):
                        raise  # the callee looks ahead on its own: the error is there
                    # The arguments of this call are what let the callee see ahead.
                    raise _Found(LookAhead(where, FormulaError(
                        f"{pred}(…) is called here with a time that may lie after "
                        f"{self.judged}, the time this is judged at, so "
                        f"'{inside.found.quantifier}' in it can see later events; pass a time "
                        f"not after {self.judged}, or look back from a later time with "
                        "'seen from U: …'", *pos), inside.found.quantifier)) from None
            case ast.TimeExtremum(var=var, body=body):
                # φ(v) at every v: past when φ holds only at past times, as for 'exists v'.
                self.formula(body, past | {var} if self.guard(body, var, past, True) else past,
                             where)
            case ast.SeenFrom(at=at, body=body):
                if not self.past(at, past):  # from a past time, nothing lies ahead
                    self.formula(body, past, where)
            case ast.And(args=args):
                known = past | self.facts(args, past)
                for arg in args:
                    self.formula(arg, known, where)
            case ast.Implies(left=left, right=right):
                self.formula(left, past, where)
                self.formula(right, past | self.facts((left,), past), where)
            case ast.Ite(cond=cond, then=then, other=other):
                self.formula(cond, past, where)
                self.formula(then, past | self.facts((cond,), past), where)
                self.formula(other, past, where)
            case _:
                for child in _children(expr):
                    self.formula(child, past, where)

    def _given_past_times(self, pred: str, args: tuple[ast.Expr, ...],
                          past: frozenset[str]) -> bool:
        """Whether a timed definition is called with past times for all its time parameters."""
        d = self.definitions[pred]
        times = [a for a, (_, t) in zip(args, d.params, strict=True) if isinstance(t, ast.TimeT)]
        return bool(times) and all(self.past(a, past) for a in times)

    def facts(self, conds: Iterable[ast.Expr], past: frozenset[str]) -> frozenset[str]:
        """Times (and events) that ``conds``, all true, place at or before a past time."""
        out: set[str] = set()
        for cond in conds:
            if isinstance(cond, ast.And):
                out |= self.facts(cond.args, past)
            elif isinstance(cond, ast.Cmp) and cond.op in GUARD_OPS:
                for a, o, b in _sides(cond.op, cond.left, cond.right):
                    if o in ("<=", "<", "=") and self.past(b, past) and _key(a) is not None:
                        out.add(str(_key(a)))
        return frozenset(out)

    def _guarded(self, kind: str, var: str, body: ast.Expr, past: frozenset[str]) -> bool:
        if kind == "exists":
            return self.guard(body, var, past, True)
        match body:
            case ast.Implies(left=left):
                return self.guard(left, var, past, True)
        return self.guard(body, var, past, False)

    def call(self, pred: str, args: tuple[ast.Expr, ...], past: frozenset[str]) -> None:
        d = self.definitions[pred]
        inner = frozenset(p for a, (p, t) in zip(args, d.params, strict=True)
                          if (isinstance(t, ast.EventT) and isinstance(a, ast.Var)
                              and a.name in past)
                          or (isinstance(t, ast.TimeT) and self.past(a, past)))
        key = (pred, inner)
        if key in self.done:
            return
        self.done.add(key)
        judged, times = self.judged, [p for p, t in d.params if isinstance(t, ast.TimeT)]
        if any(p in inner for p in times):
            self.judged = " or ".join(p for p in times if p in inner)
        try:
            self.formula(d.body, inner, pred)
        finally:
            self.judged = judged


@dataclass(frozen=True)
class _Def:
    params: tuple[tuple[str, ast.Type], ...]
    body: ast.Expr


class _Found(Exception):
    def __init__(self, found: LookAhead) -> None:
        super().__init__(found.error.message)
        self.found = found


def _children(node: ast.Expr) -> list[ast.Expr]:
    out: list[ast.Expr] = []
    for name in node.__slots__:
        child = getattr(node, name)
        for c in child if isinstance(child, tuple) else (child,):
            if isinstance(c, ast.EXPR_TYPES):
                out.append(typing.cast(ast.Expr, c))
    return out


def _sides(op: str, left: ast.Expr, right: ast.Expr) -> list[tuple[ast.Expr, str, ast.Expr]]:
    """A comparison read from each side: ``a ⋈ b`` and ``b ⋈' a``."""
    flipped = {"<=": ">=", "<": ">", ">=": "<=", ">": "<", "=": "="}[op]
    return [(left, op, right), (right, flipped, left)]


def _key(term: ast.Expr) -> str | None:
    """How :meth:`_Walk.past` finds a term in the set of past things."""
    match term:
        case ast.Var(name=name) | ast.Field(target=ast.Var(name=name), field="date"):
            return name
        case ast.TimeLit(value=value):
            return f"#{value}"
        case ast.IntLit(value=value):
            return str(value)
        case ast.Arith(op=op, left=left, right=right):
            a, b = _key(left), _key(right)
            return None if a is None or b is None else f"({a} {op} {b})"
        case ast.CalFn(fn=fn, args=args, calendar=calendar):
            keys = [_key(a) for a in args]  # a deadline such as following(d.date, C)
            return None if None in keys else f"{fn}({', '.join(map(str, keys))}; {calendar})"
    return None


def _is_time_of(a: ast.Expr, var: str, plus: bool = False) -> bool:
    """``var.date`` for an event, or ``var`` itself for a time (``plus``: or either plus a
    non-negative count, which bounds it as well from above)."""
    match a:
        case ast.Arith(op="+", left=left, right=ast.IntLit(value=k)) if plus and k >= 0:
            return _is_time_of(left, var)
        case ast.Field(target=ast.Var(name=name), field="date"):
            return name == var
        case ast.Var(name=name, type=ast.TimeT()):
            return name == var
    return False


def look_ahead(expr: ast.Expr, past: Iterable[str], judged: str,
               definitions: Mapping[str, tuple[tuple[tuple[str, ast.Type], ...], ast.Expr]]
               ) -> LookAhead | None:
    """The first event quantifier that lets ``expr`` see past the judged time, if any.

    ``past`` names the variables that hold the judged time (or events seen by then);
    ``judged`` is how a message names that time.
    """
    walk = _Walk({n: _Def(p, b) for n, (p, b) in definitions.items()}, judged)
    try:
        walk.formula(expr, frozenset(past), None)
    except _Found as found:
        return found.found
    return None
