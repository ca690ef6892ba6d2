"""Named dates a clause defines, as tracked assumptions: so a "no" that rests on one cites it.

A clause may define a date (``dates: {amendment_date: 2008-01-18}``: "'Amendment
Date' shall mean …"). The concrete model reads it as the fixed time it is. The
prover, when it tracks clauses, reads it as a constant of its own, equal to its
value only while the clause's literal holds: without the clause, the date is
unknown, as a dropped clause's predicates are. An answer whose proof needs the
date's value then has the clause in its unsat core, and certification (which
drops each cited clause) sees the answer change without it. Untracked compilation
(no clause literals) and specs without clause-owned dates compile as before: the
date is its value.

>>> from model.load import load_spec
>>> program = load_spec("specs/my-agreement.yaml")  # doctest: +SKIP
>>> program.date_owners  # doctest: +SKIP
{'amendment_date': '1'}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import z3

from model import ast

if TYPE_CHECKING:  # compile imports this module
    from .compile import SymContext


def is_owned(expr: ast.TimeLit, ctx: SymContext) -> bool:
    """The date is a clause's, and that clause is tracked in this problem."""
    owner = ctx.program.date_owners.get(expr.name or "")
    return owner is not None and owner in ctx.literals


def owned_date(name: str, ctx: SymContext) -> z3.ArithRef:
    """The constant that stands for a clause-owned date (see :func:`date_terms`)."""
    return z3.Int(f"date {name}", ctx.z3ctx)


def date_terms(ctx: SymContext) -> list[z3.BoolRef]:
    """Each tracked clause-owned date equals its value while its clause's literal holds."""
    out = []
    for name, clause in ctx.program.date_owners.items():
        literal = ctx.literals.get(clause)
        if literal is not None:
            value = ctx.program.dates[name]
            out.append(z3.Implies(literal, owned_date(name, ctx) == z3.IntVal(value, ctx.z3ctx)))
    return out
