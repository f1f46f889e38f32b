"""What users see, page by page, for every role, at 1440×900, 768×1024 and 390×844 (issue 14): no
visible number with more decimals than its field shows, no bare region, park or industry code in
a table cell, no English words outside an allow-list, no horizontal overflow on a tablet or a
phone, and refused pages in Chinese HTML. Every page is screenshotted to test-artifacts/pages/
(docs/web.md links the folder and shows the main ones).

The pages are the same on both backends: on PostgreSQL this module is skipped."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from industry_brain.formats import FIELDS
from industry_brain.warehouse import fetch

from conftest import PASSWORD

SHOTS = Path(__file__).parents[1] / "test-artifacts" / "pages"
WIDTHS = {"desktop": (1440, 900), "tablet": (768, 1024), "phone": (390, 844)}
pytestmark = pytest.mark.skipif(
    os.environ.get("IB_TEST_BACKEND") == "postgres", reason="pages are checked on DuckDB"
)

# Words a Chinese government page may show in Latin letters.
ALLOWED = {"excel", "xlsx", "xls", "csv", "parquet", "pdf", "wps", "gdp"}
ACCOUNTS = {"root"}  # the command line's user; the accounts' own names are added per test
# Units whose field is shown with more than 2 decimals (FIELDS: 单位电耗税收, 0.2352 元/千瓦时).
PRECISE = {f.unit for f in FIELDS.values() if f.decimals > 2}
TOO_PRECISE = re.compile(r"(?<![\w.])(\d[\d,]*\.\d{3,})(?![\w.])\s*(\S*)")  # 1,462.1200…
CODE = re.compile(r"^(?:\d{4,17}|\d{19,})$")  # a bare code, or ≥ 1,000 without separators
# (18 characters: a 统一社会信用代码, which may happen to be all digits)
YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
ENGLISH = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
TOKEN = re.compile(r"[0-9A-Za-z_]+")
# Not words: a 统一社会信用代码 (18 characters) or a digest (hex).
IDENTIFIER = re.compile(
    r"^(?:[0-9A-HJ-NPQRTUWXY]{18}|(?=[0-9a-f]*\d)[0-9a-f]{8,64}|[0-9a-f]{12,64})$"
)

VISIBLE = """() => {
  const cells = [...document.querySelectorAll('main td')].map(td => td.innerText.trim());
  const main = document.querySelector('main') || document.body;
  // Not words: the signed-in user's box, digests or codes set in <code>, and what users wrote
  // (file names, audit details: class "data").
  const aside = [...document.querySelectorAll('.who, code, .data')];
  aside.forEach(el => { el.dataset.display = el.style.display; el.style.display = 'none'; });
  const text = document.body.innerText;
  aside.forEach(el => { el.style.display = el.dataset.display; });
  return {text: text, cells: cells, main: main.innerText,
          width: document.documentElement.scrollWidth, view: window.innerWidth,
          lang: document.documentElement.lang};
}"""


def pages_of(role: str, web: Any) -> list[tuple[str, str]]:
    """(name, path) of the pages a user of `role` opens."""
    u = web.users[role]
    if role == "enterprise":
        return [("overview", "/"), ("enterprise", f"/enterprise/{u['uscc']}")]
    con = web.city.ws.con
    run_id = int(
        con.table("run").filter(lambda t: t.engine == "permu").run_id.max().to_pyarrow().as_py()
    )
    uscc = web.users["enterprise"]["uscc"]
    return [
        ("overview", "/"),
        ("region", f"/region/{u['region']}"),
        ("runs", "/runs"),
        ("run", f"/runs/{run_id}"),
        ("enterprise", f"/enterprise/{uscc}"),
        ("import", "/import"),
        ("batches", "/batches"),
        ("quality", "/quality"),
        ("appeals", "/appeals"),
        ("audit", "/audit"),
        ("plans", "/monitoring"),
        ("search", "/search?q=黄岩"),
        ("plan-import", "/monitoring/import"),
        *chain_pages(role, web),
    ] + (
        [("monitoring", "/monitoring/taizhou-14th-fyp"), ("users", "/users")]
        if role != "county"  # the city's plan; a county administers no users
        else []
    )


def chain_pages(role: str, web: Any) -> list[tuple[str, str]]:
    """The 产业链 pages: the chains, a chain's map and segment, the risk list, and a flagged
    input of the role's region."""
    region = web.users[role]["region"]
    prefix = (
        region[:2] if region.endswith("0000") else region[:4] if region.endswith("00") else region
    )
    sql = """SELECT f.buyer_uscc, f.input_class FROM chain_flag f JOIN enterprise e
        ON e.uscc = f.buyer_uscc WHERE e.region_code LIKE ? ORDER BY f.buyer_uscc LIMIT 1"""
    [flag] = fetch(web.city.ws.con, sql, [prefix + "%"])
    return [
        ("chains", "/chains"),
        ("chain", "/chains/taizhou-auto"),
        ("chain-segment", "/chains/taizhou-auto/segments/parts"),
        ("chain-risks", "/chains/risks"),
        ("chain-risk", f"/chains/risks/{flag['buyer_uscc']}/{flag['input_class']}"),
    ]


REFUSED = {  # a page each role may not open: (path, status)
    "city": ("/region/330000", 403),
    "county": ("/region/331004", 403),
    "enterprise": ("/runs", 403),
    "province": ("/runs/999999", 404),
}


def signed_in(browser: Any, server: str, role: str, width: str) -> Any:
    w, h = WIDTHS[width]
    page = browser.new_page(viewport={"width": w, "height": h}, locale="zh-CN")
    page.goto(f"{server}/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def accounts(web: Any) -> frozenset[str]:
    """The users' own names (data, in any script), as the audit log and batches show them."""
    names = web.city.ws.con.table("app_user").username.to_pyarrow().to_pylist()
    return frozenset(n.lower() for n in names)


def faults(seen: dict[str, Any], width: str, accounts: frozenset[str] = frozenset()) -> list[str]:
    """What is wrong with a page as a user sees it."""
    lines = [line for line in seen["text"].splitlines() if not any(u in line for u in PRECISE)]
    found = [f"too precise: {n}" for n, _ in TOO_PRECISE.findall("\n".join(lines))]
    found += [f"bare code: {c}" for c in seen["cells"] if CODE.match(c) and not YEAR.match(c)]
    allowed = ALLOWED | ACCOUNTS | accounts
    tokens = [t for t in TOKEN.findall(seen["text"]) if not IDENTIFIER.match(t)]
    tokens = [t for t in tokens if t.lower() not in allowed]  # a user's name, as one token
    words = {w for t in tokens for w in ENGLISH.findall(t) if w.lower() not in allowed}
    found += [f"English: {w}" for w in sorted(words)]
    if width != "desktop" and seen["width"] > seen["view"] + 1:
        found.append(f"overflows: {seen['width']} px wide at {seen['view']} px")
    return found


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("role", ["province", "city", "county", "enterprise"])
def test_every_page_reads_as_a_chinese_report(browser, live_server, web, role, width, subtests):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = signed_in(browser, live_server, role, width)
    try:
        for name, path in pages_of(role, web):
            with subtests.test(page=name):
                answer = page.goto(f"{live_server}{path}")
                assert answer is not None and answer.status == 200, path
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(SHOTS / f"{role}-{name}-{width}.png"), full_page=True)
                found = faults(page.evaluate(VISIBLE), width, accounts(web))
                assert not found, f"{path}: " + "; ".join(found)
    finally:
        page.close()


@pytest.mark.parametrize("role", list(REFUSED))
def test_a_refused_page_is_chinese_html_with_a_way_back(browser, live_server, role):
    path, status = REFUSED[role]
    page = signed_in(browser, live_server, role, "phone")
    try:
        answer = page.goto(f"{live_server}{path}")
        assert answer is not None and answer.status == status
        assert answer.headers["content-type"].startswith("text/html")
        seen = page.evaluate(VISIBLE)
        assert re.search(r"[\u4e00-\u9fff]{2,}", seen["main"]) and page.locator("main a").count()
        page.screenshot(path=str(SHOTS / f"{role}-refused-phone.png"), full_page=True)
        found = faults(seen, "phone")
        assert not found, f"{path}: " + "; ".join(found)
    finally:
        page.close()
