"""The department files: shapes, headers, units, encodings and what they hold."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest
import yaml

from industry_brain.ingest.spec import load_spec
from industry_brain.synth import generate_population, statistics_frame, write_statistics_file
from industry_brain.synth.manifest import FileEntry
from industry_brain.synth.statistics_file import columns, statistics_table
from industry_brain.synth.table import write_xlsx
from industry_brain.units import UNITS, find_unit, split_header
from test_synth_support import csv_lines, entry, manifest, small_city, xlsx_row

SOURCES = ("register", "statistics", "tax", "land", "electricity", "emissions")


def _headers_map(source: str, headers: list[str], groups: list[str] | None = None) -> None:
    spec = load_spec(source)
    index = spec.header_index()
    for j, header in enumerate(headers):
        base, unit = split_header(header)
        assert base in index, f"{source}: {header!r} maps to no field"
        field = spec.field(index[base])
        if field.type == "number":
            group = next((g for g in reversed((groups or [])[: j + 1]) if g), "")
            unit = unit or find_unit(group) or field.unit
            assert unit is not None and UNITS[unit].dimension == field.dimension, header


def test_every_header_is_a_spec_title_or_synonym_with_a_known_unit() -> None:
    city = small_city()
    m = manifest(city)
    for f in m.files:
        if f.source not in SOURCES:
            continue
        if f.format == "csv":
            _headers_map(f.source, csv_lines(city, f)[0])
        else:
            assert f.header_row is not None
            groups = xlsx_row(city, f, f.header_row - 1) if f.header_row > 1 else None
            _headers_map(f.source, [str(h) for h in xlsx_row(city, f, f.header_row)], groups)


def test_files_listed_and_present() -> None:
    city = small_city()
    m = manifest(city)
    for f in m.files:
        assert (city / f.path).is_file(), f.path
    for year in m.years:
        for source in ("statistics", "tax", "land", "electricity", "emissions"):
            assert m.file(source, year).rows > 0
    assert (city / "register/市场主体登记信息.xlsx").is_file()
    for name in ("enterprise", "enterprise_year"):
        assert (city / f"truth/{name}.parquet").is_file()


def test_statistics_layout_by_year() -> None:
    city = small_city()
    m = manifest(city)
    old, new = m.file("statistics", 2020), m.file("statistics", 2021)
    title = xlsx_row(city, old, 1)
    assert title[0] == "台州市2020年工业企业主要经济指标" and all(v is None for v in title[1:])
    assert "经济指标（千元）" in xlsx_row(city, old, 2)
    assert "经济指标（万元）" in xlsx_row(city, new, 2)
    old_headers = xlsx_row(city, old, 3)
    new_headers = xlsx_row(city, new, 3)
    assert "主营业务收入" in old_headers and "营业收入（万元）" in new_headers
    assert not any("（" in str(h) for h in old_headers)  # units from the group header only
    assert old.year_column is False and m.file("statistics", 2019).year_column is True
    assert new.year_column is True and m.file("statistics", 2022).year_column is False
    wb = openpyxl.load_workbook(city / old.path)
    ws = wb.active
    assert ws is not None
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert any(r.startswith("A1:") for r in merged) and len(merged) >= 3
    flags = {ws.cell(r, old_headers.index("是否规上") + 1).value for r in range(4, ws.max_row + 1)}
    assert flags == {"是", "否"}
    codes = [ws.cell(r, old_headers.index("行业代码") + 1).value for r in range(4, ws.max_row + 1)]
    assert all(isinstance(c, str) and len(c) == 4 for c in codes)
    revenue = [
        ws.cell(r, old_headers.index("主营业务收入") + 1).value for r in range(4, ws.max_row + 1)
    ]
    assert any(isinstance(v, str) and "," in v for v in revenue)  # some numbers as text
    assert sum(isinstance(v, float | int) for v in revenue) > 0.9 * len(revenue)


def test_statistics_values_match_truth_in_file_units() -> None:
    city = small_city()
    m = manifest(city)
    truth = pl.read_parquet(city / "truth/enterprise_year.parquet").filter(pl.col("year") == 2020)
    f = m.file("statistics", 2020)
    headers = xlsx_row(city, f, 3)
    row = xlsx_row(city, f, 4)
    uscc = row[headers.index("统一社会信用代码")]
    t = truth.filter(pl.col("uscc") == uscc).row(0, named=True)
    value = row[headers.index("工业增加值")]
    value = float(value.replace(",", "")) if isinstance(value, str) else value
    assert value == pytest.approx(t["value_added"] * 10)  # 千元


def test_leading_zero_industry_codes_survive(tmp_path: Path) -> None:
    pop = generate_population(seed=1, scale=0.02, years=[2021])
    frame = statistics_frame(pop.enterprises, pop.enterprise_years, 2021)
    frame = frame.with_columns(pl.lit("0912").alias("industry_code"))
    path = tmp_path / "s.xlsx"
    write_xlsx(statistics_table(frame, 2021, np.random.default_rng(0)), path)
    headers = xlsx_row(tmp_path, _fake(path), 3)
    assert xlsx_row(tmp_path, _fake(path), 4)[headers.index("行业代码")] == "0912"


def _fake(path: Path) -> FileEntry:

    return FileEntry(path=path.name, source="statistics", rows=0, format="xlsx", sheet=None)


def test_register_shapes() -> None:
    city = small_city()
    m = manifest(city)
    f = entry(m, "register/市场主体登记信息.xlsx")
    wb = openpyxl.load_workbook(city / f.path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert header == (
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "行业代码",
        "成立日期",
        "住所",
        "所属园区",
    )
    dates = [r[4] for r in body]
    assert sum(isinstance(d, dt.datetime) for d in dates) > 0.9 * len(dates)
    texts = [d for d in dates if isinstance(d, str)]
    assert any("年" in d for d in texts) and any("-" in d for d in texts)
    regions = {r[2] for r in body}
    assert "黄岩区" in regions and any(str(x).isdigit() for x in regions)
    parks = yaml.safe_load((city / "parks.yaml").read_text(encoding="utf-8"))
    names = {p["name"] for p in parks}
    assert {r[6] for r in body} - {None} <= names
    assert any(r[6] is None for r in body)
    assert len(body) == pl.read_parquet(city / "truth/enterprise.parquet").height


def test_tax_is_gbk_with_separators_and_dashes() -> None:
    city = small_city()
    m = manifest(city)
    f = m.file("tax", 2021)
    raw = (city / f.path).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    lines = csv_lines(city, f)
    assert lines[0] == ["纳税人识别号", "纳税人名称", "所属年度", "实缴税金（元）"]
    amounts = [r[3] for r in lines[1:]]
    assert any("," in a for a in amounts) and all(a == "—" or "." in a for a in amounts)
    dashes = [i + 2 for i, a in enumerate(amounts) if a == "—"]
    listed = {x.row for x in m.inherent_issues if x.file == f.path}
    assert set(dashes) == listed


def test_land_units_alternate_and_parcels_are_stable() -> None:
    city = small_city()
    m = manifest(city)
    odd, even = m.file("land", 2021), m.file("land", 2022)
    assert "用地面积(平方米)" in xlsx_row(city, odd, 1)
    assert "用地面积（亩）" in xlsx_row(city, even, 1)
    tenures = set(load_spec("land").field("tenure").choices or {})
    wb = openpyxl.load_workbook(city / even.path, read_only=True)
    body = list(wb.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert {r[5] for r in body} <= tenures and {"自有", "租赁", "出租"} <= {r[5] for r in body}
    assert len({(r[0], r[3]) for r in body}) == len(body)


def test_electricity_has_a_bom_and_both_units() -> None:
    city = small_city()
    m = manifest(city)
    odd, even = m.file("electricity", 2021), m.file("electricity", 2020)
    assert (city / odd.path).read_bytes().startswith(b"\xef\xbb\xbf")
    assert csv_lines(city, odd)[0][3] == "用电量（万千瓦时）"
    assert csv_lines(city, even)[0][3] == "用电量（千瓦时）"
    truth = pl.read_parquet(city / "truth/enterprise_year.parquet").filter(pl.col("year") == 2021)
    n_truth = truth["electricity_kwh"].is_not_null().sum()
    assert odd.rows == n_truth < truth.height  # not every enterprise has a record


def test_emissions_only_for_firms_with_a_record() -> None:
    city = small_city()
    m = manifest(city)
    f = m.file("emissions", 2020)
    assert f.header_row == 2
    assert xlsx_row(city, f, 2) == [
        "排污单位统一社会信用代码",
        "排污单位名称",
        "年度",
        "排放当量（吨）",
    ]
    truth = pl.read_parquet(city / "truth/enterprise_year.parquet").filter(pl.col("year") == 2020)
    assert f.rows == truth["emissions_eq"].is_not_null().sum()


def test_manifest_counts_and_transactions() -> None:
    city = small_city()
    m = manifest(city)
    assert set(m.counts) == {str(y) for y in m.years}
    assert all(len(c) == 9 for c in m.counts.values())
    tx = pl.read_parquet(city / "transactions/transactions_2020.parquet")
    assert tx.columns == ["year", "seller_uscc", "buyer_uscc", "product_code", "amount"]
    assert (tx["amount"] > 0).all()


def test_write_statistics_file_for_benchmarks(tmp_path: Path) -> None:
    pop = generate_population(seed=2, scale=0.02, years=[2020])
    n = pop.enterprise_years.height
    assert (
        write_statistics_file(pop.enterprises, pop.enterprise_years, tmp_path / "s.xlsx", 2020) == n
    )
    assert (
        write_statistics_file(pop.enterprises, pop.enterprise_years, tmp_path / "s.csv", 2020) == n
    )
    frame = pl.read_csv(tmp_path / "s.csv", infer_schema=False)
    assert frame.height == n and "营业收入（万元）" in frame.columns
    cols, _ = columns(2020, csv=True)
    assert frame.columns == [c.header for c in cols]
