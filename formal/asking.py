"""``clausecheck ask``: a question by its id or in the formula language, and errors that help.

A lawyer's first try is the id the report shows (``active-after-acceleration``) or
a sentence in English; neither is a formula. An id answers the spec's own question,
with its expectation; anything else is parsed, and an error says what was expected,
points at it with a caret, and shows where the words come from (``clausecheck
vocabulary``) with one of the spec's own questions as a sample.
"""

from __future__ import annotations

import difflib
import re

from model import ast
from model.errors import FormulaError, Location, SpecError, UsageError
from model.load import check_question
from model.program import Program, Query

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.()\-]*")


def own_queries(program: Program) -> dict[str, Query]:
    return {q.id: q for q in (*program.questions, *program.invariants)}


def resolve(program: Program, spec_path: str, text: str) -> tuple[Program, Query, bool]:
    """The program (with the question's dates) and the query that ``text`` names or writes;
    True when it is one of the spec's own, by id."""
    own = own_queries(program)
    if text in own:
        return program, own[text], True
    first = text.split(maxsplit=1)[0] if text.split() else ""
    if _ID.fullmatch(text) and first not in ("can", "must"):
        close = difflib.get_close_matches(text, list(own), n=3, cutoff=0.5)
        if close or ("-" in text and "(" not in text):
            hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            raise UsageError(f"{program.name} has no question {text!r}{hint} (its questions: "
                             f"{', '.join(own) or 'none'})")
    try:
        extended, query = check_question(program, text)
        require_bound(program, text, query)
    except FormulaError as exc:
        raise SpecError(Location("<question>", exc.line, exc.col),
                        exc.message + "\n" + "\n".join(caret(text, exc.line, exc.col))
                        + guidance(program, spec_path, text, exc)) from None
    return extended, query, False


def require_bound(program: Program, text: str, query: Query) -> None:
    """A free variable of a question stands for times (or durations, or truth values); any
    other type must be bound.

    ``can waived(d, 2003-07-20)`` would otherwise make ``d`` a set of causes, taken from
    the parameter it fills, and answer a question no one asked.
    """
    for name, typ in query.free:
        if isinstance(typ, ast.TimeT | ast.IntT | ast.BoolT):
            continue
        pos = next(n.pos for n in ast.walk(query.body) if isinstance(n, ast.Var)
                   and n.name == name)
        raise FormulaError(f"{name!r} is not bound: here it would stand for any "
                           f"{type_words(typ)}; bind it to an event, as in: "
                           f"{bound_example(program, text, name, typ)}", *pos)


def type_words(typ: ast.Type) -> str:
    if isinstance(typ, ast.SetT):
        return f"set of {typ.elem.name}"
    if isinstance(typ, ast.EnumT):
        return f"value of {typ.name}"
    if isinstance(typ, ast.EventT):
        return f"event of kind {typ.kind}"
    return str(typ)


def bound_example(program: Program, text: str, name: str, typ: ast.Type) -> str:
    """The question with ``name`` bound to an event whose field has its type."""
    mode, _, body = text.partition(" ")
    for kind, fields in program.kinds.items():
        for field, ftype in fields.items():
            if ftype == typ:
                inner = re.sub(rf"\b{re.escape(name)}\b", f"{name}.{field}", body)
                return f"{mode} exists {name}: {kind}. {inner}"
    return f"{mode} exists {name}: EVENT_KIND. …"


def caret(text: str, line: int, col: int, width: int = 72) -> list[str]:
    """The question's line and a caret under the column the error is at; of a long line, only
    a window around the column (a 5,000-character question is not repeated in a message).

    >>> caret("can x + y", 1, 7)
    ['  can x + y', '        ^']
    """
    lines = text.splitlines() or [""]
    source = lines[min(max(line, 1), len(lines)) - 1]
    start = max(0, min(col - 1 - width // 2, len(source) - width))
    head = "…" if start else ""
    tail = "…" if start + width < len(source) else ""
    return [f"  {head}{source[start:start + width]}{tail}",
            f"  {' ' * (len(head) + col - 1 - start)}^"]


_ENGLISH = {"the", "an", "be", "are", "was", "were", "when", "still", "does", "ever"}
"""Words that tell a question written in English from one in the formula language."""


def guidance(program: Program, spec_path: str, text: str, exc: FormulaError) -> str:
    """Where the words of a question come from, and a question of the spec as a sample."""
    words = text.lower().split()
    first = words[0] if words else ""
    english = (first not in ("can", "must") or "unknown" in exc.message
               or bool(_ENGLISH & set(words)))
    if not english:
        return ""
    lines = [f"  the words a question may use: clausecheck vocabulary {spec_path}"]
    sample = min(program.questions, key=lambda q: len(q.formula_text), default=None)
    if sample is not None:
        lines.append(f"  a question of this spec, for example: {sample.formula_text}  "
                     f"({sample.text})")
        lines.append(f"  or ask one of its own questions by id: clausecheck ask {spec_path} "
                     f"{sample.id}")
    return "\n" + "\n".join(lines)
