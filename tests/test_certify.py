"""Every answer certifies itself (``formal/certify.py``); here, the certifier is put to the test.

DESIGN.md, "Verdicts": ``can → no`` and ``must → yes`` cite a minimal set of
clauses, each member necessary; ``can → yes`` and ``must → no`` come with a
witness that replays through the concrete model. ``python -m pytest``
certifies every answer of every spec in ``specs/`` (``clausecheck_certify = true``
in ``pyproject.toml``, so each spec item of the plugin certifies its answer).
These tests show that the certifier passes the answers to the ad-hoc
questions of the shared table, and that it catches answers that were tampered
with: a cited clause taken away, an unneeded clause added, a witness emptied.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from examples import ADHOC, SPEC, Example

from formal.certify import certify
from formal.engine import Engine
from formal.verdict import Answer, Citation, ReadingAnswer, Verdict
from model.load import check_question, load_spec
from model.program import Program, Query


@cache
def lexington() -> Program:
    return load_spec(SPEC)


def asked(question_id: str) -> tuple[Engine, Query, Answer]:
    program = lexington()
    query = next(q for q in (*program.questions, *program.invariants) if q.id == question_id)
    engine = Engine(program)
    return engine, query, engine.answer(query)


def with_reading(answer: Answer, index: int, changed: ReadingAnswer) -> Answer:
    rows = list(answer.by_reading)
    rows[index] = changed
    return Answer(answer.mode, answer.verdict, tuple(rows))


@pytest.mark.parametrize("example", [pytest.param(e, id=e.id) for e in ADHOC])
def test_answers_to_adhoc_questions_certify(example: Example) -> None:
    """The table's own questions (not in the spec, so not certified by the spec items)."""
    assert example.formula is not None
    program, query = check_question(lexington(), example.formula, example.id)
    engine = Engine(program)
    answer = engine.answer(query, example.readings)
    assert certify(engine, query, answer) == []


def test_a_cited_clause_taken_away_is_caught() -> None:
    """active-after-acceleration is forced by ¶2 (rescission): without it, nothing forces *no*."""
    engine, query, answer = asked("active-after-acceleration")
    first = answer.by_reading[0]
    assert first.clauses is not None and "2" in {c.clause for c in first.clauses}
    kept = tuple(c for c in first.clauses if c.clause != "2")
    problems = certify(engine, query, with_reading(answer, 0, dataclasses.replace(
        first, clauses=kept)))
    assert len(problems) == 1
    assert "alone do not force no" in problems[0]


def test_an_unneeded_clause_added_is_caught() -> None:
    """¶5 (no other amendments, no implied waiver) forces nothing about the waiver's window."""
    engine, query, answer = asked("active-after-acceleration")
    first = answer.by_reading[0]
    assert first.clauses is not None
    extra = (*first.clauses, Citation("5", "No Other Amendments", "…"))
    problems = certify(engine, query, with_reading(answer, 0, dataclasses.replace(
        first, clauses=extra)))
    assert problems == [f"under {', '.join(f'{k}={v}' for k, v in first.readings)}: clause 5 is "
                        "cited but not necessary: the others (2) force no without it"]


def test_an_emptied_witness_is_caught() -> None:
    """congress-acceleration needs Congress's own SeeksAcceleration event in its witness."""
    engine, query, answer = asked("congress-acceleration")
    first = answer.by_reading[0]
    assert first.witness is not None and first.witness.events
    emptied = dataclasses.replace(first.witness, events=())
    problems = certify(engine, query, with_reading(answer, 0, dataclasses.replace(
        first, witness=emptied)))
    assert len(problems) == 1
    assert "the witness does not replay" in problems[0]


def test_an_answer_without_its_evidence_is_caught() -> None:
    """A *yes* to ``can`` with no witness, a *no* with no clauses: neither is an answer."""
    engine, query, answer = asked("congress-acceleration")
    bare = with_reading(answer, 0, dataclasses.replace(answer.by_reading[0], witness=None))
    assert "without a witness timeline" in certify(engine, query, bare)[0]
    engine, query, answer = asked("active-after-acceleration")
    bare = with_reading(answer, 0, dataclasses.replace(answer.by_reading[0], clauses=None))
    assert "without the clauses that force it" in certify(engine, query, bare)[0]


def test_unknown_claims_nothing_and_is_not_certified_as_anything() -> None:
    """An ``unknown`` (the solver gave up within its rlimit) makes no claim to check."""
    program = lexington()
    query = program.questions[0]
    engine = Engine(program, rlimit=1)
    answer = engine.answer(query)
    assert {r.verdict for r in answer.by_reading} == {Verdict.UNKNOWN}
    assert certify(engine, query, answer) == []
