"""Read a YAML file into plain data while remembering where every value stood.

Dates stay text here (the spec's own validators parse them), so an impossible
date is reported at its line and column instead of crashing the YAML loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


_SCALAR_TAGS = "tag:yaml.org,2002:"


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag.replace(_SCALAR_TAGS, "") if isinstance(node.tag, str) else str(node.tag)
    text = node.value
    if tag == "int":
        return int(text.replace("_", ""), 0) if text[:2] in ("0x", "0o") else int(text)
    if tag == "bool":
        return text.lower() == "true"
    if tag == "null":
        return None
    if tag == "float":
        return float(text)
    if node.style == ">":
        text = text.replace("\a", "")  # ruamel marks folds with BEL for round-tripping
    return text  # str, timestamp and anything else stay text


def _spot(node: Node) -> ScalarSpot:
    style = getattr(node, "style", None)
    return ScalarSpot(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _build(node: Node, path: PathKey, smap: SourceMap) -> Any:
    smap.values[path] = _spot(node)
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise SpecError(smap.at(path), "mapping keys must be plain names")
            key = str(key_node.value)
            if key == "<<":
                raise SpecError(Location(smap.file, *_pos(key_node)), "merge keys are not supported")
            if key in out:
                raise SpecError(
                    Location(smap.file, *_pos(key_node)), f"duplicate key {key!r} in this mapping"
                )
            smap.keys[(*path, key)] = _spot(key_node)
            out[key] = _build(value_node, (*path, key), smap)
        return out
    if isinstance(node, SequenceNode):
        return [_build(item, (*path, i), smap) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    return _scalar(node)


def _pos(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_yaml(path: Path | str, text: str | None = None) -> tuple[Any, SourceMap]:
    """Parse one YAML document; errors carry the file, line and column."""
    name = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise SpecError(Location(name, 1, 1), f"cannot read spec: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise SpecError(Location(name, 1, 1), "spec is not UTF-8 text") from None
    smap = SourceMap(name, text.splitlines())
    try:
        node = YAML(typ="rt").compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "malformed YAML"
        raise SpecError(Location(name, line, col), f"malformed YAML: {problem}") from None
    except YAMLError as exc:
        raise SpecError(Location(name, 1, 1), f"malformed YAML: {exc}") from None
    if node is None:
        raise SpecError(Location(name, 1, 1), "the spec is empty")
    return _build(node, (), smap), smap
