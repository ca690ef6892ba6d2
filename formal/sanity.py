"""Sanity checks, on by default: the spec is consistent, each clause can matter, no invariant is vacuous."""

from __future__ import annotations

from dataclasses import dataclass

from model import ast
from model.program import ClauseInfo, Program, Query


@dataclass(frozen=True)
class SanityCheck:
    """A ``can`` query that must come out ``yes`` for the spec to make sense."""

    id: str
    text: str
    query: Query


def _can(qid: str, text: str, body: ast.Expr,
         free: tuple[tuple[str, ast.Type], ...] = ()) -> Query:
    return Query(qid, "question", text, "", "can", free, body, "yes", ())


def consistency(program: Program) -> SanityCheck:
    text = "The spec is consistent: some timeline satisfies every clause."
    return SanityCheck("consistent", text, _can("consistent", text, ast.BoolLit(True)))


def clause_checks(program: Program, clause: ClauseInfo) -> list[SanityCheck]:
    """Each rule's condition can hold: every definition can be true, every forbidden act can occur.

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
        out.append(SanityCheck(qid, text, _can(qid, text, call, definition.params)))
    for i, rule in enumerate(clause.forbids):
        body = ast.Quant("exists", rule.var, ast.EventT(rule.kind), rule.when)
        text = f"Clause {clause.id} can matter: an act it forbids ({rule.kind}) can occur."
        qid = f"clause-{clause.id}-forbid-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, body)))
    return out + duty_checks(clause)


def duty_checks(clause: ClauseInfo) -> list[SanityCheck]:
    """Each duty can be missed, each permission's condition can hold, each release can apply."""
    out = []
    for i, ob in enumerate(clause.obligations):
        t = ast.Var("t", ast.TIME)
        text = f"Clause {clause.id} can matter: a duty it imposes ({ob.kind}) can be missed."
        qid = f"clause-{clause.id}-oblige-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, ast.Call(ob.definition, (t,)),
                                               (("t", ast.TIME),))))
    for i, permit in enumerate(clause.permits):
        body = ast.Quant("exists", permit.var, ast.EventT(permit.kind), permit.when)
        text = f"Clause {clause.id} can matter: an act it permits ({permit.kind}) can occur."
        qid = f"clause-{clause.id}-permit-{i + 1}"
        out.append(SanityCheck(qid, text, _can(qid, text, body)))
    for i, name in enumerate(clause.releases):
        kind = name.split("!")[1]
        text = f"Clause {clause.id} can matter: its release of the duties to perform a " \
            f"{kind} can apply."
        qid = f"clause-{clause.id}-release-{i + 1}"
        at = ast.Var("t", ast.TIME)  # judged from some time, as a duty would judge it
        body = ast.Quant("exists", "t", ast.TIME, ast.SeenFrom(at, ast.Call(name, ()),
                                                              hindsight=False))
        out.append(SanityCheck(qid, text, _can(qid, text, body)))
    return out


def premise_check(program: Program, invariant: Query) -> SanityCheck | None:
    """An invariant ``A implies B`` is not vacuous: A can hold."""
    if not isinstance(invariant.body, ast.Implies):
        return None
    text = f"Invariant {invariant.id} is not vacuous: its premise can hold."
    qid = f"premise-{invariant.id}"
    return SanityCheck(qid, text, _can(qid, text, invariant.body.left, invariant.free))


def sanity_checks(program: Program) -> list[SanityCheck]:
    checks = [consistency(program)]
    for clause in program.clauses:
        checks += clause_checks(program, clause)
    for invariant in program.invariants:
        check = premise_check(program, invariant)
        if check is not None:
            checks.append(check)
    return checks
