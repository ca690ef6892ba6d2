"""Where the formula parser's tables are cached: a directory only this user can write.

Building the LALR tables from ``formula.lark`` costs about a tenth of a second, more
than loading a spec, so they are cached; but lark's cache is a pickle, and loading a
pickle runs code. lark's own default puts it in the shared temporary directory, where
anyone could plant one for the next user. Here the cache lives in
``$XDG_CACHE_HOME/clausecheck`` (``~/.cache/clausecheck``), and is used only when that
directory and its parent belong to this user (or root, for the parent) and no one else
may write to them, and the file itself is a regular file of this user's that no one
else may write. Otherwise the tables are built in memory and nothing is cached. The
file name carries a hash of the grammar, the parser options and lark's version, so a
changed grammar never meets an old table.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

_PRIVATE = stat.S_IWGRP | stat.S_IWOTH


def owned_and_private(path: Path, kind: int, *, root_ok: bool = False) -> bool:
    """Whether ``path`` (not followed if a link) is of ``kind``, ours, and writable by us alone."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    owners = {os.getuid(), 0} if root_ok else {os.getuid()}
    return stat.S_IFMT(info.st_mode) == kind and info.st_uid in owners and \
        not info.st_mode & _PRIVATE


def cache_dir() -> Path | None:
    """The private cache directory, created if need be; ``None`` when it is not private."""
    if not hasattr(os, "getuid"):
        return None  # no POSIX owners to check: build the tables every time
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "clausecheck"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    if not owned_and_private(base.resolve(), stat.S_IFDIR, root_ok=True):
        return None
    return folder if owned_and_private(folder, stat.S_IFDIR) else None


def cache_file(grammar: str, options: str) -> Path | None:
    """The file lark may read and write for this grammar; ``None`` means "do not cache".

    An existing file is offered only if it passes the owner and mode checks; a missing one
    is offered so that lark writes it (inside the private directory).
    """
    import lark  # only here: the spec cache uses this module without parsing anything

    folder = cache_dir()
    if folder is None:
        return None
    key = hashlib.sha256(f"{lark.__version__}\n{options}\n{grammar}".encode()).hexdigest()
    path = folder / f"formula-{key[:32]}.lark-tables"
    if path.exists() or path.is_symlink():
        return path if owned_and_private(path, stat.S_IFREG) else None
    return path
