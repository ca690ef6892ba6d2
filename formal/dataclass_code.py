"""The dataclasses' generated methods, compiled once per user instead of in every command.

Python 3.11's ``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` (and a frozen class's ``__setattr__`` and ``__delattr__``) as source text and
compiles it on every import: about 0.8 ms a class, and an ``ask`` defines over a hundred
(the formula AST alone 53), some 80 ms of CPU, four fifths of it in ``compile`` (issue
14, start-up). Python caches a module's bytecode but not these texts. The console script
(:mod:`formal.entry`) therefore hands ``dataclasses`` an ``exec`` that looks each text up
in a table of code objects, compiled exactly as ``exec`` would compile it (no inherited
``__future__`` flags, file ``<string>``), and keeps the table in the private cache folder
of :mod:`model.parsecache` (marshal, one file per Python version). A code object runs
when loaded, so the file is read only under that module's rules: a regular file of this
user's in a folder only this user can write. A Python whose ``dataclasses`` builds methods
otherwise (no ``_create_fn``) is left alone; library use (tests, the pytest plug-in) never
installs this.
"""

from __future__ import annotations

import builtins
import contextlib
import marshal
import os
import stat
import sys
from pathlib import Path
from types import CodeType
from typing import Any

from model.parsecache import cache_dir, owned_and_private

MAX_ENTRIES = 5000
"""More texts than this (clausecheck's own classes are a few hundred): start the table anew."""


class CodeTable:
    """Compiled method texts by their source; ``save`` stores the table if it grew."""

    def __init__(self, path: Path, codes: dict[str, CodeType]) -> None:
        self.path = path
        self.codes = codes
        self.grew = False

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        """``exec`` as ``dataclasses`` calls it, with the text's code from the table."""
        if isinstance(source, str):
            code = self.codes.get(source)
            if code is None:
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.codes[source] = code
                self.grew = True
            source = code
        builtins.exec(source, globals, locals)

    def save(self) -> None:
        """Write the table (atomically: a concurrent command reads the old one or this one)."""
        if not self.grew:
            return
        import tempfile

        codes = self.codes if len(self.codes) <= MAX_ENTRIES else {}
        try:
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".code-")
        except OSError:  # a full disk or a folder gone: compiled again next time
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(codes))
            os.replace(temporary, self.path)
        except (OSError, ValueError):
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def install() -> CodeTable | None:
    """Give ``dataclasses`` the cached ``exec``; ``None`` when there is no private folder or
    this Python's ``dataclasses`` does not compile method texts one by one."""
    import dataclasses

    if not hasattr(dataclasses, "_create_fn"):
        return None
    folder = cache_dir()
    if folder is None:
        return None
    path = folder / f"dataclass-code-{sys.implementation.cache_tag}.marshal"
    table = CodeTable(path, _read(path))
    dataclasses.exec = table.exec  # type: ignore[attr-defined]
    return table


def _read(path: Path) -> dict[str, CodeType]:
    """The stored table, or an empty one when it is missing, not private, or not a table."""
    if not owned_and_private(path, stat.S_IFREG):
        return {}
    try:
        codes = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(codes, dict) or not all(
            isinstance(k, str) and isinstance(v, CodeType) for k, v in codes.items()):
        return {}
    return codes
