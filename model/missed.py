"""Missed deadlines on one concrete timeline: every duty's breach, with its clause and date.

The reference for what ``missed(K, t)`` counts (:mod:`model.duties` builds that predicate
from the same obligation): a duty of an obligation is missed when the obligation's
predicate holds for it at its own breach date. A simulation reports each breach on its date.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from model import ast
from model.concrete import NOW, Context, Val, evaluate, runs_of, visible
from model.duties import AT
from model.errors import EvaluationError
from model.program import Obligation
from model.timecodec import TimeCodec


@dataclass(frozen=True)
class MissedDeadline:
    """A duty of ``clause`` (or of the background rule of that id) to perform an act of
    ``kind`` by ``due``, not performed: the breach is dated ``date``."""

    clause: str
    kind: str
    due: int
    date: int


def missed_label(kind: str, date: int, codec: TimeCodec) -> str:
    """How a scenario and a simulation name a missed deadline: ``missed Report (2009-08-10)``."""
    return f"missed {kind} ({codec.show(date)})"


def missed_deadlines(ctx: Context, env: Mapping[str, Val]) -> list[MissedDeadline]:
    """Every missed deadline whose breach is dated at or before the viewpoint of ``env``,
    in date order (for a duty of each time, one per run of consecutive missed times)."""
    out = [m for ob in ctx.program.obligations for m in _of(ob, ctx, env)]
    return sorted(out, key=lambda m: (m.date, m.clause, m.kind, m.due))


def _of(ob: Obligation, ctx: Context, env: Mapping[str, Val]) -> Iterator[MissedDeadline]:
    view = env.get(NOW, ctx.program.horizon[1])
    body = ctx.program.definitions[ob.definition].body
    scope = {**env, AT: view}
    if ob.trigger is None:
        due = evaluate(ob.deadline, scope, ctx)
        if evaluate(body, scope, ctx):
            yield MissedDeadline(ob.clause, ob.kind, due, due + 1)
        return
    assert isinstance(body, ast.Quant)
    name, typ = ob.trigger
    if isinstance(typ, ast.EventT):
        for event in visible(typ.kind, env, ctx):
            if evaluate(body.body, {**scope, name: event}, ctx):
                due = evaluate(ob.deadline, {**scope, name: event}, ctx)
                yield MissedDeadline(ob.clause, ob.kind, due, max(due + 1, event.date))
        return
    for start in _trigger_times(body.body, name, scope, ctx):
        due = evaluate(ob.deadline, {**scope, name: start}, ctx)
        yield MissedDeadline(ob.clause, ob.kind, due, max(due + 1, start))


def _trigger_times(body: ast.Expr, var: str, env: Mapping[str, Val],
                   ctx: Context) -> list[int]:
    """The first time of each run of trigger times whose duty is missed."""
    runs = runs_of(body, var, env, ctx)
    if runs is not None:
        return [start for start, _ in runs.runs]
    lo, hi = ctx.program.horizon
    if hi - lo > 200_000:
        raise EvaluationError(f"the duty for each time '{var}' cannot be listed run by run; "
                              "narrow the horizon")
    out, previous = [], False
    for x in range(lo, hi + 1):
        now = bool(evaluate(body, {**env, var: x}, ctx))
        if now and not previous:
            out.append(x)
        previous = now
    return out
