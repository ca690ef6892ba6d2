"""Time in Python against time inside the solver, per question, as ``clausecheck check`` runs.

Solver time is the time inside Z3's C check (:class:`~bench.clock.SolverClock`).
Everything else is Python, z3py's own wrappers included: loading and checking the
spec, building terms, reading models, replaying witnesses, shrinking cores,
simulating scenarios. A ratio of Python to solver time near 1 or below means the
project is close to the solver's own limit: a faster Python could at best halve the
time.
"""

from __future__ import annotations

import functools
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formal.engine import Engine
from formal.sanity import sanity_checks
from model.load import load_spec
from model.program import Program, Query
from model.simulate import run_scenario

from .clock import SolverClock, timed


@dataclass
class Split:
    """Seconds of one piece of work, and the part of them inside the solver."""

    total: float
    solver: float
    calls: int
    wrapper: float = 0.0
    """Seconds in z3py's ``Solver.check`` method, the C call included."""

    @property
    def python(self) -> float:
        return self.total - self.solver

    def to_json(self) -> dict[str, Any]:
        return {"total": self.total, "solver": self.solver, "python": self.python,
                "solver_calls": self.calls, "z3py_check_wrapper": self.wrapper,
                "ratio": self.python / self.solver if self.solver else None}


def queries(program: Program) -> list[tuple[str, Query]]:
    """Every query ``check`` asks: sanity checks, questions, invariants."""
    out = [(f"sanity {s.id}", s.query) for s in sanity_checks(program)]
    out += [(f"question {q.id}", q) for q in program.questions]
    out += [(f"invariant {q.id}", q) for q in program.invariants]
    return out


def one_pass(spec: Path, clock: SolverClock) -> dict[str, Split]:
    """Load the spec, answer every query with one engine, simulate every scenario."""
    splits: dict[str, Split] = {}
    clock.reset()
    seconds, program = timed(lambda: load_spec(spec))
    splits["load"] = Split(seconds, clock.seconds, clock.calls, clock.wrapper_seconds)
    engine = Engine(program)
    for name, query in queries(program):
        clock.reset()
        seconds, _ = timed(functools.partial(engine.answer, query))
        splits[name] = Split(seconds, clock.seconds, clock.calls, clock.wrapper_seconds)
    clock.reset()
    seconds, _ = timed(lambda: [run_scenario(program, s) for s in program.scenarios])
    splits["scenarios"] = Split(seconds, clock.seconds, clock.calls, clock.wrapper_seconds)
    return splits


def _median_split(runs: list[dict[str, Split]], name: str) -> Split:
    return Split(statistics.median(r[name].total for r in runs),
                 statistics.median(r[name].solver for r in runs), runs[0][name].calls,
                 statistics.median(r[name].wrapper for r in runs))


def overhead(spec: Path, runs: int) -> dict[str, Any]:
    """Per query and in total: Python seconds, solver seconds, and their ratio (medians)."""
    clock = SolverClock()
    with clock.installed():
        one_pass(spec, clock)  # warm-up: caches on disk and in the interpreter
        passes = [one_pass(spec, clock) for _ in range(runs)]
    names = list(passes[0])
    per = {name: _median_split(passes, name) for name in names}
    asked = [per[n] for n in names if n not in ("load", "scenarios")]
    answering = Split(sum(s.total for s in asked), sum(s.solver for s in asked),
                      sum(s.calls for s in asked), sum(s.wrapper for s in asked))
    whole = Split(sum(s.total for s in per.values()), sum(s.solver for s in per.values()),
                  sum(s.calls for s in per.values()), sum(s.wrapper for s in per.values()))
    question_ratios = [s.python / s.solver for n, s in per.items()
                       if n.startswith("question ") and s.solver]
    return {
        "answering": answering.to_json(),
        "whole_check": whole.to_json(),
        "question_ratio_median": statistics.median(question_ratios) if question_ratios else None,
        "question_ratio_worst": max(question_ratios) if question_ratios else None,
        "parts": {name: split.to_json() for name, split in per.items()},
    }
