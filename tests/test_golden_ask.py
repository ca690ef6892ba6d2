"""Golden errors of ``clausecheck ask``: each question of the issue "errors for people" with its message.

Mirrors issue 12 ("Errors for people"): a syntax error says what was expected in the
language's own words with a caret and the right form; a date in words suggests
``YYYY-MM-DD``; ``==``, ``not in``, ``is`` and ``+ 1 month`` get guidance; an unknown
type lists the event kinds; a value where a set is wanted suggests ``{…}``; an unbound
variable that would silently become a set is refused; English points to ``vocabulary``
with a sample question. The cases are in ``golden/ask/cases.txt``, each stderr in
``golden/ask/NAME.err``; ``--regen-golden`` rewrites them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from formal.cli import main
from model.errors import FormulaError
from model.parser import parse

GOLDEN = Path(__file__).resolve().parent / "golden" / "ask"
SPEC = "specs/lexington-2003-waiver.yaml"
CASES = [tuple(line.split("\t", 1)) for line in
         (GOLDEN / "cases.txt").read_text(encoding="utf-8").splitlines()
         if line and not line.startswith("#")]
GENERATED = re.compile(r"__[A-Za-z]+_\d+|\$END|\b(NAME|INT|DATE|DURATION|LPAR|RPAR|LBRACE|RBRACE|"
                       r"LSQB|RSQB|COMMA|DOT|COLON|EQUAL|MORETHAN|LESSTHAN)\b")
"""lark's terminal names: none may reach a person."""


def ask(question: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["ask", SPEC, question], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(("name", "question"), [pytest.param(n, q, id=n) for n, q in CASES])
def test_ask_error_is_its_golden_message(name: str, question: str, regen_golden: bool) -> None:
    code, out, err = ask(question)
    golden = GOLDEN / f"{name}.err"
    if regen_golden:
        golden.write_text(err, encoding="utf-8")
    assert code == 2 and out == ""
    assert err == golden.read_text(encoding="utf-8")
    assert not GENERATED.search(err), err
    assert "Traceback" not in err


def test_every_golden_has_its_case() -> None:
    assert {p.stem for p in GOLDEN.glob("*.err")} == {n for n, _ in CASES}


def test_a_syntax_error_points_with_a_caret_at_its_column() -> None:
    code, _, err = ask("can waiver_active(t) == true")
    assert code == 2
    first, shown, caret = err.splitlines()[:3]
    col = int(first.split(":")[2])
    assert shown == "  can waiver_active(t) == true"
    assert caret == "  " + " " * (col - 1) + "^"
    assert "'=='" in first and "'='" in first


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="can must exists forall not and or ()[]{}.,:=<>!+-0123456789 abcdeEt_\n",
               max_size=40))
def test_no_syntax_error_names_a_generated_token(text: str) -> None:
    """Whatever is typed, a parse error speaks the language's words, never lark's names."""
    for start in ("question", "formula", "definition", "forbid_rule"):
        try:
            parse(text, start)
        except FormulaError as exc:
            assert not GENERATED.search(exc.message), exc.message
