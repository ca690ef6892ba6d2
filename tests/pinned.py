"""Z3 on one concrete timeline: slots pinned to its events, so both interpreters see the same world.

With every slot present, dated and valued as an event of the timeline, a
compiled formula is fixed up to its time arguments and the Skolem constants
of its existential times. (Existential events stay disjunctions over the pinned
slots here, ``choose_events=False``: the chosen-slot encoding is equivalent, and
the engine's tests and the random-spec tests cover it.) The compiled formula in positive polarity must be
satisfiable exactly where the concrete model says true, and the one in
negative polarity refutable exactly where it says false.
:func:`disagreement` checks that at many points (tuples of times) at once:
the times are symbolic, so each claim is one solver call, whatever the
number of points.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import z3

from formal.compile import SymContext, evaluate, make_slots
from formal.compile_money import real_val
from model import ast
from model.program import Program
from model.timeline import Event, Timeline

Point = tuple[int, ...]


class PinnedContext(SymContext):
    """A compiler context that keeps the names of the Skolem constants it makes."""

    made: list[str]

    def fresh(self, prefix: str) -> str:
        name = super().fresh(prefix)
        self.made.append(name)
        return name

    def compile(self, expr: ast.Expr, env: dict[str, Any], pol: int) -> tuple[Any, list[Any]]:
        """``expr`` in polarity ``pol``, and the Skolem constants it holds.

        A formula with no time quantifier, once its definitions are expanded, has
        none, and shares its subterms with what was compiled before; any other is
        built afresh, so that every Skolem constant in it is made, and seen, here.
        """
        if not has_time_quantifier(self.program, expr):
            return evaluate(expr, env, self, pol), []
        self._memo.clear()
        self.made = []
        term = evaluate(expr, env, self, pol)
        return term, [z3.Int(n, self.z3ctx) for n in self.made]


def has_time_quantifier(program: Program, expr: ast.Expr) -> bool:
    """Whether ``expr`` quantifies over times, in itself or in a definition or forbid rule it uses."""
    return any(isinstance(node, ast.Quant) and isinstance(node.type, ast.TimeT)
               for node in program.reachable([expr], with_axioms=False))


def fixed_context(program: Program, timeline: Timeline,
                  chosen: dict[str, str]) -> tuple[PinnedContext, z3.Solver, dict[str, Any]]:
    """Z3 slots pinned to the timeline's events: present, dated and valued as they are."""
    counts: dict[str, int] = {}
    for e in timeline.events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    ctx = PinnedContext(program, z3.Context(), chosen, choose_events=False)
    solver = z3.Solver(ctx=ctx.z3ctx)
    solver.add(*make_slots(counts, ctx))
    slot_of: dict[str, Any] = {}
    index_of = {e.id: i for kind in counts for i, e in enumerate(timeline.of_kind(kind))}
    for kind in counts:
        # make_slots orders a kind's slots by date, as Timeline.of orders events.
        for slot, event in zip(ctx.slots[kind], timeline.of_kind(kind), strict=True):
            solver.add(slot.present, slot.date == event.date)
            for name, value in event.fields:
                solver.add(pin(slot.fields[name], value, program.kinds[kind][name], program,
                               index_of))
            slot_of[event.id] = slot
    return ctx, solver, slot_of


def pin(term: Any, value: Any, typ: ast.Type, program: Program,
        index_of: dict[str, int]) -> Any:
    """``term`` (a slot's field) held at the concrete ``value``: an amount or ratio as an
    exact real, a reference as the index of its target among its kind's slots."""
    if isinstance(typ, ast.AmountT | ast.RatioT):
        return term == real_val(Fraction(value), term.ctx)
    if isinstance(typ, ast.EventT):
        return term.index == index_of[value.id]
    if isinstance(typ, ast.SetT):
        members = program.enums[typ.elem.name]
        return z3.And(*[b == (m in value) for b, m in zip(term, members, strict=True)])
    if isinstance(typ, ast.EnumT):
        return term == program.enums[typ.name].index(value)
    return term == value


def symbolic(value: Any, typ: ast.Type, ctx: SymContext, slot_of: dict[str, Any]) -> Any:
    """A concrete argument as the compiler's value: events are their slots."""
    if isinstance(value, Event):
        return slot_of[value.id]
    if isinstance(typ, ast.SetT):
        members = ctx.program.enums[typ.elem.name]
        return tuple(z3.BoolVal(m in value, ctx.z3ctx) for m in members)
    if isinstance(typ, ast.EnumT):
        return z3.IntVal(ctx.program.enums[typ.name].index(value), ctx.z3ctx)
    if isinstance(typ, ast.BoolT):
        return z3.BoolVal(value, ctx.z3ctx)
    return z3.IntVal(value, ctx.z3ctx)


class _Checker:
    """The four claims about one compiled formula at a set of points, one solver call each."""

    def __init__(self, solver: z3.Solver, xs: Sequence[z3.ArithRef], points: Sequence[Point],
                 truth: Sequence[bool]) -> None:
        self.solver, self.xs = solver, list(xs)
        self.true = [p for p, t in zip(points, truth, strict=True) if t]
        self.false = [p for p, t in zip(points, truth, strict=True) if not t]
        self._among: dict[bool, Any] = {}

    def among(self, points: Sequence[Point]) -> Any:
        """``xs`` is one of ``points``: parsed from SMT-LIB text, far quicker than term by term."""
        key = points is self.true
        if key not in self._among:
            names = [f"x{i}" for i in range(len(self.xs))]

            def num(v: int) -> str:
                return str(v) if v >= 0 else f"(- {-v})"
            rows = " ".join("(and true " + " ".join(f"(= {n} {num(v)})" for n, v in zip(
                names, p, strict=True)) + ")" for p in points)
            parsed = z3.parse_smt2_string(f"(assert (or false {rows}))",
                                          decls=dict(zip(names, self.xs, strict=True)),
                                          ctx=self.solver.ctx)
            self._among[key] = parsed[0]
        return self._among[key]

    def sat(self, *terms: Any) -> z3.ModelRef | None:
        self.solver.push()
        self.solver.add(*terms)
        result = self.solver.check()
        model = self.solver.model() if result == z3.sat else None
        self.solver.pop()
        if result == z3.unknown:
            raise AssertionError(f"Z3 gave up on a pinned timeline: {self.solver.reason_unknown()}")
        return model

    def point_of(self, model: z3.ModelRef) -> Point:
        return tuple(model.eval(x, model_completion=True).as_long() for x in self.xs)

    def never(self, points: Sequence[Point], term: Any) -> Point | None:
        """A point of ``points`` where ``term`` can hold, if there is one."""
        if not points:
            return None
        model = self.sat(self.among(points), term)
        return None if model is None else self.point_of(model)

    def everywhere(self, points: Sequence[Point], term: Any, fresh: list[Any]) -> Point | None:
        """A point of ``points`` where ``term`` cannot hold, if there is one.

        Without Skolem constants the term is fixed at each point, so "it cannot
        fail there" is one call. With them, each point gets its own copy of
        them, so that one satisfiable conjunction shows every point at once.
        """
        if not points:
            return None
        if not fresh:
            model = self.sat(self.among(points), z3.Not(term))
            return None if model is None else self.point_of(model)
        copies = []
        for i, point in enumerate(points):
            pairs = [(x, z3.IntVal(v, self.solver.ctx)) for x, v in zip(self.xs, point,
                                                                         strict=True)]
            pairs += [(s, z3.Int(f"{s}@{i}", self.solver.ctx)) for s in fresh]
            copies.append(z3.substitute(term, *pairs))
        if self.sat(*copies) is not None:
            return None
        return next(p for p, c in zip(points, copies, strict=True) if self.sat(c) is None)


def disagreement(solver: z3.Solver, positive: tuple[Any, list[Any]],
                 negative: tuple[Any, list[Any]], xs: Sequence[z3.ArithRef],
                 points: Sequence[Point], truth: Sequence[bool]) -> tuple[Point, str] | None:
    """A point where the compiled formula disagrees with the concrete truth, and how.

    ``positive`` and ``negative`` are the formula compiled in each polarity over
    the symbolic times ``xs``, each with its Skolem constants
    (:meth:`PinnedContext.compile`); ``truth[i]`` is the concrete value at ``points[i]``.
    """
    check = _Checker(solver, xs, points, truth)
    (pos, pos_fresh), (neg, neg_fresh) = positive, negative
    if not pos_fresh and not neg_fresh and pos.eq(neg):
        # No time quantifier: both polarities are one fixed term, so one call checks it all.
        model = check.sat(z3.Or(z3.And(check.among(check.false), pos),
                                z3.And(check.among(check.true), z3.Not(pos))))
        if model is None:
            return None
        found = check.point_of(model)
        return found, ("true concretely, but false in Z3" if found in check.true
                       else "false concretely, but true in Z3")
    found = check.never(check.false, pos)
    if found is not None:
        return found, "false concretely, but can hold in Z3 (positive polarity)"
    found = check.never(check.true, z3.Not(neg))
    if found is not None:
        return found, "true concretely, but can fail in Z3 (negative polarity)"
    found = check.everywhere(check.true, pos, pos_fresh)
    if found is not None:
        return found, "true concretely, but cannot hold in Z3 (positive polarity)"
    found = check.everywhere(check.false, z3.Not(neg), neg_fresh)
    if found is not None:
        return found, "false concretely, but cannot fail in Z3 (negative polarity)"
    return None
