"""The explorer in a real browser: ``clausecheck explore`` served, Debian's Chromium driving it.

Plays the session of issue 15's "Done when" on the Lexington spec: add a holder's
acceleration of Other Indebtedness on July 15, 2003 and see the waiver end that day
with paragraph 2 highlighted; ask whether the waiver can be active after it and get
"no" citing paragraph 2; load the example of another question (Congress's own
acceleration, question congress-acceleration) and see it on the timeline. Also:
readings toggle answers (question active-on-aug-11), a scenario's breach highlights
the forbidding clause (premature-remedies, paragraph 1), a typed formula fails as
``ask`` fails, and the page asks nothing of any other host.
A screenshot is saved in the test's tmp dir. Skips only where no Chromium binary is
installed (Playwright's own browser downloads are never used).
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import browser
import pytest
from examples import SPEC
from playwright.sync_api import Page, ViewportSize, expect, sync_playwright

from formal.cli import main

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
VIEWPORT: ViewportSize = {"width": 1440, "height": 900}
WAIT = 20_000
"""Milliseconds to wait for an answer on a shared, loaded machine."""


def chromium() -> str:
    return browser.chromium("drive the explorer")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``clausecheck explore SPEC --port 0`` in a process of its own; yields its address."""
    command = [sys.executable, "-c", "from formal.cli import main; raise SystemExit(main())",
               "explore", SPEC, "--port", "0"]
    with subprocess.Popen(command, stderr=subprocess.PIPE, text=True) as process:
        try:
            assert process.stderr is not None
            line = process.stderr.readline()
            found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
            assert found, line
            yield found.group(1)
        finally:
            process.terminate()
            process.wait(10)


@pytest.fixture(scope="module")
def session(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, list[str]]]:
    executable = chromium()
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport=VIEWPORT)
        try:
            page = context.new_page()
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(server, wait_until="load")
            page.wait_for_selector("#timeline svg", timeout=WAIT)
            yield page, requests
        finally:
            context.close()


def test_the_whole_session(session: tuple[Page, list[str]], server: str, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    page, requests = session
    # 1. A holder seeks to accelerate the Senior Subordinated Notes on July 15, 2003.
    page.select_option("#add-kind", "SeeksAcceleration")
    page.fill("#add-date", "2003-07-15")
    page.select_option("select[name=field-by]", "holder")
    page.select_option("select[name=field-of]", "senior_subordinated_notes")
    page.click("#add-event")
    change = page.locator('#changes li[data-status="waiver_active"][data-date="2003-07-15"]')
    expect(change).to_contain_text("Waiver in force becomes no", timeout=WAIT)
    expect(change.locator(".because")).to_contain_text("2 Rescission of Waivers", timeout=WAIT)
    expect(page.locator("#clause-2")).to_have_class(re.compile(r"\bwhy\b"), timeout=WAIT)
    expect(page.locator("#clause-2 .why-note")).to_contain_text("July 15, 2003")
    titles = page.eval_on_selector_all("#timeline g.band title", "ns => ns.map(n => n.textContent)")
    assert "Waiver in force: yes from 2003-07-09 to 2003-07-14" in titles
    assert any(t.startswith("Waiver in force: no from 2003-07-15") for t in titles)
    assert page.locator("#events li").count() == 1

    # 2. Can the waiver be in force after such an acceleration (on July 20, 2003)?
    page.select_option("#q-subject", "status:waiver_active")
    page.select_option("#q-value", "true")
    page.select_option("#q-day-kind", "date")
    page.fill("#q-day", "2003-07-20")
    page.select_option("#q-premise", "these")
    page.click("#ask-built")
    answer = page.locator("#answer .answer")
    expect(answer).to_have_attribute("data-verdict", "no", timeout=WAIT)
    expect(answer.locator(".sentence").first).to_have_text(
        "No: under every reading, it cannot happen.")
    expect(answer.locator('button.cite[data-clause="2"]')).to_be_visible()
    expect(page.locator("#clause-2")).to_have_class(re.compile(r"\bcited\b"))
    expect(answer.locator(".formula")).to_be_hidden()  # no formula unless asked
    page.check("#show-formulas")
    expect(answer.locator(".formula")).to_contain_text("waiver_active(2003-07-20)")
    expect(page.locator("#built-formula")).to_have_text(  # the builder's question, as built
        answer.locator(".formula").inner_text(), timeout=WAIT)
    shot = tmp_path / "explorer.png"
    page.screenshot(path=str(shot))

    # 3. The example of another question, loaded as the timeline.
    page.click('#spec-questions button[data-question="congress-acceleration"]')
    expect(answer).to_have_attribute("data-verdict", "yes", timeout=WAIT)
    expect(page.locator("#answer .reading-answer svg.timeline")).to_have_count(1, timeout=WAIT)
    page.click("#answer .load-witness")
    expect(page.locator("#events li")).to_have_count(1, timeout=WAIT)
    expect(page.locator("#events li")).to_contain_text(
        "SeeksAcceleration(by=congress, of=financing_agreements)", timeout=WAIT)
    expect(page.locator("#timeline g.mark.event")).to_have_count(1)
    expect(page.locator("#timeline g.mark.event title")).to_contain_text("by=congress")

    # 4. Readings are toggles: "until August 11" decides question active-on-aug-11.
    page.click('#spec-questions button[data-question="active-on-aug-11"]')
    expect(answer).to_have_attribute("data-verdict", "depends", timeout=WAIT)
    page.check('fieldset[data-reading="until"] input[value="inclusive"]')
    expect(answer).to_have_attribute("data-verdict", "yes", timeout=WAIT)  # asked again
    page.check('fieldset[data-reading="until"] input[value=""]')
    expect(answer).to_have_attribute("data-verdict", "depends", timeout=WAIT)

    # 5. A scenario of the spec with a breach: the forbidding clause is highlighted.
    page.select_option("#scenario-pick", "premature-remedies")
    expect(page.locator("#breaches li")).to_contain_text("forbidden by", timeout=WAIT)
    expect(page.locator("#clause-1")).to_have_class(re.compile(r"\bbreached\b"), timeout=WAIT)
    expect(page.locator("#timeline g.mark.breach")).to_have_count(1)

    # 6. A typed formula fails with ask's own message.
    bad = "can waiver_active(2003-07-1x)"
    err = io.StringIO()
    assert main(["ask", SPEC, bad], out=io.StringIO(), err=err) == 2
    page.click("#typed summary")
    page.fill("#formula", bad)
    page.click("#ask-formula")
    expect(page.locator("#ask-error")).to_have_text(err.getvalue().rstrip("\n"), timeout=WAIT)

    assert requests and all(url.startswith(server) for url in requests)
    assert shot.stat().st_size > 20_000
    with capsys.disabled():
        print(f"\nscreenshot of the explorer: {shot}")
