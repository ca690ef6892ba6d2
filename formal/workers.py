"""Run one task over many inputs in worker processes, with the results in input order.

Workers start with ``spawn``: each is a fresh interpreter that imports what the task
needs and makes its own Z3 context; no Z3 object ever crosses a process boundary,
only the task's input and its plain-data result. An error the task reports on
purpose comes back as a :class:`Failure` (a :class:`~model.errors.SpecError` does
not survive pickling as itself), for the caller to raise where a serial run would.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing import resource_tracker
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
    """``[task(item) for item in items]``, computed by ``jobs`` worker processes.

    Workers start with SIGINT ignored (an ignored signal stays ignored across ``exec``, and
    Python then installs no KeyboardInterrupt handler), so Ctrl-C reaches this process alone:
    it terminates the workers and re-raises. Every worker is joined before this returns, so
    none is left behind as a defunct process.
    """
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if _main_thread() else None
    try:
        pool = multiprocessing.get_context("spawn").Pool(jobs)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    results: list[R] = []
    try:
        for done, result in enumerate(pool.imap(task, items), start=1):
            results.append(result)
            if progress:
                progress(done, len(items), f"{done} of {len(items)}")
        pool.close()
    finally:
        pool.terminate()  # after close, it only stops the pool's threads; else the workers too
        pool.join()
    del pool
    release_tracker()
    return results


def release_tracker() -> None:
    """Join multiprocessing's resource tracker, which the pool's locks started, once nothing
    refers to those locks any more (after an error, only when its traceback is gone).

    Left running, it outlives this process and, where nothing reaps orphans (a container's
    init), stays behind as a defunct process. Python restarts it whenever it is needed again.
    ``_stop`` is private, hence the guard: without it the tracker is merely left running.
    """
    tracker = getattr(resource_tracker, "_resource_tracker", None)
    stop = getattr(tracker, "_stop", None)
    if callable(stop):
        gc.collect()  # the pool's locks go now, so the tracker has nothing left to clean up
        stop()


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
