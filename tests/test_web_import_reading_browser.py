"""The review page says how a real-shaped department file was read (Playwright, system
Chromium): the header rows, each column's field with how it was placed and where its unit came
from, the columns not read with their reason and candidates (上年同期, an uncertain one: W304),
and the rows skipped. Screenshots at 1440 and 390 px in test-artifacts/import-reading-*.png."""

from test_web_browser import shot
from test_web_cycle_browser import sign_in

from conftest import DATA

GALLERY = DATA / "departments"


def test_the_review_page_shows_how_each_column_was_read(live_server, browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "city")
    page.goto(f"{live_server}/import")
    files = [
        GALLERY / "statistics_three_row_header_prior_year_thousands.xlsx",
        GALLERY / "statistics_unplaceable_optional_column.xlsx",
    ]
    page.set_input_files("input[name=files]", [str(f) for f in files])
    page.select_option("select[name=source]", "statistics")
    page.fill("input[name=year]", "2023")
    page.click("text=上传并校验")
    page.wait_for_selector("text=校验报告")
    for details in page.query_selector_all("details.columns"):
        details.evaluate("d => d.open = true")
    text = page.inner_text("main")
    assert "上年或其他年度的数据，不读入" in text  # the 上年同期 columns
    assert "千元（上级表头）" in text or "千元（表外说明）" in text
    assert "W304" in text and "科技活动经费" in text and "无法确定，未读入" in text
    assert "合计/小计行" in text
    shot(page, "import-reading-1440")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "import-reading-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 392, f"the page is {width} px wide at 390"
    page.click("text=取消")
    context.close()
