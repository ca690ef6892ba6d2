"""The time and memory every item of a command may use, and the deadline that enforces it.

An item (a question, an invariant, a sanity check, a scenario, one ``ask``) that runs
past its budget answers *unknown* with the reason, and the other items still answer:
building the solver's terms, the solver itself and replaying a witness are all inside
the budget. The solver also has a fixed resource limit (``engine.RLIMIT``) that makes
answers reproducible on any machine; the budget here is the wall-clock guard around it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from model.errors import BudgetExceeded


@dataclass(frozen=True)
class Budget:
    seconds: float = 20.0
    """Wall-clock seconds per item."""
    memory_mb: int = 4096
    """Megabytes of resident memory the process may hold while an item runs; past it the
    item is unknown (watched, not handed to Z3's allocator)."""

    def deadline(self) -> float:
        return time.monotonic() + self.seconds


DEFAULT = Budget()
_current = DEFAULT


def configure(budget: Budget) -> None:
    """Use ``budget`` for every engine made from now on in this process.

    The memory budget is watched (:func:`resident_mb`), not handed to Z3: Z3's own limits
    count every context of the process, and one reached while a context is being made
    fails where no answer can say so.
    """
    global _current
    _current = budget


@contextmanager
def using(budget: Budget) -> Iterator[None]:
    """``budget`` while the block runs, then the one before (a command's flags end with it)."""
    previous = _current
    configure(budget)
    try:
        yield
    finally:
        configure(previous)


def current() -> Budget:
    return _current


def check(deadline: float | None) -> None:
    """Raise :class:`BudgetExceeded` once ``deadline`` (a ``time.monotonic`` value) passed."""
    if deadline is not None and time.monotonic() > deadline:
        raise BudgetExceeded(f"ran past its budget of {current().seconds:g} s "
                             "(raise it with --timeout)")


def remaining_ms(deadline: float | None) -> int:
    """Milliseconds left before ``deadline``, at least 1 (0 would mean no limit to Z3)."""
    if deadline is None:
        return 0
    return max(1, int((deadline - time.monotonic()) * 1000))


def resident_mb() -> float:
    """The process's resident memory now, in megabytes (Linux's /proc; elsewhere its peak)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024
