"""``clausecheck check --jobs N``: worker processes give the serial run's output, in its order.

Mirrors DESIGN.md, "Lessons" (Z3 in Python: a fresh context per worker process) and the
option's help: "the output is the same, in the same order". Each worker loads its own
spec and owns its own Z3 context; only plain results come back.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from formal.cli import main

SPECS = sorted(p.as_posix() for p in Path("specs").glob("*.yaml"))
"""Every bundled spec (the tests run from the repo root)."""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_two_workers_print_the_serial_json_byte_for_byte() -> None:
    """Every bundled spec: ``--jobs 2`` gives exactly the bytes of ``--jobs 1``."""
    assert len(SPECS) >= 2, "the comparison needs several specs"
    serial = run("check", "--json", "--jobs", "1", *SPECS)
    parallel = run("check", "--json", "--jobs", "2", *SPECS)
    assert serial[0] == 0, serial[2]
    assert parallel == serial


def test_a_spec_that_does_not_load_stops_the_run_as_in_a_serial_run(tmp_path: Path) -> None:
    """A bad spec after good ones: the same error line and exit code 2, and nothing printed."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("agreement: {}\n", encoding="utf-8")
    serial = run("check", "--jobs", "1", SPECS[0], bad.as_posix())
    parallel = run("check", "--jobs", "2", SPECS[0], bad.as_posix())
    assert serial[0] == 2
    assert serial[1] == ""
    assert parallel == serial


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(value: str) -> None:
    code, _, err = run("check", "--jobs", value)
    assert code == 2
    assert "--jobs" in err
