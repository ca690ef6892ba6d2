"""The permissions an answer rests on: the clauses a witness needs to be a witness.

A ``must φ → no`` (or ``can φ → yes``) answer has a timeline where the goal holds. When
the goal reaches a permit rule (through ``forbidden``) or a release (through ``missed``),
the answer may rest on it: "Congress may decline", "without notice". Such a clause is
cited when deleting its permissions (its grant literal false, :mod:`formal.compile_duties`)
leaves no timeline where the goal holds. The set is shrunk until each member is necessary:
with the others deleted and it kept, a timeline exists again. Certification
(:mod:`formal.certify`) checks both claims afresh.

>>> needed(program, goal, ctx, solver, assumptions)  # doctest: +SKIP
{'5'}
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

import z3

from model import ast
from model.concrete import Context, axioms_hold, holds
from model.errors import EvaluationError
from model.program import Program
from model.timeline import Event, Timeline

from .compile import SymContext


def reached(program: Program, goal: ast.Expr) -> set[str]:
    """The clauses whose permits or releases ``goal`` (with the spec's assumptions) reaches."""
    out: set[str] = set()
    for node in program.reachable([goal]):
        if isinstance(node, ast.Call) and program.definitions[node.pred].permission:
            out.add(program.definitions[node.pred].clause or "")
        elif isinstance(node, ast.Forbidden):
            kind = node.event.type.kind if isinstance(node.event, ast.Var) and isinstance(
                node.event.type, ast.EventT) else None
            out |= {p.clause for k, ps in program.permits.items() for p in ps
                    if kind is None or k == kind}
    return out - {""}


def needed(program: Program, goal: ast.Expr, ctx: SymContext, solver: z3.Solver,
           assumptions: Iterable[z3.BoolRef], reach: set[str] | None = None) -> set[str]:
    """A minimal set of clauses whose permissions, deleted, leave the goal impossible (empty
    when none does, or when the solver cannot tell). ``reach`` is ``reached(program, goal)``
    when the caller has it already (the walk is the same for every reading combination)."""
    reach = reached(program, goal) if reach is None else reach
    candidates = sorted(reach & set(ctx.grants))
    if not candidates:
        return set()
    grant_ids = {lit.get_id() for lit in ctx.grants.values()}
    base = [a for a in assumptions if a.get_id() not in grant_ids
            and not (z3.is_not(a) and a.arg(0).get_id() in grant_ids)]

    def impossible(deleted: set[str]) -> bool:
        chosen = [z3.Not(lit) if c in deleted else lit for c, lit in ctx.grants.items()]
        return bool(solver.check(*base, *chosen) == z3.unsat)

    deleted = set(candidates)
    if not impossible(deleted):
        return set()
    for clause in candidates:
        if clause in deleted and impossible(deleted - {clause}):
            deleted.discard(clause)
    return deleted


def without_permissions(program: Program) -> Program:
    """``program`` with every permission deleted: no permit rule, every release false."""
    definitions = {name: dataclasses.replace(d, body=ast.BoolLit(False)) if d.permission else d
                   for name, d in program.definitions.items()}
    return dataclasses.replace(program, permits={}, definitions=definitions)


def survives_deletion(program: Program, goal: ast.Expr, events: list[Event],
                      env: Mapping[str, Any], readings: Mapping[str, str],
                      stripped: Program | None = None) -> bool:
    """Whether a witness still shows ``goal`` with every permission deleted, in the concrete
    model: then it needs none, and no solver call is spent on finding which. ``stripped`` is
    ``without_permissions(program)`` when the caller keeps it (it is the same every time)."""
    if not program.permits and not any(d.permission for d in program.definitions.values()):
        return True
    stripped = without_permissions(program) if stripped is None else stripped
    ctx = Context(stripped, Timeline.of(events), readings)
    try:
        return not axioms_hold(ctx) and holds(goal, env, ctx)
    except EvaluationError:
        return False
