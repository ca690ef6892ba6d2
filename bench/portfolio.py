"""A portfolio: many generated agreements checked by one ``clausecheck check --jobs N``.

The same files are checked serially (``--jobs 1``) and with worker processes, side
by side in one run; the two JSON outputs must be byte-identical.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .clock import run_process
from .generate import Size, write_agreement
from .latency import clausecheck_command


def portfolio_size(n: int) -> Size:
    """Agreement ``n`` of a portfolio: small, and no two alike."""
    return Size(clauses=2 + n % 3, kinds=1 + n % 3, readings=1 + n % 2, questions=6 + n % 7,
                invariants=n % 2, seed=n % 200)


def portfolio(count: int, jobs: int) -> dict[str, Any]:
    """Seconds to check ``count`` agreements with ``--jobs 1`` and with ``--jobs {jobs}``."""
    command = clausecheck_command()
    with tempfile.TemporaryDirectory(prefix="clausecheck-portfolio-") as tmp:
        files = [write_agreement(Path(tmp), portfolio_size(n), f"agreement-{n:04d}")
                 for n in range(count)]
        runs = {}
        outputs = {}
        for j in sorted({1, jobs}):
            run = run_process([*command, "check", "--json", "--jobs", str(j), *files])
            if run.code != 0:
                raise RuntimeError(f"portfolio check --jobs {j} exited {run.code}: "
                                   f"{run.stderr[-500:]}")
            runs[j], outputs[j] = run.seconds, run.stdout
    identical = len(set(outputs.values())) == 1
    if not identical:
        raise RuntimeError("check --jobs gives other output than a serial check")
    serial = runs[1]
    return {
        "agreements": count,
        "jobs": jobs,
        "seconds": {str(j): s for j, s in runs.items()},
        "speedup": serial / runs[jobs] if jobs in runs else None,
        "seconds_per_agreement": {str(j): s / count for j, s in runs.items()},
        "identical_output": identical,
    }
