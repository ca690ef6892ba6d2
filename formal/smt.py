"""Export one question as SMT-LIB2 that another solver can check as it stands.

The clause literals are declared constants and the file ends in
``check-sat-assuming`` over them, so the file means exactly what the engine
asked: ``sat`` is a timeline where the goal holds with every clause in force.
"""

from __future__ import annotations

from collections.abc import Mapping

from model.program import Query

from .engine import Engine, goal_of


def export_smt(engine: Engine, query: Query, readings: Mapping[str, str]) -> str:
    """SMT-LIB2 text for ``query`` under one full combination of readings."""
    program = engine.program
    full = {**program.default_readings(), **readings}
    problem = engine.standalone(query, full)
    assumptions = " ".join(a.sexpr() for a in problem.assumptions)
    body = problem.solver.sexpr().rstrip()
    # Literals of clauses that the question never reaches appear in no assertion: declare them.
    missing = [lit.sexpr() for lit in [*problem.ctx.literals.values(),
                                       *problem.ctx.grants.values()]
               if f"(declare-fun {lit.sexpr()} () Bool)" not in body]
    meaning = ("sat: the answer is yes (some timeline allows it)" if query.mode == "can"
               else "unsat: the answer is yes (every timeline satisfies it)")
    bound = problem.shape.bound
    lines = [
        f"; clausecheck export of {program.name} :: {query.id}",
        f"; question: {query.text}",
        f"; formula:  {query.formula_text or goal_of(query)}",
        f"; readings: {', '.join(f'{k}={v}' for k, v in sorted(full.items())) or 'none'}",
        f"; meaning:  {meaning}",
        "; times are " + ("days (proleptic Gregorian ordinals)" if program.codec.unit == "day"
                          else "minutes since 0001-01-01 00:00 UTC")
        + f"; horizon {program.codec.show(program.horizon[0])} to "
        f"{program.codec.show(program.horizon[1])}",
        "; timelines: " + ("complete (small-model bound)" if bound is None
                           else f"at most {bound} events"),
        "(set-logic ALL)",
        *(f"(declare-const {name} Bool)" for name in missing),
        body,
        f"(check-sat-assuming ({assumptions}))",
        "",
    ]
    return "\n".join(lines)
