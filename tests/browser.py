"""Debian's Chromium for the browser tests (the report's and the explorer's), or a skip saying why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


def chromium(purpose: str) -> str:
    """The Chromium executable; without one, skip the test, naming what it was for."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        pytest.skip(f"no Chromium to {purpose}: install Debian's 'chromium' package "
                    "(.ci/run does so where apt-get can)")
    return found
