"""The ``clausecheck`` console script: Ctrl-C ends it quietly from its first moment.

Importing the command (Z3, pydantic, the grammar) takes a noticeable part of a second,
and a Ctrl-C then would print an import traceback. This module is all the script
imports before it installs a handler that ends the process with exit 130; once the
command is imported, :func:`formal.cli.main` handles Ctrl-C itself.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


def _quiet_exit(signum: int, frame: FrameType | None) -> None:
    sys.stderr.write("clausecheck: interrupted\n")
    os._exit(130)


def _interrupt_in_finalizer(hook: object) -> object:
    """``sys.unraisablehook`` that honours a Ctrl-C landing inside a finalizer (a Z3 object's
    ``__del__``), where Python can only print "Exception ignored" and carry on."""
    def unraisable(args: object) -> None:
        exc = getattr(args, "exc_value", None)
        if isinstance(exc, AttributeError) and \
                str(getattr(getattr(args, "object", None), "__module__", "")).startswith("z3"):
            return  # a Z3 object whose __init__ a Ctrl-C cut short: nothing was held to free
        # ctypes wraps an interrupt during a foreign call: "argument 1: KeyboardInterrupt".
        while exc is not None:
            if isinstance(exc, KeyboardInterrupt) or "KeyboardInterrupt" in str(exc):
                _quiet_exit(signal.SIGINT, None)
            exc = exc.__cause__ or exc.__context__
        hook(args)  # type: ignore[operator]

    return unraisable


def main() -> int:
    """Import the command with Ctrl-C ending the process quietly, then run it.

    pydantic looks for plugins of its own by scanning every installed distribution's entry
    points, a noticeable part of the command's start-up; the command uses none, so its
    process says so (unless the caller chose otherwise). The dataclasses' generated methods
    come compiled from the user's private cache (:mod:`formal.dataclass_code`).
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    ours = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if ours:  # a SIGINT that the caller ignores (a background job) stays ignored
        signal.signal(signal.SIGINT, _quiet_exit)
    from formal.dataclass_code import install

    compiled = install()  # before any of clausecheck's classes is defined
    from formal.cli import main as run

    if ours:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        sys.unraisablehook = _interrupt_in_finalizer(sys.unraisablehook)  # type: ignore[assignment]
    try:
        code = run()
    finally:
        if compiled is not None:  # the command has defined every class it needed
            compiled.save()
    return _end_without_teardown(code)


def _end_without_teardown(code: int) -> int:
    """End the process as soon as the command is done, skipping Python's teardown.

    Teardown frees every Z3 term (a foreign call each), every context and every module one
    by one, for a process about to end: about a sixth of an ``ask``'s CPU. Output is flushed
    and the exit handlers run first, as at an ordinary exit. A process with worker processes
    or threads of its own still running, or whose output cannot be flushed, returns ``code``
    and ends the ordinary way (which reports a failed flush as Python always does).
    """
    import atexit
    import threading

    others = [t for t in threading.enumerate()
              if t is not threading.main_thread() and not t.daemon and t.is_alive()]
    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if others or "multiprocessing" in sys.modules or run_exit_handlers is None:
        return code
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return code
    run_exit_handlers()
    os._exit(code)
