"""Shared fixtures and options for the whole suite (see tests/README.md)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` run bare, without an installed package
    sys.path.insert(0, str(ROOT))

import hypothesis_profiles  # noqa: E402, F401 - loads the Hypothesis profile HYPOTHESIS_PROFILE names

if not entry_points(group="pytest11", name="clausecheck"):  # not installed: the plugin from the tree
    pytest_plugins = ["formal.pytest_plugin"]

from model.load import load_spec  # noqa: E402
from model.program import Program  # noqa: E402

LEXINGTON = Path("specs/lexington-2003-waiver.yaml")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite the expected output beside each golden case instead of comparing with it",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites golden files (``--regen-golden``)."""
    return bool(request.config.getoption("--regen-golden"))


@pytest.fixture(scope="session", autouse=True)
def at_repo_root() -> Iterator[None]:
    """Every test runs from the repo root, so spec paths (and error messages) are relative to it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        yield


@pytest.fixture
def private_cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``XDG_CACHE_HOME`` in a fresh directory only this user can use; clausecheck's private
    cache folder inside it (model.parsecache) is returned."""
    base = tmp_path / "cache"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    return base / "clausecheck"


@pytest.fixture(scope="session")
def lexington(at_repo_root: None) -> Program:
    """The real spec, loaded once: specs/lexington-2003-waiver.yaml."""
    return load_spec(LEXINGTON.as_posix())
