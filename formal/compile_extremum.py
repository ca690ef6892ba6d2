"""``earliest v: time. φ`` and ``latest v: time. φ`` compiled to Z3, exactly.

The twin of :func:`model.concrete.extremum`. The truth of ``φ`` as ``v`` runs over the
horizon ``[lo, hi]`` is constant on stretches that start at ``lo`` or at one of ``φ``'s
breakpoints (:func:`formal.compile.breakpoints`), so the first unit where ``φ`` holds is
the least breakpoint inside the horizon at which it holds, and the last is the greatest
``p − 1`` (or ``hi``) at which it holds: an if-then-else over finitely many candidates,
with ``hi + 1`` (``lo − 1``) when there is none (docs/semantics.md, "Earliest and latest").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import z3

from model import ast
from model.errors import BudgetExceeded

from .fragment import BOTH


def extremum(kind: str, var: str, body: ast.Expr, env: Mapping[str, Any], ctx: Any) -> Any:
    """The Z3 term of ``earliest``/``latest var: time. body`` under ``env``."""
    from .compile import at_fresh_time, breakpoints, int_val

    t, term = at_fresh_time(var, body, env, ctx, BOTH)
    lo, hi = ctx.program.horizon
    points = breakpoints(term, t, lo, hi)
    if points is None:
        raise BudgetExceeded(f"'{kind} {var}: time' has a body that is not linear in {var!r} "
                             "(a time chosen by an if-then-else or a nested quantifier that "
                             "stays a real quantifier); the prover cannot compute it exactly")
    earliest = kind == "earliest"
    candidates = points if earliest else [hi, *(p - 1 for p in points)]
    result: Any = int_val(hi + 1 if earliest else lo - 1, ctx)
    for p in candidates:
        if isinstance(p, int) and not lo <= p <= hi:
            continue
        at = int_val(p, ctx) if isinstance(p, int) else p
        holds = z3.substitute(term, (t, at))
        if not isinstance(p, int):
            holds = z3.And(at >= lo, at <= hi, holds)
        better = at < result if earliest else at > result
        result = z3.If(z3.And(holds, better), at, result)
    return result
