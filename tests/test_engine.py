"""The solver engine on the Lexington waiver: verdicts, citations, witnesses, readings, bounds.

Mirrors DESIGN.md, "Verdicts", "Readings" and "Answers for every timeline":

* a verdict per reading, combined into the common one or ``depends``;
* ``can … → no`` and ``must … → yes`` cite a set of clauses, each member necessary;
* ``can … → yes`` and ``must … → no`` come with a witness that replays through the
  concrete model (:mod:`model.concrete`, the reference semantics) and lies in the horizon;
* the same question gives the same answer every time (fixed seed and rlimit);
* a formula in the ∃*∀* fragment is decided for timelines of every length, and one
  outside it says its bound.

Every case is an :class:`examples.Example` from the shared table ``tests/examples.py``,
whose expected values come from the agreement's text, quoted there.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from examples import (
    ADHOC,
    AGREEMENT,
    BOUNDED_QUANTIFIER,
    BOUNDED_QUESTION,
    EXAMPLES,
    FAR_APART_QUESTION,
    SPEC,
    SPEC_INVARIANTS,
    SPEC_QUESTIONS,
    Example,
    by_id,
)

from formal.certify import witness_values
from formal.engine import Engine, goal_of
from formal.fragment import shape_of
from formal.verdict import Answer, Verdict
from model.concrete import Context, holds
from model.errors import UsageError
from model.load import check_question, load_spec
from model.program import Program, Query
from model.timecodec import parse_time
from model.timeline import Timeline

ROOT = Path(__file__).resolve().parent.parent


@functools.cache
def lexington() -> Program:
    return load_spec((ROOT / SPEC).as_posix())


@dataclass(frozen=True)
class Asked:
    """One example asked of the engine: the program that knows its dates, the query, the answer."""

    example: Example
    program: Program
    query: Query
    engine: Engine
    answer: Answer


def query_of(example: Example) -> tuple[Program, Query]:
    program = lexington()
    if example.formula is not None:
        return check_question(program, example.formula, example.id)
    pool = program.questions if example.kind == "question" else program.invariants
    return program, next(q for q in pool if q.id == example.id)


@functools.cache
def asked(example_id: str) -> Asked:
    """Each example is answered once per test session (answers are values, shared by tests)."""
    example = by_id(example_id)
    program, query = query_of(example)
    engine = Engine(program)
    return Asked(example, program, query, engine, engine.answer(query, example.readings))


def ids(examples: tuple[Example, ...] | list[Example]) -> list[Any]:
    return [pytest.param(e, id=e.id) for e in examples]


def has_witness(mode: str, verdict: Verdict) -> bool:
    """``can … → yes`` and ``must … → no`` are shown by a timeline (DESIGN.md, "Verdicts")."""
    return (mode == "can") == (verdict is Verdict.YES)


def verdict_without(engine: Engine, query: Query, readings: dict[str, str],
                    clause: str) -> Verdict:
    """The verdict under one full reading combination with ``clause`` dropped (its rules unknown)."""
    answer = engine.answer(query, readings, drop=[clause])
    (only,) = answer.by_reading
    assert only.verdict is not Verdict.UNKNOWN, f"{query.id} without {clause}: {only.reason}"
    assert only.witness is None, "a witness of a weakened spec is never shown"
    return only.verdict


def shown_by(example: Example) -> set[bool]:
    """Whether the example's answers come with a witness (True), with clauses (False), or both."""
    if example.verdict == "depends":
        return {True, False}
    return {has_witness(query_of(example)[1].mode, Verdict(example.verdict))}


WITH_CITES = [e for e in EXAMPLES if e.cites]
FORCED = [e for e in EXAMPLES if False in shown_by(e)]
WITH_WITNESS = [e for e in EXAMPLES if True in shown_by(e)]
WITH_FEWEST = [e for e in EXAMPLES if e.fewest_events is not None]
DEPENDS = [e for e in EXAMPLES if e.turns_on is not None]


# ---------------------------------------------------------------- the table itself


def test_table_covers_every_question_and_invariant_of_the_spec() -> None:
    """Every question id and invariant id of the Lexington spec has an expected verdict."""
    program = lexington()
    assert {e.id for e in SPEC_QUESTIONS} == {q.id for q in program.questions}
    assert {e.id for e in SPEC_INVARIANTS} == {q.id for q in program.invariants}
    assert len({e.id for e in EXAMPLES}) == len(EXAMPLES), "example ids are unique"


@pytest.mark.parametrize("example", ids(SPEC_QUESTIONS))
def test_table_agrees_with_the_spec_expectations(example: Example) -> None:
    """The spec's `expect`/`cites` and the table, both read off the agreement, say the same."""
    _, query = query_of(example)
    assert query.expect == example.verdict
    assert set(query.cites) <= set(example.cites)


# ---------------------------------------------------------------- verdicts


@pytest.mark.parametrize("example", ids(EXAMPLES))
def test_verdict(example: Example) -> None:
    """The combined verdict across readings is the one the agreement's text gives."""
    answer = asked(example.id).answer
    assert str(answer.verdict) == example.verdict, [
        (dict(r.readings), str(r.verdict)) for r in answer.by_reading]
    assert all(r.verdict is not Verdict.UNKNOWN for r in answer.by_reading)


@pytest.mark.parametrize("example", ids(DEPENDS))
def test_depends_verdict_per_reading(example: Example) -> None:
    """A ``depends`` turns on one reading: e.g. active-on-aug-11 is yes exactly under
    until=inclusive (¶1, "until August 11, 2003")."""
    assert example.turns_on is not None
    reading, by_option = example.turns_on
    answer = asked(example.id).answer
    seen = set()
    for r in answer.by_reading:
        option = dict(r.readings)[reading]
        seen.add(option)
        assert str(r.verdict) == by_option[option], dict(r.readings)
    assert seen == set(by_option), "every option of the deciding reading is asked"
    assert answer.deciding_readings() == [reading]


@pytest.mark.parametrize("option, verdict", [("exclusive", "no"), ("inclusive", "yes")])
def test_fixing_a_reading_gives_its_verdict(option: str, verdict: str) -> None:
    """active-on-aug-11 with `until` fixed (¶1, "until August 11, 2003"): one verdict, no depends."""
    a = asked("active-on-aug-11")
    answer = a.engine.answer(a.query, {"until": option})
    assert str(answer.verdict) == verdict
    assert {dict(r.readings)["until"] for r in answer.by_reading} == {option}


def test_every_reading_combination_the_question_touches_is_asked() -> None:
    """lrg-default reaches `lrg_failure` (¶1), `until` (¶1), and `prior_acts` and `rescission`
    (¶2, read ab initio through hindsight in `waiver_active`): every combination, once."""
    a = asked("lrg-default")
    labels = {r.readings for r in a.answer.by_reading}
    assert len(labels) == len(a.answer.by_reading) == 2 * 2 * 2 * 2
    assert {k for label in labels for k, _ in label} == {"lrg_failure", "until", "prior_acts",
                                                         "rescission"}


@pytest.mark.parametrize("fixed, named", [({"until": "maybe"}, "'maybe'"),
                                          ({"whenever": "inclusive"}, "'whenever'")])
def test_an_unknown_reading_is_a_usage_error(fixed: dict[str, str], named: str) -> None:
    """DESIGN.md, "Readings": a reading fixed by the user must be one the spec declares."""
    a = asked("active-on-aug-11")
    with pytest.raises(UsageError, match=named):
        a.engine.answer(a.query, fixed)


# ---------------------------------------------------------------- citations


@pytest.mark.parametrize("example", ids(WITH_CITES))
def test_cites_the_clauses_that_force_the_answer(example: Example) -> None:
    """The clauses the agreement's text points to are among those cited, with their text."""
    a = asked(example.id)
    assert set(example.cites) <= set(a.answer.clauses), a.answer.clauses
    for r in a.answer.by_reading:
        for citation in r.clauses or ():
            clause = a.program.clause(citation.clause)
            assert (citation.heading, citation.text) == (clause.heading, clause.text)


@pytest.mark.parametrize("example", ids(FORCED))
def test_every_cited_clause_is_necessary(example: Example) -> None:
    """DESIGN.md, "Verdicts": a minimal set of clauses, each member necessary. Dropping any one
    cited clause changes the verdict under at least one reading; and under every reading that
    cites it, that reading's verdict changes (each reading's set is deletion-minimal)."""
    a = asked(example.id)
    engine = Engine(a.program)  # a fresh Z3 context: the shared one has grown with every answer
    forced = [r for r in a.answer.by_reading if r.witness is None]
    assert forced, "some reading's answer is forced by clauses"
    assert all(r.clauses is not None for r in forced)
    for clause in a.answer.clauses:
        changed = {r.readings for r in forced
                   if verdict_without(engine, a.query, dict(r.readings), clause) != r.verdict}
        assert changed, f"{example.id} stays {a.answer.verdict} without clause {clause}"
        citing = {r.readings for r in forced if clause in {c.clause for c in r.clauses or ()}}
        assert citing <= changed, f"clause {clause} is not necessary under {citing - changed}"


def test_answer_with_a_dropped_clause_returns_verdicts() -> None:
    """Without ¶1 ("until August 11, 2003") nothing keeps the waiver from August 12: yes under
    every reading, and no witness (it would lean on the dropped clause's unknown rules)."""
    a = asked("active-on-aug-12")
    answer = Engine(a.program).answer(a.query, {}, drop=["1"])
    assert answer.verdict is Verdict.YES
    assert len(answer.by_reading) == len(a.answer.by_reading)
    assert all(r.witness is None for r in answer.by_reading)


# ---------------------------------------------------------------- witnesses


@pytest.mark.parametrize("example", ids(WITH_WITNESS))
def test_witness_replays_in_the_concrete_model(example: Example) -> None:
    """Each ``can → yes`` / ``must → no`` witness makes the goal true in model.concrete, with
    every event and free time inside the spec's horizon, citing at most the permissions it
    needs; other answers carry no witness."""
    a = asked(example.id)
    lo, hi = a.program.horizon
    goal = goal_of(a.query)
    replayed = 0
    for r in a.answer.by_reading:
        if not has_witness(a.query.mode, r.verdict):
            assert r.witness is None
            continue
        assert r.witness is not None, dict(r.readings)
        # Only the permissions the witness needs are cited beside it (DESIGN.md, "Verdicts").
        assert r.clauses is None or {c.clause for c in r.clauses} <= set(example.cites)
        readings = {**a.program.default_readings(), **dict(r.readings)}
        ctx = Context(a.program, Timeline.of(r.witness.events), readings)
        env = witness_values(a.program, a.query, r.witness)
        assert holds(goal, env, ctx), (dict(r.readings), r.witness)
        assert all(lo <= e.date <= hi for e in r.witness.events), r.witness.events
        assert all(lo <= t <= hi for _, t in r.witness.times), r.witness.times
        replayed += 1
    assert replayed


@pytest.mark.parametrize("example", ids(WITH_FEWEST))
def test_witness_has_the_fewest_events(example: Example) -> None:
    """DESIGN.md: a witness is minimal (fewest events); the table says how few the text needs."""
    a = asked(example.id)
    sizes = [len(r.witness.events) for r in a.answer.by_reading if r.witness is not None]
    assert sizes
    assert set(sizes) == {example.fewest_events}, sizes


def test_witness_dates_the_acts_the_question_names() -> None:
    """holder-accelerates-financing: the one event is the holder's act of 2003-07-15."""
    a = asked("holder-accelerates-financing")
    for r in a.answer.by_reading:
        assert r.witness is not None
        (event,) = r.witness.events
        assert (event.kind, event.date) == ("SeeksAcceleration", parse_time("2003-07-15"))
        assert dict(event.fields) == {"by": "holder", "of": "financing_agreements"}


def test_witness_far_from_the_spec_dates_is_still_found() -> None:
    """Two notices 900 days apart cannot both lie within a year of the spec's dates; the
    witness falls back to anywhere in the horizon (and still replays)."""
    program, query = check_question(lexington(), FAR_APART_QUESTION)
    answer = Engine(program).answer(query)
    assert answer.verdict is Verdict.YES
    lo, hi = program.horizon
    for r in answer.by_reading:
        assert r.witness is not None
        first, second = r.witness.events
        assert second.date - first.date > 900
        assert lo <= first.date and second.date <= hi


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("example", ids(SPEC_QUESTIONS + SPEC_INVARIANTS))
def test_answers_are_deterministic(example: Example) -> None:
    """DESIGN.md: a fixed rlimit and seed; a fresh engine gives an equal answer (witness and
    citations too) for every question `clausecheck check` asks."""
    a = asked(example.id)
    program, query = query_of(example)
    assert Engine(program).answer(query, example.readings) == a.answer


# ---------------------------------------------------------------- the small-model bound


@pytest.mark.parametrize("example", ids(SPEC_QUESTIONS + SPEC_INVARIANTS))
def test_spec_questions_are_decided_for_every_timeline(example: Example) -> None:
    """Every question of the spec is ∃*∀*: the slots suffice for timelines of any length, and
    no answer carries a bound."""
    a = asked(example.id)
    shape = shape_of(a.program, goal_of(a.query))
    assert shape.complete, shape.reason
    assert shape.bound is None
    assert a.answer.bound is None
    assert all(r.bound is None for r in a.answer.by_reading)


def test_existential_event_under_universal_time_is_bounded() -> None:
    """DESIGN.md: any answer that holds only up to a bound says its bound. `forall s: time`
    over `exists n: Notice` lies outside the fragment."""
    program, query = check_question(lexington(), BOUNDED_QUESTION)
    shape = shape_of(program, goal_of(query))
    assert not shape.complete
    assert shape.reason is not None and BOUNDED_QUANTIFIER in shape.reason
    assert shape.bound is not None and shape.bound >= max(shape.slots.values()) > 0
    answer = Engine(program).answer(query)
    assert answer.verdict is Verdict.NO  # for the bounded timelines only: see examples.py
    assert answer.bound == shape.bound
    for r in answer.by_reading:
        assert (r.bound, r.reason) == (shape.bound, shape.reason)


@pytest.mark.parametrize("example", ids(list(ADHOC)))
def test_adhoc_questions_are_decided_for_every_timeline(example: Example) -> None:
    """The table's ad-hoc questions stay in the fragment, so their verdicts are unbounded."""
    a = asked(example.id)
    assert shape_of(a.program, goal_of(a.query)).complete
    assert a.answer.bound is None


# ---------------------------------------------------------------- quoted text


def test_cited_text_is_verbatim_from_the_agreement() -> None:
    """The text shown with a citation is the agreement's own (whitespace aside)."""
    path = Path(AGREEMENT)
    if not path.is_file():
        pytest.skip(f"{AGREEMENT} is not on this machine")
    agreement = re.sub(r"\s+", " ", path.read_text(encoding="utf-8"))
    cited = {c for e in EXAMPLES for c in asked(e.id).answer.clauses}
    assert cited >= {"1", "2", "3", "5", "6(d)"}
    for clause in sorted(cited):
        text = re.sub(r"\s+", " ", lexington().clause(clause).text).strip()
        assert text in agreement, clause

