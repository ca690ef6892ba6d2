"""Progress on a terminal, item by item, for any command that takes more than a second.

Drawn with rich on standard error, only when it is a terminal: piped output, JSON and
the test suite never see it. Nothing is shown for the first second, so a quick
command prints exactly what it would without it.
"""

from __future__ import annotations

import time
from typing import Any, TextIO

DELAY = 1.0
"""Seconds of quiet before progress appears."""


class Progress:
    """``progress(done, total, what)``: item ``done`` of ``total`` is ``what``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int, what: str) -> None:
        if not self.active:
            return
        if self.bar is None:
            if done >= total or time.monotonic() - self.started < DELAY:
                return
            self._start(total)
        self.bar.update(self.task, completed=done, total=total, description=what[:60])
        if done >= total:
            self.bar.stop()
            self.bar = None
            self.started = time.monotonic()

    def _start(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn
        from rich.progress import Progress as Bar

        bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  console=Console(file=self.stream), transient=True)
        self.task = bar.add_task("", total=total)
        bar.start()
        self.bar = bar
