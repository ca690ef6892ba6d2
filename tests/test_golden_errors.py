"""Golden bad specs: each ``tests/golden/bad/NAME.yaml`` fails with exactly ``NAME.err``.

Mirrors the contract of :func:`model.load.load_spec` (DESIGN.md, "Output"): a spec
with a defect raises one :class:`model.errors.SpecError` whose text is the single
line ``FILE:LINE:COL: error: message``, FILE being the path as passed. Every bad
case is ``tests/golden/good/minimal.yaml`` with one defect, named in its first line.

``pytest tests/test_golden_errors.py --regen-golden`` rewrites the ``.err`` files
from what the loader says now (except the known issues below); review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.errors import SpecError
from model.load import load_spec
from model.simulate import run_scenario

ROOT = Path(__file__).resolve().parent.parent
BAD = Path("tests/golden/bad")
GOOD = Path("tests/golden/good")
BAD_CASES = sorted(p.relative_to(ROOT) for p in (ROOT / BAD).glob("*.yaml"))
GOOD_CASES = sorted(p.relative_to(ROOT) for p in (ROOT / GOOD).glob("*.yaml"))

# Cases whose .err holds the message we want, not the one model/ gives today.
# Fix the bug, delete the entry, then regenerate that case.
KNOWN_ISSUES: dict[str, str] = {
}


def _param(path: Path) -> object:
    reason = KNOWN_ISSUES.get(path.stem)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(path, id=path.stem, marks=marks)


def _error_of(path: Path) -> SpecError:
    with pytest.raises(SpecError) as info:
        load_spec(path.as_posix())
    return info.value


@pytest.mark.parametrize("path", [_param(p) for p in BAD_CASES])
def test_bad_spec_fails_with_its_golden_error(path: Path, regen_golden: bool) -> None:
    golden = path.with_suffix(".err")
    actual = f"{_error_of(path)}\n"
    if regen_golden and path.stem not in KNOWN_ISSUES:
        golden.write_text(actual, encoding="utf-8")
    assert actual == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in BAD_CASES])
def test_bad_spec_error_is_one_compiler_style_line(path: Path) -> None:
    """No traceback, no multi-line pydantic or YAML dump: ``FILE:LINE:COL: error: text``."""
    err = _error_of(path)
    text = str(err)
    assert "\n" not in text
    assert "Traceback" not in text
    assert text.startswith(f"{path.as_posix()}:{err.location.line}:{err.location.col}: error: ")
    assert err.location.file == path.as_posix()
    assert err.location.line >= 1
    assert err.location.col >= 1
    assert err.message == text.split(": error: ", 1)[1]


def test_every_bad_case_has_its_golden_and_no_golden_is_orphaned() -> None:
    specs = {p.stem for p in (ROOT / BAD).glob("*.yaml")}
    goldens = {p.stem for p in (ROOT / BAD).glob("*.err")}
    assert specs == goldens
    assert set(KNOWN_ISSUES) <= specs


def test_every_bad_case_names_its_defect_on_its_first_line() -> None:
    for path in BAD_CASES:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# bad: "), path


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in GOOD_CASES])
def test_good_spec_loads_and_its_scenarios_hold(path: Path) -> None:
    """The base of every bad case is itself valid, so each bad case has exactly one defect."""
    program = load_spec(path.as_posix())
    assert program.clauses
    for scenario in program.scenarios:
        assert run_scenario(program, scenario).mismatches == ()


MINIMAL = GOOD / "minimal.yaml"
_NOISE = st.sampled_from([*"abz09{}[]():,.'\"-#|>&*!? \t", "\n", ": ", " and ", "2003-02-30"])


@st.composite
def _mutants(draw: st.DrawFn) -> str:
    """The good base with one to three lines dropped, doubled or given a stray character."""
    lines = (ROOT / MINIMAL).read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "double", "insert", "delete"]))
        line = lines[i]
        j = draw(st.integers(0, max(0, len(line) - 1)))
        if op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, line)
        elif op == "insert":
            lines[i] = line[:j] + draw(_NOISE) + line[j:]
        else:
            lines[i] = line[:j] + line[j + 1:]
        if not lines:
            lines = ["\n"]
    return "".join(lines)


@settings(max_examples=150, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(_mutants())
def test_a_damaged_spec_loads_or_fails_with_one_line(text: str) -> None:
    """Whatever the damage, the loader either succeeds or raises SpecError on one line."""
    try:
        program = load_spec("damaged.yaml", text)
    except SpecError as err:
        assert "\n" not in str(err)
        assert str(err).startswith("damaged.yaml:")
        assert 1 <= err.location.line <= text.count("\n") + 1
    else:
        assert program.clauses
