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


def cpu_timed(program: Any, text: str) -> dict[str, Any]:
    """:func:`bench.semantics.timed`, with the process's CPU seconds beside the wall clock
    (the figure that a busy shared machine does not inflate)."""
    started = time.process_time()
    result = timed(program, text)
    return {**result, "cpu_seconds": time.process_time() - started}

CALENDARS = Path("bench/specs/calendars.yaml")


def calendars() -> dict[str, Any]:
    started, cpu = time.perf_counter(), time.process_time()
    program = load_spec(CALENDARS)
    loading, loading_cpu = time.perf_counter() - started, time.process_time() - cpu
    per_question = {q.id: {**cpu_timed(program, q.formula_text), "text": q.formula_text}
                    for q in program.questions}
    return {"load_seconds": loading, "load_cpu_seconds": loading_cpu, "questions": per_question}


def print_calendars(out: TextIO, result: dict[str, Any]) -> None:
    out.write(f"\ncalendars (load {result['load_seconds'] * 1000:.0f} ms, "
              f"{result['load_cpu_seconds'] * 1000:.0f} ms CPU; fresh engine per question)\n")
    for qid, r in result["questions"].items():
        out.write(f"  {qid:<6} {r['verdict']:<8} {r['seconds'] * 1000:9.1f} ms "
                  f"{r['cpu_seconds'] * 1000:8.1f} ms CPU  {r['text'][:56]}\n")


if __name__ == "__main__":
    json.dump(calendars(), sys.stdout, indent=2)
    sys.stdout.write("\n")
