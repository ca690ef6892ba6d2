"""Timing helpers: repeated runs, whole processes, and the time spent inside Z3's ``check``."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import z3

T = TypeVar("T")


@dataclass(frozen=True)
class Runs:
    """Seconds of several runs of one thing."""

    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def worst(self) -> float:
        return max(self.seconds)

    @property
    def best(self) -> float:
        return min(self.seconds)

    def to_json(self) -> dict[str, Any]:
        return {"median": self.median, "best": self.best, "worst": self.worst,
                "runs": list(self.seconds)}


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    """Seconds one call of ``fn`` takes, and what it returns."""
    started = time.perf_counter()
    value = fn()
    return time.perf_counter() - started, value


def repeat(fn: Callable[[], object], runs: int) -> Runs:
    return Runs(tuple(timed(fn)[0] for _ in range(runs)))


@dataclass(frozen=True)
class ProcessRun:
    seconds: float
    code: int
    stdout: str
    stderr: str


def run_process(argv: Sequence[str | Path], cwd: Path | None = None) -> ProcessRun:
    """Run a command to completion; the seconds include the interpreter's start-up."""
    started = time.perf_counter()
    done = subprocess.run([str(a) for a in argv], capture_output=True, text=True, cwd=cwd,
                          check=False)
    seconds = time.perf_counter() - started
    return ProcessRun(seconds, done.returncode, done.stdout, done.stderr)


def repeat_process(argv: Sequence[str | Path], runs: int, cwd: Path | None = None,
                   ok: Sequence[int] = (0,)) -> Runs:
    """Seconds of ``runs`` runs of a command; an unexpected exit code stops the benchmark."""
    seconds = []
    for _ in range(runs):
        run = run_process(argv, cwd)
        if run.code not in ok:
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {run.code}: {run.stderr[-500:]}")
        seconds.append(run.seconds)
    return Runs(tuple(seconds))


class SolverClock:
    """Seconds spent inside Z3's check, and how many checks, while installed.

    It wraps the C entry point that ``z3.Solver.check`` calls
    (``Z3_solver_check_assumptions``, looked up in ``z3.z3`` at each call), so the time
    of z3py's own Python wrapper around it counts as Python, as it should; and it wraps
    ``Solver.check`` itself to tell how much that wrapper costs. Arguments and results
    pass through untouched: nothing the engine does changes.
    """

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self.wrapper_seconds = 0.0

    def reset(self) -> None:
        self.seconds, self.calls, self.wrapper_seconds = 0.0, 0, 0.0

    @contextmanager
    def installed(self) -> Iterator[SolverClock]:
        original_c = z3.z3.Z3_solver_check_assumptions
        original_check = z3.Solver.check

        def check_c(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_c(*args)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        def check(solver: z3.Solver, *assumptions: Any) -> Any:
            started = time.perf_counter()
            try:
                return original_check(solver, *assumptions)
            finally:
                self.wrapper_seconds += time.perf_counter() - started

        z3.z3.Z3_solver_check_assumptions = check_c
        z3.Solver.check = check
        try:
            yield self
        finally:
            z3.z3.Z3_solver_check_assumptions = original_c
            z3.Solver.check = original_check
