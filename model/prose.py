"""The spec's prose for readers: clause sentences, the excerpts rules quote, reading arguments.

A report quotes a cited clause by whole sentences, never by a prefix cut where a
length limit fell. A rule may say which words it encodes (its ``quote``, a verbatim
excerpt of its clause); the report then quotes the sentence or sentences holding
them. The loader checks each excerpt against the clause text here, so a quote that
drifted from the text is an error at its own line, not a silent misquotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from model.checker import suggest

if TYPE_CHECKING:  # a report of a cached program imports pydantic only when it reads the spec
    from model.spec import Spec

ABBREVIATIONS = ("Inc", "Corp", "Co", "Ltd", "No", "Nos", "Mr", "Ms", "Dr", "St", "U.S",
                 "p.m", "a.m", "i.e", "e.g", "cf", "vs", "Sec", "L.P", "L.L.C", "N.A")
"""Words whose closing full stop ends no sentence (``Acme Rubber Group, Inc.``)."""
_BREAK = re.compile(r"(?<=[.?!:;])[\"”’)]*\s+(?=[\"“(]?[A-Z0-9])")


def flat(text: str) -> str:
    """``text`` with every run of white space made one space, as a reader sees it."""
    return " ".join(text.split())


def sentences(text: str) -> list[str]:
    """The clause's sentences in order, each as written (a line break always ends one).

    A full stop, question mark or exclamation mark followed by a capital starts a new
    sentence, except after an abbreviation; a colon or a semicolon does so only before a
    list item's letter in brackets or a new capitalised clause, which keeps each limb of a
    long proviso quotable on its own.

    >>> sentences("Acme Rubber Group, Inc. agrees. The Lender waives: (a) the default.")
    ['Acme Rubber Group, Inc. agrees.', 'The Lender waives: (a) the default.']
    """
    out: list[str] = []
    for line in text.strip().splitlines():
        line = flat(line)
        start = 0
        for match in _BREAK.finditer(line):
            head = line[start:match.start()].rstrip()
            ender = line[match.start() - 1] if match.start() else ""
            if ender in ":;" or _ends_with_abbreviation(head):
                continue
            out.append(line[start:match.end()].strip())
            start = match.end()
        if line[start:].strip():
            out.append(line[start:].strip())
    return _join_headings(out)


def _join_headings(parts: list[str]) -> list[str]:
    """A piece of fewer than four words (``SECTION 1.``, ``Waiver.``) opens the next sentence."""
    out: list[str] = []
    carry = ""
    for part in parts:
        part = f"{carry} {part}".strip()
        if len(part.split()) < 4:
            carry = part
            continue
        out.append(part)
        carry = ""
    if carry:
        out.append(carry)
    return out


def _ends_with_abbreviation(head: str) -> bool:
    word = head.rsplit(" ", 1)[-1].rstrip(".").lstrip("(\"“")
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def quoted(text: str, excerpts: Iterable[str]) -> list[str]:
    """The sentences of ``text`` that hold some excerpt (in order); every sentence if none does.

    An excerpt may run across sentences: every sentence it touches is quoted.

    >>> quoted("A first rule applies. A second rule applies. And a third one.", ["second rule"])
    ['A second rule applies.']
    """
    parts = sentences(text)
    spans = []
    position = 0
    joined = ""
    for part in parts:
        spans.append((position, position + len(part)))
        joined += part + " "
        position += len(part) + 1
    chosen: set[int] = set()
    for excerpt in excerpts:
        at = joined.find(flat(excerpt))
        if at < 0:
            continue
        end = at + len(flat(excerpt))
        chosen |= {i for i, (lo, hi) in enumerate(spans) if lo < end and at < hi}
    return [p for i, p in enumerate(parts) if i in chosen] or parts


Fail = Callable[..., Exception]


def check_prose(spec: Spec, fail: Fail) -> None:
    """Each rule's ``quote`` occurs in its clause's text; each reading argues only its options.

    ``fail(path, message, key=False)`` builds the located error to raise.
    """
    for ci, clause in enumerate(spec.clauses):
        text = flat(clause.text)
        for ri, rule in enumerate(clause.rules):
            if rule.quote is not None and flat(rule.quote) not in text:
                raise fail(("clauses", ci, "rules", ri, "quote"),
                           f"the quote {_short(rule.quote)!r} does not occur in the text of "
                           f"clause {clause.id!r}; copy the words verbatim from it")
    for name, reading in spec.readings.items():
        for option in reading.arguments:
            if option not in reading.options:
                raise fail(("readings", name, "arguments", option),
                           f"reading {name!r} has no option {option!r} to argue for (its "
                           f"options: {', '.join(reading.options)})"
                           f"{suggest(option, reading.options)}", key=True)


def _short(text: str, limit: int = 60) -> str:
    text = flat(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def rule_name(rule: Any) -> str | None:
    """The predicate a ``define`` rule defines (``waiver_active``), else nothing."""
    define = getattr(rule, "define", None)
    return define.split("(", 1)[0].strip() if isinstance(define, str) else None


def clause_quotes(spec: Spec, clause_id: str, names: Sequence[str] | None,
                  forbids: bool = True) -> list[str]:
    """The quotes of a clause's rules that define one of ``names`` (or forbid, or assume).

    ``names`` None: every rule's quote.
    """
    clause = next(c for c in spec.clauses if c.id == clause_id)
    out = []
    for rule in clause.rules:
        if rule.quote is None:
            continue
        name = rule_name(rule)
        duty = any(hasattr(rule, k) for k in ("oblige", "permit", "release"))
        if names is None or (name is not None and name in names) or (
                name is None and not duty and (forbids or hasattr(rule, "assume"))):
            out.append(rule.quote)
    return out

