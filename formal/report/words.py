"""Dates and lists in words, as a memo writes them: "August 11, 2003", "paragraphs 1 and 5".

Dates go through Babel's CLDR data (``format_date``/``format_time``) rather than
``strftime``, whose month names follow the machine's locale; a report must read
the same on every machine. The memo's language is US English, the language of the
bundled agreements.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from babel.dates import format_date, format_time

from model.timecodec import TimeCodec

LOCALE = "en_US"


def date_words(codec: TimeCodec, time: int) -> str:
    """A time of the spec in words: ``August 11, 2003`` (with ``5:00 PM CDT`` in minutes).

    >>> from model.timecodec import DAYS
    >>> date_words(DAYS, DAYS.parse("2003-08-11"))
    'August 11, 2003'
    >>> dallas = TimeCodec("minute", "America/Chicago")
    >>> date_words(dallas, dallas.parse("2009-08-17T17:00"))
    'August 17, 2009, 5:00 PM CDT'
    """
    if codec.per_day == 1:
        return format_date(date.fromordinal(time), format="long", locale=LOCALE)
    moment = codec.datetime_of(time)
    day = format_date(moment.date(), format="long", locale=LOCALE)
    clock = format_time(moment.time(), format="short", locale=LOCALE)
    return f"{day}, {clock} {moment.tzname()}".replace("\u202f", " ")


def iso_in_words(codec: TimeCodec, text: str) -> str:
    """Every date (or date and time, as the codec shows it) inside ``text`` in words.

    >>> from model.timecodec import DAYS
    >>> iso_in_words(DAYS, "t = 2003-07-09")
    't = July 9, 2003'
    >>> dallas = TimeCodec("minute", "America/Chicago")
    >>> iso_in_words(dallas, "t = 2009-08-17 17:01 CDT")
    't = August 17, 2009, 5:01 PM CDT'
    """
    def one(match: re.Match[str]) -> str:
        day, clock = match.group(1), match.group(2)
        try:
            return date_words(codec, codec.parse(f"{day}T{clock}" if clock else day))
        except ValueError:
            return match.group(0)
    return re.sub(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?: [A-Z]{2,5})?)?", one, text)


def join_words(items: Sequence[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["1", "5", "6(d)"])
    '1, 5 and 6(d)'
    """
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"
