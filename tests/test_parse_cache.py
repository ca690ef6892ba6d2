"""No code from shared places: the parser's pickled tables are read only from a private cache.

Mirrors issue 14 ("No code from shared places") and :mod:`model.parsecache`: lark's
cache is a pickle, and loading a pickle runs code, so a cache that another user could
have written is never loaded; the tables are then built in memory. The planted
pickle below records, when loaded, that it ran: the positive control shows that the
test reaches lark's loading path at all.
"""

from __future__ import annotations

import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from model import parser
from model.parsecache import cache_dir


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``XDG_CACHE_HOME`` in a fresh private directory, and the parser rebuilt on first use."""
    base = tmp_path / "cache"
    base.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(base))
    parser._lark.cache_clear()
    yield base / "clausecheck"
    parser._lark.cache_clear()


class _Planted:
    """A pickle that, when loaded, creates a marker directory: code run from the cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def _plant(table: Path, marker: Path) -> None:
    """Replace the cached tables by a pickle that runs code, keeping lark's header line."""
    header = table.read_bytes().split(b"\n", 1)[0]
    table.write_bytes(header + b"\n" + pickle.dumps(_Planted(marker)))


def _build_once(folder: Path) -> Path:
    parser.parse("t < 2003-01-01", "formula")
    [table] = folder.iterdir()
    parser._lark.cache_clear()
    return table


def test_the_tables_are_cached_in_a_private_directory(private_cache: Path) -> None:
    shared = set(Path(tempfile.gettempdir()).glob(".lark_cache*"))
    table = _build_once(private_cache)
    assert stat.S_IMODE(private_cache.stat().st_mode) == 0o700
    assert stat.S_IMODE(table.stat().st_mode) == 0o600
    assert table.stat().st_uid == os.getuid()
    assert set(Path(tempfile.gettempdir()).glob(".lark_cache*")) == shared


def test_a_private_cache_is_loaded(private_cache: Path, tmp_path: Path) -> None:
    """Positive control: the planted pickle does run when the cache passes the checks."""
    table = _build_once(private_cache)
    _plant(table, tmp_path / "ran")
    parser.parse("t < 2003-01-01", "formula")
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("loosen", ["file", "folder"])
def test_a_cache_that_others_can_write_is_never_loaded(private_cache: Path, tmp_path: Path,
                                                       loosen: str) -> None:
    table = _build_once(private_cache)
    _plant(table, tmp_path / "ran")
    os.chmod(table if loosen == "file" else private_cache, 0o666 if loosen == "file" else 0o777)
    assert parser.parse("t < 2003-01-01", "formula").op == "<"
    assert not (tmp_path / "ran").exists()
    assert table.read_bytes().endswith(pickle.dumps(_Planted(tmp_path / "ran")))  # untouched


def test_a_symlinked_cache_is_never_loaded(private_cache: Path, tmp_path: Path) -> None:
    table = _build_once(private_cache)
    elsewhere = tmp_path / "elsewhere"
    table.rename(elsewhere)
    _plant(elsewhere, tmp_path / "ran")
    table.symlink_to(elsewhere)
    assert parser.parse("t < 2003-01-01", "formula").op == "<"
    assert not (tmp_path / "ran").exists()


def test_no_cache_when_the_base_directory_is_shared(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared))
    assert cache_dir() is None


def test_nothing_loaded_as_code_lies_where_others_can_write() -> None:
    """Every module of clausecheck and the parser's cache: in folders only their owner writes."""
    import formal.cli  # noqa: F401 - load the whole command

    parser.parse("t < 2003-01-01", "formula")
    loaded = [Path(m.__file__) for name, m in sys.modules.items()
              if name.split(".")[0] in ("model", "formal") and getattr(m, "__file__", None)]
    folder = cache_dir()
    places = {p.parent for p in loaded} | ({folder} if folder else set())
    for place in places:
        mode = place.stat().st_mode
        assert not mode & (stat.S_IWGRP | stat.S_IWOTH), f"{place} is writable by others"
