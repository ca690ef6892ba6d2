"""Specs as tests: a pytest plugin that makes every check of a spec a test item of its own.

Installed with clausecheck (the ``pytest11`` entry point), it reads no file
until told where the specs are, so unrelated YAML is never touched::

    [tool.pytest.ini_options]
    clausecheck_specs = ["specs"]        # folders (or files) of spec YAML
    testpaths = ["tests", "specs"]       # so that a bare `pytest` walks them too

or on the command line, ``pytest --clausecheck-specs contracts`` (the folder is
then collected as well). A ``.yaml``/``.yml`` file is a spec when it lies under
one of those paths, or when it is named on the command line.

Each sanity check, question, invariant and scenario is one item, with an id a
lawyer can read: ``contracts/lease.yaml::question::can-terminate-after-notice``.
A failing item prints the question, the expected and actual verdict under
each reading, and the witness timeline or the cited clauses with their text;
``unknown`` fails, with the solver's reason. A spec with an error is a
collection error that shows its ``FILE:LINE:COL: error: …`` line, never a
traceback. With ``clausecheck_certify = true`` (or ``--clausecheck-certify``)
every answer must also certify itself (:mod:`formal.certify`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from model.errors import ClauseCheckError, SpecError
from model.load import load_spec
from model.program import Program, Query, ScenarioDef

from .certify import certify
from .engine import Engine
from .render import INDENT, answer_lines, readings_label, scenario_lines
from .sanity import SanityCheck, sanity_checks
from .suite import CheckResult, Status, SuiteRun

SPEC_SUFFIXES = (".yaml", ".yml")
KINDS = ("sanity", "question", "invariant", "scenario")
_ROOTS = pytest.StashKey[list[Path]]()
_NAMED = pytest.StashKey[set[Path]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("clausecheck", "clausecheck: specs as tests")
    group.addoption("--clausecheck-specs", action="append", default=[], metavar="PATH",
                    help="collect the specs in this folder (or this spec file) as tests; "
                         "repeatable")
    group.addoption("--clausecheck-certify", action="store_true", default=False,
                    help="also certify every answer: its cited clauses force it and each is "
                         "necessary, its witness replays")
    parser.addini("clausecheck_specs", type="paths", default=[],
                  help="folders (or files) whose spec YAML files are collected as tests")
    parser.addini("clausecheck_certify", type="bool", default=False,
                  help="certify every answer of every collected spec")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "clausecheck: a check of a spec, collected by clausecheck")
    here = config.invocation_params.dir
    given = [(here / p).resolve() for p in config.getoption("clausecheck_specs")]
    roots = [Path(p).resolve() for p in config.getini("clausecheck_specs")] + given
    config.stash[_ROOTS] = roots
    named = {(here / a.split("::")[0]).resolve() for a in config.args}
    config.stash[_NAMED] = named
    for path in given:  # --clausecheck-specs DIR collects DIR, whatever else is collected
        if not any(path == n or n in path.parents for n in named):
            config.args.append(str(path))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> SpecFile | None:
    if file_path.suffix not in SPEC_SUFFIXES:
        return None
    path = file_path.resolve()
    config = parent.config
    under = any(path == r or r in path.parents for r in config.stash.get(_ROOTS, []))
    if under or path in config.stash.get(_NAMED, set()):
        return SpecFile.from_parent(parent, path=file_path)
    return None


class SpecFile(pytest.File):
    """One spec: its checks grouped by kind, answered by one engine in file order."""

    _program: Program | None = None
    _suite: SuiteRun | None = None

    def display_path(self) -> str:
        """The spec's path as error messages show it: relative to where pytest was started."""
        here = self.config.invocation_params.dir
        return os.path.relpath(self.path, here) if self.path.is_relative_to(here) \
            else str(self.path)

    def program(self) -> Program:
        if self._program is None:
            shown = self.display_path()
            try:
                text = self.path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise self.CollectError(f"{shown}:1:1: error: cannot read spec: {exc}") from None
            try:
                self._program = load_spec(shown, text)
            except SpecError as err:
                raise self.CollectError(str(err)) from None
        return self._program

    def suite(self) -> SuiteRun:
        if self._suite is None:
            self._suite = SuiteRun(self.program(), {}, Engine(self.program()))
        return self._suite

    def collect(self) -> Iterator[SpecGroup]:
        program = self.program()
        targets: dict[str, list[Any]] = {
            "sanity": list(sanity_checks(program)), "question": list(program.questions),
            "invariant": list(program.invariants), "scenario": list(program.scenarios)}
        for kind in KINDS:
            if targets[kind]:
                yield SpecGroup.from_parent(self, name=kind, targets=targets[kind])


class SpecGroup(pytest.Collector):
    """The checks of one kind in a spec, so that ``FILE::question::ID`` selects one."""

    def __init__(self, *, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.targets = targets

    def collect(self) -> Iterator[SpecItem]:
        for target in self.targets:
            yield SpecItem.from_parent(self, name=target.id, kind=self.name, target=target)


class CheckFailed(Exception):
    """A spec's check did not come out as the spec expects (or its answer did not certify)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class SpecItem(pytest.Item):
    """One sanity check, question, invariant or scenario of a spec."""

    def __init__(self, *, kind: str, target: Query | SanityCheck | ScenarioDef,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind
        self.target = target
        self.add_marker(pytest.mark.clausecheck)

    @property
    def spec_file(self) -> SpecFile:
        parent = self.parent.parent if self.parent else None
        assert isinstance(parent, SpecFile)
        return parent

    def query(self) -> Query | None:
        if isinstance(self.target, SanityCheck):
            return self.target.query
        return self.target if isinstance(self.target, Query) else None

    def runtest(self) -> None:
        suite = self.spec_file.suite()
        query = self.query()
        try:
            if isinstance(self.target, ScenarioDef):
                result = suite.scenario(self.target)
            else:
                assert query is not None
                result = suite.judge(query, self.kind)
        except ClauseCheckError as exc:  # e.g. a witness that does not replay: never an answer
            raise CheckFailed([f"{self.kind} {self.name}: {exc}"]) from None
        if result.status is Status.SKIPPED:
            pytest.skip(result.detail)
        if result.status is not Status.OK:
            raise CheckFailed(self.explain(result))
        if query is not None and result.answer is not None and self.certifying():
            assert suite.engine is not None
            problems = certify(suite.engine, query, result.answer)
            if problems:
                raise CheckFailed(self.explain(result, problems))

    def certifying(self) -> bool:
        return bool(self.config.getoption("clausecheck_certify")
                    or self.config.getini("clausecheck_certify"))

    def explain(self, result: CheckResult, problems: list[str] | None = None) -> list[str]:
        """What a lawyer needs: the question, expected and actual verdicts, and the evidence."""
        program = self.spec_file.program()
        query = self.query()
        lines = [f"{self.kind} {result.id}: {result.question.strip()}"]
        if query is not None and query.formula_text:
            lines.append(f"{INDENT}formula:  {query.formula_text}")
        lines.append(f"{INDENT}expected: {result.expected or 'any verdict'}")
        lines.append(f"{INDENT}actual:   {result.verdict}")
        if query is not None and query.readings:
            lines.append(f"{INDENT}asked under: {readings_label(query.readings)} (fixed by the "
                         f"{query.kind}; no other combination is answered)")
        if result.detail and result.detail != f"expected {result.expected}, got {result.verdict}":
            lines.append(f"{INDENT}why:      {result.detail}")
        if problems:
            lines.append(f"{INDENT}the answer does not certify itself:")
            lines += [f"{INDENT * 2}{p}" for p in problems]
        if result.answer is not None:
            lines.append(f"{INDENT}by reading:")
            for r in result.answer.by_reading:
                expect = result.expected if result.expected in ("yes", "no") else "-"
                lines.append(f"{INDENT * 2}{readings_label(r.readings):<60} expected "
                             f"{expect:<4} actual {r.verdict}")
            lines.append(f"{INDENT}the answer:")
            lines += answer_lines(program, result.answer, INDENT * 2,
                                  query.body if query else None)
        if result.simulation is not None:
            lines.append(f"{INDENT}the timeline:")
            lines += scenario_lines(program, result.simulation, INDENT * 2)
        return lines

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str | Any:
        if isinstance(excinfo.value, CheckFailed):
            return "\n".join(excinfo.value.lines)
        return super().repr_failure(excinfo, style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        query = self.query()
        under = f" (under {readings_label(query.readings)})" if query and query.readings else ""
        return self.path, None, f"{self.kind} {self.name}{under}"
