"""Calendars: questions that use the calendar functions, each with a fresh engine.

``bench/specs/calendars.yaml`` (synthetic, a two-year horizon with an NYSE calendar and a
fiscal year from October) asks questions whose time quantifiers range over business days,
weekdays, fiscal quarter ends and month arithmetic: the shapes the prover decides through
its If-tree tables (docs/semantics.md, "Calendars"). Also the time to load the spec, holidays
included.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from model.load import load_spec

from .semantics import timed

CALENDARS = Path("bench/specs/calendars.yaml")


def calendars() -> dict[str, Any]:
    started = time.perf_counter()
    program = load_spec(CALENDARS)
    loading = time.perf_counter() - started
    per_question = {q.id: {**timed(program, q.formula_text), "text": q.formula_text}
                    for q in program.questions}
    return {"load_seconds": loading, "questions": per_question}


def print_calendars(out: TextIO, result: dict[str, Any]) -> None:
    out.write(f"\ncalendars (load {result['load_seconds'] * 1000:.0f} ms; fresh engine per "
              "question)\n")
    for qid, r in result["questions"].items():
        out.write(f"  {qid:<6} {r['verdict']:<8} {r['seconds'] * 1000:9.1f} ms  {r['text'][:60]}\n")


if __name__ == "__main__":
    json.dump(calendars(), sys.stdout, indent=2)
    sys.stdout.write("\n")
