"""The department files: shapes by year and county, headers, units, encodings and what they hold
(read back with the independent readers of test_synth_support, never with the ingest code)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import groupby
from pathlib import Path

import numpy as np
import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from industry_brain.ingest.spec import load_spec
from industry_brain.synth import generate_population, statistics_frame, write_statistics_file
from industry_brain.synth.geography import county_name
from industry_brain.synth.manifest import FileEntry
from industry_brain.synth.pollutants import MAIN, pev
from industry_brain.synth.split import largest_remainder
from industry_brain.synth.statistics_file import columns as statistics_columns
from industry_brain.synth.statistics_file import statistics_table
from industry_brain.synth.table import write_xlsx
from industry_brain.units import UNITS
from test_synth_support import (
    columns,
    csv_lines,
    data_rows,
    entry,
    header_paths,
    manifest,
    names,
    read_emissions,
    read_figures,
    read_land,
    read_statistics,
    read_tax,
    read_year_statistics,
    rows_of,
    small_city,
    xlsx_row,
)

SOURCES = ("register", "statistics", "tax", "land", "electricity", "emissions")
UNREAD = {"序号", "排放口名称"}  # columns of the exports that no figure is read from


def _truth(city: Path, year: int) -> pl.DataFrame:
    return pl.read_parquet(city / "truth/enterprise_year.parquet").filter(pl.col("year") == year)


def _department_files(city: Path) -> list[FileEntry]:
    return [f for f in manifest(city).files if f.source in SOURCES and not f.faulty]


def test_every_header_is_a_spec_title_or_synonym_with_a_known_unit() -> None:
    city = small_city()
    for f in _department_files(city):
        spec = load_spec(f.source)
        found = columns(city, f)
        for name, path, (field, unit, _) in zip(
            names(city, f), header_paths(city, f), found, strict=True
        ):
            if field is None:
                assert name in UNREAD or path[-1] == "上年同期", (f.path, name)
                continue
            if spec.field(field).type == "number":
                assert unit is not None and UNITS[unit].dimension == spec.field(field).dimension
        assert "uscc" in {field for field, _, _ in found}, f.path


def test_files_listed_and_present() -> None:
    city = small_city()
    m = manifest(city)
    for f in m.files:
        assert (city / f.path).is_file(), f.path
    for year in m.years:
        for source in ("statistics", "tax", "land", "electricity", "emissions"):
            assert sum(f.rows for f in m.files_for(source, year)) > 0
    assert (city / "register/市场主体登记信息.xlsx").is_file()
    for name in ("enterprise", "enterprise_year", "parcel", "pollutant"):
        assert (city / f"truth/{name}.parquet").is_file()


def _footer(city: Path, f: FileEntry) -> list[list[object]]:
    assert f.data_row is not None
    return rows_of(city, f)[f.data_row - 1 + len(data_rows(city, f)) :]


def test_statistics_shapes_by_year() -> None:
    city = small_city()
    m = manifest(city)
    for year in m.years:
        for f in m.files_for("statistics", year):
            above = rows_of(city, f)[: (f.header_row or 0) - (f.header_rows or 0)]
            assert above and f"{year}年" in str(above[0][0])  # a title line
            assert f.header_rows in (2, 3) and names(city, f)[0] == "序号"
            footer = _footer(city, f)
            word = "小计" if f.county else "合计"
            assert word in footer[0] and any("填表人" in str(r[0]) for r in footer)
            assert any(str(r[0]).startswith("注") for r in footer)
    old = m.file("statistics", 2019)
    assert old.format == "xls" and old.path.endswith(".xls")
    assert "金额单位：千元" in rows_of(city, old)[1] and "主营业务收入" in names(city, old)
    counties = m.files_for("statistics", 2020)
    assert len(counties) == 9 and {f.county for f in counties} == set(m.counts["2020"])
    for f in counties:
        assert f.path == f"statistics/2020/{county_name(f.county or '')}_工业企业主要指标.xlsx"
        assert {str(int(r[3])) for r in data_rows(city, f)} == {f.county}  # its 区划代码
    codes = m.file("statistics", 2021)
    assert codes.data_row == (codes.header_row or 0) + 2
    under = xlsx_row(city, codes, (codes.header_row or 0) + 1)
    assert under[:3] == ["甲", "乙", "丙"] and under[-2:] == ["4", "5"]
    assert rows_of(city, codes)[1][0] == "单位：万元、人、吨标准煤"
    units_row = m.file("statistics", 2023)
    assert "万元" in xlsx_row(city, units_row, (units_row.header_row or 0) + 1)
    assert "是否规上" not in names(city, units_row)
    assert "营业收入（万元）" in names(city, m.file("statistics", 2024))


def test_a_year_sent_as_a_production_and_a_finance_table() -> None:
    """2021: the 产值 and the 财务 table of the same enterprises, each its own file and title,
    both with 营业收入 (the same figures), each with its own units line and column codes."""
    city = small_city()
    m = manifest(city)
    production, finance = m.files_for("statistics", 2021)
    assert production.path == "statistics/工业企业主要指标_2021_产值.xlsx"
    assert finance.path == "statistics/工业企业主要指标_2021_财务.xlsx"
    assert rows_of(city, production)[0][0] == "台州市2021年工业企业生产情况"
    assert rows_of(city, finance)[0][0] == "台州市2021年工业企业财务状况"
    assert rows_of(city, finance)[1][0] == "单位：万元"
    have = [{field for field, _, _ in columns(city, f)} - {None} for f in (production, finance)]
    assert {"revenue", "output", "value_added", "employees", "energy_tce", "above_scale"} <= have[0]
    assert {"revenue", "profit", "rd_expense", "new_product_output", "export_value"} <= have[1]
    assert not have[0] & {"profit", "rd_expense", "new_product_output", "export_value"}
    assert not have[1] & {"output", "value_added", "employees", "energy_tce", "above_scale"}
    under = xlsx_row(city, finance, (finance.header_row or 0) + 1)
    assert under[:3] == ["甲", "乙", "丙"] and under[-5:] == ["1", "2", "3", "4", "5"]
    a, b = read_statistics(city, production), read_statistics(city, finance)
    assert a["uscc"].to_list() == b["uscc"].to_list()
    assert (a["revenue"] - b["revenue"]).abs().max() < 1e-9  # type: ignore[operator]
    assert production.rows == finance.rows


def test_the_previous_year_column_is_there_and_differs() -> None:
    city = small_city()
    f = manifest(city).file("statistics", 2022)
    found = names(city, f)
    assert f.header_rows == 3
    current = found.index("主要经济指标（万元） › 营业收入 › 本年")
    previous = found.index("主要经济指标（万元） › 营业收入 › 上年同期")
    rows = data_rows(city, f)
    assert all(isinstance(r[previous], float) for r in rows)
    assert sum(r[previous] != r[current] for r in rows) > 0.95 * len(rows)


def test_statistics_values_match_truth_in_every_year() -> None:
    city = small_city()
    m = manifest(city)
    figures = ("revenue", "output", "value_added", "employees", "energy_tce", "rd_expense",
               "new_product_output", "export_value", "profit")  # fmt: skip
    for year in m.years:
        read = read_year_statistics(city, m, year)
        truth = _truth(city, year)
        assert read.height == truth.height
        both = read.join(truth, on="uscc", suffix="_t")
        assert (both["above_scale"] == both["above_scale_t"]).all()
        for c in figures:
            off = both.filter(
                (pl.col(c).is_null() != pl.col(f"{c}_t").is_null())
                | ((pl.col(c) - pl.col(f"{c}_t")).abs() > 1e-6)
            )
            assert off.height == 0, (year, c, off.head(3))
    text = [v for r in data_rows(city, m.file("statistics", 2021)) for v in r[7:]]
    assert any(isinstance(v, str) and "," in v for v in text)  # some numbers as text


def test_leading_zero_industry_codes_survive(tmp_path: Path) -> None:
    pop = generate_population(seed=1, scale=0.02, years=[2021])
    frame = statistics_frame(pop.enterprises, pop.enterprise_years, 2021)
    frame = frame.with_columns(pl.lit("0912").alias("industry_code"))
    table = statistics_table(frame, 2021, np.random.default_rng(0))
    write_xlsx(table, tmp_path / "s.xlsx")
    f = FileEntry(
        path="s.xlsx",
        source="statistics",
        rows=0,
        format="xlsx",
        header_row=table.header_row,
        header_rows=table.depth,
        data_row=table.data_row,
    )
    j = names(tmp_path, f).index("行业代码")
    assert xlsx_row(tmp_path, f, table.data_row)[j] == "0912"


def test_register_shapes() -> None:
    city = small_city()
    m = manifest(city)
    f = entry(m, "register/市场主体登记信息.xlsx")
    rows = rows_of(city, f)
    header, body = rows[0], rows[1:]
    assert header == ["统一社会信用代码", "企业名称", "所属区县", "行业代码", "成立日期", "住所",
                      "所属园区"]  # fmt: skip
    dates = [r[4] for r in body]
    assert sum(isinstance(d, dt.date) for d in dates) > 0.9 * len(dates)
    texts = [d for d in dates if isinstance(d, str)]
    assert any("年" in d for d in texts) and any("-" in d for d in texts)
    regions = {r[2] for r in body}
    assert "黄岩区" in regions and any(str(x).isdigit() for x in regions)
    parks = yaml.safe_load((city / "parks.yaml").read_text(encoding="utf-8"))
    assert {r[6] for r in body} - {None} <= {p["name"] for p in parks}
    assert any(r[6] is None for r in body)
    assert len(body) == pl.read_parquet(city / "truth/enterprise.parquet").height


def test_tax_shapes_and_values() -> None:
    city = small_city()
    m = manifest(city)
    for year in m.years:
        f = m.file("tax", year)
        with pytest.raises(UnicodeDecodeError):
            (city / f.path).read_bytes().decode("utf-8")
        read = read_tax(city, f).join(_truth(city, year), on="uscc")
        assert (read["tax_paid"] - read["tax_paid_right"]).abs().max() < 1e-6  # type: ignore[operator]
        dashes = [i + 1 for i, r in enumerate(csv_lines(city, f)) if r[-1] == "—"]
        assert set(dashes) == {x.row for x in m.inherent_issues if x.file == f.path}
    titled = csv_lines(city, m.file("tax", 2020))
    assert titled[0][0].endswith("企业税收实际贡献") and titled[1][0] == "金额单位：元"
    assert titled[2][-1] == "实缴税款合计" and titled[-1][0] == "合计"
    assert csv_lines(city, m.file("tax", 2022))[0][-1] == "实缴税款合计（元）"
    by_type = m.file("tax", 2021)
    lines = csv_lines(city, by_type)
    kinds = {"增值税", "企业所得税", "其他"}
    assert lines[0][3] == "税种" and {r[3] for r in lines[1:]} == kinds | {"小计"}
    per_firm = Counter(r[0] for r in lines[1:])
    assert max(per_firm.values()) == 4 and min(per_firm.values()) == 1  # a firm shown as — alone
    firms = [list(rows) for _, rows in groupby(lines[1:], key=lambda r: r[0])]
    assert len(firms) == len(per_firm)  # a firm's rows together
    for rows in firms:  # the 小计 comes last and is the sum of the firm's rows
        *given, last = rows
        if last[-1] == "—":
            assert given == []
            continue
        assert last[3] == "小计" and given and all(r[3] in kinds for r in given), rows
        assert last[1] == given[0][1] and last[2] == "2021"
        assert _fen(last[-1]) == sum(_fen(r[-1]) for r in given)
    assert all(
        r[-1] == "—" or r[-1].endswith("元") for r in csv_lines(city, m.file("tax", 2024))[1:]
    )


def _fen(amount: str) -> int:
    return round(float(amount.replace(",", "")) * 100)


def test_land_shapes_lettings_and_values() -> None:
    city = small_city()
    m = manifest(city)
    parcels = pl.read_parquet(city / "truth/parcel.parquet")
    words: set[str] = set()
    for year in m.years:
        f = m.file("land", year)
        cols = columns(city, f)
        at = {field: j for j, (field, _, _) in enumerate(cols) if field}
        rows = data_rows(city, f)
        words |= {str(r[at["tenure"]]) for r in rows}
        read = read_land(city, f).join(_truth(city, year), on="uscc", suffix="_t")
        for c in ("land_mu", "land_owned_mu", "land_leased_mu", "land_let_mu"):
            assert (read[c] - read[f"{c}_t"]).abs().max() < 1e-4, (year, c)  # type: ignore[operator]
        tenants = parcels.filter((pl.col("year") == year) & pl.col("lessor_uscc").is_not_null())
        assert tenants.height > 0
        held = {(str(r[at["uscc"]]), str(r[at["parcel_id"]])) for r in rows}
        listed = {(u, p) for u, p in zip(tenants["uscc"], tenants["parent_id"], strict=True)}
        lets = {str(r[at["parcel_id"]]) for r in rows if r[at["tenure"]] == "出租"}
        if year in (2021, 2024):  # the tenant's lease on the owner's parcel, no 出租 row
            assert listed <= held
            assert not lets & set(tenants["parcel_id"])
        else:
            assert set(zip(tenants["uscc"], tenants["parcel_id"], strict=True)) <= held
        if year == 2022:
            named = {r[at["lessor"]] for r in rows if r[at["tenure"]] == "租赁"}
            assert any(str(n).endswith("村股份经济合作社") for n in named)
            assert any(str(n).endswith("有限公司") for n in named)
        if year == 2023:
            assert any(len(str(r[at["lessor"]] or "")) == 18 for r in rows)
        if year in (2019, 2021, 2023):
            assert cols[at["area_mu"]][1] == "平方米"
    assert {"出让", "划拨", "作价出资", "租赁", "承租", "出租", "自有"} <= words


def test_electricity_months_and_accounts_add_up_exactly() -> None:
    city = small_city()
    m = manifest(city)
    for year in m.years:
        f = m.file("electricity", year)
        read = read_figures(city, f).join(_truth(city, year), on="uscc", suffix="_t")
        assert read.height == _truth(city, year)["electricity_kwh"].is_not_null().sum()
        assert (read["electricity_kwh"] == read["electricity_kwh_t"]).all() or year == 2021
        assert (read["electricity_kwh"] - read["electricity_kwh_t"]).abs().max() < 1e-6  # type: ignore[operator]
        cols = columns(city, f)
        account = next(j for j, (field, _, _) in enumerate(cols) if field == "account_id")
        rows = data_rows(city, f)
        assert all(isinstance(r[account], str) and len(r[account]) == 10 for r in rows)
        assert any(r[account].startswith("0") for r in rows)
        code = next(j for j, (field, _, _) in enumerate(cols) if field == "uscc")
        assert max(Counter(r[code] for r in rows).values()) >= 2  # several accounts
        months = [j for j, (_, _, part) in enumerate(cols) if part and "合计" not in part]
        total = next((j for j, (_, _, part) in enumerate(cols) if part and "合计" in part), None)
        if total is not None:
            for r in rows:
                assert round(sum(float(r[j]) for j in months), 4) == pytest.approx(float(r[total]))
    assert (city / m.file("electricity", 2020).path).read_bytes().startswith(b"\xef\xbb\xbf")
    assert "用电量（万千瓦时） › 1月" in names(city, m.file("electricity", 2021))
    assert names(city, m.file("electricity", 2022))[3] == "2022年01月"
    assert names(city, m.file("electricity", 2023))[-1] == "全年合计"


def test_emissions_per_pollutant_imply_the_truth() -> None:
    city = small_city()
    m = manifest(city)
    amounts = pl.read_parquet(city / "truth/pollutant.parquet")
    values = pev()
    seen: set[str] = set()
    for year in m.years:
        f = m.file("emissions", year)
        read = read_emissions(city, f)
        seen |= set(read["pollutant"])
        truth = amounts.filter(pl.col("year") == year)
        both = read.join(truth, on=["uscc", "pollutant"], suffix="_t")
        assert both.height == read.height
        assert (both["amount_t"] - both["amount_t_t"]).abs().max() < 1e-9  # type: ignore[operator]
        eq = (
            read.filter(pl.col("pollutant").is_in(MAIN))
            .group_by("uscc")
            .agg(
                (pl.col("amount_t") / pl.col("pollutant").replace_strict(values)).sum().alias("eq")
            )
            .join(_truth(city, year), on="uscc")
        )
        assert eq.height == _truth(city, year)["emissions_eq"].is_not_null().sum()
        assert (eq["eq"] - eq["emissions_eq"]).abs().max() < 1e-9  # type: ignore[operator]
    assert {"PM", "TP", "VOCS"} <= seen
    assert "化学需氧量（吨）" in names(city, m.file("emissions", 2019))
    assert names(city, m.file("emissions", 2020))[-1] == "排放量（千克）"
    outlets = m.file("emissions", 2021)
    assert {"DW001", "DA001"} <= {r[3] for r in data_rows(city, outlets)}
    assert header_paths(city, m.file("emissions", 2022))[2] == ["废水污染物（吨）", "化学需氧量"]


def test_split_by_largest_remainder() -> None:
    totals = np.array([0, 1, 7, 100, 12345])
    weights = np.array([[1, 1, 1], [1, 2, 0], [0.2, 0.3, 0.5], [1, 1, 1], [3, 0, 1]])
    parts = largest_remainder(totals, weights)
    assert (parts.sum(axis=1) == totals).all() and (parts[:, 2][[1]] == 0).all()


@given(
    st.lists(st.integers(0, 10**9), min_size=1, max_size=20),
    st.integers(1, 12),
    st.randoms(use_true_random=False),
)
def test_parts_add_up_and_stay_within_one_of_their_share(totals, k, rnd) -> None:
    w = np.array([[rnd.random() + 0.01 for _ in range(k)] for _ in totals])
    t = np.array(totals)
    parts = largest_remainder(t, w)
    assert (parts.sum(axis=1) == t).all() and (parts >= 0).all()
    exact = t[:, None] * w / w.sum(axis=1, keepdims=True)
    assert (np.abs(parts - exact) < 1 + 1e-6).all()


def test_manifest_counts_and_trade_truth() -> None:
    city = small_city()
    m = manifest(city)
    assert set(m.counts) == {str(y) for y in m.years}
    assert all(len(c) == 9 for c in m.counts.values())
    tx = pl.read_parquet(city / "truth/trade.parquet")
    assert tx.columns == [
        "year",
        "buyer_uscc",
        "seller_uscc",
        "seller_name",
        "product_code",
        "amount",
    ]
    assert (tx["amount"] > 0).all()
    assert len([f for f in m.files if f.source == "trade"]) == len(m.years)


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
    assert frame.columns == [c.header for c in statistics_columns(2020, csv=True)]
