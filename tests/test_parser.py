"""The formula grammar, as ``model/formula.lark`` states it and ``model/parser.py`` builds it.

Mirrors the grammar's precedence ladder (loosest first): ``implies`` (right
associative), ``iff`` (not associative), ``or``, ``and``, ``not``; quantifier and
``if … then … else`` bodies extend as far right as they can. Expected trees are
raw AST nodes; positions are ignored by node equality and tested on their own.
"""

from __future__ import annotations

from datetime import date

import pytest

from model import ast
from model.ast import (
    And,
    Apply,
    Arith,
    Field,
    Iff,
    Implies,
    IntLit,
    Ite,
    Name,
    Not,
    Or,
    RawCmp,
    RawQuant,
    ReadingIs,
    SetLit,
    TimeLit,
    TypeName,
)
from model.errors import FormulaError
from model.parser import parse

a, b, c, d = Name("a"), Name("b"), Name("c"), Name("d")


def f(text: str) -> object:
    return parse(text, "formula")


def q(var: str, kind: str, body: ast.Expr, quant: str = "exists") -> RawQuant:
    return RawQuant(quant, var, TypeName(kind), body)  # type: ignore[arg-type]


# ------------------------------------------------------------ precedence

PRECEDENCE = [
    ("not a and b", And((Not(a), b))),
    ("not (a and b)", Not(And((a, b)))),
    ("not not a", Not(Not(a))),
    ("a or b and c", Or((a, And((b, c))))),
    ("a and b or c", Or((And((a, b)), c))),
    ("a and b and c", And((a, b, c))),
    ("a or b or c", Or((a, b, c))),
    ("a or b iff c", Iff(Or((a, b)), c)),
    ("a iff b or c", Iff(a, Or((b, c)))),
    ("a iff b implies c", Implies(Iff(a, b), c)),
    ("a implies b iff c", Implies(a, Iff(b, c))),
    ("a implies b implies c", Implies(a, Implies(b, c))),
    ("(a implies b) implies c", Implies(Implies(a, b), c)),
    ("a and b implies c or d", Implies(And((a, b)), Or((c, d)))),
    ("not a implies b", Implies(Not(a), b)),
]


@pytest.mark.parametrize(("text", "tree"), PRECEDENCE, ids=[t for t, _ in PRECEDENCE])
def test_connectives_bind_from_not_to_implies(text: str, tree: ast.Expr) -> None:
    assert f(text) == tree


@pytest.mark.parametrize("text", ["a iff b iff c", "a = b = c", "a < b <= c"])
def test_iff_and_comparisons_do_not_chain(text: str) -> None:
    with pytest.raises(FormulaError, match="syntax error: unexpected"):
        f(text)


QUANTIFIERS = [
    ("exists e: K. a or b", q("e", "K", Or((a, b)))),
    ("exists e: K. a implies b", q("e", "K", Implies(a, b))),
    ("a and exists e: K. b or c", And((a, q("e", "K", Or((b, c)))))),
    ("not exists e: K. a and b", Not(q("e", "K", And((a, b))))),
    ("(exists e: K. a) or b", Or((q("e", "K", a), b))),
    ("forall e: K, g: L. a", q("e", "K", q("g", "L", a, "forall"), "forall")),
    ("forall e: K. exists g: L. a and b",
     q("e", "K", q("g", "L", And((a, b))), "forall")),
    ("if a then b else c and d", Ite(a, b, And((c, d)))),
    ("if a then b else c implies d", Ite(a, b, Implies(c, d))),
    ("(if a then b else c) and d", And((Ite(a, b, c), d))),
]


@pytest.mark.parametrize(("text", "tree"), QUANTIFIERS, ids=[t for t, _ in QUANTIFIERS])
def test_quantifier_and_else_bodies_extend_right(text: str, tree: ast.Expr) -> None:
    assert f(text) == tree


def test_quantifier_over_a_set_type_keeps_the_element() -> None:
    assert f("exists x: set[Cause]. a") == RawQuant("exists", "x", TypeName("set", "Cause"), a)


# ------------------------------------------------------------ literals

def test_date_literal_is_the_day_of_the_time_codec() -> None:
    assert f("2003-08-11") == TimeLit(date(2003, 8, 11).toordinal())


def test_leap_day_is_a_date() -> None:
    assert f("2004-02-29") == TimeLit(date(2004, 2, 29).toordinal())


@pytest.mark.parametrize(("text", "col"), [
    ("2003-02-30", 1), ("t < 2003-02-29", 5), ("t < 2003-13-01", 5), ("a and t = 2003-04-31", 11),
])
def test_impossible_date_is_an_error_at_the_literal(text: str, col: int) -> None:
    with pytest.raises(FormulaError, match="is not a real date") as info:
        f(text)
    assert (info.value.line, info.value.col) == (1, col)


def test_date_minus_days_is_arithmetic_on_a_time() -> None:
    assert f("2003-08-11 - 1") == Arith("-", TimeLit(date(2003, 8, 11).toordinal()), IntLit(1))


def test_a_date_without_leading_zeros_is_refused_as_a_date() -> None:
    """``2003-8-11`` looks like a date, so it is refused as one rather than read as subtraction."""
    with pytest.raises(FormulaError, match="'2003-8-11' is not a date of the form YYYY-MM-DD"):
        f("2003-8-11")
    assert f("2003 - 8 - 11") == Arith("-", Arith("-", IntLit(2003), IntLit(8)), IntLit(11))


def test_day_arithmetic_associates_left() -> None:
    assert f("t + 1 - 2") == Arith("-", Arith("+", Name("t"), IntLit(1)), IntLit(2))


@pytest.mark.parametrize(("text", "tree"), [
    ("{}", SetLit(())),
    ("{a}", SetLit((a,))),
    ("{a, b}", SetLit((a, b))),
    ("x in {a, b}", RawCmp("in", Name("x"), SetLit((a, b)))),
    ("{a} subset s", RawCmp("subset", SetLit((a,)), Name("s"))),
    ("s != {}", RawCmp("!=", Name("s"), SetLit(()))),
])
def test_set_literals(text: str, tree: ast.Expr) -> None:
    assert f(text) == tree


def test_true_false_and_comments() -> None:
    assert f("true or false  # a note") == Or((ast.BoolLit(True), ast.BoolLit(False)))


# ------------------------------------------------------------ fields, calls, readings

def test_field_access_chains_left() -> None:
    assert f("e.by.x") == Field(Field(Name("e"), "by"), "x")


def test_field_of_a_call_result() -> None:
    assert f("g(e).date") == Field(Apply("g", (Name("e"),)), "date")


def test_field_binds_tighter_than_comparison() -> None:
    assert f("e.date <= t") == RawCmp("<=", Field(Name("e"), "date"), Name("t"))


def test_calls_take_formulas_as_arguments() -> None:
    assert f("p()") == Apply("p", ())
    assert f("p(e.by, t + 1)") == Apply("p", (Field(Name("e"), "by"),
                                              Arith("+", Name("t"), IntLit(1))))


def test_reading_is_an_atom() -> None:
    assert f("reading until is inclusive") == ReadingIs("until", "inclusive")
    assert f("reading until is inclusive or a") == Or((ReadingIs("until", "inclusive"), a))
    assert f("not reading until is inclusive") == Not(ReadingIs("until", "inclusive"))


# ------------------------------------------------------------ start rules

def test_question_is_a_mode_then_a_formula() -> None:
    assert parse("can a and b", "question") == ast.RawQuestion("can", And((a, b)))
    assert parse("must a", "question") == ast.RawQuestion("must", a)


@pytest.mark.parametrize("text", ["a and b", "may a", "exists e: K. a", "can"])
def test_question_without_can_or_must_is_an_error(text: str) -> None:
    with pytest.raises(FormulaError, match="syntax error"):
        parse(text, "question")


def test_definition_keeps_its_parameters_and_their_types() -> None:
    raw = parse("p(x: time, s: set[Cause]) := true", "definition")
    assert raw == ast.RawDefinition(
        "p", (("x", TypeName("time")), ("s", TypeName("set", "Cause"))), ast.BoolLit(True))
    assert parse("p() := a", "definition").params == ()


def test_forbid_rule_binds_one_event() -> None:
    raw = parse("r: ExercisesRemedies when a", "forbid_rule")
    assert raw == ast.RawForbid("r", TypeName("ExercisesRemedies"), a)


# ------------------------------------------------------------ positions

def test_positions_are_one_based_within_the_text() -> None:
    tree = f("a and\n  e.by = congress")
    assert isinstance(tree, And)
    cmp = tree.args[1]
    assert isinstance(cmp, RawCmp)
    assert tree.args[0].pos == (1, 1)
    assert cmp.pos == (2, 3)
    assert cmp.right.pos == (2, 10)
    assert isinstance(cmp.left, Field)
    assert cmp.left.pos == (2, 5)  # a field sits at its name, after the dot


def test_a_call_sits_at_its_name() -> None:
    tree = f("a or waiver_active(t)")
    assert isinstance(tree, Or)
    assert tree.args[1].pos == (1, 6)


@pytest.mark.parametrize(("text", "message", "pos"), [
    ("a and", "syntax error: the formula ends too soon", (1, 6)),
    ("a and\n  ", "syntax error: the formula ends too soon", (1, 6)),
    ("a ) b", "syntax error: unexpected ')'", (1, 3)),
    ("a and\n  (b or", "syntax error: the formula ends too soon", (2, 8)),
    ("a $ b", "syntax error: unexpected character '$'", (1, 3)),
    ("exists e K. a", "syntax error: unexpected 'K'", (1, 10)),
])
def test_syntax_errors_point_at_the_offending_token(text: str, message: str,
                                                   pos: tuple[int, int]) -> None:
    with pytest.raises(FormulaError) as info:
        f(text)
    assert info.value.message.startswith(message)
    assert (info.value.line, info.value.col) == pos


def test_a_formula_that_stops_short_says_so() -> None:
    with pytest.raises(FormulaError, match="the formula ends too soon"):
        f("a and")
