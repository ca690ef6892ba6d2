"""A second solver agrees: cvc5 reads the SMT-LIB2 export of every question and invariant.

DESIGN.md, "Lessons": SMT-LIB export for a second solver. For every spec in
``specs/``, every question and invariant, under every combination of the
readings it touches, the file ``clausecheck export-smt`` writes
(``formal.smt.export_smt``, ending in ``check-sat-assuming`` over the clause
literals) is read and decided by cvc5, and cvc5's ``sat``/``unsat`` must be
what Z3's verdict says. Any disagreement, or cvc5 giving up within its
rlimit, fails. cvc5 is the optional extra ``cvc5`` (the ``test`` extra, and
so CI, installs it); without it these tests are skipped and say why.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path

import pytest

pytest.importorskip("cvc5", reason="cvc5 is not installed: pip install 'clausecheck[cvc5]' "
                                   "(the test extra and CI install it)")

from formal.engine import Engine
from formal.second_solver import cross_check, cvc5_status
from formal.smt import export_smt
from formal.verdict import Verdict
from model.load import load_spec
from model.program import Program, Query

ROOT = Path(__file__).resolve().parent.parent
SPECS = sorted(p.name for p in (ROOT / "specs").glob("*.yaml"))


@cache
def engine_of(spec: str) -> Engine:
    return Engine(load_spec(f"specs/{spec}", (ROOT / "specs" / spec).read_text(encoding="utf-8")))


def queries(program: Program) -> list[Query]:
    return [*program.questions, *program.invariants]


CASES = [pytest.param(spec, q.id, id=f"{spec.removesuffix('.yaml')}::{q.id}")
         for spec in SPECS for q in queries(engine_of(spec).program)]


@pytest.mark.parametrize(("spec", "question"), CASES)
def test_cvc5_agrees_with_z3(spec: str, question: str) -> None:
    engine = engine_of(spec)
    query = next(q for q in queries(engine.program) if q.id == question)
    answer = engine.answer(query)
    assert all(r.verdict is not Verdict.UNKNOWN for r in answer.by_reading), answer
    assert cross_check(engine, query, answer) == []


def test_a_disagreement_is_reported() -> None:
    """The check is not vacuous: a verdict flipped by hand is caught under every reading."""
    engine = engine_of(SPECS[0])
    query = queries(engine.program)[0]
    answer = engine.answer(query)
    flipped = dataclasses.replace(answer, by_reading=tuple(
        dataclasses.replace(r, verdict=Verdict.NO if r.verdict is Verdict.YES else Verdict.YES)
        for r in answer.by_reading))
    problems = cross_check(engine, query, flipped)
    assert len(problems) == len(answer.by_reading)
    assert all("cvc5 says" in p for p in problems)


def test_cvc5_is_bounded_by_resources_not_time() -> None:
    """A tiny ``rlimit-per`` makes cvc5 give up, the same way on every run."""
    engine = engine_of(SPECS[0])
    query = queries(engine.program)[0]
    text = export_smt(engine, query, engine.program.default_readings())
    assert [cvc5_status(text, rlimit=10) for _ in range(2)] == ["unknown (RESOURCEOUT)"] * 2
