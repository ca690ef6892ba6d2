"""The report (``clausecheck report``, ``simulate --html``): what a lawyer reads, checked by structure.

Mirrors the report issue: one self-contained page per spec (no network: every
link is in-page, no ``src`` at all, no script), with the agreement's clauses in
order and verbatim, each with the questions that cite it; every question with
its verdict (per reading where it depends) and either its witness drawn as an
SVG timeline or its cited clauses linked; a readings matrix whose cells are the
verdicts under each combination of readings; the sanity checks and a summary
at the top; tool, spec hash and solver at the bottom. The same content as
Markdown. Rendering in a real browser is ``test_report_browser.py``.
"""

from __future__ import annotations

import doctest
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest
import z3
from examples import SPEC

from formal import __version__
from formal.cli import main
from formal.report import markdown, render_report, svg_timeline, timelines, words
from formal.report.content import ReportContent, report_content
from formal.suite import CheckResult, check_program
from model import ast, prose
from model.load import load_spec
from model.program import Program
from model.timecodec import DAYS

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests/golden/good/minimal.yaml"


# ---------------------------------------------------------------- a small DOM


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    content: list[Node | str] = field(default_factory=list)
    """Child elements and text, in document order."""

    @property
    def children(self) -> list[Node]:
        return [c for c in self.content if isinstance(c, Node)]

    def text(self) -> str:
        """All text under this node, in order, whitespace collapsed."""
        return " ".join("".join(c if isinstance(c, str) else " " + c.text() + " "
                                for c in self.content).split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list[Node]:
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (
                    cls is None or cls in child.attrs.get("class", "").split()):
                found.append(child)
            found += child.all(tag, cls)
        return found

    def by_id(self, ident: str) -> Node:
        matches = [n for n in self.all() if n.attrs.get("id") == ident]
        assert len(matches) == 1, f"{len(matches)} elements with id {ident!r}"
        return matches[0]


VOID = {"meta", "br", "hr", "img", "input", "link", "col", "source", "wbr"}


class _Builder(HTMLParser):
    """A tree of every element, so tests can ask what is inside what."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.content.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.content.append(Node(tag, {k: v or "" for k, v in attrs},
                                         parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"stray </{tag}>"
        self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.content.append(data)


def parse(page: str) -> Node:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    assert builder.current is builder.root, f"unclosed <{builder.current.tag}>"
    return builder.root


def flat(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- the Lexington report


@dataclass(frozen=True)
class Report:
    program: Program
    results: list[CheckResult]
    content: ReportContent
    html: str
    md: str
    dom: Node

    def result(self, rid: str) -> CheckResult:
        return next(r for r in self.results if r.id == rid and r.kind != "sanity")


@cache
def _report(spec: str) -> Report:
    program = load_spec(spec)
    results = check_program(program)
    html = render_report(program, results)
    return Report(program, results, report_content(program, results), html,
                  render_report(program, results, fmt="md"), parse(html))


@pytest.fixture(scope="module")
def report(lexington: Program) -> Report:
    return _report(SPEC)


def answered(report: Report) -> list[CheckResult]:
    return [r for r in report.results if r.kind in ("question", "invariant")]


def article(report: Report, rid: str) -> Node:
    anchor = next(q.anchor for q in (*report.content.questions, *report.content.invariants)
                  if q.id == rid)
    return report.dom.by_id(anchor)


def test_every_question_and_invariant_has_a_section_with_its_verdict_in_large_type(
        report: Report) -> None:
    for r in answered(report):
        node = article(report, r.id)
        assert r.question in node.text()
        big = node.all("span", "big")
        assert [b.text() for b in big] == [r.verdict], r.id
        assert node.all("p", "formula")[0].text() == flat(r.formula)


def test_a_depends_shows_the_verdict_under_each_deciding_reading(report: Report) -> None:
    """``active-on-aug-11`` (¶1 "until August 11, 2003"): no if exclusive, yes if inclusive."""
    node = article(report, "active-on-aug-11")
    heads = {h.text() for h in node.all("h4")}
    assert heads == {"no under until=exclusive", "yes under until=inclusive"}
    for r in answered(report):
        if r.verdict == "depends":
            assert r.answer is not None
            shown = {h.all("span", "verdict")[0].text() for h in article(report, r.id).all("h4")}
            assert shown == {str(x.verdict) for x in r.answer.by_reading}, r.id


def test_every_witness_is_drawn_as_an_svg_timeline_with_its_events(report: Report) -> None:
    drawn = 0
    for r in answered(report):
        assert r.answer is not None
        node = article(report, r.id)
        svgs = node.all("svg", "timeline")
        witnesses = next(o for o in report.content.questions + report.content.invariants
                         if o.id == r.id).outcomes
        assert len(svgs) == sum(o.timeline is not None for o in witnesses), r.id
        if any(x.witness for x in r.answer.by_reading):
            assert svgs, f"{r.id} has a witness but no drawing"
        for svg, outcome in zip(svgs, [o for o in witnesses if o.timeline], strict=True):
            assert outcome.timeline is not None
            words = svg.text()
            for row in outcome.timeline.rows:
                if row.event:
                    assert row.event in words, f"{r.id}: event {row.event} not drawn"
            assert len(svg.all("g", "lane")) == len(report.program.statuses)
            assert svg.all("rect"), "statuses are drawn as bands"
            drawn += 1
    assert drawn >= 5


def test_a_cited_clause_is_a_link_to_the_clause_in_the_agreement(report: Report) -> None:
    """``active-after-acceleration`` is impossible by ¶2 (automatic rescission)."""
    node = article(report, "active-after-acceleration")
    links = [a for a in node.all("a", "cite")]
    assert [a.text() for a in links] == ["Clause 2, Rescission of Waivers"]
    target = report.dom.by_id(links[0].attrs["href"][1:])
    assert "automatically rescinded" in target.text()
    every_target = {a.attrs["href"][1:] for a in report.dom.all("a")}
    for anchor in every_target:
        report.dom.by_id(anchor)  # every in-page link lands somewhere


def test_the_agreement_is_every_clause_in_order_verbatim_with_who_cites_it(
        report: Report) -> None:
    section = report.dom.by_id("agreement")
    clauses = section.all("article", "clause")
    assert [c.all("h3")[0].text() for c in clauses] == [
        f"{c.id}. {c.heading}" if c.id[0].isdigit() else c.heading
        for c in report.program.clauses]
    for node, clause in zip(clauses, report.program.clauses, strict=True):
        assert node.all("blockquote", "clause-text")[0].text() == flat(clause.text)
    cited_by: dict[str, set[str]] = {}
    for r in answered(report):
        assert r.answer is not None
        for c in r.answer.clauses:
            cited_by.setdefault(c, set()).add(r.id)
    for node, clause in zip(clauses, report.program.clauses, strict=True):
        listed = {a.text() for a in node.all("aside")[0].all("a")}
        assert cited_by.get(clause.id, set()) <= listed, clause.id
    assert "active-after-acceleration" in {a.text() for a in clauses[2].all("a")}  # clause 2


def test_clause_text_is_escaped_not_markup(report: Report) -> None:
    """The preamble quotes defined terms: ("LRG"; LPC and LRG are ...) must stay text."""
    assert '(the &#34;LPC&#34;)' in report.html
    assert report.dom.by_id("clause-preamble").text().count('"Borrower"') == 1


def test_markup_in_a_spec_is_shown_as_text(tmp_path: Path) -> None:
    spec = tmp_path / "markup.yaml"
    spec.write_text(MINIMAL.read_text().replace(
        "any default from a failure to pay.",
        "any default <script>alert(1)</script> & \"quoted\" <b>terms</b>."), encoding="utf-8")
    program = load_spec(spec.as_posix())
    page = render_report(program, check_program(program))
    assert "<script" not in page and "<b>terms</b>" not in page
    assert '<script>alert(1)</script> & "quoted" <b>terms</b>' in parse(page).text()


def _matrix_rows(report: Report) -> list[Node]:
    return report.dom.by_id("matrix").all("table", "matrix")[0].all("tbody")[0].all("tr")


def test_the_matrix_shows_per_question_only_the_readings_it_turns_on(report: Report) -> None:
    """Issue 12: no 16-column grid; a row per question with the readings its answer turns on."""
    rows = _matrix_rows(report)
    assert [r.all("a")[0].text() for r in rows] == [r.id for r in answered(report)]
    for row, r in zip(rows, answered(report), strict=True):
        assert r.answer is not None
        turns, cells = (td.text() for td in row.all("td"))
        deciding = r.answer.deciding_readings()
        assert turns == (", ".join(deciding) if deciding else "—"), r.id
        if not deciding:
            assert cells == f"{r.verdict} under every reading"
            continue
        for x in r.answer.by_reading:
            label = ", ".join(f"{k}={v}" for k, v in x.readings if k in deciding)
            assert f"{label}: {x.verdict}" in cells, (r.id, label)
        other = {k for x in r.answer.by_reading for k, _ in x.readings} - set(deciding)
        assert not any(f"{k}=" in cells for k in other), (r.id, cells)
        assert ("turns" in row.attrs.get("class", "")) == (r.verdict == "depends")


def test_the_first_page_is_a_memo_and_the_dashboard_is_in_the_appendix(report: Report) -> None:
    memo = report.dom.by_id("memo")
    text = memo.text()
    assert report.program.spec.agreement.summary is not None
    assert flat(report.program.spec.agreement.summary) in flat(text)
    assert "checks" not in text and "as expected" not in text and "expected no" not in text
    answers = memo.all("li", "answer")
    assert len(answers) == len(report.program.questions)
    said = {q.id: q.sentence for q in report.content.questions}
    for li in answers:  # the page shows each sentence (its lead in bold)
        shown = li.all("p", "said")[0]
        assert flat(said[li.attrs["id"][2:]]) in flat(shown.text().replace(" . ", ". ", 1))
    assert said["active-after-acceleration"].startswith("No. Paragraph 2:")
    assert said["congress-acceleration"].startswith("Yes. For example:")
    assert said["active-on-aug-11"].startswith("It depends on how 'until' is read: no if "
                                               "exclusive; yes if inclusive.")
    assert "July 9, 2003" in said["congress-acceleration"]
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), "dates in words in the memo"
    for reading in report.program.spec.readings.values():
        for option in reading.arguments.values():
            assert flat(option.argument) in flat(text) and flat(option.authority) in flat(text)
    assert all(flat(limit) in flat(text) for limit in report.program.spec.limits)
    sanity = report.dom.by_id("sanity").all("tbody")[0].all("tr")
    expected = [r for r in report.results if r.kind == "sanity"]
    assert len(sanity) == len(expected)
    for tr, r in zip(sanity, expected, strict=True):
        assert r.id in tr.text() and "as the spec's author expected" in tr.text()
    order = [s.attrs["id"] for s in report.dom.by_id("appendix").children if s.tag == "section"]
    assert order == ["details", "invariants", "scenarios", "matrix", "sanity", "agreement"]


def test_a_cited_clause_is_quoted_by_the_sentences_that_decide(report: Report) -> None:
    """Clause 2 whole, not cut before "or to enforce"; clause 5 by its second sentence."""
    said = {q.id: q for q in report.content.questions}
    two = said["active-after-acceleration"].quotes[0]
    assert two.sentences[0].endswith("or to enforce or exercise any remedies in respect thereto.")
    five = next(q for q in said["other-default"].quotes if q.clause == "5")
    assert five.sentences == (report.program.clause("5").text.split(". ")[1] + ".",)


def test_a_timeline_labels_only_dates_the_question_or_its_witness_mentions(
        report: Report) -> None:
    """Named dates only where the question names them; times only of the question's variables."""
    queries = {q.id: q for q in (*report.program.questions, *report.program.invariants)}
    for q in (*report.content.questions, *report.content.invariants):
        query = queries[q.id]
        named = {n.name for n in ast.walk(query.body) if isinstance(n, ast.TimeLit) and n.name}
        free = {name for name, _ in query.free} | {timelines.QUESTION_DATE}
        for o in q.outcomes:
            if o.timeline is None:
                continue
            for mark in o.timeline.marks:
                if mark.kind == "date":
                    assert mark.label in named, (q.id, mark.label)
                if mark.kind == "time":
                    assert set(mark.label.split(", ")) <= free, (q.id, mark.label)
    scenarios = [s.timeline for s in report.content.scenarios if s.timeline]
    assert scenarios and not [m for tl in scenarios for m in tl.marks if m.kind == "date"]


def test_a_sentence_split_keeps_abbreviations_and_numbered_headings_whole() -> None:
    text = ("SECTION 1. Waiver. The Required Lenders hereby waive compliance with Sections 6.13 and "
            "6.14 of Lexington Rubber Group, Inc. and its affiliates. The rest follows at 5:00 p.m. "
            "Dallas time. A third sentence ends here.")
    assert prose.sentences(text) == [
        "SECTION 1. Waiver. The Required Lenders hereby waive compliance with Sections 6.13 and "
        "6.14 of Lexington Rubber Group, Inc. and its affiliates.",
        "The rest follows at 5:00 p.m. Dallas time.", "A third sentence ends here."]
    assert prose.quoted(text, ["5:00 p.m."]) == ["The rest follows at 5:00 p.m. Dallas time."]


def test_what_changed_lists_each_change_on_its_own_date(report: Report) -> None:
    """The waiver comes into force on July 9 (paragraph 3), with no event that day."""
    scenario = report.dom.by_id("scenario-2")
    rows = [[td.text() for td in tr.all("td")]
            for tr in scenario.all("table", "steps")[0].all("tbody")[0].all("tr")]
    forced = [r for r in rows if "Waiver in force: yes" in r[2]]
    assert forced and forced[0][0] == "July 9, 2003", rows


def test_the_bottom_names_the_tool_the_spec_hash_and_the_solver(report: Report) -> None:
    footer = report.dom.all("footer")[0].text()
    digest = hashlib.sha256((ROOT / SPEC).read_bytes()).hexdigest()
    assert f"clausecheck version {__version__}" in footer
    assert "not legal advice" in footer
    assert digest in footer
    assert f"Z3 {z3.get_full_version()}" in footer


def test_the_page_is_self_contained(report: Report) -> None:
    elements = report.dom.all()
    assert not [e for e in elements if "src" in e.attrs]
    assert {e.tag for e in elements}.isdisjoint({"script", "link", "iframe", "img", "object"})
    hrefs = [e.attrs["href"] for e in elements if "href" in e.attrs]
    assert hrefs and all(h.startswith("#") for h in hrefs), [h for h in hrefs if h[:1] != "#"]
    assert not re.search(r"https?://", report.html)
    assert not re.search(r"@import|url\((?!#)", report.html)


def test_the_page_is_a_reasonable_size(report: Report) -> None:
    size = len(report.html.encode("utf-8"))
    assert 50_000 < size < 1_000_000, size
    assert 10_000 < len(report.md.encode("utf-8")) < 300_000


def test_the_page_is_the_same_every_time(report: Report) -> None:
    """No timestamp or random id: the same spec and results give the same bytes."""
    assert render_report(report.program, report.results) == report.html


def test_status_bands_agree_with_the_scenarios_expectations(report: Report) -> None:
    """quiet-summer: in force July 9 to August 10 (¶1 "until August 11", exclusive; ¶3)."""
    for scenario in report.program.scenarios:
        view = next(s for s in report.content.scenarios if s.id == scenario.id).timeline
        assert view is not None
        for x in scenario.expect:
            lane = next(lane for lane in view.lanes if lane.status == x.status)
            run = next(r for r in lane.runs if r.start <= x.at < r.end)
            value = x.value
            shown = ("yes" if value else "no") if isinstance(value, bool) else (
                ", ".join(value) or "none")
            assert run.text == shown, (scenario.id, x.status, DAYS.show(x.at))
    quiet = report.dom.by_id("scenarios").all("article")[0]
    titles = {t.text() for t in quiet.all("title")}
    assert "Waiver in force: yes from 2003-07-09 to 2003-08-10" in titles


def test_a_breach_is_marked_with_the_clause_that_forbids_it(report: Report) -> None:
    """premature-remedies: Congress's remedies on July 15 breach ¶1."""
    node = next(a for a in report.dom.by_id("scenarios").all("article")
                if "premature-remedies" in a.text())
    breach = node.all("g", "breach")
    assert len(breach) == 1
    assert "BREACH of clause 1" in breach[0].text()
    assert breach[0].all("a")[0].attrs["href"] == "#clause-1"


def test_markdown_has_the_same_content(report: Report) -> None:
    """The same memo as the page: summary and answer sentences first, the appendix after."""
    md = report.md
    body, appendix = md.split("\n# Appendix\n")
    assert "## What the agreement does" in body and "checks" not in body
    assert "as expected" not in body
    for q in report.content.questions:
        assert markdown.text(q.sentence) in body, q.id
    for r in answered(report):
        assert f"### `{r.id}`" in appendix
    for clause in report.program.clauses:
        for paragraph in clause.text.strip().splitlines():
            assert markdown.text(paragraph) in appendix, clause.id
    assert "| Question | Turns on | Answer |" in appendix
    assert md.count("| `") >= len(answered(report))
    assert "**BREACH**: forbidden by clause 1 (Waiver)" in appendix
    assert hashlib.sha256((ROOT / SPEC).read_bytes()).hexdigest() in md
    assert md.rstrip().endswith("not legal advice.*")
    prose = re.sub(r"`[^`]*`|\\<", "", md)  # formulas in code spans may compare with <=
    assert "<" not in prose, "no raw HTML in the Markdown"


def test_a_spec_without_statuses_or_readings_choices_still_reports(tmp_path: Path) -> None:
    program = load_spec(MINIMAL.as_posix())
    results = check_program(program)
    dom = parse(render_report(program, results))
    assert dom.by_id("q-active-after-acceleration").all("span", "big")[0].text() == "no"
    assert render_report(program, results, fmt="md").startswith("# A minimal waiver")


def test_a_spec_that_counts_minutes_shows_times_of_day(tmp_path: Path) -> None:
    """A deadline of 5:00 p.m. in a zone: the axis and the table show wall-clock times."""
    spec = tmp_path / "minutes.yaml"
    spec.write_text(MINIMAL.read_text().replace(
        "dates:\n  waiver_until: 2003-08-11",
        "time: {unit: minute, zone: America/Chicago, horizon: [2003-01-01, 2004-12-31]}\n"
        "dates:\n  waiver_until: 2003-08-11T17:00").replace(
        "date: 2003-07-15, kind", "date: 2003-08-11T16:30, kind"), encoding="utf-8")
    program = load_spec(spec.as_posix())
    results = check_program(program)
    dom = parse(render_report(program, results))
    scenario = dom.by_id("scenarios")
    assert "August 11, 2003, 4:30 PM CDT" in scenario.all("table", "steps")[0].text()
    assert "waiver_until" not in scenario.all("svg")[0].text()  # a date the scenario never names


# ---------------------------------------------------------------- the command line


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    return code, out.getvalue(), err.getvalue()


def test_report_writes_the_page_and_says_where(tmp_path: Path, report: Report) -> None:
    target = tmp_path / "report.html"
    code, out, err = run("report", SPEC, "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == report.html
    assert err == f"wrote {target} ({len(report.html.encode('utf-8'))} bytes)\n"


def test_report_format_md_goes_to_stdout_and_md_suffix_chooses_it(tmp_path: Path,
                                                                   report: Report) -> None:
    code, out, _ = run("report", SPEC, "--format", "md")
    assert code == 0 and out == report.md
    target = tmp_path / "memo.md"
    assert run("report", SPEC, "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == report.md


def test_report_with_a_fixed_reading_has_one_option_of_it(tmp_path: Path) -> None:
    code, out, _ = run("report", SPEC, "--reading", "until=inclusive")
    assert code == 0
    dom = parse(out)
    row = next(tr for tr in dom.by_id("matrix").all("tbody")[0].all("tr")
               if tr.all("a")[0].text() == "active-on-aug-11")
    assert row.all("td")[0].text() == "—" and "until=" not in row.text()
    assert "readings fixed until=inclusive" in dom.all("header")[0].text().lower()
    node = dom.by_id("q-active-on-aug-11")
    assert node.all("span", "big")[0].text() == "yes"


def test_report_and_simulate_help_show_examples() -> None:
    code, out, _ = run("report", "--help")
    assert code == 0 and "examples:" in out and "clausecheck report specs/" in out
    assert "--format {html,md}" in out
    code, out, _ = run("simulate", "--help")
    assert code == 0 and "--html FILE" in out and " --html timeline.html" in out
    assert "report" in run("--help")[1]


@pytest.mark.parametrize(("argv", "message"), [
    (("--reading", "until=sometimes"), "reading 'until' has no option 'sometimes'"),
    (("-o", "/nonexistent-dir/report.html"), "cannot write /nonexistent-dir/report.html"),
    (("--format", "pdf"), "invalid choice: 'pdf'"),
])
def test_report_refuses_bad_arguments_with_exit_2(argv: tuple[str, ...], message: str) -> None:
    code, out, err = run("report", SPEC, *argv)
    assert code == 2
    assert message in err + out


def test_simulate_html_draws_the_scenario_with_its_breach(tmp_path: Path,
                                                          lexington: Program) -> None:
    target = tmp_path / "sim.html"
    code, out, err = run("simulate", SPEC, "premature-remedies", "--html", str(target))
    assert code == 0
    assert "BREACH: forbidden by clause 1" in out  # the text output is unchanged
    assert err.startswith(f"wrote {target} (")
    dom = parse(target.read_text(encoding="utf-8"))
    svg = dom.all("svg", "timeline")
    assert len(svg) == 1
    assert "remedies ExercisesRemedies" in svg[0].text()
    assert svg[0].all("g", "breach")[0].all("a")[0].attrs["href"] == "#clause-1"
    clause = dom.by_id("clause-1")
    assert clause.all("blockquote")[0].text() == flat(lexington.clause("1").text)
    assert not [e for e in dom.all() if "src" in e.attrs]


def test_simulate_html_of_a_timeline_file(tmp_path: Path) -> None:
    timeline = tmp_path / "t.yaml"
    timeline.write_text("events:\n"
                        "  - {date: 2003-07-25, kind: SeeksAcceleration, by: trustee,"
                        " of: senior_note}\n"
                        "at: [2003-07-24]\n", encoding="utf-8")
    target = tmp_path / "t.html"
    code, _, _ = run("simulate", SPEC, str(timeline), "--html", str(target))
    assert code == 0
    dom = parse(target.read_text(encoding="utf-8"))
    steps = dom.all("table", "steps")[0].all("tr")
    assert [tr.all("td")[0].text() for tr in steps[1:]] == ["July 24, 2003", "July 25, 2003"]
    assert "Waiver rescinded: yes" in steps[2].text()


@pytest.mark.parametrize("module", [svg_timeline, markdown, timelines, words, prose],
                         ids=lambda m: m.__name__)
def test_the_examples_in_the_report_modules_docstrings_run(module: object) -> None:
    result = doctest.testmod(module)  # type: ignore[arg-type]
    assert result.attempted > 0 and result.failed == 0
