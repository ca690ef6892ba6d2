"""The one Jinja environment of the reports: templates shipped in the package, autoescaped.

Autoescaping is on for every template: clause text holds quotes and ampersands
(``the "Borrower"``, ``Smith & Co.``), and nothing a spec says may become markup.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment() -> Environment:
    return Environment(loader=PackageLoader("formal.report", "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                       keep_trailing_newline=True)
