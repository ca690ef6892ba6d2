"""Hostile text in a spec is shown, never obeyed, in every output format (issue 14).

Mirrors README.md, "Reports" ("nothing in a spec may become markup") and
:mod:`formal.terminal`: every free-text field of a spec, and a comment inside each
formula, is given markup, script, control and bidi characters; then the text output
(``check -v``, ``simulate``), ``--json``, the HTML report and page, and the Markdown
report (rendered by a CommonMark renderer, markdown-it-py, with raw HTML allowed as
CommonMark allows it) are searched for any of it acting as markup or reaching the
terminal raw.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from formal.cli import main
from model.yamlsource import load_yaml

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests/golden/good/minimal.yaml"
HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(1)> "
           "`</code><iframe src=javascript:alert(1)></iframe>` "
           "[link](javascript:alert(1)) <!-- ]]> &lt;b&gt; | cell | *b* _i_ "
           "\x1b[31mred \x00nul \u202eflip \r\n# heading")
TERMINAL_HIDDEN = {"\x1b", "\x00", "\u202e", "\r"}
TEXT_KEYS = {"title", "source", "name", "role", "note", "doc", "question", "heading", "text",
             "not_temporal", "label", "ask", "statement", "description"}
FORMULA_KEYS = {"define", "forbid", "assume", "formula"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
DANGEROUS_TAGS = {"script", "iframe", "img", "object", "embed", "link", "base", "form"}


def _poison(node: Any, key: str = "") -> Any:
    """Every free-text value hostile; every formula with a hostile comment after it."""
    if isinstance(node, dict):
        out = {k: _poison(v, k) for k, v in node.items()}
        if key in ("values", "options"):  # enum value docs and reading option meanings
            out = {k: HOSTILE for k in node}
        return out
    if isinstance(node, list):
        return [_poison(item, key) for item in node]
    if isinstance(node, str) and key in TEXT_KEYS:
        return HOSTILE
    if isinstance(node, str) and key in FORMULA_KEYS:
        return node + "  # " + HOSTILE.replace("\n", " ").replace("\r", " ")
    return node


@pytest.fixture(scope="module")
def hostile_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data, _ = load_yaml(MINIMAL)
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(json.dumps(_poison(data)), encoding="utf-8")  # JSON is YAML
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


class _Tags(HTMLParser):
    """Every start tag and attribute of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert_html(html: str) -> None:
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in DANGEROUS_TAGS, tag
        assert tag != "meta" or "http-equiv" not in dict(attrs), attrs  # no refresh
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in URL_ATTRIBUTES:
                assert "javascript:" not in (value or "").lower(), (tag, name, value)


def test_the_hostile_spec_loads_and_its_checks_hold(hostile_spec: Path) -> None:
    code, out, err = run("check", str(hostile_spec))
    assert (code, err) == (0, "")
    assert "checks:" in out


@pytest.mark.parametrize("argv", [["check", "-v"], ["simulate", "@", "early-remedies"],
                                  ["ask", "@", "can waiver_active(2003-07-20)  # \x1b[2J"]])
def test_text_output_shows_no_control_character_raw(hostile_spec: Path, argv: list[str]) -> None:
    args = [str(hostile_spec) if a == "@" else a for a in argv]
    if args[0] == "check":
        args.append(str(hostile_spec))
    code, out, err = run(*args)
    assert code == 0, err
    assert not TERMINAL_HIDDEN & set(out + err)
    if args[0] != "ask":
        assert "\\x1b[31mred" in out  # shown, escaped


@pytest.mark.parametrize("argv", [["check", "--json"], ["simulate", "--json"]])
def test_json_carries_the_text_exactly_and_escaped(hostile_spec: Path, argv: list[str]) -> None:
    args = [argv[0], str(hostile_spec), *(["early-remedies"] if argv[0] == "simulate" else []),
            "--json"]
    code, out, _ = run(*args)
    assert code == 0
    assert out.isascii()  # every control and bidi character written as \\u escape
    json.loads(out)
    if argv[0] == "simulate":
        assert HOSTILE in json.loads(out)["title"]  # the data is exact


def test_the_html_report_and_page_are_inert(hostile_spec: Path, tmp_path: Path) -> None:
    report, page = tmp_path / "report.html", tmp_path / "page.html"
    assert run("report", str(hostile_spec), "-o", str(report))[0] == 0
    assert run("simulate", str(hostile_spec), "early-remedies", "--html", str(page))[0] == 0
    for path in (report, page):
        html = path.read_text(encoding="utf-8")
        assert_inert_html(html)
        assert "&lt;script&gt;" in html  # the text is there, as text


def test_the_markdown_report_renders_no_html_from_the_spec(hostile_spec: Path) -> None:
    code, markdown, _ = run("report", str(hostile_spec), "--format", "md")
    assert code == 0
    renderer = MarkdownIt("commonmark")  # raw HTML allowed, as CommonMark allows it
    tokens = renderer.parse(markdown)
    raw = [t for t in tokens if t.type == "html_block"]
    raw += [c for t in tokens for c in (t.children or []) if c.type == "html_inline"]
    assert raw == []
    html = renderer.render(markdown)
    assert_inert_html(html)
    assert "&lt;script&gt;" in html
