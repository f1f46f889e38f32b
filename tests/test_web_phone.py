"""Browser test (Playwright, the system Chromium) of the pages on a phone, 390×844: no page is wider
than the screen (wide tables scroll in their own box), the brand and each menu item stay on one
line, no table cell stacks its text a character or two per line, every form field has a label,
and the favicon answers. Screenshots in test-artifacts/phone-*.png."""

from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
WIDTH, HEIGHT = 390, 844

# Lines of each element's text (distinct tops of its text's line boxes), and its length.
LINES = """(els) => els.filter((el) => el.getClientRects().length).map((el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const tops = new Set(rects.map((r) => Math.round(r.top)));
  return { text: el.textContent.trim(), lines: tops.size };
})"""
# Form fields a user fills in (visible, not buttons) without a <label> or an aria-label.
UNLABELLED = """() => [...document.querySelectorAll("main input, main select, main textarea")]
  .filter((el) => el.type !== "hidden" && el.type !== "submit" && el.getClientRects().length)
  .filter((el) => !el.labels.length && !el.getAttribute("aria-label"))
  .map((el) => el.outerHTML.slice(0, 120))"""


@pytest.fixture(scope="module")
def phone(live_server, browser):
    """The city analyst signed in on a 390×844 screen."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    yield page
    context.close()


def pages(page: Any, server: str, web: Any) -> list[str]:
    page.goto(f"{server}/runs")
    run = page.get_attribute("main table a[href^='/runs/']", "href")
    uscc = web.users["enterprise"]["uscc"]
    paths = ["/", "/region/331003", "/runs", run, f"/enterprise/{uscc}", "/import", "/batches"]
    plans = ["/monitoring", "/monitoring/taizhou-14th-fyp", "/monitoring/import"]
    page.goto(f"{server}/chains/risks")
    risk = page.get_attribute("main table.risks a[href^='/chains/risks/']", "href")
    chains = ["/chains", "/chains/taizhou-auto", "/chains/taizhou-auto/segments/parts"]
    chains += ["/chains/risks", risk]
    return [*paths, "/audit", "/quality", "/appeals", *plans, *chains]


def check_layout(page: Any, name: str) -> list[str]:
    """What is wrong with the page on the phone (nothing: [])."""
    page.wait_for_load_state("networkidle")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    wrong = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > WIDTH:
        wrong.append(f"{name}: the page is {width} px wide")
    for item in page.eval_on_selector_all("header.top .brand, header.top nav a", LINES):
        if item["lines"] > 1:
            wrong.append(f"{name}: {item['text']!r} in the header takes {item['lines']} lines")
    for cell in page.eval_on_selector_all("main th, main td", LINES):
        lines, chars = cell["lines"], len(cell["text"])
        if lines >= 3 and chars / lines <= 2.5:  # one or two characters a line
            text = cell["text"][:20]
            wrong.append(f"{name}: cell {text!r} stacks {chars} characters on {lines} lines")
    wrong += [f"{name}: unlabelled field {html}" for html in page.evaluate(UNLABELLED)]
    return wrong


def test_pages_fit_a_phone(phone, live_server, web):
    wrong = []
    for path in pages(phone, live_server, web):
        phone.goto(f"{live_server}{path}")
        if path == "/":
            phone.wait_for_selector("#map[data-drawn='1'] canvas")
        if path == "/chains/taizhou-auto":
            phone.wait_for_selector("#chain-graph[data-drawn='1'] canvas")
        name = path.split("?")[0].strip("/").replace("/", "-") or "overview"
        wrong += check_layout(phone, name)
    assert not wrong, "\n".join(wrong)


def test_login_fits_a_phone_and_the_favicon_answers(live_server, browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    assert check_layout(page, "login") == []
    assert page.inner_text("form.login h1") == "产业大脑"
    for field in ("username", "password"):  # labelled by a <label for>
        assert page.eval_on_selector(f"input[name={field}]", "(el) => el.labels[0].textContent")
    icon = page.get_attribute("link[rel=icon]", "href")
    for path in (icon, "/favicon.ico"):
        answer = page.request.get(f"{live_server}{path}")
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/svg")
    context.close()
