"""The warm engine behind the page: one thread that owns every Z3 context, off the event loop.

Z3 contexts are not to be shared across threads, so every engine call runs on one
worker thread (a single-thread pool): questions queue there while the event loop
keeps serving the page, timelines and files. Z3 releases Python's lock while it
solves, so a slow question never stalls the page. Each question gets the budget
``ask`` gets (its ``--timeout`` and ``--memory``, and the engine's ``rlimit``); past it
the answer is ``unknown``, shown as such.

An engine is built for a program's fixed times (a question may add dates, which
``ask`` adds to the program it answers with); the engine of the spec's own times is
built at start-up and warmed on the spec's questions, and a few others are kept.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from model.program import Program, Query

from ..engine import RLIMIT, Engine, unchecked_z3py
from ..verdict import Answer

T = TypeVar("T")
KEPT = 8
"""Engines kept besides the spec's own (one per set of fixed times questions have brought)."""


class EngineHost:
    """Answers questions about one spec on a thread of its own, engines kept warm."""

    def __init__(self, program: Program, *, rlimit: int = RLIMIT) -> None:
        self.program = program
        self.rlimit = rlimit
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clausecheck-engine")
        self._engines: OrderedDict[tuple[frozenset[int], frozenset[int]], Engine] = OrderedDict()

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Run ``work`` on the engine's thread (z3py's own checks off there, as in ``ask``)."""
        def run() -> T:
            with unchecked_z3py():
                return work()
        return self._pool.submit(run)

    async def run(self, work: Callable[[], T]) -> T:
        """Await ``work`` on the engine's thread without holding up the event loop."""
        return await asyncio.wrap_future(self.submit(work))

    def engine(self, program: Program) -> Engine:
        """The engine for ``program``'s fixed times (only ever called on the engine's thread)."""
        key = (program.constants, program.offsets)
        if key not in self._engines:
            self._engines[key] = Engine(program, rlimit=self.rlimit)  # budget.current(): ask's
            base = (self.program.constants, self.program.offsets)
            spare = [k for k in self._engines if k != base]
            while len(spare) > KEPT:
                del self._engines[spare.pop(0)]
        self._engines.move_to_end(key)
        return self._engines[key]

    def answer_now(self, program: Program, query: Query, fixed: Mapping[str, str]) -> Answer:
        """The answer, computed on the calling thread: for the engine's thread and benchmarks."""
        return self.engine(program).answer(query, fixed)

    async def answer(self, program: Program, query: Query, fixed: Mapping[str, str]) -> Answer:
        return await self.run(lambda: self.answer_now(program, query, dict(fixed)))

    def warm(self) -> Future[None]:
        """Answer the spec's own questions once, in the background, so that the first click is fast."""
        def work() -> None:
            for query in self.program.questions:
                self.answer_now(self.program, query, {})
        return self.submit(work)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
