"""What the ``clausecheck`` command imports before it runs: only what every command needs.

Mirrors the start-up figures in docs/benchmarks.md: a lawyer's ``ask`` is mostly
interpreter start-up and imports, so the report (and its template engine) is imported
only by the commands that write one.
"""

from __future__ import annotations

import subprocess
import sys

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
