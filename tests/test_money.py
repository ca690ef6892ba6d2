"""Money, ratios, totals and counts (issue 11, items 2 and 3), point by point against
docs/semantics.md ("Money, ratios, totals and counts") and docs/spec-language.md.

The spec is ``golden/good/money.yaml``: a $50,000,000 commitment over borrowings (a total
in a status, a definition and a forbid rule), a leverage ratio of 4.25:1 (a division) and
three notices by the lender (a count).
"""

from __future__ import annotations

import re
import time
from fractions import Fraction
from pathlib import Path

import pytest

from formal.engine import Engine
from formal.fragment import BOUNDED_SLOTS, shape_of
from formal.verdict import Verdict
from model.ast import AmountT
from model.concrete import NOW, Context, holds
from model.errors import FormulaError
from model.load import check_question, load_spec
from model.money import (
    Money,
    format_amount,
    formula_literal,
    parse_amount_value,
    parse_money,
    parse_shown,
)
from model.parser import parse
from model.program import Program
from model.simulate import run_scenario
from model.timecodec import DAYS
from model.timeline import Event, Timeline

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests/golden/good/money.yaml"


@pytest.fixture(scope="module")
def program() -> Program:
    return load_spec(SPEC.as_posix())


def day(text: str) -> int:
    return DAYS.parse(text)


def ask(program: Program, formula: str) -> tuple[Verdict, int | None]:
    """The verdict of an ad-hoc question and its slot bound (None when decided for every
    timeline)."""
    extended, query = check_question(program, formula)
    answer = Engine(extended).answer(query)
    (only,) = answer.by_reading
    return only.verdict, only.bound


# ---------------------------------------------------------------- literals


@pytest.mark.parametrize(("text", "value", "currency"), [
    ("$50,000,000", Fraction(50_000_000), "USD"),
    ("$1,250,000.50", Fraction(2_500_001, 2), "USD"),
    ("£500,000", Fraction(500_000), "GBP"),
    ("€2,000", Fraction(2000), "EUR"),
    ("USD 50,000,000", Fraction(50_000_000), "USD"),
    ("GBP 500,000", Fraction(500_000), "GBP"),
    ("JPY 1000", Fraction(1000), "JPY"),
])
def test_amount_literals_are_exact(text: str, value: Fraction, currency: str) -> None:
    """Literals such as `$50,000,000` and `GBP 500,000` (spec-language.md) are exact."""
    literal = parse(f"x = {text}", "formula").right
    assert (literal.value, literal.currency) == (value, currency)
    assert parse_money(text) == (value, currency)


@pytest.mark.parametrize(("text", "value"), [
    ("0.15%", Fraction(15, 10_000)), ("12.5%", Fraction(1, 8)),
    ("4.25:1", Fraction(17, 4)), ("2.0:1.0", Fraction(2)),
])
def test_percentages_and_ratios_are_exact_rationals(text: str, value: Fraction) -> None:
    """`0.15%` is 0.0015 and `4.25:1` is 17/4, never a float."""
    assert parse(f"x = {text}", "formula").right.value == value


@pytest.mark.parametrize(("text", "message"), [
    ("$1,2500", "malformed number '1,2500'"),
    ("USX 500", "unknown currency 'USX'"),
    ("1:0", "divides by zero"),
])
def test_malformed_literals_are_errors_at_the_literal(text: str, message: str) -> None:
    with pytest.raises(FormulaError, match=message) as caught:
        parse(f"x = {text}", "formula")
    assert (caught.value.line, caught.value.col) == (1, 5)


def test_amounts_are_shown_as_money_and_read_back_exactly() -> None:
    """Output shows `$50,000,000.00` (Babel); a value with a fraction of a cent says so,
    and what is shown reads back to the same value."""
    assert format_amount(Fraction(50_000_000), "USD") == "$50,000,000.00"
    assert str(Money(Fraction(500_000), "GBP")) == "£500,000.00"
    third = Money(Fraction(1, 3), "USD")
    assert str(third) == "$0.33 (exactly 1/3)"
    assert parse_shown(str(third), None) == Fraction(1, 3)
    assert parse_amount_value("USD 1,000.25", "USD") == Fraction(4001, 4)
    assert parse_amount_value(50000000, "USD") == 50_000_000


# ---------------------------------------------------------------- types


@pytest.mark.parametrize(("formula", "message"), [
    ("can exists b: Borrowing. b.amount > 50000000 days",
     "cannot compare amount[USD] with int (50000000)"),
    ("can exists b: Borrowing. b.amount + £5 > $1", "cannot compute amount[USD] + amount[GBP]"),
    ("can exists b: Borrowing. b.amount < b.date", "cannot compare amount[USD] with time"),
    ("can exists b: Borrowing. b.amount * b.amount > $1", "cannot compute amount[USD] * "),
    ("can exists r: Report. greater_of(r.debt / r.ebitda, 1:1) > 2:1", "may only be compared"),
    ("can exists r: Report. r.debt / r.ebitda > $5", "cannot compare ratio with amount[USD]"),
    ("can greater_of($1, 1:1) > $0", "greater_of of amount[USD] with ratio"),
])
def test_mixing_units_is_a_type_error_naming_both(program: Program, formula: str,
                                                  message: str) -> None:
    with pytest.raises(FormulaError, match=re.escape(message)):
        check_question(program, formula)


# ---------------------------------------------------------------- both interpreters


def usd(text: str) -> str:
    """A dollar amount as a formula writes it (a negative one as a difference)."""
    return f"($0 - USD {text[1:]})" if text.startswith("-") else f"USD {text}"


def report(debt: str, ebitda: str) -> Event:
    return Event("r", "Report", day("2008-03-31"),
                 (("debt", Money(Fraction(debt), "USD")), ("ebitda", Money(Fraction(ebitda),
                                                                           "USD"))))


@pytest.mark.parametrize(("debt", "ebitda", "ok"), [
    ("425", "100", True), ("426", "100", False), ("-425", "-100", True),
    ("426", "-100", True), ("0", "0", False), ("5", "0", False),
])
def test_leverage_by_cross_multiplication_with_zero_divisor_false(
        program: Program, debt: str, ebitda: str, ok: bool) -> None:
    """`r.debt / r.ebitda <= 4.25:1` (clause 2): exact, and false when EBITDA is zero;
    the reference and the prover (a question pinned to the same values) agree."""
    ctx = Context(program, Timeline((report(debt, ebitda),)), program.default_readings())
    _, query = check_question(program, "can exists r: Report. leverage_ok(r)")
    assert holds(query.body, {}, ctx) is ok
    pinned = (f"can exists r: Report. r.debt = {usd(debt)} and r.ebitda = {usd(ebitda)} "
              "and leverage_ok(r)")
    assert ask(program, pinned)[0] is (Verdict.YES if ok else Verdict.NO)


def test_a_ratio_with_zero_divisor_is_neither_above_nor_below(program: Program) -> None:
    """Every comparison with an undefined ratio is false, `!=` included."""
    verdict, _ = ask(program, "can exists r: Report. r.ebitda = $0 and (r.debt / r.ebitda "
                              "<= 4.25:1 or r.debt / r.ebitda > 4.25:1 or r.debt / r.ebitda != 1:1)")
    assert verdict is Verdict.NO


def test_totals_count_only_the_events_so_far(program: Program) -> None:
    """A status's total sees the borrowings dated at or before its `t` (scenario `over`)."""
    events = (Event("b1", "Borrowing", day("2008-02-01"), (("amount", Money(Fraction(30_000_000),
                                                                             "USD")),)),
              Event("b2", "Borrowing", day("2008-03-01"),
                    (("amount", Money(Fraction(40_000_001, 2), "USD")),)))
    ctx = Context(program, Timeline(events), program.default_readings())
    body = program.definitions["outstanding"].body
    assert holds(body, {"t": day("2008-02-15"), NOW: day("2008-02-15")}, ctx)
    assert not holds(body, {"t": day("2008-03-01"), NOW: day("2008-03-01")}, ctx)
    (scenario,) = program.scenarios
    assert not run_scenario(program, scenario).failed


def test_a_fee_of_a_percentage_is_exact(program: Program) -> None:
    """`0.15% * $1,000,000.01` is exactly $1,500.000015: no rounding in either interpreter."""
    assert ask(program, "must 0.15% * $1,000,000.01 = $1,500.000015")[0] is Verdict.YES
    assert ask(program, "can 0.15% * $1,000,000.01 = $1,500.00")[0] is Verdict.NO


def test_greater_of_and_lesser_of(program: Program) -> None:
    assert ask(program, "must greater_of($75,000, 0.15% * $10,000,000) = $75,000")[0] \
        is Verdict.YES
    assert ask(program, "must lesser_of(4.25:1, 425%) = 17:4")[0] is Verdict.YES


# ---------------------------------------------------------------- what is decided


def test_money_without_totals_is_decided_for_every_timeline(program: Program) -> None:
    verdict, bound = ask(program, "can exists r: Report. leverage_ok(r) and r.debt > $1")
    assert (verdict, bound) == (Verdict.YES, None)
    _, query = check_question(program, "must forall r: Report. leverage_ok(r) or "
                                       "r.ebitda >= $0 or r.ebitda < $0")
    assert shape_of(program, query.body, with_axioms=False).complete


def test_a_count_threshold_gets_enough_slots(program: Program) -> None:
    """`count(…) >= k` needs k + 1 slots of its kind, so the bound can pass the threshold,
    and an answer with a total or a count carries its bound."""
    _, query = check_question(program, "can count(n: Notice) >= 7")
    shape = shape_of(program, query.body, with_axioms=False)
    assert not shape.complete
    assert shape.slots["Notice"] == 8 > BOUNDED_SLOTS
    assert ask(program, "can count(n: Notice) >= 7")[0] is Verdict.YES
    verdict, bound = ask(program, "must count(n: Notice where n.by = lender) <= 7")
    assert verdict is Verdict.NO
    verdict, bound = ask(program, "can count(n: Notice) = 2 and total(b.amount for b: "
                                  "Borrowing) > $60,000,000")
    assert verdict is Verdict.YES
    verdict, bound = ask(program, "can total(b.amount for b: Borrowing) < $0 and "
                                  "forall b: Borrowing. b.amount >= $0")
    assert verdict is Verdict.NO and bound is not None


def test_a_question_with_a_total_answers_within_a_second(program: Program) -> None:
    """Speed (issue 11): a total over the slots is a sum of if-then-elses, cheap for Z3."""
    start = time.perf_counter()
    verdict, _ = ask(program, "can forall t: time. outstanding(t) and "
                              "total(b.amount for b: Borrowing where b.date <= t) >= $40,000,000 "
                              "implies t > 2008-06-30")
    assert verdict is Verdict.YES
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("value", [Fraction(3, 2), Fraction(-1, 3), Fraction(50_000_000),
                                   Fraction(1, 7)])
def test_witness_values_round_trip_as_formula_literals(program: Program,
                                                       value: Fraction) -> None:
    """The explorer writes a witness's amount back as a formula (`formula_literal`): the
    checker reads it as the same exact value, and the prover's witness holds it."""
    from formal.explore.questions import describe

    text = formula_literal(value, AmountT("USD"))
    extended, query = check_question(program, f"can exists b: Borrowing. b.amount = {text}")
    answer = Engine(extended).answer(query)
    (only,) = answer.by_reading
    assert only.verdict is Verdict.YES and only.witness is not None
    (event,) = only.witness.events
    assert event.field("amount") == value
    assert "$" in event.describe() or "exactly" in event.describe()
    again = check_question(program, f"can exists b: Borrowing. {describe(program, event, 'b')}")
    assert again[1].body is not None


def test_vocabulary_examples_with_amount_and_ratio_parameters_check(program: Program) -> None:
    """`clausecheck vocabulary` shows `within_cap(USD 1,000, 1:1)`: a question the checker
    accepts (issue 12's rule, for the new types)."""
    from formal.vocabulary import vocabulary

    examples = [w.example for w in vocabulary(program) if w.example]
    assert "can within_cap(USD 1,000, 1:1)" in examples
    for example in examples:
        check_question(program, example)


def test_outputs_show_amounts_as_money(tmp_path: Path) -> None:
    """`simulate` (text and --json) and `ask --json` show amounts as money, `$25,000,000.50`,
    and a timeline may write them as money, with a code, or as plain numbers."""
    import io
    import json

    from formal.cli import main

    timeline = tmp_path / "t.yaml"
    timeline.write_text("events:\n"
                        "  - {id: b1, date: 2008-02-01, kind: Borrowing, amount: \"$30,000,000\"}\n"
                        "  - {id: b2, date: 2008-03-01, kind: Borrowing, amount: 25000000.50}\n"
                        "  - {id: r1, date: 2008-03-31, kind: Report, debt: \"USD 100\", "
                        "ebitda: 3}\n", encoding="utf-8")

    def run(*argv: str) -> str:
        out = io.StringIO()
        assert main(list(argv), out=out, err=io.StringIO()) == 0
        return out.getvalue()

    text = run("simulate", SPEC.as_posix(), timeline.as_posix())
    assert "Borrowing(amount=$25,000,000.50)" in text and "debt=$100.00" in text
    shown = json.dumps(json.loads(run("simulate", SPEC.as_posix(), timeline.as_posix(),
                                      "--json")))
    assert "$30,000,000.00" in shown and "$25,000,000.50" in shown
    asked = json.loads(run("ask", SPEC.as_posix(), "can-exceed", "--json"))
    (event,) = asked["results"][0]["witness"]["events"]
    assert re.fullmatch(r"\$\d{1,3}(,\d{3})*\.\d{2}( \(exactly \d+/\d+\))?", event["amount"])
    assert parse_amount_value(event["amount"], "USD") > 50_000_000


@pytest.mark.parametrize(("value", "ratio", "percent"), [
    (Fraction(26, 5), "5.20:1", "520%"), (Fraction(17, 4), "4.25:1", "425%"),
    (Fraction(0), "0.00:1", "0%"), (Fraction(33, 8), "4.125:1", "412.5%"),
    (Fraction(3, 2000), "0.0015:1", "0.15%"), (Fraction(3, 2), "1.50:1", "150%"),
    (Fraction(-1, 2), "-0.50:1", "-50%"),
    (Fraction(1, 3), "0.33:1 (exactly 1/3)", "33.33% (exactly 1/3)"),
])
def test_ratios_are_shown_as_a_lawyer_writes_them(value: Fraction, ratio: str,
                                                  percent: str) -> None:
    """Issue 11 (engine gaps, item 6): `5.20:1` as Chesapeake's ratio table writes it, never
    `26/5` or float noise; a `percent` field as `0.15%`; no finite decimal: rounded, with
    the exact value beside it; and every text reads back to the same value."""
    from model.money import parse_ratio_value, show_value

    assert show_value(value) == ratio and show_value(value, percent=True) == percent
    for text in (ratio, percent):
        assert parse_shown(text, None) == value and parse_ratio_value(text) == value


def test_outputs_show_ratios_and_percentages(tmp_path: Path) -> None:
    """`simulate`, `ask` and `--json` show a `ratio` field as `5.20:1` and a `percent` field as
    `0.15%`; `percent` is the ratio type (it compares with `ratio` and `%` literals)."""
    import io
    import json

    from formal.cli import main

    spec = tmp_path / "r.yaml"
    spec.write_text(SPEC.read_text(encoding="utf-8").replace(
        'fields: {debt: "amount[USD]", ebitda: "amount[USD]"}',
        'fields: {debt: "amount[USD]", ebitda: "amount[USD]", lev: ratio, margin: percent}'),
        encoding="utf-8")
    timeline = tmp_path / "t.yaml"
    timeline.write_text("events:\n  - {id: r1, date: 2008-03-31, kind: Report, debt: 52, "
                        "ebitda: 10, lev: \"5.2:1\", margin: \"0.15%\"}\n", encoding="utf-8")

    def run(*argv: str) -> str:
        out = io.StringIO()
        assert main(list(argv), out=out, err=io.StringIO()) == 0
        return out.getvalue()

    assert "lev=5.20:1, margin=0.15%" in run("simulate", str(spec), str(timeline))
    shown = json.dumps(json.loads(run("simulate", str(spec), str(timeline), "--json")))
    assert '"lev": "5.20:1"' in shown and '"margin": "0.15%"' in shown
    asked = run("ask", str(spec), "can exists r: Report. r.lev = 26:5 and r.margin = 1.5:1 "
                "and r.margin > 0.15% and r.lev > r.margin")
    assert "lev=5.20:1, margin=150%" in asked
