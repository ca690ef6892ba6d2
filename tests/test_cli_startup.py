"""What the ``clausecheck`` command imports before it runs: only what every command needs.

Mirrors the start-up figures in docs/benchmarks.md: a lawyer's ``ask`` is mostly
interpreter start-up and imports, so the report (and its template engine) is imported
only by the commands that write one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from formal.cli import REPORT_FORMATS
from formal.report import FORMATS


def test_the_command_line_starts_without_the_report() -> None:
    """Importing the command line leaves the report and jinja2 unimported."""
    probe = ("import sys, formal.cli; "
             "print(sorted(m for m in ('jinja2', 'formal.report') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_report_formats_named_by_the_command_line_are_the_reports() -> None:
    """``report --format`` offers exactly the formats the report module writes."""
    assert REPORT_FORMATS == FORMATS


ROOT = Path(__file__).resolve().parent.parent
ASK = ["ask", "specs/lexington-2003-waiver.yaml", "can waiver_active(2003-08-11)"]


def _script(prelude: str, *argv: str) -> subprocess.CompletedProcess[str]:
    """The console script's entry point, after ``prelude``, in a process of its own."""
    code = f"import sys; {prelude}; from formal.entry import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, *argv], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)


def test_the_command_ends_without_teardown_but_with_its_output_and_exit_handlers() -> None:
    """The script skips Python's teardown (formal.entry): the whole output still arrives
    through a pipe, exit handlers still run after it, and the exit code is the command's."""
    done = _script("import atexit; atexit.register(print, 'exit handler ran')", *ASK)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("depends (turns on until)\n")
    assert done.stdout.endswith("\nexit handler ran\n")
    checked = _script("pass", "check", "specs/lexington-2003-waiver.yaml", "--json")
    assert checked.returncode == 0
    assert json.loads(checked.stdout)["summary"]["failed"] == 0
    bad = _script("pass", "ask", "specs/lexington-2003-waiver.yaml", "can nonsense(")
    assert bad.returncode == 2 and "error" in bad.stderr


def test_teardown_is_kept_while_a_thread_of_the_command_runs() -> None:
    """A thread that is not a daemon still running at the end: the ordinary exit waits for it."""
    prelude = ("import threading, time; threading.Thread(target=lambda: (time.sleep(3), "
               "print('thread finished', flush=True))).start()")
    done = _script(prelude, *ASK)
    assert done.returncode == 0 and done.stdout.endswith("thread finished\n")
