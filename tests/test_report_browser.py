"""The report in a real browser: Debian's Chromium, headless, driven by Playwright.

Mirrors the report issue: the page a lawyer opens from an email shows every
verdict, the cited clauses' text and the SVG timelines once rendered; clicking a
citation scrolls to the clause and highlights it; keyboard focus is visible on
links; the page asks the network for nothing; and it prints to PDF with each
section on a new page. A screenshot is saved in the test's tmp dir and its path
printed. Skips only where no Chromium binary is installed (``.ci/run`` installs
Debian's ``chromium`` where apt-get works); Playwright's own browser downloads
are never used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import browser
import pytest
from examples import SPEC
from playwright.sync_api import Page, ViewportSize, sync_playwright

from formal.cli import main
from formal.suite import CheckResult, check_program
from model.program import Program

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
VIEWPORT: ViewportSize = {"width": 1366, "height": 800}
"""A laptop's screen at 100% zoom."""
HIGHLIGHT = "rgb(255, 241, 184)"
"""The background of a clause's text when a citation lands on it (``--mark`` in report.css)."""


def chromium() -> str:
    return browser.chromium("render the report")


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "report.html"
    out, err = io.StringIO(), io.StringIO()
    assert main(["report", SPEC, "-o", str(target)], out=out, err=err) == 0, err.getvalue()
    return target


@pytest.fixture(scope="module")
def browser_page(page_file: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, list[str]]]:
    executable = chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")  # a fresh --user-data-dir
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport=VIEWPORT)
        try:
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri(), wait_until="load")
            yield page, requests
        finally:
            context.close()


@pytest.fixture(scope="module")
def results(lexington: Program) -> list[CheckResult]:
    return check_program(lexington)


def test_the_page_asks_the_network_for_nothing(browser_page: tuple[Page, list[str]],
                                               page_file: Path) -> None:
    _, requests = browser_page
    assert requests == [page_file.as_uri()]


def test_every_verdict_is_rendered(browser_page: tuple[Page, list[str]],
                                   results: list[CheckResult]) -> None:
    page, _ = browser_page
    shown = page.evaluate("""() => Object.fromEntries(
        [...document.querySelectorAll('article.question[id^="q-"]')].map(
            a => [a.querySelector('.qid').innerText.split(' ').pop(),
                  a.querySelector('.verdict.big').innerText.trim()]))""")
    expected = {r.id: r.verdict for r in results if r.kind in ("question", "invariant")}
    assert shown == expected


def test_cited_clause_texts_are_rendered(browser_page: tuple[Page, list[str]],
                                         lexington: Program, results: list[CheckResult]) -> None:
    page, _ = browser_page
    cited = {c for r in results if r.answer is not None for c in r.answer.clauses}
    assert {"1", "2", "3"} <= cited
    for clause_id in sorted(cited):
        anchor = page.evaluate(
            "id => [...document.querySelectorAll('a.cite')].find("
            "a => a.innerText.startsWith('Clause ' + id + ',')).getAttribute('href')", clause_id)
        text = page.locator(f"{anchor} .clause-text").inner_text()
        assert " ".join(text.split()) == " ".join(lexington.clause(clause_id).text.split())


def test_svg_timelines_are_rendered_with_size(browser_page: tuple[Page, list[str]]) -> None:
    page, _ = browser_page
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg.timeline')].map(s => {
        const r = s.getBoundingClientRect();
        return [r.width, r.height, s.querySelectorAll('g.band').length,
                s.querySelectorAll('g.mark').length]; })""")
    assert len(boxes) >= 8
    for width, height, bands, marks in boxes:
        assert width > 600 and height > 100
        assert bands >= 4 and marks >= 1


def test_clicking_a_citation_moves_to_the_clause_and_highlights_it(
        browser_page: tuple[Page, list[str]], tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """``active-after-acceleration`` is impossible by ¶2; its citation lands on ¶2's text."""
    page, _ = browser_page
    link = page.locator("#q-active-after-acceleration a.cite").first
    link.scroll_into_view_if_needed()
    before = page.evaluate("window.scrollY")
    link.click()
    page.wait_for_function("location.hash === '#clause-2'")
    top = page.evaluate("document.getElementById('clause-2').getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > before
    assert 0 <= top < VIEWPORT["height"] / 2
    background = page.evaluate(
        "getComputedStyle(document.querySelector('#clause-2 .clause-text')).backgroundColor")
    other = page.evaluate(
        "getComputedStyle(document.querySelector('#clause-3 .clause-text')).backgroundColor")
    assert background == HIGHLIGHT and other != HIGHLIGHT
    assert "(cited)" in page.evaluate(
        "getComputedStyle(document.querySelector('#clause-2 h3'), '::after').content")
    shot = tmp_path / "report-clause-2.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nscreenshot of the report after clicking a citation: {shot}")


def test_keyboard_focus_is_visible_on_links(browser_page: tuple[Page, list[str]],
                                            page_file: Path) -> None:
    page, _ = browser_page
    page.goto(page_file.as_uri())
    page.keyboard.press("Tab")
    first = page.evaluate("[document.activeElement.tagName, document.activeElement.innerText]")
    assert first == ["A", "Skip to the memo"]
    page.keyboard.press("Tab")
    focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
        return [e.tagName, e.getAttribute('href'), s.outlineStyle, s.outlineWidth]; }""")
    assert focused[:2] == ["A", "#q-active-after-acceleration"]
    assert focused[2] != "none" and focused[3] != "0px"


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def test_the_first_screen_is_a_memo_not_a_dashboard(browser_page: tuple[Page, list[str]],
                                                    page_file: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Issue 12, done when: the first 1366×800 screen holds the summary and the first answers
    as sentences, with no dashboard counts above them."""
    page, _ = browser_page
    page.goto(page_file.as_uri())
    page.evaluate("window.scrollTo(0, 0)")
    seen = page.evaluate("""h => {
        const inView = e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= h; };
        const summary = document.querySelector('#summary .summary-text');
        const answers = [...document.querySelectorAll('li.answer .said')].filter(inView);
        const above = document.createRange();
        above.setStart(document.body, 0);
        above.setEndBefore(answers.length ? answers[0] : document.body);
        return {summary: !!summary && inView(summary),
                answers: answers.map(a => a.innerText),
                before: above.toString()}; }""", VIEWPORT["height"])
    assert seen["summary"], "the summary is on the first screen"
    assert len(seen["answers"]) >= 2, seen["answers"]
    assert seen["answers"][0].startswith("No. Paragraph 2:")
    assert not re.search(r"\b\d+ (checks|ok|failed|unknown)\b|as expected", seen["before"])
    shot = tmp_path / "memo-first-screen.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nscreenshot of the memo's first screen: {shot}")


def test_the_printed_memo_body_is_at_most_five_pages_with_the_appendix_after(
        browser_page: tuple[Page, list[str]], page_file: Path, tmp_path: Path) -> None:
    """The body alone (the appendix hidden) prints on at most 5 A4 pages; the whole prints
    more, the appendix starting on a page of its own."""
    page, _ = browser_page
    page.goto(page_file.as_uri())
    whole = page.pdf(format="A4", print_background=True)
    page.add_style_tag(content="#appendix { display: none !important; }")
    body = page.pdf(format="A4", print_background=True)
    page.goto(page_file.as_uri())
    assert whole.startswith(b"%PDF") and body.startswith(b"%PDF")
    assert 1 <= pdf_pages(body) <= 5, pdf_pages(body)
    assert pdf_pages(whole) > pdf_pages(body)
    breaks = page.evaluate("""() => { const s = [...document.styleSheets].flatMap(x => [...x.cssRules]);
        return s.filter(r => r.media && r.media.mediaText === 'print').flatMap(r => [...r.cssRules])
                .filter(r => r.selectorText === '#appendix').map(r => r.style.breakBefore); }""")
    assert breaks == ["page"]
    (tmp_path / "memo.pdf").write_bytes(whole)


def test_it_prints_to_pdf_with_each_section_on_a_new_page(browser_page: tuple[Page, list[str]],
                                                          tmp_path: Path) -> None:
    page, _ = browser_page
    sections = page.evaluate("document.querySelectorAll('#appendix > section').length")
    pdf = tmp_path / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) > sections  # each appendix section starts a page
