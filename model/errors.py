"""Every failure clausecheck reports to a user, under one root."""

from __future__ import annotations

from dataclasses import dataclass


class ClauseCheckError(Exception):
    """Root of every error clausecheck raises on purpose."""


@dataclass(frozen=True)
class Location:
    """A point in a source file, 1-based like a compiler's messages."""

    file: str
    line: int
    col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


MAX_SHOWN = 60
"""Characters of an offending value quoted in a message; the rest is elided."""
MAX_MESSAGE = 400
"""Characters of one line of a message: a message names a problem, it never repeats a file."""


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """``repr(value)``, elided in the middle beyond ``limit`` characters, for messages.

    >>> shown("x" * 100, 20)
    "'xxxxxxx…xxxxxxxx'"
    """
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit // 2 - 2]}…{text[-(limit // 2 - 1):]}"


def _capped(message: str) -> str:
    """Each line of ``message`` at most :data:`MAX_MESSAGE` characters, and at most 20 lines."""
    lines = message.split("\n")
    out = [line if len(line) <= MAX_MESSAGE else
           f"{line[:MAX_MESSAGE - 60]} … ({len(line) - MAX_MESSAGE + 60} characters elided)"
           for line in lines[:20]]
    if len(lines) > 20:
        out.append(f"… ({len(lines) - 20} more lines)")
    return "\n".join(out)


class SpecError(ClauseCheckError):
    """A spec that cannot be read, validated, parsed or type-checked."""

    def __init__(self, location: Location, message: str) -> None:
        message = _capped(message)
        super().__init__(f"{location}: error: {message}")
        self.location = location
        self.message = message


class FormulaError(ClauseCheckError):
    """A formula that does not parse or check; located within the formula text."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


class UsageError(ClauseCheckError):
    """A command-line argument that does not fit the spec (unknown reading, question id …)."""


class EvaluationError(ClauseCheckError):
    """A concrete evaluation that cannot proceed (a value missing from a timeline)."""


class BudgetExceeded(ClauseCheckError):
    """A command ran past its time or memory budget: its answer is unknown, never a guess."""


class ReplayMismatch(ClauseCheckError):
    """The concrete model disagrees with a solver witness: an internal error, never an answer."""
