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


class SpecError(ClauseCheckError):
    """A spec that cannot be read, validated, parsed or type-checked."""

    def __init__(self, location: Location, message: str) -> None:
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
