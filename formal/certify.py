"""Every answer certifies itself, checked from sides the engine did not use to find it.

* A witness (``can → yes``, ``must → no``) is replayed here by the concrete
  model (:mod:`model.concrete`, the reference semantics): the spec's
  assumptions hold on it and so does the question's goal, at the witness's
  values. The engine replays it too; this check does not trust that it did.
* Cited permissions of a witness answer are checked likewise: deleting them
  leaves the goal impossible, and each is needed (:mod:`formal.permissions`).
* Cited clauses (``can → no``, ``must → yes``) are checked as a claim: the
  cited clauses alone force the answer (every other clause dropped, so what
  it defines, the dates it defines too (:mod:`formal.compile_dates`), is unknown
  and its assumptions are gone), and each cited clause
  is necessary (without it, the rest no longer force the answer).

>>> from model.load import load_spec
>>> program = load_spec("specs/my-agreement.yaml")  # doctest: +SKIP
>>> engine = Engine(program)  # doctest: +SKIP
>>> query = program.questions[0]  # doctest: +SKIP
>>> certify(engine, query, engine.answer(query))  # doctest: +SKIP
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import z3

from model.concrete import Context, axioms_hold, holds
from model.program import Program, Query
from model.timeline import Timeline

from .engine import Engine, goal_of
from .verdict import Answer, ReadingAnswer, Verdict, Witness, witness_values


def certify(engine: Engine, query: Query, answer: Answer) -> list[str]:
    """What is wrong with ``answer`` to ``query``, one line per problem; empty when it certifies."""
    problems: list[str] = []
    for r in answer.by_reading:
        label = ", ".join(f"{k}={v}" for k, v in r.readings) or "every reading"
        problems += [f"under {label}: {p}" for p in certify_reading(engine, query, r)]
    return problems


def certify_reading(engine: Engine, query: Query, r: ReadingAnswer) -> list[str]:
    """The problems of one reading combination's answer."""
    if r.verdict is Verdict.UNKNOWN:
        return []  # nothing is claimed, and nothing is shown as yes or no
    shown_by_witness = (r.verdict is Verdict.YES) == (query.mode == "can")
    if shown_by_witness:
        if r.witness is None:
            return [f"{query.mode} → {r.verdict} comes without a witness timeline"]
        return replay_problems(engine.program, query, r.witness, dict(r.readings)) + \
            permission_problems(engine, query, r)
    if r.clauses is None:
        return [f"{query.mode} → {r.verdict} comes without the clauses that force it"]
    cited = {c.clause for c in r.clauses}
    readings = dict(r.readings)
    problems = []
    alone = forced(engine, query, readings, cited)
    if alone is not True:
        problems.append(f"the cited clauses ({_ids(engine, cited)}) alone do not force "
                        f"{r.verdict}: {alone}")
    for clause in engine.clause_order(cited):
        without = forced(engine, query, readings, cited - {clause}, drop=[clause])
        if without is True:
            problems.append(f"clause {clause} is cited but not necessary: the others "
                            f"({_ids(engine, cited - {clause})}) force {r.verdict} without it")
        elif without != "sat":
            problems.append(f"cannot tell whether clause {clause} is necessary: {without}")
    return problems


def permission_problems(engine: Engine, query: Query, r: ReadingAnswer) -> list[str]:
    """The cited permissions of a witness answer, checked: deleting them all leaves no
    timeline where the goal holds (the answer changes), and each is necessary."""
    cited = {c.clause for c in r.clauses or ()}
    if not cited:
        return []
    readings = dict(r.readings)
    problems = []
    gone = forced(engine, query, readings, None, delete=cited)
    if gone is not True:
        problems.append(f"deleting the cited permissions ({_ids(engine, cited)}) does not "
                        f"change the answer: {gone}")
    for clause in engine.clause_order(cited):
        kept = forced(engine, query, readings, None, delete=cited - {clause})
        if kept is True:
            problems.append(f"the permission of clause {clause} is cited but not needed: "
                            f"deleting the others ({_ids(engine, cited - {clause})}) changes "
                            "the answer without it")
        elif kept != "sat":
            problems.append(f"cannot tell whether the permission of clause {clause} is "
                            f"needed: {kept}")
    return problems


def forced(engine: Engine, query: Query, readings: Mapping[str, str],
           keep: Iterable[str] | None, drop: Iterable[str] = (),
           delete: Iterable[str] = ()) -> bool | str:
    """True when the kept clauses alone (with the permissions of ``delete`` deleted) make the
    goal impossible; else the solver's word."""
    problem = engine.problem(query, readings, keep=keep, drop=drop, delete=delete)
    result = problem.solver.check(*problem.assumptions)
    if result == z3.unsat:
        return True
    if result == z3.sat:
        return "sat"
    return f"the solver gave up ({problem.solver.reason_unknown()})"


def replay_problems(program: Program, query: Query, witness: Witness,
                    readings: Mapping[str, str]) -> list[str]:
    """Why the witness fails to show the goal in the concrete model (empty when it shows it)."""
    full = {**program.default_readings(), **readings}
    ctx = Context(program, Timeline.of(list(witness.events)), full)
    lo, hi = program.horizon
    problems = [f"witness event {e.id} lies outside the horizon" for e in witness.events
                if not lo <= e.date <= hi]
    broken = axioms_hold(ctx)
    if broken:
        problems.append(f"the witness breaks the assumptions of clause(s) {', '.join(broken)}")
    if not holds(goal_of(query), witness_values(program, query, witness), ctx):
        events = "; ".join(f"{program.codec.show(e.date)} {e.describe(program.codec)}"
                           for e in witness.events)
        problems.append(f"the witness does not replay: the goal is false on [{events}] with "
                        f"{dict(witness.bindings)}")
    return problems


def _ids(engine: Engine, clauses: Iterable[str]) -> str:
    return ", ".join(engine.clause_order(clauses)) or "none"
