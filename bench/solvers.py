"""The same questions handed, as SMT-LIB2, to Z3 alone and to a second solver, cvc5.

Each question of a spec is exported under its default readings
(:func:`formal.smt.export_smt`), the text every other tool would get. Z3 reads it in
a fresh context (``Z3_eval_smtlib2_string``): the floor for our own overhead, with
nothing of ours around the solver. cvc5 reads it through its own SMT-LIB2 parser.
The engine's figure is a whole answer under the same readings, by a fresh engine (with
its own Z3 context, as ``ask`` makes one): the check, and the witness or the clause
core that a bare solver does not give.
"""

from __future__ import annotations

import functools
import statistics
from collections.abc import Callable
from pathlib import Path
from typing import Any

import z3

from formal.engine import Engine
from formal.smt import export_smt
from formal.verdict import Answer
from model.load import load_spec
from model.program import Program, Query

from .clock import SolverClock, timed


def expected_status(mode: str, verdict: str) -> str:
    """What a solver must say to the export of a question the engine answered ``verdict``."""
    if verdict not in ("yes", "no"):
        return "unknown"
    return "sat" if (verdict == "yes") == (mode == "can") else "unsat"


def z3_alone(text: str) -> str:
    """Z3's answer to an SMT-LIB2 script, in a context of its own."""
    ctx = z3.Context()
    return str(z3.Z3_eval_smtlib2_string(ctx.ref(), text)).strip().splitlines()[-1]


def cvc5_alone(text: str) -> str:
    """cvc5's answer to an SMT-LIB2 script (the output of its last command)."""
    import cvc5

    manager = cvc5.TermManager()
    solver = cvc5.Solver(manager)
    symbols = cvc5.SymbolManager(manager)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, text, "clausecheck")
    said = ""
    while True:
        command = parser.nextCommand()
        if command.isNull():
            return said.strip()
        said = command.invoke(solver, symbols) or said


def cvc5_available() -> bool:
    try:
        import cvc5  # noqa: F401
    except ImportError:
        return False
    return True


def answer_afresh(program: Program, query: Query, readings: dict[str, str]) -> Answer:
    """The answer of a fresh engine, as ``ask`` makes one."""
    return Engine(program).answer(query, readings)


def _median(fn: Callable[[], str], runs: int) -> tuple[float, str]:
    results = [timed(fn) for _ in range(runs)]
    answers = {r for _, r in results}
    if len(answers) != 1:
        raise RuntimeError(f"a solver answered differently on the same input: {answers}")
    return statistics.median(s for s, _ in results), results[0][1]


def solvers(spec: Path, runs: int, limit: int | None = None) -> dict[str, Any]:
    """Per question: the engine's whole answer, its solver time, Z3 alone and cvc5 alone."""
    program = load_spec(spec)
    readings = program.default_readings()
    has_cvc5 = cvc5_available()
    clock = SolverClock()
    rows = []
    for query in program.questions[:limit]:
        text = export_smt(Engine(program), query, readings)
        with clock.installed():
            Engine(program).answer(query, readings)  # warm-up
            totals, inside = [], []
            for _ in range(runs):
                clock.reset()
                # A fresh engine each time, as `ask` makes one: a solver that has answered
                # the question once answers it again from what it learned.
                seconds, answer = timed(functools.partial(answer_afresh, program, query, readings))
                totals.append(seconds)
                inside.append(clock.seconds)
        z3_seconds, z3_said = _median(functools.partial(z3_alone, text), runs)
        row: dict[str, Any] = {
            "question": query.id, "smt_chars": len(text),
            "engine_verdict": str(answer.verdict),
            "engine_seconds": statistics.median(totals),
            "engine_solver_seconds": statistics.median(inside),
            "z3_alone_seconds": z3_seconds, "z3_alone": z3_said,
        }
        expected = expected_status(query.mode, str(answer.verdict))
        row["agree"] = z3_said == expected
        if has_cvc5:
            row["cvc5_seconds"], row["cvc5"] = _median(functools.partial(cvc5_alone, text), runs)
            row["agree"] = row["agree"] and row["cvc5"] == expected
        rows.append(row)
    total = {key: sum(r[key] for r in rows) for key in
             ("engine_seconds", "engine_solver_seconds", "z3_alone_seconds", "cvc5_seconds")
             if all(key in r for r in rows)}
    return {"spec": str(spec), "cvc5": has_cvc5, "questions": rows, "total": total,
            "all_agree": all(r.get("agree", True) for r in rows)}
