"""Concrete timelines: dated events, as a simulation or a witness shows them."""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from model.money import show_value
from model.timecodec import DAYS, TimeCodec


@dataclass(frozen=True)
class Ref:
    """A reference field's value: the id of an earlier (or same-day) event of the timeline."""

    id: str

    def __str__(self) -> str:
        return self.id


Value = bool | int | str | frozenset[str] | Fraction | Ref


@dataclass(frozen=True)
class Event:
    """One dated event of a declared kind, with a value for each of the kind's fields.

    >>> Event("e1", "Notice", 731405, (("to", "borrower"),)).field("to")
    'borrower'
    """

    id: str
    kind: str
    date: int
    fields: tuple[tuple[str, Value], ...] = ()
    times: tuple[str, ...] = field(default=(), compare=False)
    """The fields that hold a time (typed ``time``): shown as dates, never as numbers."""
    percents: tuple[str, ...] = field(default=(), compare=False)
    """The ratio fields declared ``percent``: shown as ``0.15%``, not ``0.0015:1``."""

    def field(self, name: str) -> Value:
        if name == "date":
            return self.date
        for key, value in self.fields:
            if key == name:
                return value
        raise KeyError(name)

    def to_json(self, codec: TimeCodec = DAYS) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "kind": self.kind, "date": codec.iso(self.date)}
        for key, value in self.fields:
            if key in self.times and isinstance(value, int) and not isinstance(value, bool):
                out[key] = codec.iso(value)
            else:
                out[key] = sorted(value) if isinstance(value, frozenset) \
                    else value.id if isinstance(value, Ref) else show_value(
                        value, key in self.percents)
        return out

    def shown(self, key: str, value: Value, codec: TimeCodec = DAYS) -> str:
        """One field's value for people: a time through the codec, a set in braces."""
        if key in self.times and isinstance(value, int) and not isinstance(value, bool):
            return codec.show(value)
        if isinstance(value, frozenset):
            return "{" + ", ".join(sorted(value)) + "}"
        return str(value).lower() if isinstance(value, bool) else str(
            show_value(value, key in self.percents))

    def describe(self, codec: TimeCodec = DAYS) -> str:
        """``SeeksAcceleration(by=trustee, of=notes)`` for people; time fields as dates.

        >>> Event("n", "Notice", 731405, (("period_end", 731400),), ("period_end",)).describe()
        'Notice(period_end=2003-07-04)'
        """
        parts = [f"{key}={self.shown(key, value, codec)}" for key, value in self.fields]
        return f"{self.kind}({', '.join(parts)})"


@dataclass(frozen=True)
class Timeline:
    """A finite set of events, kept in date order (ties keep their given order)."""

    events: tuple[Event, ...] = ()

    @staticmethod
    def of(events: list[Event] | tuple[Event, ...]) -> Timeline:
        return Timeline(tuple(sorted(events, key=lambda e: e.date)))

    def by_id(self, event_id: str) -> Event | None:
        return self._by_id.get(event_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Event]:
        return {e.id: e for e in self.events}

    def of_kind(self, kind: str) -> tuple[Event, ...]:
        return self._by_kind.get(kind, ())

    def of_kind_until(self, kind: str, last: int) -> tuple[Event, ...]:
        """The events of ``kind`` dated at or before ``last``."""
        events = self._by_kind.get(kind, ())
        return events[:bisect.bisect_right(self._dates[kind], last)] if events else ()

    @functools.cached_property
    def _by_kind(self) -> dict[str, tuple[Event, ...]]:
        """Each kind's events, in the timeline's order (an index built once, on first use)."""
        out: dict[str, list[Event]] = {}
        for e in self.events:
            out.setdefault(e.kind, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    @functools.cached_property
    def _dates(self) -> dict[str, list[int]]:
        return {k: [e.date for e in v] for k, v in self._by_kind.items()}

    def upto(self, count: int) -> Timeline:
        """The first ``count`` events: what a simulation knows after processing them."""
        return Timeline(self.events[:count])

    def __len__(self) -> int:
        return len(self.events)

