"""Browser test (Playwright, the system Chromium): the overview and a run page printed to PDF are A4
(595 × 842 pt), carry the print header (title, print date) and no menu or buttons, and no table
row is cut: the first cell of every row shown on screen is found whole on one page of the PDF
(pdftotext), so neither a row split over two pages nor rows hidden in a scroll box pass.
The PDFs are kept in test-artifacts/print-*.pdf."""

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from conftest import PASSWORD

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"
POPPLER = shutil.which("pdfinfo") and shutil.which("pdftotext")

FIRST_CELLS = """() => [...document.querySelectorAll("main table tbody tr")]
  .filter((tr) => tr.getClientRects().length)
  .map((tr) => tr.cells[0].innerText.trim()).filter((t) => t)"""


@pytest.fixture(scope="module")
def desk(live_server, browser):
    """The city analyst signed in on a desktop screen."""
    assert POPPLER, "poppler-utils (pdfinfo, pdftotext) is needed (bin/system-packages)"
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    yield page
    context.close()


def printed(page: Any, name: str) -> tuple[Path, list[str]]:
    """The page printed to an A4 PDF, and the first cells of its table rows as printed."""
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    firsts = page.evaluate(FIRST_CELLS)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"print-{name}.pdf"
    page.pdf(path=str(path), format="A4", print_background=True)
    page.emulate_media(media="screen")
    return path, firsts


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    cmd = ["pdfinfo", "-f", "1", "-l", "9999", str(pdf)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out.stdout)
    return [(float(w), float(h)) for w, h in sizes]


def page_texts(pdf: Path) -> list[list[str]]:
    """Each page's text as laid out and in drawing order (-raw keeps a cell wrapped over two lines
    together, -layout interleaves it with the next columns), whitespace removed."""
    texts = []
    for n in range(1, len(page_sizes(pdf)) + 1):
        modes = []
        for mode in ("-layout", "-raw"):
            cmd = ["pdftotext", mode, "-f", str(n), "-l", str(n), str(pdf), "-"]
            modes.append(squeeze(subprocess.run(cmd, capture_output=True, text=True).stdout))
        texts.append(modes)
    return texts


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def cut_rows(firsts: list[str], pages: list[list[str]]) -> list[str]:
    """The rows whose first cell is not found whole on a page as often as the page shows it."""
    wanted = Counter(squeeze(t) for t in firsts)
    found = {t: sum(max(m.count(t) for m in modes) for modes in pages) for t in wanted}
    return [t for t, n in wanted.items() if found[t] < n]


def test_the_check_finds_a_row_cut_over_two_pages():
    laid_out, raw = "台州某某模具\n有限公司 A\n温岭泵业有限公司 B", "台州某某模具有限公司 A"
    one = [squeeze(laid_out), squeeze(raw)]
    assert cut_rows(["台州某某模具有限公司", "温岭泵业有限公司"], [one]) == []
    split = [[squeeze("x 台州某某模具")] * 2, [squeeze("有限公司 A")] * 2]
    assert cut_rows(["台州某某模具有限公司"], split) == ["台州某某模具有限公司"]
    assert cut_rows(["甲", "甲"], [[squeeze("甲 1")] * 2]) == ["甲"]  # a row left out


def check_print(pdf: Path, firsts: list[str], title: str) -> None:
    sizes = page_sizes(pdf)
    assert sizes and all(abs(w - 595) < 2 and abs(h - 842) < 2 for w, h in sizes), sizes
    pages = page_texts(pdf)
    first = pages[0][0]
    assert title in first and "打印时间" in first and "筛选条件" in first
    assert not [modes for modes in pages if "退出" in modes[0]]  # no menu, no buttons
    assert len(firsts) >= 10
    assert cut_rows(firsts, pages) == []


def test_the_overview_prints_on_a4_with_whole_rows(desk, live_server):
    desk.goto(f"{live_server}/")
    desk.wait_for_selector("#map[data-drawn='1'] canvas")
    pdf, firsts = printed(desk, "overview")
    check_print(pdf, firsts, "驾驶舱")


def test_a_run_prints_on_a4_with_whole_rows(desk, live_server):
    desk.goto(f"{live_server}/runs")
    desk.click("main table a[href^='/runs/']")
    desk.wait_for_selector("#grades canvas")
    pdf, firsts = printed(desk, "run")
    check_print(pdf, firsts, "评价运行")
