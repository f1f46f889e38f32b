"""The 统计局 file 工业企业主要指标: merged title and group headers, units that move between the
group header (2019–2020, 千元) and the field headers (2021+, 万元), a year column in some years."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.synth.table import Cell, Column, Kind, Row, Table, write_xlsx

TEXT_NUMBERS = 0.02  # share of number cells written as text with separators ("1,234.5")
YEAR_HEADERS = {
    2019: "统计年度",
    2020: None,
    2021: "年份",
    2022: None,
    2023: "统计年度",
    2024: "年份",
}
_MONEY = (
    "revenue",
    "output",
    "value_added",
    "profit",
    "export_value",
    "new_product_output",
    "rd_expense",
)
_OLD = {
    "revenue": "主营业务收入",
    "output": "工业总产值(当年价格)",
    "value_added": "工业增加值",
    "profit": "利润总额",
    "export_value": "出口交货值",
    "new_product_output": "新产品产值",
    "rd_expense": "研究与试验发展经费支出",
}
_NEW = {
    "revenue": "营业收入",
    "output": "工业总产值",
    "value_added": "工业增加值",
    "profit": "利润总额",
    "export_value": "出口交货值",
    "new_product_output": "新产品产值",
    "rd_expense": "研发费用",
}


def year_header(year: int) -> str | None:
    return YEAR_HEADERS.get(year, "年份" if year % 2 else None)


def old_layout(year: int) -> bool:
    return year <= 2020


def columns(year: int, csv: bool = False) -> tuple[list[Column], list[tuple[str, int, int]]]:
    """Columns and merged group headers of the statistics file of a year."""
    spec = load_spec("statistics")
    old = old_layout(year) and not csv

    def col(header: str, name: str, kind: Kind, factor: float = 1.0, digits: int = 2) -> Column:
        width = 32.0 if name == "name" else 20.0 if name == "uscc" else 14.0
        return Column(header, name, kind, factor, digits, spec.field(name).required, width)

    ids = [col("统一社会信用代码", "uscc", "uscc"), col("单位详细名称", "name", "text")]
    if (yh := year_header(year)) is not None:
        ids.append(col(yh, "year", "year"))
    ids += [
        col("区划代码" if old else "行政区划代码", "region_code", "region"),
        col("行业代码", "industry_code", "industry"),
        col("是否规上", "above_scale", "flag"),
    ]
    if old:
        money = [col(_OLD[n], n, "number", 0.1, 1) for n in _MONEY]
        other = [
            col("从业人员平均人数", "employees", "number", 1, 0),
            col("综合能源消费量", "energy_tce", "number", 1, 2),
        ]
        labels = ("经济指标（千元）", "从业人员（人）", "能源消费（吨标准煤）")
    else:
        money = [col(f"{_NEW[n]}（万元）", n, "number", 1, 2) for n in _MONEY]
        other = [
            col("年平均职工人数（人）", "employees", "number", 1, 0),
            col("综合能耗（吨标准煤）", "energy_tce", "number", 1, 2),
        ]
        labels = ("经济指标（万元）", "其他指标", "")
    cols = ids + money + other
    a, b = len(ids), len(ids) + len(money)
    groups = [("基本情况", 0, a - 1), (labels[0], a, b - 1)]
    groups += [(labels[1], b, b), (labels[2], b + 1, b + 1)] if old else [(labels[1], b, b + 1)]
    return cols, groups


def statistics_frame(
    enterprises: pl.DataFrame, enterprise_years: pl.DataFrame, year: int
) -> pl.DataFrame:
    """The rows of a year's file: enterprise figures with name, region and industry, sorted the
    way the bureau sorts them (区划, 行业, code)."""
    return (
        enterprise_years.filter(pl.col("year") == year)
        .join(
            enterprises.select("uscc", "name", "region_code", "industry_code"),
            on="uscc",
            how="left",
        )
        .sort("region_code", "industry_code", "uscc")
    )


def _values(frame: pl.DataFrame, c: Column, old: bool) -> list[Cell]:
    s = frame[c.field]
    if c.kind == "number":
        arr = np.round(s.cast(pl.Float64).to_numpy() / c.factor, c.digits)
        return [None if np.isnan(v) else int(v) if c.digits == 0 else float(v) for v in arr]
    if c.kind == "flag":
        return ["是" if v else "否" for v in s.to_list()]
    if c.kind == "region" and old:
        return [int(v) for v in s.to_list()]
    return list(s.to_list())


def statistics_table(
    frame: pl.DataFrame, year: int, rng: np.random.Generator, path: str | None = None
) -> Table:
    cols, groups = columns(year)
    old = old_layout(year)
    data = [_values(frame, c, old) for c in cols]
    text = rng.random((frame.height, len(cols))) < TEXT_NUMBERS
    for j, c in enumerate(cols):
        if c.kind != "number":
            continue
        values = data[j]
        for i in np.nonzero(text[:, j])[0]:
            v = values[i]
            if v is not None:
                values[i] = f"{v:,.{c.digits}f}"
    usccs = frame["uscc"].to_list()
    rows = [Row(list(cells), u) for cells, u in zip(zip(*data, strict=True), usccs, strict=True)]
    return Table(
        path=path or f"statistics/工业企业主要指标_{year}.xlsx",
        source="statistics",
        year=year,
        format="xlsx",
        columns=cols,
        rows=rows,
        sheet=f"{year}年",
        title=f"台州市{year}年工业企业主要经济指标",
        groups=groups,
    )


def write_statistics_file(
    enterprises: pl.DataFrame, enterprise_years: pl.DataFrame, path: Path, year: int, seed: int = 0
) -> int:
    """Write one statistics file (xlsx, or csv with units in the headers) from a generated
    population, e.g. for benchmarks: generate_population(seed, scale=50, years=[2020]) has
    about a million enterprise rows. Returns the number of data rows written."""
    frame = statistics_frame(enterprises, enterprise_years, year)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".csv":
        cols, _ = columns(year, csv=True)
        out = frame.select(
            [
                (
                    pl.col(c.field).replace_strict(
                        {True: "是", False: "否"}, return_dtype=pl.String
                    )
                    if c.kind == "flag"
                    else pl.col(c.field)
                ).alias(c.header)
                for c in cols
            ]
        )
        out.write_csv(path, include_bom=True)
        return out.height
    table = statistics_table(frame, year, np.random.default_rng(seed), path.name)
    write_xlsx(table, path)
    return len(table.rows)
