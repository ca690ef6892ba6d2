"""Generated agreements of any size, written as spec YAML and loaded like any other spec.

Each agreement is a family of waivers. Clause ``i`` waives defaults in a window of
its own (the windows never overlap), under a reading of its own that says whether
the window's last day is covered; a holder's act of one event kind rescinds it, and
while it stands the lender may not act (an act of another kind). Questions cycle
through six forms whose answers are known in advance, so every generated check is
expected to pass: a benchmark that measured wrong answers would measure nothing.

>>> text = agreement_yaml(Size(clauses=2, kinds=2, readings=1, questions=6))
>>> "waiver_active_2" in text
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

FIRST_WINDOW = date(2010, 3, 1)
WINDOW_DAYS = 45
WINDOW_GAP = 90


@dataclass(frozen=True)
class Size:
    """How big a generated agreement is."""

    clauses: int = 5
    kinds: int = 3
    """Event kinds; clause i is rescinded by kind i and forbids kind i + 1 (modulo kinds)."""
    readings: int = 2
    """Readings; clause i's window turns on reading i (modulo readings)."""
    questions: int = 12
    invariants: int = 0
    """Invariants, one per clause from the first (at most one per clause)."""
    all_readings_questions: int = 0
    """Questions that touch every clause, hence every reading: 2**readings combinations each."""
    seed: int = 0
    """Shifts every date by ``seed`` weeks, so that agreements of a portfolio differ."""


def _day(d: date) -> str:
    return d.isoformat()


def _window(size: Size, i: int) -> tuple[date, date]:
    start = FIRST_WINDOW + timedelta(weeks=size.seed, days=(i - 1) * WINDOW_GAP)
    return start, start + timedelta(days=WINDOW_DAYS)


def _kind(size: Size, n: int) -> str:
    return f"Act{(n - 1) % size.kinds + 1}"


def _reading(size: Size, i: int) -> str:
    return f"last_day_{(i - 1) % size.readings + 1}"


def _clause(size: Size, i: int) -> list[str]:
    trigger, forbidden = _kind(size, i), _kind(size, i + 1)
    reading = _reading(size, i)
    return [
        f'  - id: "{i}"',
        f"    heading: Waiver {i}",
        "    text: |",
        f"      The Lender waives, from start_{i} until end_{i}, any default of the Borrower; "
        f"the waiver is rescinded if a Holder acts ({trigger}), and while it stands the Lender "
        f"shall not act ({forbidden}).",
        "    rules:",
        f'      - define: "window_{i}(t: time) := t >= start_{i} and (if reading {reading} is '
        f'inclusive then t <= end_{i} else t < end_{i})"',
        f'      - define: "rescinded_{i}(t: time) := exists e: {trigger}. e.by = holder and '
        f'e.date <= t"',
        f'      - define: "waiver_active_{i}(t: time) := window_{i}(t) and not rescinded_{i}(t)"',
        f'      - forbid: "x: {forbidden} when x.by = lender and waiver_active_{i}(x.date)"',
    ]


def _question(size: Size, q: int) -> list[str]:
    """Question ``q``: one of six forms about clause ``q mod clauses``, with a known answer."""
    i = q % size.clauses + 1
    start, end = _window(size, i)
    form = q % 6
    trigger, forbidden = _kind(size, i), _kind(size, i + 1)
    inside = _day(start + timedelta(days=q % WINDOW_DAYS))
    if form == 0:
        formula, expect, cites = f"can waiver_active_{i}({_day(end)})", "depends", []
    elif form == 1:
        after = _day(end + timedelta(days=1 + q % 7))
        formula, expect, cites = f"can waiver_active_{i}({after})", "no", [i]
    elif form == 2:
        formula, expect, cites = f"can waiver_active_{i}({inside})", "yes", []
    elif form == 3:
        formula = (f"can exists e: {trigger}. e.by = holder and e.date <= t and "
                   f"waiver_active_{i}(t)")
        expect, cites = "no", [i]
    elif form == 4:
        formula, expect, cites = f"must waiver_active_{i}(t) implies t >= start_{i}", "yes", [i]
    else:
        formula = (f"can (exists x: {forbidden}. x.by = lender and x.date = {inside} and not "
                   f"forbidden(x)) and not (exists e: {trigger}. e.by = holder)")
        expect, cites = "no", [i]
    cite_text = f", cites: [{', '.join(repr(str(c)) for c in cites)}]" if cites else ""
    return [f'  - {{id: q{q + 1}, ask: "Question {q + 1} about waiver {i}", '
            f'formula: "{formula}", expect: "{expect}"{cite_text}}}']


def _all_readings_question(size: Size, n: int) -> list[str]:
    """Some waiver is active on the last day of waiver ``n``'s window: it turns on its reading."""
    i = n % size.clauses + 1
    _, end = _window(size, i)
    return [f'  - {{id: any{n + 1}, ask: "Is some waiver active on {_day(end)}?", '
            f'formula: "can any_waiver_active({_day(end)})", expect: "depends"}}']


def agreement_yaml(size: Size, name: str = "generated") -> str:
    """The spec text of one generated agreement of the given size."""
    lines = [
        f"# A generated agreement: {size}",
        "agreement:",
        f"  id: {name}",
        f"  title: Generated waivers ({size.clauses} clauses)",
        f"  date: {_day(_window(size, 1)[0])}",
        "time: {unit: day, horizon: [2000-01-01, 2040-12-31]}",
        "actors:",
        "  - {id: lender, name: The Lender}",
        "  - {id: borrower, name: The Borrower}",
        "  - {id: holder, name: A Holder of other debt}",
        "dates:",
    ]
    for i in range(1, size.clauses + 1):
        start, end = _window(size, i)
        lines += [f"  start_{i}: {_day(start)}", f"  end_{i}: {_day(end)}"]
    lines.append("events:")
    for k in range(1, size.kinds + 1):
        lines += [f"  Act{k}:", f"    doc: An act of kind {k}.", "    fields: {by: Actor}"]
    lines.append("readings:")
    for r in range(1, size.readings + 1):
        lines += [f"  last_day_{r}:",
                  "    question: Does a waiver that runs until a day cover that day?",
                  "    options: {exclusive: No, inclusive: Yes}",
                  "    default: exclusive"]
    if size.all_readings_questions:
        any_active = " or ".join(f"waiver_active_{i}(t)" for i in range(1, size.clauses + 1))
        lines += ["definitions:", f'  - define: "any_waiver_active(t: time) := {any_active}"']
    lines.append("clauses:")
    for i in range(1, size.clauses + 1):
        lines += _clause(size, i)
    lines += ["statuses:", "  - {id: active_1, label: Waiver 1 in force, "
              "formula: waiver_active_1(t)}"]
    lines.append("questions:")
    for q in range(size.questions):
        lines += _question(size, q)
    for n in range(size.all_readings_questions):
        lines += _all_readings_question(size, n)
    if size.invariants:
        lines.append("invariants:")
        for i in range(1, min(size.invariants, size.clauses) + 1):
            lines.append(f'  - {{id: inside-{i}, statement: "Waiver {i} stands only in its '
                         f'window.", formula: "waiver_active_{i}(t) implies (start_{i} <= t and '
                         f't <= end_{i})"}}')
    start, _ = _window(size, 1)
    lines += [
        "scenarios:",
        "  - id: lender-acts-early",
        "    description: The Lender acts two days into the first window; nobody else acts.",
        "    events:",
        f"      - {{id: act, date: {_day(start + timedelta(days=2))}, kind: {_kind(size, 2)}, "
        "by: lender}",
        "    expect:",
        f"      - {{at: {_day(start + timedelta(days=1))}, active_1: true}}",
        "    breaches:",
        '      - {event: act, clause: "1"}',
    ]
    return "\n".join(lines) + "\n"


def write_agreement(folder: Path, size: Size, name: str = "generated") -> Path:
    """Write one generated agreement as ``folder/NAME.yaml``; returns its path."""
    path = folder / f"{name}.yaml"
    path.write_text(agreement_yaml(size, name), encoding="utf-8")
    return path
