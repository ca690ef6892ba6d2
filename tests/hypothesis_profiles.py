"""Hypothesis profiles: ``dev`` (the default) and ``ci``, chosen by ``HYPOTHESIS_PROFILE``.

Both are derandomized, so every run of the suite tries the same examples and a
failure is reproducible; ``ci`` tries many more (``.ci/run`` sets
``HYPOTHESIS_PROFILE=ci``). ``explore`` draws fresh random examples on every run,
for hunting bugs by hand. Shrunk failures of the differential tests are kept as
regression cases in ``tests/regressions/`` (see ``regressions.py``), not in
Hypothesis's own database.

A test asks for its number of examples with :func:`examples`, so its cost is
stated beside it for each profile.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
_SHARED = {
    "deadline": None,  # solver calls take as long as their rlimit allows: never a timing test
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "report_multiple_bugs": False,  # one failure, shrunk, is the one saved as a regression case
}
settings.register_profile("dev", derandomize=True, database=None, **_SHARED)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_SHARED)
settings.register_profile("explore", derandomize=False, database=None, **_SHARED)
if PROFILE not in ("dev", "ci", "explore"):
    raise RuntimeError(f"HYPOTHESIS_PROFILE={PROFILE!r}: choose dev, ci or explore")
settings.load_profile(PROFILE)


def examples(dev: int, ci: int) -> int:
    """How many examples a test runs under the loaded profile (``explore`` runs the ``ci`` count)."""
    return dev if PROFILE == "dev" else ci
