"""The dataclasses' compiled methods, cached per user (formal/dataclass_code.py).

Mirrors issue 14 (start-up, and "No code from shared places"): the console script gives
``dataclasses`` an ``exec`` whose code objects come from a private table, so classes
behave exactly as compiled from their text, and a table that others could have written is
never loaded (with a positive control that a private one is).
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from formal import dataclass_code

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-c", "import sys; from formal.entry import main; sys.exit(main())"]


@pytest.fixture
def private_cache(private_cache_home: Path) -> Iterator[Path]:
    yield private_cache_home
    if hasattr(dataclasses, "exec"):
        del dataclasses.exec  # the builtin again, for the rest of the session


def define() -> type:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Node:
        name: str
        kids: tuple[int, ...] = ()

    return Node


def test_classes_from_the_table_behave_as_compiled(private_cache: Path) -> None:
    plain = define()
    table = dataclass_code.install()
    assert table is not None
    cached = define()  # compiled into the table
    table.save()
    assert dataclass_code.install() is not None
    again = define()  # from the stored table
    for cls in (cached, again):
        assert repr(cls("a", (1,))) == repr(plain("a", (1,))).replace(plain.__qualname__,
                                                                      cls.__qualname__)
        assert cls("a") == cls("a", ()) and hash(cls("a")) == hash(cls("a"))
        with pytest.raises(dataclasses.FrozenInstanceError):
            cls("a").name = "b"  # type: ignore[misc]
        assert dataclasses.replace(cls("a"), name="b") == cls("b")
    [stored] = private_cache.glob("dataclass-code-*.marshal")
    assert oct(stored.stat().st_mode & 0o777) == "0o600"


def _store(private_cache: Path, codes: object) -> Path:
    table = dataclass_code.install()
    assert table is not None
    table.path.write_bytes(marshal.dumps(codes))
    return table.path


def test_a_private_table_is_read(private_cache: Path) -> None:
    """Positive control: a stored code object is what the text runs."""
    path = _store(private_cache, {"x = 1": compile("x = 2", "<string>", "exec")})
    assert path.exists()
    namespace: dict[str, int] = {}
    table = dataclass_code.install()
    assert table is not None
    table.exec("x = 1", namespace)
    assert namespace["x"] == 2


@pytest.mark.parametrize("loosen", ["file", "folder"])
def test_a_table_others_could_write_is_never_read(private_cache: Path, loosen: str) -> None:
    path = _store(private_cache, {"x = 1": compile("x = 2", "<string>", "exec")})
    os.chmod(path if loosen == "file" else private_cache, 0o666 if loosen == "file" else 0o777)
    table = dataclass_code.install()
    if loosen == "folder":  # the folder no longer private: nothing cached at all
        assert table is None
        return
    assert table is not None
    namespace: dict[str, int] = {}
    table.exec("x = 1", namespace)
    assert namespace["x"] == 1


@pytest.mark.parametrize("content", [b"not marshal", marshal.dumps([1, 2]),
                                     marshal.dumps({"x = 1": "not code"})])
def test_a_damaged_table_is_empty(private_cache: Path, content: bytes) -> None:
    table = dataclass_code.install()
    assert table is not None
    table.path.write_bytes(content)
    assert dataclass_code._read(table.path) == {}


def test_commands_answer_alike_with_the_table(private_cache: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(private_cache.parent)}
    ask = [*CLI, "ask", "specs/lexington-2003-waiver.yaml", "can waiver_active(2003-08-11)"]
    runs = [subprocess.run(ask, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120,
                           check=False) for _ in range(2)]
    assert runs[0].returncode == runs[1].returncode == 0
    assert runs[0].stdout == runs[1].stdout and runs[0].stderr == runs[1].stderr == ""
    assert list(private_cache.glob("dataclass-code-*.marshal"))
