"""How many events a witness can need: the small-model bound of a formula.

Put a formula in negation normal form (here: track each node's polarity) and
expand every defined predicate. A node in both polarities (under ``iff``, an
``if`` condition or a comparison of truth values) stands for two formulas, the
node and its negation, and is walked as each. If no existential event quantifier lies under
a universal quantifier (of events or of times), the formula is in the ∃*∀*
fragment: a timeline that satisfies it keeps satisfying it when cut down to
the events its existential quantifiers pick, because universal statements
survive the removal of events. So a timeline with one event per existential
occurrence exists whenever any timeline exists, and a quantifier-free
encoding with that many event slots per kind decides the question for
timelines of every length.

Outside the fragment the encoding is bounded, and every answer says its bound.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import assert_never

from model import ast
from model.program import Program
from model.references import closed_counts

from .fragment_totals import count_thresholds, totals_walk

POS, NEG, BOTH = 1, -1, 0
BOUNDED_SLOTS = 4
"""Event slots per kind when a formula lies outside the fragment."""


@dataclass(frozen=True)
class Shape:
    """Event slots per kind, and whether they suffice for timelines of any length."""

    slots: dict[str, int]
    complete: bool
    reason: str | None = None

    @property
    def bound(self) -> int | None:
        """The most events a timeline may hold in a bounded check (None when complete)."""
        return None if self.complete else sum(self.slots.values())


def _flip(pol: int) -> int:
    return -pol


class _Walk:
    def __init__(self, program: Program) -> None:
        self.program = program
        self.counts: Counter[str] = Counter()
        self.violation: str | None = None
        self.need: Counter[str] = Counter()
        """Slots a kind needs for the count thresholds the formula names (see totals_walk)."""

    def walk(self, expr: ast.Expr, pol: int, universal: bool) -> None:
        if pol == BOTH and isinstance(expr, _CONNECTIVES):
            # Both polarities are two formulas, the node and its negation: a quantifier is
            # existential in one and universal in the other, never both in the same one.
            self.walk(expr, POS, universal)
            self.walk(expr, NEG, universal)
            return
        match expr:
            case (ast.BoolLit() | ast.IntLit() | ast.TimeLit() | ast.EnumLit() | ast.Var()
                  | ast.ReadingIs() | ast.Now()):
                return
            case ast.SeenFrom(at=at, body=body):
                self.walk(at, BOTH, universal)
                self.walk(body, pol, universal)
            case ast.SetLit(items=items):
                for item in items:
                    self.walk(item, BOTH, universal)
            case ast.Field(target=target):
                self.walk(target, BOTH, universal)
            case ast.Call(pred=pred, args=args):
                for arg in args:
                    self.walk(arg, BOTH, universal)
                self.walk(self.program.definitions[pred].body, pol, universal)
            case ast.Forbidden(event=event):
                self.walk(event, BOTH, universal)
                kind = _event_kind(event)
                for rule in self.program.forbids.get(kind, ()) if kind else (
                        r for rs in self.program.forbids.values() for r in rs):
                    self.walk(rule.when, pol, universal)
                for permit in self.program.permits.get(kind, ()) if kind else (
                        p for ps in self.program.permits.values() for p in ps):
                    self.walk(permit.when, _flip(pol), universal)  # forbidden: F and not P
            case ast.Not(arg=arg):
                self.walk(arg, _flip(pol), universal)
            case ast.And(args=args) | ast.Or(args=args):
                for arg in args:
                    self.walk(arg, pol, universal)
            case ast.Implies(left=left, right=right):
                self.walk(left, _flip(pol), universal)
                self.walk(right, pol, universal)
            case ast.Iff(left=left, right=right):
                self.walk(left, BOTH, universal)
                self.walk(right, BOTH, universal)
            case ast.Cmp(left=left, right=right) | ast.Subset(left=left, right=right):
                for kind, need in count_thresholds(expr):
                    self.need[kind] = max(self.need[kind], need)
                self.walk(left, BOTH, universal)
                self.walk(right, BOTH, universal)
            case ast.In(elem=elem, set=members):
                self.walk(elem, BOTH, universal)
                self.walk(members, BOTH, universal)
            case ast.Arith(left=left, right=right):
                self.walk(left, BOTH, universal)
                self.walk(right, BOTH, universal)
            case ast.CalFn(args=args):
                for arg in args:
                    self.walk(arg, BOTH, universal)
            case ast.Ite(cond=cond, then=then, other=other):
                self.walk(cond, BOTH, universal)
                self.walk(then, pol, universal)
                self.walk(other, pol, universal)
            case ast.Quant(kind=kind, type=ast.BoolT(), body=body):
                # Universal in effect: two instances, which may pick different events.
                for _ in range(2 if pol == BOTH or (pol == POS) == (kind == "forall") else 1):
                    self.walk(body, pol, universal)
            case ast.TimeExtremum(body=body):
                # φ(E) holds at the value (existential) and fails at every earlier (later)
                # time (universal): the body in both readings (docs/semantics.md).
                self.walk(body, POS, universal)
                self.walk(body, NEG, True)
            case ast.Quant(kind=kind, type=vtype, body=body, var=var):
                existential = pol == BOTH or (pol == POS) == (kind == "exists")
                universal_here = pol == BOTH or not existential
                if isinstance(vtype, ast.EventT) and existential:
                    self.counts[vtype.kind] += 1
                    if universal and self.violation is None:
                        self.violation = (f"'{kind} {var}: {vtype.kind}' is existential under a "
                                          "universal quantifier")
                self.walk(body, pol, universal or universal_here)
            case (ast.MoneyLit() | ast.RatioLit() | ast.Mul() | ast.Div() | ast.Extremum()
                  | ast.Total() | ast.Count()):
                for kind, need, child in totals_walk(expr):
                    if kind:
                        self.need[kind] = max(self.need[kind], need)
                        self.violation = self.violation or f"{kind} events are totalled or counted"
                    if child is not None:
                        self.walk(child, BOTH, universal or bool(kind))
            case (ast.Name() | ast.Apply() | ast.RawQuant() | ast.RawCmp() | ast.RawTotal()
                  | ast.Months() | ast.RawTimeExtremum()):
                raise TypeError(f"unchecked node {type(expr).__name__}")
            case _:
                assert_never(expr)


_CONNECTIVES = (ast.Call, ast.Forbidden, ast.Not, ast.And, ast.Or, ast.Implies, ast.Quant,
                ast.SeenFrom)
"""Formula nodes whose quantifiers take their polarity from the node's."""


def _event_kind(expr: ast.Expr) -> str | None:
    if isinstance(expr, ast.Var) and isinstance(expr.type, ast.EventT):
        return expr.type.kind
    return None


def shape_of(program: Program, goal: ast.Expr, *, with_axioms: bool = True) -> Shape:
    """The event slots needed to decide whether ``goal`` (with the spec's axioms) can hold."""
    walk = _Walk(program)
    walk.walk(goal, POS, False)
    if with_axioms:
        for axiom in program.axioms:
            walk.walk(axiom.formula, POS, False)
    counts, cycle = closed_counts(program.kinds, walk.counts)
    if cycle is not None and walk.violation is None:
        walk.violation = f"the event kinds refer to each other in a cycle ({' -> '.join(cycle)})"
    if walk.violation is None:
        return Shape(counts, True)
    slots = {kind: max(BOUNDED_SLOTS, counts.get(kind, 0), walk.need.get(kind, 0))
             for kind in program.kinds}
    return Shape(slots, False, walk.violation)
