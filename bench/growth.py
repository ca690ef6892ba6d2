"""How the cost of a whole check grows with the size of the agreement.

Each point is a generated agreement (:mod:`bench.generate`) written to a temporary
folder, loaded by :func:`model.load.load_spec` and checked by
:func:`formal.suite.check_program`, exactly as ``clausecheck check`` would; every
check must pass. The growth rate is the slope of a least-squares line through
(log size, log seconds): 1 is linear, 2 quadratic. Readings are different: every
question is answered under every combination of the readings it touches, so the
work per question doubles with each reading by design; for them the figure is the
factor per added reading, and the seconds per combination.
"""

from __future__ import annotations

import math
import statistics
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from formal.suite import check_program
from model.load import load_spec

from .clock import SolverClock, timed
from .generate import Size, write_agreement

SERIES: dict[str, tuple[Size, list[int], list[int]]] = {
    "questions": (Size(clauses=5, kinds=3, readings=2), [10, 30, 100, 300, 1000], [10, 30, 100]),
    "clauses": (Size(kinds=3, readings=2, questions=20), [5, 10, 20, 40, 80], [5, 10, 20]),
    "kinds": (Size(clauses=16, readings=2, questions=32), [1, 2, 4, 8, 16], [1, 2, 4]),
    "readings": (Size(clauses=8, kinds=3, questions=8, all_readings_questions=4),
                 [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3]),
}
"""Each series: the base size, the values of the axis it varies (full run, quick run)."""


def sized(base: Size, axis: str, value: int) -> Size:
    return replace(base, **{axis: value})


def measure(size: Size, runs: int, folder: Path) -> dict[str, Any]:
    """Load and check one generated agreement ``runs`` times: median seconds, solver seconds."""
    path = write_agreement(folder, size, "growth")
    clock = SolverClock()
    totals, solver = [], []
    combinations = checks = 0
    with clock.installed():
        for _ in range(runs):
            clock.reset()
            seconds, results = timed(lambda: check_program(load_spec(path)))
            failed = [f"{r.id}: {r.detail or r.status}" for r in results if not r.ok]
            if failed:
                raise RuntimeError(f"generated agreement {size} fails its own checks: {failed}")
            totals.append(seconds)
            solver.append(clock.seconds)
            checks = len(results)
            combinations = sum(len(r.answer.by_reading) for r in results if r.answer)
    return {"size": size.__dict__, "seconds": statistics.median(totals),
            "solver_seconds": statistics.median(solver), "checks": checks,
            "combinations": combinations}


def slope(xs: list[float], ys: list[float]) -> float:
    """The slope of the least-squares line through (log x, log y)."""
    return statistics.linear_regression([math.log(x) for x in xs],
                                        [math.log(y) for y in ys]).slope


def series(axis: str, runs: int, quick: bool) -> dict[str, Any]:
    base, full_values, quick_values = SERIES[axis]
    values = quick_values if quick else full_values
    with tempfile.TemporaryDirectory(prefix="clausecheck-growth-") as tmp:
        points = [{axis: v, **measure(sized(base, axis, v), runs, Path(tmp))} for v in values]
    seconds = [p["seconds"] for p in points]
    out: dict[str, Any] = {"axis": axis, "points": points}
    if axis == "readings":
        # log(seconds) against the number of readings: the factor per added reading.
        fit = statistics.linear_regression([float(v) for v in values],
                                           [math.log(s) for s in seconds])
        out["factor_per_reading"] = math.exp(fit.slope)
        out["seconds_per_combination"] = [p["seconds"] / p["combinations"] for p in points]
    else:
        out["loglog_slope"] = slope([float(v) for v in values], seconds)
    return out


def growth(runs: int, quick: bool) -> dict[str, Any]:
    return {axis: series(axis, runs, quick) for axis in SERIES}
