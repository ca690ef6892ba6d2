"""Build plain data from YAML parse events, with YAML 1.2 scalars and bounded work.

Events come from libyaml's parser (through PyYAML), which gives every event its line and
column and is many times faster than a pure-Python one. Only the parser's syntax is used:
the composer of a YAML library recurses on nesting and expands aliases into copies, and
its resolver reads YAML 1.1. This builder walks the events with an explicit stack, so
nesting costs no Python stack, and stops at :data:`MAX_DEPTH` levels and :data:`MAX_NODES` values
(aliases counted at their full expanded size, so a "billion laughs" file is refused
after a few thousand events instead of filling memory). Plain scalars take the
meaning of the YAML 1.2 core schema: ``yes`` and ``0b101`` are text, ``0x1A`` is 26.
A ``%YAML`` or ``%TAG`` directive is refused rather than honoured, so ``%YAML 1.1``
can never turn ``no`` into false behind a reader's back.

>>> from model.yamlsource import SourceMap
>>> build_document("a: [1, yes, 0x1A, ~]", SourceMap("x.yaml", []))
{'a': [1, 'yes', 26, None]}
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.error import MarkedYAMLError, YAMLError
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from model.errors import Location, SpecError, shown
from model.yamlsource import PathKey, ScalarSpot, SourceMap

MAX_DEPTH = 64
"""Nesting levels of mappings and sequences a file may use (a spec needs about eight)."""
MAX_NODES = 1_000_000
"""Values a file may hold, every alias counted as a copy of what it names."""
MAX_INT_DIGITS = 18
"""Digits of an integer scalar: larger numbers mean nothing to a spec and cost to convert."""

_CORE = "tag:yaml.org,2002:"
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
         "FALSE": False}
_MAY_RESOLVE = frozenset("0123456789+-.~nNtTfF")
"""First characters of every null, bool, int and float of the core schema."""
_INT10 = re.compile(r"[-+]?[0-9]+")
_INT8 = re.compile(r"0o[0-7]+")
_INT16 = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"([-+]?)\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")


class _Refused(Exception):
    """A scalar or event the builder refuses; becomes a located :class:`SpecError`."""


def _int(text: str) -> int | None:
    for pattern, base, skip in ((_INT10, 10, 0), (_INT8, 8, 2), (_INT16, 16, 2)):
        if pattern.fullmatch(text):
            digits = text[skip:].lstrip("+-")
            if len(digits.lstrip("0")) > MAX_INT_DIGITS:
                raise _Refused(f"the integer {shown(text)} has more than {MAX_INT_DIGITS} digits")
            return int(text[skip:], base)
    return None


def _float(text: str) -> float | None:
    if _FLOAT.fullmatch(text):
        if len(text) > 64:
            raise _Refused(f"the number {shown(text)} is too long")
        return float(text)
    inf = _INF.fullmatch(text)
    if inf:
        return -math.inf if inf.group(1) == "-" else math.inf
    return math.nan if _NAN.fullmatch(text) else None


def resolve_plain(text: str) -> Any:
    """An untagged plain scalar as the YAML 1.2 core schema reads it.

    >>> [resolve_plain(t) for t in ("12", "0o17", "-0x1A", "1.5", "no", "Null")]
    [12, 15, '-0x1A', 1.5, 'no', None]
    """
    if text and text[0] not in _MAY_RESOLVE:
        return text  # names, dates and prose: the common case, with no pattern tried
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    number = _int(text)
    if number is not None:
        return number
    real = _float(text)
    return text if real is None else real


def _tagged(tag: str, text: str) -> Any:
    """A scalar with an explicit tag: only the core schema's tags, and only with their syntax."""
    kind = tag[len(_CORE):] if tag.startswith(_CORE) else tag
    if kind in ("str", "!"):
        return text
    value: Any
    if kind == "int":
        value = _int(text)
    elif kind == "float":
        value = _int(text)
        value = _float(text) if value is None else float(value)
    elif kind == "bool":
        value = _BOOL.get(text)
    elif kind == "null":
        return None if _NULL.fullmatch(text) else _refuse(f"!!null cannot be {shown(text)}")
    else:
        return _refuse(f"unsupported tag {shown(tag)}; a spec uses plain YAML 1.2 values")
    if value is None:
        raise _Refused(f"{shown(text)} is not a valid !!{kind}")
    return value


def _refuse(message: str) -> Any:
    raise _Refused(message)


def _scalar(event: ScalarEvent) -> Any:
    text = event.value
    if _has_surrogate(text):
        raise _Refused("the text holds a lone surrogate (a \\uD800-\\uDFFF escape); "
                       "write the character itself")
    tag = getattr(event.tag, "value", event.tag)
    if tag is not None:
        return _tagged(str(tag), text)
    if not event.style and event.implicit[0]:
        return resolve_plain(text)
    return text


def _has_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


@dataclass
class _Frame:
    """An open mapping or sequence, where its values go, and the key waiting for a value."""

    value: dict[str, Any] | list[Any]
    path: PathKey
    anchor: str | None
    first_node: int
    key: str | None = None
    keys_done: set[str] = field(default_factory=set)


class _Builder:
    """Turns the event stream into data and fills the source map; see the module docstring."""

    def __init__(self, smap: SourceMap) -> None:
        self.smap = smap
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.nodes = 0
        self.root: Any = None
        self.documents = 0
        self.directive: int | None = None

    def at(self, event: Event) -> Location:
        mark = event.start_mark
        return Location(self.smap.file, mark.line + 1, mark.column + 1) if mark else \
            Location(self.smap.file, 1, 1)

    def spot(self, event: Event) -> ScalarSpot:
        loc = self.at(event)
        return ScalarSpot(loc.line, loc.col, getattr(event, "style", None) or None)

    def count(self, size: int) -> None:
        self.nodes += size
        if self.nodes > MAX_NODES:
            raise _Refused(f"the document holds more than {MAX_NODES:,} values (aliases count "
                           "as copies)")

    def next_path(self, event: Event) -> PathKey | None:
        """Where the next value goes; ``None`` when ``event`` is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if isinstance(top.value, list):
            return (*top.path, len(top.value))
        if top.key is None:
            return None
        return (*top.path, top.key)

    def place(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            assert top.key is not None
            top.value[top.key] = value
            top.key = None

    def key(self, event: Event) -> None:
        top = self.stack[-1]
        if not isinstance(event, ScalarEvent):
            raise _Refused("mapping keys must be plain names")
        name = str(event.value)
        if _has_surrogate(name):
            raise _Refused("a key holds a lone surrogate")
        if name == "<<":
            raise _Refused("merge keys are not supported")
        if name in top.keys_done:
            raise _Refused(f"duplicate key {shown(name)} in this mapping")
        top.keys_done.add(name)
        top.key = name
        self.smap.keys[(*top.path, name)] = self.spot(event)

    def event(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _Refused("a spec is one YAML document; remove the second '---'")
            if event.version is not None or event.tags:
                self.directive = next((i + 1 for i, line in enumerate(self.smap.lines)
                                       if line.startswith("%")), None)
                raise _Refused("YAML directives (%YAML, %TAG) are not supported: a spec is "
                               "read as YAML 1.2, whatever a directive says")
            return
        if isinstance(event, MappingEndEvent | SequenceEndEvent):
            self.close()
            return
        if not isinstance(event, ScalarEvent | CollectionStartEvent | AliasEvent):
            return
        path = self.next_path(event)
        if path is None:
            self.key(event)
            return
        self.smap.values[path] = self.spot(event)
        if isinstance(event, AliasEvent):
            if event.anchor not in self.anchors:
                raise _Refused(f"unknown alias {shown(event.anchor)}")
            value, size = self.anchors[event.anchor]
            self.count(size)
            self.place(value)
        elif isinstance(event, ScalarEvent):
            self.count(1)
            value = _scalar(event)
            if event.anchor:
                self.anchors[event.anchor] = (value, 1)
            self.place(value)
        else:
            self.open(event, path)

    def open(self, event: CollectionStartEvent, path: PathKey) -> None:
        tag = getattr(event.tag, "value", event.tag)
        mapping = isinstance(event, MappingStartEvent)
        if tag not in (None, "!", _CORE + ("map" if mapping else "seq")):
            raise _Refused(f"unsupported tag {shown(str(tag))}; a spec uses plain YAML 1.2 values")
        if len(self.stack) >= MAX_DEPTH:
            raise _Refused(f"the document nests deeper than {MAX_DEPTH} levels")
        self.count(1)
        container: dict[str, Any] | list[Any] = {} if mapping else []
        assert isinstance(event, MappingStartEvent | SequenceStartEvent)
        self.stack.append(_Frame(container, path, event.anchor, self.nodes))

    def close(self) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (frame.value, self.nodes - frame.first_node + 1)
        self.place(frame.value)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser (C, with the line and column of every event) where PyYAML has it."""


def _events(text: str) -> Iterator[Event]:
    """The parser's events; only its syntax is used, every scalar is resolved here."""
    yield from yaml.parse(text, Loader=_LOADER)


_FLOW_SLACK = 4
_BRACKET = re.compile(r"[\[\]{}]")


def _check_brackets(text: str, smap: SourceMap) -> None:
    """Refuse bracket nesting far past :data:`MAX_DEPTH` before the YAML scanner sees it: its
    work grows with the square of the flow depth, so the builder's own limit comes too late.
    Brackets are counted in the raw text (quotes and comments included), so the bound is
    :data:`_FLOW_SLACK` times the real limit, which no sensible text reaches."""
    if text.count("[") + text.count("{") <= MAX_DEPTH * _FLOW_SLACK:
        return
    level = 0
    for bracket in _BRACKET.finditer(text):
        level = level + 1 if bracket.group() in "[{" else max(0, level - 1)
        if level > MAX_DEPTH * _FLOW_SLACK:
            line = text.count("\n", 0, bracket.start()) + 1
            col = bracket.start() - (text.rfind("\n", 0, bracket.start()) + 1) + 1
            raise SpecError(Location(smap.file, line, col),
                            f"the document nests deeper than {MAX_DEPTH} levels")


def build_document(text: str, smap: SourceMap) -> Any:
    """The data of the one YAML document in ``text``; errors are located :class:`SpecError`."""
    _check_brackets(text, smap)
    builder = _Builder(smap)
    last: Event | None = None
    try:
        for event in _events(text):
            last = event
            if isinstance(event, StreamEndEvent):
                break
            builder.event(event)
    except _Refused as exc:
        where = builder.at(last) if last is not None else Location(smap.file, 1, 1)
        if builder.directive is not None:
            where = Location(smap.file, builder.directive, 1)
        raise SpecError(where, str(exc)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "malformed YAML"
        raise SpecError(Location(smap.file, line, col), f"malformed YAML: {problem}") from None
    except YAMLError as exc:
        raise SpecError(Location(smap.file, 1, 1), f"malformed YAML: {shown(str(exc))}") from None
    if builder.documents == 0 or (builder.root is None and not smap.values):
        raise SpecError(Location(smap.file, 1, 1), "the spec is empty")
    return builder.root
