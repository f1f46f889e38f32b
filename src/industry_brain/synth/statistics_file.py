"""The 统计局 file 工业企业主要指标, delivered in a different shape every year (SHAPES): a title and
units lines above a header of two or three rows with merged parents, a 序号 column, a 合计 row
and 填表人/注 lines below; 千元 and the old names until 2020; a legacy .xls, one file per county,
a row of column codes, two tables sent apart (产值 and 财务, both with 营业收入), 营业收入 split
into 本年 and 上年同期 (which must not be read), units in a row under the header, or in the
header cells."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.synth.geography import county_name
from industry_brain.synth.table import (
    Cell,
    Column,
    Format,
    Kind,
    Line,
    Row,
    Table,
    named,
    write_xlsx,
)

TEXT_NUMBERS = 0.02  # share of number cells written as text with separators ("1,234.5")
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
# A year sent as two tables: the production table (产值, people, energy, 是否规上) and the finance
# table (财务); both give 营业收入, and each its own title.
Part = Literal["产值", "财务"]
PARTS: tuple[Part, ...] = ("产值", "财务")
_PART_MONEY: dict[Part, tuple[str, ...]] = {
    "产值": ("revenue", "output", "value_added"),
    "财务": ("revenue", "profit", "rd_expense", "new_product_output", "export_value"),
}
_PART_TITLE: dict[Part, str] = {"产值": "工业企业生产情况", "财务": "工业企业财务状况"}
_STEMS = "甲乙丙丁戊己庚辛壬癸"
FILLERS = ("王丽", "陈建华", "林晓燕", "张伟", "李敏", "周海波")


@dataclass(frozen=True)
class Shape:
    """How the bureau delivered a year's file."""

    format: Format = "xlsx"
    old: bool = False  # money in 千元 under the old names (主营业务收入 …)
    unit_at: Literal["line", "parent", "row", "cell"] = "cell"  # where the units are written
    year_header: str | None = None  # the year column, if any
    employees: str = "年平均职工人数"
    energy: str = "综合能耗"
    codes: bool = False  # a row of column codes (甲 乙 … 1 2 …) under the header
    previous: bool = False  # 营业收入 › 本年 / 上年同期
    flag: bool = True  # a 是否规上 column
    by_county: bool = False  # one file per county, each with its 小计
    total_in: Literal["serial", "name"] = "serial"  # where the 合计 row says 合计
    split: bool = False  # sent as two tables, 产值 and 财务 (PARTS), each its own file


SHAPES: dict[int, Shape] = {
    2019: Shape("xls", True, "line", "统计年度", "从业人员平均人数", "综合能源消费量"),
    2020: Shape("xlsx", True, "parent", None, "从业人员平均人数", "综合能源消费量", by_county=True),
    2021: Shape("xlsx", False, "line", "年份", "平均用工人数", "综合能耗", codes=True, split=True),
    2022: Shape("xlsx", False, "parent", None, "年平均职工人数", "综合能耗", previous=True),
    2023: Shape(
        "xlsx",
        False,
        "row",
        "统计年度",
        "从业人员平均人数",
        "综合能源消费量",
        flag=False,
        total_in="name",
    ),
    2024: Shape("xlsx", False, "cell", "年份", "年平均职工人数", "综合能耗"),
}


def shape(year: int) -> Shape:
    """The shape of a year's file; years after 2024 repeat the cycle."""
    return SHAPES.get(year) or SHAPES[2019 + (year - 2019) % len(SHAPES)]


def _col(
    path: tuple[str, ...],
    name: str | None,
    kind: Kind,
    factor: float = 1.0,
    digits: int = 2,
    composed: bool = False,
) -> Column:
    required = name is not None and load_spec("statistics").field(name).required
    width = 32.0 if name == "name" else 20.0 if name == "uscc" else 8.0 if name is None else 14.0
    return Column(named(path, composed), name, kind, factor, digits, required, width, path)


def columns(year: int, csv: bool = False, part: Part | None = None) -> list[Column]:
    """The columns of the statistics file of a year, with their header cells; with `part`, of
    one of the two tables a split year is sent as."""
    if csv:  # a flat table with the units in the headers (write_statistics_file)
        flat = [
            _col(("统一社会信用代码",), "uscc", "uscc"),
            _col(("单位详细名称",), "name", "text"),
        ]
        flat += [_col(("年份",), "year", "year")] if shape(year).year_header else []
        flat += [
            _col(("行政区划代码",), "region_code", "region"),
            _col(("行业代码",), "industry_code", "industry"),
            _col(("是否规上",), "above_scale", "flag"),
        ]
        flat += [_col((f"{_NEW[n]}（万元）",), n, "number") for n in _MONEY]
        flat += [
            _col(("年平均职工人数（人）",), "employees", "number", 1, 0),
            _col(("综合能耗（吨标准煤）",), "energy_tce", "number"),
        ]
        return flat
    s = shape(year)
    ids = [
        _col(("序号",), None, "serial"),
        _col(("统一社会信用代码",), "uscc", "uscc"),
        _col(("单位详细名称",), "name", "text"),
    ]
    if s.year_header is not None:
        ids.append(_col((s.year_header,), "year", "year"))
    ids += [
        _col(("区划代码" if s.old else "行政区划代码",), "region_code", "region"),
        _col(("行业代码",), "industry_code", "industry"),
    ]
    if s.flag and part != "财务":
        ids.append(_col(("是否规上",), "above_scale", "flag"))
    names = _OLD if s.old else _NEW
    factor, digits = (0.1, 1) if s.old else (1.0, 2)
    unit = "千元" if s.old else "万元"
    figures = _MONEY if part is None else _PART_MONEY[part]
    kind = "财务指标" if part == "财务" else "经济指标"
    money: list[Column] = []
    if s.unit_at == "parent" and s.previous:
        top = f"主要{kind}（{unit}）"
        for n in figures:
            if n == "revenue":
                money.append(_col((top, names[n], "本年"), n, "number", factor, digits, True))
                money.append(_col((top, names[n], "上年同期"), None, "number", factor, digits))
            else:
                money.append(_col((top, names[n]), n, "number", factor, digits))
        other = [
            _col(("其他指标", f"{s.employees}（人）"), "employees", "number", 1, 0),
            _col(("其他指标", f"{s.energy}（吨标准煤）"), "energy_tce", "number"),
        ]
    elif s.unit_at == "parent":
        parent = f"{kind}（{unit}）"
        money = [_col((parent, names[n]), n, "number", factor, digits) for n in figures]
        other = [
            _col(("从业人员（人）", s.employees), "employees", "number", 1, 0),
            _col(("能源消费（吨标准煤）", s.energy), "energy_tce", "number"),
        ]
    else:
        cell = s.unit_at == "cell"
        money = [
            _col(
                (kind, f"{names[n]}（{unit}）" if cell else names[n]),
                n,
                "number",
                factor,
                digits,
            )
            for n in figures
        ]
        other = [
            _col(
                ("其他指标", f"{s.employees}（人）" if cell else s.employees),
                "employees",
                "number",
                1,
                0,
            ),
            _col(
                ("其他指标", f"{s.energy}（吨标准煤）" if cell else s.energy),
                "energy_tce",
                "number",
            ),
        ]
    return ids + money + ([] if part == "财务" else other)


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


def _values(frame: pl.DataFrame, c: Column, s: Shape, previous: np.ndarray) -> list[Cell]:
    if c.kind == "serial":
        return list(range(1, frame.height + 1))
    if c.field is None:  # 上年同期: last year's revenue, or what it plausibly was
        return np.round(previous / c.factor, c.digits).tolist()
    s_ = frame[c.field]
    if c.kind == "number":
        arr = np.round(s_.cast(pl.Float64).fill_null(np.nan).to_numpy() / c.factor, c.digits)
        missing = np.isnan(arr)
        out: list[Cell] = (
            np.where(missing, 0, arr).astype(np.int64).tolist() if c.digits == 0 else arr.tolist()
        )
        for i in np.nonzero(missing)[0].tolist():
            out[i] = None
        return out
    if c.kind == "flag":
        return ["是" if v else "否" for v in s_.to_list()]
    if c.kind == "region" and s.old:
        return [int(v) for v in s_.to_list()]
    return list(s_.to_list())


def _units_row(cols: list[Column]) -> list[Cell]:
    units = {"employees": "人", "energy_tce": "吨标准煤"}
    return [units.get(c.field or "", "万元") if c.kind == "number" else None for c in cols]


def _codes_row(cols: list[Column]) -> list[Cell]:
    n = sum(c.kind != "number" for c in cols)
    stems = iter(_STEMS[:n])
    numbers = iter(range(1, len(cols) + 1))
    return [next(stems) if c.kind != "number" else str(next(numbers)) for c in cols]


def _above(s: Shape, year: int, county: str | None, part: Part | None = None) -> list[Line]:
    where = f"台州市{county_name(county)}" if county else "台州市"
    title = "工业企业主要经济指标" if part is None else _PART_TITLE[part]
    lines: list[Line] = [f"{where}{year}年{title}"]
    if s.unit_at == "line":
        money = "万元" if part == "财务" else "万元、人、吨标准煤"
        unit = "金额单位：千元" if s.old else f"单位：{money}"
        lines.append(("填报单位：台州市统计局", unit) if s.old else unit)
    elif s.unit_at in ("parent", "row"):
        lines.append(f"填报单位：{county_name(county) if county else '台州市'}统计局")
    return lines


def _below(cols: list[Column], rows: list[Row], s: Shape, year: int, word: str) -> list[list[Cell]]:
    total: list[Cell] = [None] * len(cols)
    at = next(
        j for j, c in enumerate(cols) if c.kind == ("serial" if s.total_in == "serial" else "text")
    )
    total[at] = word
    for j, c in enumerate(cols):
        if c.kind != "number":
            continue
        values = [v for r in rows if isinstance(v := r.cells[j], int | float)]
        total[j] = int(sum(values)) if c.digits == 0 else round(float(sum(values)), c.digits)
    filler = FILLERS[year % len(FILLERS)]
    checker = FILLERS[(year + 3) % len(FILLERS)]
    note = "注：本表由联网直报平台导出，规模以上工业指年主营业务收入2000万元及以上的工业法人单位。"
    sign: list[Cell] = [f"填表人：{filler}　审核人：{checker}　报出日期：{year + 1}年3月15日"]
    blank: list[Cell] = [None] * len(cols)
    return [total, blank, sign + [None] * (len(cols) - 1), [note] + [None] * (len(cols) - 1)]


def _table(
    frame: pl.DataFrame,
    year: int,
    s: Shape,
    cols: list[Column],
    text: np.ndarray,
    previous: np.ndarray,
    path: str,
    county: str | None = None,
    part: Part | None = None,
) -> Table:
    data = [_values(frame, c, s, previous) for c in cols]
    for j, c in enumerate(cols):
        if c.kind != "number" or c.field is None:
            continue
        values = data[j]
        for i in np.nonzero(text[:, j])[0]:
            v = values[i]
            if v is not None:
                values[i] = f"{v:,.{c.digits}f}"
    usccs = frame["uscc"].to_list()
    rows = [Row(list(cells), u) for cells, u in zip(zip(*data, strict=True), usccs, strict=True)]
    under = _codes_row(cols) if s.codes else _units_row(cols) if s.unit_at == "row" else None
    return Table(
        path=path,
        source="statistics",
        year=year,
        format=s.format,
        columns=cols,
        rows=rows,
        sheet=f"{year}年",
        above=_above(s, year, county, part),
        under=under,
        below=_below(cols, rows, s, year, "小计" if county else "合计"),
        county=county,
    )


def _draws(
    frame: pl.DataFrame, cols: list[Column], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    text = rng.random((frame.height, len(cols))) < TEXT_NUMBERS
    growth = np.exp(rng.normal(0.05, 0.12, frame.height))
    previous = frame["revenue"].cast(pl.Float64).to_numpy() / growth
    return text, previous


def statistics_table(
    frame: pl.DataFrame,
    year: int,
    rng: np.random.Generator,
    path: str | None = None,
    format: Format | None = None,
) -> Table:
    """The year's file as one table (also in a year the bureau sends one file per county, or
    its 产值 and 财务 tables apart)."""
    s = shape(year)
    if format is not None:
        s = dataclasses.replace(s, format=format)
    cols = columns(year)
    text, previous = _draws(frame, cols, rng)
    return _table(frame, year, s, cols, text, previous, path or default_path(year, s))


def default_path(year: int, s: Shape) -> str:
    return f"statistics/工业企业主要指标_{year}.{s.format}"


def part_path(year: int, s: Shape, part: Part) -> str:
    return f"statistics/工业企业主要指标_{year}_{part}.{s.format}"


def statistics_tables(frame: pl.DataFrame, year: int, rng: np.random.Generator) -> list[Table]:
    """The year's files: one, one per county (only counties with enterprises), or the 产值 and
    the 财务 table of the same enterprises."""
    s = shape(year)
    if s.split:
        tables = []
        for table in PARTS:
            cols = columns(year, part=table)
            text, previous = _draws(frame, cols, rng)
            path = part_path(year, s, table)
            tables.append(_table(frame, year, s, cols, text, previous, path, part=table))
        return tables
    if not s.by_county:
        return [statistics_table(frame, year, rng)]
    cols = columns(year)
    text, previous = _draws(frame, cols, rng)
    codes = frame["region_code"].to_numpy()
    out = []
    for county in sorted(set(codes.tolist())):
        at = np.nonzero(codes == county)[0]
        path = f"statistics/{year}/{county_name(county)}_工业企业主要指标.{s.format}"
        part = frame[at]
        out.append(_table(part, year, s, cols, text[at], previous[at], path, county))
    return out


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
        cols = columns(year, csv=True)
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
                if c.field is not None
            ]
        )
        out.write_csv(path, include_bom=True)
        return out.height
    table = statistics_table(frame, year, np.random.default_rng(seed), path.name, "xlsx")
    write_xlsx(table, path)
    return len(table.rows)
