"""A second solver: cvc5 reads the SMT-LIB2 export of a question and must agree with Z3.

The export (:func:`formal.smt.export_smt`) states each clause's rules behind
its literal and ends with ``check-sat-assuming`` over the literals, so cvc5
answers exactly what the engine asked Z3: ``sat`` is a timeline where the
goal holds with every clause in force. cvc5 is an optional extra
(``pip install 'clausecheck[cvc5]'``); without it :class:`SecondSolverMissing`
says so, and nothing stands in for it.

>>> cvc5_status("(set-logic ALL)(declare-const a Bool)(assert a)(check-sat-assuming ((not a)))")
'unsat'
"""

from __future__ import annotations

from typing import Any

from model.errors import ClauseCheckError
from model.program import Query

from .engine import Engine
from .smt import export_smt
from .verdict import Answer, Verdict

CVC5_RLIMIT = 20_000_000
"""cvc5 resource units per check (``rlimit-per``): a budget that is the same on every machine."""


class SecondSolverMissing(ClauseCheckError):
    """cvc5 is not installed; install the ``cvc5`` extra."""


def _cvc5() -> Any:
    try:
        import cvc5
    except ImportError:
        raise SecondSolverMissing("the second solver needs cvc5: pip install "
                                  "'clausecheck[cvc5]'") from None
    return cvc5


def cvc5_status(smt: str, rlimit: int = CVC5_RLIMIT) -> str:
    """What cvc5 answers to the last check of an SMT-LIB2 text: sat, unsat or unknown (why)."""
    cvc5 = _cvc5()
    terms = cvc5.TermManager()
    solver = cvc5.Solver(terms)
    solver.setOption("rlimit-per", str(rlimit))
    symbols = cvc5.SymbolManager(terms)
    parser = cvc5.InputParser(solver, symbols)
    parser.setStringInput(cvc5.InputLanguage.SMT_LIB_2_6, smt, "export.smt2")
    said: list[str] = []
    while True:
        command = parser.nextCommand()
        if command.isNull():
            break
        output = command.invoke(solver, symbols).strip()
        if output:
            said.append(output)
    if not said or said[-1].split()[0] not in ("sat", "unsat", "unknown"):
        raise ClauseCheckError(f"cvc5 gave no verdict for the export: {said}")
    return said[-1]  # "unknown" comes with cvc5's reason, as in "unknown (RESOURCEOUT)"


def cross_check(engine: Engine, query: Query, answer: Answer) -> list[str]:
    """Where cvc5 disagrees with Z3 on ``answer``, one line per reading combination."""
    program = engine.program
    problems = []
    for r in answer.by_reading:
        if r.verdict is Verdict.UNKNOWN:
            continue  # Z3 claimed nothing here
        readings = {**program.default_readings(), **dict(r.readings)}
        expected = "sat" if (r.verdict is Verdict.YES) == (query.mode == "can") else "unsat"
        status = cvc5_status(export_smt(engine, query, readings))
        if status != expected:
            label = ", ".join(f"{k}={v}" for k, v in r.readings) or "every reading"
            problems.append(f"under {label}: Z3 answers {r.verdict} ({expected}), cvc5 says "
                            f"{status}")
    return problems
