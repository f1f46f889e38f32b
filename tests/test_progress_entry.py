"""Entered plan actuals through the ingest pipeline (the `plan_actuals` source, loaded for a plan):
located errors, all or nothing, no-op re-import, a batch like any other (archived, audited,
withdrawable, among a monitoring run's inputs), entered beats computed."""

import yaml

from industry_brain.engines import engine
from industry_brain.engines.progress.actuals import plan_actuals
from industry_brain.engines.progress.entry import import_entries
from industry_brain.engines.progress.spec import monitoring_spec
from industry_brain.ingest.withdraw import NeedsConfirmation, withdraw_batch
from industry_brain.runs.store import changed_since, create_run, inputs_of
from industry_brain.warehouse.audit import entries
from progress_helpers import plan, row

from helpers import write_csv, write_xlsx

PLAN = plan(
    row(id="digital_share", name="数字经济核心产业增加值占GDP比重", unit="%", target="10"),
    row(id="platforms", name="省级工业互联网平台", unit="个", target="50个以上"),
)
HEADER = ["指标", "年份", "数值", "来源", "备注"]


def count(ws, table):
    return ws.con.table(table).count().to_pyarrow().as_py()


def nothing_written(ws):
    return [count(ws, t) for t in ("batch", "src_plan_actuals", "indicator_value")] == [0, 0, 0]


def clean_file(tmp_path, name="entered.xlsx"):
    return write_xlsx(
        tmp_path / name,
        [
            HEADER,
            ["数字经济核心产业增加值占GDP比重", 2021, 4.1, "统计年鉴2022", ""],
            ["platforms", 2021, "18", "经信局", "按id录入"],
        ],
    )


def test_a_clean_file_loads_every_row_as_one_batch(workspace, tmp_path):
    path = clean_file(tmp_path)
    report = import_entries(workspace, path, PLAN, "analyst")
    assert report.status == "loaded" and (report.rows_in, report.rows_loaded) == (2, 2)
    stored = workspace.con.table("indicator_value").to_polars().sort("indicator")
    assert stored["indicator"].to_list() == ["digital_share", "platforms"]
    assert stored["region_code"].to_list() == ["331000", "331000"]
    assert stored["batch_id"].to_list() == [report.batch_id] * 2
    [batch] = workspace.con.table("batch").to_pyarrow().to_pylist()
    assert (batch["source"], batch["scope"], batch["loaded_by"]) == (
        "plan_actuals",
        PLAN.plan,
        "analyst",
    )
    assert (batch["rows_in"], batch["rows_loaded"], batch["rows_rejected"]) == (2, 2, 0)
    assert (workspace.path / batch["archive_path"]).read_bytes() == path.read_bytes()
    assert entries(workspace.con, action="batch.load").height == 1


def test_the_same_file_twice_is_a_no_op(workspace, tmp_path):
    path = clean_file(tmp_path)
    first = import_entries(workspace, path, PLAN)
    again = import_entries(workspace, path, PLAN)
    assert (again.status, again.batch_id) == ("unchanged", first.batch_id)
    assert count(workspace, "batch") == 1 and count(workspace, "indicator_value") == 2
    other = plan(*[row(**i.model_dump(mode="json")) for i in PLAN.indicators], plan="other-plan")
    assert import_entries(workspace, path, other).status == "loaded"  # another plan: its own
    assert count(workspace, "batch") == 2 and count(workspace, "indicator_value") == 4


def test_errors_are_located_and_nothing_is_loaded(workspace, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["地区", *HEADER],
            ["台州市", "数字经济核心产业增加值比重", "2021", "4.1", "年鉴", ""],  # misspelt
            ["台州市", "platforms", "2031", "18", "经信局", ""],  # outside the plan period
            ["台州市", "platforms", "2022", "十八", "经信局", ""],  # not a number
            ["火星", "platforms", "2023", "20", "", ""],  # unknown region, no source
            ["台州市", "digital_share", "2022", "4.5", "年鉴", ""],
            ["331000", "digital_share", "2022", "4.6", "年鉴", ""],  # the same key, other value
        ],
    )
    report = import_entries(workspace, path, PLAN)
    assert report.status == "failed" and not report.valid
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (6, 0, 6)  # all wrong
    found = {(e.code, e.row, e.column_label) for e in report.errors}
    assert found == {
        ("F107", None, None),
        ("R215", 2, "2"),
        ("R207", 3, "3"),
        ("R206", 4, "4"),
        ("R204", 5, "1"),
        ("R211", 5, "5"),
        ("R210", 6, "4"),
        ("R210", 7, "4"),
    }
    assert {e.file for e in report.errors} == {str(path)}
    unknown = next(e for e in report.errors if e.code == "R215")
    assert "did you mean '数字经济核心产业增加值占GDP比重'" in unknown.message
    period = next(e for e in report.errors if e.code == "R207")
    assert period.message_zh == "「年份」= 2031，不在规划期 2019—2025 年内"
    assert nothing_written(workspace)


def test_one_bad_row_refuses_the_whole_file(workspace, tmp_path):
    rows = [
        HEADER,
        ["platforms", 2021, 18, "经信局", ""],
        ["platforms", 2022, "二十", "经信局", ""],
    ]
    rows.append(["digital_share", 2022, 4.5, "年鉴", ""])
    report = import_entries(workspace, write_xlsx(tmp_path / "one.xlsx", rows), PLAN)
    assert report.status == "failed"
    # Validation's counts (2 valid + 1 rejected, as for any file refused by F107); none loaded.
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (3, 0, 1)
    assert report.error_counts == {"F107": 1, "R206": 1}
    row_errors = [(e.code, e.row, e.sheet) for e in report.errors if e.row is not None]
    assert row_errors == [("R206", 3, "Sheet1")]
    assert nothing_written(workspace)


def test_a_missing_column_names_the_closest_header(workspace, tmp_path):
    path = write_xlsx(
        tmp_path / "nosource.xlsx",
        [["指标", "年份", "数值", "数据来源说明"], ["platforms", 2021, 1, "x"]],
    )
    report = import_entries(workspace, path, PLAN, dry_run=True)
    assert [e.code for e in report.errors if e.severity == "file"] == ["F104"]
    assert "数据来源说明" in report.errors[0].message
    assert nothing_written(workspace)


def test_header_variants_are_placed_by_the_vocabulary(workspace, tmp_path):
    rows = [
        ["2022年规划指标完成情况"],
        ["指标名称", "年度", "实际值", "数据来源", "区域", "说明"],
        ["省级工业互联网平台", "2022年", "25", "经信局", "", "复核"],
        ["digital_share", "2022", "5.2%", "统计公报", "黄岩区", ""],
    ]
    report = import_entries(workspace, write_xlsx(tmp_path / "variant.xlsx", rows), PLAN)
    assert report.status == "loaded", report.errors
    assert report.header_row == 2
    placed = {c["header"]: c["field"] for c in report.columns}
    assert placed["实际值"] == "value" and placed["数据来源"] == "source"
    stored = workspace.con.table("indicator_value").to_polars().sort("indicator")
    assert stored.select("indicator", "region_code", "value").rows() == [
        ("digital_share", "331003", 5.2),
        ("platforms", "331000", 25.0),
    ]


def test_an_entered_figure_shows_its_source_file_and_row(workspace, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", [HEADER, ["platforms", 2022, 30, "经信局", "复核后"]])
    import_entries(workspace, path, PLAN)
    found = plan_actuals(workspace.con, PLAN).series["platforms"][2022]
    assert (found.origin, found.value, found.note) == ("entered", 30.0, "复核后")
    assert found.source == "经信局（e.xlsx 第2行）"


def test_withdrawing_the_batch_removes_its_figures(workspace, tmp_path):
    report = import_entries(workspace, clean_file(tmp_path), PLAN)
    assert "platforms" in plan_actuals(workspace.con, PLAN).series
    withdraw_batch(workspace.con, report.batch_id, "analyst", "录入有误")
    assert count(workspace, "indicator_value") == 0
    assert plan_actuals(workspace.con, PLAN).series == {}


def test_a_monitoring_run_rests_on_the_plan_figure_batches(workspace, tmp_path):
    plan_file = tmp_path / "test-plan.yaml"
    plan_file.write_text(yaml.safe_dump(PLAN.model_dump(mode="json"), allow_unicode=True))
    spec = monitoring_spec(str(plan_file))
    report = import_entries(workspace, clean_file(tmp_path), PLAN)
    run = create_run(workspace.con, engine("progress"), spec, 2022)
    assert report.batch_id in run.inputs
    assert report.batch_id not in inputs_of(workspace.con, 2022)  # not a 亩均 run's input
    assert changed_since(workspace.con, run.run_id) is None
    rows = [HEADER, ["platforms", 2022, 30, "经信局", ""]]
    later = import_entries(workspace, write_xlsx(tmp_path / "later.xlsx", rows), PLAN)
    assert later.status == "loaded"
    assert "changed since" in (changed_since(workspace.con, run.run_id) or "")
    again = create_run(workspace.con, engine("progress"), spec, 2022)
    try:
        withdraw_batch(workspace.con, later.batch_id, "analyst", "重复录入")
    except NeedsConfirmation as refused:  # the run rests on it
        assert [r["run_id"] for r in refused.dependents.runs] == [again.run_id]
    else:
        raise AssertionError("the withdrawal was not refused")
    withdraw_batch(workspace.con, later.batch_id, "analyst", "重复录入", confirmed=True)
    assert "since run" in (changed_since(workspace.con, again.run_id) or "")


def test_figures_entered_before_migration_18_survive_it(tmp_path):
    import datetime as dt

    from industry_brain.warehouse import connect, migrate
    from industry_brain.warehouse.migrations import MIGRATIONS

    con = connect(tmp_path / "old.duckdb", migrate_schema=False)
    migrate(con, [m for m in MIGRATIONS if m[0] <= 17])
    con.raw_sql(
        "INSERT INTO indicator_value VALUES (1, 'test-plan', 'platforms', '331000', 2021, 18.0, "
        f"'经信局', NULL, 'old.xlsx', '{'0' * 64}', 2, 'a', TIMESTAMP '{dt.datetime(2024, 1, 2)}')"
    )
    assert 18 in migrate(con)
    [kept] = con.table("indicator_value").to_pyarrow().to_pylist()
    assert (kept["indicator"], kept["value"], kept["batch_id"]) == ("platforms", 18.0, None)
    found = plan_actuals(con, PLAN).series["platforms"][2021]
    assert (found.value, found.source) == (18.0, "经信局（old.xlsx 第2行）")


def test_a_bureau_csv_as_sent_loads(workspace, tmp_path):
    """As a statistics bureau sends it (DEPARTMENT-FILES.md): GBK with CRLF, a title and a
    填报单位/日期 line, 序号 and 计量单位 columns, '2021年' and '4.1%' as written, a 注 line
    below."""
    lines = [
        "台州市“十四五”规划主要指标2021年完成情况,,,,,,",
        "填报单位：台州市统计局,,,,,填报日期：2022年3月5日,",
        "序号,指标名称,计量单位,年度,完成值,数据来源,备注",
        '1,数字经济核心产业增加值占GDP比重,%,2021年,"4.1%",统计年报,',
        "2,省级工业互联网平台,个,2021,18,经信局,快报数",
        "注：本表数据为快报数，以年报为准。,,,,,,",
    ]
    path = tmp_path / "规划指标完成情况_2021.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    report = import_entries(workspace, path, PLAN, "analyst")
    assert (report.status, report.rows_in, report.rows_loaded) == ("loaded", 2, 2)
    found = workspace.con.table("indicator_value").to_polars().sort("indicator")
    assert found.select("indicator", "year", "value", "note").rows() == [
        ("digital_share", 2021, 4.1, None),
        ("platforms", 2021, 18.0, "快报数"),
    ]
