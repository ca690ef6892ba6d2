"""Bad arguments, bad files and a bad environment: each a clear error, never a crash (issue 14).

Mirrors DESIGN.md, "Output" (``FILE:LINE:COL: error: …`` or ``clausecheck CMD: error: …``,
exit 2, no traceback) and the exit codes of :mod:`formal.cli` (130 after Ctrl-C). The
malformed specs themselves are golden cases in ``golden/bad/``; this file holds what
needs a command line, a timeline file, a special file or a process.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from formal.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPEC = "specs/lexington-2003-waiver.yaml"
OTHER = "specs/playboy-csfb-1999-waiver.yaml"
CLI = [sys.executable, "-c", "import sys; from formal.entry import main; sys.exit(main())"]


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("jobs", ["99999999999999999999", "0", "257", "-1", "٣", "2.5"])
def test_jobs_out_of_range_is_bad_input(jobs: str) -> None:
    code, _, err = run("check", "--jobs", jobs, SPEC)
    assert code == 2
    assert "argument --jobs: expected a number of processes from 1 to 256, got" in err


def test_an_unknown_option_before_the_command_is_named() -> None:
    code, _, err = run("--bogus")
    assert code == 2
    assert err.splitlines()[-1] == "clausecheck: error: unrecognized option '--bogus'"


def test_conflicting_readings_are_refused() -> None:
    code, _, err = run("check", SPEC, "--reading", "until=inclusive", "--reading",
                       "until=exclusive")
    assert code == 2
    assert err == ("clausecheck check: error: --reading: reading 'until' is given twice, as "
                   "'inclusive' and as 'exclusive'; choose one\n")
    assert run("check", SPEC, "--reading", "until=inclusive", "--reading",
               "until=inclusive")[0] == 0


@pytest.mark.parametrize("command", [["export-smt", SPEC, "active-on-aug-11"], ["schema"]])
@pytest.mark.parametrize(("target", "reason"), [
    ("{tmp}", "Is a directory"), ("{tmp}/missing/out.txt", "No such file or directory"),
    ("/dev/full", "No space left on device")])
def test_output_that_cannot_be_written(command: list[str], target: str, reason: str,
                                       tmp_path: Path) -> None:
    path = target.format(tmp=tmp_path)
    code, _, err = run(*command, "-o", path)
    assert code == 2
    assert err.splitlines()[-1] == f"clausecheck {command[0]}: error: cannot write {path}: {reason}"


def test_a_closed_stdout_is_an_error_not_a_crash() -> None:
    result = subprocess.run([*CLI, "schema"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, timeout=60,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 2
    assert result.stderr == "clausecheck: error: standard output is closed\n"


def test_special_files_are_refused_before_reading(tmp_path: Path) -> None:
    fifo = tmp_path / "spec.yaml"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        code, _, err = run("check", path)
        assert (code, err) == (2, f"{path}:1:1: error: cannot read spec: not a regular file\n")


def test_a_file_above_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as handle:
        handle.truncate(17 * 1024 * 1024)  # sparse: nothing is written
    assert run("check", str(big)) == (2, "", f"{big}:1:1: error: the file is larger than 16 MiB\n")


TIMELINES = {
    "at-not-a-list": ("events: []\nat: 5\n", "2:5: error: at: a list of dates, as in [2003-08-11]"),
    "duplicate-id": (
        "events:\n  - {id: a, date: 2003-07-10, kind: SeeksAcceleration, by: trustee, "
        "of: senior_subordinated_notes}\n  - {id: a, date: 2003-07-11, kind: SeeksAcceleration, "
        "by: trustee, of: senior_subordinated_notes}\n", "3:10: error: duplicate event id 'a'"),
    "arabic-digits": (
        "events:\n  - {date: ٢٠٠٣-٠٧-١٠, kind: SeeksAcceleration, by: trustee, "
        "of: senior_subordinated_notes}\n",
        "2:12: error: '٢٠٠٣-٠٧-١٠' is not a date of the form YYYY-MM-DD"),
    "at-outside-horizon": ("events: []\nat: [2099-01-01]\n",
                           "2:6: error: '2099-01-01' lies outside the horizon"),
    "id-null": (
        "events:\n  - {id: null, date: 2003-07-10, kind: SeeksAcceleration, by: trustee, "
        "of: senior_subordinated_notes}\n",
        "2:10: error: an event id is a name such as e1 or remedies, not None"),
}


@pytest.mark.parametrize("name", sorted(TIMELINES))
def test_timeline_files_are_checked_as_scenarios_are(name: str, tmp_path: Path) -> None:
    text, message = TIMELINES[name]
    path = tmp_path / "timeline.yaml"
    path.write_text(text, encoding="utf-8")
    assert run("simulate", SPEC, str(path)) == (2, "", f"{path}:{message}\n")


def test_a_reading_that_contradicts_the_scenario_is_refused(tmp_path: Path) -> None:
    spec = tmp_path / "mini.yaml"
    spec.write_text((ROOT / "tests/golden/good/minimal.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    code, _, err = run("simulate", str(spec), "early-remedies", "--reading", "until=exclusive")
    assert code == 2
    assert err == ("clausecheck simulate: error: --reading until=exclusive: scenario "
                   "early-remedies fixes until=inclusive\n")


def test_terminal_output_shows_control_characters_as_escapes(tmp_path: Path) -> None:
    """NUL, ESC and U+202E from a spec reach the terminal as visible escapes, not as commands."""
    text = (ROOT / "tests/golden/good/minimal.yaml").read_text(encoding="utf-8").replace(
        "description: Congress exercises remedies during the waiver.",
        'description: "red \\e[31m nul \\0 flip \\u202e end"')
    spec = tmp_path / "mini.yaml"
    spec.write_text(text, encoding="utf-8")
    code, out, _ = run("simulate", str(spec), "early-remedies")
    assert code == 0
    assert "red \\x1b[31m nul \\x00 flip \\u202e end" in out
    assert not {"\x1b", "\x00", "\u202e"} & set(out)
    code, out, _ = run("check", "-v", str(spec))
    assert code == 0
    assert not {"\x1b", "\x00", "\u202e"} & set(out)


def test_a_lone_surrogate_on_the_command_line_is_shown_escaped() -> None:
    code, _, err = run("ask", SPEC, "can \udc80")
    assert code == 2
    assert "\\udc80" in err
    err.encode("utf-8")  # writable to any UTF-8 terminal


def _children() -> list[tuple[int, str]]:
    """(pid, state) of every child process of this one, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.append((int(stat.parent.name), fields[0]))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
def test_check_with_jobs_leaves_no_process_behind() -> None:
    before = _children()
    assert run("check", "--jobs", "2", SPEC, OTHER)[0] == 0
    assert _children() == before


LONG = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "specs").glob("*.yaml")) * 3
"""Every spec three times: a check that runs for seconds, so a Ctrl-C finds it busy."""


WORKERS_STARTING = pytest.mark.xfail(strict=False, reason=(
    "known bug (issue 14): a Ctrl-C that lands while --jobs starts its workers, with SIGINT "
    "ignored so that they inherit that, is lost and the command runs to the end; since "
    "start-up got faster, 0.4 s lands in that moment in about a third of the runs"))


@pytest.mark.parametrize("argv", [["check", *LONG],
                                  pytest.param(["check", "--jobs", "2", *LONG],
                                               id="check-jobs", marks=WORKERS_STARTING),
                                  ["report", SPEC, "-o", os.devnull]])
@pytest.mark.parametrize("delay", [0.4, 0.8])
def test_ctrl_c_stops_any_command_within_a_second(argv: list[str], delay: float) -> None:
    """SIGINT to the whole process group, as a terminal sends it: exit 130, no traceback.

    0.4 s lands while the command imports (``formal.entry``) or starts; 0.8 s inside the
    solver or the workers. A SIGINT within the interpreter's own start-up, before any of
    clausecheck runs, is out of its reach (Python prints "Fatal Python error" then)."""
    process = subprocess.Popen([*CLI, *argv], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    time.sleep(delay)
    if process.poll() is not None:
        process.communicate()
        pytest.fail(f"{argv[0]} finished in {delay} s; the test needs a longer command")
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - sent < 1.0
    assert (process.returncode, err) == (130, "clausecheck: interrupted\n")


def test_z3_leaves_ctrl_c_to_the_command() -> None:
    """Z3 would take SIGINT during a check and end it as "unknown", and the command would go
    on and exit 3 (seen once in the test above, when the signal landed inside a check)."""
    import z3

    assert run("check", "tests/golden/good/minimal.yaml")[0] == 0
    assert z3.get_param("ctrl_c") == "false"


def test_a_z3_object_cut_short_by_ctrl_c_fails_its_finalizer_quietly() -> None:
    """A Ctrl-C inside a Z3 object's ``__init__`` leaves it without the attributes its
    ``__del__`` reads; the console script's hook drops that AttributeError (it held nothing
    to free) and passes on every other unraisable exception."""
    import types

    import z3

    from formal.entry import _interrupt_in_finalizer

    passed: list[object] = []
    hook = _interrupt_in_finalizer(passed.append)
    cut_short = types.SimpleNamespace(exc_value=AttributeError("owner"),
                                      object=z3.Context.__del__)
    other = types.SimpleNamespace(exc_value=AttributeError("owner"), object=print)
    hook(cut_short)
    hook(other)
    assert passed == [other]
