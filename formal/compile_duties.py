"""The symbolic side of permissions: twin of the permit check in :func:`model.concrete.forbidding`.

Each clause that grants a permission (a permit or a release rule) has a *grant* literal
besides its tracking literal. The engine assumes it true; to find the permissions that an
answer rests on, it assumes some false, which deletes them (a permit that never holds, a
release that never applies) rather than making them unknown as a dropped clause does.
"""

from __future__ import annotations

from collections.abc import Iterable

import z3

from model.concrete import HINDSIGHT, NOW

from .compile import Slot, Sym, SymContext, disj, evaluate, unknown


def grant_literals(ctx: SymContext) -> dict[str, z3.BoolRef]:
    """A grant literal for each clause with a permit or a release rule."""
    return {c.id: z3.Bool(f"grant {c.id}", ctx.z3ctx) for c in ctx.program.clauses
            if c.permits or c.releases}


def granted(clause: str | None, term: z3.BoolRef, ctx: SymContext) -> z3.BoolRef:
    """``term``, or false when the engine deletes the permissions of ``clause``."""
    literal = ctx.grants.get(clause or "")
    return term if literal is None else z3.And(literal, term)


def permitting(slot: Slot, judged: Sym, hindsight: bool, ctx: SymContext,
               pol: int) -> z3.BoolRef:
    """Some permit rule holds for the event in ``slot``, judged as its forbid rules are."""
    parts = []
    for i, rule in enumerate(ctx.program.permits.get(slot.kind, ())):
        when = evaluate(rule.when, {rule.var: slot, NOW: judged, HINDSIGHT: hindsight}, ctx, pol)
        literal = ctx.literals.get(rule.clause)
        if literal is not None:
            when = z3.If(literal, when, unknown(f"unknown!permit!{slot.kind}!{i}", (slot,), ctx))
        parts.append(granted(rule.clause, when, ctx))
    return disj(parts, ctx)


def grant_assumptions(ctx: SymContext, delete: Iterable[str]) -> list[z3.BoolRef]:
    """Every grant literal as an assumption: true, or false for the clauses in ``delete``."""
    gone = set(delete)
    return [z3.Not(lit) if c in gone else lit for c, lit in ctx.grants.items()]
