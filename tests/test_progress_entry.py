"""Entered plan actuals: located errors, all or nothing, no-op re-import, entered beats computed."""

from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.entry import import_entries, read_entries
from progress_helpers import plan, row

from helpers import write_csv, write_xlsx

PLAN = plan(
    row(id="digital_share", name="数字经济核心产业增加值占GDP比重", unit="%", target="10"),
    row(id="platforms", name="省级工业互联网平台", unit="个", target="50个以上"),
)
HEADER = ["指标", "年份", "数值", "来源", "备注"]


def test_a_clean_file_loads_every_row(workspace, tmp_path):
    path = write_xlsx(
        tmp_path / "entered.xlsx",
        [
            HEADER,
            ["数字经济核心产业增加值占GDP比重", 2021, 4.1, "统计年鉴2022", ""],
            ["platforms", 2021, "18", "经信局", "按id录入"],
        ],
    )
    report = import_entries(workspace.con, path, PLAN, "analyst")
    assert report.status == "loaded" and (report.rows_in, report.rows_loaded) == (2, 2)
    stored = workspace.con.table("indicator_value").to_polars().sort("indicator")
    assert stored["indicator"].to_list() == ["digital_share", "platforms"]
    assert stored["region_code"].to_list() == ["331000", "331000"]
    assert import_entries(workspace.con, path, PLAN).status == "unchanged"
    assert workspace.con.table("indicator_value").count().to_pyarrow().as_py() == 2


def test_errors_are_located_and_nothing_is_loaded(workspace, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["地区", *HEADER],
            [
                "台州市",
                "数字经济核心产业增加值比重",
                "2021",
                "4.1",
                "年鉴",
                "",
            ],  # misspelt indicator
            ["台州市", "platforms", "2031", "18", "经信局", ""],  # outside the plan period
            ["台州市", "platforms", "2022", "十八", "经信局", ""],  # not a number
            ["火星", "platforms", "2023", "20", "", ""],  # unknown region, no source
            ["台州市", "digital_share", "2022", "4.5", "年鉴", ""],
            ["331000", "digital_share", "2022", "4.6", "年鉴", ""],
        ],  # duplicate
    )
    report = import_entries(workspace.con, path, PLAN)
    assert report.status == "invalid"
    assert report.rows_in == 6 and report.rows_loaded == 0 and report.rows_rejected == 5
    found = {(e.code, e.row, e.column_label) for e in report.errors}
    assert found == {
        ("R215", 2, "2"),
        ("R207", 3, "3"),
        ("R206", 4, "4"),
        ("R204", 5, "1"),
        ("R211", 5, "5"),
        ("R209", 7, "2"),
    }
    unknown = next(e for e in report.errors if e.code == "R215")
    assert "did you mean '数字经济核心产业增加值占GDP比重'" in unknown.message
    assert workspace.con.table("indicator_value").count().to_pyarrow().as_py() == 0


def test_a_missing_column_names_the_closest_header(tmp_path):
    path = write_xlsx(
        tmp_path / "nosource.xlsx",
        [["指标", "年份", "数值", "数据来源说明"], ["platforms", 2021, 1, "x"]],
    )
    report = read_entries(path, PLAN).report
    assert [e.code for e in report.errors] == ["F104"]
    assert "数据来源说明" in report.errors[0].message


def test_an_entered_figure_shows_its_source_file_and_row(workspace, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", [HEADER, ["platforms", 2022, 30, "经信局", "复核后"]])
    import_entries(workspace.con, path, PLAN)
    found = plan_actuals(workspace.con, PLAN).series["platforms"][2022]
    assert (found.origin, found.value, found.note) == ("entered", 30.0, "复核后")
    assert found.source == "经信局（e.xlsx 第2行）"
