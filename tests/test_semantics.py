"""The semantics of time (docs/semantics.md), point by point.

Each test names the section of docs/semantics.md it mirrors. The specs here are
small and written inline, so that each one shows exactly the construct under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from formal.cli import main
from formal.engine import Engine
from formal.verdict import Verdict
from model import ast
from model.concrete import Context, holds
from model.intervals import Runs
from model.load import check_question, load_spec
from model.program import Program
from model.simulate import simulate
from model.timecodec import parse_time
from model.timeline import Event, Timeline

LEXINGTON = "specs/lexington-2003-waiver.yaml"

HEAD = """
agreement: {id: mini, title: A small waiver, date: 2003-07-09}
time: {unit: day, horizon: [2003-07-01, 2003-07-31]}
actors:
  - {id: lender, name: The lender}
  - {id: holder, name: A noteholder}
events:
  Accelerates: {doc: A creditor seeks acceleration., fields: {by: Actor}}
  Remedies: {doc: The lender exercises remedies., fields: {by: Actor}}
  Notice: {doc: A notice., fields: {by: Actor}}
dates:
  start: 2003-07-09
  until: 2003-07-20
readings:
  rescission:
    question: Is the rescission ab initio?
    options: {prospective: From the trigger on., ab_initio: As if never given.}
    default: prospective
"""

WAIVER = HEAD + """
clauses:
  - id: "1"
    text: The lender waives the default until July 20, 2003.
    rules:
      - define: "granted(t: time) := start <= t and t < until"
      - define: "waiver_active(t: time) := granted(t) and not rescinded(t) and not (reading rescission is ab_initio and rescinded(now))"
      - forbid: "r: Remedies when r.by = lender and waiver_active(r.date)"
  - id: "2"
    text: The waiver is rescinded if a holder seeks acceleration.
    rules:
      - define: "rescinded(t: time) := exists e: Accelerates. e.by = holder and e.date <= t"
statuses:
  - {id: active, label: Waiver in force, formula: waiver_active(t)}
"""


def program_of(tmp_path: Path, text: str, name: str = "spec.yaml") -> Program:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_spec(path)


def ask(program: Program, text: str, **readings: str) -> Verdict:
    program, query = check_question(program, text)
    return Engine(program).answer(query, readings).verdict


def event(eid: str, kind: str, on: str, **fields: str) -> Event:
    return Event(eid, kind, parse_time(on), tuple(fields.items()))


# ---------------------------------------------------------------- "Time": every unit


def test_a_time_counted_twice_can_miss_every_unit(lexington: Program) -> None:
    """Two Notices 101 days apart leave no day at equal distance from both: a time with
    coefficient 2 is decided over every unit (issue 10's three wrong verdicts, their mirror
    images, are in tests/test_random_specs.py::test_issue_questions_on_lexington)."""
    assert ask(lexington, "can exists a: Notice, b: Notice. b.date - a.date = 101 and "
                          "(forall t: time. t - a.date != b.date - t)") is Verdict.YES


@settings(max_examples=examples(dev=60, ci=600), deadline=None)
@given(coef=st.integers(-4, 4).filter(bool), const=st.integers(-30, 30),
       op=st.sampled_from(["=", "!=", "<", "<=", ">", ">="]))
def test_a_linear_comparison_is_a_run_of_units(coef: int, const: int, op: str) -> None:
    """model/intervals.py: ``coef·x + const ⋈ 0`` solved into runs equals trying each unit."""
    lo, hi = -10, 10
    runs = Runs.solve(coef, const, op, lo, hi)
    units = {x for a, b in runs.runs for x in range(a, b + 1)}
    cmp = {"=": int.__eq__, "!=": int.__ne__, "<": int.__lt__, "<=": int.__le__,
           ">": int.__gt__, ">=": int.__ge__}[op]
    assert units == {x for x in range(lo, hi + 1) if cmp(coef * x + const, 0)}


REFERENCE_FORMULAS = [
    "forall t: time. t != d1 + n",
    "exists t: time. t - d1 = d2 - t",
    "forall t: time. (exists e: Notice. e.date <= t) implies t >= d1",
    "exists s: time. forall t: time. t >= s implies not waiver_active(t)",
    "forall s: time. exists t: time. t > s and t <= s + 2",
    "exists t: time. seen from t: not (exists e: Accelerates. true)",
    "forall t: time. seen from t: (seen from d1: (exists e: Notice. true)) or t < d2",
    "exists t: time. t > d1 and (seen from t - 3: not (exists e: Notice. e.date >= d2))",
]


@pytest.mark.parametrize("formula", REFERENCE_FORMULAS)
@settings(max_examples=examples(dev=15, ci=150), deadline=None)
@given(d1=st.integers(0, 30), d2=st.integers(0, 30), n=st.integers(-5, 35),
       dates=st.lists(st.integers(0, 30), max_size=3))
def test_the_reference_computes_runs_as_enumeration_would(
        tmp_path_factory: pytest.TempPathFactory, formula: str, d1: int, d2: int, n: int,
        dates: list[int]) -> None:
    """The concrete model's runs of units (its default) agree with trying every unit of a
    small horizon one by one (``exhaustive=True``), nested quantifiers included."""
    program = _waiver(tmp_path_factory)
    lo = program.horizon[0]
    expr = _closed(program, formula)
    events = [Event(f"n{i}", "Notice", lo + d, (("by", "holder"),))
              for i, d in enumerate(dates)]
    events.append(Event("acc", "Accelerates", lo + d2, (("by", "holder"),)))
    env = {"d1": lo + d1, "d2": lo + d2, "n": n}
    readings = program.default_readings()
    timeline = Timeline.of(events)
    fast = holds(expr, env, Context(program, timeline, readings))
    slow = holds(expr, env, Context(program, timeline, readings, exhaustive=True))
    assert fast == slow


def _waiver(factory: pytest.TempPathFactory) -> Program:
    path = factory.getbasetemp() / "reference-waiver.yaml"
    if not path.exists():
        path.write_text(WAIVER, encoding="utf-8")
    return load_spec(path)


def _closed(program: Program, formula: str) -> ast.Expr:
    from model.checker import Checker
    from model.load import vocabulary
    from model.parser import parse

    raw = parse(formula, "formula", program.codec)
    scope = {"d1": ast.TIME, "d2": ast.TIME, "n": ast.INT}
    return Checker(vocabulary(program)).formula(raw, scope)


# ---------------------------------------------------------------- same instant


def test_events_of_the_same_day_are_simultaneous(tmp_path: Path) -> None:
    """An acceleration and remedies on one day: no breach whichever is listed first, and the
    prover agrees that remedies on the day of a rescission are not forbidden."""
    program = program_of(tmp_path, WAIVER)
    acc = event("acc", "Accelerates", "2003-07-12", by="holder")
    rem = event("rem", "Remedies", "2003-07-12", by="lender")
    readings = program.default_readings()
    for order in ([acc, rem], [rem, acc]):
        assert simulate(program, order, readings).breaches == ()
    assert ask(program, "can exists r: Remedies, e: Accelerates. e.by = holder and "
                        "e.date = r.date and forbidden(r)") is Verdict.NO


# ---------------------------------------------------------------- hindsight


def test_ab_initio_rescission_seen_from_the_end(tmp_path: Path) -> None:
    """``rescinded(now)``: as the days unfold the waiver was in force on July 10 and remedies
    then were a breach; seen from after the rescission it never was, and they were not."""
    program = program_of(tmp_path, WAIVER)
    events = [event("rem", "Remedies", "2003-07-10", by="lender"),
              event("acc", "Accelerates", "2003-07-15", by="holder")]
    readings = {"rescission": "ab_initio"}
    unfolded = simulate(program, events, readings, [parse_time("2003-07-10")])
    assert [(b.event, b.clause) for b in unfolded.breaches] == [("rem", "1")]
    assert dict(unfolded.steps[0].statuses)["active"] is True
    seen = simulate(program, events, readings, [parse_time("2003-07-10")], hindsight=True)
    assert seen.breaches == ()
    assert dict(seen.steps[0].statuses)["active"] is False
    assert seen.seen_from == parse_time("2003-07-15")


def test_hindsight_in_questions(tmp_path: Path) -> None:
    """A question is asked from the end; ``seen from t:`` asks what was known at ``t``."""
    program = program_of(tmp_path, WAIVER)
    later = "(exists e: Accelerates. e.by = holder and e.date = 2003-07-15)"
    assert ask(program, f"can waiver_active(2003-07-10) and {later}",
               rescission="ab_initio") is Verdict.NO
    assert ask(program, f"can (seen from 2003-07-10: waiver_active(2003-07-10)) and {later}",
               rescission="ab_initio") is Verdict.YES
    assert ask(program, "can exists r: Remedies. r.by = lender and forbidden(r) and "
                        "not (seen from 2003-07-31: forbidden(r))",
               rescission="ab_initio") is Verdict.YES


# ---------------------------------------------------------------- assumptions


ASSUMING = HEAD + """
clauses:
  - id: "1"
    text: Only the lender exercises remedies.
    rules:
      - assume: "forall r: Remedies. r.by = lender"
"""


def test_a_timeline_that_breaks_an_assumption_is_reported(tmp_path: Path) -> None:
    """docs/semantics.md, "Rules": simulate reports the clause whose assumption fails."""
    program = program_of(tmp_path, ASSUMING)
    sim = simulate(program, [event("r", "Remedies", "2003-07-10", by="holder")], {})
    assert sim.broken_assumptions == ("1",)
    assert sim.failed
    timeline = tmp_path / "t.yaml"
    timeline.write_text("events:\n  - {id: r, date: 2003-07-10, kind: Remedies, by: holder}\n",
                        encoding="utf-8")
    code = main(["simulate", str(tmp_path / "spec.yaml"), str(timeline)])
    assert code == 1


# ---------------------------------------------------------------- budgets


def test_past_the_budget_an_answer_is_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    """A question that cannot finish within --timeout answers unknown, exit 3, with why."""
    code = main(["ask", LEXINGTON, "can waiver_active(2003-08-11)", "--timeout", "0.000001"])
    out = capsys.readouterr().out
    assert code == 3
    assert "unknown" in out and "--timeout" in out


def test_an_interrupted_context_is_never_used_again(lexington: Program) -> None:
    """Every witness is replayed, and past the budget an answer is unknown: an engine whose
    solves the watchdog interrupted (anywhere: building terms, checking, reading a model)
    answers unknown or what a fresh engine answers, never a witness that fails to replay,
    and answers every question afterwards as a fresh engine does. (Before its Z3 context was
    replaced after an interrupt, a later model read its events as absent: "the solver's
    witness ... does not replay".)"""
    from formal.budget import Budget

    queries = [*lexington.questions, *lexington.invariants]
    right = {q.id: Engine(lexington).answer(q).verdict for q in queries}
    for seconds in (0.002,):
        engine = Engine(lexington)
        engine.budget = Budget(seconds=seconds)
        for q in queries:
            assert engine.answer(q).verdict in (Verdict.UNKNOWN, right[q.id]), q.id
        engine.budget = Budget()
        assert {q.id: engine.answer(q).verdict for q in queries} == right
    engine = Engine(lexington)
    old = engine.z3ctx
    engine.interrupted = True  # as the watchdog leaves it
    assert engine.answer(queries[0]).verdict == right[queries[0].id]
    assert engine.z3ctx is not old and not engine.interrupted


def test_budget_flags_refuse_nonsense(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", LEXINGTON, "can true", "--timeout", "-1"]) == 2
    assert main(["ask", LEXINGTON, "can true", "--memory", "5"]) == 2
    assert "megabytes" in capsys.readouterr().err


# ---------------------------------------------------------------- the simulator's sweep


BUNDLED = sorted(p.name for p in Path(__file__).resolve().parents[1].joinpath("specs")
                 .glob("*.yaml"))


@pytest.mark.parametrize("spec", BUNDLED)
@settings(max_examples=examples(dev=10, ci=100), deadline=None)
@given(data=st.data())
def test_the_simulator_reports_what_each_status_is_at_each_time(spec: str,
                                                                 data: st.DataObject) -> None:
    """``simulate`` computes statuses from runs of units and a sweep over events; each must be
    what the status formula says at that time, judged from it (``statuses_at``), in both the
    unfolding and the hindsight view."""
    from spec_strategies import readings, timelines

    from model.simulate import statuses_at

    program = load_spec(Path("specs") / spec)
    timeline = data.draw(timelines(program, max_events=6), label="timeline")
    chosen = data.draw(readings(program), label="readings")
    from unittest import mock

    from model.concrete import HINDSIGHT, NOW, forbidding

    runs_from = data.draw(st.sampled_from([0, 10_000]), label="runs_from")
    for hindsight in (False, True):
        with mock.patch("model.concrete.RUNS_FROM", runs_from):  # calls at now from runs, or not
            sim = simulate(program, timeline.events, chosen,
                           [e.date + 1 for e in timeline.events], hindsight=hindsight)
        for step in sim.steps:
            assert step.statuses == statuses_at(program, timeline, chosen, step.date,
                                                sim.seen_from), (hindsight, step)
        # Breaches: what each act's forbid rules say, judged unit by unit (no runs at all).
        slow = Context(program, timeline, chosen, exhaustive=True)
        view = {} if sim.seen_from is None else {NOW: sim.seen_from, HINDSIGHT: True}
        expected = {(e.id, c) for e in timeline.events for c in forbidding(e, slow, view)}
        assert {(b.event, b.clause) for b in sim.breaches} == expected, hindsight


def test_lexington_ab_initio_in_hindsight(lexington: Program) -> None:
    """Lexington paragraph 2 read ab initio: remedies on July 15 are a breach as the days
    unfold, and none once a later acceleration is known (``simulate --hindsight``)."""
    covered = ("causes", frozenset({"lpc_unpaid_senior_note"}))
    events = [Event("default", "EventOfDefault", parse_time("2003-07-01"), (covered,)),
              Event("remedies", "ExercisesRemedies", parse_time("2003-07-15"),
                    (("by", "congress"), covered)),
              event("acceleration", "SeeksAcceleration", "2003-07-25", by="holder",
                    of="senior_note")]
    readings = {**lexington.default_readings(), "rescission": "ab_initio"}
    assert [b.event for b in simulate(lexington, events, readings).breaches] == ["remedies"]
    assert simulate(lexington, events, readings, hindsight=True).breaches == ()
    prospective = {**readings, "rescission": "prospective"}
    assert [b.event for b in simulate(lexington, events, prospective,
                                      hindsight=True).breaches] == ["remedies"]
