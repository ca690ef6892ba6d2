"""Calendars: weekdays, business days, periods and month arithmetic, as tables over a range.

Both interpreters read the calendar functions from here and nowhere else: the concrete
model calls :meth:`Calendars.apply`; the Z3 compiler encodes the same function as the
piecewise-linear :meth:`Calendars.segments` (or, for a test, the unit ranges of
:meth:`Calendars.ranges`), each built from :meth:`Calendars.day_value`, so the two agree by
construction. A spec's holiday calendars come from the ``holidays`` library (market and
country calendars), computed once per spec over the *calendar range*: the horizon widened by
:data:`MARGIN_YEARS` years on each side. A calendar function of a time outside the range is
the function at the range's nearest end (so both interpreters stay exact and total).

Every function works on days: with unit ``minute`` on the day of the time in the spec's
zone, returning the start of the resulting day; ``later_of``/``earlier_of`` work on times.

>>> cals = Calendars.build(DAYS, (date(2008, 1, 1).toordinal(), date(2008, 12, 31).toordinal()),
...                        1, {"nyse": CalendarSource(financial="NYSE")})
>>> DAYS.show(cals.apply("following", (DAYS.parse("2008-01-19"),), "nyse"))  # Sat; Mon is MLK day
'2008-01-22'
>>> DAYS.show(cals.apply("add_months", (DAYS.parse("2008-01-31"), 1), None))
'2008-02-29'
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import TYPE_CHECKING, Literal

from model.timecodec import DAYS, TimeCodec

if TYPE_CHECKING:  # a cached program's calendars never import pydantic
    from model.spec import TimeDomain

MARGIN_YEARS = 2
"""Years the calendar range reaches past each end of the horizon."""
WEEKDAY_ENUM = "Weekday"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
"""The builtin enumeration ``Weekday``, in ``date.weekday()`` order."""

Param = Literal["time", "int", "calendar"]
Result = Literal["time", "bool", "weekday"]


@dataclass(frozen=True)
class Signature:
    params: tuple[Param, ...]
    result: Result
    days: bool = True
    """Whether the function works on the day of its time (all but later_of/earlier_of)."""


_BD: tuple[Param, ...] = ("time", "calendar")
FUNCTIONS: dict[str, Signature] = {
    "weekday": Signature(("time",), "weekday"),
    "business_day": Signature(_BD, "bool"),
    "next_business_day": Signature(_BD, "time"),
    "previous_business_day": Signature(_BD, "time"),
    "following": Signature(_BD, "time"),
    "preceding": Signature(_BD, "time"),
    "modified_following": Signature(_BD, "time"),
    "add_business_days": Signature(("time", "int", "calendar"), "time"),
    "later_of": Signature(("time", "time"), "time", days=False),
    "earlier_of": Signature(("time", "time"), "time", days=False),
    "month_end": Signature(("time",), "time"),
    "quarter_end": Signature(("time",), "time"),
    "year_end": Signature(("time",), "time"),
    "fiscal_quarter_end": Signature(("time",), "time"),
    "fiscal_year_end": Signature(("time",), "time"),
    "is_month_end": Signature(("time",), "bool"),
    "is_quarter_end": Signature(("time",), "bool"),
    "is_fiscal_quarter_end": Signature(("time",), "bool"),
    "is_fiscal_year_end": Signature(("time",), "bool"),
}
"""The calendar functions formulas may call, by name."""
INTERNAL = {"add_months": Signature(("time", "int"), "time")}
"""``t + n months`` (written with a period, never called by name)."""


class CalendarError(ValueError):
    """A calendar declaration the holidays library cannot provide."""


@dataclass(frozen=True)
class CalendarSource:
    """Where a calendar's holidays come from: a market, or a country (and subdivision)."""

    financial: str | None = None
    country: str | None = None
    subdiv: str | None = None
    categories: tuple[str, ...] = ()


def _options(names: object) -> str:
    listed = sorted(str(n) for n in names)  # type: ignore[attr-defined]
    return ", ".join(listed[:40]) + (", …" if len(listed) > 40 else "")


def check_source(src: CalendarSource) -> tuple[str, str] | None:
    """What is wrong with a declaration: the key at fault and a message naming the options."""
    import holidays  # a heavy import: only specs that declare calendars pay for it

    if (src.financial is None) == (src.country is None):
        return "financial", "a calendar names either a market ('financial: NYSE') or a 'country'"
    if src.financial is not None:
        markets = holidays.list_supported_financial()
        if src.financial not in markets:
            return "financial", f"unknown market {src.financial!r}; the markets: {_options(markets)}"
        if src.subdiv or src.categories:
            return "financial", "a market calendar takes no 'subdiv' or 'categories'"
        return None
    countries = holidays.list_supported_countries()
    if src.country not in countries:
        return "country", f"unknown country {src.country!r}; the countries: {_options(countries)}"
    if src.subdiv is not None and src.subdiv not in countries[src.country]:
        return "subdiv", (f"unknown subdivision {src.subdiv!r} of {src.country}; its subdivisions: "
                f"{_options(countries[src.country]) or 'none'}")
    known = holidays.country_holidays(src.country).supported_categories
    for cat in src.categories:
        if cat not in known:
            return "categories", (f"unknown holiday category {cat!r} of {src.country}; its "
                                  f"categories: {_options(known)}")
    return None


@cache
def coverage(src: CalendarSource) -> tuple[int, int]:
    """The first and last year the ``holidays`` library knows this calendar's holidays for
    (its own ``start_year`` and ``end_year``: a market calendar may begin in 1999, and every
    calendar ends somewhere); outside them it would report no holidays at all.

    >>> coverage(CalendarSource(financial="XECB"))[0]
    1999
    """
    import holidays

    if src.financial is not None:
        table = holidays.financial_holidays(src.financial)
    else:
        assert src.country is not None
        table = holidays.country_holidays(src.country, subdiv=src.subdiv,
                                          categories=src.categories or None)
    return int(table.start_year), int(table.end_year)


def check_coverage(name: str, src: CalendarSource, codec: TimeCodec,
                   horizon: tuple[int, int]) -> str | None:
    """Why calendar ``name`` cannot serve the horizon (a year it has no holidays for, where
    every weekday would silently count as a business day), or None."""
    first, last = coverage(src)
    lo = date.fromordinal(horizon[0] // codec.per_day)
    hi = date.fromordinal(horizon[1] // codec.per_day)
    if first <= lo.year and hi.year <= last:
        return None
    what = f"financial: {src.financial}" if src.financial is not None else \
        f"country: {src.country}" + (f", subdiv: {src.subdiv}" if src.subdiv else "")
    fix = (f"start the horizon on {first}-01-01 or later" if lo.year < first
           else f"end the horizon on {last}-12-31 or earlier")
    return (f"calendar {name!r} ({what}) has holidays only for the years {first} to {last}, "
            f"but the horizon runs from {lo.isoformat()} to {hi.isoformat()}; {fix} "
            "(time.horizon), or choose a calendar that covers it")


@cache
def holiday_days(src: CalendarSource, first_year: int, last_year: int) -> frozenset[int]:
    """The day ordinals of the calendar's holidays in the years given (cached per process)."""
    import holidays

    years = range(first_year, last_year + 1)
    if src.financial is not None:
        table = holidays.financial_holidays(src.financial, years=years)
    else:
        assert src.country is not None
        table = holidays.country_holidays(src.country, subdiv=src.subdiv, years=years,
                                          categories=src.categories or None)
    return frozenset(d.toordinal() for d in table)


@dataclass(frozen=True)
class Segment:
    """For units ``start..end``: the value ``coef·u + const`` (``coef`` is 0 or 1)."""

    start: int
    end: int
    coef: int
    const: int


def _last_day(year: int, month: int) -> date:
    """The last day of a month, counted from ``year`` (``month`` may run past 12)."""
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, by ``relativedelta``'s end-of-month rule (Jan 31 + 1 month
    is the last day of February)."""
    from dateutil.relativedelta import relativedelta  # imported only by specs that use it

    result: date = day + relativedelta(months=months)
    return result


@dataclass(eq=False)
class Calendars:
    """The calendar functions of one spec, over its calendar range."""

    codec: TimeCodec
    fiscal_start: int
    business: dict[str, list[int]]
    """Each calendar's business days (ordinals) in the range, sorted."""
    lo_day: int
    hi_day: int
    _cache: dict[tuple[object, ...], object] = field(default_factory=dict)

    @classmethod
    def build(cls, codec: TimeCodec, horizon: tuple[int, int], fiscal_start: int,
              sources: dict[str, CalendarSource]) -> Calendars:
        first = date.fromordinal(horizon[0] // codec.per_day).year - MARGIN_YEARS
        last = date.fromordinal(horizon[1] // codec.per_day).year + MARGIN_YEARS
        lo, hi = date(first, 1, 1).toordinal(), date(last, 12, 31).toordinal()
        business = {}
        for name, src in sources.items():
            off = holiday_days(src, first, last)
            business[name] = [d for d in range(lo, hi + 1) if d % 7 not in (0, 6) and d not in off]
        return cls(codec, fiscal_start, business, lo, hi)

    # ------------------------------------------------------------ days and units

    def day_of(self, time: int) -> int:
        """The day (ordinal, clamped to the range) of a time, in the spec's zone."""
        day = time if self.codec.unit == "day" else self.codec.datetime_of(time).date().toordinal()
        return min(self.hi_day, max(self.lo_day, day))

    def start_of(self, day: int) -> int:
        """The first unit of a day (the day itself, or its first minute in the zone)."""
        if self.codec.unit == "day":
            return day
        key = ("start", day)
        if key not in self._cache:
            self._cache[key] = self.codec.encode_day(date.fromordinal(day))
        start: int = self._cache[key]  # type: ignore[assignment]
        return start

    # ------------------------------------------------------------ the functions

    def apply(self, fn: str, args: tuple[int, ...], calendar: str | None) -> int | bool | str:
        """The value of a calendar function (the concrete model's, and constant folding's)."""
        if fn == "later_of":
            return max(args)
        if fn == "earlier_of":
            return min(args)
        value = self.day_value(fn, self.day_of(args[0]), args[1] if len(args) > 1 else 0,
                               calendar)
        result = (FUNCTIONS.get(fn) or INTERNAL[fn]).result
        if result == "weekday":
            return WEEKDAYS[value]
        if result == "bool":
            return bool(value)
        return self.start_of(value)

    def day_value(self, fn: str, day: int, n: int, calendar: str | None) -> int:
        """The function on one day of the range: a day ordinal, a weekday index or 0/1."""
        d = date.fromordinal(day)
        match fn:
            case "weekday":
                return d.weekday()
            case "add_months":
                return add_months(d, n).toordinal()
            case "month_end" | "is_month_end":
                end = _last_day(d.year, d.month)
            case "quarter_end" | "is_quarter_end":
                end = _last_day(d.year, d.month + (-d.month) % 3)
            case "year_end":
                end = date(d.year, 12, 31)
            case "fiscal_quarter_end" | "is_fiscal_quarter_end":
                end = _last_day(d.year, d.month + 2 - (d.month - self.fiscal_start) % 3)
            case "fiscal_year_end" | "is_fiscal_year_end":
                end = _last_day(d.year, d.month + 11 - (d.month - self.fiscal_start) % 12)
            case _:
                assert calendar is not None
                return self._business(fn, day, n, self.business[calendar])
        if fn.startswith("is_"):
            return int(end == d)
        return end.toordinal()

    def _business(self, fn: str, day: int, n: int, days: list[int]) -> int:
        """A business-day function on one day; past the range's business days, its last."""
        def at(i: int) -> int:
            return days[min(len(days) - 1, max(0, i))]
        after, before = bisect_right(days, day), bisect_left(days, day)
        match fn:
            case "business_day":
                return int(after != before)
            case "next_business_day":
                return at(after)
            case "previous_business_day":
                return at(before - 1)
            case "following":
                return at(before)
            case "preceding":
                return at(after - 1)
            case "modified_following":
                ahead = at(before)
                same = date.fromordinal(ahead).month == date.fromordinal(day).month
                return ahead if same else at(after - 1)
            case "add_business_days":
                return at(before) if n == 0 else at(after + n - 1) if n > 0 else at(before + n)
        raise KeyError(fn)

    # ------------------------------------------------------------ tables for the prover

    def segments(self, fn: str, n: int, calendar: str | None) -> list[Segment]:
        """The function as segments covering the range's units, in order, merged where the
        value is one linear piece (``coef·u + const``)."""
        key = ("segments", fn, n, calendar)
        if key not in self._cache:
            self._cache[key] = self._segments(lambda d: self.day_value(fn, d, n, calendar),
                                              FUNCTIONS.get(fn, INTERNAL.get(fn)))
        out: list[Segment] = self._cache[key]  # type: ignore[assignment]
        return out

    def _segments(self, value: Callable[[int], int], sig: Signature | None) -> list[Segment]:
        timed = sig is not None and sig.result == "time"
        linear = timed and self.codec.unit == "day"
        out: list[Segment] = []
        for day in range(self.lo_day, self.hi_day + 1):
            v = value(day)
            start, end = self.start_of(day), self.start_of(day + 1) - 1
            const = self.start_of(v) if timed else v
            last = out[-1] if out else None
            if last is not None and last.coef == 0 and last.const == const:
                out[-1] = Segment(last.start, end, 0, const)
            elif last is not None and linear and last.coef == 1 and start + last.const == const:
                out[-1] = Segment(last.start, end, 1, last.const)
            elif last is not None and linear and last.start == last.end \
                    and last.const - last.start == const - start:
                out[-1] = Segment(last.start, end, 1, const - start)  # a run of t + k
            else:
                out.append(Segment(start, end, 0, const))
        return out

    def ranges(self, fn: str, calendar: str | None, equals: int = 1) -> list[tuple[int, int]]:
        """The unit ranges of the range's days where the function's day value is ``equals``
        (a test's truth, or a weekday's index)."""
        key = ("ranges", fn, calendar, equals)
        if key not in self._cache:
            out: list[tuple[int, int]] = []
            for day in range(self.lo_day, self.hi_day + 1):
                if self.day_value(fn, day, 0, calendar) != equals:
                    continue
                start, end = self.start_of(day), self.start_of(day + 1) - 1
                if out and out[-1][1] + 1 == start:
                    out[-1] = (out[-1][0], end)
                else:
                    out.append((start, end))
            self._cache[key] = out
        result: list[tuple[int, int]] = self._cache[key]  # type: ignore[assignment]
        return result

    @property
    def first_unit(self) -> int:
        return self.start_of(self.lo_day)

    @property
    def last_unit(self) -> int:
        return self.start_of(self.hi_day + 1) - 1


def load(decl: TimeDomain, codec: TimeCodec, horizon: tuple[int, int],
         fail: Callable[[tuple[str | int, ...], str], Exception]) -> Calendars:
    """The calendars a spec declares under ``time:``; ``fail(path, message)`` for a bad one."""
    sources: dict[str, CalendarSource] = {}
    for name, cal in decl.calendars.items():
        src = CalendarSource(cal.financial, cal.country, cal.subdiv, tuple(cal.categories))
        problem = check_source(src)
        if problem is not None:
            key, message = problem
            present = getattr(cal, key) not in (None, ())
            raise fail(("time", "calendars", name, *((key,) if present else ())), message)
        uncovered = check_coverage(name, src, codec, horizon)
        if uncovered is not None:
            raise fail(("time", "calendars", name), uncovered)
        sources[name] = src
    return Calendars.build(codec, horizon, decl.fiscal_year_start, sources)


EMPTY = Calendars(DAYS, 1, {}, date(1, 1, 2).toordinal(), date(1, 1, 2).toordinal())
"""A placeholder for programs built without a loader (tests that construct one by hand)."""

