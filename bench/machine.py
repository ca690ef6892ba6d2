"""The machine a benchmark ran on: cores, CPU, load, and the versions that matter."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import z3


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def cvc5_version() -> str | None:
    try:
        import cvc5
    except ImportError:
        return None
    version = cvc5.Solver(cvc5.TermManager()).getVersion()
    return version.decode() if isinstance(version, bytes) else str(version)


def describe() -> dict[str, Any]:
    """``nproc``, the CPU model, the load average, Python, Z3 and cvc5 versions."""
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu_model(),
        "load_average": list(os.getloadavg()),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "z3": z3.get_version_string(),
        "cvc5": cvc5_version(),
    }
