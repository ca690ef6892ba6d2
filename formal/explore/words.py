"""Plain words for lawyers: dates as a person writes them, verdicts as sentences.

The explorer shows no formula unless asked; these helpers turn the engine's values
into the sentences the page prints.

>>> from model.timecodec import DAYS
>>> long_date(DAYS, DAYS.parse("2003-07-09"))
'July 9, 2003'
>>> clause_list(["1", "2"])
'paragraphs 1 and 2'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from model.timecodec import TimeCodec

from ..verdict import Verdict


def long_date(codec: TimeCodec, time: int) -> str:
    """``July 9, 2003``, or ``August 17, 2009, 5:00 p.m. CDT`` for a spec that counts minutes."""
    if codec.unit == "day":
        day = date.fromordinal(time)
        return f"{day:%B} {day.day}, {day.year}"
    moment = codec.datetime_of(time)
    hour = moment.hour % 12 or 12
    half = "a.m." if moment.hour < 12 else "p.m."
    return f"{moment:%B} {moment.day}, {moment.year}, {hour}:{moment:%M} {half} {moment.tzname()}"


def clause_list(ids: Sequence[str]) -> str:
    """``paragraph 2``, ``paragraphs 1 and 2``, ``paragraphs 1, 2 and 5``."""
    if not ids:
        return "no paragraph"
    if len(ids) == 1:
        return f"paragraph {ids[0]}"
    return f"paragraphs {', '.join(ids[:-1])} and {ids[-1]}"


def count(n: int, noun: str) -> str:
    """``1 event``, ``2 events``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def reading_answer_sentence(mode: str, verdict: Verdict, clauses: Sequence[str],
                            events: int | None, reason: str | None) -> str:
    """One reading's answer as a sentence: the verdict first, then its grounds."""
    if verdict is Verdict.UNKNOWN:
        return f"Unknown: the solver could not decide ({reason})."
    if events is not None:
        example = "an example" if mode == "can" else "a counterexample"
        size = "with no events" if events == 0 else f"with {count(events, 'event')}"
        head = "Yes, it can happen" if mode == "can" else "No, it need not hold"
        return f"{head}: here is {example} {size}."
    grounds = (f"{clause_list(list(clauses)).capitalize()} "
               f"{'makes' if len(clauses) == 1 else 'make'} it so."
               if clauses else "The question alone settles it, whatever the agreement says.")
    head = "No, it cannot happen" if mode == "can" else "Yes, it must hold"
    return f"{head}. {grounds}"


def verdict_sentence(mode: str, verdict: Verdict, turns: Sequence[str], many: bool) -> str:
    """The answer across readings, in one sentence (``many``: more than one reading was asked;
    ``turns``: the questions of the readings that decide it)."""
    if verdict is Verdict.DEPENDS:
        return ("It depends on how the agreement is read: " + " And: ".join(turns)
                if turns else "It depends on how the agreement is read.")
    if verdict is Verdict.UNKNOWN:
        return "Unknown: the solver could not decide within its budget."
    every = "under every reading, " if many else ""
    if mode == "can":
        return f"Yes: {every}it can happen." if verdict is Verdict.YES else \
            f"No: {every}it cannot happen."
    return f"Yes: {every}it must hold." if verdict is Verdict.YES else \
        f"No: {every}it need not hold."
