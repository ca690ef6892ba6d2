"""The report as one self-contained HTML page: inline CSS and SVG, no script, no network.

Templates live in ``templates/`` (package data) and are autoescaped; a cited
clause is an in-page link, and the clause it lands on is highlighted by CSS
``:target``, so the page works as an email attachment with scripts blocked.
"""

from __future__ import annotations

import re

from jinja2 import Environment
from markupsafe import Markup, escape

from .content import ReportContent, SimulationContent
from .svg_timeline import svg
from .templating import environment


def first_upper(text: str) -> str:
    """``text`` with its first letter capitalised and the rest untouched (unlike ``capitalize``)."""
    return text[:1].upper() + text[1:]


LEAD = re.compile(r"^(Yes, always|Yes|No|It depends|Unknown|Not answered)\b")


def lead_bold(sentence: str) -> Markup:
    """The answer's first words in bold (``<b>No</b>. Paragraph 2:``), the rest escaped."""
    match = LEAD.match(sentence)
    if not match:
        return Markup(escape(sentence))
    return Markup("<b>{}</b>{}").format(match.group(0), sentence[match.end():])


def _env() -> Environment:
    env = environment()
    env.filters.setdefault("lead_bold", lead_bold)
    env.globals.setdefault("svg", svg)
    env.filters.setdefault("first_upper", first_upper)
    return env


def report_html(content: ReportContent) -> str:
    """The whole report of one spec."""
    return _env().get_template("report.html.j2").render(r=content, footer=content.footer)


def simulation_html(content: SimulationContent) -> str:
    """One simulated timeline: the drawing, the steps, and the clauses it breaches."""
    return _env().get_template("simulation.html.j2").render(s=content, footer=content.footer)
