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
STATUS = {"ok": "as the spec's author expected", "failed": "NOT as the spec's author expected",
          "unknown": "unknown: the solver gave up", "skipped": "skipped"}


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
    if check.status == "ok" and check.expected:
        out = f"the spec's author expected {check.expected}, and the answer agrees"
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
    """An answer in the appendix: the formula, the sentence, the grounds, the expectation."""
    lines = [f"### {code(q.id)}", "", text(q.text), "", code(q.formula) if q.formula else "", "",
             f"**{text(q.sentence)}**" if q.sentence else f"**{text(q.verdict)}**", ""]
    for o in q.outcomes:
        lines += outcome(o, clauses)
    return [*lines, f"*{status(q)}*", ""]


def answer(q: QuestionView) -> list[str]:
    """An answer in the memo: the question, the sentence, the sentences of the clauses quoted
    (indented under the list item; a clause quoted for an earlier answer is referred back to)."""
    again = [quote.label for quote in q.quotes if quote.repeat]
    said = f"**{text(q.sentence)}**" if q.sentence else ""
    if again:
        said += f" ({text(', '.join(again))}: quoted above.)"
    lines = [text(q.text), "", f"   {said}", ""]
    for quote in q.quotes:
        if not quote.repeat:
            label = quote.label[:1].upper() + quote.label[1:]
            lines += [f"   > {text(label)}: " + " ".join(f"“{text(x)}”" for x in quote.sentences),
                      ""]
    return lines


def memo(r: ReportContent) -> list[str]:
    """The memo's body: what the agreement does, the answers, the readings argued, the limits."""
    m = r.memo
    lines = [f"# {text(r.title)}", ""]
    if m.parties:
        lines += [f"**Parties:** {text('; '.join(m.parties))}  ", ""]
    lines += [f"**Dated:** as of {text(m.dated)}"
              + (f" · **Text:** {text(r.source)}" if r.source else "")
              + (" · **Readings fixed:** " + text(", ".join(f"{k}={v}" for k, v in r.matrix.fixed))
                 if r.matrix.fixed else ""), ""]
    if m.summary:
        lines += ["## What the agreement does", "", text(m.summary), ""]
    lines += ["## Answers", ""]
    for i, q in enumerate(r.questions, 1):
        head, *rest = answer(q)
        lines += [f"{i}. {head}", *rest]
    if m.readings:
        lines += ["## Where the text can be read more than one way", ""]
    for a in m.readings:
        turns = (", ".join(code(qid) for qid, _ in a.turns) + " turn" + ("s" if len(a.turns) == 1
                                                                           else "") + " on it."
                 if a.turns else "No answer turns on it.")
        lines += [f"### {code(a.name)}: {text(a.question)}", "", turns, ""]
        for o in a.options:
            lines += [f"- **{text(o.name)}**"
                      f"{' (the reading taken unless another is chosen)' if o.default else ''}"
                      f": {text(o.meaning)}"]
            if o.argument:
                lines.append(f"  - *Argument.* {text(o.argument)}")
            if o.authority:
                lines.append(f"  - *Authority.* {text(o.authority)}")
        lines.append("")
    lines += ["## What the model assumes and leaves out", ""]
    lines += [f"- {text(limit)}" for limit in m.limits]
    lines += [f"- **{text(label[:1].upper() + label[1:])}** is not modelled over time: {text(why)}"
              for label, why in m.assumptions]
    return [*lines, ""]


def matrix(r: ReportContent) -> list[str]:
    """Per question, the answer under each option of only the readings it turns on."""
    lines = ["## D. Readings by question", ""]
    if r.matrix.idle:
        lines += [f"No answer turns on {text(', '.join(r.matrix.idle))}.", ""]
    rows = []
    for q in (*r.questions, *r.invariants):
        cells = ("; ".join(f"{o.label}: {o.verdict}" for o in q.outcomes)
                 if len(q.outcomes) > 1 else f"{q.verdict} under every reading")
        if q.fixed:  # never "under every reading": only the fixed ones were asked
            under = ", ".join(f"{k}={v}" for k, v in q.fixed)
            cells = cells.replace(" under every reading", "")
            cells += " (asked only under " + under + ")"
        rows.append([code(q.id), text(", ".join(q.deciding)) or "—", text(cells)])
    return lines + table(["Question", "Turns on", "Answer"], rows)


def report_markdown(r: ReportContent) -> str:
    """The report of one spec as Markdown: the memo, then the appendix."""
    clauses = {c.id: c for c in r.clauses}
    counts = ", ".join(f"{n} {name}" for name, n in r.counts if n or name != "skipped")
    lines = [*memo(r), "---", "", "# Appendix", "", "## A. How each answer was reached", ""]
    for q in r.questions:
        lines += question(q, clauses)
    if r.invariants:
        lines += ["## B. What holds on every timeline", "",
                  "Proved for every timeline under every reading.", ""]
        for q in r.invariants:
            lines += question(q, clauses)
    if r.scenarios:
        lines += ["## C. Scenarios", ""]
        for s in r.scenarios:
            lines += [f"### {code(s.id)}", "", text(s.text), "",
                      f"**{text(s.verdict)}** · {status(s)}", ""]
            lines += [f"- not as expected: {text(x)}" for x in s.mismatches]
            if s.timeline:
                lines += timeline(s.timeline)
    lines += matrix(r)
    lines += ["## E. Sanity checks", "", f"{r.total} checks in all: {counts}.", ""]
    lines += table(["Check", "Verdict", "Result"],
                   [[f"{text(s.text)} ({code(s.id)})", f"**{text(s.verdict)}**", status(s)]
                    for s in r.sanity])
    lines += ["## F. The agreement", ""]
    for c in r.clauses:
        lines += quote(c)
        if c.cited_by:
            lines += ["Cited by: " + ", ".join(f"{code(q.id)} ({text(q.verdict)})"
                                               for q in c.cited_by), ""]
        if c.not_temporal:
            lines += [f"*Nothing to model over time:* {text(c.not_temporal)}", ""]
    return "\n".join([*lines, f"*{text(r.footer.line)}*", ""])


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
    return "\n".join([*lines, f"*{text(s.footer.line)}*", ""])
