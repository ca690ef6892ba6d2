"""A timeline drawn as inline SVG: a date axis scaled to the events, marks, and statuses as bands.

Geometry is computed here, in user units of a fixed-width view box that the page
scales; markup is in ``templates/timeline.svg.j2``. Every colour comes with
text: marks are labelled, band runs carry their value where it fits and a
``<title>`` everywhere, and the table under each drawing says it all again.

>>> from formal.report.timelines import TimelineView
>>> view = TimelineView("tl1", "empty", 731405, 731420, (), (), ())
>>> "<svg" in str(svg(view))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from model.timecodec import decode, encode, show

from .templating import environment
from .timelines import ClauseRef, Mark, TimelineView

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
    """Days to x: day ``d`` covers ``[start(d), start(d + 1))``; marks sit at its middle."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        self.day = (WIDTH - 2 * MARGIN) / (last - first + 1)

    def start(self, d: int) -> float:
        return round(MARGIN + (d - self.first) * self.day, 2)

    def middle(self, d: int) -> float:
        return round(MARGIN + (d - self.first + 0.5) * self.day, 2)


def _text_width(*lines: str) -> float:
    return max(len(line) for line in lines) * CHAR + 4


def mark_label(mark: Mark) -> tuple[str, str]:
    second = show(mark.day)
    if mark.breaches:
        second += " · BREACH of clause " + ", ".join(c.id for c in mark.breaches)
    return mark.label, second


def place_marks(marks: tuple[Mark, ...], scale: Scale) -> tuple[list[PlacedMark], int]:
    """Labels left to right, each in the first row where it overlaps none; returns rows used."""
    order = {"date": 0, "time": 1, "event": 2, "breach": 2}
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for mark in sorted(marks, key=lambda m: (m.day, order[m.kind])):
        x = scale.middle(mark.day)
        width = _text_width(*mark_label(mark))
        if x + width <= WIDTH - MARGIN:
            anchor, left = "start", x - 3
        else:
            anchor, left = "end", x + 3 - width
        left = max(left, MARGIN)
        span = (left, left + width)
        for i, row in enumerate(rows):
            if all(span[1] + GAP <= a or b + GAP <= span[0] for a, b in row):
                break
        else:
            i = len(rows)
            rows.append([])
        rows[i].append(span)
        label_x = left + 3 if anchor == "start" else left + width - 3
        placed.append(PlacedMark(mark, x, round(label_x, 2), 4 + i * ROW, anchor,
                                 mark_label(mark)[1]))
    return placed, len(rows)


def lane_boxes(view: TimelineView, scale: Scale, top: float) -> tuple[LaneBox, ...]:
    lanes = []
    for i, lane in enumerate(view.lanes):
        bands = []
        for run in lane.runs:
            start, end = max(run.start, view.first), min(run.end, view.last + 1)
            if end <= start:
                continue
            x, width = scale.start(start), round(scale.start(end) - scale.start(start), 2)
            title = f"{lane.label}: {run.text} from {show(start)} to {show(end - 1)}"
            bands.append(Band(x, width, run.text, run.on, title,
                              len(run.text) * CHAR + 8 <= width))
        lanes.append(LaneBox(lane.label, top + i * LANE, tuple(bands)))
    return tuple(lanes)


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def ticks(first: int, last: int, scale: Scale) -> tuple[Tick, ...]:
    """Dates for the axis: the finest of days, months or years that gives at most MAX_TICKS."""
    span = last - first + 1
    for step in DAY_STEPS:
        if span / step <= MAX_TICKS:
            days = [d for d in range(first, last + 1) if (d - 1) % step == 0]  # day 1 is a Monday
            return tuple(Tick(scale.middle(d), show(d)) for d in days)
    lo, hi = decode(first), decode(last)
    months = range(_month_index(lo) + (lo.day > 1), _month_index(hi) + 1)
    for step in MONTH_STEPS:
        chosen = [m for m in months if m % step == 0]
        if len(chosen) <= MAX_TICKS:
            return tuple(Tick(scale.start(encode(date(m // 12, m % 12 + 1, 1))),
                              date(m // 12, m % 12 + 1, 1).strftime("%b %Y")) for m in chosen)
    years = range(lo.year + (first != encode(date(lo.year, 1, 1))), hi.year + 1)
    for step in YEAR_STEPS:
        chosen = [y for y in years if y % step == 0]
        if len(chosen) <= MAX_TICKS:
            break
    return tuple(Tick(scale.start(encode(date(y, 1, 1))), str(y)) for y in chosen)


def layout(view: TimelineView) -> Drawing:
    """Where everything goes, in user units."""
    scale = Scale(view.first, view.last)
    marks, rows = place_marks(view.marks, scale)
    marks_bottom = 4 + max(rows, 1) * ROW
    lanes = lane_boxes(view, scale, marks_bottom + 4)
    axis_y = marks_bottom + 4 + len(lanes) * LANE + 6
    desc = (f"Days {show(view.first)} to {show(view.last)}. "
            + "; ".join(m.mark.detail for m in marks if m.kind in ("event", "breach"))
            + ". Statuses: " + "; ".join(
                f"{lane.label}: " + ", then ".join(f"{r.text} from {show(max(r.start, view.first))}"
                                                   for r in lane.runs)
                for lane in view.lanes))
    return Drawing(view.key, WIDTH, axis_y + 26, view.title, desc, tuple(marks), lanes,
                   ticks(view.first, view.last, scale), marks_bottom, axis_y)


def svg(view: TimelineView) -> Markup:
    """The drawing of one timeline, as markup to put inline in a page."""
    template = environment().get_template("timeline.svg.j2")
    return Markup(template.render(d=layout(view)))
