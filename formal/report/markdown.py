"""The report as Markdown, for pasting into a memo or a review thread.

Markdown is line-oriented with its own escaping, so it is written by a few
small functions rather than a template; the content is the same
:class:`~formal.report.content.ReportContent` the HTML page shows. Timelines
are tables (a memo has no room for drawings), and each answer quotes the
clauses it cites.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .content import CheckRow, ClauseView, Outcome, QuestionView, ReportContent, SimulationContent
from .timelines import ClauseRef, TimelineView

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
STATUS = {"ok": "✓ as expected", "failed": "✗ FAILED", "unknown": "? UNKNOWN", "skipped": "skipped"}


def text(value: str) -> str:
    r"""Plain text that Markdown shows as written: ``a*b`` stays ``a\*b``; newlines become spaces.

    >>> text('Senior Note [Security Agreement] | 12 3/4%')
    'Senior Note \\[Security Agreement\\] \\| 12 3/4%'
    """
    return _SPECIAL.sub(r"\\\1", " ".join(value.split()))


def code(value: str) -> str:
    """``value`` as an inline code span that nothing in it can end: the fence is one backtick
    longer than any run of backticks inside, and newlines become spaces.

    >>> code("a`b")
    '``a`b``'
    >>> code("`x")
    '`` `x ``'
    """
    flat = " ".join(value.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """A GitHub-style table; cells are Markdown already (escape them with :func:`text`)."""
    head = list(head)
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def status(check: QuestionView | CheckRow) -> str:
    out = STATUS[check.status]
    return f"{out}: {text(check.detail)}" if check.detail else out


def quote(clause: ClauseView) -> list[str]:
    lines = [f"> **{text(clause.title)}**", ">"]
    for i, paragraph in enumerate(clause.paragraphs):
        if i:
            lines.append(">")
        lines.append(f"> {text(paragraph)}")
    return [*lines, ""]


def timeline(tl: TimelineView, caption: bool = True) -> list[str]:
    """The steps as a table, after a line with the values and readings (and the title)."""
    title = text(tl.title[:1].upper() + tl.title[1:].rstrip(".")) + ". " if caption else ""
    lines = [title + ("Where " + ", ".join(code(f"{k} = {v}") for k, v in tl.bindings) + ". "
                      if tl.bindings else "")
             + "Readings: " + text(", ".join(f"{k}={v}" for k, v in tl.readings)) + ".", ""]
    rows = []
    for row in tl.rows:
        event = f"**{text(row.event)}** {text(row.what)}" if row.event else f"*({text(row.what)})*"
        changes = " · ".join(text(c) for c in row.changes)
        for b in row.breaches:
            changes += f"{' · ' if changes else ''}**BREACH**: forbidden by {_ref(b)}"
        rows.append([text(row.date), event, changes])
    return lines + table(["Date", "Event", "What changed"], rows)


def _ref(c: ClauseRef) -> str:
    return f"clause {text(c.id)}" + (f" ({text(c.heading)})" if c.heading else "")


def outcome(o: Outcome, clauses: dict[str, ClauseView]) -> list[str]:
    head = f"- **{text(o.verdict)}**" + (f" under {text(o.label)}" if o.readings else "")
    lines = [f"{head}: {text(o.note)}", ""]
    if o.timeline:
        lines += timeline(o.timeline, caption=False)  # the line above says what it is
    for c in o.citations:
        lines += quote(clauses[c.id])
    return lines


def question(q: QuestionView, clauses: dict[str, ClauseView]) -> list[str]:
    turns = f" (turns on {text(', '.join(q.deciding))})" if q.verdict == "depends" and q.deciding \
        else ""
    expected = f" (expected {text(q.expected)})" if q.expected else ""
    lines = [f"### {code(q.id)}", "", text(q.text), "", code(q.formula) if q.formula else "", "",
             f"**Verdict: {q.verdict.upper()}**{turns} · {status(q)}{expected}", ""]
    for o in q.outcomes:
        lines += outcome(o, clauses)
    return lines


def matrix(r: ReportContent) -> list[str]:
    m = r.matrix
    lines = ["## Readings matrix", ""]
    for a in r.readings:
        lines.append(f"- **{text(a.name)}**: {text(a.question)}")
        lines += [f"  - {code(o)}{' (default)' if o == a.default else ''}: {text(meaning)}"
                  for o, meaning in a.options]
    lines.append("")
    if m.idle:
        lines += [f"No verdict turns on {text(', '.join(m.idle))}.", ""]
    if m.axes:
        lines += ["Columns:", ""]
        lines += [f"{i}. " + text(", ".join(f"{k}={v}" for k, v in column))
                  for i, column in enumerate(m.columns, 1)]
        lines.append("")
        head = ["Question", *(str(i) for i in range(1, len(m.columns) + 1))]
    else:
        head = ["Question", "every reading"]
    rows = [[code(row.id) + (" (turns)" if row.turns else ""), *(text(c) for c in row.cells)]
            for row in m.rows]
    return lines + table(head, rows)


def report_markdown(r: ReportContent) -> str:
    """The report of one spec as Markdown."""
    clauses = {c.id: c for c in r.clauses}
    counts = ", ".join(f"{n} {name}" for name, n in r.counts if n or name != "skipped")
    verdicts = ", ".join(f"{n} {v}" for v, n in r.verdicts if n)
    lines = [f"# {text(r.title)}", "",
             f"clausecheck report · {code(r.name)} · dated as of {text(r.dated)}"
             + (f" · source: {text(r.source)}" if r.source else "")
             + (" · readings fixed: " + text(", ".join(f"{k}={v}" for k, v in r.matrix.fixed))
                if r.matrix.fixed else ""), "",
             f"**{r.total} checks: {counts}** · {len(r.questions)} questions: {verdicts}", "",
             "## Sanity checks", ""]
    lines += table(["Check", "Verdict", "Result"],
                   [[f"{text(s.text)} ({code(s.id)})", f"**{text(s.verdict)}**", status(s)]
                    for s in r.sanity])
    lines += matrix(r)
    lines += ["## Questions", ""]
    for q in r.questions:
        lines += question(q, clauses)
    if r.invariants:
        lines += ["## Invariants", "", "Proved for every timeline under every reading.", ""]
        for q in r.invariants:
            lines += question(q, clauses)
    if r.scenarios:
        lines += ["## Scenarios", ""]
        for s in r.scenarios:
            lines += [f"### {code(s.id)}", "", text(s.text), "",
                      f"**{text(s.verdict)}** · {status(s)}", ""]
            lines += [f"- not as expected: {text(x)}" for x in s.mismatches]
            if s.timeline:
                lines += timeline(s.timeline)
    lines += ["## The agreement", ""]
    for c in r.clauses:
        lines += quote(c)
        if c.cited_by:
            lines += ["Cited by: " + ", ".join(f"{code(q.id)} ({text(q.verdict)})"
                                               for q in c.cited_by), ""]
        if c.not_temporal:
            lines += [f"*Nothing to model over time:* {text(c.not_temporal)}", ""]
    return "\n".join(lines + _footer(r.footer.tool, r.footer.solver, r.footer.spec_file,
                                     r.footer.spec_sha256))


def _footer(tool: str, solver: str, spec: str, sha: str) -> list[str]:
    return ["---", "", f"Made by {text(tool)} with {text(solver)} from {code(spec)} "
            f"(SHA-256 {code(sha)}).", ""]


def simulation_markdown(s: SimulationContent) -> str:
    """One simulated timeline as Markdown: its steps, breaches, and the clauses breached."""
    lines = [f"# {text(s.title)}", "", f"clausecheck simulation · {code(s.name)} · {text(s.agreement)}",
             ""]
    lines += [f"- not as expected: {text(x)}" for x in s.mismatches]
    lines += timeline(s.timeline)
    if s.clauses:
        lines += ["## Clauses breached", ""]
        for c in s.clauses:
            lines += quote(c)
    return "\n".join(lines + _footer(s.footer.tool, s.footer.solver, s.footer.spec_file,
                                     s.footer.spec_sha256))
