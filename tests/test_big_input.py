"""Large input costs linear work: 10,000-term formulas and 10,000-event timelines (issue 14).

Mirrors DESIGN.md's promise of an answer, not a hang: the loader's walkers do not
recurse on the length of a chain, and nothing it does is quadratic. Work is counted, never
timed, so the figures are the same on a busy machine as on a quiet one: loading counts
the function calls the profiler sees (Python's and built-ins'), simulating counts formula
nodes evaluated. Each linearity test compares two sizes of the same input, four times
apart, where a linear step shows as a ratio near 4 and a quadratic one near 16. (A
quadratic loop inside one built-in call, such as ``x in a_list``, is not a call of its
own and would not show; the subprocess checks below bound the whole run with a timeout.)
"""

from __future__ import annotations

import cProfile
import datetime
import pstats
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from formal.cli import _timeline_file
from model.load import load_spec
from model.simulate import simulate

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests/golden/good/minimal.yaml"
RESCINDED = '"rescinded(t: time) := exists e: SeeksAcceleration. e.by = trustee and e.date <= t"'
CLI = [sys.executable, "-c", "import sys; from formal.entry import main; sys.exit(main())"]


def long_formula_spec(terms: int, op: str) -> str:
    """The minimal spec with clause 2's definition given ``terms`` more conjuncts or disjuncts."""
    chain = f" {op} ".join(f"e.date != {2000 + i % 30}-01-{1 + i % 28:02d}" for i in range(terms))
    return MINIMAL.read_text(encoding="utf-8").replace(
        RESCINDED, f'"rescinded(t: time) := exists e: SeeksAcceleration. e.by = trustee and '
                   f'e.date <= t and ({chain})"')


def long_timeline(events: int) -> str:
    """A timeline file for the minimal spec: ``events`` events, remedies and accelerations."""
    first = datetime.date(1991, 1, 1)
    lines = ["events:"]
    for i in range(events):
        day = first + datetime.timedelta(days=i % 12000)
        if i % 2:
            lines.append(f"  - {{id: r{i}, date: {day}, kind: ExercisesRemedies, by: congress, "
                         "causes: [unpaid]}")
        else:
            lines.append(f"  - {{id: s{i}, date: {day}, kind: SeeksAcceleration, by: congress}}")
    return "\n".join(lines) + "\n"


def calls(action: object) -> int:
    """The number of function calls (Python and built-in) that ``action()`` makes."""
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        action()  # type: ignore[operator]
    finally:
        profiler.disable()
    return int(pstats.Stats(profiler).total_calls)  # type: ignore[attr-defined]


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_10000_term_formula_loads_in_linear_time(op: str) -> None:
    small, big = long_formula_spec(2500, op), long_formula_spec(10000, op)
    load_spec(MINIMAL)  # warm: the grammar and imports are not what is measured
    small_cost = calls(lambda: load_spec("small.yaml", small))
    big_cost = calls(lambda: load_spec("big.yaml", big))
    assert big_cost / small_cost < 6, (small_cost, big_cost)


@pytest.mark.parametrize("op", ["and", "or"])
def test_a_10000_term_formula_is_checked_in_seconds(op: str, tmp_path: Path) -> None:
    spec = tmp_path / "long.yaml"
    spec.write_text(long_formula_spec(10000, op), encoding="utf-8")
    result = subprocess.run([*CLI, "check", str(spec)], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.splitlines()[-1].startswith("6 checks:")


def test_a_10000_event_timeline_loads_in_linear_time(tmp_path: Path) -> None:
    program = load_spec(MINIMAL)
    small, big = tmp_path / "small.yaml", tmp_path / "big.yaml"
    small.write_text(long_timeline(2500), encoding="utf-8")
    big.write_text(long_timeline(10000), encoding="utf-8")
    small_cost = calls(lambda: _timeline_file(program, small))
    loaded: list[object] = []
    big_cost = calls(lambda: loaded.extend(_timeline_file(program, big)[0]))
    assert len(loaded) == 10000
    assert big_cost / small_cost < 6, (small_cost, big_cost)


def test_simulating_a_timeline_takes_linear_time(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """500 and 2,000 events: a linear simulator evaluates about 4 times more formula nodes, a
    quadratic one 16. Counted, not timed, so the figure is the same on any machine."""
    import model.concrete as concrete

    program = load_spec(MINIMAL)
    original = concrete.evaluate
    steps = [0]

    def counted(*args: Any, **kwargs: Any) -> Any:
        steps[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(concrete, "evaluate", counted)
    costs = []
    for events in (500, 2000):
        path = tmp_path / f"t{events}.yaml"
        path.write_text(long_timeline(events), encoding="utf-8")
        timeline, readings, at = _timeline_file(program, path)
        full = {**program.default_readings(), **readings}
        steps[0] = 0
        simulate(program, timeline, full, at)
        costs.append(steps[0])
    assert costs[1] / costs[0] < 6, costs
