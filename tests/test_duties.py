"""Obligations, permissions and releases (docs/semantics.md, "Obligations, permissions and
releases"; docs/spec-language.md, "Obligations and permissions"), on small inline specs and
on the bundled ones: when a duty is due and when its breach is dated, what a permit and a
release remove, what the engine cites and what certification checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from formal.certify import certify
from formal.engine import Engine
from formal.render import breach_text
from model.concrete import NOW, Context, call
from model.duties import missed_name
from model.load import check_question, load_spec
from model.missed import missed_deadlines
from model.program import Program
from model.simulate import simulate
from model.timeline import Event, Timeline

ROOT = Path(__file__).resolve().parent.parent
GOOD = ROOT / "tests" / "golden" / "good" / "duties.yaml"

BASE = """\
agreement: {id: d, title: Duties, date: 2020-01-01}
time: {unit: day, horizon: [2020-01-01, 2020-03-31]}
actors:
  - {id: lender, name: Lender}
  - {id: borrower, name: Borrower}
events:
  Borrowing: {doc: A borrowing.}
  Notice: {doc: A notice.}
  Report: {doc: A report.}
  Remedies: {doc: Remedies.}
clauses:
RULES
"""


def spec(rules: str, extra: str = "") -> Program:
    """A spec whose clause 1 has ``rules`` (YAML lines under ``rules:``)."""
    clause = "  - id: \"1\"\n    text: Clause one.\n    rules:\n" + "".join(
        f"      - {line}\n" for line in rules.strip().splitlines())
    return load_spec("inline.yaml", BASE.replace("RULES\n", clause) + extra)


def day(program: Program, text: str) -> int:
    return program.codec.parse(text)


def ev(program: Program, eid: str, kind: str, when: str) -> Event:
    return Event(eid, kind, day(program, when), ())


def missed_at(program: Program, events: list[Event], kind: str, when: str) -> bool:
    ctx = Context(program, Timeline.of(events), program.default_readings())
    return call(missed_name(kind), (day(program, when),), ctx)


def test_a_missed_deadline_is_dated_the_unit_after_it() -> None:
    """"by" is inclusive: a report on the deadline is on time; without one the breach is
    dated the day after the deadline, and seen only from then."""
    p = spec('oblige: "r: Report by 2020-01-20"')
    assert not missed_at(p, [], "Report", "2020-01-20")
    assert missed_at(p, [], "Report", "2020-01-21")
    assert not missed_at(p, [ev(p, "r", "Report", "2020-01-20")], "Report", "2020-02-01")
    assert missed_at(p, [ev(p, "r", "Report", "2020-01-21")], "Report", "2020-02-01")
    ctx = Context(p, Timeline.of([]), {})
    (m,) = missed_deadlines(ctx, {NOW: day(p, "2020-02-01")})
    assert (m.clause, m.kind, m.due, m.date) == ("1", "Report", day(p, "2020-01-20"),
                                                 day(p, "2020-01-21"))
    assert missed_deadlines(ctx, {NOW: day(p, "2020-01-20")}) == []


def test_a_duty_before_its_trigger_is_missed_on_the_trigger_date() -> None:
    """A notice due three days before each borrowing: missed when the borrowing happens
    without it, dated at the borrowing (the later of the day after the deadline and it)."""
    p = spec('oblige: "n: Notice by b.date - 3 days for b: Borrowing"')
    borrowing = ev(p, "b", "Borrowing", "2020-02-10")
    assert not missed_at(p, [borrowing], "Notice", "2020-02-09")
    assert missed_at(p, [borrowing], "Notice", "2020-02-10")
    late = ev(p, "n", "Notice", "2020-02-08")
    assert missed_at(p, [borrowing, late], "Notice", "2020-02-10")
    assert not missed_at(p, [borrowing, ev(p, "n", "Notice", "2020-02-07")], "Notice",
                         "2020-03-31")
    sim = simulate(p, [borrowing], {}, [day(p, "2020-02-20")])
    assert [(b.missed, b.date, b.due) for b in sim.breaches] == [
        ("Notice", day(p, "2020-02-10"), day(p, "2020-02-07"))]


def test_a_duty_for_each_time_reports_each_run_once() -> None:
    """``for w: time``: one duty per unit; the reference's runs give one breach per run of
    consecutive missed trigger times, dated after the first one's deadline."""
    p = spec('oblige: "r: Report where w <= r.date by w + 2 days for w: time when w = 2020-01-10 '
             'or w = 2020-01-20"')
    sim = simulate(p, [ev(p, "r", "Report", "2020-01-11")], {}, [day(p, "2020-01-31")])
    assert [b.date for b in sim.breaches] == [day(p, "2020-01-23")]


def test_a_permit_beats_every_prohibition() -> None:
    """A permitted act is never forbidden, whichever rule forbids it."""
    p = spec('forbid: "r: Remedies when true"\npermit: "r: Remedies when r.date > 2020-02-01"')
    sim = simulate(p, [ev(p, "early", "Remedies", "2020-01-15"),
                       ev(p, "late", "Remedies", "2020-02-15")], {})
    assert [(b.event, b.clause) for b in sim.breaches] == [("early", "1")]


def test_a_release_removes_a_background_duty() -> None:
    """A background rule's duty is reported under its id, named as a background rule; a
    clause's release removes it where its condition holds, judged when the duty is."""
    background = ("background:\n  - id: law\n    source: A rule of law.\n"
                  "    oblige: \"n: Notice by b.date for b: Borrowing\"\n")
    with_release = spec('release: "Notice when now > 2020-02-01"', background)
    events = [ev(with_release, "b1", "Borrowing", "2020-01-10"),
              ev(with_release, "b2", "Borrowing", "2020-02-10")]
    sim = simulate(with_release, events, {}, [day(with_release, "2020-03-01")])
    assert [(b.clause, b.date) for b in sim.breaches] == [
        ("law", day(with_release, "2020-01-11"))]
    assert breach_text(with_release, sim.breaches[0]).endswith(
        "a missed deadline of background rule law (A rule of law.)")


def test_engine_cites_the_permission_a_counterexample_needs() -> None:
    """``must … → no`` names the release its counterexample rests on, and certification
    deletes it: without clause 3's release the answer would be yes."""
    program = load_spec(GOOD)
    engine = Engine(program)
    query = next(q for q in program.questions if q.id == "must-grant")
    answer = engine.answer(query)
    assert answer.verdict.value == "no" and answer.clauses == ("3",)
    assert certify(engine, query, answer) == []
    (r,) = answer.by_reading
    assert r.witness is not None and r.clauses is not None


def test_certification_catches_a_permission_wrongly_cited() -> None:
    """A citation of a permission the answer does not rest on fails certification."""
    program = load_spec(GOOD)
    engine = Engine(program)
    query = next(q for q in program.questions if q.id == "must-grant")
    answer = engine.answer(query)
    (r,) = answer.by_reading
    from dataclasses import replace

    from formal.verdict import Citation

    tampered = replace(answer, by_reading=(replace(r, clauses=(
        *(r.clauses or ()), Citation("1", "", "")),),))
    problems = certify(engine, query, tampered)
    assert any("clause 1 is cited but not needed" in p for p in problems), problems


def test_a_permit_cited_for_a_can_yes() -> None:
    """``can … → yes`` cites the permission that makes the act allowed."""
    program = load_spec(GOOD)
    _, query = check_question(program, "can exists r: ExercisesRemedies. not forbidden(r) "
                                       "and r.date < waiver_until")
    engine = Engine(program)
    answer = engine.answer(query)
    assert answer.verdict.value == "yes" and answer.clauses == ("3",)
    assert certify(engine, query, answer) == []


def test_answers_untouched_by_permissions_cite_nothing_new() -> None:
    """A question that reaches no permission keeps its answer's shape: a witness alone."""
    program = load_spec(GOOD)
    _, query = check_question(program, "can missed(Report, 2003-07-21)")
    (r,) = Engine(program).answer(query).by_reading
    assert r.witness is not None and r.clauses is None


@pytest.mark.parametrize("spec_file,question,cited", [
    ("lexington-2003-waiver.yaml", "further-waiver", "5"),
    ("lexington-2003-waiver.yaml", "notice-needed", "2"),
])
def test_bundled_answers_cite_the_permission(spec_file: str, question: str, cited: str) -> None:
    """Issue 11, item 6: "may decline" (paragraph 5) and "without notice" (paragraph 2) are
    cited by the answers that rest on them, and deleting them changes the answer."""
    program = load_spec(ROOT / "specs" / spec_file)
    engine = Engine(program)
    query = next(q for q in program.questions if q.id == question)
    answer = engine.answer(query)
    assert answer.verdict.value == "no" and cited in answer.clauses
    assert certify(engine, query, answer) == []


def test_missed_deadline_scenarios_of_tietek() -> None:
    """Tietek 4.1: the weekly production report after August 9 is missed at 12:01 p.m. on
    August 16, 2009, and only that one (the first two weeks were kept)."""
    program = load_spec(ROOT / "specs" / "tietek-opus-2009-limited-waiver.yaml")
    scenario = next(s for s in program.scenarios if s.id == "weekly-reports")
    sim = simulate(program, scenario.events, program.default_readings(),
                   [day(program, "2009-08-20T09:00")])
    assert [(b.clause, b.missed, program.codec.show(b.date)) for b in sim.breaches] == [
        ("4.1", "ProductionReport", "2009-08-16 12:01 CDT")]


def test_a_deadline_may_be_a_calendar_function_of_its_trigger() -> None:
    """"within one business day after each borrowing": the deadline is the act's bound, so
    the look-ahead check accepts it; the breach is dated the day after that business day."""
    p = load_spec("inline.yaml", BASE.replace("time: {unit: day,",
                                              "time: {calendars: {bank: {financial: NYSE}}, unit: day,")
                  .replace("RULES\n", "  - id: \"1\"\n    text: Clause one.\n    rules:\n"
                           "      - oblige: \"n: Notice by add_business_days(b.date, 1, bank)"
                           " for b: Borrowing\"\n"))
    friday = ev(p, "b", "Borrowing", "2020-01-17")  # Monday January 20 is a NYSE holiday
    assert not missed_at(p, [friday], "Notice", "2020-01-21")
    assert missed_at(p, [friday], "Notice", "2020-01-22")
    assert not missed_at(p, [friday, ev(p, "n", "Notice", "2020-01-21")], "Notice", "2020-01-31")


def test_a_definition_may_ask_whether_a_deadline_was_missed() -> None:
    """"The waiver stands while no report is missed": a definition that uses missed(K, t),
    which no duty of K reaches, is well-founded; the simulator and the prover agree on it
    (issue 11, item 1)."""
    p = spec('define: "waived(t: time) := not missed(Report, t)"\n'
             'forbid: "r: Remedies when waived(r.date)"\n'
             'oblige: "n: Report by 2020-01-20"')
    events = [ev(p, "early", "Remedies", "2020-01-20"), ev(p, "late", "Remedies", "2020-01-21")]
    assert [b.event for b in simulate(p, events, {}).breaches if b.missed is None] == ["early"]
    engine = Engine(p)
    for text, verdict in (
            ("can exists r: Remedies. forbidden(r) and r.date > 2020-01-20", "yes"),
            ("must forall r: Remedies. r.date > 2020-01-20 and not (exists n: Report. "
             "n.date <= 2020-01-20) implies not forbidden(r)", "yes"),
            ("can exists r: Remedies. r.date = 2020-01-21 and not forbidden(r)", "yes")):
        _, query = check_question(p, text)
        assert engine.answer(query).verdict.value == verdict, text


@pytest.mark.parametrize("rules,cycle", [
    ('define: "late(t: time) := missed(Report, t)"\n'
     'oblige: "n: Report by 2020-01-20 when not late(now)"',
     "late -> missed(Report) -> the Report due under clause '1' -> late"),
    ('oblige: "n: Report by 2020-01-20"\nrelease: "Report when missed(Report, now)"',
     "the release of Report by clause '1' -> missed(Report) -> the Report due under "
     "clause '1' -> the release of Report by clause '1'"),
    ('oblige: "n: Notice by 2020-01-20 when not missed(Report, now)"\n'
     'oblige: "r: Report by 2020-01-25 when not missed(Notice, now)"',
     "the Notice due under clause '1' -> missed(Report) -> the Report due under clause "
     "'1' -> missed(Notice) -> the Notice due under clause '1'"),
    ('oblige: "n: Notice by 2020-01-20 when not (exists r: Remedies. r.date <= now and '
     'forbidden(r))"\nforbid: "r: Remedies when missed(Notice, r.date)"',
     "the Notice due under clause '1' -> forbidden(…) -> the forbid rule of clause '1' -> "
     "missed(Notice) -> the Notice due under clause '1'"),
])
def test_a_duty_that_depends_on_itself_is_refused(rules: str, cycle: str) -> None:
    """Circular only: a duty whose deadline, condition or release reaches missed() of its own
    kind is refused at the missed() call, with the cycle in the spec's words."""
    from model.errors import SpecError

    with pytest.raises(SpecError) as err:
        spec(rules)
    assert f"is circular: {cycle};" in str(err.value), str(err.value)
    assert str(err.value).startswith("inline.yaml:")


def test_a_rule_that_asks_forbidden_of_earlier_acts_still_loads() -> None:
    """Only a cycle through a duty is refused: a forbid rule that asks whether an earlier act
    was forbidden, beside an obligation, loads as before."""
    p = spec('forbid: "r: Remedies when exists e: Remedies. e.date < r.date and forbidden(e)"\n'
             'oblige: "n: Notice by 2020-01-20"')
    assert [o.kind for o in p.obligations] == ["Notice"]


def test_an_obligation_may_depend_on_another_kind_missed() -> None:
    """A notice due after a missed report (another kind): well-founded, and both interpreters
    date the second breach after the first."""
    p = spec('oblige: "r: Report by 2020-01-20"\n'
             'oblige: "n: Notice by t + 5 days for t: time when missed(Report, t) and '
             'not missed(Report, t - 1 day)"')
    assert missed_at(p, [], "Notice", "2020-01-27")
    assert not missed_at(p, [], "Notice", "2020-01-26")
    assert not missed_at(p, [ev(p, "r", "Report", "2020-01-10")], "Notice", "2020-03-01")
    _, query = check_question(p, "can missed(Notice, 2020-01-26)")
    assert Engine(p).answer(query).verdict.value == "no"
    _, query = check_question(p, "can missed(Notice, 2020-01-27)")
    assert Engine(p).answer(query).verdict.value == "yes"


BACKGROUND_FORBID = ("background:\n  - id: law\n    source: A rule of law.\n"
                     "    forbid: \"r: Remedies when r.date < 2020-02-01\"\n")


def scenario(breaches: str) -> str:
    return ("scenarios:\n  - id: s\n    description: Remedies in January.\n    events:\n"
            "      - {id: rem, date: 2020-01-15, kind: Remedies}\n"
            f"    breaches: {breaches}\n")


def test_a_scenario_expects_a_background_rules_breach() -> None:
    """Issue 11, item 2: a scenario expects the breach of a declared background rule as it
    expects a clause's, and a mismatch names the rule as a background rule, never a clause."""
    from model.simulate import run_scenario

    p = spec('oblige: "n: Report by 2020-01-20"', BACKGROUND_FORBID + scenario(
        '[{event: rem, clause: law}, {missed: Report, clause: "1", at: 2020-01-21}]'))
    assert run_scenario(p, p.scenarios[0]).mismatches == ()
    quiet = spec('oblige: "n: Report by 2020-01-20"', BACKGROUND_FORBID + scenario(
        '[{missed: Report, clause: "1", at: 2020-01-21}]'))
    (mismatch,) = run_scenario(quiet, quiet.scenarios[0]).mismatches
    assert mismatch.what == "breach of background rule law by rem"


def test_a_scenario_names_a_background_obligation_as_missed() -> None:
    """An act cannot breach a background obligation: the error says how to expect its
    missed deadline; a background obligation's missed deadline is expected under its id."""
    from model.errors import SpecError
    from model.simulate import run_scenario

    background = ("background:\n  - id: custom\n    source: Custom.\n"
                  "    oblige: \"n: Notice by 2020-01-10\"\n")
    with pytest.raises(SpecError, match="background rule 'custom' makes an act due and "
                                        "forbids none: expect its missed deadline as"):
        spec('forbid: "r: Report when true"', background + scenario("[{event: rem, clause: custom}]"))
    p = spec('forbid: "r: Report when true"', background + scenario(
        '[{missed: Notice, clause: custom, at: 2020-01-11}]'))
    assert run_scenario(p, p.scenarios[0]).mismatches == ()


@pytest.mark.parametrize("deadline,due", [
    ("next_business_day(b.date, bank)", "2020-01-21"),  # Monday January 20 is a NYSE holiday
    ("following(b.date + 1 day, bank)", "2020-01-21"),
    ("modified_following(2020-01-18, bank)", "2020-01-21"),
])
def test_any_calendar_function_may_be_a_deadline(deadline: str, due: str) -> None:
    """Issue 11 (engine gaps, item 4): a calendar function of the trigger, or of a date, is a
    deadline like any time; the simulator and the prover date the breach the day after it."""
    p = load_spec("inline.yaml", BASE.replace("time: {unit: day,",
                                              "time: {calendars: {bank: {financial: NYSE}}, unit: day,")
                  .replace("RULES\n", "  - id: \"1\"\n    text: Clause one.\n    rules:\n"
                           f"      - oblige: \"n: Notice by {deadline} for b: Borrowing\"\n"))
    friday = ev(p, "b", "Borrowing", "2020-01-17")
    after = (p.codec.parse(due) + 1)
    assert not missed_at(p, [friday], "Notice", due)
    assert missed_at(p, [friday], "Notice", p.codec.show(after))
    _, query = check_question(p, "can exists b: Borrowing. b.date = 2020-01-17 and "
                                 f"not missed(Notice, {due}) and missed(Notice, {p.codec.show(after)})")
    assert Engine(p).answer(query).verdict.value == "yes"
