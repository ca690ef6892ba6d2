"""Calendars (docs/spec-language.md, "Calendars"; docs/semantics.md, "Calendars"): the
functions against the holidays library and relativedelta, the prover's tables against the
concrete model, runs against trying every unit, and dates shown as dates (issue 11, item 8).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_profiles import examples

from formal.cli import main
from formal.engine import Engine
from formal.verdict import Verdict
from model.calendars import Calendars, CalendarSource
from model.concrete import Context, holds
from model.load import check_question, load_spec
from model.program import Program
from model.timecodec import DAYS, TimeCodec
from model.timeline import Event, Timeline

SPEC = """\
agreement: {id: cal, title: A calendar test, date: 2008-01-18}
time:
  horizon: [2008-01-01, 2009-12-31]
  fiscal_year_start: 10
  calendars:
    banking: {financial: NYSE}
    nc: {country: US, subdiv: NC}
actors:
  - {id: lender, name: Lender}
events:
  Notice: {doc: A notice of borrowing., fields: {by: Actor, period_end: time}}
  Borrowing: {doc: A borrowing.}
clauses:
  - id: "1"
    text: A borrowing needs three business days' notice.
    rules:
      - define: "noticed(b: Borrowing) := exists n: Notice. n.date <= b.date and
          add_business_days(n.date, 3, banking) <= b.date"
      - forbid: "b: Borrowing when not noticed(b)"
statuses:
  - {id: quarter_end, label: A fiscal quarter end, formula: is_fiscal_quarter_end(t)}
scenarios:
  - id: early
    description: A notice on Friday and a borrowing on Monday.
    events:
      - {id: n, date: 2008-01-18, kind: Notice, by: lender, period_end: 2007-12-31}
      - {id: b, date: 2008-01-22, kind: Borrowing}
    breaches: [{event: b, clause: "1"}]
"""


def d(text: str) -> int:
    return DAYS.parse(text)


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory) -> Program:
    path = tmp_path_factory.mktemp("cal") / "cal.yaml"
    path.write_text(SPEC, encoding="utf-8")
    return load_spec(path)


def ask(program: Program, text: str) -> Verdict:
    program, query = check_question(program, text)
    return Engine(program).answer(query, {}).verdict


def test_business_days_follow_the_nyse_calendar(program: Program) -> None:
    """Martin Luther King Jr. Day 2008 (Monday, January 21) is an NYSE holiday."""
    cals = program.calendars
    assert cals.apply("business_day", (d("2008-01-21"),), "banking") is False
    assert cals.apply("business_day", (d("2008-01-22"),), "banking") is True
    assert DAYS.show(cals.apply("next_business_day", (d("2008-01-18"),), "banking")) == "2008-01-22"
    assert DAYS.show(cals.apply("previous_business_day", (d("2008-01-22"),), "banking")) == "2008-01-18"
    assert DAYS.show(cals.apply("following", (d("2008-01-19"),), "banking")) == "2008-01-22"
    assert DAYS.show(cals.apply("preceding", (d("2008-01-21"),), "banking")) == "2008-01-18"
    assert DAYS.show(cals.apply("add_business_days", (d("2008-01-18"), 3), "banking")) == "2008-01-24"
    assert DAYS.show(cals.apply("add_business_days", (d("2008-01-22"), -1), "banking")) == "2008-01-18"
    # modified following: May 31, 2008 is a Saturday; the next business day is in June
    assert DAYS.show(cals.apply("modified_following", (d("2008-05-31"),), "banking")) == "2008-05-30"
    assert cals.apply("weekday", (d("2008-01-18"),), None) == "friday"


def test_periods_and_fiscal_years(program: Program) -> None:
    """Fiscal years start in October: November 2, 2007 lies in the fiscal year ending
    September 30, 2008, and in the fiscal quarter ending December 31, 2007."""
    cals = program.calendars
    show = {fn: DAYS.show(cals.apply(fn, (d("2008-11-02"),), None))  # type: ignore[arg-type]
            for fn in ("month_end", "quarter_end", "year_end", "fiscal_quarter_end",
                       "fiscal_year_end")}
    assert show == {"month_end": "2008-11-30", "quarter_end": "2008-12-31",
                    "year_end": "2008-12-31", "fiscal_quarter_end": "2008-12-31",
                    "fiscal_year_end": "2009-09-30"}
    assert cals.apply("is_fiscal_year_end", (d("2008-09-30"),), None) is True
    assert cals.apply("is_fiscal_quarter_end", (d("2008-06-30"),), None) is True
    assert cals.apply("is_fiscal_quarter_end", (d("2008-05-31"),), None) is False


@settings(max_examples=examples(dev=60, ci=400))
@given(st.dates(date(2007, 1, 1), date(2010, 12, 31)), st.integers(-30, 30))
def test_month_arithmetic_is_relativedelta(day: date, months: int) -> None:
    """``t + n months`` is python-dateutil's relativedelta (Jan 31 + 1 month = Feb 28/29)."""
    cals = Calendars.build(DAYS, (d("2008-01-01"), d("2009-12-31")), 1, {})
    got = cals.apply("add_months", (day.toordinal(), months), None)
    assert got == (day + relativedelta(months=months)).toordinal()


@pytest.mark.parametrize("unit", ["day", "minute"])
def test_segments_are_the_function(unit: str) -> None:
    """The prover's tables (segments) give the concrete model's value at every unit of
    every day, in days and in minutes (each function on the day of its time)."""
    codec = TimeCodec(unit, "America/New_York")  # type: ignore[arg-type]
    horizon = (codec.parse("2008-01-01"), codec.parse("2008-03-31"))
    cals = Calendars.build(codec, horizon, 10, {"b": CalendarSource(financial="NYSE")})
    for fn, n in (("following", 0), ("modified_following", 0), ("add_business_days", 2),
                  ("add_business_days", -2), ("month_end", 0), ("fiscal_year_end", 0),
                  ("add_months", 1)):
        segs = cals.segments(fn, n, "b")
        assert segs[0].start == cals.first_unit and segs[-1].end == cals.last_unit
        for seg in segs[:: max(1, len(segs) // 200)]:
            for u in {seg.start, seg.end, (seg.start + seg.end) // 2}:
                assert seg.coef * u + seg.const == cals.apply(fn, (u, n), "b"), (fn, n, u)


QUESTIONS = [
    ("can exists n: Notice. weekday(n.date) = friday and n.date < 2008-01-05", Verdict.YES),
    ("can exists n: Notice. weekday(n.date) = saturday and business_day(n.date, banking)",
     Verdict.NO),
    ("must forall t: time. business_day(following(t, banking), banking)", Verdict.YES),
    ("must forall t: time. following(t, banking) >= t and preceding(t, banking) <= t", Verdict.YES),
    ("must 2008-01-31 + 1 month = 2008-02-29", Verdict.YES),
    ("must 2008-11-30 - 1 quarter = 2008-08-30", Verdict.YES),
    ("can exists t: time. is_fiscal_year_end(t) and t < 2009-01-01 and t != 2008-09-30",
     Verdict.NO),
    ("must forall q: time. is_fiscal_quarter_end(q) implies q = fiscal_quarter_end(q)",
     Verdict.YES),
    ("can exists b: Borrowing. not forbidden(b) and b.date < 2008-01-24 and b.date > 2008-01-18",
     Verdict.YES),  # noticed by a notice before the 18th
    ("must forall n: Notice, b: Borrowing. n.date = 2008-01-18 and b.date = 2008-01-23 and "
     "(forall m: Notice. m.date = n.date) implies forbidden(b)", Verdict.YES),
    ("must forall t: time. t <= 2009-11-30 implies later_of(t, 2008-06-01) >= t and "
     "(exists u: time. u = t + 1 month and u > t)", Verdict.YES),
    ("can exists t: time. business_day(t, banking) and not business_day(t, nc)", Verdict.YES),
    ("can exists t: time. business_day(t, nc) and not business_day(t, banking)", Verdict.NO),
]


@pytest.mark.parametrize("text,right", QUESTIONS)
def test_prover_decides_calendar_questions(program: Program, text: str, right: Verdict) -> None:
    """Each answer is exact (never unknown), with its witness replayed by the engine."""
    assert ask(program, text) == right


def test_runs_agree_with_every_unit(program: Program) -> None:
    """The runs of calendar functions (model/calendar_runs.py) against trying every day."""
    events = (Event("n", "Notice", d("2008-03-07"), (("by", "lender"), ("period_end", d("2008-02-29"))),
                    ("period_end",)),)
    formulas = [
        "forall t: time. weekday(t) = sunday implies not business_day(t, banking)",
        "exists t: time. add_business_days(t, 2, banking) = 2008-03-11",
        "exists t: time. next_business_day(t, banking) = t + 3 and is_month_end(t)",
        "forall t: time. later_of(t, 2008-06-01) > earlier_of(t + 1 month, t + 20)",
        "exists t: time. exists n: Notice. modified_following(n.date + 1 month, banking) = t "
        "and t - n.date = 31",
        "forall t: time. fiscal_year_end(t) >= t and (t - 1 year) < t",
    ]
    for text in formulas:
        _, query = check_question(program, f"can {text}")
        fast = Context(program, Timeline(events), program.default_readings())
        slow = Context(program, Timeline(events), program.default_readings(), exhaustive=True)
        assert holds(query.body, {}, fast) == holds(query.body, {}, slow), text


def test_minute_unit_returns_the_start_of_the_day(tmp_path: Path) -> None:
    """With unit minute, a calendar function gives the start of the resulting day in the zone."""
    text = SPEC.replace("time:\n", "time:\n  unit: minute\n  zone: America/New_York\n")
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    program = load_spec(path)
    codec = program.codec
    got = program.calendars.apply("month_end", (codec.parse("2008-02-10T17:00"),), None)
    assert codec.show(int(got)) == "2008-02-29 00:00 EST"
    assert ask(program, "must forall t: time. month_end(t) + 17 hours > t or is_month_end(t)") \
        == Verdict.YES


def test_dates_are_shown_as_dates(program: Program, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 11, item 8: a time-typed field prints as a date in simulate, --json and check."""
    path = tmp_path / "cal.yaml"
    path.write_text(SPEC, encoding="utf-8")
    assert main(["simulate", str(path), "early"]) == 0
    text = capsys.readouterr().out
    assert "period_end=2007-12-31" in text and str(d("2007-12-31")) not in text
    assert main(["simulate", "--json", str(path), "early"]) == 0
    out = json.loads(capsys.readouterr().out)
    shown = json.dumps(out)
    assert "2007-12-31" in shown and str(d("2007-12-31")) not in shown
    main(["ask", str(path), "can exists n: Notice. n.period_end > n.date"])
    assert re.search(r"period_end=2\d{3}-\d\d-\d\d", capsys.readouterr().out)
    main(["ask", "--json", str(path), "can exists n: Notice. n.period_end > n.date"])
    answer = capsys.readouterr().out
    assert not re.search(r"\b7[0-9]{5}\b", answer), answer  # no day ordinal anywhere
    events = json.loads(answer)["results"][0]["by_reading"][0]["witness"]["events"]
    assert all(isinstance(e["period_end"], str) and e["period_end"][4] == "-" for e in events)


def test_a_time_running_backwards(program: Program) -> None:
    """A calendar function of a time with coefficient -1 (``d + (d - t)``): the reference
    falls back to trying every day, the prover keeps every branch condition; both exact."""
    text = ("must forall t: time. t >= 2008-03-01 and t <= 2008-03-31 implies "
            "business_day(following(2008-03-15 + (2008-03-15 - t), banking), banking)")
    assert ask(program, text) == Verdict.YES
    wrong = ("must forall t: time. t >= 2008-03-01 and t <= 2008-03-31 implies "
             "following(2008-03-15 + (2008-03-15 - t), banking) = 2008-03-15 + (2008-03-15 - t)")
    assert ask(program, wrong) == Verdict.NO


def test_minute_runs_agree_with_every_minute(tmp_path: Path) -> None:
    """With unit minute, the pieces of a calendar function (one per day) against trying
    every minute of a five-day horizon across a month's end and a weekend."""
    text = SPEC.replace("time:\n  horizon: [2008-01-01, 2009-12-31]",
                        "time:\n  unit: minute\n  zone: America/New_York\n"
                        "  horizon: [2008-02-27, 2008-03-02]")
    text = text[:text.index("scenarios:")]
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    program = load_spec(path)
    formulas = [
        "exists t: time. month_end(t) + 17 hours < t and t < 2008-03-01",
        "forall t: time. following(t, banking) <= t + 3 days",
        "exists t: time. later_of(t, 2008-02-28T12:00) = t and is_month_end(t)",
        "forall t: time. business_day(t, banking) iff weekday(t) != saturday and "
        "weekday(t) != sunday",
        "exists t: time. t + 1 month = 2008-03-29",
    ]
    for formula in formulas:
        _, query = check_question(program, f"can {formula}")
        fast = Context(program, Timeline(()), program.default_readings())
        slow = Context(program, Timeline(()), program.default_readings(), exhaustive=True)
        truth = holds(query.body, {}, fast)
        assert truth == holds(query.body, {}, slow), formula
        if "exists t" in formula:  # closed and event-free: the prover says the same
            assert ask(program, f"can {formula}") == (Verdict.YES if truth else Verdict.NO)


@pytest.mark.parametrize("calendar,horizon,first,last,fix", [
    ("{financial: XECB}", "[1997-06-01, 2001-12-31]", 1999, 2100, "start the horizon on 1999-01-01"),
    ("{financial: JPX}", "[2098-01-01, 2100-06-30]", 1949, 2099, "end the horizon on 2099-12-31"),
])
def test_a_calendar_must_cover_the_horizon(tmp_path: Path, calendar: str, horizon: str,
                                           first: int, last: int, fix: str) -> None:
    """Issue 11 (engine gaps, item 3): the holidays library knows a calendar's holidays only
    for its own years (``start_year``, ``end_year``); a horizon beyond them would count every
    weekday there as a business day. Refused, naming the calendar, its years and the horizon."""
    import holidays

    from model.errors import SpecError

    table = holidays.financial_holidays(calendar.split()[-1].rstrip("}"))
    assert (table.start_year, table.end_year) == (first, last)  # the library's own coverage
    text = SPEC.replace("[2008-01-01, 2009-12-31]", horizon).replace(
        "{financial: NYSE}", calendar).replace("scenarios:", "x_scenarios:").split("x_scenarios:")[0]
    path = tmp_path / "cover.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as err:
        load_spec(path)
    message = str(err.value)
    assert re.match(r".*cover\.yaml:\d+:\d+: error: calendar 'banking' ", message), message
    assert f"has holidays only for the years {first} to {last}" in message
    assert fix in message
    covered = text.replace(horizon, "[2008-01-01, 2009-12-31]")
    path.write_text(covered, encoding="utf-8")
    assert load_spec(path).calendars.business
