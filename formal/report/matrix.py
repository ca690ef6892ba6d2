"""The readings matrix: a row per question and invariant, a column per combination of readings.

Only the readings that decide some verdict get columns (a reading no answer turns
on would double the table and change no cell); a reading fixed on the command line
takes its one option. Each cell is the verdict under its column, read from the
answers the engine gave for each reading combination.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from model.program import Program

from ..render import readings_label
from ..suite import CheckResult
from ..verdict import Answer, combine

NOT_ASKED = "not asked"
"""The cell of a question under a combination its own readings exclude."""


class Row(Protocol):
    """What the matrix needs of a question's view."""

    @property
    def id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def anchor(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def verdict(self) -> str: ...


@dataclass(frozen=True)
class ReadingAxis:
    name: str
    question: str
    options: tuple[tuple[str, str], ...]
    """Each option with its meaning, in the spec's order."""
    default: str


@dataclass(frozen=True)
class MatrixRow:
    id: str
    kind: str
    anchor: str
    text: str
    cells: tuple[str, ...]

    @property
    def turns(self) -> bool:
        return len(set(self.cells) - {NOT_ASKED}) > 1


@dataclass(frozen=True)
class Matrix:
    """Rows are questions and invariants, columns are combinations of the readings that decide some."""

    axes: tuple[ReadingAxis, ...]
    columns: tuple[tuple[tuple[str, str], ...], ...]
    rows: tuple[MatrixRow, ...]
    idle: tuple[str, ...]
    """Readings no verdict turns on (each is still answered under every option)."""
    fixed: tuple[tuple[str, str], ...]

    @property
    def header(self) -> list[tuple[str, list[tuple[str, int, bool]]]]:
        """One header row per reading: its name, then each option over the columns it spans."""
        if not self.axes:
            return [("", [("every reading", 1, False)])]
        rows = []
        for depth, axis in enumerate(self.axes):
            row: list[tuple[str, int, bool]] = []
            previous = None
            for column in self.columns:
                if column[:depth + 1] == previous:
                    text, span, default = row[-1]
                    row[-1] = (text, span + 1, default)
                else:
                    row.append((column[depth][1], 1, column[depth][1] == axis.default))
                    previous = column[:depth + 1]
            rows.append((axis.name, row))
        return rows


def reading_axes(program: Program) -> tuple[ReadingAxis, ...]:
    """Every reading of the spec with its options' meanings, in the spec's order."""
    return tuple(ReadingAxis(r.name, r.question, tuple(
        (o, program.spec.readings[r.name].options[o]) for o in r.options), r.default)
        for r in program.readings.values())


def readings_matrix(program: Program, results: Sequence[CheckResult], rows: Sequence[Row],
                    fixed: Mapping[str, str]) -> Matrix:
    answers = {r.id: r.answer for r in results
               if r.kind in ("question", "invariant") and r.answer is not None}
    deciding = {name for a in answers.values() for name in a.deciding_readings()}
    axes = tuple(a for a in reading_axes(program) if a.name in deciding)
    choices = [[(a.name, fixed[a.name])] if a.name in fixed
               else [(a.name, o) for o, _ in a.options] for a in axes]
    columns = tuple(tuple(c) for c in itertools.product(*choices))
    out = []
    for q in rows:
        answer = answers.get(q.id)
        cells = tuple(cell(answer, column) if answer else q.verdict for column in columns)
        out.append(MatrixRow(q.id, q.kind, q.anchor, q.text, cells))
    idle = tuple(name for name in program.readings if name not in deciding and name not in fixed)
    return Matrix(axes, columns, tuple(out), idle, tuple(sorted(fixed.items())))


def cell(answer: Answer, column: tuple[tuple[str, str], ...]) -> str:
    """The verdict under one column: of every reading answer that agrees with the column's choices."""
    chosen = dict(column)
    if any(chosen.get(k, v) != v for k, v in answer.fixed):
        return NOT_ASKED  # the question fixes a reading otherwise: it is not asked here
    matching = [r.verdict for r in answer.by_reading
                if all(chosen.get(k, v) == v for k, v in r.readings)]
    if not matching:  # every column holds each fixed reading at its fixed option
        raise ValueError(f"no answer under {readings_label(column)}")
    return str(combine(matching))
