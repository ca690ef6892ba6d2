"""Read a YAML file into plain data while remembering where every value stood.

Dates stay text here (the spec's own validators parse them), so an impossible
date is reported at its line and column instead of crashing the YAML loader.
Input is bounded before it costs memory or stack: only regular files of at most
:data:`MAX_BYTES` are read, and the document itself is built by
:mod:`model.yamlbuild` with limits on nesting and alias expansion.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model.errors import Location, SpecError

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class ScalarSpot:
    """Where a scalar's text starts, and how it is quoted (``|``, ``>``, ``'``, ``"`` or plain)."""

    line: int
    col: int
    style: str | None


@dataclass
class SourceMap:
    """Positions of every key and value in one YAML file, by path from the root."""

    file: str
    lines: list[str]
    values: dict[PathKey, ScalarSpot] = field(default_factory=dict)
    keys: dict[PathKey, ScalarSpot] = field(default_factory=dict)

    def at(self, path: PathKey, *, key: bool = False) -> Location:
        """The location of the value (or key) at ``path``, or of its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            spot = table.get(probe) or self.values.get(probe)
            if spot is not None:
                return Location(self.file, spot.line, spot.col)
            probe = probe[:-1]
        return Location(self.file, 1, 1)

    def in_text(self, path: PathKey, line: int, col: int) -> Location:
        """The file location of (line, col), both 1-based, inside the string at ``path``."""
        spot = self.values.get(tuple(path))
        if spot is None:
            return self.at(path)
        if spot.style == "|":
            # A literal block keeps its lines; they start at the block's indentation.
            first = spot.line + 1
            indent = _indent(self._line(first))
            return Location(self.file, first + line - 1, indent + col)
        # Folded text (plain, quoted or '>') joins its source lines with single spaces.
        offset = col - 1
        for number, start, text in self._segments(spot):
            if offset <= len(text):
                return Location(self.file, number, start + offset + 1)
            offset -= len(text) + 1
        return Location(self.file, spot.line, spot.col)

    def _line(self, number: int) -> str:
        return self.lines[number - 1] if 0 < number <= len(self.lines) else ""

    def _segments(self, spot: ScalarSpot) -> list[tuple[int, int, str]]:
        """(line, 0-based start column, text) of each source line of a folded scalar."""
        out: list[tuple[int, int, str]] = []
        number = spot.line
        if spot.style == ">":
            number += 1
        else:
            start = spot.col - 1 + (1 if spot.style in ("'", '"') else 0)
            out.append((number, start, self._line(number)[start:].rstrip()))
            number += 1
        while number <= len(self.lines):
            text = self._line(number)
            if text.strip():
                indent = _indent(text)
                out.append((number, indent, text[indent:].rstrip()))
            number += 1
        return out


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


MAX_BYTES = 16 * 1024 * 1024
"""The largest spec or timeline file read (16 MiB); a 10,000-event timeline is under 1 MiB."""


def read_source(path: Path | str) -> str:
    """The UTF-8 text of a regular file of at most :data:`MAX_BYTES`, checked before reading.

    A FIFO would block and ``/dev/zero`` would never end, so anything but a regular file
    is refused from its ``stat`` alone.
    """
    name = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise SpecError(Location(name, 1, 1), "cannot read spec: not a regular file")
        if info.st_size > MAX_BYTES:
            raise SpecError(Location(name, 1, 1), f"the file is larger than {MAX_BYTES >> 20} MiB")
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SpecError(Location(name, 1, 1), f"cannot read spec: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise SpecError(Location(name, 1, 1), f"the file is larger than {MAX_BYTES >> 20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SpecError(Location(name, 1, 1), "spec is not UTF-8 text") from None


def load_yaml(path: Path | str, text: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one YAML document; errors carry the file, line and column."""
    name = str(path)
    if text is None:
        text = read_source(path)
    elif len(text) > MAX_BYTES:
        raise SpecError(Location(name, 1, 1), f"the text is larger than {MAX_BYTES >> 20} MiB")
    from model.yamlbuild import build_document  # it imports this module's types

    smap = SourceMap(name, text.splitlines())
    return build_document(text, smap), smap
