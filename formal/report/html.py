"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Templates live in ``templates/`` (package data) and are autoescaped; a cited
clause is an in-page link, and the clause it lands on is highlighted by CSS
``:target``, so the page works as an email attachment with scripts blocked.
"""

from __future__ import annotations

from jinja2 import Environment

from .content import ReportContent, SimulationContent
from .svg_timeline import svg
from .templating import environment


def first_upper(text: str) -> str:
    """``text`` with its first letter capitalised and the rest untouched (unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


def _env() -> Environment:
    env = environment()
    env.globals.setdefault("svg", svg)
    env.filters.setdefault("first_upper", first_upper)
    return env


def report_html(content: ReportContent) -> str:
    """The whole report of one spec."""
    return _env().get_template("report.html.j2").render(r=content, footer=content.footer)


def simulation_html(content: SimulationContent) -> str:
    """One simulated timeline: the drawing, the steps, and the clauses it breaches."""
    return _env().get_template("simulation.html.j2").render(s=content, footer=content.footer)
