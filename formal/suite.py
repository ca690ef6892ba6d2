"""Run everything a spec asks for: sanity checks, questions, invariants and scenarios."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from model.errors import BudgetExceeded
from model.program import Program, Query
from model.simulate import Simulation, run_scenario

from . import budget
from .engine import Engine
from .sanity import SanityCheck, can_matter, sanity_checks
from .verdict import Answer, Verdict


class Status(StrEnum):
    OK = "ok"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class CheckResult:
    """One line of a check: what was asked, what came out, and whether it was expected."""

    spec: str
    id: str
    kind: str
    question: str
    status: Status
    verdict: str
    expected: str | None
    answer: Answer | None = None
    simulation: Simulation | None = None
    detail: str = ""
    formula: str = ""

    @property
    def ok(self) -> bool:
        return self.status is Status.OK


Progress = Callable[[int, int, str], None]


@dataclass
class SuiteRun:
    program: Program
    fixed: Mapping[str, str] = field(default_factory=dict)
    engine: Engine | None = None

    def __post_init__(self) -> None:
        self.engine = self.engine or Engine(self.program)

    def judge(self, query: Query, kind: str,
              progress: Progress | None = None) -> CheckResult:
        assert self.engine is not None
        clash = [f"{k}={v}" for k, v in query.readings if self.fixed.get(k, v) != v]
        if clash:
            return CheckResult(self.program.file, query.id, kind, query.text, Status.SKIPPED,
                               "not asked", query.expect, detail=f"it is asked under "
                               f"{', '.join(clash)}, which the command line fixes otherwise",
                               formula=query.formula_text)
        answer = self.engine.answer(query, self.fixed, progress=progress)
        verdict = answer.verdict
        expected = query.expect
        detail = ""
        if verdict in (Verdict.UNKNOWN,):
            status = Status.UNKNOWN
            detail = "; ".join(r.reason or "" for r in answer.by_reading if r.reason)
        elif expected is None:
            status = Status.OK
        elif expected == "depends" and verdict is not Verdict.DEPENDS and self.fixed and any(
                r in self.fixed for r in self.engine.readings_touched(query)):
            status, detail = Status.SKIPPED, "expects 'depends', but the readings it turns on " \
                "are fixed on the command line"
        elif str(verdict) != expected:
            status = Status.FAILED
            detail = f"expected {expected}, got {verdict}"
        else:
            status = Status.OK
            missing = [c for c in query.cites if c not in answer.clauses]
            if missing:
                status = Status.FAILED
                detail = (f"expected the answer to cite clause(s) {', '.join(missing)}; it cites "
                          f"{', '.join(answer.clauses) or 'none'}")
        if status is Status.OK and verdict is Verdict.UNKNOWN:
            status = Status.UNKNOWN
        return CheckResult(self.program.file, query.id, kind, query.text, status, str(verdict),
                           expected, answer, detail=detail, formula=query.formula_text)

    def run(self, progress: Progress | None = None) -> list[CheckResult]:
        program = self.program
        jobs: list[tuple[str, Any]] = [("sanity", s) for s in sanity_checks(program)]
        jobs += [("question", q) for q in program.questions]
        jobs += [("invariant", q) for q in program.invariants]
        jobs += [("scenario", s) for s in program.scenarios]
        results = []
        for i, (kind, item) in enumerate(jobs):
            if progress:
                progress(i, len(jobs), f"{kind} {item.id}")
            if kind == "sanity":
                results.append(self.sanity(item))
            elif kind == "scenario":
                results.append(self.scenario(item))
            else:
                results.append(self.judge(item, kind))
        if progress:
            progress(len(jobs), len(jobs), "done")
        return results

    def sanity(self, item: SanityCheck) -> CheckResult:
        """A sanity check's result; a "can matter" check passes under some reading."""
        r = self.judge(item.query, "sanity")
        status, verdict, detail = str(r.status), r.verdict, r.detail
        if item.some_reading and r.answer is not None:
            status, verdict, detail = can_matter(r.answer)
        return CheckResult(r.spec, item.id, "sanity", item.text, Status(status), verdict, "yes",
                           r.answer, detail=detail)

    def scenario(self, scenario: Any) -> CheckResult:
        try:
            sim = run_scenario(self.program, scenario, self.fixed, budget.current().deadline())
        except BudgetExceeded as exc:
            return CheckResult(self.program.file, scenario.id, "scenario", scenario.description,
                               Status.UNKNOWN, "unknown", "as expected", detail=str(exc))
        if sim.failed:
            detail = "; ".join([*(f"{m.what}: expected {_show(m.expected)}, got "
                                  f"{_show(m.actual)}" for m in sim.mismatches),
                                *(f"the timeline breaks the assumption of clause {c}"
                                  for c in sim.broken_assumptions)])
            status = Status.FAILED
        else:
            detail, status = "", Status.OK
        verdict = "as expected" if status is Status.OK else "differs"
        return CheckResult(self.program.file, scenario.id, "scenario", scenario.description,
                           status, verdict, "as expected", simulation=sim, detail=detail)


def _show(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def check_program(program: Program, fixed: Mapping[str, str] | None = None,
                  progress: Progress | None = None) -> list[CheckResult]:
    """Every result of one spec, in a stable order."""
    return SuiteRun(program, dict(fixed or {})).run(progress)
