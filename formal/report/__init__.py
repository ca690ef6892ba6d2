"""Reports for people who read agreements: one self-contained page per spec, or Markdown for a memo.

The content is built once from the suite's results (:mod:`.content`) and laid
out twice: as HTML with inline CSS and SVG timelines (:mod:`.html`,
:mod:`.svg_timeline`), or as Markdown (:mod:`.markdown`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from model.program import Program
from model.simulate import Simulation
from model.timeline import Event

from ..suite import CheckResult
from .content import report_content, simulation_content
from .html import report_html, simulation_html
from .markdown import report_markdown, simulation_markdown

FORMATS = ("html", "md")


def render_report(program: Program, results: Sequence[CheckResult],
                  fixed: Mapping[str, str] | None = None, fmt: str = "html") -> str:
    """One spec's report from the results of :func:`formal.suite.check_program`."""
    content = report_content(program, results, fixed)
    return report_html(content) if fmt == "html" else report_markdown(content)


def render_simulation(program: Program, sim: Simulation, title: str, events: Sequence[Event],
                      fmt: str = "html") -> str:
    """One simulated timeline, drawn; ``events`` are the timeline's events as given."""
    content = simulation_content(program, sim, title, events)
    return simulation_html(content) if fmt == "html" else simulation_markdown(content)


__all__ = ["FORMATS", "render_report", "render_simulation"]
