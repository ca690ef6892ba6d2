"""Load a spec file: YAML, then pydantic, then every formula parsed and checked.

Any problem is a :class:`SpecError` carrying ``FILE:LINE:COL``; a spec that
loads is a :class:`Program` that both interpreters can run without surprises.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import re
from collections.abc import Iterator
from datetime import date as CalendarDay
from pathlib import Path
from typing import TYPE_CHECKING, Any

from model import ast
from model.ast import EnumT, SetT, Type
from model.calendars import FUNCTIONS as CALENDAR_FUNCTIONS
from model.calendars import WEEKDAY_ENUM, WEEKDAYS
from model.calendars import load as load_calendars
from model.causality import look_ahead
from model.checker import BUILTIN_PREDICATES, KEYWORDS, Checker, Signature, Vocabulary, suggest
from model.duties import (
    Duties,
    DutyLoader,
    attach_duties,
    expected_missed,
    group_permits,
    is_synthetic,
    unknown_forbidder,
)
from model.duty_cycles import joined_depths
from model.errors import FormulaError, SpecError, shown
from model.limits import (
    MAX_EXPANDED,
    definition_depths,
    expanded_depth,
    find_cycle,
    too_deep,
)
from model.money import money_value
from model.parser import parse
from model.program import (
    Axiom,
    ClauseInfo,
    Definition,
    Forbid,
    Program,
    Query,
    ReadingDef,
    ScenarioDef,
    StatusDef,
    StatusExpectation,
)
from model.prose import check_prose
from model.references import check_references
from model.status_predicates import status_predicate, status_predicates, used_only
from model.timecodec import TimeCodec, parse_date
from model.timeline import Event, Ref, Value
from model.yamlsource import PathKey, SourceMap, load_yaml

if TYPE_CHECKING:  # imported by _load: asking a cached program's question needs neither
    from pydantic import ValidationError

    from model.spec import Spec

_NAME = r"([A-Za-z_][A-Za-z0-9_]*)"
_TYPE_TEXT = re.compile(rf"^\s*{_NAME}\s*(?:\[\s*{_NAME}\s*\])?\s*$")


def load_spec(path: Path | str, text: str | None = None) -> Program:
    """Read, validate and check one spec file.

    >>> load_spec("specs/waiver.yaml").name  # doctest: +SKIP
    'waiver'
    """
    with _gc_paused():
        return _load(path, text)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading builds many small objects and no cycles worth collecting; the cyclic collector,
    run again and again over the growing heap, would double the time of a 10,000-term formula."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(path: Path | str, text: str | None) -> Program:
    from pydantic import ValidationError

    from model.spec import Spec

    data, smap = load_yaml(path, text)
    if not isinstance(data, dict):
        raise SpecError(smap.at(()), "a spec is a mapping with 'agreement', 'clauses' and more")
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(exc, data, smap) from None
    return _Builder(spec, smap).build()


def _validation_error(exc: ValidationError, data: Any, smap: SourceMap) -> SpecError:
    first = exc.errors()[0]
    path = _data_path(data, first["loc"])
    where = _describe_path(data, path)
    kind = first["type"]
    if kind == "missing":
        field = first["loc"][-1]
        return SpecError(smap.at(path), f"{where or 'the spec'}: missing required key {field!r}")
    if kind == "extra_forbidden":
        key = str(first["loc"][-1])
        return SpecError(smap.at(path, key=True), f"unknown key {shown(key)}"
                         f"{_known_keys_hint(key)}")
    value = first.get("input")
    quoted = f" {shown(value)}" if isinstance(value, str | int | float | bool) else ""
    message = first["msg"]
    if kind == "string_pattern_mismatch":
        message = "not a valid name here" if "A-Za-z_" in str(first.get("ctx")) else message
    return SpecError(smap.at(path), f"{where}:{quoted} {message[0].lower()}{message[1:]}")


_SINGULAR = {"clauses": "clause", "questions": "question", "invariants": "invariant",
             "scenarios": "scenario", "statuses": "status", "actors": "actor",
             "instruments": "instrument", "events": "event", "rules": "rule",
             "definitions": "definition"}


def _describe_path(data: Any, path: PathKey) -> str:
    """``clause '3'.rules[1]`` rather than ``clauses[2].rules[1]``: items by their ids."""
    parts: list[str] = []
    node = data
    for i, part in enumerate(path):
        node = node[part]
        if isinstance(part, int):
            group = path[i - 1] if i else ""
            item_id = node.get("id") if isinstance(node, dict) else None
            if item_id is not None and isinstance(group, str) and group in _SINGULAR:
                parts[-1] = f"{_SINGULAR[group]} {str(item_id)!r}"
            elif isinstance(group, str) and group in _SINGULAR:
                parts[-1] = f"{_SINGULAR[group]} {part + 1}"
            else:
                parts[-1] = f"{parts[-1]} item {part + 1}" if parts else f"item {part + 1}"
        else:
            parts.append(part)
    return ".".join(parts)


def _known_keys_hint(key: str) -> str:
    from model import spec as spec_types

    names = {field for model in vars(spec_types).values()
             if isinstance(getattr(model, "model_fields", None), dict)
             for field in model.model_fields}
    return suggest(key, names)


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """The part of a pydantic error location that names real keys and indexes in the data."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            path.append(part)
            node = node[part]
    return tuple(path)


class _Builder:
    """Builds a :class:`Program` from a validated spec, one declaration group at a time."""

    def __init__(self, spec: Spec, smap: SourceMap) -> None:
        self.spec = spec
        self.smap = smap

    def fail(self, path: PathKey, message: str, *, key: bool = False) -> SpecError:
        return SpecError(self.smap.at(path, key=key), message)

    def formula_error(self, path: PathKey, err: FormulaError) -> SpecError:
        return SpecError(self.smap.in_text(path, err.line, err.col), err.message)

    # ------------------------------------------------------------------ declarations

    def date(self, text: str, path: PathKey) -> int:
        try:
            return self.codec.parse(text)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None

    def day(self, text: str, path: PathKey) -> CalendarDay:
        try:
            return parse_date(text)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None

    def build(self) -> Program:
        spec = self.spec
        self.codec = TimeCodec(spec.time.unit, spec.time.zone)
        try:
            self.codec.tz  # noqa: B018 - fail early, at the zone's line
        except ValueError as exc:
            raise self.fail(("time", "zone"), str(exc)) from None
        first = self.day(spec.time.horizon[0], ("time", "horizon", 0))
        last = self.day(spec.time.horizon[1], ("time", "horizon", 1))
        try:
            horizon = self.codec.horizon(first, last)
        except ValueError as exc:
            raise self.fail(("time", "horizon"), str(exc)) from None
        if horizon[0] >= horizon[1]:
            raise self.fail(("time", "horizon"), "the horizon's first day must precede its last")
        self.day(spec.agreement.date, ("agreement", "date"))
        calendars = load_calendars(spec.time, self.codec, horizon, self.fail)
        enums: dict[str, tuple[str, ...]] = {WEEKDAY_ENUM: WEEKDAYS}
        if spec.actors:
            enums["Actor"] = tuple(a.id for a in spec.actors)
        if spec.instruments:
            enums["Instrument"] = tuple(i.id for i in spec.instruments)
        for name, decl in spec.enums.items():
            if name == WEEKDAY_ENUM:
                raise self.fail(("enums", name), "'Weekday' is the builtin enumeration of the "
                                "days of the week (weekday(t)); choose another name", key=True)
            if name in enums:
                raise self.fail(("enums", name), f"enumeration {name!r} is declared twice", key=True)
            if not decl.values:
                raise self.fail(("enums", name), f"enumeration {name!r} has no values")
            enums[name] = tuple(decl.values)
        self.value_enum: dict[str, str] = {}
        self.owners: dict[str, PathKey] = {}
        for i, actor in enumerate(spec.actors):
            self.claim(actor.id, ("actors", i, "id"), "Actor")
        for i, inst in enumerate(spec.instruments):
            self.claim(inst.id, ("instruments", i, "id"), "Instrument")
        for name, decl in spec.enums.items():
            for value in decl.values:
                self.claim(value, ("enums", name, "values", value), name)
        for value in WEEKDAYS:  # the builtin Weekday; a spec's own value of the name wins
            self.value_enum.setdefault(value, WEEKDAY_ENUM)
        for name in spec.time.calendars:
            self.claim(name, ("time", "calendars", name), None)
        dates: dict[str, int] = {}
        for name, text in spec.dates.items():
            self.claim(name, ("dates", name), None)
            dates[name] = self.date(text, ("dates", name))
            if not horizon[0] <= dates[name] <= horizon[1]:
                raise self.fail(("dates", name), f"date {name!r} ({text}) lies outside the "
                                "horizon; widen time.horizon")
        self.date_owners = self.clause_dates(dates, horizon)
        vocab = Vocabulary(enums, self.value_enum, dates, {}, {
            n: tuple(r.options) for n, r in spec.readings.items()})
        vocab.calendars = tuple(spec.time.calendars)
        self.vocab = vocab
        checker = Checker(vocab)
        for kind in spec.events:
            if kind in enums or kind in ("time", "int", "bool"):
                raise self.fail(("events", kind), f"event kind {kind!r} clashes with a type name",
                                key=True)
            vocab.kinds[kind] = {}
        for kind, kind_decl in spec.events.items():
            for fname, ftext in kind_decl.fields.items():
                if fname == "date":
                    raise self.fail(("events", kind, "fields", "date"),
                                    "every event has a 'date'; do not declare it", key=True)
                vocab.kinds[kind][fname] = self.field_type(checker, ftext,
                                                           ("events", kind, "fields", fname))
        readings = {}
        for name, r in spec.readings.items():
            if r.default not in r.options:
                raise self.fail(("readings", name, "default"),
                                f"default {r.default!r} is not an option of reading {name!r}"
                                f"{suggest(r.default, r.options)}")
            readings[name] = ReadingDef(name, r.question, tuple(r.options), r.default)
        self.check_ids()
        check_prose(spec, self.fail)
        self.status_preds: set[str] = set()
        raw_defs = self.parse_definitions(checker)
        duties = DutyLoader(self, checker).load()
        definitions = self.check_definitions(checker, raw_defs)
        clauses, forbids, axioms = self.check_clauses(checker, definitions)
        definitions, clauses, forbids = self.add_duties(duties, definitions, clauses, forbids)
        self.depths = joined_depths(self, definitions, duties, forbids)
        program = Program(
            file=self.smap.file, spec=spec, horizon=horizon, enums=enums, dates=dates,
            kinds=vocab.kinds, readings=readings, definitions=definitions, forbids=forbids,
            axioms=axioms, clauses=clauses, statuses=self.check_statuses(checker, definitions),
            questions=self.check_questions(checker), invariants=self.check_invariants(checker),
            scenarios=(), codec=self.codec, constants=frozenset(), offsets=frozenset(),
            obligations=tuple(duties.obligations), background=duties.background,
            permits=group_permits(duties.permits),
            date_owners=self.date_owners,
            calendars=calendars, agreement_id=spec.agreement.id,
            agreement_date=spec.agreement.date, calendar_names=tuple(spec.time.calendars),
        )
        self.check_depths(program)
        self.check_causality(program)
        scenarios = self.check_scenarios(program)
        constants, offsets = _collect_constants(program)
        return Program(**{**program.__dict__, "scenarios": scenarios, "constants": constants,
                          "offsets": offsets,
                          "definitions": used_only(program, self.status_preds)})

    def add_duties(self, duties: Duties, definitions: dict[str, Definition],
                   clauses: tuple[ClauseInfo, ...], forbids: dict[str, tuple[Forbid, ...]]
                   ) -> tuple[dict[str, Definition], tuple[ClauseInfo, ...],
                              dict[str, tuple[Forbid, ...]]]:
        """The program's parts with the duties of :mod:`model.duties` added."""
        self.def_paths.update(duties.paths)
        for name, d in duties.definitions.items():
            self.depths[name] = expanded_depth(d.body, self.depths)
        by_kind = {k: list(v) for k, v in forbids.items()}
        for f in duties.forbids:
            by_kind.setdefault(f.kind, []).append(f)
        return {**definitions, **duties.definitions}, attach_duties(clauses, duties), {
            k: tuple(v) for k, v in by_kind.items()}

    def check_depths(self, program: Program) -> None:
        """Refuse a formula that nests too deep once its calls are expanded (model.limits)."""
        items: list[tuple[ast.Expr, PathKey, str]] = []
        for group, queries in (("questions", program.questions),
                               ("invariants", program.invariants)):
            items += [(q.body, (group, i, "formula"), f"{q.id!r}") for i, q in enumerate(queries)]
        items += [(st.formula, ("statuses", i, "formula"), f"status {st.id!r}")
                  for i, st in enumerate(program.statuses)]
        index = {c.id: i for i, c in enumerate(self.spec.clauses)}
        for info in program.clauses:
            items += [(f.when, ("clauses", index[info.id]), f"a rule of clause {info.id!r}")
                      for f in info.forbids]
            items += [(a.formula, ("clauses", index[info.id]), f"a rule of clause {info.id!r}")
                      for a in info.axioms]
        for expr, path, what in items:
            if expanded_depth(expr, self.depths) > MAX_EXPANDED:
                raise self.fail(path, too_deep(what))

    def clause_dates(self, dates: dict[str, int], horizon: tuple[int, int]) -> dict[str, str]:
        """The named dates clauses define, added to ``dates`` (one namespace); their owners."""
        owners: dict[str, str] = {}
        for ci, clause in enumerate(self.spec.clauses):
            for name, text in clause.dates.items():
                path: PathKey = ("clauses", ci, "dates", name)
                self.claim(name, path, None)
                dates[name] = self.date(text, path)
                if not horizon[0] <= dates[name] <= horizon[1]:
                    raise self.fail(path, f"date {name!r} ({text}) lies outside the horizon; "
                                    "widen time.horizon")
                owners[name] = clause.id
        return owners

    def claim(self, name: str, path: PathKey, enum: str | None) -> None:
        if name in KEYWORDS:
            raise self.fail(path, f"{name!r} is a keyword of the formula language", key=True)
        if name in self.owners:
            other = self.smap.at(self.owners[name], key=True)
            raise self.fail(path, f"the name {name!r} is already declared at line {other.line}",
                            key=True)
        self.owners[name] = path
        if enum is not None:
            self.value_enum[name] = enum

    def field_type(self, checker: Checker, text: str, path: PathKey) -> Type:
        match = _TYPE_TEXT.match(text)
        if not match:
            raise self.fail(path, f"{shown(text)} is not a type; write a name or set[Enum]")
        try:
            t = checker.type_of(ast.TypeName(match.group(1), match.group(2)))  # kinds: references
        except FormulaError as err:
            raise self.fail(path, err.message) from None
        return t

    def check_ids(self) -> None:
        spec = self.spec
        groups: list[tuple[str, list[Any], str]] = [
            ("clauses", spec.clauses, "clause"), ("questions", spec.questions, "question"),
            ("invariants", spec.invariants, "invariant"), ("scenarios", spec.scenarios, "scenario"),
            ("statuses", spec.statuses, "status"),
        ]
        for group, items, what in groups:
            seen: dict[str, int] = {}
            for i, item in enumerate(items):
                if item.id in seen:
                    first = self.smap.at((group, seen[item.id], "id"))
                    raise self.fail((group, i, "id"), f"duplicate {what} id {item.id!r} (first "
                                    f"used at line {first.line})")
                seen[item.id] = i
        query_ids = [q.id for q in spec.questions]
        for i, inv in enumerate(spec.invariants):
            if inv.id in query_ids:
                raise self.fail(("invariants", i, "id"), f"duplicate id {inv.id!r}: a question "
                                "already has it")

    # ------------------------------------------------------------------ formulas

    def parse_at(self, text: str, start: str, path: PathKey) -> Any:
        try:
            return parse(text, start, self.codec)
        except FormulaError as err:
            raise self.formula_error(path, err) from None

    def parse_definitions(self, checker: Checker) -> list[tuple[ast.RawDefinition, str | None,
                                                                 PathKey]]:
        out: list[tuple[ast.RawDefinition, str | None, PathKey]] = []
        for i, d in enumerate(self.spec.definitions):
            path: PathKey = ("definitions", i, "define")
            out.append((self.parse_at(d.define, "definition", path), None, path))
        for ci, clause in enumerate(self.spec.clauses):
            for ri, rule in enumerate(clause.rules):
                if hasattr(rule, "define"):
                    path = ("clauses", ci, "rules", ri, "define")
                    out.append((self.parse_at(rule.define, "definition", path), clause.id, path))
        for raw, _, path in out:
            if raw.name in self.vocab.predicates:
                raise self.formula_error(path, FormulaError(
                    f"predicate {raw.name!r} is defined twice", *raw.pos))
            if raw.name in CALENDAR_FUNCTIONS:
                raise self.formula_error(path, FormulaError(
                    f"{raw.name!r} is a calendar function; choose another name", *raw.pos))
            if raw.name in self.owners or raw.name in KEYWORDS or raw.name in BUILTIN_PREDICATES:
                raise self.formula_error(path, FormulaError(
                    f"{raw.name!r} is already a declared name", *raw.pos))
            params = []
            seen = set()
            for pname, ptype in raw.params:
                if pname in seen:
                    raise self.formula_error(path, FormulaError(
                        f"parameter {pname!r} appears twice", *ptype.pos))
                seen.add(pname)
                try:
                    params.append((pname, checker.type_of(ptype)))
                except FormulaError as err:
                    raise self.formula_error(path, err) from None
            self.vocab.predicates[raw.name] = Signature(raw.name, tuple(params))
        return out

    def check_definitions(
        self, checker: Checker, raw_defs: list[tuple[ast.RawDefinition, str | None, PathKey]]
    ) -> dict[str, Definition]:
        definitions: dict[str, Definition] = {}
        calls: dict[str, dict[str, ast.Pos]] = {}
        paths: dict[str, PathKey] = {}
        for raw, clause, path in raw_defs:
            sig = self.vocab.predicates[raw.name]
            for pname, _ in sig.params:
                if pname in self.vocab.names():
                    raise self.formula_error(path, FormulaError(
                        f"parameter {pname!r} would hide the declared name {pname!r}", *raw.pos))
            checker.calls = {}
            try:
                body = checker.formula(raw.body, dict(sig.params))
            except FormulaError as err:
                raise self.formula_error(path, err) from None
            definitions[raw.name] = Definition(raw.name, sig.params, body, clause)
            calls[raw.name] = dict(checker.calls)
            paths[raw.name] = path
        cycle = find_cycle(calls)
        if cycle is not None:
            caller, trail, pos = cycle
            raise self.formula_error(paths[caller], FormulaError(
                f"definition {trail[0]!r} refers to itself: {' -> '.join(trail)}", *pos))
        self.depths = definition_depths({n: d.body for n, d in definitions.items()}, calls)
        for name, levels in self.depths.items():
            if levels > MAX_EXPANDED:
                raise self.fail(paths[name], too_deep(f"definition {name!r}"))
        self.def_paths = paths
        self.def_calls = calls
        return definitions

    def check_clauses(
        self, checker: Checker, definitions: dict[str, Definition]
    ) -> tuple[tuple[ClauseInfo, ...], dict[str, tuple[Forbid, ...]], tuple[Axiom, ...]]:
        infos = []
        by_kind: dict[str, list[Forbid]] = {}
        all_axioms: list[Axiom] = []
        for ci, clause in enumerate(self.spec.clauses):
            if not clause.rules and not clause.not_temporal and not clause.dates:
                raise self.fail(("clauses", ci, "id"), f"clause {clause.id!r} has no rules; "
                                "say why in 'not_temporal'")
            forbids, axioms = [], []
            for ri, rule in enumerate(clause.rules):
                if hasattr(rule, "forbid"):
                    path: PathKey = ("clauses", ci, "rules", ri, "forbid")
                    raw = self.parse_at(rule.forbid, "forbid_rule", path)
                    try:
                        kind = checker.type_of(raw.kind)
                        if not isinstance(kind, ast.EventT):
                            raise FormulaError(f"only events can be forbidden, not {kind}",
                                               *raw.kind.pos)
                        when = checker.formula(raw.when, {raw.var: kind})
                    except FormulaError as err:
                        raise self.formula_error(path, err) from None
                    forbid = Forbid(raw.var, kind.kind, when, clause.id, rule.note)
                    forbids.append(forbid)
                    by_kind.setdefault(kind.kind, []).append(forbid)
                elif hasattr(rule, "assume"):
                    path = ("clauses", ci, "rules", ri, "assume")
                    raw_f = self.parse_at(rule.assume, "formula", path)
                    try:
                        formula = checker.formula(raw_f, {})
                    except FormulaError as err:
                        raise self.formula_error(path, err) from None
                    axioms.append(Axiom(formula, clause.id, rule.assume))
            all_axioms.extend(axioms)
            defines = tuple(d.name for d in definitions.values() if d.clause == clause.id)
            infos.append(ClauseInfo(clause.id, clause.heading, clause.text, clause.not_temporal,
                                    defines, tuple(forbids), tuple(axioms)))
        return tuple(infos), {k: tuple(v) for k, v in by_kind.items()}, tuple(all_axioms)

    def check_causality(self, program: Program) -> None:
        """Refuse a status, forbid rule or timed definition that can see past its time."""
        defs = {n: (d.params, d.body) for n, d in program.definitions.items()}
        roots: list[tuple[ast.Expr, list[str], str, PathKey]] = []
        for name, d in program.definitions.items():
            times = [p for p, t in d.params if isinstance(t, ast.TimeT)]
            if times:
                past = [p for p, t in d.params if isinstance(t, ast.TimeT | ast.EventT)]
                roots.append((d.body, past, " or ".join(times), self.def_paths[name]))
        for ci, clause in enumerate(self.spec.clauses):
            for ri, rule in enumerate(clause.rules):
                if hasattr(rule, "forbid"):
                    index = [r for r in clause.rules if hasattr(r, "forbid")].index(rule)
                    forbid = program.clause(clause.id).forbids[index]
                    roots.append((forbid.when, [forbid.var], f"{forbid.var}.date",
                                  ("clauses", ci, "rules", ri, "forbid")))
        for i, status in enumerate(program.statuses):
            past = ["t", *([status.for_var[0]] if status.for_var else [])]
            roots.append((status.formula, past, "t", ("statuses", i, "formula")))
        for expr, past, judged, path in roots:
            found = look_ahead(expr, past, judged, defs)
            if found is not None:
                where = path if found.definition is None else self.def_paths[found.definition]
                raise self.formula_error(where, found.error)

    def check_statuses(self, checker: Checker,
                       definitions: dict[str, Definition]) -> tuple[StatusDef, ...]:
        out = []
        for i, status in enumerate(self.spec.statuses):
            scope: dict[str, Type] = {"t": ast.TIME}
            for_var = None
            if status.for_:
                path: PathKey = ("statuses", i, "for")
                var, tname = self.parse_at(status.for_, "binding", path)
                try:
                    vtype = checker.type_of(tname)
                except FormulaError as err:
                    raise self.formula_error(path, err) from None
                if not isinstance(vtype, ast.EventT):
                    raise self.fail(path, f"'for' ranges over the events of a kind, not {vtype}")
                scope[var] = vtype
                for_var = (var, vtype.kind)
            path = ("statuses", i, "formula")
            raw = self.parse_at(status.formula, "formula", path)
            try:
                formula = checker.formula(raw, scope)
            except FormulaError as err:
                raise self.formula_error(path, err) from None
            out.append(StatusDef(status.id, status.label, formula, for_var))
            if status_predicate(self.vocab, definitions, out[-1]):
                self.def_paths[status.id] = path
                self.status_preds.add(status.id)
        return tuple(out)

    def query(self, checker: Checker, path: PathKey, qid: str, kind: str, text: str,
              formula: str, mode: str | None, expect: Any, cites: list[str],
              readings: dict[str, str] | None = None) -> Query:
        if mode is None:
            raw = self.parse_at(formula, "question", path)
            mode, raw_body = raw.mode, raw.body
        else:
            raw_body = self.parse_at(formula, "formula", path)
        try:
            body, free = checker.open_formula(raw_body, {})
        except FormulaError as err:
            raise self.formula_error(path, err) from None
        clause_ids = [c.id for c in self.spec.clauses]
        for j, cited in enumerate(cites):
            if cited not in clause_ids:
                raise self.fail((*path[:-1], "cites", j), f"unknown clause {shown(cited)}"
                                f"{suggest(cited, clause_ids)}")
        for name, option in (readings or {}).items():
            self.check_reading(name, option, (*path[:-1], "readings", name))
        return Query(qid, kind, text, formula, mode, free, body, expect,  # type: ignore[arg-type]
                     tuple(cites), tuple(sorted((readings or {}).items())))

    def check_questions(self, checker: Checker) -> tuple[Query, ...]:
        return tuple(
            self.query(checker, ("questions", i, "formula"), q.id, "question", q.ask, q.formula,
                       None, q.expect, q.cites, q.readings)
            for i, q in enumerate(self.spec.questions))

    def check_invariants(self, checker: Checker) -> tuple[Query, ...]:
        return tuple(
            self.query(checker, ("invariants", i, "formula"), q.id, "invariant", q.statement,
                       q.formula, "must", "yes", q.cites, q.readings)
            for i, q in enumerate(self.spec.invariants))

    # ------------------------------------------------------------------ scenarios

    def check_scenarios(self, program: Program) -> tuple[ScenarioDef, ...]:
        out = []
        for si, sc in enumerate(self.spec.scenarios):
            base: PathKey = ("scenarios", si)
            for name, option in sc.readings.items():
                self.check_reading(name, option, (*base, "readings", name))
            events = parse_events(program, sc.events, lambda sub, msg, key=False, base=base:
                                  self.fail((*base, "events", *sub), msg, key=key))
            ids = {e.id for e in events}
            expects = []
            statuses = {s.id: s for s in program.statuses}
            for xi, entry in enumerate(sc.expect):
                xpath: PathKey = (*base, "expect", xi)
                if "at" not in entry:
                    raise self.fail(xpath, "an expectation needs 'at: DATE'")
                at = parse_moment(program, entry["at"], lambda sub, msg, xpath=xpath:
                                  self.fail((*xpath, "at", *sub), msg))
                for key, value in entry.items():
                    if key == "at":
                        continue
                    if key not in statuses:
                        raise self.fail((*xpath, key), f"unknown status {shown(key)}"
                                        f"{suggest(key, statuses)}", key=True)
                    expects.append(StatusExpectation(at, key, self.status_value(
                        statuses[key], value, ids, (*xpath, key)), (*xpath, key)))
            breaches = []
            clause_ids = [c.id for c in program.clauses] + [  # a background rule's too
                bid for bid in program.background
                if any(f.clause == bid for fs in program.forbids.values() for f in fs)]
            missed_at = []
            for bi, b in enumerate(sc.breaches):
                if b.event is None or b.missed is not None:
                    label, when = expected_missed(program, b, (*base, "breaches", bi), self.fail)
                    breaches.append((label, b.clause))
                    missed_at.append(when)
                    continue
                if b.event not in ids:
                    raise self.fail((*base, "breaches", bi, "event"), f"unknown event "
                                    f"{shown(b.event)}{suggest(b.event, ids)}")
                if b.clause not in clause_ids:
                    raise self.fail((*base, "breaches", bi, "clause"), unknown_forbidder(
                        program, b.clause, clause_ids))
                breaches.append((b.event, b.clause))
            out.append(ScenarioDef(sc.id, sc.description, dict(sc.readings), tuple(events),
                                   tuple(expects), tuple(breaches), tuple(missed_at)))
        return tuple(out)

    def check_reading(self, name: str, option: str, path: PathKey) -> None:
        """A reading fixed by a scenario, a question or an invariant: the one check of all
        three, with one message."""
        readings = self.spec.readings
        if name not in readings:
            known = f"the spec's readings: {', '.join(readings)}" if readings else \
                "the spec declares no readings"
            raise self.fail(path, f"unknown reading {name!r} ({known}){suggest(name, readings)}",
                            key=True)
        options = list(readings[name].options)
        if option not in options:
            raise self.fail(path, f"reading {name!r} has no option {option!r} (its options: "
                            f"{', '.join(options)}){suggest(option, options)}")

    def status_value(self, status: StatusDef, value: Any, ids: set[str],
                     path: PathKey) -> bool | tuple[str, ...]:
        if status.for_var is None:
            if not isinstance(value, bool):
                raise self.fail(path, f"status {status.id!r} is true or false, not {shown(value)}")
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, f"status {status.id!r} lists event ids, as in [e1, e2]")
        for v in value:
            if v not in ids:
                raise self.fail(path, f"unknown event {shown(v)}{suggest(v, ids)}")
        return tuple(sorted(value))



_EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.()\-]*$")


def parse_events(program: Program, raws: Any, fail: Any) -> list[Event]:
    """The events of a scenario or a timeline file, checked alike: each event as
    :func:`parse_event` checks it, and no id twice. ``fail(subpath, message)`` builds the error,
    ``subpath`` starting at the event's index."""
    if not isinstance(raws, list):
        raise fail((), "'events' is a list of events")
    events: list[Event] = []
    ids: set[str] = set()
    for i, raw in enumerate(raws):
        event = parse_event(program, raw, f"e{i + 1}", lambda sub, msg, key=False, i=i:
                            fail((i, *sub), msg, key=key))
        if event.id in ids:
            raise fail((i, "id"), f"duplicate event id {shown(event.id)}")
        ids.add(event.id)
        events.append(event)
    check_references(program.kinds, program.codec, events,
                     lambda i, fname, msg: fail((i, fname), msg))
    return events


def parse_moment(program: Program, value: Any, fail: Any) -> int:
    """A date (or time) inside the spec's horizon, as in ``at:``; ``fail(subpath, message)``."""
    if not isinstance(value, str):
        raise fail((), f"expected a date such as 2003-07-09, not {shown(value)}")
    try:
        when = program.codec.parse(value)
    except ValueError as exc:
        raise fail((), str(exc)) from None
    if not program.horizon[0] <= when <= program.horizon[1]:
        raise fail((), f"{shown(value)} lies outside the horizon")
    return when


def parse_event(program: Program, raw: dict[str, Any], default_id: str, fail: Any) -> Event:
    """An event from its YAML or JSON form; ``fail(subpath, message)`` builds the error."""
    if not isinstance(raw, dict):
        raise fail((), "an event is a mapping with 'date', 'kind' and its fields")
    for need in ("date", "kind"):
        if need not in raw:
            raise fail((), f"the event needs {need!r}")
    given_id = raw.get("id", default_id)
    if not isinstance(given_id, str) or not _EVENT_ID.match(given_id):
        raise fail(("id",), f"an event id is a name such as e1 or remedies, not {shown(given_id)}")
    kind = str(raw["kind"])
    if kind not in program.kinds:
        raise fail(("kind",), f"unknown event kind {shown(kind)}{suggest(kind, program.kinds)}")
    when = parse_moment(program, raw["date"], lambda sub, msg: fail(("date", *sub), msg))
    fields = program.kinds[kind]
    values: list[tuple[str, Value]] = []
    for key in raw:
        if key not in ("date", "kind", "id") and key not in fields:
            raise fail((key,), f"event kind {kind!r} has no field {shown(key)}"
                       f"{suggest(key, fields)}", key=True)
    for fname, ftype in fields.items():
        if fname not in raw:
            raise fail((), f"the {kind} event needs its field {fname!r} ({ftype})")
        values.append((fname, _field_value(program, ftype, raw[fname], (fname,), fail)))
    return Event(given_id, kind, when, tuple(values), program.time_fields(kind),
                 program.percent_fields(kind))


def _field_value(program: Program, ftype: Type, value: Any, sub: tuple[str, ...],
                 fail: Any) -> Value:
    if isinstance(ftype, EnumT):
        members = program.enums[ftype.name]
        if value not in members:
            raise fail(sub, f"{shown(value)} is not a value of {ftype.name}"
                       f"{suggest(str(value), members)}")
        return str(value)
    if isinstance(ftype, SetT):
        members = program.enums[ftype.elem.name]
        if not isinstance(value, list):
            raise fail(sub, f"a set of {ftype.elem.name} is written as a list, as in [a, b]")
        for v in value:
            if v not in members:
                raise fail(sub, f"{shown(v)} is not a value of {ftype.elem.name}"
                           f"{suggest(str(v), members)}")
        return frozenset(str(v) for v in value)
    if isinstance(ftype, ast.TimeT):
        try:
            return program.codec.parse(str(value))
        except ValueError as exc:
            raise fail(sub, str(exc)) from None
    if isinstance(ftype, ast.EventT):
        if not isinstance(value, str):
            raise fail(sub, f"a reference to {ftype.kind} is the id of an event, not "
                       f"{shown(value)}")
        return Ref(value)
    if isinstance(ftype, ast.IntT):
        if not isinstance(value, int) or isinstance(value, bool):
            raise fail(sub, f"expected a whole number (a duration), not {shown(value)}")
        return value
    if isinstance(ftype, ast.AmountT | ast.RatioT):
        return money_value(ftype, value, lambda msg: fail(sub, msg))
    if not isinstance(value, bool):
        raise fail(sub, f"expected true or false, not {shown(value)}")
    return value


def _collect_constants(program: Program) -> tuple[frozenset[int], frozenset[int]]:
    """Every fixed time and every day offset in the spec's formulas (see model.concrete)."""
    times: set[int] = set(program.dates.values())
    offsets: set[int] = {0}
    exprs: list[ast.Expr] = [d.body for d in program.definitions.values()]
    exprs += [f.when for fs in program.forbids.values() for f in fs]
    exprs += [a.formula for a in program.axioms]
    exprs += [q.body for q in (*program.questions, *program.invariants)]
    exprs += [s.formula for s in program.statuses]
    for expr in exprs:
        collect_constants(expr, times, offsets)
    return frozenset(times), frozenset(offsets)


def collect_constants(expr: ast.Expr, times: set[int], offsets: set[int]) -> None:
    """Add the time literals and duration literals of ``expr`` to the two sets."""
    for node in ast.walk(expr):
        if isinstance(node, ast.TimeLit):
            times.add(node.value)
        elif isinstance(node, ast.IntLit):
            offsets.add(node.value)



def vocabulary(program: Program) -> Vocabulary:
    """The names a new formula may use against a loaded spec."""
    value_enum = {v: e for e, values in program.enums.items() for v in values}
    predicates = {n: Signature(n, d.params)
                  for n, d in {**status_predicates(program), **program.definitions}.items()
                  if not is_synthetic(n)}
    return Vocabulary(dict(program.enums), value_enum, dict(program.dates), dict(program.kinds),
                      {n: r.options for n, r in program.readings.items()}, predicates,
                      calendars=program.calendar_names,
                      obliged={o.kind for o in program.obligations})


def check_question(program: Program, text: str, qid: str = "ask") -> tuple[Program, Query]:
    """An ad-hoc ``can …`` / ``must …`` question, checked; and the program that knows its dates.

    Raises :class:`FormulaError` located within ``text``.
    """
    raw = parse(text, "question", program.codec)
    body, free = Checker(vocabulary(program)).open_formula(raw.body, {})
    depths = definition_depths({n: d.body for n, d in program.definitions.items()},
                               {n: {c.pred: c.pos for c in ast.walk(d.body)
                                    if isinstance(c, ast.Call)}
                                for n, d in program.definitions.items()})
    if expanded_depth(body, depths) > MAX_EXPANDED:
        raise FormulaError(too_deep("the question"), *raw.pos)
    query = Query(qid, "question", text, text, raw.mode, free, body, None, ())
    times, offsets = set(program.constants), set(program.offsets)
    collect_constants(body, times, offsets)
    called = {n.pred for n in ast.walk(body) if isinstance(n, ast.Call)}
    statuses = {k: d for k, d in status_predicates(program).items() if k in called}
    extended = dataclasses.replace(program, constants=frozenset(times),
                                   offsets=frozenset(offsets),
                                   definitions={**program.definitions, **statuses})
    return extended, query
