"""Fuzzing the command: mutated specs, timelines and command lines never crash it (issue 14).

Mirrors README.md's exit codes and DESIGN.md, "Output": whatever the input, the command
ends with 0, 1, 2 or 3 (never 4, an internal error), prints no traceback, and returns
within a bounded time. Hypothesis mutates the bundled specs (``specs/``, and the golden
``minimal.yaml``), the timelines of their scenarios, and command lines: keys deleted,
values of the wrong type, huge and deeply nested values, control characters and NULs,
bytes that are not UTF-8, truncation at a random byte. Everything runs in this process
through :func:`formal.cli.main`; commands that ask the solver run on the small spec only,
so that the CI profile's 2,100 inputs stay within a few minutes.
"""

from __future__ import annotations

import atexit
import io
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from formal.cli import main
from model.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests/golden/good/minimal.yaml"
BUNDLED = sorted((ROOT / "specs").glob("*.yaml"))
SPECS = [*BUNDLED, MINIMAL]
WORK = Path(tempfile.mkdtemp(prefix="clausecheck-fuzz-"))
atexit.register(shutil.rmtree, WORK, True)  # Hypothesis runs outside pytest's tmp_path fixtures
SECONDS = 30.0
"""The longest any one fuzzed command may take (the solver's budget is 20 s by default)."""
OK_CODES = {0, 1, 2, 3}
NASTY = ["\x00", "\x1b[31m", "\u202e", "\udc80", "\r", "\t", "\\", "'", '"', "#", ": ", "- ",
         "{", "}", "[", "]", "&a", "*a", "!!int x", "%YAML 1.1\n", "---\n", "\ufeff", "é", "𝟘"]


def _data(path: Path) -> Any:
    return load_yaml(path)[0]


BASE_DATA = {path: _data(path) for path in SPECS}
SCENARIO_IDS = {path: [s["id"] for s in BASE_DATA[path].get("scenarios", [])] for path in SPECS}
TIMELINES = [(path, {"events": s["events"], "readings": s.get("readings", {}),
                     "at": [x["at"] for x in s.get("expect", []) if "at" in x]})
             for path in SPECS for s in BASE_DATA[path].get("scenarios", [])]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside nested dicts and lists."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _paths(value, (*prefix, i))
    return found


def _odd_value(depth: int) -> st.SearchStrategy[Any]:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True),
        st.just(10 ** 30), st.text(max_size=30), st.sampled_from(NASTY),
        st.just("x" * 100_000), st.just("[" * 300 + "]" * 300),
        st.just("2003-07-09"), st.just("9999-12-31"), st.just("0001-01-01T00:00"),
        st.just("٢٠٠٣-٠٧-٠٩"), st.just("can " + "(" * 150 + "true" + ")" * 150))
    if depth <= 0:
        return leaves
    return st.one_of(leaves, st.lists(_odd_value(depth - 1), max_size=3),
                     st.dictionaries(st.text(max_size=8), _odd_value(depth - 1), max_size=3))


def _nested(levels: int) -> Any:
    value: Any = "deep"
    for _ in range(levels):
        value = [value]
    return value


@st.composite
def mutated_data(draw: st.DrawFn, base: Any) -> Any:
    """``base`` (a copy) with one to three values deleted, replaced or made huge or deep."""
    data = json.loads(json.dumps(base))
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["delete", "replace", "deep", "nasty"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "deep":
            parent[path[-1]] = _nested(draw(st.sampled_from([10, 70, 500])))
        elif action == "nasty" and isinstance(parent[path[-1]], str):
            text = parent[path[-1]]
            at = draw(st.integers(0, len(text)))
            parent[path[-1]] = text[:at] + draw(st.sampled_from(NASTY)) + text[at:]
        else:
            parent[path[-1]] = draw(_odd_value(2))
    return data


@st.composite
def mutated_bytes(draw: st.DrawFn, text: str) -> bytes:
    """The text as UTF-8 with byte-level damage: truncation, insertions, bad UTF-8."""
    raw = text.encode("utf-8", "surrogatepass")
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["truncate", "insert", "bad-utf8", "none"]))
        if action == "truncate":
            raw = raw[:at]
        elif action == "insert":
            raw = raw[:at] + draw(st.sampled_from(NASTY)).encode("utf-8", "surrogatepass") + raw[at:]
        elif action == "bad-utf8":
            raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"])) \
                + raw[at:]
    return raw


def run(argv: list[str]) -> tuple[int, str]:
    """One command in this process: its exit code and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    started = time.monotonic()
    code = main(argv, out, err)
    elapsed = time.monotonic() - started
    printed = out.getvalue() + err.getvalue()
    assert code in OK_CODES, (argv, code, printed[-2000:])
    assert "Traceback" not in printed, argv
    assert "internal error" not in printed, (argv, printed[-2000:])
    assert elapsed < SECONDS, (argv, elapsed)
    return code, printed


def _file(name: str, content: bytes) -> str:
    path = WORK / name
    path.write_bytes(content)
    return str(path)


@settings(max_examples=examples(dev=15, ci=800))
@given(st.data())
def test_mutated_specs_fail_cleanly(data: st.DataObject) -> None:
    """A damaged bundled spec: simulated (no solver), or, for the small spec, checked."""
    base = data.draw(st.sampled_from(SPECS))
    tree = data.draw(mutated_data(BASE_DATA[base]))
    raw = data.draw(mutated_bytes(json.dumps(tree, ensure_ascii=False) if data.draw(
        st.booleans()) else base.read_text(encoding="utf-8")))
    spec = _file("spec.yaml", raw)
    if base == MINIMAL and data.draw(st.booleans()):
        run(["check", spec, "--timeout", "5"])
    else:
        run(["simulate", spec, data.draw(st.sampled_from(SCENARIO_IDS[base] or ["none"]))])


@settings(max_examples=examples(dev=15, ci=700))
@given(st.data())
def test_mutated_timelines_fail_cleanly(data: st.DataObject) -> None:
    """A damaged timeline file, simulated against the spec whose scenario it came from."""
    spec, timeline = data.draw(st.sampled_from(TIMELINES))
    tree = data.draw(mutated_data(timeline))
    raw = data.draw(mutated_bytes(json.dumps(tree, ensure_ascii=False)))
    path = _file("timeline.yaml", raw)
    extra = data.draw(st.sampled_from([[], ["--json"], ["--hindsight"], ["--reading", "a=b"]]))
    run(["simulate", str(spec), path, *extra])


_WORDS = ["can", "must", "exists", "forall", "e:", "SeeksAcceleration.", "t", "waiver_active(t)",
          "rescinded(t)", "and", "or", "not", "implies", "(", ")", "<=", "2003-08-11", "+",
          "1 day", "e.date", "e.by", "=", "trustee", "reading until is inclusive", "now",
          "seen from", ":", "{", "}", "if", "then", "else", "#", "9" * 40]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A command with arguments drawn from valid, invalid and hostile values."""
    command = draw(st.sampled_from(["check", "ask", "simulate", "export-smt", "report", "schema",
                                    "vocabulary", "--bogus", "-h", "", "\udc80"]))
    spec = draw(st.sampled_from([str(MINIMAL), str(WORK / "missing.yaml"), "/dev/null",
                                 str(WORK), "/dev/zero"]))
    out = draw(st.sampled_from([str(WORK / "out.txt"), str(WORK), str(WORK / "no" / "x"),
                                "/dev/full", str(WORK / "out.md")]))
    formula = draw(st.one_of(
        st.builds(" ".join, st.lists(st.sampled_from(_WORDS), max_size=14)),
        st.sampled_from(["active-after-acceleration", "active-after", "the waiver"])))
    words = {"check": [spec], "ask": [spec, formula], "simulate": [spec, draw(st.sampled_from(
        ["early-remedies", "missing", str(MINIMAL)]))], "vocabulary": [spec],
        "export-smt": [spec, draw(
            st.sampled_from(["active-after-acceleration", "x"]))], "report": [spec]}
    argv = [command, *words.get(command, [])]
    options = st.sampled_from([
        ["--json"], ["-v"], ["--jobs", draw(st.sampled_from(["1", "0", "-3", "9" * 30, "x"]))],
        ["--reading", draw(st.sampled_from(["until=inclusive", "until=exclusive", "until",
                                            "=", "x=y", "until=\x00"]))],
        ["--timeout", draw(st.sampled_from(["5", "0", "nan", "1e400", "-1"]))],
        ["--memory", draw(st.sampled_from(["512", "1", "x"]))], ["-o", out],
        ["--format", draw(st.sampled_from(["md", "html", "pdf"]))], ["--html", out],
        ["--hindsight"], [draw(st.text(max_size=6))]])
    for extra in draw(st.lists(options, max_size=3)):
        argv += extra
    return argv


@settings(max_examples=examples(dev=15, ci=600))
@given(command_lines())
def test_mutated_command_lines_fail_cleanly(argv: list[str]) -> None:
    """Random command lines on the small spec: usage errors, bad paths, odd values."""
    run([a.replace("\x00", "") for a in argv])  # a real command line holds no NUL
