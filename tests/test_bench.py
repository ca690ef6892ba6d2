"""The benchmarks' entry point runs and writes what docs/benchmarks.md reads; no figure is tested.

Mirrors docs/benchmarks.md, "Method": ``python -m bench`` prints tables and writes JSON,
and every generated agreement is a valid spec whose checks all pass (a benchmark that
timed wrong answers would time nothing).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.generate import Size, write_agreement
from formal.suite import check_program
from model.load import load_spec


def test_quick_run_writes_valid_json(tmp_path: Path) -> None:
    """``python -m bench --quick --only overhead --runs 1`` exits 0 and writes its JSON."""
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--only", "overhead",
                           "--runs", "1", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Python against the solver" in done.stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["machine"]["nproc"] >= 1
    overhead = document["results"]["overhead"]
    lexington = overhead["specs/lexington-2003-waiver.yaml"]["answering"]
    assert lexington["solver_calls"] > 0
    assert lexington["total"] >= lexington["solver"] > 0
    assert [t["what"] for t in document["targets"]] == ["Python / solver time, answering"]


def test_generated_agreements_are_specs_whose_checks_pass(tmp_path: Path) -> None:
    """Every question form, an invariant, a scenario with a breach, and readings: all pass."""
    size = Size(clauses=3, kinds=2, readings=2, questions=12, invariants=1,
                all_readings_questions=1, seed=3)
    program = load_spec(write_agreement(tmp_path, size, "sample"))
    results = check_program(program)
    assert len(program.questions) == 13
    assert [r.id for r in results if not r.ok] == []
    verdicts = {r.verdict for r in results if r.kind == "question"}
    assert verdicts == {"yes", "no", "depends"}


def test_explore_section_writes_its_figures(tmp_path: Path) -> None:
    """``--only explore``: every bundled spec's explorer asked over HTTP, and the engine alone."""
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--only", "explore", "--runs", "1",
                           "--out", str(out)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "Explorer over HTTP" in done.stdout
    explore = json.loads(out.read_text(encoding="utf-8"))["results"]["explore"]
    assert set(explore) == {str(p) for p in Path("specs").glob("*.yaml")}
    for figures in explore.values():
        assert set(figures) == {"ask", "timeline", "engine_alone"}
        assert set(figures["ask"]["items"]) == set(figures["engine_alone"]["items"])
