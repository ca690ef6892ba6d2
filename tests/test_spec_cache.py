"""The cache of loaded specs (model/speccache.py): the same answers, only from a private place.

Mirrors issue 14 ("Start-up" and "No code from shared places"): a command on an unchanged
spec reads its loaded program from a pickle instead of importing pydantic and parsing
every formula again, and a pickle runs code, so it is read only from the user's private
cache directory, only if no one else could have written it, and only under the key of
the spec's exact text and clausecheck's own code. The planted pickle records, when
loaded, that it ran: the positive control shows the test reaches the loading path.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from model import speccache
from model.errors import SpecError
from model.load import load_spec as load_uncached
from model.program import Program
from model.speccache import LazySpec, load_spec

ROOT = Path(__file__).resolve().parent.parent
LEXINGTON = ROOT / "specs/lexington-2003-waiver.yaml"
MINIMAL = ROOT / "tests/golden/good/minimal.yaml"
CLI = [sys.executable, "-c", "import sys; from formal.entry import main; sys.exit(main())"]


@pytest.fixture
def private_cache(private_cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``XDG_CACHE_HOME`` in a fresh private directory, the spec cache on."""
    monkeypatch.delenv("CLAUSECHECK_SPEC_CACHE", raising=False)
    yield private_cache_home


def same(a: Program, b: Program) -> bool:
    """Programs alike in every field; calendars (compared by identity) by their own fields."""
    fields = [f.name for f in dataclasses.fields(Program)]
    return all(getattr(a, n) == getattr(b, n) for n in fields if n != "calendars") and \
        vars(a.calendars) == vars(b.calendars)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("spec-*.pickle"))


def spec_copy(tmp_path: Path, source: Path = MINIMAL) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    return path


class _Planted:
    """A pickle that, when loaded, creates a marker directory: code run from the cache."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def _plant(entry: Path, marker: Path) -> None:
    """Replace a cached program by a pickle that runs code, keeping the entry's key."""
    header = b"".join(entry.read_bytes().splitlines(keepends=True)[:2])
    entry.write_bytes(header + pickle.dumps(_Planted(marker)))


def test_a_cached_program_is_the_loaded_program(private_cache: Path) -> None:
    first = load_spec(LEXINGTON)
    [entry] = entries(private_cache)
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    again = load_spec(LEXINGTON)
    assert isinstance(again.__dict__["spec"], LazySpec)  # read from the cache
    assert same(again, first) and same(again, load_uncached(LEXINGTON))
    assert again.spec.agreement.title == first.spec.agreement.title
    assert again.name == first.name == "lexington-2003-waiver"


def test_a_cached_program_pickles_again(private_cache: Path) -> None:
    load_spec(LEXINGTON)
    cached = load_spec(LEXINGTON)
    copy = pickle.loads(pickle.dumps(cached))
    assert same(copy, cached) and copy.spec.clauses == cached.spec.clauses


def test_changed_text_is_loaded_again(private_cache: Path, tmp_path: Path) -> None:
    path = spec_copy(tmp_path)
    assert load_spec(path).spec.agreement.title != "Changed"
    text = path.read_text(encoding="utf-8")
    assert "title: A minimal waiver," in text
    path.write_text(text.replace("title: A minimal waiver,", "title: Changed,"), encoding="utf-8")
    assert load_spec(path).spec.agreement.title == "Changed"
    assert len(entries(private_cache)) == 1  # one entry per spec path, replaced


def test_a_bad_spec_is_the_loaders_error_and_is_not_cached(private_cache: Path,
                                                           tmp_path: Path) -> None:
    path = spec_copy(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "bogus: 1\n", encoding="utf-8")
    with pytest.raises(SpecError) as cached:
        load_spec(path)
    with pytest.raises(SpecError) as direct:
        load_uncached(path)
    assert str(cached.value) == str(direct.value)
    assert entries(private_cache) == []


def test_the_cache_can_be_turned_off(private_cache: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSECHECK_SPEC_CACHE", "0")
    assert not isinstance(load_spec(LEXINGTON).__dict__["spec"], LazySpec)
    assert not private_cache.exists() or entries(private_cache) == []


def test_a_private_entry_is_loaded(private_cache: Path, tmp_path: Path) -> None:
    """Positive control: a planted pickle under the right key does run when it passes."""
    load_spec(LEXINGTON)
    [entry] = entries(private_cache)
    _plant(entry, tmp_path / "ran")
    assert load_spec(LEXINGTON).name == "lexington-2003-waiver"  # not a program: loaded anew
    assert (tmp_path / "ran").exists()


@pytest.mark.parametrize("loosen", ["file", "folder", "symlink"])
def test_an_entry_others_could_write_is_never_loaded(private_cache: Path, tmp_path: Path,
                                                     loosen: str) -> None:
    load_spec(LEXINGTON)
    [entry] = entries(private_cache)
    if loosen == "symlink":
        elsewhere = tmp_path / "elsewhere"
        entry.rename(elsewhere)
        _plant(elsewhere, tmp_path / "ran")
        entry.symlink_to(elsewhere)
    else:
        _plant(entry, tmp_path / "ran")
        os.chmod(entry if loosen == "file" else private_cache,
                 0o666 if loosen == "file" else 0o777)
    assert load_spec(LEXINGTON).name == "lexington-2003-waiver"
    assert not (tmp_path / "ran").exists()


def test_a_damaged_entry_is_a_miss(private_cache: Path) -> None:
    load_spec(LEXINGTON)
    [entry] = entries(private_cache)
    entry.write_bytes(entry.read_bytes()[:-500])
    program = load_spec(LEXINGTON)
    assert not isinstance(program.__dict__["spec"], LazySpec)
    assert isinstance(load_spec(LEXINGTON).__dict__["spec"], LazySpec)  # written anew


def test_other_code_is_another_key(private_cache: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    load_spec(LEXINGTON)
    monkeypatch.setattr(speccache, "_fingerprint", "another version of clausecheck")
    assert not isinstance(load_spec(LEXINGTON).__dict__["spec"], LazySpec)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=ROOT, capture_output=True, text=True, env=env,
                          timeout=120, check=False)


def test_commands_answer_alike_from_the_cache_without_pydantic(private_cache: Path) -> None:
    """``ask`` and ``check`` print the same with the cache off, cold and warm; a warm ``ask``
    imports neither pydantic nor PyYAML."""
    env = {**os.environ, "XDG_CACHE_HOME": str(private_cache.parent)}
    ask = ["ask", str(LEXINGTON), "can waiver_active(2003-08-11)"]
    outputs = [_run(ask, {**env, "CLAUSECHECK_SPEC_CACHE": "0"}), _run(ask, env), _run(ask, env)]
    assert {(o.returncode, o.stdout, o.stderr) for o in outputs} == {
        (outputs[0].returncode, outputs[0].stdout, outputs[0].stderr)}
    checks = [_run(["check", str(LEXINGTON), "--json"], env) for _ in range(2)]
    assert checks[0].stdout == checks[1].stdout and checks[0].returncode == 0
    probe = ("import io, sys, contextlib; from formal.cli import main; "
             f"sys.argv = ['clausecheck', *{ask!r}]; "
             "contextlib.redirect_stdout(io.StringIO()).__enter__(); main(); "
             "sys.stderr.write(repr(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules)))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True,
                          text=True, env=env, timeout=120, check=False)
    assert done.stderr.strip().endswith("[]"), done.stderr


def test_every_cached_program_is_a_program(private_cache: Path) -> None:
    for spec in sorted((ROOT / "specs").glob("*.yaml")):
        load_spec(spec)
        cached = load_spec(spec)
        assert isinstance(cached, Program) and isinstance(cached.__dict__["spec"], LazySpec)
        assert same(cached, load_uncached(spec)), spec
