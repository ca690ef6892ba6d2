"""Name resolution and type checking, as ``model/checker.py`` does them.

The vocabulary below mirrors ``tests/golden/good/minimal.yaml``; the last part
checks the free variables the loader infers for the questions and invariants of
``specs/lexington-2003-waiver.yaml``, and where errors land in a spec file.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from model import ast
from model.ast import TIME, EnumT, EventT, SetT
from model.checker import Checker, Signature, Vocabulary
from model.errors import FormulaError, SpecError
from model.load import load_spec
from model.parser import parse
from model.program import Program

UNTIL = date(2003, 8, 11).toordinal()
CAUSES = SetT(EnumT("Cause"))


def vocabulary() -> Vocabulary:
    return Vocabulary(
        enums={"Actor": ("congress", "trustee"), "Cause": ("unpaid", "other_cause")},
        value_enum={"congress": "Actor", "trustee": "Actor", "unpaid": "Cause",
                    "other_cause": "Cause"},
        dates={"waiver_until": UNTIL},
        kinds={"SeeksAcceleration": {"by": EnumT("Actor")},
               "ExercisesRemedies": {"by": EnumT("Actor"), "causes": CAUSES}},
        readings={"until": ("exclusive", "inclusive")},
        predicates={"waiver_active": Signature("waiver_active", (("t", TIME),)),
                    "rescinded": Signature("rescinded", (("t", TIME),)),
                    "covered": Signature("covered", (("c", CAUSES),))},
    )


SCOPE: dict[str, ast.Type] = {"t": TIME, "c": CAUSES, "e": EventT("SeeksAcceleration"),
         "r": EventT("ExercisesRemedies")}


def check(text: str) -> ast.Expr:
    """A closed formula over SCOPE, as a definition body or a forbid rule is checked."""
    return Checker(vocabulary()).formula(parse(text, "formula"), SCOPE)


def free(text: str) -> tuple[tuple[str, ast.Type], ...]:
    """The free variables of a question's formula (after ``can``/``must``), with their types."""
    raw = parse(text, "question")
    return Checker(vocabulary()).open_formula(raw.body, {})[1]


def error(text: str) -> FormulaError:
    with pytest.raises(FormulaError) as info:
        check(text)
    return info.value


# ------------------------------------------------------------ names resolve

def test_a_named_date_becomes_its_time_and_keeps_its_name() -> None:
    assert check("t < waiver_until") == ast.Cmp(
        "<", ast.Var("t", TIME), ast.TimeLit(UNTIL, "waiver_until"))


def test_an_enumeration_value_becomes_a_literal_of_its_enumeration() -> None:
    assert check("e.by = trustee") == ast.Cmp(
        "=", ast.Field(ast.Var("e", SCOPE["e"]), "by", EnumT("Actor")),
        ast.EnumLit("Actor", "trustee"))


def test_a_predicate_application_becomes_a_call() -> None:
    assert check("waiver_active(t + 1)") == ast.Call(
        "waiver_active", (ast.Arith("+", ast.Var("t", TIME), ast.IntLit(1)),))


def test_every_event_has_a_date_of_type_time() -> None:
    field = check("e.date <= t")
    assert isinstance(field, ast.Cmp)
    assert field.left == ast.Field(ast.Var("e", SCOPE["e"]), "date", TIME)


def test_set_literal_takes_its_enumeration_from_the_parameter() -> None:
    assert check("covered({unpaid})") == ast.Call(
        "covered", (ast.SetLit((ast.EnumLit("Cause", "unpaid"),), "Cause"),))


def test_empty_set_takes_its_type_from_the_other_side() -> None:
    assert check("c != {}") == ast.Cmp("!=", ast.Var("c", CAUSES), ast.SetLit((), "Cause"))
    assert check("{} = r.causes") == ast.Cmp(
        "=", ast.SetLit((), "Cause"), ast.Field(ast.Var("r", SCOPE["r"]), "causes", CAUSES))


def test_membership_and_subset() -> None:
    assert isinstance(check("unpaid in r.causes"), ast.In)
    assert isinstance(check("e.by in {congress, trustee}"), ast.In)
    assert isinstance(check("r.causes subset {unpaid}"), ast.Subset)


def test_reading_is_a_truth_value() -> None:
    assert check("reading until is inclusive and t <= waiver_until") == ast.And((
        ast.ReadingIs("until", "inclusive"),
        ast.Cmp("<=", ast.Var("t", TIME), ast.TimeLit(UNTIL, "waiver_until"))))


def test_quantifier_binds_a_time_or_an_event() -> None:
    tree = check("exists s: time. s < t and rescinded(s)")
    assert isinstance(tree, ast.Quant)
    assert (tree.var, tree.type) == ("s", TIME)
    tree = check("forall x: ExercisesRemedies. unpaid in x.causes")
    assert isinstance(tree, ast.Quant)
    assert tree.type == EventT("ExercisesRemedies")


def test_day_arithmetic_types() -> None:
    """ast.Arith: "time ± int is a time, time − time is an int"."""
    diff = check("t - waiver_until < 3")
    assert isinstance(diff, ast.Cmp)
    assert diff.left == ast.Arith("-", ast.Var("t", TIME), ast.TimeLit(UNTIL, "waiver_until"))
    later = check("t + 1 = waiver_until")
    assert isinstance(later, ast.Cmp)
    assert later.left == ast.Arith("+", ast.Var("t", TIME), ast.IntLit(1))


def test_days_plus_a_time_is_a_time() -> None:
    assert check("1 + t = waiver_until") == ast.Cmp(
        "=", ast.Arith("+", ast.IntLit(1), ast.Var("t", TIME)), ast.TimeLit(UNTIL, "waiver_until"))


# ------------------------------------------------------------ errors, with their positions

ERRORS = [
    ("t < waiver_untill", r"unknown name 'waiver_untill'; did you mean 'waiver_until'\?", (1, 5)),
    ("waiver_activ(t)", r"unknown predicate 'waiver_activ'; did you mean 'waiver_active'\?",
     (1, 1)),
    ("e.byy = trustee", r"event kind 'SeeksAcceleration' has no field 'byy'; did you mean 'by'\?",
     (1, 3)),
    ("e.by.x = trustee", r"'x' is a field of an event, but this is a value of Actor", (1, 6)),
    ("e.date = congress", r"expected a time, found a value of Actor", (1, 10)),
    ("t = congress", r"expected a time, found a value of Actor", (1, 5)),
    ("congress < trustee", r"'<' compares times or day counts, not a value of Actor", (1, 1)),
    ("t and rescinded(t)", r"expected a truth value \(a formula\), found a time", (1, 1)),
    ("rescinded(t) or t", r"expected a truth value \(a formula\), found a time", (1, 17)),
    ("not t", r"expected a truth value \(a formula\), found a time", (1, 5)),
    ("t + t < t", r"cannot compute time \+ time", (1, 1)),
    ("t < 2003-8-11", r"'2003-8-11' is not a date of the form YYYY-MM-DD", (1, 5)),
    ("waiver_active(t, t)", r"waiver_active takes 1 argument\(s\) \(t: time\), given 2", (1, 1)),
    ("waiver_active(congress)", r"expected a time, found a value of Actor", (1, 15)),
    ("covered({congress})", r"expected a value of Cause, found a value of Actor", (1, 10)),
    ("e.by in {congress, unpaid}", r"expected a value of Actor, found a value of Cause", (1, 20)),
    ("{} = {}", r"cannot tell the type of the empty set", (1, 1)),
    ("t in {unpaid}", r"'in' tests an enumeration value, not a time", (1, 1)),
    ("exists x: Actor. true", r"quantifiers range over times, events or bool, not Actor", (1, 11)),
    ("exists x: Seeks. true", r"unknown type 'Seeks'", (1, 11)),
    ("exists congress: time. true", r"variable 'congress' would hide the declared name 'congress'",
     (1, 1)),
    ("reading untill is inclusive", r"unknown reading 'untill'; did you mean 'until'\?", None),
    ("reading until is inclusve",
     r"reading 'until' has no option 'inclusve' .*exclusive, inclusive.*did you mean 'inclusive'",
     None),
    ("forbidden(t)", r"forbidden\(e\) takes an event, not a time", (1, 11)),
]


@pytest.mark.parametrize(("text", "message", "pos"), ERRORS, ids=[t for t, _, _ in ERRORS])
def test_error_names_the_problem_at_the_offending_token(
        text: str, message: str, pos: tuple[int, int] | None) -> None:
    """``pos`` None: the position is a known issue, see tests/golden/bad/unknown-reading*.err."""
    err = error(text)
    assert re.match(message, err.message), err.message
    if pos is not None:
        assert (err.line, err.col) == pos


# ------------------------------------------------------------ free variables of questions

FREE = [
    ("can waiver_active(t)", (("t", TIME),)),
    ("can t1 <= t2 and rescinded(t1)", (("t1", TIME), ("t2", TIME))),
    ("can rescinded(t1) and t1 <= t2", (("t1", TIME), ("t2", TIME))),
    ("must (t1 <= t2 and rescinded(t1)) implies rescinded(t2)", (("t1", TIME), ("t2", TIME))),
    ("can covered(x) and waiver_active(t)", (("x", CAUSES), ("t", TIME))),
    ("can exists e: SeeksAcceleration. e.by = a", (("a", EnumT("Actor")),)),
    ("can x in {unpaid, other_cause}", (("x", EnumT("Cause")),)),
    ("can s + 1 <= waiver_until", (("s", TIME),)),
    ("can d - waiver_until > 3", (("d", TIME),)),
    ("can if waiver_active(t) then x = congress else x = trustee",
     (("t", TIME), ("x", EnumT("Actor")))),
    ("can waiver_active(2003-08-11)", ()),
]


@pytest.mark.parametrize(("text", "types"), FREE, ids=[t for t, _ in FREE])
def test_free_variables_take_their_types_from_where_they_are_used(
        text: str, types: tuple[tuple[str, ast.Type], ...]) -> None:
    assert free(text) == types


def test_a_free_variable_used_as_a_formula_is_a_bool() -> None:
    assert dict(free("can waiver_active(t) and p")) == {"t": ast.TIME, "p": ast.BOOL}


def test_a_free_variable_with_nothing_to_type_it_must_be_bound() -> None:
    with pytest.raises(FormulaError, match=r"cannot tell the type of 't[12]'; bind it, as in "
                       r"'exists t[12]: time\. …'"):
        free("can t1 <= t2")


def test_a_free_variable_keeps_one_type() -> None:
    with pytest.raises(FormulaError, match="expected a time, found a value of Actor") as info:
        free("can rescinded(t) and t = congress")
    assert (info.value.line, info.value.col) == (1, 26)


def test_a_misspelt_declared_name_in_a_question_is_not_a_free_variable() -> None:
    with pytest.raises(FormulaError, match="did you mean 'trustee'"):
        free("can exists e: SeeksAcceleration. e.by = trustes and waiver_active(t)")


LEXINGTON_FREE = [
    ("questions", "active-after-acceleration", (("t", TIME),)),
    ("questions", "active-on-aug-11", ()),
    ("questions", "no-revival", (("t1", TIME), ("t2", TIME))),
    ("questions", "retroactive-remedies", (("s", TIME), ("t", TIME))),
    ("questions", "notice-needed", ()),
    ("invariants", "rescission-permanent", (("t1", TIME), ("t2", TIME))),
    ("invariants", "waived-is-covered", (("c", CAUSES), ("t", TIME))),
]


@pytest.mark.parametrize(("group", "qid", "types"), LEXINGTON_FREE,
                         ids=[q for _, q, _ in LEXINGTON_FREE])
def test_lexington_questions_bind_their_free_variables(
        lexington: Program, group: str, qid: str, types: tuple[tuple[str, ast.Type], ...]) -> None:
    query = {q.id: q for q in getattr(lexington, group)}[qid]
    assert query.free == types
    if group == "invariants":
        assert query.mode == "must"


# ------------------------------------------------------------ where errors land in the file

BASE = Path("tests/golden/good/minimal.yaml")
QUESTION = ('    formula: "can exists e: SeeksAcceleration. e.by = trustee and e.date <= t '
            'and waiver_active(t)"\n')


def located(formula_lines: str) -> tuple[str, int, int]:
    """Load the minimal spec with its question's formula replaced; the error and its place."""
    text = BASE.read_text(encoding="utf-8")
    assert text.count(QUESTION) == 1
    text = text.replace(QUESTION, formula_lines)
    with pytest.raises(SpecError) as info:
        load_spec("spec.yaml", text)
    line = text.splitlines().index(formula_lines.splitlines()[0]) + 1
    return info.value.message, info.value.location.line - line, info.value.location.col


def test_error_in_a_one_line_quoted_formula() -> None:
    message, line, col = located('    formula: "can exists e: SeeksAcceleration. e.byy = trustee"\n')
    assert message == "event kind 'SeeksAcceleration' has no field 'byy'; did you mean 'by'?"
    assert (line, col) == (0, 50)


def test_error_in_a_plain_formula() -> None:
    assert located("    formula: can waiver_activ(t)\n")[1:] == (0, 18)


def test_error_in_a_literal_block_formula() -> None:
    lines = "    formula: |\n      can waiver_active(t)\n      and waiver_activ(t)\n"
    assert located(lines)[1:] == (2, 11)


def test_error_in_a_deeper_indented_line_of_a_literal_block() -> None:
    lines = "    formula: |\n      can waiver_active(t)\n        and waiver_activ(t)\n"
    assert located(lines)[1:] == (2, 13)


def test_error_on_the_second_line_of_a_folded_quoted_formula() -> None:
    lines = '    formula: "can waiver_active(t)\n      and waiver_activ(t)"\n'
    assert located(lines)[1:] == (1, 11)


def test_a_folded_block_formula_reads_as_one_line() -> None:
    lines = "    formula: >\n      can waiver_active(t)\n      and waiver_activ(t)\n"
    message, _, _ = located(lines)
    assert message.startswith("unknown predicate 'waiver_activ'")
