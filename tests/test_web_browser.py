"""Browser test (Playwright driving the system Chromium, headless): log in, see the overview with
its map drawn, drill to a county and a park, open an enterprise, export Excel and open the file.
Screenshots are kept in test-artifacts/."""

from pathlib import Path
from typing import Any

import fastexcel

from conftest import PASSWORD

ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def signed_in(page: Any, server: str) -> None:
    """The city analyst signed in, on the overview."""
    page.goto(f"{server}/")
    page.fill("input[name=username]", "city")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")


def test_analyst_drills_from_the_overview_to_an_enterprise_and_exports(
    live_server, browser, tmp_path
):
    server = live_server
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(server) else None)
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    signed_in(page, server)
    page.wait_for_selector("#map[data-drawn='1'] canvas")
    page.wait_for_selector("#grades canvas")
    assert "台州市 制造业驾驶舱" in page.inner_text("h1")
    shot(page, "1-overview")

    page.click("header nav >> text=地区")
    page.click("ul.children >> text=黄岩区")
    page.wait_for_url(f"{server}/region/331003")
    shot(page, "2-county")
    page.click("ul.children a >> nth=0")
    page.wait_for_url(f"{server}/region/331003*")
    assert (
        page.url.rstrip("/").split("/")[-1].startswith("331003")
        and len(page.url.split("/")[-1]) == 9
    )
    shot(page, "3-park")

    with page.expect_download() as info:
        page.click("a.export")
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    sheet = fastexcel.read_excel(str(path)).load_sheet(0).to_polars()
    assert sheet.columns[1] == "企业名称" and sheet.height >= 1

    page.click("#enterprise-rows a >> nth=0")
    page.wait_for_selector("#years canvas")
    assert "历年主要指标" in page.content()
    shot(page, "4-enterprise")
    assert external == [] and failed == []
    assert page.evaluate("document.fonts.check('16px \"Noto Sans SC\"', '产业大脑')")
    context.close()


def test_the_what_if_panel_updates_in_place(live_server, browser):
    server = live_server
    page = browser.new_context(locale="zh-CN").new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    signed_in(page, server)
    page.click("header nav >> text=评价")
    page.click("a[href^='/runs/'] >> nth=0")
    page.wait_for_load_state("load")
    run_url = page.url
    page.evaluate("window.notReloaded = true")
    for spec in ("taizhou-wenling-quotas", "taizhou-city-2022"):
        page.select_option("select[name=spec]", spec)
        page.click("form[hx-target='#whatif'] button")
        page.wait_for_selector(f"#whatif table[data-spec='{spec}']")
        page.wait_for_url(f"{run_url}?spec={spec}")
    assert page.evaluate("window.notReloaded") is True  # the panel changed, not the page
    assert "档次变化" in page.inner_text("#whatif")
    assert not [f for f in failed if not f.endswith("/favicon.ico")]
    page.reload()  # the address names the spec shown
    page.wait_for_selector("#whatif table[data-spec='taizhou-city-2022']")
    shot(page, "7-what-if")
