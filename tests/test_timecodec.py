"""The time codec (model/timecodec.py): one encoding of days and minutes, with its inverse.

Mirrors DESIGN.md, "Time and events": "Agreements that name a time of day and a zone
(5:00 p.m. Dallas time) need a finer unit: minutes, with the zone converted once, at the
codec", and STYLE.md item 8 (arithmetic that refuses ambiguity).
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.timecodec import DAYS, TimeCodec

DALLAS = TimeCodec("minute", "America/Chicago")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_days_round_trip(day: date) -> None:
    assert DAYS.show(DAYS.parse(day.isoformat())) == day.isoformat()


@given(st.integers(min_value=DALLAS.parse("1990-01-01"), max_value=DALLAS.parse("2030-12-31")))
def test_minutes_round_trip_through_their_iso_text(time: int) -> None:
    """Every minute shows as a wall-clock time with its offset, which parses back to it."""
    assert DALLAS.parse(DALLAS.iso(time)) == time


def test_dallas_five_pm_in_august_2009_is_ten_pm_utc() -> None:
    """Tietek §2: 5:00 p.m. (Dallas time) on August 17, 2009, daylight time (UTC−5)."""
    assert DALLAS.parse("2009-08-17T17:00") == DALLAS.parse("2009-08-17T22:00Z")
    assert DALLAS.parse("2009-08-17T17:00") == DALLAS.parse("2009-08-17T17:00-05:00")
    assert DALLAS.show(DALLAS.parse("2009-08-17T23:30Z")) == "2009-08-17 18:30 CDT"


def test_a_date_alone_is_the_start_of_that_day_in_the_zone() -> None:
    assert DALLAS.parse("2009-08-18") == DALLAS.parse("2009-08-18T00:00")
    assert DALLAS.parse("2009-08-18") - DALLAS.parse("2009-08-17") == DALLAS.duration(1, "day")


def test_durations_in_each_unit() -> None:
    assert DALLAS.duration(48, "hours") == 48 * 60
    assert DALLAS.duration(1, "minute") == 1
    assert DAYS.duration(3, "days") == 3
    with pytest.raises(ValueError, match="not a whole number of days"):
        DAYS.duration(36, "hours")


@pytest.mark.parametrize("text", ["2009-03-08T02:30", "2009-11-01T01:30"])
def test_wall_times_a_clock_change_skips_or_repeats_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="ambiguous in America/Chicago"):
        DALLAS.parse(text)


def test_time_of_day_is_refused_in_a_spec_that_counts_days() -> None:
    with pytest.raises(ValueError, match="counts time in days"):
        DAYS.parse("2003-07-09T10:00")


@pytest.mark.parametrize("text", ["2003-7-9", "2003-02-30", "2009-08-17T24:00", "July 9, 2003"])
def test_malformed_or_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        DALLAS.parse(text)


def test_unknown_zone_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        _ = TimeCodec("minute", "Mars/Olympus").tz
