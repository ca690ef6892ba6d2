"""A private cache of loaded specs: a command on an unchanged spec skips YAML, pydantic and
every formula's parsing and checking.

Importing pydantic alone costs more CPU than importing Z3, so no ``ask`` that validates
its spec could start within three times ``import z3`` (issue 14). A spec that loaded once
is stored here as a pickle of its :class:`~model.program.Program`, and the next command
on the same text reads that instead. The spec's pydantic models (``program.spec``) are
kept as a pickle of their own inside it and unpickled only when something reads them
(a report, the explorer), so that ``ask`` and ``check`` never import pydantic on a hit.

Loading a pickle runs code, so the cache lives in the parse tables' private directory
(:func:`model.parsecache.cache_dir`: this user's, writable by no one else) and a file is
read only if it is a regular file of this user's that no one else may write; otherwise
nothing is cached and the spec loads as always. One file per spec path holds the key it
was made under: a SHA-256 of the spec's text, the path as given (a program names its
file), the source of every module of ``model/`` and the grammar, the Python version, and
the installed files of the libraries that loading uses (pydantic, lark, PyYAML, holidays);
a different key is a miss, and the file is replaced. Only specs that load are stored, so
every error, with its position and message, comes from the loader itself.
``CLAUSECHECK_SPEC_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import os
import pickle
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from model.parsecache import cache_dir, owned_and_private
from model.program import Program
from model.yamlsource import read_source

if TYPE_CHECKING:
    from model.spec import Spec

LIBRARIES = ("pydantic", "pydantic_core", "lark", "yaml", "holidays", "tzdata")
"""The libraries whose results a loaded program holds (validation, parsing, calendars, and
the zone rules behind a horizon in minutes when they come from the ``tzdata`` package; an
update of the system's own zone files is not seen)."""
FORMAT = b"clausecheck-spec-cache 1\n"
_fingerprint: str | None = None


class LazySpec:
    """A cached program's ``spec`` (pydantic's models), unpickled when first read.

    It stands in for :class:`~model.spec.Spec`: every attribute read, comparison and hash
    goes to the spec itself, so a report or the explorer reads it as it would the real one;
    a program copied with ``dataclasses.replace`` carries it along unread.
    """

    __slots__ = ("_blob", "_spec")

    def __init__(self, blob: bytes) -> None:
        self._blob = blob
        self._spec: Spec | None = None

    def loaded(self) -> Spec:
        if self._spec is None:
            self._spec = pickle.loads(self._blob)  # read with its program: ours, private
        return self._spec

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loaded(), name)

    def __eq__(self, other: object) -> bool:
        return self.loaded() == (other.loaded() if isinstance(other, LazySpec) else other)

    def __hash__(self) -> int:
        return hash(self.loaded())

    def __repr__(self) -> str:
        return repr(self.loaded())

    def __reduce__(self) -> tuple[type[LazySpec], tuple[bytes]]:
        return LazySpec, (self._blob,)


def enabled() -> bool:
    return os.environ.get("CLAUSECHECK_SPEC_CACHE", "1") != "0"


def load_spec(path: Path | str) -> Program:
    """:func:`model.load.load_spec`, through the cache when the spec's text is unchanged."""
    text = read_source(path)  # the loader's own checks: a regular file, its size, UTF-8
    entry = _entry(path, text) if enabled() else None
    if entry is not None:
        cached = _read(*entry)
        if cached is not None:
            return cached
    from model.load import load_spec as load

    program = load(path, text)
    if entry is not None:
        _write(*entry, program)
    return program


def code_fingerprint() -> str:
    """A hash of everything besides the spec's text that decides what loading it gives."""
    global _fingerprint
    if _fingerprint is None:
        digest = hashlib.sha256(f"{sys.version}\n{sys.implementation.cache_tag}\n".encode())
        here = Path(__file__).resolve().parent
        for source in sorted([*here.glob("*.py"), here / "formula.lark"]):
            digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
        for name in LIBRARIES:
            digest.update(_library_stamp(name).encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


def _library_stamp(name: str) -> str:
    """The installed file of library ``name`` (its path, size and time), without importing it:
    installing another version rewrites it."""
    found = importlib.util.find_spec(name)
    origin = found.origin if found is not None else None
    if origin is None:
        return f"{name}: none\n"
    info = os.stat(origin)
    return f"{name}: {origin} {info.st_size} {info.st_mtime_ns}\n"


def _entry(path: Path | str, text: str) -> tuple[Path, bytes] | None:
    """The cache file for ``path`` and the key its content must carry; ``None``: no cache."""
    folder = cache_dir()
    if folder is None:
        return None
    name = str(path)
    key = hashlib.sha256(f"{code_fingerprint()}\n{name}\n".encode() + text.encode()).hexdigest()
    slot = hashlib.sha256(os.path.abspath(name).encode() + b"\0" + name.encode()).hexdigest()
    return folder / f"spec-{slot[:32]}.pickle", FORMAT + key.encode() + b"\n"


def _read(file: Path, header: bytes) -> Program | None:
    """The program stored in ``file`` under ``header``, or ``None`` (missing, stale, not ours)."""
    if not owned_and_private(file, stat.S_IFREG):
        return None
    try:
        with open(file, "rb") as handle:
            if handle.read(len(header)) != header:
                return None
            program = pickle.load(handle)  # checked above: ours, in a private folder
    except Exception:  # a damaged entry is a miss: the spec loads as always
        return None
    if not isinstance(program, Program) or not isinstance(program.__dict__["spec"], LazySpec):
        return None
    return program


def _write(file: Path, header: bytes, program: Program) -> None:
    """Store ``program`` under ``header``, atomically (a concurrent reader sees the old file or
    the new one); a program that does not pickle is simply not stored."""
    try:
        spec = LazySpec(pickle.dumps(program.spec, protocol=pickle.HIGHEST_PROTOCOL))
        cached = dataclasses.replace(program, spec=cast("Spec", spec))
        blob = pickle.dumps(cached, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        return
    import tempfile  # only on a miss: its imports are a millisecond of every hit

    try:
        handle, temporary = tempfile.mkstemp(dir=file.parent, prefix=".spec-", suffix=".tmp")
    except OSError:  # a full disk or a folder gone: the next command loads the spec again
        return
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(header + blob)
        os.replace(temporary, file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
