"""The register, tax, land, electricity and emissions files, each in its department's shape."""

from __future__ import annotations

import zlib

import numpy as np
import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.reference.regions import short_name
from industry_brain.synth.geography import county_name
from industry_brain.synth.table import Cell, Column, Kind, Row, Table

MISSING = "—"


def _col(
    source: str, header: str, name: str, kind: Kind, factor: float = 1.0, digits: int = 2
) -> Column:
    required = load_spec(source).field(name).required
    width = 32.0 if name in ("name", "address") else 22.0 if name in ("uscc", "parcel_id") else 14.0
    return Column(header, name, kind, factor, digits, required, width)


def _numbers(values: pl.Series, c: Column, text: bool, sep: bool = False) -> list[Cell]:
    arr = np.round(values.cast(pl.Float64).to_numpy() / c.factor, c.digits)
    out: list[Cell] = []
    for v in arr.tolist():
        if v != v:  # NaN
            out.append(None)
        elif text:
            out.append(f"{v:,.{c.digits}f}" if sep else f"{v:.{c.digits}f}")
        else:
            out.append(int(v) if c.digits == 0 else v)
    return out


def _rows(frame: pl.DataFrame, data: list[list[Cell]]) -> list[Row]:
    usccs = frame["uscc"].to_list()
    return [Row(list(cells), u) for cells, u in zip(zip(*data, strict=True), usccs, strict=True)]


def register_table(
    enterprises: pl.DataFrame, parks: pl.DataFrame, rng: np.random.Generator
) -> Table:
    """市场主体登记信息: county names (some short, some codes), dates mostly as Excel dates."""
    e = enterprises.sort("registered_on", "uscc")
    n = e.height
    park_names = dict(zip(parks["code"].to_list(), parks["name"].to_list(), strict=True))
    pick = rng.random(n)
    region = [
        county_name(c) if u < 0.88 else short_name(county_name(c)) if u < 0.94 else c
        for c, u in zip(e["region_code"].to_list(), pick, strict=True)
    ]
    style = rng.random(n)
    dates: list[Cell] = [
        d if u < 0.95 else f"{d.year}年{d.month}月{d.day}日" if u < 0.98 else d.isoformat()
        for d, u in zip(e["registered_on"].to_list(), style, strict=True)
    ]
    cols = [
        _col("register", "统一社会信用代码", "uscc", "uscc"),
        _col("register", "企业名称", "name", "text"),
        _col("register", "所属区县", "region_code", "region"),
        _col("register", "行业代码", "industry_code", "industry"),
        _col("register", "成立日期", "registered_on", "date"),
        _col("register", "住所", "address", "text"),
        _col("register", "所属园区", "park_code", "text"),
    ]
    parks_col = [park_names.get(p) if p else None for p in e["park_code"].to_list()]
    data = [
        e["uscc"].to_list(),
        e["name"].to_list(),
        region,
        e["industry_code"].to_list(),
        dates,
        e["address"].to_list(),
        parks_col,
    ]
    return Table(
        "register/市场主体登记信息.xlsx",
        "register",
        None,
        "xlsx",
        cols,
        _rows(e, data),
        sheet="登记信息",
    )


def tax_table(ey: pl.DataFrame, names: pl.DataFrame, year: int, rng: np.random.Generator) -> Table:
    """税收实际贡献: GBK csv, 元 with separators; a firm without a figure is left out or shows —."""
    f = ey.filter(pl.col("year") == year).join(names, on="uscc").sort("uscc")
    dash = f["tax_paid"].is_null().to_numpy() & (rng.random(f.height) < 0.5)
    f = f.filter(f["tax_paid"].is_not_null() | pl.Series(dash))
    cols = [
        _col("tax", "纳税人识别号", "uscc", "uscc"),
        _col("tax", "纳税人名称", "name", "text"),
        _col("tax", "所属年度", "year", "year"),
        _col("tax", "实缴税金（元）", "tax_paid", "number", 1e-4, 2),
    ]
    amounts = [MISSING if v is None else v for v in _numbers(f["tax_paid"], cols[3], True, True)]
    data = [f["uscc"].to_list(), f["name"].to_list(), [str(year)] * f.height, amounts]
    table = Table(
        f"tax/税收实际贡献_{year}.csv", "tax", year, "csv", cols, _rows(f, data), encoding="gbk"
    )
    table.inherent = [(r, 3) for r in table.rows if r.cells[3] == MISSING]
    return table


def _tenure_label(parcel_id: str, tenure: str) -> str:
    if tenure == "owned":
        return "出让" if zlib.crc32(parcel_id.encode()) % 10 < 3 else "自有"
    return {"leased": "租赁", "let": "出租"}[tenure]


def land_table(parcels: pl.DataFrame, names: pl.DataFrame, year: int) -> Table:
    """工业用地宗地: one row per parcel; 平方米 in odd years, 亩 in even years."""
    f = parcels.filter(pl.col("year") == year).join(names, on="uscc").sort("parcel_id", "uscc")
    area = (
        _col("land", "用地面积(平方米)", "area_mu", "number", 0.0015, 2)
        if year % 2
        else _col("land", "用地面积（亩）", "area_mu", "number", 1.0, 2)
    )
    cols = [
        _col("land", "统一社会信用代码", "uscc", "uscc"),
        _col("land", "使用权人", "name", "text"),
        _col("land", "年度", "year", "year"),
        _col("land", "宗地编号", "parcel_id", "text"),
        area,
        _col("land", "权属", "tenure", "choice"),
    ]
    labels = [
        _tenure_label(p, t)
        for p, t in zip(f["parcel_id"].to_list(), f["tenure"].to_list(), strict=True)
    ]
    data = [
        f["uscc"].to_list(),
        f["name"].to_list(),
        [year] * f.height,
        f["parcel_id"].to_list(),
        _numbers(f["area_mu"], area, False),
        labels,
    ]
    return Table(
        f"land/工业用地宗地_{year}.xlsx", "land", year, "xlsx", cols, _rows(f, data), sheet="宗地"
    )


def electricity_table(
    ey: pl.DataFrame, names: pl.DataFrame, year: int, rng: np.random.Generator
) -> Table:
    """用电量: UTF-8 with BOM; 万千瓦时 in odd years, 千瓦时 in even years; the utility's order."""
    f = ey.filter((pl.col("year") == year) & pl.col("electricity_kwh").is_not_null()).join(
        names, on="uscc"
    )
    f = f.sort("uscc").with_columns(pl.Series("k", rng.permutation(f.height))).sort("k")
    kwh = (
        _col("electricity", "用电量（万千瓦时）", "electricity_kwh", "number", 1e4, 4)
        if year % 2
        else _col("electricity", "用电量（千瓦时）", "electricity_kwh", "number", 1.0, 0)
    )
    cols = [
        _col("electricity", "统一社会信用代码", "uscc", "uscc"),
        _col("electricity", "用户名称", "name", "text"),
        _col("electricity", "年度", "year", "year"),
        kwh,
    ]
    data = [
        f["uscc"].to_list(),
        f["name"].to_list(),
        [str(year)] * f.height,
        _numbers(f["electricity_kwh"], kwh, True),
    ]
    path = f"electricity/用电量_{year}.csv"
    return Table(path, "electricity", year, "csv", cols, _rows(f, data), encoding="utf-8-sig")


def emissions_table(ey: pl.DataFrame, names: pl.DataFrame, year: int) -> Table:
    """排放当量: a merged title row above the headers; only firms with an emission record."""
    f = ey.filter((pl.col("year") == year) & pl.col("emissions_eq").is_not_null()).join(
        names, on="uscc"
    )
    f = f.sort("uscc")
    eq = _col("emissions", "排放当量（吨）", "emissions_eq", "number", 1.0, 4)
    cols = [
        _col("emissions", "排污单位统一社会信用代码", "uscc", "uscc"),
        _col("emissions", "排污单位名称", "name", "text"),
        _col("emissions", "年度", "year", "year"),
        eq,
    ]
    data = [
        f["uscc"].to_list(),
        f["name"].to_list(),
        [year] * f.height,
        _numbers(f["emissions_eq"], eq, False),
    ]
    return Table(
        f"emissions/排放当量_{year}.xlsx",
        "emissions",
        year,
        "xlsx",
        cols,
        _rows(f, data),
        sheet="排放当量",
        title=f"台州市{year}年排污单位主要污染物排放当量",
    )
