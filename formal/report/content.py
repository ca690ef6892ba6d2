"""What a report says, as plain values built from the suite's results; HTML and Markdown only lay it out.

Nothing here asks the solver: every verdict, witness and citation comes from
:func:`formal.suite.check_program`, and every status along a timeline from the
concrete simulator.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import z3

from model import ast
from model.program import Program, Query
from model.simulate import Simulation
from model.timeline import Event

from .. import __version__
from ..render import question_times, readings_label
from ..suite import CheckResult, Status
from ..verdict import Answer, ReadingAnswer, Verdict
from .matrix import Matrix, ReadingAxis, reading_axes, readings_matrix
from .memo import (
    Quote,
    ReadingView,
    assumptions,
    depends_sentence,
    one_reading,
    part_word,
    parties,
    quote_of,
    reached,
    reading_views,
)
from .timelines import QUESTION_DATE, ClauseRef, TimelineView, clause_ref, timeline_view
from .words import date_words


@dataclass(frozen=True)
class Outcome:
    """The answer under one group of readings (or under every reading): verdict, then its grounds."""

    readings: tuple[tuple[str, str], ...]
    """The deciding readings of this group; empty when the answer is the same under every one."""
    verdict: str
    note: str
    timeline: TimelineView | None
    citations: tuple[ClauseRef, ...]

    @property
    def label(self) -> str:
        return readings_label(self.readings)


@dataclass(frozen=True)
class QuestionView:
    id: str
    kind: str
    anchor: str
    text: str
    formula: str
    verdict: str
    status: str
    expected: str | None
    detail: str
    deciding: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    sentence: str = ""
    """The answer as the memo says it: ``No. Paragraph 2:``, ``It depends on how 'until' …``."""
    quotes: tuple[Quote, ...] = ()
    """The sentences of the cited clauses that decide it, quoted after the sentence."""
    fixed: tuple[tuple[str, str], ...] = ()
    """The readings the question fixes itself: it was answered under no other."""


@dataclass(frozen=True)
class CheckRow:
    """A sanity check or a scenario in a table of results."""

    id: str
    kind: str
    text: str
    verdict: str
    status: str
    detail: str
    timeline: TimelineView | None = None
    mismatches: tuple[str, ...] = ()
    expected: str | None = None


@dataclass(frozen=True)
class Citer:
    id: str
    kind: str
    anchor: str
    verdict: str


@dataclass(frozen=True)
class ClauseView:
    id: str
    anchor: str
    heading: str
    paragraphs: tuple[str, ...]
    not_temporal: str | None
    cited_by: tuple[Citer, ...]

    @property
    def number(self) -> str:
        """``6(d).`` for a numbered clause; nothing for one named by a word (``preamble``)."""
        return f"{self.id}." if self.id[:1].isdigit() else ""

    @property
    def title(self) -> str:
        return " ".join(p for p in (self.number, self.heading or self.id) if p)


@dataclass(frozen=True)
class Footer:
    tool: str
    solver: str
    spec_file: str
    spec_sha256: str

    @property
    def line(self) -> str:
        """The line that closes every page: where it comes from, and what it is not."""
        return (f"Generated from spec {self.spec_file} (SHA-256 {self.spec_sha256}) by "
                f"{self.tool.replace('clausecheck ', 'clausecheck version ')} with "
                f"{self.solver}; not legal advice.")


@dataclass(frozen=True)
class Memo:
    """The first pages: who, when, what the agreement does, the answers, the readings, the limits."""

    parties: tuple[str, ...]
    dated: str
    summary: str | None
    readings: tuple[ReadingView, ...]
    assumptions: tuple[tuple[str, str], ...]
    """Each clause with nothing to model over time, by its label, with the reason."""
    limits: tuple[str, ...]


@dataclass(frozen=True)
class ReportContent:
    title: str
    name: str
    dated: str
    source: str | None
    counts: tuple[tuple[str, int], ...]
    """Checks by status (ok, failed, unknown, skipped), then questions by verdict."""
    verdicts: tuple[tuple[str, int], ...]
    sanity: tuple[CheckRow, ...]
    matrix: Matrix
    readings: tuple[ReadingAxis, ...]
    questions: tuple[QuestionView, ...]
    invariants: tuple[QuestionView, ...]
    scenarios: tuple[CheckRow, ...]
    clauses: tuple[ClauseView, ...]
    footer: Footer
    memo: Memo

    @property
    def total(self) -> int:
        return sum(n for _, n in self.counts)

    @property
    def verdict_summary(self) -> str:
        """``2 yes, 11 no, 4 depends``: the questions by verdict."""
        return ", ".join(f"{n} {v}" for v, n in self.verdicts if n) or "none"


def anchors(prefix: str, ids: Sequence[str]) -> dict[str, str]:
    """A unique HTML id per item: ``6(d)`` becomes ``clause-6-d``; clashes get a number."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for item in ids:
        slug = re.sub(r"[^A-Za-z0-9_]+", "-", item).strip("-") or "x"
        base = candidate = f"{prefix}-{slug}"
        for n in itertools.count(2):
            if candidate not in used:
                break
            candidate = f"{base}-{n}"
        used.add(candidate)
        out[item] = candidate
    return out


def outcome_groups(answer: Answer) -> list[ReadingAnswer]:
    """One answer per distinct verdict over the deciding readings, as the text output groups them."""
    return [ReadingAnswer(key, r.verdict, r.witness, r.clauses, r.bound, r.reason)
            for key, r in answer.outcomes()]


class _Builder:
    def __init__(self, program: Program, results: Sequence[CheckResult],
                 fixed: Mapping[str, str]) -> None:
        self.program = program
        self.results = results
        self.fixed = dict(fixed)
        self.clause_anchor = anchors("clause", [c.id for c in program.clauses])
        queries = (*program.questions, *program.invariants)
        self.query_anchor = anchors("q", [q.id for q in queries])
        self.queries = {q.id: q for q in queries}
        self.timelines = 0
        self.word = part_word(program)
        self.quoted: set[tuple[str, tuple[str, ...]]] = set()

    def key(self) -> str:
        self.timelines += 1
        return f"tl{self.timelines}"

    def outcome(self, query: Query | None, r: ReadingAnswer, mode: str, every: bool) -> Outcome:
        citations: tuple[ClauseRef, ...] = ()
        timeline = None
        if r.verdict is Verdict.UNKNOWN:
            note = str(r.reason)
        elif r.witness is not None:
            count = len(r.witness.events)
            size = "no events needed" if count == 0 else f"{count} event{'s' * (count > 1)}"
            note = f"{'an example' if mode == 'can' else 'a counterexample'} ({size})"
            if every:
                note += f"; the same under every reading (shown under {readings_label(r.readings)})"
            free = {n for n, _ in query.free} if query else set()
            times: dict[int, list[str]] = {}
            for name, t in r.witness.times:
                if name in free:  # a variable the question itself names
                    times.setdefault(t, []).append(name)
            for t in question_times(query.body if query else None):
                times.setdefault(t, []).append(QUESTION_DATE)
            named = {n.name for n in ast.walk(query.body) if isinstance(n, ast.TimeLit)
                     and n.name} if query else set()
            timeline = timeline_view(self.program, self.key(), note, r.witness.events,
                                     dict(r.readings), self.clause_anchor, times,
                                     r.witness.bindings, named=sorted(named))
        elif r.clauses is not None:
            names = reached(self.program, query)
            citations = tuple(clause_ref(self.program, c.clause, self.clause_anchor, names)
                              for c in r.clauses)
            note = (f"forced by clause{'s' * (len(citations) > 1)} "
                    f"{', '.join(c.id for c in citations)}" if citations
                    else "forced by the question alone, whatever the clauses say")
            if r.bound is not None:
                note += f" (for timelines of at most {r.bound} events: {r.reason})"
        else:
            note = r.reason or ""
        return Outcome(() if every else r.readings, str(r.verdict), note, timeline, citations)

    def question(self, result: CheckResult) -> QuestionView:
        query = self.queries.get(result.id)
        outcomes: list[Outcome] = []
        deciding: tuple[str, ...] = ()
        if result.answer is not None:
            answer = result.answer
            deciding = tuple(answer.deciding_readings())
            groups = outcome_groups(answer)
            every = len(groups) == 1 and len(answer.by_reading) > 1
            outcomes = [self.outcome(query, r, answer.mode, every) for r in groups]
        sentence, quotes = self.sentence(result, query)
        return QuestionView(result.id, result.kind, self.query_anchor[result.id], result.question,
                            result.formula, result.verdict, str(result.status), result.expected,
                            result.detail, deciding, tuple(outcomes), sentence, quotes,
                            result.answer.fixed if result.answer is not None else ())

    def sentence(self, result: CheckResult, query: Query | None) -> tuple[str, tuple[Quote, ...]]:
        """The memo's sentence for an answer, and the clause sentences it quotes."""
        answer = result.answer
        if answer is None or not answer.by_reading:
            return (f"Not answered: {result.detail}." if result.detail else ""), ()
        groups = outcome_groups(answer)
        if len(groups) > 1:
            deciding = answer.deciding_readings() or sorted({k for r in groups
                                                             for k, _ in r.readings})
            return depends_sentence(groups, deciding), ()
        first = groups[0]
        names = reached(self.program, query)
        quotes = []
        for c in first.clauses or ():
            quote = quote_of(self.program, c.clause, names, self.clause_anchor[c.clause],
                             self.word)
            key = (quote.clause, quote.sentences)
            quotes.append(dataclasses.replace(quote, repeat=key in self.quoted))
            self.quoted.add(key)
        return one_reading(self.program, first, answer.mode, quotes), tuple(quotes)

    def scenario(self, result: CheckResult) -> CheckRow:
        scenario = next(s for s in self.program.scenarios if s.id == result.id)
        sim = result.simulation
        assert sim is not None
        timeline = timeline_view(self.program, self.key(), "the scenario, simulated",
                                 scenario.events, sim.readings, self.clause_anchor, sim=sim)
        mismatches = tuple(f"{m.what}: expected {m.expected}, got {m.actual}"
                           for m in sim.mismatches)
        breaches = len(sim.breaches)
        verdict = f"{breaches} breach{'es' if breaches != 1 else ''}"
        return CheckRow(result.id, result.kind, result.question, verdict,
                        str(result.status), result.detail, timeline, mismatches)

    def clauses(self, questions: Sequence[QuestionView]) -> tuple[ClauseView, ...]:
        cited: dict[str, list[Citer]] = {}
        for q in questions:
            query = self.queries.get(q.id)
            ids = {c.id for o in q.outcomes for c in o.citations} | set(query.cites if query else ())
            for cid in ids:
                cited.setdefault(cid, []).append(Citer(q.id, q.kind, q.anchor, q.verdict))
        return tuple(ClauseView(c.id, self.clause_anchor[c.id], c.heading,
                                _paragraphs(c.text),
                                c.not_temporal, tuple(cited.get(c.id, ())))
                     for c in self.program.clauses)

    def build(self) -> ReportContent:
        program = self.program
        results = self.results
        questions = tuple(self.question(r) for r in results if r.kind == "question")
        invariants = tuple(self.question(r) for r in results if r.kind == "invariant")
        sanity = tuple(CheckRow(r.id, r.kind, r.question, r.verdict, str(r.status), r.detail)
                       for r in results if r.kind == "sanity")
        scenarios = tuple(self.scenario(r) for r in results if r.kind == "scenario")
        counts = tuple((str(s), sum(r.status is s for r in results)) for s in Status)
        verdicts = tuple((str(v), sum(q.verdict == str(v) for q in questions))
                         for v in (Verdict.YES, Verdict.NO, Verdict.DEPENDS, Verdict.UNKNOWN))
        agreement = program.spec.agreement
        footer = footer_of(program)
        turns: dict[str, list[tuple[str, str]]] = {}
        for q in questions:
            for name in q.deciding:
                turns.setdefault(name, []).append((q.id, q.anchor))
        memo = Memo(parties(program),
                    date_words(program.codec, program.codec.encode_day(
                        program.codec_day(agreement.date))),
                    agreement.summary, reading_views(program, turns),
                    assumptions(program, self.word), tuple(program.spec.limits))
        return ReportContent(agreement.title, agreement.id, agreement.date, agreement.source,
                             counts, verdicts, sanity,
                             readings_matrix(program, results, (*questions, *invariants),
                                             self.fixed), reading_axes(program), questions,
                             invariants, scenarios, self.clauses((*questions, *invariants)),
                             footer, memo)


def report_content(program: Program, results: Sequence[CheckResult],
                   fixed: Mapping[str, str] | None = None) -> ReportContent:
    """Everything one spec's report shows, from the results of ``check_program``."""
    return _Builder(program, results, fixed or {}).build()


@dataclass(frozen=True)
class SimulationContent:
    """One simulated timeline on a page of its own, with the text of the clauses it breaches."""

    name: str
    agreement: str
    title: str
    timeline: TimelineView
    mismatches: tuple[str, ...]
    clauses: tuple[ClauseView, ...]
    footer: Footer


def footer_of(program: Program) -> Footer:
    data = Path(program.file).read_bytes()
    return Footer(f"clausecheck {__version__}", f"Z3 {z3.get_full_version()}", program.file,
                  hashlib.sha256(data).hexdigest())


def simulation_content(program: Program, sim: Simulation, title: str,
                       events: Sequence[Event]) -> SimulationContent:
    """The page of ``clausecheck simulate --html``: the timeline drawn, breaches linked to clauses."""
    anchor = anchors("clause", [c.id for c in program.clauses])
    checked = {s.date: ["checkpoint"] for s in sim.steps if s.event is None}
    timeline = timeline_view(program, "tl1", title, events, sim.readings, anchor, checked,
                             sim=sim)
    breached = {b.clause for b in sim.breaches}
    clauses = tuple(ClauseView(c.id, anchor[c.id], c.heading, _paragraphs(c.text), c.not_temporal,
                               ()) for c in program.clauses if c.id in breached)
    mismatches = tuple(f"{m.what}: expected {m.expected}, got {m.actual}" for m in sim.mismatches)
    return SimulationContent(program.name, program.spec.agreement.title, title, timeline,
                             mismatches, clauses, footer_of(program))


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.strip().splitlines() if p.strip())
