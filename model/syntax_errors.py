"""Syntax errors in the formula language's own words, with the right form beside them.

lark reports what its LALR table expected as terminal names, some generated
(``__ANON_1`` for ``:=``, ``NAME``, ``$END``); a reader of a contract cannot act
on them. Here each expected terminal becomes the text one would type (``':='``)
or a word (``a name``, ``a date such as 2003-07-20``), and the common slips of
someone who writes English or another language's operators get a hint of their
own: ``July 20, 2003``, ``==``, ``&&``, ``not in``, ``is``, ``+ 1 month``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from model.errors import FormulaError

NAMED = {"NAME": "a name", "INT": "a number", "DATE": "a date such as 2003-07-20",
         "DURATION": "a unit (days, hours or minutes)", "$END": "the end of the formula"}
"""The terminals that are patterns, in words; every other terminal is shown as its text."""
KEYWORD_FIRST = ("can", "must", "exists", "forall", "not", "and", "or", "implies", "iff",
                 "if", "then", "else", "in", "subset", "reading", "is", "true", "false")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
_MONTH_DATE = re.compile(r"\b(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s+(\d{1,2}),?"
                         r"\s+(\d{4})\b", re.IGNORECASE)
SLIPS = {
    "==": "'==' is written '=' in this language, as in: e.by = lender",
    "&&": "write 'and', as in: a and b",
    "&": "write 'and', as in: a and b",
    "||": "write 'or', as in: a or b",
    "|": "write 'or', as in: a or b",
    "!": "write 'not', as in: not rescinded(t)",
    "->": "write 'implies', as in: a implies b",
    "=>": "write 'implies', as in: a implies b",
    "<>": "write '!=', as in: e.by != lender",
}
UNITS = ("week", "weeks", "fortnight", "fortnights")


def words(expected: Iterable[str], lark: Lark) -> list[str]:
    """The expected terminals as one would type them: ``':='``, ``'and'``, ``a name``."""
    patterns = {t.name: t.pattern for t in lark.terminals}
    out = set()
    for name in expected:
        pattern = patterns.get(name)
        if name in NAMED:
            out.add(NAMED[name])
        elif isinstance(pattern, PatternStr):
            out.add(f"'{pattern.value}'")
    order = {f"'{k}'": i for i, k in enumerate(KEYWORD_FIRST)}
    return sorted(out, key=lambda w: (w[0] != "'", order.get(w, 99), w))


def describe(exc: UnexpectedInput, text: str, lark: Lark, start: str) -> FormulaError:
    """The error a person reads for a formula that does not parse."""
    line, col = getattr(exc, "line", 1) or 1, getattr(exc, "column", 1) or 1
    hint = slip_hint(text, line, col, start)
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        return FormulaError(_join("the formula ends too soon", _expected(exc, lark), hint),
                            *_end(text))
    if isinstance(exc, UnexpectedToken):
        found = str(exc.token)
        return FormulaError(_join(f"unexpected {found!r}", _expected(exc, lark), hint),
                            line, col)
    if isinstance(exc, UnexpectedCharacters):
        return FormulaError(_join(f"unexpected character {exc.char!r}", "", hint), line, col)
    if isinstance(exc, UnexpectedEOF):
        return FormulaError(_join("the formula ends too soon", "", hint), *_end(text))
    return FormulaError(_join("this does not parse", "", hint), line, col)


def _expected(exc: UnexpectedToken, lark: Lark) -> str:
    found = words(exc.expected, lark)
    if not found:
        return ""
    if len(found) > 8:
        return f"expected one of {', '.join(found[:8])}, …"
    return "expected " + ", ".join(found[:-1]) + (" or " if len(found) > 1 else "") + found[-1]


def _join(what: str, expected: str, hint: str) -> str:
    out = f"syntax error: {what}"
    if expected:
        out += f"; {expected}"
    if hint:
        out += f"; {hint}"
    return out


def slip_hint(text: str, line: int, col: int, start: str) -> str:
    """A hint for a common slip at (or just before) the error, else nothing."""
    lines = text.splitlines() or [""]
    rest = lines[min(line, len(lines)) - 1][col - 1:]
    before = lines[min(line, len(lines)) - 1][:col - 1].rstrip()
    first = re.match(r"\s*([A-Za-z_]\w*)\s+[A-Za-z_]", text)  # two words: English
    if start == "question" and (line, before) == (1, "") and first and \
            first.group(1) not in KEYWORD_FIRST:
        return ("a question is 'can' or 'must' followed by a formula in the spec's own words, "
                "not in English")
    month = _MONTH_DATE.search(text)
    if month:
        number = next(i for i, m in enumerate(MONTHS, 1) if m.lower().startswith(
            month.group(1).lower()))
        iso = f"{month.group(3)}-{number:02d}-{int(month.group(2)):02d}"
        return f"write dates as YEAR-MONTH-DAY: {iso} for {month.group(0).strip()!r}"
    window = before[-2:] + rest[:2]
    for slip in sorted(SLIPS, key=len, reverse=True):
        if rest.startswith(slip) or before.endswith(slip) or (len(slip) > 1 and slip in window):
            return SLIPS[slip]
    word = re.match(r"[A-Za-z_]\w*", rest)
    token = word.group(0) if word else ""
    if token == "not" and re.match(r"not\s+in\b", rest):
        return "write 'not (x in S)' rather than 'x not in S', as in: not (some_cause in d.causes)"
    if token == "is" and not re.search(r"\breading\s+\w+\s*$", before):
        return ("'is' appears only in 'reading <reading> is <option>'; to compare two values "
                "write '=', as in: e.by = lender")
    if token in UNITS:
        return ("a duration is counted in days, hours or minutes, or in calendar months, quarters "
                "and years: write, for example, t + 14 days or t + 1 month")
    return ""


def _end(text: str) -> tuple[int, int]:
    lines = text.rstrip().splitlines() or [""]
    return len(lines), len(lines[-1]) + 1
