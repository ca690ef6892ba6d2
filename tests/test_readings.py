"""Readings on questions and invariants, "can matter" under some reading, and the reading cone.

Issue 11 item 7 and issue 15's speed-up, on the small spec of ``golden/good/minimal.yaml``
with additions: a question that fixes a reading is answered only under the combinations
that agree, and every output says so; a rule gated on one reading can matter; a rule that
can never matter names the readings tried; readings that cannot change a problem are
solved once and their answer given for every combination (the same answers as solving
each combination alone).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import z3

from formal.cli import main
from formal.engine import Engine
from formal.report.content import report_content
from formal.report.markdown import report_markdown
from formal.report.matrix import NOT_ASKED, cell
from formal.suite import Status, check_program
from formal.verdict import Verdict
from model.errors import UsageError
from model.load import load_spec
from model.program import Program

MINIMAL = Path(__file__).parent / "golden" / "good" / "minimal.yaml"

EXTRA_RULES = '''\
  - id: "4"
    text: The waiver is extended through August 11 if "until" is read inclusively.
    rules:
      - define: "extended(t: time) := reading until is inclusive and t = waiver_until"
      - define: "impossible(t: time) := (reading until is inclusive) and not (reading until is inclusive)"
'''

QUESTIONS = '''\
  - id: active-on-aug-11-inclusive
    ask: Read inclusively, can the waiver be active on August 11?
    formula: "can waiver_active(2003-08-11)"
    expect: "yes"
    readings: {until: inclusive}
  - id: active-on-aug-11
    ask: Can the waiver be active on August 11?
    formula: "can waiver_active(2003-08-11)"
    expect: depends
  - id: active-on-jul-20
    ask: Can the waiver be active on July 20 (whatever "until" means)?
    formula: "can waiver_active(2003-07-20)"
    expect: "yes"
invariants:
  - id: ends-after-aug-11
    statement: Read exclusively, the waiver is never active on August 11.
    formula: "not waiver_active(2003-08-11)"
    readings: {until: exclusive}
'''


def spec_text(*, impossible: bool = False) -> str:
    text = MINIMAL.read_text()
    rules = EXTRA_RULES if impossible else EXTRA_RULES.rsplit("      - define", 1)[0]
    text = text.replace("questions:\n", rules + "questions:\n", 1)
    return text.replace("scenarios:\n", QUESTIONS + "scenarios:\n", 1) if not impossible \
        else text


@pytest.fixture
def spec_file(tmp_path: Path) -> Path:
    path = tmp_path / "fixed.yaml"
    path.write_text(spec_text())
    return path


@pytest.fixture
def program(spec_file: Path) -> Program:
    return load_spec(spec_file)


def query(program: Program, qid: str):  # type: ignore[no-untyped-def]
    return next(q for q in (*program.questions, *program.invariants) if q.id == qid)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- readings on questions


def test_a_question_with_readings_is_answered_only_under_them(program: Program) -> None:
    """The question fixes until=inclusive: one combination, and the answer says so."""
    q = query(program, "active-on-aug-11-inclusive")
    assert q.readings == (("until", "inclusive"),)
    answer = Engine(program).answer(q)
    assert [r.readings for r in answer.by_reading] == [(("until", "inclusive"),)]
    assert answer.verdict is Verdict.YES
    assert answer.fixed == (("until", "inclusive"),)
    # the same formula without the readings depends on them
    assert Engine(program).answer(query(program, "active-on-aug-11")).verdict is Verdict.DEPENDS


def test_an_invariant_with_readings_is_proved_under_them(program: Program) -> None:
    answer = Engine(program).answer(query(program, "ends-after-aug-11"))
    assert answer.verdict is Verdict.YES
    assert [r.readings for r in answer.by_reading] == [(("until", "exclusive"),)]


def test_check_text_and_json_say_which_readings_were_fixed(spec_file: Path) -> None:
    code, out, _ = run("check", str(spec_file))
    assert code == 0, out
    line = next(x for x in out.splitlines() if "active-on-aug-11-inclusive" in x)
    assert line.startswith("ok") and "(under until=inclusive)" in line
    code, out, _ = run("check", str(spec_file), "--json")
    results = {r["id"]: r for r in json.loads(out)["results"]}
    assert results["active-on-aug-11-inclusive"]["readings_fixed"] == {"until": "inclusive"}
    assert [r["readings"] for r in results["active-on-aug-11-inclusive"]["by_reading"]] == [
        {"until": "inclusive"}]
    assert "readings_fixed" not in results["active-on-aug-11"]  # unchanged for the others


def test_ask_says_which_readings_were_fixed(spec_file: Path) -> None:
    code, out, _ = run("ask", str(spec_file), "active-on-aug-11-inclusive")
    assert code == 0
    assert "asked only under until=inclusive (the readings the question fixes)" in out


def test_a_conflicting_command_line_reading_skips_or_refuses(spec_file: Path) -> None:
    code, out, _ = run("check", str(spec_file), "--reading", "until=exclusive")
    line = next(x for x in out.splitlines() if "active-on-aug-11-inclusive" in x)
    assert line.startswith("skipped") and "asked under until=inclusive" in line
    # the one failure: under until=exclusive alone, clause 4's rule can never matter
    assert code == 1
    assert [x.split()[2] for x in out.splitlines() if x.startswith("FAILED")] == [
        "clause-4-extended"]
    code, _, err = run("ask", str(spec_file), "active-on-aug-11-inclusive",
                       "--reading", "until=exclusive")
    assert code == 2 and "is asked under until=inclusive" in err
    program = load_spec(spec_file)
    with pytest.raises(UsageError):
        Engine(program).answer(query(program, "active-on-aug-11-inclusive"),
                               {"until": "exclusive"})


def test_the_report_matrix_shows_only_the_combinations_asked(program: Program) -> None:
    results = check_program(program)
    answer = next(r.answer for r in results if r.id == "active-on-aug-11-inclusive")
    assert answer is not None
    assert cell(answer, (("until", "exclusive"),)) == NOT_ASKED
    assert cell(answer, (("until", "inclusive"),)) == "yes"
    content = report_content(program, results)
    view = next(q for q in content.questions if q.id == "active-on-aug-11-inclusive")
    assert view.fixed == (("until", "inclusive"),)
    markdown = report_markdown(content)
    assert "(asked only under until=inclusive)" in markdown


# ---------------------------------------------------------------- can matter


def test_a_rule_gated_on_one_reading_can_matter(program: Program) -> None:
    """``extended`` can hold only under until=inclusive: the check passes, and says so."""
    results = {r.id: r for r in check_program(program)}
    gated = results["clause-4-extended"]
    assert gated.status is Status.OK and gated.verdict == "yes"
    assert gated.detail == "only under until=inclusive"
    assert results["clause-1-waiver_active"].detail == ""


def test_a_rule_that_can_never_matter_names_the_readings_tried(tmp_path: Path) -> None:
    path = tmp_path / "never.yaml"
    path.write_text(spec_text(impossible=True))
    results = {r.id: r for r in check_program(load_spec(path))}
    never = results["clause-4-impossible"]
    assert never.status is Status.FAILED and never.verdict == "no"
    assert never.detail == ("it can never matter, under any reading tried (until=exclusive; "
                            "until=inclusive)")


# ---------------------------------------------------------------- the reading cone


def test_readings_that_simplify_away_are_solved_once(program: Program) -> None:
    """July 20 is before August 11 under either reading of "until": one problem, and the
    answer is given under both combinations, each the same as solving it alone."""
    engine = Engine(program)
    q = query(program, "active-on-jul-20")
    assert engine.readings_touched(q) == ["until"]
    assert engine.cone_key(q, {"until": "exclusive"}) == ()
    answer = engine.answer(q)
    assert [r.readings for r in answer.by_reading] == [
        (("until", "exclusive"),), (("until", "inclusive"),)]
    for r in answer.by_reading:
        alone = Engine(program).answer(q, dict(r.readings)).by_reading[0]
        assert alone.verdict is r.verdict is Verdict.YES
        assert r.witness == alone.witness


def test_readings_that_matter_stay_in_the_cone(program: Program) -> None:
    engine = Engine(program)
    q = query(program, "active-on-aug-11")
    assert engine.cone_key(q, {"until": "inclusive"}) == (("until", "inclusive"),)
    assert [r.verdict for r in engine.answer(q).by_reading] == [Verdict.NO, Verdict.YES]


def test_the_explorer_says_which_readings_were_fixed(program: Program) -> None:
    """Asked by its id in the explorer, the question is answered under its own readings."""
    from starlette.testclient import TestClient

    from formal.explore.app import create_app

    with TestClient(create_app(program, warm=False), base_url="http://127.0.0.1:8765") as c:
        data = c.post("/api/ask", json={"formula": "active-on-aug-11-inclusive"}).json()
        assert [x["name"] + "=" + x["option"] for x in data["fixed"]] == ["until=inclusive"]
        assert data["verdict"] == "yes"
        other = c.post("/api/ask", json={"formula": "active-on-aug-11"}).json()
        assert other["fixed"] == [] and other["verdict"] == "depends"


def test_the_pytest_item_says_which_readings_were_fixed(tmp_path: Path) -> None:
    """The plugin's item for the question, made to fail, names the readings it was asked
    under and shows only that combination."""
    (tmp_path / "contracts").mkdir()
    text = spec_text().replace('expect: "yes"\n    readings: {until: inclusive}',
                               'expect: "no"\n    readings: {until: inclusive}')
    (tmp_path / "contracts" / "fixed.yaml").write_text(text)
    (tmp_path / "pytest.ini").write_text("[pytest]\nclausecheck_specs = contracts\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-k",
                          "active-on-aug-11-inclusive"], cwd=tmp_path, capture_output=True,
                         text=True, check=False, env=env)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "asked under: until=inclusive (fixed by the question" in run.stdout
    assert "until=exclusive" not in run.stdout


def test_export_smt_states_the_question_under_its_own_readings(spec_file: Path) -> None:
    """Under until=inclusive, August 11 is inside the waiver: the exported problem is sat."""
    code, out, err = run("export-smt", str(spec_file), "active-on-aug-11-inclusive")
    assert code == 0 and "turns on readings" not in err
    solver = z3.Solver()
    solver.from_string(out)
    assert solver.check() == z3.sat
