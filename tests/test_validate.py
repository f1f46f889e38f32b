"""Validation: every error kind carries its code and location; rows in = valid + rejected."""

from pathlib import Path

import pytest

from industry_brain.ingest.validate import validate_file

from conftest import DATA
from helpers import STAT_HEADER, make_uscc, stat_row, write_csv, write_xlsx


def _validate(tmp_path: Path, rows, name="statistics.csv", source="statistics", **kw):
    path = write_csv(tmp_path / name, [STAT_HEADER, *rows]) if source == "statistics" else rows
    return validate_file(path, source, max_rejected_share=1.0, **kw)


def _codes_at(v, code):
    return [(r["row"], r["column"]) for r in v.errors.iter_rows(named=True) if r["code"] == code]


def test_merged_header_rows_units_and_total_row():
    v = validate_file(DATA / "statistics_merged_header_rows.xlsx", "statistics", year=2020)
    assert v.ok, v.problems
    assert v.header_row == 3
    assert v.rows_in == 5 and v.rows_valid == 5 and v.skipped["total"] == 1
    units = {c.field: c.unit for c in v.columns}
    assert units["revenue"] == "千元" and units["employees"] == "人"
    first = v.valid.row(0, named=True)
    assert first["revenue"] == pytest.approx(20000.1)  # 200001 千元 → 万元
    assert first["__row"] == 4


def test_gbk_tax_file_in_yuan_with_separators():
    v = validate_file(DATA / "tax_gbk_encoded.csv", "tax")
    assert v.ok
    taxes = v.valid.sort("__row")["tax_paid"].to_list()
    assert taxes[:2] == pytest.approx([123.456789, 246.913578])
    assert _codes_at(v, "R211") == [(7, "实缴税金（元）")]  # "—" in a required field
    assert v.rows_in == 6 and v.rows_valid == 5 and v.rows_rejected == 1


def test_missing_column_suggests_closest_header():
    v = validate_file(DATA / "statistics_missing_revenue_column.xlsx", "statistics")
    assert not v.ok
    [problem] = v.problems
    assert problem.error.code == "F104"
    assert "营业额（万元）" in problem.message and "revenue" in problem.message
    assert "营业收入 0." in problem.message  # the candidate with its confidence


@pytest.mark.parametrize(
    ("override", "code", "column"),
    [
        ({"uscc": "91331003MA000000"}, "R202", "统一社会信用代码"),
        ({"uscc": make_uscc(serial=9)[:-1] + "0"}, "R203", "统一社会信用代码"),
        ({"uscc": ""}, "R201", "统一社会信用代码"),
        ({"region": "339999"}, "R204", "行政区划代码"),
        ({"region": "火星区"}, "R204", "行政区划代码"),
        ({"industry": "9999"}, "R205", "行业代码"),
        ({"revenue": "12O.5"}, "R206", "营业收入（万元）"),
        ({"employees": -3}, "R207", "年平均职工人数"),
        ({"value_added": 5000 * 0.23 * 10000}, "R208", "工业增加值（万元）"),
        ({"revenue": "—"}, "R211", "营业收入（万元）"),
        ({"above": "也许"}, "R213", "是否规上"),
        ({"year": 2019}, "R214", "统计年度"),
    ],
)
def test_row_error_has_code_row_and_column(tmp_path, override, code, column):
    rows = [stat_row(1), stat_row(2, **override), stat_row(3)]
    v = _validate(tmp_path, rows, year=2020)
    assert (3, column) in _codes_at(v, code)
    assert v.rows_in == 3 and v.rows_valid == 2 and v.rows_rejected == 1


def test_uscc_with_spaces_and_lower_case_is_normalised(tmp_path):
    code = make_uscc(serial=2)
    messy = f" {code[:6]} {code[6:].lower()}"
    v = _validate(tmp_path, [stat_row(1), stat_row(2, uscc=messy)])
    assert _codes_at(v, "W301") == [(3, "统一社会信用代码")]
    assert v.rows_valid == 2 and code in v.valid["uscc"].to_list()


def test_exact_duplicate_loads_once_and_conflicting_duplicates_load_none(tmp_path):
    rows = [stat_row(1), stat_row(1), stat_row(2), stat_row(2, size=9000.0), stat_row(3)]
    v = _validate(tmp_path, rows)
    assert _codes_at(v, "R209") == [(3, "统一社会信用代码")]
    conflicts = _codes_at(v, "R210")  # each copy, on each column where the copies differ
    assert {r for r, _ in conflicts} == {4, 5}
    assert (4, "营业收入（万元）") in conflicts and (5, "工业增加值（万元）") in conflicts
    assert v.rows_in == 5 and v.rows_valid == 2 and v.rows_rejected == 3


def test_year_missing_needs_year_argument(tmp_path):
    header = [h for h in STAT_HEADER if h != "统计年度"]
    path = write_csv(tmp_path / "no_year_column.csv", [header, stat_row(1)[:2] + stat_row(1)[3:]])
    v = validate_file(path, "statistics")
    assert [p.error.code for p in v.problems] == ["F105"]
    assert validate_file(path, "statistics", year=2021).valid["year"].to_list() == [2021]


def test_header_not_found(tmp_path):
    path = write_xlsx(tmp_path / "no_header.xlsx", [["foo", "bar"], [1, 2]])
    assert [p.error.code for p in validate_file(path, "statistics").problems] == ["F103"]


def test_unit_of_wrong_dimension(tmp_path):
    header = [h.replace("营业收入（万元）", "营业收入（亩）") for h in STAT_HEADER]
    path = write_csv(tmp_path / "revenue_in_mu.csv", [header, stat_row(1)])
    assert [p.error.code for p in validate_file(path, "statistics").problems] == ["F106"]


def test_two_columns_for_one_field(tmp_path):
    header = [*STAT_HEADER, "营业收入合计"]
    path = write_csv(tmp_path / "two_revenue_columns.csv", [header, [*stat_row(1), 1]])
    assert [p.error.code for p in validate_file(path, "statistics").problems] == ["F109"]


def test_too_many_rejected_fails_the_file(tmp_path):
    rows = [stat_row(1), stat_row(2, revenue="x"), stat_row(3, revenue="y")]
    path = write_csv(tmp_path / "mostly_bad.csv", [STAT_HEADER, *rows])
    v = validate_file(path, "statistics", max_rejected_share=0.5)
    assert [p.error.code for p in v.problems] == ["F107"]


def test_empty_file(tmp_path):
    path = write_csv(tmp_path / "header_only.csv", [STAT_HEADER])
    assert [p.error.code for p in validate_file(path, "statistics").problems] == ["F108"]


def test_dates_in_many_forms(tmp_path):
    header = ["统一社会信用代码", "企业名称", "所属区县", "行业代码", "成立日期"]
    dates = ["2015-03-02", "2015/3/2", "20150302", "2015年3月2日", "42065", "2015-13-45"]
    rows = [[make_uscc(serial=i), f"企业{i}", "黄岩区", "3525", d] for i, d in enumerate(dates)]
    path = write_csv(tmp_path / "register_dates.csv", [header, *rows])
    v = validate_file(path, "register", max_rejected_share=1.0)
    assert _codes_at(v, "R212") == [(7, "成立日期")]
    assert {str(d) for d in v.valid["registered_on"].to_list()} == {"2015-03-02"}


def test_land_tenure_and_square_metres(tmp_path):
    header = ["统一社会信用代码", "年度", "宗地编号", "用地面积（平方米）", "权属"]
    rows = [
        [make_uscc(serial=1), 2020, "P1", 6666.67, "自有"],
        [make_uscc(serial=1), 2020, "P2", 3333.33, "租赁"],
        [make_uscc(serial=1), 2020, "P3", 100, "借用"],
    ]
    v = validate_file(
        write_csv(tmp_path / "land.csv", [header, *rows]), "land", max_rejected_share=1.0
    )
    assert _codes_at(v, "R213") == [(4, "权属")]
    assert v.valid["area_mu"].to_list() == pytest.approx([10.0, 5.0], rel=1e-4)
    assert v.valid["tenure"].to_list() == ["owned", "leased"]


def test_large_csv_read_in_several_chunks(tmp_path):
    # polars reads big CSVs in chunks; errors far down the file must still be found (this
    # once panicked inside polars on multi-chunk columns).
    rows = [stat_row(i) for i in range(1, 30_001)]
    rows[29_000][6] = "not a number"
    rows[29_500][8] = rows[29_500][7] * 2  # value added twice the output: a ratio failure
    v = _validate(tmp_path, rows, year=2020)
    assert _codes_at(v, "R206") == [(29_002, "营业收入（万元）")]
    assert _codes_at(v, "R207") == [(29_502, "工业增加值（万元）")]
    assert v.rows_in == 30_000 and v.rows_valid == 29_998
