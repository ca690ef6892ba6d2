"""Specs as tests: the pytest plugin (``formal/pytest_plugin.py``) in a project of its own.

DESIGN.md: "a test suite turns every question, invariant and scenario of every
spec into a test". Each case runs pytest in a separate process, in a fresh
folder laid out as a user's project (``contracts/`` of specs beside other
YAML), as a user would run it: the plugin is found through the package's
``pytest11`` entry point. It collects each check as an item with a readable
id, reads no YAML outside the folders it is given, prints what a lawyer needs
when a check fails, and shows a bad spec's ``FILE:LINE:COL: error:`` line with
no traceback. The last case checks that this project's own run collects every
check of every spec in ``specs/`` and none of the YAML in ``tests/golden``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from examples import SPEC

from formal.sanity import sanity_checks
from model.load import load_spec

ROOT = Path(__file__).resolve().parent.parent
BROKEN = ROOT / "tests/golden/bad/unknown-name.yaml"
RESCISSION = ('waiver_active(t: time) := waiver_granted(t) and not rescinded(t) and not '
              '(reading rescission is ab_initio and rescinded(now))"')


def pytest_in(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=folder, capture_output=True, text=True, check=False, env=env)


def project(tmp_path: Path, ini: str | None = "[pytest]\nclausecheck_specs = contracts\n") -> Path:
    """A user's project: a spec in ``contracts/``, unrelated YAML in ``config/``."""
    (tmp_path / "contracts").mkdir()
    (tmp_path / "config").mkdir()
    (tmp_path / "contracts" / "waiver.yaml").write_text((ROOT / SPEC).read_text(encoding="utf-8"),
                                                        encoding="utf-8")
    (tmp_path / "config" / "deploy.yaml").write_text("services: [web]\n", encoding="utf-8")
    if ini is not None:
        (tmp_path / "pytest.ini").write_text(ini, encoding="utf-8")
    return tmp_path


def test_each_check_is_an_item_with_a_readable_id(tmp_path: Path) -> None:
    run = pytest_in(project(tmp_path), "--collect-only", "-q")
    assert run.returncode == 0, run.stdout + run.stderr
    program = load_spec(ROOT / SPEC)
    expected = ([f"contracts/waiver.yaml::sanity::{s.id}" for s in sanity_checks(program)]
                + [f"contracts/waiver.yaml::question::{q.id}" for q in program.questions]
                + [f"contracts/waiver.yaml::invariant::{q.id}" for q in program.invariants]
                + [f"contracts/waiver.yaml::scenario::{s.id}" for s in program.scenarios])
    collected = [line for line in run.stdout.splitlines() if "::" in line]
    assert collected == expected
    assert "deploy.yaml" not in run.stdout


def test_a_passing_spec_passes_and_one_item_can_be_selected(tmp_path: Path) -> None:
    folder = project(tmp_path)
    run = pytest_in(folder, "-q")
    assert run.returncode == 0, run.stdout
    one = pytest_in(folder, "-q", "contracts/waiver.yaml::question::active-after-acceleration")
    assert one.returncode == 0 and "1 passed" in one.stdout, one.stdout


def test_a_failing_question_shows_the_question_verdicts_and_witness(tmp_path: Path) -> None:
    """Without ¶2's rescission in waiver_active, the waiver survives a holder's acceleration."""
    folder = project(tmp_path)
    spec = folder / "contracts" / "waiver.yaml"
    text = spec.read_text(encoding="utf-8")
    assert RESCISSION in text
    spec.write_text(text.replace(RESCISSION, 'waiver_active(t: time) := waiver_granted(t)"'),
                    encoding="utf-8")
    run = pytest_in(folder, "-q", "-k", "active-after-acceleration")
    assert run.returncode == 1
    out = run.stdout
    assert "FAILED contracts/waiver.yaml::question::active-after-acceleration" in out
    assert "question active-after-acceleration: Can the waiver be active at a time t" in out
    assert "expected: no" in out and "actual:   yes" in out
    assert "until=exclusive" in out and "expected no   actual yes" in out
    assert "yes: an example (1 event)" in out
    assert "SeeksAcceleration(by=" in out and "Waiver in force: yes" in out
    assert "Traceback" not in out


def test_an_answer_that_does_not_certify_fails_with_the_reason(tmp_path: Path) -> None:
    """With ``--clausecheck-certify``, the certifier's findings fail the item and are shown.

    The project's conftest stands in a certifier that objects, as the real one would if a
    cited clause were not necessary; the real one is tested in ``test_certify.py``.
    """
    folder = project(tmp_path)
    (folder / "conftest.py").write_text(
        "import formal.pytest_plugin as plugin\n"
        "plugin.certify = lambda engine, query, answer: ['clause 3 is cited but not necessary']\n",
        encoding="utf-8")
    run = pytest_in(folder, "-q", "--clausecheck-certify", "-k", "active-after-acceleration")
    assert run.returncode == 1
    assert "the answer does not certify itself:" in run.stdout
    assert "clause 3 is cited but not necessary" in run.stdout
    assert "no: forced by clause(s) 2" in run.stdout


def test_a_bad_spec_is_a_collection_error_with_its_location(tmp_path: Path) -> None:
    folder = project(tmp_path)
    (folder / "contracts" / "broken.yaml").write_text(BROKEN.read_text(encoding="utf-8"),
                                                      encoding="utf-8")
    run = pytest_in(folder, "-q")
    assert run.returncode == 2
    wanted = BROKEN.with_suffix(".err").read_text(encoding="utf-8").strip()
    location = wanted.split(": error: ")[0].replace("tests/golden/bad/unknown-name.yaml",
                                                    "contracts/broken.yaml")
    assert f"{location}: error: {wanted.split(': error: ')[1]}" in run.stdout
    assert "Traceback" not in run.stdout and "model/load.py" not in run.stdout


def test_the_command_line_option_collects_a_folder(tmp_path: Path) -> None:
    folder = project(tmp_path, ini=None)
    assert "no tests ran" in pytest_in(folder, "-q", "--rootdir", ".").stdout
    run = pytest_in(folder, "-q", "--rootdir", ".", "--clausecheck-specs", "contracts")
    assert run.returncode == 0 and " passed" in run.stdout, run.stdout


def test_this_project_collects_every_spec_and_no_other_yaml() -> None:
    run = pytest_in(ROOT, "--collect-only", "-q")
    assert run.returncode == 0, run.stdout[-2000:]
    ids = [line for line in run.stdout.splitlines() if "::" in line]
    for path in sorted((ROOT / "specs").glob("*.yaml")):
        program = load_spec(path)
        name = f"specs/{path.name}"
        for kind, items in (("question", program.questions), ("invariant", program.invariants),
                            ("scenario", program.scenarios)):
            assert {f"{name}::{kind}::{q.id}" for q in items} <= set(ids)
    assert not [i for i in ids if i.startswith("tests/golden")]
