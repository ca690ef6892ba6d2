"""The ``clausecheck`` command, driven through ``formal.cli.main(argv, out, err)``.

Mirrors DESIGN.md, "Output" (text for people, ``--json`` for tools with the named keys,
``FILE:LINE:COL: error:`` and exit 2 for bad input, never a traceback) and the exit codes
in :mod:`formal.cli` (0 every expectation holds, 1 one fails, 2 bad spec or arguments).
Questions and their expected verdicts come from the shared table ``tests/examples.py``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import z3
from examples import (
    BOUNDED_QUESTION,
    SPEC,
    SPEC_INVARIANTS,
    SPEC_QUESTIONS,
    Example,
    by_id,
)

from formal.cli import main
from formal.engine import Engine
from model.load import load_spec
from model.program import Program

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = (ROOT / SPEC).as_posix()
SUBCOMMANDS = ("check", "ask", "simulate", "export-smt")
JSON_KEYS = {"id", "kind", "question", "verdict", "by_reading", "expected", "ok", "clauses",
             "witness"}


@dataclass(frozen=True)
class Run:
    """What one command printed: to ``out`` and ``err``, and (argparse) to sys.stdout/stderr."""

    code: int
    out: str
    err: str
    sys_out: str = ""
    sys_err: str = ""

    @property
    def everything(self) -> str:
        return self.out + self.err + self.sys_out + self.sys_err


def run_main(*argv: str) -> Run:
    """Run the command line on string streams; no output of any command shows a traceback."""
    out, err = io.StringIO(), io.StringIO()
    result = Run(main(list(argv), out=out, err=err), out.getvalue(), err.getvalue())
    assert "Traceback" not in result.everything
    return result


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """``run_main`` that also keeps what argparse writes to sys.stdout and sys.stderr."""

    def run(*argv: str) -> Run:
        capsys.readouterr()
        result = run_main(*argv)
        captured = capsys.readouterr()
        result = Run(result.code, result.out, result.err, captured.out, captured.err)
        assert "Traceback" not in result.everything
        return result

    return run


@cache
def lexington() -> Program:
    return load_spec(SPEC_PATH)


@cache
def check_json(*extra: str) -> str:
    """``check --json`` of the Lexington spec, run once per option set in a session."""
    result = run_main("check", SPEC_PATH, "--json", *extra)
    assert result.code in (0, 1), result.err
    return result.out


def flat(text: str) -> str:
    """Text with every run of whitespace made one space, to find wrapped quotations."""
    return re.sub(r"\s+", " ", text)


def clause_text(clause: str) -> str:
    return flat(lexington().clause(clause).text).strip()


def default_verdict(example: Example) -> str:
    """The table's verdict under the spec's default readings."""
    if example.turns_on is None:
        return example.verdict
    reading, by_option = example.turns_on
    return by_option[lexington().readings[reading].default]


# ---------------------------------------------------------------- check


def test_check_passes_with_a_summary_line() -> None:
    """Every question, invariant, scenario and sanity check of the spec holds: exit 0."""
    result = run_main("check", SPEC_PATH)
    assert result.code == 0, result.out
    lines = result.out.strip().splitlines()
    assert lines[0] == f"{SPEC_PATH}: lexington-2003-waiver"
    match = re.fullmatch(r"(\d+) checks: (\d+) ok, 0 failed, 0 unknown \(\d+\.\d\d s\)", lines[-1])
    assert match, lines[-1]
    assert match[1] == match[2] == str(len(lines) - 2)
    assert all(line.startswith("ok ") for line in lines[1:-1])


def test_check_json_has_the_keys_of_every_result() -> None:
    """DESIGN.md, "Output": one object per result with at least the named keys."""
    document = json.loads(check_json())
    results = document["results"]
    assert results
    for result in results:
        assert set(result) >= JSON_KEYS, (result["id"], JSON_KEYS - set(result))
        assert result["ok"] is True
    assert document["summary"]["checks"] == len(results)


@pytest.mark.parametrize("example", [pytest.param(e, id=e.id)
                                     for e in SPEC_QUESTIONS + SPEC_INVARIANTS])
def test_check_json_verdicts_are_the_table_verdicts(example: Example) -> None:
    """Each question's JSON verdict, per-reading verdicts and citations match the table."""
    results = {r["id"]: r for r in json.loads(check_json())["results"]}
    result = results[example.id]
    assert (result["kind"], result["verdict"]) == (example.kind, example.verdict)
    cited = {c["clause"] for c in result["clauses"]}
    assert set(example.cites) <= cited
    if example.turns_on is not None:
        reading, by_option = example.turns_on
        for r in result["by_reading"]:
            assert r["verdict"] == by_option[r["readings"][reading]]
    for r in result["by_reading"]:
        # A witness comes alone, or with the permissions it needs (formal/permissions.py).
        assert r["witness"] is not None or r["clauses"] is not None
        if r["witness"] is not None and r["clauses"] is not None:
            assert {c["clause"] for c in r["clauses"]} <= set(example.cites)


def test_check_json_is_the_same_on_every_run() -> None:
    """DESIGN.md: answers are reproducible (fixed seed and rlimit); the JSON carries no timing."""
    again = run_main("check", SPEC_PATH, "--json")
    assert again.out == check_json()


def test_check_with_a_fixed_reading() -> None:
    """`--reading until=inclusive`: only that option is asked, and active-on-aug-11 (¶1, "until
    August 11, 2003") is yes; its `depends` expectation is skipped, not failed."""
    results = {r["id"]: r for r in json.loads(check_json("--reading", "until=inclusive"))[
        "results"]}
    for result in results.values():
        for r in result["by_reading"]:
            assert r["readings"].get("until", "inclusive") == "inclusive", result["id"]
    aug_11 = results["active-on-aug-11"]
    assert (aug_11["verdict"], aug_11["status"]) == ("yes", "skipped")
    for result in results.values():
        if result["kind"] in ("question", "invariant", "sanity"):
            assert result["status"] in ("ok", "skipped"), (result["id"], result["detail"])


def test_check_with_the_default_reading_fixed_passes() -> None:
    """`--reading until=exclusive` (the default): exit 0, active-on-aug-11 is no and skipped."""
    result = run_main("check", SPEC_PATH, "--reading", "until=exclusive")
    assert result.code == 0, result.out
    line = next(x for x in result.out.splitlines() if " active-on-aug-11 " in x)
    assert line.split()[:4] == ["skipped", "question", "active-on-aug-11", "no"]


@pytest.mark.parametrize("argv, named", [
    (("--reading", "until=maybe"), ("'until'", "'maybe'", "exclusive, inclusive")),
    (("--reading", "whenever=inclusive"), ("'whenever'",)),
])
@pytest.mark.parametrize("command", [("check", SPEC_PATH),
                                     ("ask", SPEC_PATH, "can waiver_active(2003-08-11)"),
                                     ("simulate", SPEC_PATH, "quiet-summer"),
                                     ("export-smt", SPEC_PATH, "active-on-aug-11")])
def test_a_bad_reading_is_exit_2_naming_it(command: tuple[str, ...], argv: tuple[str, ...],
                                            named: tuple[str, ...]) -> None:
    """An unknown reading or option is bad input, reported by name."""
    result = run_main(*command, *argv)
    assert result.code == 2
    assert result.out == ""
    for name in named:
        assert name in result.err, result.err


def test_a_malformed_reading_option_is_exit_2(cli: Callable[..., Run]) -> None:
    """`--reading until` (no option) is a usage error that says what it expected."""
    result = cli("check", SPEC_PATH, "--reading", "until")
    assert result.code == 2
    assert "NAME=OPTION" in result.err
    assert "'until'" in result.err
    assert result.sys_out == result.sys_err == ""


def test_a_failed_expectation_is_exit_1(tmp_path: Path) -> None:
    """A spec expecting "yes" for active-on-aug-12 (¶1 says no) fails: exit 1, FAILED."""
    text = Path(SPEC_PATH).read_text(encoding="utf-8")
    before = 'formula: can waiver_active(2003-08-12)\n    expect: "no"'
    assert text.count(before) == 1
    spec = tmp_path / "flipped.yaml"
    spec.write_text(text.replace(before, before.replace('"no"', '"yes"')), encoding="utf-8")
    result = run_main("check", spec.as_posix())
    assert result.code == 1
    assert "FAILED" in result.out
    line = next(x for x in result.out.splitlines() if " active-on-aug-12 " in x)
    assert line.startswith("FAILED")
    assert "expected yes, got no" in line
    assert re.search(r", 1 failed,", result.out.splitlines()[-1])


# ---------------------------------------------------------------- ask


def test_ask_yes_shows_the_witness() -> None:
    """holder-accelerates-financing (¶2 rescinds only for "Other Indebtedness"): yes, with the
    holder's act of 2003-07-15 on the witness timeline."""
    example = by_id("holder-accelerates-financing")
    assert example.formula is not None
    result = run_main("ask", SPEC_PATH, example.formula)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "yes"
    assert "an example (1 event)" in result.out
    assert "2003-07-15" in result.out
    assert "SeeksAcceleration(by=holder, of=financing_agreements)" in result.out
    assert "2003-07-20" in result.out  # the date the question asks about, marked


def test_ask_yes_shows_the_free_variable_dates() -> None:
    """congress-acceleration asked ad hoc: the witness names t and dates Congress's act."""
    query = next(q for q in lexington().questions if q.id == "congress-acceleration")
    result = run_main("ask", SPEC_PATH, query.formula_text)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "yes"
    t = re.search(r"where t = (\d{4}-\d\d-\d\d)", result.out)
    act = re.search(r"(\d{4}-\d\d-\d\d)  e1  SeeksAcceleration\(by=congress, "
                    r"of=financing_agreements\)", result.out)
    assert t and act, result.out
    assert act[1] <= t[1], "the question asks for Congress's act on or before t"


def test_ask_no_cites_the_clause_with_its_text() -> None:
    """active-on-aug-12 asked ad hoc: no, forced by ¶1, whose words are quoted."""
    result = run_main("ask", SPEC_PATH, "can waiver_active(2003-08-12)")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "no"
    assert "forced by clause(s) 1" in result.out
    assert "1. Waiver" in result.out
    assert clause_text("1") in flat(result.out)


def test_ask_depends_shows_each_reading() -> None:
    """active-on-aug-11 (¶1, "until August 11, 2003"): depends on `until`; the inclusive
    reading's example is dated August 11; the exclusive one cites ¶1."""
    result = run_main("ask", SPEC_PATH, "can waiver_active(2003-08-11)")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "depends (turns on until)"
    assert "no under until=exclusive: forced by clause(s) 1" in result.out
    assert "yes under until=inclusive: an example (no events needed)" in result.out
    assert "2003-08-11" in result.out
    assert clause_text("1") in flat(result.out)


def test_ask_with_a_fixed_reading() -> None:
    """`--reading until=inclusive` turns active-on-aug-11 into a plain yes."""
    result = run_main("ask", SPEC_PATH, "can waiver_active(2003-08-11)", "--reading",
                      "until=inclusive")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "yes"


def test_ask_json_matches_the_table() -> None:
    """`ask --json` of remedies-aug-11-quiet prints the document the README describes,
    ``{"results": [...], "summary": {...}}``: depends, per reading as the table says."""
    example = by_id("remedies-aug-11-quiet")
    assert example.formula is not None and example.turns_on is not None
    result = run_main("ask", SPEC_PATH, example.formula, "--json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert set(document) == {"results", "summary"}
    assert document["summary"] == {"checks": 1, "ok": 1, "failed": 0, "unknown": 0, "skipped": 0}
    [answer] = document["results"]
    for key in ("id", "kind", "question", "formula", "verdict", "by_reading", "expected", "ok",
                "status", "clauses", "witness"):
        assert key in answer, key
    assert (answer["formula"], answer["verdict"]) == (example.formula, "depends")
    reading, by_option = example.turns_on
    for r in answer["by_reading"]:
        assert r["verdict"] == by_option[r["readings"][reading]]
    assert set(example.cites) <= {c["clause"] for c in answer["clauses"]}


def test_ask_a_question_of_the_spec_by_its_id() -> None:
    """Issue 12: `ask SPEC active-after-acceleration` answers no, citing paragraph 2."""
    result = run_main("ask", SPEC_PATH, "active-after-acceleration")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("question active-after-acceleration: Can the waiver be active")
    assert lines[2] == "no"
    assert "forced by clause(s) 2" in result.out
    assert "2. Rescission of Waivers" in result.out
    assert lines[-1] == "expected: no — as the spec's author expected"
    document = json.loads(run_main("ask", SPEC_PATH, "active-on-aug-11", "--json").out)
    assert document["results"][0]["id"] == "active-on-aug-11"
    assert document["results"][0]["expected"] == "depends"


def test_ask_statuses_like_predicates() -> None:
    """A status (`remedies_open`, shown by simulate) is callable in a question; with `for:`,
    it takes the event first."""
    assert run_main("ask", SPEC_PATH, "can remedies_open(2003-07-20)").out.startswith("yes")
    both = run_main("ask", SPEC_PATH, "can exists d: EventOfDefault. waived_defaults(d, 2003-07-20)")
    assert both.code == 0 and both.out.startswith("yes"), both.err


def test_vocabulary_lists_every_word_with_its_note_and_an_example() -> None:
    """Issue 12: `vocabulary` lists waiver_active and SeeksAcceleration with their notes."""
    result = run_main("vocabulary", SPEC_PATH)
    assert result.code == 0, result.err
    assert "waiver_active(t: time)\n      The waiver of paragraph 1 as it stands after paragraph 2." \
        in result.out
    assert "SeeksAcceleration(date: time, by: Actor, of: Instrument)\n      A creditor seeks to " \
        "accelerate the maturity of an instrument's obligations." in result.out
    for heading in ("predicates:", "statuses:", "event kinds:", "actors:", "instruments:",
                    "enumeration values:", "named dates:", "readings:"):
        assert f"\n{heading}\n" in result.out, heading
    document = json.loads(run_main("vocabulary", SPEC_PATH, "--json").out)
    words = {(w["kind"], w["name"]): w for w in document["words"]}
    assert ("status", "remedies_open") in words and ("reading", "until") in words
    assert words[("named date", "waiver_until")]["note"] == "August 11, 2003"


@pytest.mark.parametrize("spec", sorted(str(p) for p in (ROOT / "specs").glob("*.yaml")))
def test_every_vocabulary_example_is_a_question_the_checker_accepts(spec: str) -> None:
    from formal.vocabulary import vocabulary
    from model.load import check_question

    program = load_spec(spec)
    for word in vocabulary(program):
        if word.example:
            check_question(program, word.example)


def test_ask_outside_the_fragment_states_its_bound() -> None:
    """DESIGN.md: an answer that holds only up to a bound says its bound."""
    result = run_main("ask", SPEC_PATH, BOUNDED_QUESTION)
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "no"
    assert re.search(r"for timelines of at most \d+ events", result.out), result.out


@pytest.mark.parametrize("question, col, says", [
    ("can waiver_activ(2003-08-11)", 5, "unknown predicate 'waiver_activ'"),
    ("can waiver_active(2003-02-30)", 19, "'2003-02-30' is not a real date"),
    ("can waiver_active(2003-08-11) and", 34, "syntax error: the formula ends too soon"),
    ("can waiver_active(lpc)", 19, "waiver_active"),
])
def test_ask_a_bad_question_is_exit_2_with_its_column(question: str, col: int,
                                                      says: str) -> None:
    """A bad question is located within its own text: `<question>:1:COL: error:`."""
    result = run_main("ask", SPEC_PATH, question)
    assert result.code == 2
    assert result.out == ""
    assert result.err.startswith(f"<question>:1:{col}: error: "), result.err
    assert says in result.err


def test_ask_without_can_or_must_is_exit_2() -> None:
    """A question is `can φ` or `must φ` (DESIGN.md, "Verdicts")."""
    result = run_main("ask", SPEC_PATH, "waiver_active(2003-08-11)")
    assert result.code == 2
    assert result.err.startswith("<question>:1:1: error: ")
    assert "'can'" in result.err and "'must'" in result.err


# ---------------------------------------------------------------- simulate


def test_simulate_a_scenario() -> None:
    """trustee-accelerates: ¶2 rescinds the waiver on July 25, so Congress's remedies of
    July 28 breach nothing."""
    result = run_main("simulate", SPEC_PATH, "trustee-accelerates")
    assert result.code == 0, result.err
    assert result.out.startswith("scenario trustee-accelerates: ")
    assert re.search(r"2003-07-25  acceleration  SeeksAcceleration\(by=trustee, "
                     r"of=senior_subordinated_notes\)", result.out)
    assert "BREACH" not in result.out
    assert result.out.splitlines()[-1] == "5 steps, 0 breaches"


def test_simulate_a_scenario_with_a_breach() -> None:
    """premature-remedies: Congress acts on July 15 while ¶1's waiver stands: a breach of ¶1."""
    result = run_main("simulate", SPEC_PATH, "premature-remedies")
    assert result.code == 0, result.err
    assert "BREACH: forbidden by clause 1 (Waiver)" in result.out
    assert result.out.splitlines()[-1].endswith(", 1 breach")


def test_simulate_a_scenario_whose_expectations_fail_is_exit_1(tmp_path: Path) -> None:
    """quiet-summer expects the waiver gone on August 11, true only when ¶1's "until August 11,
    2003" excludes the day; without the scenario's own `until: exclusive`, under
    `--reading until=inclusive` that expectation fails."""
    text = Path(SPEC_PATH).read_text(encoding="utf-8")
    assert text.count("    readings: {until: exclusive}\n") == 1
    spec = tmp_path / "spec.yaml"
    spec.write_text(text.replace("    readings: {until: exclusive}\n", ""), encoding="utf-8")
    result = run_main("simulate", spec.as_posix(), "quiet-summer", "--reading", "until=inclusive")
    assert result.code == 1
    assert "MISMATCH waiver_active on 2003-08-11: expected False, got True" in result.out
    assert result.out.splitlines()[-1].endswith("expectation(s) not met")


TIMELINE = """\
# Congress acts on July 15 while the waiver stands (a breach of paragraph 1); the trustee
# then seeks remedies on the senior note (paragraph 2) and Congress acts again on July 22.
events:
  - {id: default, date: 2003-07-01, kind: EventOfDefault, causes: [lpc_unpaid_senior_note]}
  - {id: early, date: 2003-07-15, kind: ExercisesRemedies, by: congress,
     causes: [lpc_unpaid_senior_note]}
  - {id: trigger, date: 2003-07-20, kind: SeeksRemedies, by: trustee, of: senior_note}
  - {id: late, date: 2003-07-22, kind: ExercisesRemedies, by: congress,
     causes: [lpc_unpaid_senior_note]}
at: [2003-07-14, 2003-07-21]
"""


def test_simulate_a_timeline_file(tmp_path: Path) -> None:
    """¶1 forbids the remedies of July 15 (waiver in force); after the trustee's act of July 20
    ¶2 has rescinded it, so those of July 22 are lawful. Checkpoints show both states."""
    path = tmp_path / "timeline.yaml"
    path.write_text(TIMELINE, encoding="utf-8")
    result = run_main("simulate", SPEC_PATH, path.as_posix(), "--json")
    assert result.code == 0, result.err
    sim = json.loads(result.out)
    assert sim["breaches"] == [{"event": "early", "clause": "1", "date": "2003-07-15"}]
    checkpoints = {s["date"]: s["statuses"] for s in sim["steps"] if s["event"] is None}
    assert checkpoints["2003-07-14"]["waiver_active"] is True
    assert checkpoints["2003-07-14"]["waived_defaults"] == ["default"]
    assert checkpoints["2003-07-21"]["waiver_active"] is False
    assert checkpoints["2003-07-21"]["rescinded"] is True
    text = run_main("simulate", SPEC_PATH, path.as_posix())
    assert text.code == 0
    assert text.out.splitlines()[-1] == "6 steps, 1 breach"


def test_simulate_a_timeline_file_with_a_reading(tmp_path: Path) -> None:
    """A timeline file may fix readings: with `prior_acts: count` a trustee's act of July 1
    rescinds the waiver (¶2), so Congress may act on July 15."""
    path = tmp_path / "prior.yaml"
    path.write_text(
        "readings: {prior_acts: count}\n"
        "events:\n"
        "  - {date: 2003-07-01, kind: SeeksAcceleration, by: trustee, of: senior_note}\n"
        "  - {date: 2003-07-15, kind: ExercisesRemedies, by: congress,\n"
        "     causes: [lpc_unpaid_senior_note]}\n"
        "at: [2003-07-10]\n", encoding="utf-8")
    result = run_main("simulate", SPEC_PATH, path.as_posix(), "--json")
    assert result.code == 0, result.err
    sim = json.loads(result.out)
    assert sim["readings"]["prior_acts"] == "count"
    assert sim["breaches"] == []
    (checkpoint,) = [s for s in sim["steps"] if s["event"] is None]
    assert checkpoint["statuses"]["waiver_active"] is False


def test_simulate_a_bad_timeline_file_is_located(tmp_path: Path) -> None:
    """An unknown event kind is `FILE:LINE:COL: error:`, exit 2, with a suggestion."""
    path = tmp_path / "bad.yaml"
    path.write_text("events:\n"
                    "  - date: 2003-07-10\n"
                    "    kind: SeeksAccel\n"
                    "    by: trustee\n"
                    "    of: senior_note\n", encoding="utf-8")
    result = run_main("simulate", SPEC_PATH, path.as_posix())
    assert result.code == 2
    assert result.out == ""
    assert result.err == (f"{path.as_posix()}:3:11: error: unknown event kind 'SeeksAccel'; "
                          "did you mean 'SeeksAcceleration'?\n")


def test_simulate_an_unknown_scenario_is_exit_2() -> None:
    """Neither a scenario id nor a file: the message lists the spec's scenarios."""
    result = run_main("simulate", SPEC_PATH, "no-such-scenario")
    assert result.code == 2
    assert "'no-such-scenario'" in result.err
    assert "trustee-accelerates" in result.err


# ---------------------------------------------------------------- export-smt


def run_smt(text: str) -> str:
    """The file's own commands, `check-sat-assuming` included, run by a fresh Z3 context.

    ``z3.Solver.from_string`` reads only the assertions (it ignores the final command), so it
    is used to check that the file parses; the verdict comes from evaluating the whole file.
    """
    solver = z3.Solver(ctx=z3.Context())
    solver.from_string(text)
    assert len(solver.assertions()) > 0
    context = z3.Context()
    return str(z3.Z3_eval_smtlib2_string(context.ref(), text)).strip()


@pytest.mark.parametrize("example", [pytest.param(e, id=e.id)
                                     for e in SPEC_QUESTIONS + SPEC_INVARIANTS])
def test_export_smt_agrees_with_the_engine(example: Example) -> None:
    """SMT-LIB2 export under the default readings, checked by Z3 as a second solver: sat means
    yes for `can` and no for `must`, as the engine (and the table) say."""
    program = lexington()
    defaults = program.default_readings()
    argv = [arg for name, option in sorted(defaults.items())
            for arg in ("--reading", f"{name}={option}")]
    result = run_main("export-smt", SPEC_PATH, example.id, *argv)
    assert result.code == 0, result.err
    assert result.err == ""
    query = next(q for q in (*program.questions, *program.invariants) if q.id == example.id)
    status = run_smt(result.out)
    assert status in ("sat", "unsat"), status
    exported = "yes" if (status == "sat") == (query.mode == "can") else "no"
    engine = Engine(program).answer(query, defaults)
    assert exported == str(engine.verdict) == default_verdict(example)


def test_export_smt_names_the_readings_it_chose() -> None:
    """active-on-aug-11 turns on `until`: without --reading the export says which option."""
    result = run_main("export-smt", SPEC_PATH, "active-on-aug-11")
    assert result.code == 0
    assert "turns on readings" in result.err and "until=exclusive" in result.err
    assert "; readings: " in result.out and "until=exclusive" in result.out
    assert run_smt(result.out) == "unsat"  # ¶1 "until August 11": not on the 11th


def test_export_smt_to_a_file(tmp_path: Path) -> None:
    """`-o FILE` writes the same text to the file and nothing to stdout."""
    path = tmp_path / "q.smt2"
    result = run_main("export-smt", SPEC_PATH, "active-on-aug-11", "--reading",
                      "until=inclusive", "-o", path.as_posix())
    assert result.code == 0
    assert result.out == ""
    assert run_smt(path.read_text(encoding="utf-8")) == "sat"


def test_export_smt_of_an_unknown_question_is_exit_2() -> None:
    result = run_main("export-smt", SPEC_PATH, "no-such-question")
    assert result.code == 2
    assert "'no-such-question'" in result.err


# ---------------------------------------------------------------- help


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_help_of_every_subcommand_has_an_example(command: str,
                                                 cli: Callable[..., Run]) -> None:
    """`clausecheck COMMAND --help` exits 0 and shows an example of that command, on `out`."""
    result = cli(command, "--help")
    assert result.code == 0
    assert "examples:" in result.out
    assert f"clausecheck {command} " in result.out
    assert result.sys_out == result.sys_err == ""


def test_top_level_help(cli: Callable[..., Run]) -> None:
    """`clausecheck --help` lists every subcommand."""
    result = cli("--help")
    assert result.code == 0
    for command in SUBCOMMANDS:
        assert command in result.out


def test_a_spec_question_may_call_a_status(tmp_path: Path) -> None:
    """A status is a predicate in the spec's own questions too; unused, it changes nothing."""
    text = (ROOT / SPEC_PATH).read_text(encoding="utf-8").replace("questions:\n", (
        "questions:\n"
        "  - id: remedies-open-jul-20\n"
        "    ask: Can Congress act on some Event of Default on July 20, 2003?\n"
        "    formula: can remedies_open(2003-07-20)\n"
        "    expect: \"yes\"\n"), 1)
    spec = tmp_path / "with-status-question.yaml"
    spec.write_text(text, encoding="utf-8")
    result = run_main("ask", str(spec), "remedies-open-jul-20")
    assert result.code == 0, result.err
    assert result.out.splitlines()[2] == "yes"
    assert "remedies_open" in load_spec(str(spec)).definitions
    assert "remedies_open" not in load_spec(SPEC_PATH).definitions
