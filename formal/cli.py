"""The ``clausecheck`` command: check specs, ask questions, simulate timelines, export SMT-LIB2, report.

Exit codes: 0 every expectation holds; 1 one fails; 2 bad spec or arguments;
3 something is unknown (the solver gave up) and nothing failed; 4 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from model.errors import (
    BudgetExceeded,
    ClauseCheckError,
    ReplayMismatch,
    SpecError,
    UsageError,
    shown,
)

from . import __version__, budget
from .terminal import EscapingWriter, printable

if TYPE_CHECKING:  # each command imports what it needs, so that --help and ask start fast
    from model.program import Program

    from .progress import Progress
    from .suite import CheckResult
    from .workers import Failure

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_UNKNOWN, EXIT_INTERNAL = 0, 1, 2, 3, 4
EXIT_INTERRUPTED = 130
REPORT_FORMATS = ("html", "md")
"""``report --format`` choices (``formal.report.FORMATS``), named here so that every command
starts without importing the report and its templates; the report imports on use."""

EXAMPLES = {
    "check": """examples:
  clausecheck check                                   # every spec under ./specs
  clausecheck check specs/waiver.yaml --reading until=inclusive
  clausecheck check specs/waiver.yaml --json > results.json""",
    "ask": """examples:
  clausecheck ask specs/waiver.yaml active-on-aug-11            # one of the spec's own questions
  clausecheck ask specs/waiver.yaml "can waiver_active(2003-08-11)"
  clausecheck ask specs/waiver.yaml \\
      "must rescinded(t) implies (exists n: Notice. n.date <= t)"
free variables (t above) are bound by the question: some value for can, every value for must.
the words a question may use: clausecheck vocabulary SPEC""",
    "simulate": """examples:
  clausecheck simulate specs/waiver.yaml trustee-accelerates
  clausecheck simulate specs/waiver.yaml my-timeline.yaml --json
  clausecheck simulate specs/waiver.yaml trustee-accelerates --html timeline.html
a timeline file holds `events:` (each with date, kind, optional id, and the kind's
fields), and optionally `readings:` and `at:` (dates to report statuses on).""",
    "export-smt": """examples:
  clausecheck export-smt specs/waiver.yaml active-on-aug-11 > q.smt2
  clausecheck export-smt specs/waiver.yaml active-on-aug-11 \\
      --reading until=inclusive -o q.smt2 && z3 q.smt2""",
    "report": """examples:
  clausecheck report specs/waiver.yaml -o waiver.html
  clausecheck report specs/waiver.yaml --format md > waiver.md
  clausecheck report specs/waiver.yaml --reading until=inclusive -o inclusive.html
one self-contained page (inline CSS and SVG, no scripts, no network): open it from an email
or print it to PDF; --format md is the same content for a memo (the default format follows
the suffix of -o: .md is Markdown, anything else HTML).""",
    "explore": """examples:
  clausecheck explore specs/waiver.yaml --open        # http://127.0.0.1:8765/ in your browser
  clausecheck explore specs/waiver.yaml --port 9000
a local page (127.0.0.1 only): the clauses beside a timeline you edit, statuses and
breaches as you type, and questions built by pointing; Ctrl-C stops it.""",
    "vocabulary": """examples:
  clausecheck vocabulary specs/waiver.yaml                # each word with its note and an example
  clausecheck vocabulary specs/waiver.yaml --json""",
    "schema": """examples:
  clausecheck schema > clausecheck.schema.json
then point your editor's YAML support at it, e.g. as the first line of a spec:
  # yaml-language-server: $schema=./clausecheck.schema.json""",
}


def _reading(text: str) -> tuple[str, str]:
    name, sep, option = text.partition("=")
    if not sep or not name or not option:
        raise argparse.ArgumentTypeError(f"expected NAME=OPTION, got {shown(text)}")
    return name.strip(), option.strip()


MAX_JOBS = 256


def _jobs(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text[:6]) <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"expected a number of processes from 1 to {MAX_JOBS}, "
                                         f"got {shown(text)}")
    return int(text)


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port number (0 to 65535), got {text!r}")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 86_400:
        raise argparse.ArgumentTypeError(f"expected a number of seconds from 0.1 to 86400, got "
                                         f"{text[:40]!r}")
    return value


def _megabytes(text: str) -> int:
    if not (text.isascii() and text.isdigit() and 64 <= int(text[:9]) <= 1_048_576):
        raise argparse.ArgumentTypeError(f"expected a number of megabytes from 64 to 1048576, "
                                         f"got {text[:40]!r}")
    return int(text)


def _budget_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", type=_seconds, default=budget.DEFAULT.seconds, metavar="SECONDS",
                   help="time each question, check or simulation may take before it answers "
                   f"unknown (default {budget.DEFAULT.seconds:g})")
    p.add_argument("--memory", type=_megabytes, default=budget.DEFAULT.memory_mb, metavar="MB",
                   help="memory the solver may use before an answer is unknown "
                   f"(default {budget.DEFAULT.memory_mb})")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clausecheck",
        description="Ask what an agreement really allows: its clauses as constraints over dated "
                    "events, answered by Z3 over every possible timeline.",
        epilog="Run 'clausecheck COMMAND --help' for a command's options and examples.")
    parser.add_argument("--version", action="version", version=f"clausecheck {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text,
                              epilog=EXAMPLES[name],
                              formatter_class=argparse.RawDescriptionHelpFormatter)

    def readings(p: argparse.ArgumentParser) -> None:
        p.add_argument("--reading", action="append", type=_reading, default=[],
                       metavar="NAME=OPTION", help="fix a reading (repeatable); the others "
                       "take every option")
        if p.prog.split()[-1] in ("check", "ask", "simulate", "report", "explore"):
            _budget_flags(p)

    check = command("check", "Run every question, invariant, scenario and sanity check of specs.")
    check.add_argument("specs", nargs="*", type=Path, metavar="SPEC",
                       help="spec files (default: every *.yaml under ./specs)")
    check.add_argument("--json", action="store_true", help="print one JSON document")
    check.add_argument("-v", "--verbose", action="store_true",
                       help="explain every answer, not only failures")
    check.add_argument("--jobs", type=_jobs, default=1, metavar="N",
                       help="check the specs in N worker processes (default 1: one after the "
                       "other); the output is the same, in the same order")
    readings(check)

    ask = command("ask", "Answer one question: the spec's own, by id, or your own 'can …' or "
                  "'must …'.")
    ask.add_argument("spec", type=Path, metavar="SPEC")
    ask.add_argument("question", metavar="QUESTION_ID_OR_FORMULA",
                     help="a question id of the spec, or 'can φ' or 'must φ'")
    ask.add_argument("--json", action="store_true",
                     help='print {"results": [...], "summary": {...}}, as check --json does')
    readings(ask)

    sim = command("simulate", "Process a timeline event by event: statuses and breaches.")
    sim.add_argument("spec", type=Path, metavar="SPEC")
    sim.add_argument("scenario", metavar="SCENARIO_ID_OR_FILE")
    sim.add_argument("--json", action="store_true", help="print the simulation as JSON")
    sim.add_argument("--html", type=Path, metavar="FILE",
                     help="also write the timeline, drawn, as a self-contained HTML page")
    sim.add_argument("--hindsight", action="store_true",
                     help="show the timeline as seen from its end: every status and breach "
                     "judged from the last date, in hindsight (docs/semantics.md)")
    readings(sim)

    smt = command("export-smt", "Write one question as SMT-LIB2 for another solver.")
    smt.add_argument("spec", type=Path, metavar="SPEC")
    smt.add_argument("question_id", metavar="QUESTION_ID")
    smt.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    readings(smt)

    report = command("report", "Write one spec's report: the agreement and what the prover found.")
    report.add_argument("spec", type=Path, metavar="SPEC")
    report.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write to this file instead of stdout")
    report.add_argument("--format", choices=REPORT_FORMATS, default=None,
                        help="html (the default) or md (Markdown)")
    readings(report)

    explore = command("explore", "Explore a spec in your browser: build a timeline, ask by pointing.")
    explore.add_argument("spec", type=Path, metavar="SPEC")
    explore.add_argument("--port", type=_port, default=8765, metavar="N",
                         help="the port on 127.0.0.1 to serve on (default 8765; 0: any free one)")
    explore.add_argument("--open", action="store_true", help="open the page in your browser")
    _budget_flags(explore)  # each question the page asks: ask's budget
    vocab = command("vocabulary", "List the words a question may use: predicates, statuses, "
                    "event kinds, values, dates, readings.")
    vocab.add_argument("spec", type=Path, metavar="SPEC")
    vocab.add_argument("--json", action="store_true", help="print the words as JSON")

    schema = command("schema", "Print the JSON Schema of the spec format, for editors.")
    schema.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    return parser


def _fixed(program: Program, pairs: list[tuple[str, str]]) -> dict[str, str]:
    fixed: dict[str, str] = {}
    for name, option in pairs:
        if name not in program.readings:
            known = ", ".join(program.readings) or "none"
            raise UsageError(f"--reading: {program.name} has no reading {shown(name)} (its "
                             f"readings: {known})")
        if option not in program.readings[name].options:
            raise UsageError(f"--reading: reading {name!r} has no option {shown(option)} (its "
                             f"options: {', '.join(program.readings[name].options)})")
        if fixed.get(name, option) != option:
            raise UsageError(f"--reading: reading {name!r} is given twice, as {fixed[name]!r} "
                             f"and as {option!r}; choose one")
        fixed[name] = option
    return fixed


def _spec_files(paths: list[Path]) -> list[Path]:
    if paths:
        return paths
    found = sorted(Path("specs").glob("**/*.yaml"))
    if not found:
        raise UsageError("no spec given and none found under ./specs")
    return found


@dataclass(frozen=True)
class _SpecReport:
    """What checking one spec prints, and its results: plain data, so a worker can return it."""

    text: str
    documents: list[dict[str, Any]]
    results: list[CheckResult]


def _check_one(program: Program, args: argparse.Namespace,
               progress: Progress | None) -> _SpecReport:
    from .render import INDENT, answer_lines, result_json, result_line, scenario_lines
    from .suite import Status, check_program

    fixed = _fixed(program, args.reading)
    spec_results = check_program(program, fixed, progress)
    documents = [result_json(r, program.codec) for r in spec_results]
    out = io.StringIO()
    if not args.json:
        out.write(f"{program.file}: {program.name}\n")
        for r in spec_results:
            out.write(result_line(r) + "\n")
            explain = args.verbose or r.status in (Status.FAILED, Status.UNKNOWN)
            if explain and r.answer is not None:
                query = next((q for q in (*program.questions, *program.invariants)
                              if q.id == r.id), None)
                if query is not None:
                    out.write(f"{INDENT}{query.text}\n")
                out.write("\n".join(answer_lines(program, r.answer, INDENT * 2,
                                                 query.body if query else None)) + "\n")
            if explain and r.simulation is not None:
                out.write("\n".join(scenario_lines(program, r.simulation, INDENT * 2)) + "\n")
    return _SpecReport(out.getvalue(), documents, spec_results)


def _check_file(path: Path, args: argparse.Namespace) -> _SpecReport | Failure:
    """One spec loaded and checked in a worker process, which makes its own Z3 context."""
    with _budget_of(args):
        return _check_file_within_budget(path, args)


def _check_file_within_budget(path: Path, args: argparse.Namespace) -> _SpecReport | Failure:
    from model.speccache import load_spec

    from .engine import unchecked_z3py
    from .workers import Failure

    _leave_ctrl_c_to_us()
    try:
        program = load_spec(path)
    except ClauseCheckError as exc:
        return Failure.of(exc, "load")
    try:
        with unchecked_z3py():
            return _check_one(program, args, None)
    except ClauseCheckError as exc:
        return Failure.of(exc, "run")


def _check_in_workers(paths: list[Path], args: argparse.Namespace,
                      err: TextIO) -> Iterator[_SpecReport]:
    """The reports of ``paths`` in their order; errors come as a serial run raises them (a spec
    that does not load stops the run before anything is printed)."""
    from .progress import Progress
    from .workers import Failure, run_in_workers

    outcomes = run_in_workers(functools.partial(_check_file, args=args), paths, args.jobs,
                              Progress(err))
    for outcome in outcomes:
        if isinstance(outcome, Failure) and outcome.stage == "load":
            raise outcome.error()
    for outcome in outcomes:
        if isinstance(outcome, Failure):
            raise outcome.error()
        yield outcome


def exit_code(results: list[CheckResult]) -> int:
    """1 when an expectation fails, else 3 when something is unknown, else 0."""
    from .suite import Status

    if any(r.status is Status.FAILED for r in results):
        return EXIT_FAILED
    if any(r.status is Status.UNKNOWN for r in results):
        return EXIT_UNKNOWN
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    from .progress import Progress
    from .render import summary_line
    from .suite import Status

    paths = _spec_files(args.specs)
    reports: Iterable[_SpecReport]
    if args.jobs > 1 and len(paths) > 1:
        started = time.perf_counter()
        reports = _check_in_workers(paths, args, err)
    else:
        programs = [load_spec(path) for path in paths]  # all load before any runs
        started = time.perf_counter()
        progress = Progress(err)
        reports = (_check_one(program, args, progress) for program in programs)
    results: list[CheckResult] = []
    documents: list[dict[str, Any]] = []
    for report in reports:
        results += report.results
        documents += report.documents
        out.write(report.text)
    seconds = time.perf_counter() - started
    if args.json:
        counts = {str(s): sum(r.status is s for r in results) for s in Status}
        json.dump({"results": documents,
                   "summary": {"checks": len(results), **counts}}, out, indent=2)
        out.write("\n")
    else:
        out.write(summary_line(results, seconds) + "\n")
    return exit_code(results)


def cmd_ask(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    from .asking import resolve
    from .engine import with_own_readings
    from .progress import Progress
    from .render import INDENT, answer_lines, result_json
    from .suite import Status, SuiteRun

    program = load_spec(args.spec)
    fixed = _fixed(program, args.reading)
    text = args.question.strip()
    program, query, own = resolve(program, str(args.spec), text)
    with_own_readings(query, fixed)  # a --reading that the question fixes otherwise: refused
    result = SuiteRun(program, fixed).judge(query, query.kind, progress=Progress(err))
    assert result.answer is not None
    answer = result.answer
    if args.json:
        counts = {str(s): int(result.status is s) for s in Status}
        json.dump({"results": [result_json(result, program.codec)],
                   "summary": {"checks": 1, **counts}}, out, indent=2)
        out.write("\n")
    else:
        if own:
            out.write(f"{query.kind} {query.id}: {query.text}\n{INDENT}formula:  "
                      f"{query.formula_text}\n")
        turns = answer.deciding_readings()
        head = f"{answer.verdict}" + (f" (turns on {', '.join(turns)})" if turns else "")
        out.write(f"{head}\n")
        out.write("\n".join(answer_lines(program, answer, INDENT, query.body)) + "\n")
        if own and query.expect is not None:
            out.write(f"expected: {query.expect} — "
                      + ("as the spec's author expected\n" if result.status is Status.OK
                         else f"{str(result.status).upper()}: {result.detail}\n"))
    return exit_code([result]) if own else (
        EXIT_UNKNOWN if str(answer.verdict) == "unknown" else EXIT_OK)


def _timeline_file(program: Program, path: Path) -> tuple[list[Any], dict[str, str], list[int]]:
    """A timeline file's events, readings and report dates, checked as a scenario's are."""
    from model.load import parse_events, parse_moment
    from model.yamlsource import load_yaml

    data, smap = load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise SpecError(smap.at(()), "a timeline file is a mapping with a list of 'events'")
    for key in data:
        if key not in ("events", "readings", "at"):
            raise SpecError(smap.at((key,), key=True), f"unknown key {shown(key)}; a timeline "
                            "file holds events, readings and at")

    def fail(sub: tuple[Any, ...], message: str, key: bool = False) -> SpecError:
        return SpecError(smap.at(sub, key=key), message)

    events = parse_events(program, data["events"], lambda sub, msg, key=False:
                          fail(("events", *sub), msg, key))
    readings = data.get("readings") or {}
    if not isinstance(readings, dict):
        raise fail(("readings",), "readings: a mapping of NAME: OPTION")
    for name, option in readings.items():
        if name not in program.readings or option not in program.readings[name].options:
            raise fail(("readings", name), f"unknown reading {shown(f'{name}={option}')}")
    at = data.get("at") or []
    if not isinstance(at, list):
        raise fail(("at",), "at: a list of dates, as in [2003-08-11]")
    moments = [parse_moment(program, text, lambda sub, msg, j=j: fail(("at", j, *sub), msg))
               for j, text in enumerate(at)]
    return events, {str(k): str(v) for k, v in readings.items()}, moments


def cmd_simulate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.simulate import run_scenario, simulate
    from model.speccache import load_spec

    from .progress import Progress
    from .render import INDENT, scenario_lines, simulation_json

    program = load_spec(args.spec)
    fixed = _fixed(program, args.reading)
    scenario = next((s for s in program.scenarios if s.id == args.scenario), None)
    deadline = budget.current().deadline()
    if scenario is not None:
        for name, option in fixed.items():
            if scenario.readings.get(name, option) != option:
                raise UsageError(f"--reading {name}={option}: scenario {scenario.id} fixes "
                                 f"{name}={scenario.readings[name]}")
        sim = run_scenario(program, scenario, fixed, deadline)
        if args.hindsight:
            sim = simulate(program, scenario.events, sim.readings,
                           (x.at for x in scenario.expect), hindsight=True, deadline=deadline)
        title = f"scenario {scenario.id}: {scenario.description}"
    elif Path(args.scenario).is_file():
        events, readings, at = _timeline_file(program, Path(args.scenario))
        full = {**program.default_readings(), **readings, **fixed}
        sim = simulate(program, events, full, at, hindsight=args.hindsight, deadline=deadline,
                       progress=Progress(err))
        title = f"timeline {args.scenario}"
    else:
        ids = ", ".join(s.id for s in program.scenarios) or "none"
        raise UsageError(f"{args.scenario!r} is neither a scenario of {program.name} (its "
                         f"scenarios: {ids}) nor a file")
    if args.json:
        json.dump({"title": title, **simulation_json(sim, program.codec)}, out, indent=2)
        out.write("\n")
    else:
        out.write(title + "\n")
        out.write("\n".join(scenario_lines(program, sim, INDENT)) + "\n")
        breaches = sim.breaches
        out.write(f"{len(sim.steps)} steps, {len(breaches)} breach"
                  f"{'es' if len(breaches) != 1 else ''}"
                  + (f", {len(sim.mismatches)} expectation(s) not met" if sim.mismatches
                     else "")
                  + (f", {len(sim.broken_assumptions)} assumption(s) broken"
                     if sim.broken_assumptions else "") + "\n")
    if args.html:
        from .report import render_simulation

        page = render_simulation(program, sim, title,
                                 scenario.events if scenario is not None else events)
        _write(args.html, page, err)
    return EXIT_FAILED if sim.failed else EXIT_OK


def cmd_export_smt(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    from .engine import Engine
    from .render import readings_label
    from .smt import export_smt

    program = load_spec(args.spec)
    fixed = _fixed(program, args.reading)
    queries = {q.id: q for q in (*program.questions, *program.invariants)}
    if args.question_id not in queries:
        raise UsageError(f"{program.name} has no question or invariant {args.question_id!r}")
    query = queries[args.question_id]
    engine = Engine(program)
    combos = engine.combinations(query, fixed)
    touched = engine.readings_touched(query)
    own = dict(query.readings)  # those the question fixes itself (combinations() checked them)
    readings = {r: fixed.get(r, own.get(r, program.readings[r].default)) for r in touched}
    text = export_smt(engine, query, readings)
    if len(combos) > 1:
        err.write(f"note: {query.id} turns on readings; exported under "
                  f"{readings_label(sorted(readings.items()))} (choose with --reading)\n")
    if args.output:
        _write(args.output, text, err)
    else:
        out.write(text)
    return EXIT_OK


def _write(path: Path, text: str, err: TextIO) -> None:
    """Write a page the user asked for, and say where; a path that cannot be written is bad input."""
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    err.write(f"wrote {path} ({len(text.encode('utf-8'))} bytes)\n")


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    from .progress import Progress
    from .suite import check_program

    program = load_spec(args.spec)
    fixed = _fixed(program, args.reading)
    fmt = args.format or ("md" if args.output and args.output.suffix.lower() == ".md" else "html")
    results = check_program(program, fixed, Progress(err))
    from .report import render_report

    text = render_report(program, results, fixed, fmt)
    if args.output:
        _write(args.output, text, err)
    else:
        out.write(text)
    return exit_code(results)


def cmd_vocabulary(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    from .vocabulary import vocabulary_json, vocabulary_text

    program = load_spec(args.spec)
    if args.json:
        json.dump(vocabulary_json(program), out, indent=2)
        out.write("\n")
    else:
        out.write(vocabulary_text(program))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.spec import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if args.output:
        _write(args.output, text, err)
    else:
        out.write(text)
    return EXIT_OK


def cmd_explore(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from model.speccache import load_spec

    program = load_spec(args.spec)
    from .explore.server import serve  # the web stack loads only for this command

    serve(program, args.port, args.open, err)
    return EXIT_OK


COMMANDS = {"check": cmd_check, "ask": cmd_ask, "simulate": cmd_simulate,
            "export-smt": cmd_export_smt, "schema": cmd_schema, "report": cmd_report,
            "explore": cmd_explore, "vocabulary": cmd_vocabulary}


INTERRUPT_GRACE = 0.5
"""Seconds a Ctrl-C waits for the command to stop by itself before the process ends anyway
(a solver call in C does not see Python's KeyboardInterrupt until it returns)."""


@contextlib.contextmanager
def _interruptible(err: TextIO) -> Iterator[threading.Event]:
    """Ctrl-C ends the command with exit 130 within a second, even inside a long solver call.

    The signal's wakeup byte reaches a watcher thread at once; if the main thread has not
    finished by itself after :data:`INTERRUPT_GRACE` seconds, the watcher stops the worker
    processes and ends the process. The event it yields is set when the command is done.
    """
    done = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield done
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)

    def watch() -> None:
        with open(read_end, "rb", buffering=0) as wakeups:
            while True:
                data = wakeups.read(64)
                if not data or done.is_set():
                    return
                if signal.SIGINT in data and \
                        signal.getsignal(signal.SIGINT) is signal.default_int_handler:
                    break  # else a server (explore) handles Ctrl-C its own way
        if not done.wait(INTERRUPT_GRACE):
            if "multiprocessing" in sys.modules:  # only --jobs starts worker processes
                for child in sys.modules["multiprocessing"].active_children():
                    child.kill()
            with contextlib.suppress(Exception):
                err.write("clausecheck: interrupted\n")
                err.flush()
            os._exit(EXIT_INTERRUPTED)

    threading.Thread(target=watch, name="clausecheck-interrupt", daemon=True).start()
    try:
        yield done
    finally:
        done.set()
        signal.set_wakeup_fd(previous)
        os.close(write_end)


@functools.cache
def _leave_ctrl_c_to_us() -> None:
    """Stop Z3 from taking SIGINT during a check: it would end the check as "unknown" and the
    command would go on; Ctrl-C is the command's to handle (:func:`_interruptible`). Once per
    process: a Z3 global, not to be set again while contexts live."""
    import z3

    z3.set_param("ctrl_c", False)


def _refuse_unknown_option(parser: argparse.ArgumentParser, argv: list[str]) -> None:
    """Name an unknown option before the command (argparse would only say COMMAND is missing)."""
    first = argv[0] if argv else ""
    if first.startswith("-") and first != "-h" and not any(
            known.startswith(first.split("=")[0]) for known in ("--help", "--version")):
        parser.error(f"unrecognized option {shown(first)}")


def _budget_of(args: argparse.Namespace) -> contextlib.AbstractContextManager[None]:
    """The command's ``--timeout`` and ``--memory`` for every engine it makes, while it runs."""
    if hasattr(args, "timeout"):
        return budget.using(budget.Budget(args.timeout, args.memory))
    return contextlib.nullcontext()


def main(argv: Sequence[str] | None = None, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (no traceback reaches a user)."""
    if err is None and sys.stderr is None:
        return EXIT_BAD_INPUT  # nowhere to say anything
    err = err or sys.stderr
    if out is None and sys.stdout is None:
        err.write("clausecheck: error: standard output is closed\n")
        return EXIT_BAD_INPUT
    if out is None:
        with _interruptible(err) as done:
            code = _main(argv, sys.stdout, err)
            if "formal.workers" in sys.modules:  # after an interrupted --jobs run, its
                from .workers import release_tracker  # traceback is gone now

                release_tracker()
            done.set()
            return code
    return _main(argv, out, err)


def _main(argv: Sequence[str] | None, out: TextIO, err: TextIO) -> int:
    parser = build_parser()
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            _refuse_unknown_option(parser, args_list)
            args = parser.parse_args(args_list)
    except SystemExit as exc:
        return int(exc.code or 0)
    command_out = out if args.command == "report" else cast(TextIO, EscapingWriter(out))
    try:
        from .engine import unchecked_z3py

        if args.command != "schema":
            _leave_ctrl_c_to_us()
        with unchecked_z3py(), _budget_of(args):
            return COMMANDS[args.command](args, command_out, err)
    except BudgetExceeded as exc:
        err.write(f"clausecheck {args.command}: unknown: {printable(str(exc))}\n")
        return EXIT_UNKNOWN
    except SpecError as exc:
        err.write(f"{printable(str(exc))}\n")
        return EXIT_BAD_INPUT
    except UsageError as exc:
        err.write(f"clausecheck {args.command}: error: {printable(str(exc))}\n")
        return EXIT_BAD_INPUT
    except ReplayMismatch as exc:
        err.write(f"clausecheck: {printable(str(exc))}\n")
        return EXIT_INTERNAL
    except ClauseCheckError as exc:
        err.write(f"clausecheck: error: {printable(str(exc))}\n")
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        return EXIT_OK
    except KeyboardInterrupt:
        err.write("clausecheck: interrupted\n")
        return EXIT_INTERRUPTED
    except OSError as exc:  # the output itself cannot be written (closed, full)
        err.write(f"clausecheck {args.command}: error: cannot write output: "
                  f"{exc.strerror or exc}\n")
        return EXIT_BAD_INPUT
    except Exception as exc:  # the last line of defence: never a traceback for a user
        if os.environ.get("CLAUSECHECK_DEBUG"):
            raise
        err.write(f"clausecheck: internal error: {type(exc).__name__}: "
                  f"{printable(shown(str(exc), 300))} (set CLAUSECHECK_DEBUG=1 for a traceback, "
                  "and please report it)\n")
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
