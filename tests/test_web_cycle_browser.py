"""The analyst's yearly cycle in the browser (Playwright, system Chromium): upload a department
file with injected faults, download the error report, load, run, submit, approve as the city,
publish, appeal as the enterprise, decide the appeal, see the amendment. Screenshots in
test-artifacts/cycle-*.png."""

import re

import fastexcel

from test_web_browser import shot

from conftest import PASSWORD
from helpers import STAT_HEADER, make_uscc, stat_row, write_xlsx


def sign_in(page, server: str, user: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{server}/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_the_yearly_cycle(live_server, browser, web, tmp_path):
    server = live_server
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    # 1. A county analyst uploads a statistics file with a broken code, reviews, downloads, loads.
    wrong = make_uscc(serial=901)
    wrong = wrong[:-1] + ("0" if wrong[-1] != "0" else "1")
    rows = [STAT_HEADER, stat_row(900, year=2019), stat_row(901, year=2019, uscc=wrong)]
    upload = write_xlsx(tmp_path / "工业企业主要指标_2019_补报.xlsx", rows)
    sign_in(page, server, "county")
    page.goto(f"{server}/import")
    page.set_input_files("input[name=files]", str(upload))
    page.click("text=上传并校验")
    page.wait_for_selector("text=校验报告")
    assert "R203" in page.content()
    shot(page, "cycle-1-report")
    with page.expect_download() as info:
        page.click("text=下载问题清单（Excel）")
    report = tmp_path / "errors.xlsx"
    info.value.save_as(report)
    assert fastexcel.read_excel(str(report)).load_sheet(0).to_polars()["错误代码"].to_list() == [
        "R203"
    ]
    page.click("#load")
    page.wait_for_url(re.compile(r".*/import/[0-9a-f]+/result$"))
    assert "已入库，批次" in page.content()
    page.click("text=查看数据批次")
    page.wait_for_url(f"{server}/batches")
    assert "工业企业主要指标_2019_补报.xlsx" in page.content()

    # 2. The county runs its evaluation and submits it.
    page.goto(f"{server}/runs")
    page.select_option("select[name=spec]", "taizhou-huangyan-2022")
    page.fill("input[name=year]", "2022")
    page.click("button:has-text('运行')")
    page.wait_for_url(re.compile(r".*/runs/\d+$"))
    run_url = page.url
    page.click("button:has-text('提交审核')")
    page.wait_for_selector("text=待审核")

    # 3. The city approves and publishes; the Excel lists are there.
    sign_in(page, server, "city")
    page.goto(run_url)
    page.click("button:has-text('审核通过')")
    page.wait_for_selector(".state:has-text('已审核')")
    page.click("button:has-text('发布')")
    page.wait_for_selector("text=下载发布名单")
    shot(page, "cycle-2-published")

    # 4. The enterprise appeals its published result.
    own = web.users["enterprise"]["uscc"]
    sign_in(page, server, "enterprise")
    page.goto(f"{server}/enterprise/{own}")
    reason = "厂房部分出租，用地面积应按实际自用核减（周期测试）"
    page.fill("#my-appeals input[name=reason]", reason)
    page.click("text=提出申诉")
    page.wait_for_selector(f"text={reason}")

    # 5. The city corrects it: an amendment is published.
    sign_in(page, server, "city")
    page.goto(f"{server}/appeals")
    row = page.locator("tr", has_text=reason)
    row.locator("select[name=field]").select_option("land_mu")
    row.locator("input[name=value]").fill("6")
    row.locator("input[placeholder='更正理由']").fill("现场核实，自用6亩")
    row.locator("text=更正并发布").click()
    page.wait_for_selector(f"tr:has-text('{reason}') >> text=更正运行")
    shot(page, "cycle-3-appeal-decided")

    # 6. The enterprise sees the outcome and the amendment.
    sign_in(page, server, "enterprise")
    page.goto(f"{server}/enterprise/{own}")
    mine = page.locator("#my-appeals").inner_text()
    assert "已更正" in mine and "更正结果见运行" in mine
    shot(page, "cycle-4-enterprise")
    context.close()
