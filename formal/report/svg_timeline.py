"""A timeline drawn as inline SVG: a date axis scaled to the events, marks, and statuses as bands.

Geometry is computed here, in user units of a fixed-width view box that the page
scales; markup is in ``templates/timeline.svg.j2``. Every colour comes with
text: marks are labelled, band runs carry their value where it fits and a
``<title>`` everywhere, and the table under each drawing says it all again.

>>> from model.timecodec import DAYS
>>> from formal.report.timelines import TimelineView
>>> view = TimelineView("tl1", "empty", 731405, 731420, DAYS, (), (), ())
>>> "<svg" in str(svg(view))
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from babel.dates import format_date
from markupsafe import Markup

from model.timecodec import MINUTES_PER_DAY, TimeCodec

from .templating import environment
from .timelines import ClauseRef, Mark, TimelineView
from .words import LOCALE, date_words

WIDTH = 960
MARGIN = 14
ROW = 32
"""Height of one row of mark labels (a label line and a date line)."""
LANE = 40
BAND = 18
CHAR = 6.6
"""Average width of a character at the labels' 12px size, for keeping labels apart."""
GAP = 12
MAX_TICKS = 8
HOUR_STEPS = (1, 2, 3, 6, 12)
DAY_STEPS = (1, 2, 7, 14)
MONTH_STEPS = (1, 2, 3, 6)
YEAR_STEPS = (1, 2, 5, 10, 20, 50)


@dataclass(frozen=True)
class PlacedMark:
    mark: Mark
    x: float
    label_x: float
    label_y: float
    anchor: str
    date: str

    @property
    def kind(self) -> str:
        return self.mark.kind

    @property
    def breaches(self) -> tuple[ClauseRef, ...]:
        return self.mark.breaches


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    text: str
    on: bool
    title: str
    show_text: bool


@dataclass(frozen=True)
class LaneBox:
    label: str
    y: float
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str

    @property
    def anchor(self) -> str:
        """Labels near either end of the axis are kept inside the drawing."""
        half = len(self.label) * CHAR * 11 / 12 / 2
        if self.x - half < 0:
            return "start"
        return "end" if self.x + half > WIDTH else "middle"

    @property
    def label_x(self) -> float:
        return {"start": max(self.x - 4, 1), "end": min(self.x + 4, WIDTH - 1)}.get(
            self.anchor, self.x)


@dataclass(frozen=True)
class Drawing:
    key: str
    width: int
    height: float
    title: str
    desc: str
    marks: tuple[PlacedMark, ...]
    lanes: tuple[LaneBox, ...]
    ticks: tuple[Tick, ...]
    marks_bottom: float
    axis_y: float
    band: int = BAND
    left: int = MARGIN
    right: int = WIDTH - MARGIN


class Scale:
    """Times to x: time ``t`` (a day or a minute) covers ``[start(t), start(t + 1))``.

    Marks and ticks sit at the start of their day (or minute), where a status band
    changes when an event changes it.
    """

    def __init__(self, first: int, last: int, codec: TimeCodec) -> None:
        self.first = first
        self.unit = (WIDTH - 2 * MARGIN) / (last - first + 1)
        self.codec = codec

    def start(self, t: int) -> float:
        return round(MARGIN + (t - self.first) * self.unit, 2)



def _text_width(*lines: str) -> float:
    return max(len(line) for line in lines) * CHAR + 4


def mark_label(mark: Mark, codec: TimeCodec) -> tuple[str, str]:
    second = date_words(codec, mark.day)
    if mark.breaches:
        second += " · BREACH of clause " + ", ".join(c.id for c in mark.breaches)
    return mark.label, second


def place_marks(marks: tuple[Mark, ...], scale: Scale) -> tuple[list[PlacedMark], int]:
    """Labels left to right, each in the first row where it overlaps none; returns rows used."""
    order = {"date": 0, "time": 1, "event": 2, "breach": 2}
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for mark in sorted(marks, key=lambda m: (m.day, order[m.kind])):
        x = scale.start(mark.day)
        width = _text_width(*mark_label(mark, scale.codec))
        if x + width <= WIDTH - MARGIN:
            anchor, left = "start", x - 3
        else:
            anchor, left = "end", x + 3 - width
        left = max(left, MARGIN)
        span = (left, left + width)
        free = (i for i, row in enumerate(rows)
                if all(span[1] + GAP <= a or b + GAP <= span[0] for a, b in row))
        i = next(free, len(rows))
        if i == len(rows):
            rows.append([])
        rows[i].append(span)
        label_x = left + 3 if anchor == "start" else left + width - 3
        placed.append(PlacedMark(mark, x, round(label_x, 2), 4 + i * ROW, anchor,
                                 mark_label(mark, scale.codec)[1]))
    return placed, len(rows)


def span_text(codec: TimeCodec, start: int, end: int) -> str:
    """``from 2003-07-09 to 2003-08-10`` (days, both included), or ``from … until …`` (minutes)."""
    if codec.unit == "day":
        return f"from {codec.show(start)} to {codec.show(end - 1)}"
    return f"from {codec.show(start)} until {codec.show(end)}"


def lane_boxes(view: TimelineView, scale: Scale, top: float) -> tuple[LaneBox, ...]:
    lanes = []
    for i, lane in enumerate(view.lanes):
        bands = []
        for run in lane.runs:
            start, end = max(run.start, view.first), min(run.end, view.last + 1)
            if end <= start:
                continue
            x, width = scale.start(start), round(scale.start(end) - scale.start(start), 2)
            title = f"{lane.label}: {run.text} {span_text(view.codec, start, end)}"
            bands.append(Band(x, width, run.text, run.on, title,
                              len(run.text) * CHAR + 8 <= width))
        lanes.append(LaneBox(lane.label, top + i * LANE, tuple(bands)))
    return tuple(lanes)


def _day_start(codec: TimeCodec, day: date) -> int | None:
    """The time ``day`` begins, or None where the zone's clock skips or repeats midnight."""
    try:
        return codec.encode_day(day)
    except ValueError:
        return None


def _tick_dates(first: int, last: int, codec: TimeCodec) -> tuple[date, date]:
    if codec.unit == "day":
        return date.fromordinal(first), date.fromordinal(last)
    return codec.datetime_of(first).date(), codec.datetime_of(last).date()


def hour_ticks(first: int, last: int, codec: TimeCodec, scale: Scale) -> tuple[Tick, ...] | None:
    """Whole hours, for an axis of at most a few days in a spec that counts minutes."""
    hours = range(first + (-first) % 30, last + 1, 30)  # zone offsets are whole or half hours
    for step in HOUR_STEPS:
        chosen = [t for t in hours if (m := codec.datetime_of(t)).minute == 0
                  and m.hour % step == 0]
        if len(chosen) <= MAX_TICKS:
            out, previous = [], None
            for t in chosen:
                moment = codec.datetime_of(t)
                label = f"{moment:%H:%M}" if moment.date() == previous else f"{moment:%b %d %H:%M}"
                previous = moment.date()
                out.append(Tick(scale.start(t), label))
            return tuple(out)
    return None


def ticks(first: int, last: int, codec: TimeCodec, scale: Scale) -> tuple[Tick, ...]:
    """Times for the axis: the finest of hours, days, months or years that gives at most MAX_TICKS."""
    if codec.unit == "minute" and (last - first) <= 3 * MINUTES_PER_DAY:
        found = hour_ticks(first, last, codec, scale)
        if found is not None:
            return found
    lo, hi = _tick_dates(first, last, codec)
    span = (hi - lo).days + 1
    for step in DAY_STEPS:
        if span / step <= MAX_TICKS:
            days = [lo + timedelta(days=n) for n in range(span)]
            chosen = [d for d in days if (d.toordinal() - 1) % step == 0]  # day 1 is a Monday
            return _at_days(chosen, codec, scale, short_day)
    months = range(_month_index(lo) + (lo.day > 1), _month_index(hi) + 1)
    for step in MONTH_STEPS:
        picked = [m for m in months if m % step == 0]
        if len(picked) <= MAX_TICKS:
            return _at_days([date(m // 12, m % 12 + 1, 1) for m in picked], codec, scale,
                            lambda d: d.strftime("%b %Y"))
    years = range(lo.year + (lo != date(lo.year, 1, 1)), hi.year + 1)
    chosen_years: list[int] = []
    for step in YEAR_STEPS:
        chosen_years = [y for y in years if y % step == 0]
        if len(chosen_years) <= MAX_TICKS:
            break
    return _at_days([date(y, 1, 1) for y in chosen_years], codec, scale, lambda d: str(d.year))


def short_day(day: date) -> str:
    """An axis tick in words, as short as an ISO date: ``Jul 9, 2003`` (CLDR's medium form)."""
    return format_date(day, format="medium", locale=LOCALE)


def _at_days(days: list[date], codec: TimeCodec, scale: Scale,
             label: Callable[[date], str]) -> tuple[Tick, ...]:
    out = []
    for d in days:
        t = _day_start(codec, d)
        if t is not None:
            out.append(Tick(scale.start(t), label(d)))
    return tuple(out)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def layout(view: TimelineView) -> Drawing:
    """Where everything goes, in user units."""
    show = view.codec.show
    scale = Scale(view.first, view.last, view.codec)
    marks, rows = place_marks(view.marks, scale)
    marks_bottom = 4 + max(rows, 1) * ROW
    lanes = lane_boxes(view, scale, marks_bottom + 4)
    axis_y = marks_bottom + 4 + len(lanes) * LANE + 6
    desc = (f"From {show(view.first)} to {show(view.last)}. "
            + "; ".join(m.mark.detail for m in marks if m.kind in ("event", "breach"))
            + ". Statuses: " + "; ".join(
                f"{lane.label}: " + ", then ".join(f"{r.text} from {show(max(r.start, view.first))}"
                                                   for r in lane.runs)
                for lane in view.lanes))
    return Drawing(view.key, WIDTH, axis_y + 26, view.title, desc, tuple(marks), lanes,
                   ticks(view.first, view.last, view.codec, scale), marks_bottom, axis_y)


def svg(view: TimelineView) -> Markup:
    """The drawing of one timeline, as markup to put inline in a page."""
    template = environment().get_template("timeline.svg.j2")
    return Markup(template.render(d=layout(view)))
