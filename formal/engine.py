"""Answer ``can`` and ``must`` questions over every timeline, under every reading.

For each question, one Z3 problem: the spec's clauses (each behind its
tracking literal) and the question's goal, built once; each reading is a
literal too, and each combination of the readings the question touches is
one check under assumptions that fix them (the same answer as a problem built
with the readings as constants, without building the terms again).
``sat`` gives a witness, cut to the fewest events and replayed through the
concrete model before it is returned; ``unsat`` gives a core of clause
literals, shrunk until every member is necessary.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

import z3

from model import ast
from model.concrete import Context, axioms_hold, holds
from model.errors import BudgetExceeded, EvaluationError, ReplayMismatch, UsageError
from model.money import Money
from model.money import show_value as money_shown
from model.program import Program, Query
from model.timecodec import TimeCodec
from model.timeline import Event, Ref, Timeline, Value

from . import budget
from .compile import (
    Slot,
    SymContext,
    axioms,
    declare,
    evaluate,
    fix_readings,
    make_slots,
    reading_literal,
)
from .compile_duties import grant_assumptions, grant_literals
from .compile_money import from_model
from .cone import reading_cone
from .fragment import POS, Shape, shape_of
from .permissions import needed, reached, survives_deletion, without_permissions
from .verdict import Answer, Citation, ReadingAnswer, Verdict, Witness, combine, witness_values

WATCH_EVERY = 0.05
"""Seconds between two looks at the clock and the process's memory while a question runs."""
RLIMIT = 50_000_000
"""Z3 resource units per check: a budget that is the same on every machine, unlike seconds."""
SEED = 0
SCRATCH_USES = 64
"""Reading cones computed in one scratch context before it is made afresh (see ``scratch``)."""
MONTH, YEAR = 31, 366
"""Witness dates are sought first from the agreement's date to a month past the spec's last
date, then within a month and a year of the spec's dates, and only then anywhere."""


@contextmanager
def unchecked_z3py() -> Iterator[None]:
    """z3py's own Python-side sort checks off while the block runs (as under ``python -O``).

    They cost about a fifth of the engine's time and guard nothing the engine needs: Z3's C
    API still refuses an ill-sorted term (a ``Z3Exception``, never a wrong term). The command
    line runs with them off; the test suite keeps them on. The switch is z3py's, for the
    whole process: not for threads that share z3py.
    """
    previous = z3.z3.Z3_DEBUG
    z3.z3.Z3_DEBUG = False
    try:
        yield
    finally:
        z3.z3.Z3_DEBUG = previous


def goal_of(query: Query) -> ast.Expr:
    """The formula whose satisfiability decides the query, free event variables bound."""
    goal = query.body if query.mode == "can" else ast.Not(query.body)
    for name, typ in reversed(query.free):
        if isinstance(typ, ast.EventT):
            goal = ast.Quant("exists", name, typ, goal)
    return goal


def with_own_readings(query: Query, fixed: Mapping[str, str]) -> dict[str, str]:
    """``fixed`` (from the command line) with the readings the query fixes itself; a reading
    the two fix differently is a usage error."""
    for name, option in query.readings:
        if fixed.get(name, option) != option:
            raise UsageError(f"{query.kind} {query.id!r} is asked under {name}={option}; it "
                             f"cannot be answered under {name}={fixed[name]}")
    return {**fixed, **dict(query.readings)}


def readings_used(program: Program, exprs: Iterable[ast.Expr]) -> list[str]:
    """The readings a formula can reach, through the definitions and forbid rules it uses."""
    found = {n.reading for n in program.reachable(exprs) if isinstance(n, ast.ReadingIs)}
    return [r for r in program.readings if r in found]


@dataclass
class _Base:
    """What every query with the same event slots shares: the slots and their constraints, the
    spec's assumptions over them, and (in ``ctx``) every predicate compiled so far."""

    ctx: SymContext
    slot_terms: list[z3.BoolRef]
    axiom_terms: list[z3.BoolRef]


@dataclass
class _Template:
    """A query's terms, built once; its readings are literals that assumptions fix."""

    query: Query
    ctx: SymContext
    shape: Shape
    env: dict[str, Any]
    terms: list[z3.BoolRef]
    """What the solver asserts, in order: slot domains and symmetry, free variables' domains,
    the spec's assumptions, the goal."""
    solver: z3.Solver | None = None
    """One solver for every reading combination of the query (made on first use)."""
    cone: tuple[str, ...] | None = None
    """The readings the problem can depend on (see :func:`formal.cone.reading_cone`)."""


@dataclass
class _Problem:
    ctx: SymContext
    solver: z3.Solver
    shape: Shape
    env: dict[str, Any]
    assumptions: list[z3.BoolRef]
    fixed: list[z3.BoolRef]
    """The assumptions no clause core may leave out: the readings chosen, the clauses dropped."""


class Engine:
    """Answers questions about one checked spec; owns one Z3 context."""

    def __init__(self, program: Program, *, rlimit: int = RLIMIT) -> None:
        self.program = program
        self.rlimit = rlimit
        self.budget = budget.current()
        self.deadline: float | None = None
        """When the item being answered must stop (see :mod:`formal.budget`)."""
        self.out_of_memory = False
        """Set when the process passed its memory budget while the question ran."""
        self._previous: tuple[list[Event], dict[str, Any]] | None = None
        """The last witness of the question being answered, when in the first window."""
        self._last: tuple[list[Event], dict[str, Any], dict[str, str]] | None = None
        """The last witness found or reused, with its full readings."""
        self.z3ctx = z3.Context()
        self.interrupted = False
        """Set when the watchdog interrupted the context: it is replaced before its next use
        (:meth:`fresh_context`)."""
        self._template: _Template | None = None
        self._scratch: z3.Context | None = None
        self._scratch_uses = 0
        self._bases: dict[tuple[tuple[str, int], ...], _Base] = {}
        self._reading_literals: list[tuple[str, str, z3.BoolRef, z3.BoolRef]] | None = None
        self._stripped: Program | None = None
        """The program with every permission deleted (:func:`formal.permissions.survives_deletion`)."""
        self._reach: tuple[Query, set[str]] | None = None
        """The last query's clauses with permissions it reaches (the walk is per query)."""
        signed = program.codec.encode_day(program.codec_day(program.agreement_date))
        first, last = min([signed, *program.constants]), max([signed, *program.constants])
        lo, hi = program.horizon
        day = program.codec.per_day
        self.windows = [(max(lo, start), min(hi, end)) for start, end in (
            (signed, last + MONTH * day), (first - MONTH * day, last + MONTH * day),
            (first - YEAR * day, last + YEAR * day))]

    # ------------------------------------------------------------------ readings

    def combinations(self, query: Query, fixed: Mapping[str, str]) -> list[dict[str, str]]:
        """Every combination of the readings the query touches; ``fixed`` ones take one value,
        and so do those the query fixes itself (a conflict between the two is refused)."""
        fixed = with_own_readings(query, fixed)
        for name, option in fixed.items():
            if name not in self.program.readings:
                raise UsageError(f"unknown reading {name!r}")
            if option not in self.program.readings[name].options:
                raise UsageError(f"reading {name!r} has no option {option!r}; its options are "
                                 f"{', '.join(self.program.readings[name].options)}")
        used = self.readings_touched(query)
        axes = [[fixed[r]] if r in fixed else list(self.program.readings[r].options)
                for r in used]
        return [dict(zip(used, combo, strict=True)) for combo in itertools.product(*axes)]

    def readings_touched(self, query: Query) -> list[str]:
        return readings_used(self.program, [goal_of(query)])

    # ------------------------------------------------------------------ answering

    def answer(self, query: Query, fixed: Mapping[str, str] | None = None,
               drop: Iterable[str] = (),
               progress: Callable[[int, int, str], None] | None = None) -> Answer:
        """The query's verdict under every reading combination (``fixed`` ones held);
        ``progress(done, total, what)`` hears of each combination as it starts."""
        fixed = dict(fixed or {})
        self.fresh_context()
        self.deadline = self.budget.deadline()
        self._previous = None
        combos = self.combinations(query, fixed)
        answers: list[ReadingAnswer] = []
        solved: dict[tuple[tuple[str, str], ...], ReadingAnswer] = {}
        with self.watchdog():
            for i, combo in enumerate(combos):
                if progress:
                    progress(i, len(combos), ", ".join(f"{k}={v}" for k, v in combo.items())
                             or query.id)
                key = self.shareable(query, combo) if len(combos) > 1 else ()
                if key is not None and key in solved:  # it cannot differ: the same answer
                    answers.append(self.shared(query, solved[key], combo))
                    continue
                answers.append(self.solve_within_budget(query, combo, frozenset(drop)))
                if key is not None and answers[-1].verdict is not Verdict.UNKNOWN:
                    solved[key] = answers[-1]
        if progress:
            progress(len(combos), len(combos), "done")
        return Answer(query.mode, combine([a.verdict for a in answers]), tuple(answers),
                      query.readings)

    def cone_key(self, query: Query, combo: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
        """``combo`` restricted to the readings the query's problem can depend on: two
        combinations with the same key pose the same problem, so they share one answer."""
        template = self.template(query)
        if template.cone is None:
            template.cone = reading_cone(template.terms, self.program, self.scratch())
        return tuple((r, combo[r]) for r in template.cone if r in combo)

    def scratch(self) -> z3.Context:
        """A second Z3 context for work that must not disturb the engine's (made on first use,
        and made afresh every :data:`SCRATCH_USES` uses, so a long-lived engine, such as the
        explorer's, does not keep every question's terms)."""
        self._scratch_uses += 1
        if self._scratch is None or self._scratch_uses > SCRATCH_USES:
            self._scratch, self._scratch_uses = z3.Context(), 1
        return self._scratch

    def shareable(self, query: Query,
                  combo: Mapping[str, str]) -> tuple[tuple[str, str], ...] | None:
        """:meth:`cone_key`, or None when the budget ran out while the terms were built (the
        solve that follows then says unknown, or raises, as it always did)."""
        try:
            return self.cone_key(query, combo)
        except (BudgetExceeded, MemoryError, z3.Z3Exception):
            return None

    def shared(self, query: Query, answer: ReadingAnswer,
               combo: Mapping[str, str]) -> ReadingAnswer:
        """``answer``, found under another combination that poses the same problem, as the
        answer under ``combo``; its witness is replayed under ``combo`` all the same."""
        if answer.witness is not None:
            env = witness_values(self.program, query, answer.witness)
            self.replay(query, list(answer.witness.events), env, combo)
        return replace(answer, readings=tuple(sorted(combo.items())))

    @contextmanager
    def watchdog(self) -> Iterator[None]:
        """Interrupt the solver if it is still at work past the deadline.

        The solver's own limit is its rlimit, the same on every machine; the wall-clock
        budget only interrupts past the deadline, so an answer within the budget never
        depends on the machine's speed. One timer thread for all of a question's readings.
        """
        stop = threading.Event()
        self.out_of_memory = False

        def watch() -> None:
            while not stop.wait(WATCH_EVERY):
                if budget.resident_mb() > self.budget.memory_mb:
                    self.out_of_memory = True
                elif self.deadline is None or time.monotonic() <= self.deadline:
                    continue
                self.interrupted = True  # before the interrupt: the solving thread reads it
                self.z3ctx.interrupt()
                return

        watcher = threading.Thread(target=watch, name="clausecheck-budget", daemon=True)
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()  # an interrupt under way finishes before the context can go

    def solve_within_budget(self, query: Query, readings: Mapping[str, str],
                            drop: frozenset[str]) -> ReadingAnswer:
        """:meth:`solve`, or unknown with the reason when it runs out of time or memory
        (the deadline is enforced by :meth:`watchdog` around it)."""
        label = tuple(sorted(readings.items()))
        if self.interrupted:  # the context may still be cancelled: nothing it says counts
            return ReadingAnswer(label, Verdict.UNKNOWN, reason=self.unknown_reason("canceled"))
        try:
            if budget.resident_mb() > self.budget.memory_mb:
                self.out_of_memory = True
                return ReadingAnswer(label, Verdict.UNKNOWN, reason=self.unknown_reason(""))
            result = self.solve(query, readings, drop)
            budget.check(self.deadline)  # interrupted on the way: no half-minimised answer
            if self.out_of_memory:
                return ReadingAnswer(label, Verdict.UNKNOWN, reason=self.unknown_reason(""))
            return result
        except BudgetExceeded as exc:
            return ReadingAnswer(label, Verdict.UNKNOWN, reason=str(exc))
        except MemoryError:
            return ReadingAnswer(label, Verdict.UNKNOWN, reason="ran out of memory (lower the "
                                 "question's size, or raise --memory)")
        except (z3.Z3Exception, ReplayMismatch) as exc:
            if self.interrupted:  # cancelled mid-call: a Z3 error, or a model read half-way
                return ReadingAnswer(label, Verdict.UNKNOWN,
                                     reason=self.unknown_reason("canceled"))
            if isinstance(exc, ReplayMismatch) or "memory" not in str(exc).lower():
                raise
            return ReadingAnswer(label, Verdict.UNKNOWN, reason=f"the solver ran past its memory "
                                 f"budget of {self.budget.memory_mb} MB (raise it with --memory)")

    def fresh_context(self) -> None:
        """After an interrupt, a new Z3 context and nothing built in the old one.

        The watchdog interrupts whatever the context is doing, a check or not (building
        terms, simplifying, evaluating a model). After an interrupt that landed while the
        terms of a bundled spec's questions were being built, a later check in the same context
        answered sat with a model that falsified the solver's own assertions: its events
        read as absent, and the witness did not replay (``test_semantics.py``, "an
        interrupted context"). So an interrupted context is never used again, nor any
        term, solver or witness made in it; the cost is paid only past a budget.
        """
        if not self.interrupted:
            return
        self.z3ctx = z3.Context()
        self.interrupted = False
        self._template, self._scratch, self._reading_literals = None, None, None
        self._bases = {}
        self._previous = self._last = None

    def template(self, query: Query) -> _Template:
        """The query's terms, built once with its readings open (the last query's is kept)."""
        self.fresh_context()
        if self._template is not None and self._template.query is query:
            return self._template
        goal = goal_of(query)
        shape = shape_of(self.program, goal)
        base = self.base(shape)
        ctx = base.ctx
        ctx.deadline = self.deadline
        constraints = list(base.slot_terms)
        env: dict[str, Any] = {}
        for name, typ in query.free:
            if not isinstance(typ, ast.EventT):
                env[name], dom = declare(name, typ, ctx)
                constraints += dom
        goal_term = evaluate(goal, env, ctx, POS)
        self._template = _Template(query, ctx, shape, env,
                                   [*constraints, *base.axiom_terms, goal_term])
        return self._template

    def base(self, shape: Shape) -> _Base:
        """The slots of ``shape`` and what is compiled over them, shared by every query of it."""
        key = tuple(sorted(shape.slots.items()))
        if key not in self._bases:
            ctx = SymContext(self.program, self.z3ctx, {})
            ctx.literals = {c.id: z3.Bool(f"clause {c.id}", self.z3ctx)
                            for c in self.program.clauses if not c.not_temporal or c.defines
                            or c.forbids or c.axioms or c.id in self.program.date_owners.values()}
            ctx.grants = grant_literals(ctx)
            slot_terms = make_slots(shape.slots, ctx)
            self._bases[key] = _Base(ctx, slot_terms, axioms(ctx))
        return self._bases[key]

    def new_solver(self) -> z3.Solver:
        solver = z3.Solver(ctx=self.z3ctx)
        solver.set("rlimit", self.rlimit)
        solver.set("random_seed", SEED)
        return solver

    def problem(self, query: Query, readings: Mapping[str, str],
                keep: Iterable[str] | None = None, drop: Iterable[str] = (),
                delete: Iterable[str] = ()) -> _Problem:
        """The Z3 problem of one query under one reading combination.

        Every combination shares the query's solver; assumptions fix its reading literals
        and its clause literals, so no term is built twice. The permissions of the clauses
        in ``delete`` are deleted (:mod:`formal.compile_duties`).
        """
        full = {**self.program.default_readings(), **readings}
        template = self.template(query)
        if template.solver is None:
            template.solver = self.new_solver()
            template.solver.add(*template.terms)
        ctx = template.ctx
        chosen = self.reading_assumptions(full)
        clauses, dropped = self.clause_assumptions(ctx, keep, drop)
        grants = grant_assumptions(ctx, delete)
        return _Problem(ctx, template.solver, template.shape, template.env,
                        clauses + dropped + chosen + grants, dropped + chosen + grants)

    def reading_assumptions(self, full: Mapping[str, str]) -> list[z3.BoolRef]:
        """Every reading's literals, fixed to the options ``full`` chooses."""
        if self._reading_literals is None:
            self._reading_literals = [
                (name, option, lit, z3.Not(lit)) for name, r in self.program.readings.items()
                for option in r.options for lit in [reading_literal(name, option, self.z3ctx)]]
        return [yes if full[name] == option else no
                for name, option, yes, no in self._reading_literals]

    def standalone(self, query: Query, readings: Mapping[str, str]) -> _Problem:
        """The problem under one full combination of readings in a solver of its own, the
        readings as constants: the form that an SMT-LIB2 export states."""
        full = {**self.program.default_readings(), **readings}
        template = self.template(query)
        solver = self.new_solver()
        solver.add(*fix_readings(template.terms, self.program, full, self.z3ctx))
        clauses, dropped = self.clause_assumptions(template.ctx, None, ())
        grants = grant_assumptions(template.ctx, ())
        return _Problem(template.ctx, solver, template.shape, template.env, clauses + grants,
                        dropped + grants)

    @staticmethod
    def clause_assumptions(ctx: SymContext, keep: Iterable[str] | None,
                           drop: Iterable[str]) -> tuple[list[z3.BoolRef], list[z3.BoolRef]]:
        """The literals of the clauses in force, and the negated literals of those dropped."""
        dropped = set(drop)
        kept = set(ctx.literals) if keep is None else set(keep)
        return ([lit for c, lit in ctx.literals.items() if c in kept and c not in dropped],
                [z3.Not(lit) for c, lit in ctx.literals.items() if c in dropped])

    def solve(self, query: Query, readings: Mapping[str, str],
              drop: frozenset[str] = frozenset()) -> ReadingAnswer:
        """The verdict under one reading combination, with its witness or its clauses."""
        problem = self.problem(query, readings, drop=drop)
        label = tuple(sorted(readings.items()))
        if not drop:
            reused = self.reuse(query, problem, readings)
            if reused is not None:  # it replays: a witness, so the answer is found
                verdict = Verdict.YES if query.mode == "can" else Verdict.NO
                return ReadingAnswer(label, verdict, witness=reused,
                                     clauses=self.permissions(query, problem))
        result = problem.solver.check(*problem.assumptions)
        if result == z3.unknown:
            return ReadingAnswer(label, Verdict.UNKNOWN,
                                 reason=self.unknown_reason(problem.solver.reason_unknown()))
        found = result == z3.sat
        verdict = Verdict.YES if found == (query.mode == "can") else Verdict.NO
        if found and drop:
            # With clauses dropped, a witness leans on unknown predicates that the concrete
            # model cannot replay; it is never shown, only the verdict is returned.
            return ReadingAnswer(label, verdict, reason=f"clauses dropped: {', '.join(sorted(drop))}")
        if found:
            try:
                witness = self.witness(query, problem, readings)
            except EvaluationError as exc:
                return ReadingAnswer(label, Verdict.UNKNOWN, reason="the solver found a "
                                     f"{'witness' if query.mode == 'can' else 'counterexample'}, "
                                     f"but the reference model cannot replay it: {exc}")
            return ReadingAnswer(label, verdict, witness=witness,
                                 clauses=self.permissions(query, problem))
        core = self.minimal_core(problem)
        citations = tuple(Citation(c, self.program.clause(c).heading, self.program.clause(c).text)
                          for c in self.clause_order(core))
        return ReadingAnswer(label, verdict, clauses=citations, bound=problem.shape.bound,
                             reason=problem.shape.reason)

    def permissions(self, query: Query, problem: _Problem) -> tuple[Citation, ...] | None:
        """The clauses whose permissions the witness needs: without them no timeline shows
        the goal (:func:`formal.permissions.needed`); None when it needs none."""
        goal = goal_of(query)
        if self._stripped is None:
            self._stripped = without_permissions(self.program)
        if self._last is None or survives_deletion(self.program, goal, *self._last,
                                                   stripped=self._stripped):
            return None  # the witness holds with every permission deleted: it needs none
        if self._reach is None or self._reach[0] is not query:
            self._reach = (query, reached(self.program, goal))
        found = needed(self.program, goal, problem.ctx, problem.solver, problem.assumptions,
                       reach=self._reach[1])
        if not found:
            return None
        return tuple(Citation(c, self.program.clause(c).heading, self.program.clause(c).text)
                     for c in self.clause_order(found))

    def unknown_reason(self, reason: str) -> str:
        if self.out_of_memory:
            return f"the process ran past its memory budget of {self.budget.memory_mb} MB " \
                "(raise it with --memory)"
        if reason in ("timeout", "canceled") and self.deadline is not None \
                and time.monotonic() > self.deadline:
            return f"the solver ran past the budget of {self.budget.seconds:g} s (raise it " \
                "with --timeout)"
        if "memory" in reason:
            return "the solver ran out of memory (raise --memory, or ask a smaller question)"
        if reason in ("canceled", "max. resource limit exceeded"):
            return f"the solver reached its resource limit (rlimit {self.rlimit}) without an answer"
        return f"the solver gave up ({reason}; rlimit {self.rlimit})"

    def clause_order(self, ids: Iterable[str]) -> list[str]:
        order = [c.id for c in self.program.clauses]
        return sorted(ids, key=order.index)

    def minimal_core(self, problem: _Problem) -> set[str]:
        """A set of clauses that forces unsat, each one necessary (deletion-based shrinking)."""
        names = {lit.get_id(): c for c, lit in problem.ctx.literals.items()}  # not str(): slow
        fixed = problem.fixed
        core = {names[lit.get_id()] for lit in problem.solver.unsat_core() if lit.get_id() in names}
        for clause in sorted(core):
            if clause not in core:
                continue
            trial = core - {clause}
            lits = [problem.ctx.literals[c] for c in sorted(trial)]
            if problem.solver.check(*fixed, *lits) == z3.unsat:
                smaller = {names[lit.get_id()] for lit in problem.solver.unsat_core()
                           if lit.get_id() in names}
                core = smaller & trial
        return core

    # ------------------------------------------------------------------ witnesses

    def witness(self, query: Query, problem: _Problem, readings: Mapping[str, str]) -> Witness:
        """The fewest-event timeline, dated near the spec's dates when possible, replayed.

        Each step starts from the model in hand (the last check was sat) and asks the solver
        only for what that model lacks: fewer events than it has, dates in a window it is
        not already in. The answer is the same as asking at every step; the checks are fewer.
        """
        solver, assumptions = problem.solver, problem.assumptions
        slots = problem.ctx.all_slots()
        presents = [s.present for s in slots]
        times = [problem.env[n] for n, t in query.free if isinstance(t, ast.TimeT)] + [
            s.date for s in slots]
        scopes = solver.num_scopes()
        try:
            model = solver.model()
            fewest = sum(z3.is_true(model.eval(p, model_completion=True)) for p in presents)
            for k in range(fewest):  # can fewer events do?
                solver.push()
                solver.add(z3.PbLe([(p, 1) for p in presents], k))
                if solver.check(*assumptions) == z3.sat:
                    model = solver.model()
                    break
                solver.pop()
            else:
                if presents:
                    solver.push()
                    solver.add(z3.PbLe([(p, 1) for p in presents], fewest))
            for lo, hi in self.windows:
                if all(lo <= model.eval(v, model_completion=True).as_long() <= hi
                       for v in times):
                    break  # the model in hand is dated in this window already
                solver.push()
                solver.add(*[z3.And(v >= lo, v <= hi) for v in times])
                if solver.check(*assumptions) == z3.sat:
                    model = solver.model()
                    break
                solver.pop()
            # else: no witness near the spec's dates; the one in hand lies in the horizon
            events = self.read_events(model, slots)
            env: dict[str, Any] = {}
            for name, typ in query.free:
                if not isinstance(typ, ast.EventT):
                    env[name] = read_value(model, problem.env[name], typ, self.program)
        finally:
            if solver.num_scopes() > scopes:
                solver.pop(solver.num_scopes() - scopes)
        self.replay(query, events, env, readings)
        self._last = (events, env, {**self.program.default_readings(), **readings})
        self._previous = (events, env) if self.in_first_window(events, env) else None
        return self.witness_of(query, events, env)

    def witness_of(self, query: Query, events: list[Event], env: Mapping[str, Any]) -> Witness:
        bindings: list[tuple[str, str]] = []
        free_times: list[tuple[str, int]] = []
        for name, typ in query.free:
            if isinstance(typ, ast.EventT):
                continue
            bindings.append((name, show_value(env[name], typ, self.program.codec)))
            if isinstance(typ, ast.TimeT):
                free_times.append((name, int(env[name])))
        return Witness(tuple(events), tuple(bindings), tuple(free_times))

    def in_first_window(self, events: list[Event], env: Mapping[str, Any]) -> bool:
        lo, hi = self.windows[0]
        times = [e.date for e in events] + [v for v in env.values()
                                            if isinstance(v, int) and not isinstance(v, bool)]
        return all(lo <= t <= hi for t in times)

    def reuse(self, query: Query, problem: _Problem, readings: Mapping[str, str]) -> Witness | None:
        """The witness of the question's previous reading combination, when it is one for
        this combination too: it replays under these readings (so the answer is found), lies
        in the first window of dates, and the solver finds no timeline with fewer events.
        The same guarantees as a witness sought afresh, for one solver call instead of
        several."""
        presents = [s.present for s in problem.ctx.all_slots()]
        if self._previous is None:
            return None
        events, env = self._previous
        full = {**self.program.default_readings(), **readings}
        ctx = Context(self.program, Timeline.of(events), full)
        if axioms_hold(ctx) or not holds(goal_of(query), env, ctx):
            return None
        if events:
            problem.solver.push()
            try:
                problem.solver.add(z3.PbLe([(p, 1) for p in presents], len(events) - 1))
                if problem.solver.check(*problem.assumptions) != z3.unsat:
                    return None
            finally:
                problem.solver.pop()
        self._last = (events, env, full)
        return self.witness_of(query, events, env)

    def read_events(self, model: z3.ModelRef, slots: list[Slot]) -> list[Event]:
        """The present slots as plain events, named e1, e2, … in date order."""
        raw = []
        for slot in slots:
            if not z3.is_true(model.eval(slot.present, model_completion=True)):
                continue
            date = model.eval(slot.date, model_completion=True).as_long()
            fields: list[tuple[str, Any]] = []
            for fname, ftype in self.program.kinds[slot.kind].items():
                fields.append((fname, read_value(model, slot.fields[fname], ftype, self.program)))
            raw.append((date, slot.kind, slot.uid, tuple(fields)))
        raw.sort()
        names = {uid: f"e{i + 1}" for i, (_, _, uid, _) in enumerate(raw)}
        return [Event(names[uid], kind, date, tuple(
                    (f, Ref(names[v.uid]) if isinstance(v, Slot) else v) for f, v in fields),
                     self.program.time_fields(kind), self.program.percent_fields(kind))
                for date, kind, uid, fields in raw]

    def replay(self, query: Query, events: list[Event], env: Mapping[str, Any],
               readings: Mapping[str, str]) -> None:
        """Check the witness with the concrete model; disagreement is an internal error."""
        full = {**self.program.default_readings(), **readings}
        ctx = Context(self.program, Timeline.of(events), full)
        broken = axioms_hold(ctx)
        ok = holds(goal_of(query), env, ctx)
        if broken or not ok:
            listing = "; ".join(f"{self.program.codec.show(e.date)} {e.describe(self.program.codec)}"
                                for e in events)
            raise ReplayMismatch(
                f"internal error: the solver's witness for {query.id!r} does not replay in the "
                f"concrete model (readings {full}, timeline [{listing}], values {dict(env)}"
                + (f", assumptions of clauses {broken} fail" if broken else "") + ")")


def read_value(model: z3.ModelRef, term: Any, typ: ast.Type, program: Program) -> Any:
    """A plain value from a Z3 model, so that the witness outlives the solver."""
    match typ:
        case ast.BoolT():
            return bool(z3.is_true(model.eval(term, model_completion=True)))
        case ast.IntT() | ast.TimeT():
            return int(model.eval(term, model_completion=True).as_long())
        case ast.EnumT(name=enum):
            return str(program.enums[enum][model.eval(term, model_completion=True).as_long()])
        case ast.SetT(elem=elem):
            members = program.enums[elem.name]
            return frozenset(m for m, b in zip(members, term, strict=True)
                             if z3.is_true(model.eval(b, model_completion=True)))
        case ast.AmountT(currency=currency):
            return Money(from_model(model.eval(term, model_completion=True)), currency)
        case ast.RatioT():
            return from_model(model.eval(term, model_completion=True))
        case ast.EventT():  # a reference: the slot it picks (named once the events are)
            return term.slots[model.eval(term.index, model_completion=True).as_long()]


def show_value(value: Value, typ: ast.Type, codec: TimeCodec) -> str:
    if isinstance(typ, ast.TimeT):
        return codec.show(int(value))  # type: ignore[arg-type]
    if isinstance(value, frozenset):
        return "{" + ", ".join(sorted(value)) + "}"
    if isinstance(value, Fraction):
        return str(money_shown(value))
    return str(value).lower() if isinstance(value, bool) else str(value)
