"""Text for people and JSON for tools, from result values; nothing here asks the solver."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from typing import Any

from model import ast
from model.program import Program
from model.simulate import Breach, Simulation, simulate
from model.timecodec import DAYS, TimeCodec

from .suite import CheckResult, Status
from .verdict import Answer, ReadingAnswer, Verdict, Witness

INDENT = "    "


def readings_label(readings: Iterable[tuple[str, str]]) -> str:
    items = [f"{k}={v}" for k, v in readings]
    return ", ".join(items) if items else "every reading"


def wrap(text: str, indent: str, width: int = 96) -> list[str]:
    lines: list[str] = []
    for para in text.strip().splitlines() or [""]:
        lines += textwrap.wrap(para, width=width, initial_indent=indent,
                               subsequent_indent=indent) or [indent]
    return lines


def _status_text(program: Program, value: Any, status_id: str) -> str:
    label = next((s.label for s in program.statuses if s.id == status_id), status_id)
    if isinstance(value, bool):
        return f"{label}: {'yes' if value else 'no'}"
    return f"{label}: {', '.join(value) if value else 'none'}"


def timeline_lines(program: Program, sim: Simulation, marks: Mapping[int, list[str]],
                   indent: str) -> list[str]:
    """Each step of a simulation: date, event, then only the statuses that changed."""
    lines: list[str] = []
    previous: dict[str, Any] = {}
    width = max((len(s.event.id) for s in sim.steps if s.event), default=2)
    under = " " * (len(program.codec.show(program.horizon[0])) + 4)  # statuses below the event
    for step in sim.steps:
        current = dict(step.statuses)
        changed = [k for k, v in current.items() if previous.get(k, object()) != v]
        if step.event is not None:
            head = f"{step.event.id:<{width}}  {step.event.describe(program.codec)}"
        else:
            head = f"{'':<{width}}  ({', '.join(marks.get(step.date, ['checkpoint']))})"
        lines.append(f"{indent}{program.codec.show(step.date)}  {head}")
        if changed:
            lines += wrap(" · ".join(_status_text(program, current[k], k) for k in changed),
                          indent + under)
        for breach in step.breaches:
            lines.append(f"{indent}{under}BREACH: {breach_text(program, breach)}")
        previous = current
    return lines


def breach_text(program: Program, breach: Breach) -> str:
    """``forbidden by clause 1 (Waiver)``, or a missed deadline with its clause and due date;
    a background rule is named as one, with its source, never as a clause."""
    if breach.clause in program.background:
        owner = f"background rule {breach.clause} ({program.background[breach.clause]})"
    else:
        owner = f"clause {breach.clause} ({program.clause(breach.clause).heading})"
    if breach.missed is None:
        return f"forbidden by {owner}"
    return (f"{breach.missed} due by {program.codec.show(breach.due or 0)} was not done: a "
            f"missed deadline of {owner}")


def question_times(query_body: ast.Expr | None) -> set[int]:
    """The fixed times a question names, to mark them on its witness's timeline."""
    if query_body is None:
        return set()
    return {node.value for node in ast.walk(query_body) if isinstance(node, ast.TimeLit)}


def witness_lines(program: Program, witness: Witness, readings: Mapping[str, str],
                  indent: str, query_body: ast.Expr | None = None) -> list[str]:
    marks: dict[int, list[str]] = {}
    for name, t in witness.times:
        marks.setdefault(t, []).append(name)
    for t in question_times(query_body):
        marks.setdefault(t, []).append("date in the question")
    full = {**program.default_readings(), **readings}
    sim = simulate(program, witness.events, full, marks)
    lines = []
    if witness.bindings:
        lines.append(f"{indent}where " + ", ".join(f"{k} = {v}" for k, v in witness.bindings))
    return lines + timeline_lines(program, sim, marks, indent)


def reading_answer_lines(program: Program, r: ReadingAnswer, mode: str, indent: str,
                         query_body: ast.Expr | None, many: bool) -> list[str]:
    head = f"{indent}{r.verdict}" + (f" under {readings_label(r.readings)}" if many else "")
    lines = []
    if r.verdict is Verdict.UNKNOWN:
        return [f"{head}: {r.reason}"]
    if r.witness is not None:
        kind = "an example" if mode == "can" else "a counterexample"
        count = len(r.witness.events)
        size = "no events needed" if count == 0 else f"{count} event{'s' if count > 1 else ''}"
        lines.append(f"{head}: {kind} ({size})")
        if r.clauses:  # the permissions it rests on (formal.permissions)
            lines.append(f"{indent}{INDENT}permitted by clause(s) "
                         f"{', '.join(c.clause for c in r.clauses)}: without them, "
                         f"{'no such timeline' if mode == 'can' else 'no counterexample'}")
        lines += witness_lines(program, r.witness, dict(r.readings), indent + INDENT, query_body)
    else:
        if r.clauses:
            lines.append(f"{head}: forced by clause(s) "
                         f"{', '.join(c.clause for c in r.clauses)}")
        else:
            lines.append(f"{head}: forced by the question alone, whatever the clauses say")
        if r.bound is not None:
            lines.append(f"{indent}{INDENT}(for timelines of at most {r.bound} events: "
                         f"{r.reason})")
    return lines


def answer_lines(program: Program, answer: Answer, indent: str = INDENT,
                 query_body: ast.Expr | None = None) -> list[str]:
    """The explanation of an answer: each reading's verdict, witness or clauses, then the texts.

    When every reading agrees, one answer stands for all (an example names its readings).
    """
    lines: list[str] = []
    if answer.fixed:
        lines.append(f"{indent}asked only under {readings_label(answer.fixed)} (the readings "
                     "the question fixes)")
    if answer.verdict is Verdict.DEPENDS:
        deciding = answer.deciding_readings() or sorted({k for r in answer.by_reading
                                                         for k, _ in r.readings})
        seen: set[tuple[Verdict, tuple[tuple[str, str], ...]]] = set()
        for r in answer.by_reading:
            key = tuple((k, v) for k, v in r.readings if k in deciding)
            if (r.verdict, key) in seen:
                continue
            seen.add((r.verdict, key))
            lines += reading_answer_lines(program, ReadingAnswer(
                key, r.verdict, r.witness, r.clauses, r.bound, r.reason), answer.mode, indent,
                query_body, True)
    elif answer.by_reading:
        first = answer.by_reading[0]
        lines += reading_answer_lines(program, first, answer.mode, indent, query_body, False)
        if len(answer.by_reading) > 1:
            example = f" (shown under {readings_label(first.readings)})" if first.witness else ""
            lines[0] += f" — the same under every reading{example}"
    cited = answer.clauses
    if cited:
        lines.append(f"{indent}clauses:")
        for cid in cited:
            clause = program.clause(cid)
            lines.append(f"{indent}{INDENT}{cid}. {clause.heading}")
            lines += wrap(f"\"{clause.text.strip()}\"", indent + INDENT * 2)
    return lines


def result_line(r: CheckResult) -> str:
    mark = {Status.OK: "ok", Status.FAILED: "FAILED", Status.UNKNOWN: "UNKNOWN",
            Status.SKIPPED: "skipped"}[r.status]
    extra = ""
    if r.answer is not None:
        if r.answer.clauses and r.verdict in ("no", "yes"):
            extra = f"cites {', '.join(r.answer.clauses)}"
        elif r.verdict == "depends":
            extra = "turns on " + ", ".join(r.answer.deciding_readings())
        if r.answer.bound is not None:
            extra += f" (timelines of ≤{r.answer.bound} events)"
        if r.answer.fixed:
            extra = f"{extra} (under {readings_label(r.answer.fixed)})".lstrip()
    if r.detail:
        extra = f"{extra}; {r.detail}" if extra else r.detail
    return f"{mark:<8}{r.kind:<10}{r.id:<36} {r.verdict:<12}{extra}".rstrip()


def summary_line(results: list[CheckResult], seconds: float) -> str:
    counts = {s: sum(r.status is s for r in results) for s in Status}
    parts = [f"{counts[Status.OK]} ok", f"{counts[Status.FAILED]} failed",
             f"{counts[Status.UNKNOWN]} unknown"]
    if counts[Status.SKIPPED]:
        parts.append(f"{counts[Status.SKIPPED]} skipped")
    return f"{len(results)} checks: {', '.join(parts)} ({seconds:.2f} s)"


def scenario_lines(program: Program, sim: Simulation, indent: str = INDENT) -> list[str]:
    lines = [f"{indent}readings: {readings_label(sorted(sim.readings.items()))}"]
    if sim.seen_from is not None:
        lines.append(f"{indent}as seen from its end ({program.codec.show(sim.seen_from)}): "
                     "every status and breach judged in hindsight")
    lines += timeline_lines(program, sim, {}, indent)
    for m in sim.mismatches:
        lines.append(f"{indent}MISMATCH {m.what}: expected {m.expected}, got {m.actual}")
    for clause in sim.broken_assumptions:
        info = program.clause(clause)
        texts = "; ".join(a.text for a in info.axioms)
        lines.append(f"{indent}ASSUMPTION BROKEN: this timeline breaks what clause {clause} "
                     f"({info.heading}) assumes of every timeline: {texts}")
    return lines


# ---------------------------------------------------------------- JSON


def answer_json(answer: Answer, codec: TimeCodec = DAYS) -> dict[str, Any]:
    first_witness = next((r.witness for r in answer.by_reading if r.witness), None)
    clauses: dict[str, Any] = {}
    for r in answer.by_reading:
        for c in r.clauses or ():
            clauses.setdefault(c.clause, c.to_json())
    out: dict[str, Any] = {
        "verdict": str(answer.verdict),
        "by_reading": [r.to_json(codec) for r in answer.by_reading],
        "clauses": list(clauses.values()),
        "witness": first_witness.to_json(codec) if first_witness else None,
        "bound": answer.bound,
    }
    if answer.fixed:  # only then: a question that fixes no reading prints what it always did
        out["readings_fixed"] = dict(answer.fixed)
    return out


def simulation_json(sim: Simulation, codec: TimeCodec = DAYS) -> dict[str, Any]:
    return {
        "readings": dict(sorted(sim.readings.items())),
        "steps": [s.to_json(codec) for s in sim.steps],
        "breaches": [{"event": b.event, "clause": b.clause, "date": codec.iso(b.date)}
                     | ({} if b.missed is None else {"missed": b.missed,
                                                     "due": codec.iso(b.due or 0)})
                     for b in sim.breaches],
        "mismatches": [{"what": m.what, "expected": _plain(m.expected), "actual": _plain(m.actual)}
                       for m in sim.mismatches],
        "broken_assumptions": list(sim.broken_assumptions),
        "seen_from": None if sim.seen_from is None else codec.iso(sim.seen_from),
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def result_json(r: CheckResult, codec: TimeCodec = DAYS) -> dict[str, Any]:
    out: dict[str, Any] = {
        "spec": r.spec, "id": r.id, "kind": r.kind, "question": r.question,
        "formula": r.formula or None, "verdict": r.verdict, "expected": r.expected,
        "ok": r.ok, "status": str(r.status), "detail": r.detail or None,
    }
    if r.answer is not None:
        out.update(answer_json(r.answer, codec))
        out["verdict"] = r.verdict
    else:
        out.update({"by_reading": [], "clauses": [], "witness": None, "bound": None})
    if r.simulation is not None:
        out["simulation"] = simulation_json(r.simulation, codec)
    return out
