"""The memo's first pages: each answer as a sentence, each reading argued, what the model leaves out.

A partner reads "No. Paragraph 2: …" and the words of paragraph 2 that decide it,
not a verdict chip with an expectation mark. Every sentence here is built from the
suite's answer (its verdict, witness and cited clauses) and the spec's own prose
(its summary, readings with their arguments, ``not_temporal`` and ``limits``); the
formulas, sanity checks and the readings matrix go to the appendix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from model import ast
from model.money import show_value
from model.program import Program, Query
from model.prose import clause_quotes, quoted
from model.timeline import Event

from ..verdict import ReadingAnswer, Verdict, Witness
from .words import date_words, iso_in_words, join_words


@dataclass(frozen=True)
class Quote:
    """The sentences of one cited clause that hold what its rules encode."""

    clause: str
    label: str
    """``Paragraph 2`` or ``Section 8``: how the memo names the clause."""
    anchor: str
    sentences: tuple[str, ...]
    repeat: bool = False
    """The same sentences were quoted for an earlier answer: the memo refers back to them."""


@dataclass(frozen=True)
class AnswerSentence:
    id: str
    anchor: str
    question: str
    sentence: str
    quotes: tuple[Quote, ...]
    turns_on: tuple[str, ...]


@dataclass(frozen=True)
class OptionView:
    name: str
    meaning: str
    default: bool
    argument: str | None
    authority: str | None


@dataclass(frozen=True)
class ReadingView:
    name: str
    question: str
    options: tuple[OptionView, ...]
    turns: tuple[tuple[str, str], ...]
    """The questions whose answer turns on this reading: (id, anchor)."""


def part_word(program: Program) -> str:
    """What the agreement calls its numbered parts: ``Paragraph``, ``Section`` or ``Clause``.

    Read from the agreement's own cross-references ("subject to paragraph 2 hereof").
    """
    text = " ".join(c.text for c in program.clauses)
    counts = {word: len(re.findall(rf"\b{word}s?\s+\d", text, re.IGNORECASE))
              for word in ("Paragraph", "Section")}
    best = max(counts, key=lambda w: counts[w])
    return best if counts[best] else "Clause"


def clause_label(program: Program, clause_id: str, word: str) -> str:
    """``Paragraph 2``; a clause named by a word is named by its heading (``the preamble``)."""
    if clause_id[:1].isdigit():
        return f"{word} {clause_id}"
    heading = program.clause(clause_id).heading
    return f"the {heading[:1].lower()}{heading[1:]}" if heading else f"clause {clause_id}"


def reached(program: Program, query: Query | None) -> set[str] | None:
    """The predicates an answer to ``query`` can rest on (None: unknown, quote every rule)."""
    if query is None:
        return None
    return {node.pred for node in program.reachable([query.body]) if isinstance(node, ast.Call)}


def quote_of(program: Program, clause_id: str, names: set[str] | None, anchor: str,
             word: str) -> Quote:
    """The whole sentences of the clause holding the quotes of the rules the answer reaches."""
    excerpts = clause_quotes(program.spec, clause_id, sorted(names) if names is not None else None)
    if not excerpts:
        excerpts = clause_quotes(program.spec, clause_id, None)
    text = program.clause(clause_id).text
    return Quote(clause_id, clause_label(program, clause_id, word), anchor,
                 tuple(quoted(text, excerpts)))


def event_words(program: Program, event: Event) -> str:
    """``SeeksAcceleration by trustee of senior_subordinated_notes on July 25, 2003``."""
    fields = [f"{name} {_value_words(program, event.kind, name, value)}"
              for name, value in event.fields]
    what = f"{event.kind} ({', '.join(fields)})" if fields else event.kind
    return f"{what} on {date_words(program.codec, event.date)}"


def _value_words(program: Program, kind: str, name: str, value: object) -> str:
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and program.kinds[kind].get(name) == ast.TIME:
        return date_words(program.codec, value)
    return str(show_value(value, name in program.percent_fields(kind)))


def example_words(program: Program, witness: Witness) -> str:
    """A witness in one clause of a sentence: its events, then the values of the question's variables."""
    events = [event_words(program, e) for e in witness.events]
    values = [f"{k} = {iso_in_words(program.codec, v)}" for k, v in witness.bindings]
    parts = []
    if events:
        parts.append(join_words(events))
    else:
        parts.append("no event at all")
    if values:
        parts.append("with " + join_words(values))
    return ", ".join(parts)


def verdict_word(verdict: Verdict | str) -> str:
    return {"yes": "yes", "no": "no", "unknown": "unknown", "depends": "it depends"}[str(verdict)]


def one_reading(program: Program, r: ReadingAnswer, mode: str, cited: Sequence[Quote]) -> str:
    """The sentence for one verdict: ``No. Paragraph 2:`` or ``Yes. For example, …``."""
    bound = f" (for timelines of at most {r.bound} events)" if r.bound is not None else ""
    if r.verdict is Verdict.UNKNOWN:
        return f"Unknown: the solver gave up within its budget ({r.reason})."
    if r.witness is not None:
        head = "Yes" if mode == "can" else "No"
        lead = "For example" if mode == "can" else "A counterexample"
        return f"{head}. {lead}: {example_words(program, r.witness)}."
    head = "No" if mode == "can" else "Yes, always"
    if not cited:
        return f"{head}{bound}, whatever the clauses say: the question answers itself."
    labels = [q.label for q in cited]
    if len(labels) > 1:
        word = labels[0].split(" ")[0]
        plural = word + "s" if all(lab.startswith(word + " ") for lab in labels) else ""
        names = join_words([lab.split(" ", 1)[1] if plural else lab for lab in labels])
        return f"{head}{bound}. {plural} {names}:".replace("  ", " ")
    return f"{head}{bound}. {labels[0][:1].upper()}{labels[0][1:]}:"


def depends_sentence(groups: Sequence[ReadingAnswer], deciding: Sequence[str]) -> str:
    """``It depends on how 'until' is read: no if exclusive, yes if inclusive.``"""
    names = join_words([f"'{n}'" for n in deciding])
    parts = []
    for r in groups:
        chosen = [v for k, v in r.readings if k in deciding] if len(deciding) == 1 else [
            f"{k} is {v}" for k, v in r.readings if k in deciding]
        parts.append(f"{verdict_word(r.verdict)} if {' and '.join(chosen)}")
    verb = "is" if len(deciding) == 1 else "are"
    return f"It depends on how {names} {verb} read: {'; '.join(parts)}."


def reading_views(program: Program, turns: dict[str, list[tuple[str, str]]]) -> tuple[
        ReadingView, ...]:
    """Every reading with its options' meanings, arguments and authority, in the spec's order."""
    out = []
    for name, decl in program.spec.readings.items():
        options = tuple(OptionView(o, meaning, o == decl.default,
                                   decl.arguments[o].argument if o in decl.arguments else None,
                                   decl.arguments[o].authority if o in decl.arguments else None)
                        for o, meaning in decl.options.items())
        out.append(ReadingView(name, decl.question, options, tuple(turns.get(name, ()))))
    return tuple(out)


def assumptions(program: Program, word: str) -> tuple[tuple[str, str], ...]:
    """What each clause with nothing to model says about itself (``not_temporal``), by label."""
    return tuple((clause_label(program, c.id, word), c.not_temporal) for c in program.clauses
                 if c.not_temporal)


def parties(program: Program) -> tuple[str, ...]:
    """The named parties: every actor the spec names as an entity (not "A holder of …")."""
    return tuple(a.name for a in program.spec.actors
                 if not re.match(r"(?i)(a|an|any)\s", a.name))
