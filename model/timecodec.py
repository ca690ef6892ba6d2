"""The one time codec: times as whole numbers of a spec's unit, with the inverse beside it.

A spec counts time in days or in minutes. Days: a time is the proleptic
Gregorian ordinal of the day (``date.toordinal()``), so consecutive days differ
by 1. Minutes: a time is the number of minutes since 0001-01-01 00:00 UTC;
wall-clock times are written in the spec's zone (or with an explicit offset)
and converted here, once. A wall-clock time that a zone skips or repeats (a
daylight-saving change) is refused rather than guessed.

>>> DAYS.show(DAYS.parse("2003-07-09"))
'2003-07-09'
>>> DAYS.parse("2003-08-11") - DAYS.parse("2003-07-09")
33
>>> dallas = TimeCodec("minute", "America/Chicago")
>>> dallas.show(dallas.parse("2009-08-17T17:00"))
'2009-08-17 17:00 CDT'
>>> dallas.parse("2009-08-17T22:00Z") == dallas.parse("2009-08-17T17:00")
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # imported by tz: a spec counted in days never needs a zone
    from zoneinfo import ZoneInfo

Unit = Literal["day", "minute"]
MINUTES_PER_DAY = 24 * 60
UNIT_SIZES = {"day": MINUTES_PER_DAY, "hour": 60, "minute": 1}
"""How many minutes each duration word stands for."""

_TIME_TEXT = re.compile(
    r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:T([0-9]{1,2}):([0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?)?$")
_CALENDAR_END = ValueError("lies too close to the ends of the calendar (years 1 and 9999); "
                           "keep dates within years 2 to 9998")


def parse_date(text: str) -> date:
    """An ISO date ``YYYY-MM-DD``; ``ValueError`` names the text when it is no real day."""
    match = re.match(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$", text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


@dataclass(frozen=True)
class TimeCodec:
    """Times of one spec: its unit, and for minutes the zone its wall-clock times are in."""

    unit: Unit = "day"
    zone: str = "UTC"

    @cached_property
    def tz(self) -> ZoneInfo:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            return ZoneInfo(self.zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.zone!r}; use an IANA name such as "
                             "'America/Chicago'") from None

    def __getstate__(self) -> dict[str, object]:
        """The unit and the zone's name: the zone itself is looked up again when used."""
        return {k: v for k, v in self.__dict__.items() if k != "tz"}

    @property
    def per_day(self) -> int:
        return 1 if self.unit == "day" else MINUTES_PER_DAY

    def duration(self, count: int, word: str) -> int:
        """``count`` days, hours or minutes in this codec's unit; refuses what it cannot count."""
        minutes = count * UNIT_SIZES[word.rstrip("s")]
        if self.unit == "minute":
            return minutes
        if minutes % MINUTES_PER_DAY:
            raise ValueError(f"this spec counts time in days; {count} {word} is not a whole "
                             "number of days")
        return minutes // MINUTES_PER_DAY

    def parse(self, text: str) -> int:
        """The time of ``YYYY-MM-DD`` (the start of that day) or ``YYYY-MM-DDTHH:MM[Z|±HH:MM]``.

        Only ASCII digits count; a time that a zone shift would carry out of the calendar is
        refused with a ``ValueError``, never an ``OverflowError``.
        """
        try:
            return self._parse(text)
        except OverflowError:
            raise ValueError(f"{text!r} {_CALENDAR_END}") from None

    def _parse(self, text: str) -> int:
        match = _TIME_TEXT.match(text.strip())
        if not match or len(match.group(2)) != 2 or len(match.group(3)) != 2:
            raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD"
                             + ("" if self.unit == "day" else " or YYYY-MM-DDTHH:MM"))
        day = parse_date(text.strip()[:10])
        if match.group(4) is None:
            return self.encode_day(day)
        if self.unit == "day":
            raise ValueError(f"{text!r} has a time of day, but this spec counts time in days; "
                             "set time.unit: minute")
        hour, minute = int(match.group(4)), int(match.group(5))
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r} is not a real time of day")
        offset = match.group(6)
        if offset is None:
            return self._local(datetime(day.year, day.month, day.day, hour, minute), text)
        tz = UTC if offset == "Z" else timezone(
            (1 if offset[0] == "+" else -1) * timedelta(hours=int(offset[1:3]),
                                                       minutes=int(offset[4:6])))
        return self._minutes(datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz))

    def encode_day(self, day: date) -> int:
        """The time at which ``day`` begins (in the spec's zone)."""
        if self.unit == "day":
            return day.toordinal()
        return self._local(datetime(day.year, day.month, day.day), day.isoformat())

    def _local(self, wall: datetime, text: str) -> int:
        first = wall.replace(tzinfo=self.tz, fold=0)
        second = wall.replace(tzinfo=self.tz, fold=1)
        if first.utcoffset() != second.utcoffset():
            raise ValueError(f"{text!r} is ambiguous in {self.zone} (a clock change skips or "
                             "repeats it); write it with an offset, as in 2009-11-01T01:30-05:00")
        return self._minutes(first)

    @staticmethod
    def _minutes(moment: datetime) -> int:
        utc = moment.astimezone(UTC)
        return utc.toordinal() * MINUTES_PER_DAY + utc.hour * 60 + utc.minute

    def datetime_of(self, time: int) -> datetime:
        """The wall-clock moment of a minute time, in the spec's zone."""
        day, minute = divmod(time, MINUTES_PER_DAY)
        utc = datetime.fromordinal(day).replace(tzinfo=UTC) + timedelta(minutes=minute)
        return utc.astimezone(self.tz)

    def show(self, time: int) -> str:
        """The time as people read it: ``2003-07-09``, or ``2009-08-17 17:00 CDT``."""
        if not self._in_calendar(time):
            return f"(time {time}, outside the calendar)"
        if self.unit == "day":
            return date.fromordinal(time).isoformat()
        moment = self.datetime_of(time)
        return f"{moment:%Y-%m-%d %H:%M} {moment.tzname()}"

    def _in_calendar(self, time: int) -> bool:
        """Whether ``time`` (with a day's margin for zones) has a date in years 1 to 9999."""
        day = time // self.per_day
        return date.min.toordinal() + 1 <= day <= date.max.toordinal() - 1

    def iso(self, time: int) -> str:
        """The time for tools (JSON): ``2003-07-09`` or ``2009-08-17T17:00-05:00``."""
        if not self._in_calendar(time):
            return f"outside-calendar:{time}"
        if self.unit == "day":
            return date.fromordinal(time).isoformat()
        return self.datetime_of(time).isoformat(timespec="minutes")

    def horizon(self, first: date, last: date) -> tuple[int, int]:
        """The first and last time of a horizon given by days (the last day included whole)."""
        try:
            return self.encode_day(first), self.encode_day(last + timedelta(days=1)) - 1
        except OverflowError:
            raise ValueError(f"the horizon {_CALENDAR_END}") from None


DAYS = TimeCodec()
"""The codec of a spec that counts in days; also the default."""


def parse_time(text: str) -> int:
    """The day time of an ISO date (a day-unit spec, or the command line of one)."""
    return DAYS.parse(text)


def show(time: int) -> str:
    """The ISO text of a day time."""
    return DAYS.show(time)
