"""Shapes found by trying files the gallery did not have: headers that put a month before the
field ('1月用电量'), a pollutant before its amount ('化学需氧量排放量（吨）'), codes kept as text by
the exporting system ('="913…"', a leading apostrophe), industry codes with their 门类 letter or
their name, 规模以上/规模以下 flags, tax periods given as start and end dates."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from industry_brain.ingest.validate import validate_file

from helpers import make_uscc

FIRMS = [make_uscc("331003", i) for i in range(1, 5)]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def test_month_before_the_field_name(tmp_path):
    header = ["户号", "户名", "统一社会信用代码", *(f"{m}月用电量（千瓦时）" for m in range(1, 13))]
    rows = [[f"00{i}", f"公司{i}", u, *[100 * (i + 1)] * 12] for i, u in enumerate(FIRMS)]
    v = validate_file(_xlsx(tmp_path / "p.xlsx", [header, *rows]), "electricity", 2023)
    assert v.ok and v.errors.height == 0
    assert v.valid.sort("__row")["electricity_kwh"].to_list() == [1200, 2400, 3600, 4800]


def test_pollutant_before_its_amount(tmp_path):
    names = ["化学需氧量", "氨氮", "二氧化硫", "氮氧化物排放总量", "颗粒物"]
    header = [
        "统一社会信用代码",
        "单位名称",
        *(f"{n}排放量（吨）" if "总量" not in n else n for n in names),
    ]
    rows = [[u, f"公司{i}", 1.0, 0.8, 0.95, 0.95, 2.0] for i, u in enumerate(FIRMS)]
    v = validate_file(_xlsx(tmp_path / "e.xlsx", [header, *rows]), "emissions", 2023)
    assert v.ok, v.problems
    assert sorted(set(v.valid["pollutant"])) == ["COD", "NH3N", "NOX", "PM", "SO2"]


def test_codes_kept_as_text_and_tax_periods(tmp_path):
    path = tmp_path / "t.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            ["纳税人识别号", "纳税人名称", "税款所属期起", "税款所属期止", "实缴税款合计（元）"]
        )
        for i, u in enumerate(FIRMS):
            code = f'="{u}"' if i % 2 else f"'{u}"
            out.writerow([code, f"公司{i}", "2023-01-01", "2023-12-31", f"{10000 * (i + 1):,.2f}"])
    v = validate_file(path, "tax", 2023)
    assert v.ok and v.errors.height == 0
    assert v.valid.sort("__row")["uscc"].to_list() == FIRMS
    assert v.valid["tax_paid"].to_list() == pytest.approx([1, 2, 3, 4])


def test_industry_codes_and_scale_flags_as_written(tmp_path):
    header = ["统一社会信用代码", "单位详细名称", "行业代码", "是否规上", "营业收入（万元）"]
    rows = [
        [FIRMS[0], "甲", "C3484", "规模以上", 5000],
        [FIRMS[1], "乙", "3484 塑料加工专用设备制造", "规模以下", 100],
        [FIRMS[2], "丙", "C34", "是", 3000],
    ]
    v = validate_file(_xlsx(tmp_path / "s.xlsx", [header, *rows]), "statistics", 2023)
    assert v.ok and v.errors.height == 0
    got = v.valid.sort("__row")
    assert got["industry_code"].to_list() == ["3484", "3484", "34"]
    assert got["above_scale"].to_list() == [True, False, True]


def test_a_cell_merged_down_over_rows_applies_to_each(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["统一社会信用代码", "企业名称", "所属区县", "行业代码"])
    for i, u in enumerate([*FIRMS, make_uscc("331004", 9)]):
        wb.active.append([u, f"公司{i}", {0: "黄岩区", 4: "路桥区"}.get(i), "3484"])
    wb.active.merge_cells("C2:C5")
    wb.save(tmp_path / "r.xlsx")
    v = validate_file(tmp_path / "r.xlsx", "register")
    assert v.ok and v.errors.height == 0
    assert v.valid.sort("__row")["region_code"].to_list() == ["331003"] * 4 + ["331004"]


def test_a_files_own_equivalent_is_not_added_to_its_pollutants(workspace, tmp_path):
    from industry_brain.ingest.load import ingest_file

    header = ["统一社会信用代码", "单位名称", "化学需氧量（吨）", "氨氮（吨）", "排放当量（吨）"]
    rows = [[FIRMS[0], "甲", 1.0, 0.8, 2.5], [FIRMS[1], "乙", 1.0, 0.8, None]]
    report = ingest_file(workspace, _xlsx(tmp_path / "e.xlsx", [header, *rows]), "emissions", 2023)
    assert report.status == "loaded"
    ey = workspace.con.table("enterprise_year").to_polars().sort("uscc")
    assert ey["emissions_eq"].to_list() == pytest.approx([2.5, 1.0 + 0.8 / 0.8])


def test_total_and_note_rows_with_the_word_in_the_code_column(tmp_path):
    header = ["统一社会信用代码", "单位详细名称", "营业收入（万元）"]
    rows = [[u, f"公司{i}", 100 * (i + 1)] for i, u in enumerate(FIRMS)]
    below = [["合  计", None, 1000], ["注：本表由统计局提供", None, None]]
    below.append([None, "填表人：张三", None])
    v = validate_file(_xlsx(tmp_path / "s.xlsx", [header, *rows, *below]), "statistics", 2023)
    assert v.ok and v.errors.height == 0 and v.rows_in == 4
    assert v.skipped == {"total": 1, "note": 2}


def test_a_subtotal_among_tax_types_is_not_added_to_them(tmp_path):
    path = tmp_path / "t.csv"
    rows = [["纳税人识别号", "纳税人名称", "所属年度", "税种", "实缴税款（元）"]]
    rows += [
        [FIRMS[0], "甲", 2023, t, a] for t, a in (("增值税", "100,000"), ("企业所得税", "50,000"))
    ]
    rows += [[FIRMS[0], "甲", 2023, "小计", "150,000"], [FIRMS[1], "乙", 2023, "合计", "20,000"]]
    with path.open("w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    v = validate_file(path, "tax", 2023)
    assert v.ok and v.errors.height == 0 and v.skipped == {"total": 1}
    got = v.valid.group_by("uscc").agg(pl.col("tax_paid").sum()).sort("uscc")
    assert got["tax_paid"].to_list() == pytest.approx([15.0, 2.0])  # 乙's only line is its total


def test_a_lease_of_a_parcel_the_owner_lists_as_let_names_its_lessor(tmp_path):
    parcel = "331003001001GB00001"
    rows = [["统一社会信用代码", "使用权人", "宗地编号", "用地面积（亩）", "权属"]]
    rows += [[FIRMS[0], "甲", parcel, 10, "出让"], [FIRMS[0], "甲", parcel, 3, "出租"]]
    rows += [[FIRMS[1], "乙", parcel, 3, "租赁"], [FIRMS[2], "丙", "P-9", 2, "租赁"]]
    v = validate_file(_xlsx(tmp_path / "l.xlsx", rows), "land", 2023)
    assert v.ok and [(r["code"], r["row"]) for r in v.errors.to_dicts()] == [("W306", 5)]


def test_two_account_columns_do_not_stop_the_file(tmp_path):
    header = ["户号", "用户编号", "户名", "统一社会信用代码", "用电量（千瓦时）"]
    rows = [[f"33{i}", f"U{i}", f"公司{i}", u, 1000 * (i + 1)] for i, u in enumerate(FIRMS)]
    v = validate_file(_xlsx(tmp_path / "p.xlsx", [header, *rows]), "electricity", 2023)
    assert v.ok and v.valid.sort("__row")["account_id"].to_list() == ["330", "331", "332", "333"]


def test_bracketed_notes_in_a_header(tmp_path):
    header = [
        "统一社会信用代码（或组织机构代码）",
        "企业名称（盖章）",
        "用电量（峰）",
        "用电量（千瓦时）",
    ]
    rows = [[u, f"公司{i}", 10, 100 * (i + 1)] for i, u in enumerate(FIRMS)]
    v = validate_file(_xlsx(tmp_path / "p.xlsx", [header, *rows]), "electricity", 2023)
    assert v.ok, v.problems
    assert v.valid.sort("__row")["electricity_kwh"].to_list() == [100, 200, 300, 400]
    assert {c.field: c.label for c in v.columns} == {
        "uscc": "A",
        "name": "B",
        "electricity_kwh": "D",
    }  # the peak-hours column is not the year's consumption


def test_a_quote_in_a_code_cell_is_reported_not_a_crash(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text(
        '纳税人识别号,纳税人名称,所属年度,实缴税金（元）\n"a""b",公司,2024,5\n', "utf-8"
    )
    v = validate_file(path, "tax", max_rejected_share=1.0)
    assert [(e["code"], e["row"]) for e in v.errors.to_dicts()] == [("R202", 2)]


def test_old_tax_numbers_beside_the_credit_code(tmp_path):
    header = ["纳税人识别号", "社会信用代码", "纳税人名称", "实缴税金（万元）"]
    rows = [[f"33100{i}7040123{i}1", u, f"公司{i}", 10] for i, u in enumerate(FIRMS)]
    v = validate_file(_xlsx(tmp_path / "t.xlsx", [header, *rows]), "tax", 2023)
    assert v.ok and v.valid.sort("__row")["uscc"].to_list() == FIRMS
