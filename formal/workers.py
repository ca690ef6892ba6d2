"""Run one task over many inputs in worker processes, with the results in input order.

Workers start with ``spawn``: each is a fresh interpreter that imports what the task
needs and makes its own Z3 context; no Z3 object ever crosses a process boundary,
only the task's input and its plain-data result. An error the task reports on
purpose comes back as a :class:`Failure` (a :class:`~model.errors.SpecError` does
not survive pickling as itself), for the caller to raise where a serial run would.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from model.errors import ClauseCheckError, SpecError

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Failure:
    """A :class:`ClauseCheckError` raised in a worker, as data that pickles."""

    kind: type[ClauseCheckError]
    args: tuple[Any, ...]
    stage: str
    """Where it was raised: ``load`` (reading the input) or ``run``."""

    @staticmethod
    def of(exc: ClauseCheckError, stage: str) -> Failure:
        args = (exc.location, exc.message) if isinstance(exc, SpecError) else exc.args
        return Failure(type(exc), args, stage)

    def error(self) -> ClauseCheckError:
        """The error again, as the worker raised it."""
        return self.kind(*self.args)


def run_in_workers(task: Callable[[T], R], items: Sequence[T], jobs: int,
                   progress: Callable[[int, int, str], None] | None = None) -> list[R]:
    """``[task(item) for item in items]``, computed by ``jobs`` worker processes."""
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    results: list[R] = []
    try:
        for done, result in enumerate(pool.map(task, items), start=1):
            results.append(result)
            if progress:
                progress(done, len(items), f"{done} of {len(items)}")
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return results
