"""The one time codec: dates as whole days, with the inverse beside it.

A time is an ``int``: the proleptic Gregorian ordinal of the day
(``date.toordinal()``), so that 2003-07-09 and 2003-07-10 differ by 1 and
subtracting two times gives a number of days.

>>> decode(encode(date(2003, 7, 9)))
datetime.date(2003, 7, 9)
>>> encode(date(2003, 8, 11)) - encode(date(2003, 7, 9))
33
"""

from __future__ import annotations

import re
from datetime import date

_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def encode(day: date) -> int:
    """The time of a calendar day."""
    return day.toordinal()


def decode(time: int) -> date:
    """The calendar day of a time; the inverse of :func:`encode`."""
    return date.fromordinal(time)


def parse_date(text: str) -> date:
    """An ISO date ``YYYY-MM-DD``; ``ValueError`` names the text when it is no real day."""
    match = _ISO_DATE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD")
    year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a real date ({exc})") from None


def parse_time(text: str) -> int:
    """The time of an ISO date written in a spec or on the command line."""
    return encode(parse_date(text))


def show(time: int) -> str:
    """The ISO text of a time, for people and for JSON."""
    return decode(time).isoformat()
