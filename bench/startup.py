"""Start-up as whole-process CPU time, as ratios to ``python -c 'import z3'``, side by side.

The floor of any command that asks Z3 is the interpreter plus ``import z3``; issue 14
sets targets as multiples of it (``ask`` at most 3x, ``--help`` at most 2x, ``check``
of Lexington at most 5x). CPU seconds (user + system of the child, from
``resource.getrusage``) rather than wall time, and the commands alternate within each
round, so that other work on a shared machine moves every figure alike and the ratios
stay comparable.

``ask`` and ``check`` run twice per round: as they run on a spec they have loaded before
(the spec cache of :mod:`model.speccache` warm, the usual case: the targets are judged on
it) and with that cache off (``CLAUSECHECK_SPEC_CACHE=0``: the first command after an
edit). The children share a private cache folder of their own (``XDG_CACHE_HOME``), warmed
by one run of each command first, so the user's cache neither helps nor is touched.
Bytecode is cached: clausecheck's modules are byte-compiled first, and the result records
whether the children may write bytecode themselves (``PYTHONDONTWRITEBYTECODE``).
"""

from __future__ import annotations

import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .latency import clausecheck_command

TARGETS = {"--help": 2.0, "ask": 3.0, "check": 5.0}
"""The most each command may cost, as a multiple of ``import z3``."""
UNCACHED = " (spec cache off)"
"""Suffix of the commands run with ``CLAUSECHECK_SPEC_CACHE=0``."""


Command = tuple[list[str], dict[str, str]]
"""A command line, and what it sets in the child's environment."""


def commands(spec: Path) -> dict[str, Command]:
    """The baseline and the measured commands, by name."""
    cli = clausecheck_command()
    ask = [*cli, "ask", str(spec), "can waiver_active(2003-08-11)"]
    check = [*cli, "check", str(spec)]
    off = {"CLAUSECHECK_SPEC_CACHE": "0"}
    return {"import z3": ([sys.executable, "-c", "import z3"], {}),
            "--help": ([*cli, "--help"], {}),
            "ask": (ask, {}), "ask" + UNCACHED: (ask, off),
            "check": (check, {}), "check" + UNCACHED: (check, off)}


def child_cpu(command: Command, env: dict[str, str]) -> float:
    """CPU seconds (user and system) of one run of ``command`` to completion."""
    argv, extra = command
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, check=False, env={**env, **extra})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-300:]!r}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def precompile() -> None:
    """Byte-compile clausecheck's own modules first, as installing a wheel does: with
    ``PYTHONDONTWRITEBYTECODE`` set (as on this machine) an editable install would otherwise
    compile them from source in every process, which no installed copy does."""
    root = Path(__file__).resolve().parent.parent
    for package in ("model", "formal"):
        compileall.compile_dir(root / package, quiet=1)


def startup(spec: Path, runs: int) -> dict[str, Any]:
    """Median CPU seconds of each command over ``runs`` rounds, and its ratio to ``import z3``."""
    precompile()
    argvs = commands(spec)
    seconds: dict[str, list[float]] = {name: [] for name in argvs}
    with tempfile.TemporaryDirectory() as cache:
        os.chmod(cache, 0o700)
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        env.pop("CLAUSECHECK_SPEC_CACHE", None)
        for argv in argvs.values():  # warm: the parse tables and the spec cache exist
            child_cpu(argv, env)
        for _ in range(runs):
            for name, argv in argvs.items():
                seconds[name].append(child_cpu(argv, env))
    base = statistics.median(seconds["import z3"])
    writes = not os.environ.get("PYTHONDONTWRITEBYTECODE")
    out: dict[str, Any] = {
        "runs": runs, "spec": str(spec), "baseline": base, "commands": {},
        "bytecode": "cached: clausecheck byte-compiled first; the children "
                    + ("may write bytecode" if writes else "run with PYTHONDONTWRITEBYTECODE "
                       "set and write none")}
    for name, values in seconds.items():
        median = statistics.median(values)
        out["commands"][name] = {"cpu_median": median, "cpu_runs": values,
                                 "ratio": median / base, "target": TARGETS.get(name),
                                 "met": median / base <= TARGETS[name] if name in TARGETS
                                 else None}
    return out
