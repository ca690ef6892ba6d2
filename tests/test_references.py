"""Events that refer to events, earliest and latest, and bool variables (issue 11, items 4-5).

Each test names the section of docs/semantics.md it mirrors: "Events that refer to
events", "Earliest and latest" and "Truth values". Both interpreters are exercised: the
concrete model directly, the prover through ``Engine`` (whose witnesses are replayed
through the concrete model before they are returned).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formal.engine import Engine
from formal.fragment import shape_of
from formal.verdict import Verdict
from model import ast
from model.checker import Checker
from model.concrete import Context, evaluate, holds
from model.errors import SpecError
from model.load import check_question, load_spec, parse_events, vocabulary
from model.parser import parse
from model.program import Program
from model.timeline import Event, Ref, Timeline

SPEC = """
agreement: {id: refs, title: References, date: 2003-07-09}
time: {unit: day, horizon: [2003-07-01, 2003-07-31]}
actors:
  - {id: lender, name: The lender}
  - {id: holder, name: A noteholder}
enums:
  Cause: {values: {unpaid: Failure to pay, other_cause: Any other cause}}
dates:
  until: 2003-07-20
events:
  Default: {doc: A default., fields: {cause: Cause, material: bool}}
  Remedy: {doc: Remedies for a default., fields: {by: Actor, default: Default}}
  Notice: {doc: A notice., fields: {by: Actor}}
clauses:
  - id: "1"
    text: No remedies before July 20 for a default from a failure to pay.
    rules:
      - define: "waived(d: Default, strict: bool) := d.cause = unpaid and (strict implies d.material)"
      - forbid: "r: Remedy when r.date < until and waived(r.default, false)"
  - id: "2"
    text: The holder knows of a default once it gives notice.
    rules:
      - define: "knew_by(x: time) := (earliest t: time. exists n: Notice. n.by = holder and
          n.date = t and n.date <= x) <= x"
"""


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    path = tmp_path_factory.mktemp("refs") / "refs.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return load_spec(path)


def ask(program: Program, text: str) -> Verdict:
    program, query = check_question(program, text)
    return Engine(program).answer(query).verdict


def closed(program: Program, formula: str, scope: dict[str, ast.Type] | None = None) -> ast.Expr:
    raw = parse(formula, "formula", program.codec)
    return Checker(vocabulary(program)).formula(raw, scope or {})


def term(program: Program, text: str, scope: dict[str, ast.Type] | None = None) -> ast.Expr:
    raw = parse(text, "formula", program.codec)
    return Checker(vocabulary(program)).expr(raw, dict(scope or {}), None)[0]


def timeline(program: Program, *raws: dict[str, object]) -> Timeline:
    def fail(sub: tuple[object, ...], message: str, key: bool = False) -> SpecError:
        raise AssertionError(message)
    return Timeline.of(parse_events(program, list(raws), fail))


def day(program: Program, n: int) -> int:
    return program.horizon[0] + n - 1


# ---------------------------------------------------------------- events that refer to events


def test_a_reference_is_the_event_it_names(program: Program) -> None:
    tl = timeline(program,
                  {"id": "d1", "date": "2003-07-02", "kind": "Default", "cause": "unpaid",
                   "material": True},
                  {"id": "r1", "date": "2003-07-05", "kind": "Remedy", "by": "lender",
                   "default": "d1"})
    ctx = Context(program, tl, program.default_readings())
    r1 = tl.by_id("r1")
    assert r1 is not None and r1.field("default") == Ref("d1")
    assert evaluate(term(program, "r.default.date", {"r": ast.EventT("Remedy")}),
                    {"r": r1}, ctx) == day(program, 2)
    assert holds(closed(program, "exists r: Remedy. forbidden(r) and r.default.material"), {}, ctx)
    assert r1.to_json()["default"] == "d1"


def test_a_timeline_with_a_reference_to_a_later_event_is_refused(program: Program) -> None:
    raws = [{"id": "r1", "date": "2003-07-05", "kind": "Remedy", "by": "lender", "default": "d1"},
            {"id": "d1", "date": "2003-07-06", "kind": "Default", "cause": "unpaid",
             "material": True}]
    with pytest.raises(ValueError, match="refers to 'd1', dated later"):
        parse_events(program, raws, lambda sub, msg, key=False: ValueError(msg))


def test_a_remedy_never_precedes_its_default_in_the_prover(program: Program) -> None:
    assert ask(program, "can exists r: Remedy. r.date < r.default.date") is Verdict.NO
    assert ask(program, "can exists r: Remedy. r.date = r.default.date") is Verdict.YES


def test_a_reference_seen_through_a_chosen_event_and_compared(program: Program) -> None:
    assert ask(program, "can exists r: Remedy, d: Default. r.default = d and d.cause = "
                        "other_cause and forbidden(r)") is Verdict.NO
    assert ask(program, "can exists r: Remedy, s: Remedy. r.default = s.default and "
                        "r.by != s.by") is Verdict.YES
    assert ask(program, "must forall r: Remedy. exists d: Default. r.default = d") is Verdict.YES


def test_a_witness_names_the_event_it_refers_to(program: Program) -> None:
    checked, query = check_question(program, "can exists r: Remedy. r.default.material "
                                             "and r.by = holder")
    answer = Engine(checked).answer(query)
    assert answer.verdict is Verdict.YES
    witness = answer.by_reading[0].witness
    assert witness is not None
    events = witness.events
    remedy = next(e for e in events if e.kind == "Remedy")
    default = next(e for e in events if e.id == remedy.field("default").id)  # type: ignore[union-attr]
    assert default.kind == "Default" and default.field("material") is True


def test_a_reference_field_keeps_the_question_decided(program: Program) -> None:
    """Remedies that refer to their default: every length of timeline, one default slot per
    remedy; the old encoding as a quantifier is bounded."""
    goal = closed(program, "exists r: Remedy. r.by = holder")
    shape = shape_of(program, goal)
    assert shape.complete and shape.slots == {"Remedy": 1, "Default": 1}
    old = closed(program, "forall r: Remedy. exists d: Default. d.date <= r.date")
    assert not shape_of(program, old).complete


def test_kinds_that_refer_to_each_other_in_a_cycle_are_bounded(tmp_path: Path) -> None:
    text = SPEC.replace("Notice: {doc: A notice., fields: {by: Actor}}",
                        "Notice: {doc: A notice., fields: {by: Actor, follows: Notice}}")
    path = tmp_path / "cycle.yaml"
    path.write_text(text, encoding="utf-8")
    program = load_spec(path)
    shape = shape_of(program, closed(program, "exists n: Notice. n.by = holder"))
    assert not shape.complete and "cycle (Notice -> Notice)" in (shape.reason or "")
    assert shape_of(program, closed(program, "exists r: Remedy. true")).complete
    assert ask(program, "can exists n: Notice. n.follows = n") is Verdict.NO
    assert ask(program, "can exists n: Notice. n.follows.date = n.date") is Verdict.YES
    raws = [{"id": "n1", "date": "2003-07-05", "kind": "Notice", "by": "lender",
             "follows": "n1"}]
    with pytest.raises(ValueError, match="'n1' refers to itself"):
        parse_events(program, raws, lambda sub, msg, key=False: ValueError(msg))


def test_a_reference_guards_look_ahead(tmp_path: Path) -> None:
    """``exists d: Default. r.default = d and …`` sees only what ``r`` sees."""
    text = SPEC + """      - forbid: "r: Remedy when exists d: Default. r.default = d and d.material"
"""
    path = tmp_path / "guard.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_spec(path).forbids["Remedy"]


# ---------------------------------------------------------------- earliest and latest

NOTICES = [2, 5, 9]


def notices(program: Program, days: list[int]) -> Timeline:
    return Timeline.of([Event(f"n{i}", "Notice", day(program, d), (("by", "holder"),))
                        for i, d in enumerate(days)])


@pytest.mark.parametrize(("formula", "expected"), [
    ("earliest t: time. exists n: Notice. n.date = t", 2),
    ("latest t: time. exists n: Notice. n.date = t", 9),
    ("earliest t: time. exists n: Notice. n.date < t", 3),
    ("latest t: time. forall n: Notice. n.date < t", 31),
    ("earliest t: time. exists n: Notice. n.date = t and t > 2003-07-09", 32),  # never: hi + 1
    ("latest t: time. exists n: Notice. n.date = t and t < 2003-07-02", 0),  # never: lo - 1
])
def test_earliest_and_latest_in_the_reference(program: Program, formula: str,
                                              expected: int) -> None:
    expr = term(program, formula)
    tl = notices(program, NOTICES)
    fast = evaluate(expr, {}, Context(program, tl, program.default_readings()))
    slow = evaluate(expr, {}, Context(program, tl, program.default_readings(), exhaustive=True))
    assert fast == slow == day(program, expected)


@settings(max_examples=25, deadline=None)
@given(days=st.lists(st.integers(1, 31), max_size=3), x=st.integers(1, 31))
def test_earliest_by_runs_is_earliest_by_units(program: Program, days: list[int],
                                               x: int) -> None:
    expr = closed(program, "(earliest t: time. knew_by(t) and t >= x) = "
                           "(latest t: time. not knew_by(t) or t < x) + 1", {"x": ast.TIME})
    tl = notices(program, days)
    env = {"x": day(program, x)}
    fast = holds(expr, env, Context(program, tl, program.default_readings()))
    slow = holds(expr, env, Context(program, tl, program.default_readings(), exhaustive=True))
    assert fast == slow


def test_earliest_and_latest_in_the_prover(program: Program) -> None:
    assert ask(program, "can (earliest t: time. exists n: Notice. n.date = t) = 2003-07-05 "
                        "and exists n: Notice. n.date < 2003-07-05") is Verdict.NO
    assert ask(program, "can (earliest t: time. exists n: Notice. n.date = t) = 2003-07-05 "
                        "and exists n: Notice. n.date > 2003-07-25") is Verdict.YES
    assert ask(program, "must (latest t: time. exists n: Notice. n.date = t) >= "
                        "(earliest t: time. exists n: Notice. n.date = t) or not exists n: "
                        "Notice. true") is Verdict.YES
    assert ask(program, "must (forall n: Notice. false) implies (earliest t: time. exists n: "
                        "Notice. n.date = t) = 2003-08-01") is Verdict.YES
    assert ask(program, "can knew_by(x) and not knew_by(x - 1) and x = 2003-07-10") is Verdict.YES


# ---------------------------------------------------------------- truth values


def test_a_free_bool_variable_and_bool_quantifiers(program: Program) -> None:
    assert ask(program, "can s and not s") is Verdict.NO
    assert ask(program, "can s and exists d: Default. d.material = s") is Verdict.YES
    assert ask(program, "must forall b: bool. exists c: bool. b != c") is Verdict.YES
    assert ask(program, "must exists c: bool. forall b: bool. b = c") is Verdict.NO
    assert ask(program, "can forall b: bool. exists d: Default. d.material = b and "
                        "waived(d, b)") is Verdict.YES


def test_bool_quantifiers_in_the_reference(program: Program) -> None:
    ctx = Context(program, notices(program, [4]), program.default_readings())
    assert holds(closed(program, "forall b: bool. exists t: time. (exists n: Notice. "
                                 "n.date = t) iff b"), {}, ctx)
    assert not holds(closed(program, "exists b: bool. b and not b"), {}, ctx)


def test_the_explorer_offers_a_reference_and_checks_it(program: Program) -> None:
    from formal.explore.payload import EventProblem, spec_json
    from formal.explore.payload import parse_events as page_events

    remedy = next(k for k in spec_json(program)["kinds"] if k["name"] == "Remedy")
    assert {"name": "default", "type": "event", "of": "Default"} in remedy["fields"]
    raws = [{"id": "r1", "date": "2003-07-05", "kind": "Remedy", "by": "lender",
             "default": "n1"},
            {"id": "n1", "date": "2003-07-01", "kind": "Notice", "by": "holder"}]
    with pytest.raises(EventProblem) as info:
        page_events(program, raws)
    assert "'n1' is an event of kind Notice" in str(info.value)


def test_the_explorer_states_a_timeline_with_references_as_a_premise(program: Program) -> None:
    from formal.explore.questions import premise

    tl = timeline(program,
                  {"id": "d1", "date": "2003-07-02", "kind": "Default", "cause": "unpaid",
                   "material": True},
                  {"id": "r1", "date": "2003-07-05", "kind": "Remedy", "by": "lender",
                   "default": "d1"})
    parts = premise(program, tl.events, True, set())
    text = " and ".join(parts)
    assert "e2.default.date = 2003-07-02 and e2.default.cause = unpaid and e2.default.material" \
        in text
    assert ask(program, f"can {text}") is Verdict.YES
    assert ask(program, f"can {text} and exists r: Remedy. not forbidden(r)") is Verdict.NO
