"""Interactive latency: one ``ask`` as a whole process and in a warm process; whole-spec checks.

A whole process is what a lawyer at a terminal waits for: the interpreter's
start-up, the imports, loading the spec, and the answer. In-process, one warm
:class:`~formal.engine.Engine` answers question after question, as an editor
plug-in or a notebook would.
"""

from __future__ import annotations

import functools
import shutil
import statistics
import sys
from pathlib import Path
from typing import Any

from formal.engine import Engine
from model.load import check_question, load_spec
from model.program import Program

from .clock import Runs, repeat, repeat_process

EXIT_ANSWERED = (0, 3)
"""``ask`` exits 0 on an answer and 3 on an honest unknown; both are answers."""


def clausecheck_command() -> list[str]:
    """The installed ``clausecheck`` script itself, not a version manager's shim in front of it."""
    beside = Path(sys.executable).with_name("clausecheck")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("clausecheck")
    return [found] if found else [sys.executable, "-m", "formal.cli"]


def question_texts(program: Program) -> list[tuple[str, str]]:
    """(id, text) of every question of a spec, as a user would type it to ``ask``."""
    return [(q.id, q.formula_text) for q in program.questions]


def _summary(per_question: dict[str, Runs]) -> dict[str, Any]:
    medians = [r.median for r in per_question.values()]
    worst_id = max(per_question, key=lambda q: per_question[q].worst)
    return {
        "median": statistics.median(medians),
        "worst": per_question[worst_id].worst,
        "worst_question": worst_id,
        "questions": {q: r.to_json() for q, r in per_question.items()},
    }


def ask_process(spec: Path, runs: int, limit: int | None = None) -> dict[str, Any]:
    """``clausecheck ask SPEC QUESTION`` per question, start-up included."""
    program = load_spec(spec)
    command = clausecheck_command()
    per_question = {
        qid: repeat_process([*command, "ask", spec, text], runs, ok=EXIT_ANSWERED)
        for qid, text in question_texts(program)[:limit]}
    return {"command": " ".join(command), **_summary(per_question)}


def ask_in_process(spec: Path, runs: int) -> dict[str, Any]:
    """Each question parsed, checked and answered by one warm engine (after one warm-up pass)."""
    program = load_spec(spec)
    engine = Engine(program)

    def ask(text: str) -> None:
        extended, query = check_question(program, text)
        # A question of the spec's own adds no date the engine does not know already.
        assert extended.constants == program.constants, "engine would miss the question's dates"
        engine.answer(query)

    texts = question_texts(program)
    for _, text in texts:
        ask(text)
    per_question = {qid: repeat(functools.partial(ask, text), runs) for qid, text in texts}
    return _summary(per_question)


def check_process(specs: list[Path], runs: int) -> dict[str, Any]:
    """``clausecheck check SPEC``: every question, invariant, scenario and sanity check."""
    command = clausecheck_command()
    return {str(spec): repeat_process([*command, "check", spec], runs).to_json()
            for spec in specs}


def help_process(runs: int) -> dict[str, Any]:
    """``clausecheck --help``: start-up and imports alone."""
    return repeat_process([*clausecheck_command(), "--help"], runs).to_json()
