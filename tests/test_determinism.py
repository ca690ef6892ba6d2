"""Answers are reproducible: the same bytes on every run, each solver call bounded by resources.

DESIGN.md, "Verdicts": a fixed solver budget (rlimit) and seed, so answers are
the same on any machine. Two separate ``clausecheck check --json`` processes
(with different hash seeds, so no set or dict order can leak into the output)
print byte-identical documents for every spec in ``specs/``. A tiny rlimit
makes every answer ``unknown``, with a reason that names the limit, the same
way each time; and no solver call is given a timeout, which would make the
answer depend on the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import z3

from formal.engine import RLIMIT, Engine
from model.load import load_spec

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))


def check_json(hash_seed: str) -> bytes:
    """``clausecheck check --json`` of every spec, in a process of its own."""
    run = subprocess.run(
        [sys.executable, "-c", "import sys; from formal.cli import main; sys.exit(main())",
         "check", "--json", *(f"specs/{s}" for s in SPECS)],
        cwd=ROOT, capture_output=True, check=False,
        env={**os.environ, "PYTHONHASHSEED": hash_seed})
    assert run.returncode in (0, 1), run.stderr.decode()
    return run.stdout


def test_check_json_is_byte_identical_across_runs() -> None:
    first, second = check_json("1"), check_json("2")
    assert first == second
    results = json.loads(first)["results"]
    assert {r["spec"] for r in results} == {f"specs/{s}" for s in SPECS}


@pytest.fixture
def solver_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Every parameter any Z3 solver is given while the test runs."""
    given: list[tuple[str, Any]] = []
    original = z3.Solver.set

    def record(self: z3.Solver, *args: Any, **kwargs: Any) -> None:
        given.extend(zip(args[::2], args[1::2], strict=True))
        given.extend(kwargs.items())
        original(self, *args, **kwargs)

    monkeypatch.setattr(z3.Solver, "set", record)
    yield given


@pytest.mark.parametrize("spec", SPECS)
def test_every_solver_call_has_an_rlimit_and_no_timeout(
        spec: str, solver_settings: list[tuple[str, Any]]) -> None:
    program = load_spec(f"specs/{spec}")
    engine = Engine(program)
    for query in (*program.questions, *program.invariants):
        engine.answer(query)
    names = {name for name, _ in solver_settings}
    assert ("rlimit", RLIMIT) in solver_settings
    assert not {n for n in names if "timeout" in n.lower()}, names
    assert z3.get_param("timeout") == "4294967295"  # Z3's "none", globally


@pytest.mark.parametrize("spec", SPECS)
def test_a_tiny_rlimit_gives_unknown_naming_the_limit(spec: str) -> None:
    program = load_spec(f"specs/{spec}")
    query = (*program.questions, *program.invariants)[0]
    answers = [Engine(program, rlimit=1).answer(query) for _ in range(2)]
    assert answers[0] == answers[1]
    assert str(answers[0].verdict) == "unknown"
    for r in answers[0].by_reading:
        assert str(r.verdict) == "unknown"
        assert r.reason is not None and "rlimit 1" in r.reason
