"""Sanity checks, on by default: the spec is consistent, each clause can matter, no invariant is vacuous."""

from __future__ import annotations

from dataclasses import dataclass

from model import ast
from model.program import ClauseInfo, Program, Query

from .verdict import Answer, Verdict


@dataclass(frozen=True)
class SanityCheck:
    """A ``can`` query that must come out ``yes`` for the spec to make sense."""

    id: str
    text: str
    query: Query
    some_reading: bool = False
    """Holds when the query is ``yes`` under some combination of readings, not every one: a
    rule gated on one reading (``reading r is o and …``) can matter, under that reading."""


def _can(qid: str, text: str, body: ast.Expr,
         free: tuple[tuple[str, ast.Type], ...] = (),
         readings: tuple[tuple[str, str], ...] = ()) -> Query:
    return Query(qid, "question", text, "", "can", free, body, "yes", (), readings)


def consistency(program: Program) -> SanityCheck:
    text = "The spec is consistent: some timeline satisfies every clause."
    return SanityCheck("consistent", text, _can("consistent", text, ast.BoolLit(True)))


def clause_checks(program: Program, clause: ClauseInfo) -> list[SanityCheck]:
    """Each rule's condition can hold: every definition can be true, every forbidden act can occur,
    under some combination of readings (see :func:`can_matter`).

    A definition that is ``false`` by its own text (``p(x) := false``) says
    that something never happens; it matters because without it the predicate
    would be unknown, so it is checked to be able to fail instead.
    """
    out = []
    for name in clause.defines:
        definition = program.definitions[name]
        args = tuple(ast.Var(p, t) for p, t in definition.params)
        call: ast.Expr = ast.Call(name, args)
        says = "can hold"
        if definition.body == ast.BoolLit(False):
            call, says = ast.Not(call), "can fail (it is false by its text)"
        text = f"Clause {clause.id} can matter: {name} {says}."
        qid = f"clause-{clause.id}-{name}"
        out.append(SanityCheck(qid, text, _can(qid, text, call, definition.params), True))
    for i, rule in enumerate(clause.forbids):
        body = ast.Quant("exists", rule.var, ast.EventT(rule.kind), rule.when)
        text = f"Clause {clause.id} can matter: an act it forbids ({rule.kind}) can occur."
        qid = f"clause-{clause.id}-forbid-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, body), True))
    return out + duty_checks(clause)


def duty_checks(clause: ClauseInfo) -> list[SanityCheck]:
    """Each duty can be missed, each permission's condition can hold, each release can apply."""
    out = []
    for i, ob in enumerate(clause.obligations):
        t = ast.Var("t", ast.TIME)
        text = f"Clause {clause.id} can matter: a duty it imposes ({ob.kind}) can be missed."
        qid = f"clause-{clause.id}-oblige-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, ast.Call(ob.definition, (t,)),
                                               (("t", ast.TIME),)), True))
    for i, permit in enumerate(clause.permits):
        body = ast.Quant("exists", permit.var, ast.EventT(permit.kind), permit.when)
        text = f"Clause {clause.id} can matter: an act it permits ({permit.kind}) can occur."
        qid = f"clause-{clause.id}-permit-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, body), True))
    for i, name in enumerate(clause.releases):
        kind = name.split("!")[1]
        text = f"Clause {clause.id} can matter: its release of the duties to perform a " \
            f"{kind} can apply."
        qid = f"clause-{clause.id}-release-{i + 1}"
        at = ast.Var("t", ast.TIME)  # judged from some time, as a duty would judge it
        body = ast.Quant("exists", "t", ast.TIME, ast.SeenFrom(at, ast.Call(name, ()),
                                                              hindsight=False))
        out.append(SanityCheck(qid, text, _can(qid, text, body), True))
    return out


def premise_check(program: Program, invariant: Query) -> SanityCheck | None:
    """An invariant ``A implies B`` is not vacuous: A can hold."""
    if not isinstance(invariant.body, ast.Implies):
        return None
    text = f"Invariant {invariant.id} is not vacuous: its premise can hold."
    qid = f"premise-{invariant.id}"
    return SanityCheck(qid, text, _can(qid, text, invariant.body.left, invariant.free,
                                       invariant.readings))


def sanity_checks(program: Program) -> list[SanityCheck]:
    checks = [consistency(program)]
    for clause in program.clauses:
        checks += clause_checks(program, clause)
    for invariant in program.invariants:
        check = premise_check(program, invariant)
        if check is not None:
            checks.append(check)
    return checks


def can_matter(answer: Answer) -> tuple[str, str, str]:
    """The status, verdict and detail of a "can matter" check: it holds when the rule can
    matter under SOME combination of readings; one that never can names those it tried."""
    yes = [r for r in answer.by_reading if r.verdict is Verdict.YES]
    tried = "; ".join(_label(r.readings) for r in answer.by_reading)
    if yes and len(yes) == len(answer.by_reading):
        return "ok", "yes", ""
    if yes:
        return "ok", "yes", f"only under {'; '.join(_label(r.readings) for r in yes)}"
    if any(r.verdict is Verdict.UNKNOWN for r in answer.by_reading):
        return "unknown", "unknown", "; ".join(r.reason or "" for r in answer.by_reading
                                               if r.reason)
    return "failed", "no", f"it can never matter, under any reading tried ({tried})"


def _label(readings: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{k}={v}" for k, v in readings) or "every reading"
