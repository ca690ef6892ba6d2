"""Named dates owned by a clause (issue 11 item 7): "'Waiver End Date' shall mean …" lives in
the clause that defines it, and an answer whose proof rests on the date cites that clause.

On ``golden/good/minimal.yaml`` with its date ``waiver_until`` moved into a definitions
clause ``D``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import z3

from formal.certify import certify
from formal.engine import Engine
from formal.suite import Status, check_program
from formal.verdict import Verdict
from model.load import load_spec
from model.program import Program
from model.simulate import run_scenario

MINIMAL = Path(__file__).parent / "golden" / "good" / "minimal.yaml"

DEFINITIONS = '''\
  - id: "D"
    heading: Definitions
    text: "'Waiver End Date' shall mean August 11, 2003."
    dates: {waiver_until: 2003-08-11}
'''

QUESTIONS = '''\
  - id: active-on-aug-12
    ask: Can the waiver be active on August 12?
    formula: "can waiver_active(2003-08-12)"
    expect: "no"
    cites: ["1", "D"]
  - id: active-on-aug-10
    ask: Can the waiver be active on August 10?
    formula: "can waiver_active(2003-08-10)"
    expect: "yes"
'''


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    text = MINIMAL.read_text().replace("dates:\n  waiver_until: 2003-08-11\n", "")
    text = text.replace('  - id: "3"\n', DEFINITIONS + '  - id: "3"\n', 1)
    text = text.replace("scenarios:\n", QUESTIONS + "scenarios:\n", 1)
    path = tmp_path_factory.mktemp("clause-dates") / "spec.yaml"
    path.write_text(text)
    return load_spec(path)


def query(program: Program, qid: str):  # type: ignore[no-untyped-def]
    return next(q for q in program.questions if q.id == qid)


def test_the_clause_owns_the_date(program: Program) -> None:
    assert program.date_owners == {"waiver_until": "D"}
    assert "waiver_until" in program.dates


def test_a_no_that_rests_on_the_date_cites_its_clause(program: Program) -> None:
    """Without clause D the waiver's end is unknown, and the waiver could run on August 12."""
    engine = Engine(program)
    q = query(program, "active-on-aug-12")
    answer = engine.answer(q)
    assert answer.verdict is Verdict.NO
    assert answer.clauses == ("1", "D")
    assert certify(engine, q, answer) == []  # each cited clause, D too, is necessary


def test_a_yes_is_replayed_with_the_date_s_value(program: Program) -> None:
    engine = Engine(program)
    q = query(program, "active-on-aug-10")
    answer = engine.answer(q)
    assert answer.verdict is Verdict.YES
    assert certify(engine, q, answer) == []


def test_every_check_passes_and_certifies(program: Program) -> None:
    results = check_program(program)
    assert all(r.status is Status.OK for r in results), [(r.id, r.detail) for r in results]
    scenario = program.scenarios[0]
    assert not run_scenario(program, scenario, {}).failed  # the concrete model: the value


def test_without_clause_dates_nothing_changes() -> None:
    """A spec whose dates belong to no clause compiles no date constant (so its answers and
    output are what they were)."""
    program = load_spec(MINIMAL)
    engine = Engine(program)
    template = engine.template(program.questions[0])
    names = set()
    todo = list(template.terms)
    while todo:
        term = todo.pop()
        if z3.is_const(term):
            names.add(term.decl().name())
        else:
            todo.extend(term.children())
    assert not any(n.startswith("date ") for n in names)


def test_vocabulary_lists_the_date_with_its_clause(program: Program) -> None:
    import io

    from formal.cli import main

    out = io.StringIO()
    assert main(["vocabulary", program.file], out=out, err=io.StringIO()) == 0
    assert "August 11, 2003 (clause D)" in out.getvalue()
