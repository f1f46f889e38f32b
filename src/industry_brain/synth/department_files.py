"""The register, tax, land, electricity and emissions files, each in its department's shapes,
which change from year to year (the *_SHAPES tables; docs/synth.md lists them)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from industry_brain.ingest.spec import load_spec
from industry_brain.reference.regions import county_of, short_name
from industry_brain.synth import pollutants as pol
from industry_brain.synth.geography import county_name
from industry_brain.synth.split import largest_remainder, month_weights, whole
from industry_brain.synth.table import Cell, Column, Format, Kind, Line, Row, Table, named

MISSING = "—"
NOT_EMITTED = "/"  # a pollutant a firm (or an outlet) does not emit
_CN_MONTHS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


def _cycle(year: int, shapes: dict) -> int:
    """The year whose shape a year uses: years after 2024 repeat the cycle."""
    return year if year in shapes else 2019 + (year - 2019) % len(shapes)


def _col(
    source: str,
    path: tuple[str, ...] | str,
    name: str | None,
    kind: Kind,
    factor: float = 1.0,
    digits: int = 2,
    composed: bool = False,
    part: int | str | None = None,
) -> Column:
    cells = (path,) if isinstance(path, str) else path
    required = name is not None and load_spec(source).field(name).required and part is None
    width = (
        32.0
        if name in ("name", "address", "lessor")
        else 22.0
        if name in ("uscc", "parcel_id")
        else 8.0
        if name is None
        else 14.0
    )
    return Column(named(cells, composed), name, kind, factor, digits, required, width, cells, part)


def written(values: np.ndarray, c: Column, text: bool, sep: bool = False) -> list[Cell]:
    """Canonical values as a column writes them: in its unit, rounded to its decimals, as
    numbers (xlsx, xls) or text (csv, with thousands separators if `sep`); None for NaN."""
    arr = np.round(np.asarray(values, dtype=float) / c.factor, c.digits)
    missing = np.isnan(arr)
    if text:
        form = f"{{:{',' if sep else ''}.{c.digits}f}}"
        out: list[Cell] = [form.format(v) for v in arr.tolist()]
    elif c.digits == 0:
        out = np.where(missing, 0, arr).astype(np.int64).tolist()
    else:
        out = arr.tolist()
    if missing.any():
        for i in np.nonzero(missing)[0].tolist():
            out[i] = None
    return out


def _numbers(values: pl.Series, c: Column, text: bool, sep: bool = False) -> list[Cell]:
    return written(values.cast(pl.Float64).fill_null(np.nan).to_numpy(), c, text, sep)


def _rows(usccs: list[str], data: list[list[Cell]]) -> list[Row]:
    return [Row(list(cells), u) for cells, u in zip(zip(*data, strict=True), usccs, strict=True)]


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def _id_kind(name: str) -> Kind:
    return "uscc" if name == "uscc" else "year" if name == "year" else "text"


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
        _rows(e["uscc"].to_list(), data),
        sheet="登记信息",
    )


# ---- tax ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TaxShape:
    amount: str  # the amount's header (元, in the header or in a 金额单位 line)
    uscc: str = "纳税人识别号"
    year: str | None = "所属年度"
    year_text: str = "{}"  # how the year is written ('2023年度')
    title: bool = False  # a title line and a 金额单位：元 line above the header, 合计 below
    by_type: bool = False  # one row per 税种 (增值税, 企业所得税, 其他)
    subtotal: bool = False  # a 小计 line after each taxpayer's 税种 rows, code and name filled in
    suffix: str = ""  # a unit written in every amount cell ('12,345.67元')


TAX_SHAPES: dict[int, TaxShape] = {
    2019: TaxShape("实缴税金（元）"),
    2020: TaxShape("实缴税款合计", title=True),
    2021: TaxShape("实缴税款（元）", by_type=True, subtotal=True),
    2022: TaxShape("实缴税款合计（元）", uscc="社会信用代码"),
    2023: TaxShape("实缴税款合计（元）", year="税款所属期", year_text="{}年度", title=True),
    2024: TaxShape("税收实际贡献（元）", year=None, suffix="元"),
}
TAX_TYPES = ("增值税", "企业所得税", "其他")
SUBTOTAL = "小计"


def _tax_parts(f: pl.DataFrame, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Each firm's tax in fen split by type (增值税, 企业所得税 when it made a profit, 其他)."""
    n = f.height
    fen = whole(f["tax_paid"].cast(pl.Float64).fill_null(0.0).to_numpy(), 1e-6)
    profit = f["profit"].cast(pl.Float64).fill_null(0.0).to_numpy()
    weights = np.column_stack(
        [
            rng.uniform(0.45, 0.65, n),
            np.where(profit > 0, rng.uniform(0.15, 0.35, n), 0.0),
            rng.uniform(0.05, 0.2, n),
        ]
    )
    return largest_remainder(fen, weights), fen


def tax_table(ey: pl.DataFrame, names: pl.DataFrame, year: int, rng: np.random.Generator) -> Table:
    """税收实际贡献: GBK csv in 元 with separators; a firm without a figure is left out or shows
    —; some years a title and a 金额单位 line, one year a row per 税种 and a 小计 line (税种 小计,
    the sum of the taxpayer's rows) after each taxpayer that has a figure."""
    s = TAX_SHAPES[_cycle(year, TAX_SHAPES)]
    f = ey.filter(pl.col("year") == year).join(names, on="uscc").sort("uscc")
    dash = f["tax_paid"].is_null().to_numpy() & (rng.random(f.height) < 0.5)
    f = f.filter(f["tax_paid"].is_not_null() | pl.Series(dash))
    cols = [_col("tax", "序号", None, "serial")] if s.title else []
    cols += [_col("tax", s.uscc, "uscc", "uscc"), _col("tax", "纳税人名称", "name", "text")]
    if s.year is not None:
        cols.append(_col("tax", s.year, "year", "year"))
    if s.by_type:
        cols.append(_col("tax", "税种", "tax_type", "text"))
    amount = _col("tax", s.amount, "tax_paid", "number", 1e-4, 2)
    cols.append(amount)
    usccs, names_, missing = f["uscc"].to_list(), f["name"].to_list(), f["tax_paid"].is_null()
    rows: list[Row] = []
    totals: list[Row] = []
    year_text = s.year_text.format(year)

    def row(i: int, kind: str | None, value: Cell) -> None:
        cells: list[Cell] = [len(rows) + 1] if s.title else []
        cells += [usccs[i], names_[i]]
        cells += [year_text] if s.year is not None else []
        cells += [kind] if s.by_type else []
        rows.append(Row([*cells, value], usccs[i]))

    if s.by_type:
        parts, _ = _tax_parts(f, rng)
        for i in range(f.height):
            if missing[i]:
                row(i, TAX_TYPES[0], MISSING)
                continue
            given = [k for k in range(len(TAX_TYPES)) if parts[i, k] > 0] or [0]
            for k in given:
                row(i, TAX_TYPES[k], f"{parts[i, k] / 100:,.2f}")
            if s.subtotal:
                row(i, SUBTOTAL, f"{int(parts[i].sum()) / 100:,.2f}")
                totals.append(rows[-1])
    else:
        for i, v in enumerate(_numbers(f["tax_paid"], amount, True, True)):
            row(i, None, MISSING if v is None else f"{v}{s.suffix}")
    above: list[Line] = []
    below: list[list[Cell]] = []
    if s.title:
        above = [f"台州市{year}年度企业税收实际贡献", "金额单位：元"]
        total = float(f["tax_paid"].cast(pl.Float64).fill_null(0).sum()) * 1e4
        below = [["合计", *[None] * (len(cols) - 2), f"{total:,.2f}"]]
    table = Table(
        f"tax/税收实际贡献_{year}.csv",
        "tax",
        year,
        "csv",
        cols,
        rows,
        above=above,
        below=below,
        encoding="gbk",
        separators=True,
        totals=totals,
    )
    j = len(cols) - 1
    table.inherent = [(r, j) for r in table.rows if r.cells[j] == MISSING]
    return table


# ---- land --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LandShape:
    area: tuple[str, ...]  # the area's header cells
    square_metres: bool
    tenure: str  # the tenure's header
    owned: tuple[str, ...]  # words for owned land, by share (see _owned)
    leased: str  # 租赁 or 承租
    lessor: Literal["let", "implicit", "name", "uscc"]  # how a letting is written
    title: bool = False
    uscc: tuple[str, ...] = ("统一社会信用代码",)
    name: tuple[str, ...] = ("使用权人",)
    parcel: tuple[str, ...] = ("宗地编号",)
    year: str | None = "年度"


LAND_SHAPES: dict[int, LandShape] = {
    2019: LandShape(("用地面积(平方米)",), True, "权属", ("出让", "自有"), "租赁", "let"),
    2020: LandShape(("用地面积",), False, "权利性质", ("出让", "划拨"), "租赁", "let", True),
    2021: LandShape(
        ("宗地面积（平方米）",),
        True,
        "使用权类型",
        ("出让", "划拨", "作价出资"),
        "承租",
        "implicit",
    ),
    2022: LandShape(("用地面积（亩）",), False, "权利性质", ("出让", "作价出资"), "租赁", "name"),
    2023: LandShape(
        ("宗地信息", "宗地面积（平方米）"),
        True,
        "土地来源",
        ("出让", "划拨"),
        "租赁",
        "uscc",
        True,
        ("权利人信息", "统一社会信用代码"),
        ("权利人信息", "权利人名称"),
        ("宗地信息", "宗地编号"),
    ),
    2024: LandShape(
        ("用地面积（亩）",),
        False,
        "取得方式",
        ("出让", "划拨", "作价出资"),
        "承租",
        "implicit",
        year=None,
    ),
}
VILLAGES = ("前洋", "下洋", "东山", "西岙", "横街", "里蒋", "上郑", "新桥", "沙埠", "塘下")


def _owned(parcel_id: str, words: tuple[str, ...]) -> str:
    """A stable word for an owned parcel: mostly the first (出让), a few the others."""
    u = _crc(parcel_id) % 10
    if len(words) == 2:
        return words[0] if u < (3 if words[1] == "自有" else 8) else words[1]
    return words[0] if u < 7 else words[1] if u < 9 else words[2]


def _collective(parcel_id: str) -> str:
    county = short_name(county_name(county_of(parcel_id)))
    return f"{county}{VILLAGES[_crc(parcel_id) % len(VILLAGES)]}村股份经济合作社"


def land_frame(parcels: pl.DataFrame, names: pl.DataFrame, year: int, s: LandShape) -> pl.DataFrame:
    """The parcel rows a year's file lists, lettings written the year's way: an 出租 row; the
    tenant's lease on the owner's own 宗地编号 and no 出租 row; or an 出租方 column, where some
    owners also list their 出租 row and others leave it to the tenant's row."""
    f = parcels.filter(pl.col("year") == year).join(names, on="uscc")
    tenant = pl.col("lessor_uscc").is_not_null()
    let = pl.col("tenure") == "let"
    if s.lessor == "implicit":
        pairs = f.filter(tenant).select("uscc", "year", "parcel_id")
        lets = f.filter(let).join(pairs.drop("uscc"), on=["year", "parcel_id"])
        f = f.join(
            lets.select("uscc", "year", "parcel_id"), on=["uscc", "year", "parcel_id"], how="anti"
        )
        f = f.with_columns(
            pl.when(tenant)
            .then(pl.col("parent_id"))
            .otherwise(pl.col("parcel_id"))
            .alias("parcel_id")
        )
    elif s.lessor in ("name", "uscc"):
        pairs = f.filter(tenant).select("year", pl.col("parcel_id").alias("sub"))
        quiet = f.filter(let).join(pairs, left_on=["year", "parcel_id"], right_on=["year", "sub"])
        listed = [_crc(p) % 2 == 0 for p in quiet["parcel_id"].to_list()]
        quiet = quiet.filter(~pl.Series(listed, dtype=pl.Boolean))
        f = f.join(
            quiet.select("uscc", "year", "parcel_id"), on=["uscc", "year", "parcel_id"], how="anti"
        )
        f = f.join(
            names.rename({"uscc": "lessor_uscc", "name": "lessor_name"}),
            on="lessor_uscc",
            how="left",
        )
    return f.sort("parcel_id", "uscc", "tenure")


def land_table(parcels: pl.DataFrame, names: pl.DataFrame, year: int) -> Table:
    """工业用地宗地: one row per parcel and holder, in 平方米 or 亩, lettings written one of four
    ways (LAND_SHAPES)."""
    s = LAND_SHAPES[_cycle(year, LAND_SHAPES)]
    f = land_frame(parcels, names, year, s)
    area = _col("land", s.area, "area_mu", "number", 0.0015 if s.square_metres else 1.0, 2)
    cols = [_col("land", "序号", None, "serial")] if s.title else []
    cols += [_col("land", s.uscc, "uscc", "uscc"), _col("land", s.name, "name", "text")]
    if s.year is not None:
        cols.append(_col("land", s.year, "year", "year"))
    parcel_path = s.parcel
    cols.append(_col("land", parcel_path, "parcel_id", "text"))
    cols.append(area)
    tenure_path = (*s.area[:-1], s.tenure)
    cols.append(_col("land", tenure_path, "tenure", "choice"))
    labels: list[Cell] = [
        _owned(p, s.owned) if t == "owned" else s.leased if t == "leased" else "出租"
        for p, t in zip(f["parcel_id"].to_list(), f["tenure"].to_list(), strict=True)
    ]
    data: list[list[Cell]] = []
    if s.title:
        data.append(list(range(1, f.height + 1)))
    data += [f["uscc"].to_list(), f["name"].to_list()]
    if s.year is not None:
        data.append([year] * f.height)
    data += [f["parcel_id"].to_list(), _numbers(f["area_mu"], area, False), labels]
    if s.lessor in ("name", "uscc"):
        header = "出租方" if s.lessor == "name" else "出租方统一社会信用代码"
        cols.append(_col("land", header, "lessor", "text"))
        lessor = f["lessor_name" if s.lessor == "name" else "lessor_uscc"].to_list()
        if s.lessor == "name":
            lessor = [
                v if v is not None or t != "leased" else _collective(p)
                for v, t, p in zip(
                    lessor, f["tenure"].to_list(), f["parcel_id"].to_list(), strict=True
                )
            ]
        data.append(lessor)
    above: list[Line] = []
    below: list[list[Cell]] = []
    if s.title:
        unit = "平方米" if s.square_metres else "亩"
        above = [f"台州市{year}年工业用地宗地信息", f"面积单位：{unit}"]
        j = next(i for i, c in enumerate(cols) if c.field == "area_mu")
        total: list[Cell] = ["合计", *[None] * (len(cols) - 1)]
        total[j] = round(sum(v for v in data[j] if isinstance(v, float)), 2)
        below = [total, ["填表人：自然资源和规划局用地科", *[None] * (len(cols) - 1)]]
    return Table(
        f"land/工业用地宗地_{year}.xlsx",
        "land",
        year,
        "xlsx",
        cols,
        _rows(f["uscc"].to_list(), data),
        sheet="宗地",
        above=above,
        below=below,
    )


# ---- electricity ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PowerShape:
    format: Format
    months: Literal["", "1月", "2023年01月", "一月"]  # "" for one yearly figure
    total: str | None  # the months' total column
    wan: bool  # 万千瓦时 (4 decimals) instead of 千瓦时
    ids: tuple[tuple[str, str], ...]  # (header, field) of the columns before the figures
    amount: str = "用电量"  # the yearly figure's or the months' parent header
    parent: bool = False  # the months under a parent header that carries the unit
    title: bool = False  # a title and a 单位 line above the header
    encoding: str = "utf-8-sig"


_ACCOUNT = ("户号", "account_id")
POWER_SHAPES: dict[int, PowerShape] = {
    2019: PowerShape(
        "xlsx",
        "1月",
        "合计",
        False,
        (_ACCOUNT, ("户名", "name"), ("统一社会信用代码", "uscc")),
        title=True,
    ),
    2020: PowerShape(
        "csv",
        "",
        None,
        False,
        (("统一社会信用代码", "uscc"), ("用户名称", "name"), ("年度", "year"), _ACCOUNT),
    ),
    2021: PowerShape(
        "xlsx",
        "1月",
        "合计",
        True,
        (_ACCOUNT, ("用户名称", "name"), ("统一社会信用代码", "uscc"), ("年度", "year")),
        parent=True,
    ),
    2022: PowerShape(
        "csv",
        "2023年01月",
        None,
        False,
        (("统一社会信用代码", "uscc"), ("用户名称", "name"), _ACCOUNT),
        title=True,
    ),
    2023: PowerShape(
        "csv",
        "一月",
        "全年合计",
        False,
        (("用电户号", "account_id"), ("用电单位", "name"), ("统一社会信用代码", "uscc")),
        title=True,
        encoding="gbk",
    ),
    2024: PowerShape(
        "csv",
        "",
        None,
        False,
        (_ACCOUNT, ("用户名称", "name"), ("社会信用代码", "uscc"), ("电费年度", "year")),
        amount="售电量",
        encoding="gbk",
    ),
}


def _month_label(style: str, year: int, m: int) -> str:
    if style == "1月":
        return f"{m}月"
    if style == "一月":
        return f"{_CN_MONTHS[m - 1]}月"
    return f"{year}年{m:02d}月"


def accounts(uscc: str, kwh: float) -> list[str]:
    """A firm's power accounts (户号, ten digits, often with leading zeros), stable across
    years: large users have two or three."""
    u = _crc(uscc)
    n = 1 + (u % 100 < 8) + (kwh >= 1e6 and u % 100 < 35) + (kwh >= 1e7 and u % 7 == 0)
    return [f"{_crc(f'{uscc}/{k}') % 10**9:010d}" for k in range(n)]


def electricity_table(
    ey: pl.DataFrame, names: pl.DataFrame, year: int, rng: np.random.Generator
) -> Table:
    """用电量: the utility's export in its order, one row per account (户号); one yearly figure
    or one column per month (with or without a total), in 千瓦时 or 万千瓦时."""
    s = POWER_SHAPES[_cycle(year, POWER_SHAPES)]
    f = ey.filter((pl.col("year") == year) & pl.col("electricity_kwh").is_not_null()).join(
        names, on="uscc"
    )
    f = f.sort("uscc").with_columns(pl.Series("k", rng.permutation(f.height))).sort("k")
    usccs, firm_names = f["uscc"].to_list(), f["name"].to_list()
    kwh = f["electricity_kwh"].cast(pl.Int64).to_numpy()
    acc = [accounts(u, float(k)) for u, k in zip(usccs, kwh, strict=True)]
    width = max((len(a) for a in acc), default=1)
    shares = rng.uniform(0.2, 1.0, (len(acc), width)) * (
        np.arange(width)[None, :] < np.array([len(a) for a in acc])[:, None]
    )
    per_account = largest_remainder(kwh, shares)
    firm = np.repeat(np.arange(len(acc)), [len(a) for a in acc])
    account = [a for accs in acc for a in accs]
    slot = np.concatenate([np.arange(len(a)) for a in acc]) if acc else np.zeros(0, np.int64)
    amounts = per_account[firm, slot] if len(firm) else np.zeros(0, np.int64)
    unit = "万千瓦时" if s.wan else "千瓦时"
    factor, digits = (1e4, 4) if s.wan else (1.0, 0)
    cols = [_col("electricity", h, name, _id_kind(name)) for h, name in s.ids]
    values: list[list[Cell]] = []
    if s.months:
        months = largest_remainder(amounts, month_weights(rng, len(amounts)))
        parent = (f"{s.amount}（{unit}）",) if s.parent else ()
        for m in range(1, 13):
            path = (*parent, _month_label(s.months, year, m))
            c = _col("electricity", path, "electricity_kwh", "number", factor, digits, True, m)
            cols.append(c)
            values.append(written(months[:, m - 1], c, s.format == "csv"))
        if s.total is not None:
            path = (*parent, s.total)
            c = _col(
                "electricity", path, "electricity_kwh", "number", factor, digits, True, "total"
            )
            cols.append(c)
            values.append(written(amounts, c, s.format == "csv"))
    else:
        c = _col(
            "electricity", f"{s.amount}（{unit}）", "electricity_kwh", "number", factor, digits
        )
        cols.append(c)
        values.append(written(amounts, c, s.format == "csv"))
    by_field = {
        "uscc": [usccs[i] for i in firm],
        "name": [firm_names[i] for i in firm],
        "year": [str(year) if s.format == "csv" else year] * len(firm),
        "account_id": account,
    }
    data = [by_field[name] for _, name in s.ids] + values
    above: list[Line] = []
    if s.title:
        above = [f"台州市{year}年工业企业分月用电量" if s.months else "", f"单位：{unit}"]
        above = [a for a in above if a]
    return Table(
        f"electricity/用电量_{year}.{s.format}",
        "electricity",
        year,
        s.format,
        cols,
        _rows(by_field["uscc"], data),
        sheet="用电量" if s.format != "csv" else None,
        above=above,
        encoding=s.encoding,
    )


# ---- emissions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class EmissionShape:
    format: Format
    layout: Literal["wide", "long", "outlets", "outlets_long"]
    kg: bool  # amounts in 千克 (1 decimal) instead of 吨 (4 decimals)
    ids: tuple[tuple[str, str], ...]
    pollutants: tuple[tuple[str, str], ...]  # (code, header) in file order
    groups: bool = False  # pollutant columns under 废水污染物 / 废气污染物 parents
    title: bool = False
    encoding: str = "utf-8"


_CN = {
    "COD": "化学需氧量",
    "NH3N": "氨氮",
    "SO2": "二氧化硫",
    "NOX": "氮氧化物",
    "PM": "颗粒物",
    "TP": "总磷",
    "VOCS": "挥发性有机物",
}
_SYMBOL = {
    "COD": "COD",
    "NH3N": "NH3-N",
    "SO2": "SO2",
    "NOX": "NOx",
    "PM": "颗粒物",
    "TP": "总磷",
    "VOCS": "VOCs",
}
_UNIT_IDS = (("排污单位统一社会信用代码", "uscc"), ("排污单位名称", "name"), ("年度", "year"))


def _named_pollutants(codes: str, names: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((c, names[c]) for c in codes.split())


EMISSION_SHAPES: dict[int, EmissionShape] = {
    2019: EmissionShape(
        "xlsx",
        "wide",
        False,
        _UNIT_IDS,
        _named_pollutants("COD NH3N SO2 NOX PM TP", _CN),
        title=True,
    ),
    2020: EmissionShape(
        "csv",
        "long",
        True,
        (("统一社会信用代码", "uscc"), ("单位名称", "name"), ("年度", "year")),
        _named_pollutants("COD NH3N SO2 NOX PM TP VOCS", _CN),
        encoding="gbk",
    ),
    2021: EmissionShape(
        "xlsx",
        "outlets",
        True,
        (("统一社会信用代码", "uscc"), ("单位名称", "name"), ("年度", "year")),
        _named_pollutants("COD NH3N SO2 NOX PM TP VOCS", _SYMBOL),
        title=True,
    ),
    2022: EmissionShape(
        "xlsx",
        "wide",
        False,
        _UNIT_IDS[:2],
        _named_pollutants("COD NH3N TP SO2 NOX PM VOCS", _CN),
        groups=True,
        title=True,
    ),
    2023: EmissionShape(
        "xlsx",
        "outlets_long",
        False,
        _UNIT_IDS,
        _named_pollutants("COD NH3N SO2 NOX PM TP VOCS", _CN),
    ),
    2024: EmissionShape(
        "csv",
        "wide",
        False,
        (("统一社会信用代码", "uscc"), ("企业名称", "name"), ("年度", "year")),
        _named_pollutants("COD NH3N SO2 NOX VOCS", _SYMBOL),
    ),
}


def _outlet_name(outlet: str) -> str:
    k = int(outlet[2:])
    if outlet.startswith("DW"):
        return "废水总排放口" if k == 1 else f"废水排放口{k}"
    return f"{k}#废气排放口"


def _outlets(amounts: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Amounts per outlet: water pollutants through one or two DW outlets, air pollutants
    through one to three DA outlets, each split in whole tenths of a kilogram."""
    wide = amounts.pivot(on="pollutant", index="uscc", values="amount_t", sort_columns=False)
    for code in pol.CODES:
        if code not in wide.columns:
            wide = wide.with_columns(pl.lit(None, pl.Float64).alias(code))
    units = {c: whole(wide[c].fill_null(0.0).to_numpy(), pol.UNIT_T) for c in pol.CODES}
    n_water = 1 + (units["COD"] >= 10_000)  # ≥ 1 t of COD: a second water outlet
    air = units["SO2"] + units["NOX"] + units["PM"]
    n_air = 1 + (air >= 5_000) + (air >= 50_000)
    w_water = rng.uniform(0.3, 1.0, (wide.height, 2)) * (np.arange(2) < n_water[:, None])
    w_air = rng.uniform(0.3, 1.0, (wide.height, 3)) * (np.arange(3) < n_air[:, None])
    rows = []
    for code in pol.CODES:
        water = code in pol.WATER
        split = largest_remainder(units[code], w_water if water else w_air)
        given = wide[code].is_not_null().to_numpy()
        for k in range(2 if water else 3):
            on = given & ((n_water if water else n_air) > k)
            rows.append(
                pl.DataFrame(
                    {
                        "uscc": wide["uscc"].filter(pl.Series(on)),
                        "outlet": f"{'DW' if water else 'DA'}{k + 1:03d}",
                        "pollutant": code,
                        "amount_t": np.round(split[on, k] * pol.UNIT_T, 4),
                    }
                )
            )
    return pl.concat(rows).sort("uscc", "outlet", maintain_order=True)


def emissions_table(
    amounts: pl.DataFrame, names: pl.DataFrame, year: int, rng: np.random.Generator
) -> Table:
    """主要污染物排放量: only firms with an emission record; one column per pollutant (吨), one
    row per pollutant (千克 or 吨), or per 排放口 (DW water, DA air), by year."""
    s = EMISSION_SHAPES[_cycle(year, EMISSION_SHAPES)]
    a = amounts.filter(pl.col("year") == year).join(names, on="uscc")
    factor, digits = (1e-3, 1) if s.kg else (1.0, 4)
    unit = "千克" if s.kg else "吨"
    text = s.format == "csv"
    cols = [_col("emissions", h, name, _id_kind(name)) for h, name in s.ids]
    wanted = [c for c, _ in s.pollutants]
    a = a.filter(pl.col("pollutant").is_in(wanted))
    if s.layout in ("outlets", "outlets_long"):
        a = _outlets(a, rng).join(names, on="uscc")
        cols.append(_col("emissions", "排放口编号", "outlet_id", "text"))
        if s.layout == "outlets":
            cols.append(_col("emissions", "排放口名称", None, "text"))
    by_uscc = a["uscc"].to_list()
    if s.layout in ("long", "outlets_long"):
        order = {c: i for i, c in enumerate(wanted)}
        a = a.with_columns(pl.col("pollutant").replace_strict(order).alias("o"))
        a = a.sort("uscc", *(["outlet"] if s.layout == "outlets_long" else []), "o")
        header = f"排放量（{unit}）" if s.layout == "long" else f"实际排放量（{unit}）"
        cols.append(_col("emissions", "污染物名称", "pollutant", "text"))
        amount = _col("emissions", header, "amount_t", "number", factor, digits)
        cols.append(amount)
        label = dict(s.pollutants)
        by_uscc = a["uscc"].to_list()
        data = _id_values(a, s, year, text)
        if s.layout == "outlets_long":
            data.append(a["outlet"].to_list())
        data.append([label[p] for p in a["pollutant"].to_list()])
        data.append(_numbers(a["amount_t"], amount, text))
        return _emission_table(s, year, cols, _rows(by_uscc, data), [])
    key = ["uscc", "outlet"] if s.layout == "outlets" else ["uscc"]
    wide = a.pivot(on="pollutant", index=[*key, "name"], values="amount_t").sort(key)
    data = _id_values(wide, s, year, text)
    if s.layout == "outlets":
        data.append(wide["outlet"].to_list())
        data.append([_outlet_name(o) for o in wide["outlet"].to_list()])
    blank = "—" if s.layout == "outlets" else NOT_EMITTED
    for code, header in s.pollutants:
        if s.groups:
            parent = f"{'废水' if code in pol.WATER else '废气'}污染物（{unit}）"
            path: tuple[str, ...] = (parent, header)
        else:
            path = (f"{header}（{unit}）",)
        c = _col("emissions", path, "amount_t", "number", factor, digits, part=code)
        cols.append(c)
        values = (
            wide[code]
            if code in wide.columns
            else pl.Series([None] * wide.height, dtype=pl.Float64)
        )
        data.append([blank if v is None else v for v in _numbers(values, c, text)])
    below: list[list[Cell]] = []
    if s.groups:
        total: list[Cell] = ["合计", *[None] * (len(cols) - 1)]
        for j, c in enumerate(cols):
            if c.field == "amount_t":
                total[j] = round(sum(v for v in data[j] if isinstance(v, float)), digits)
        below = [total]
    return _emission_table(s, year, cols, _rows(wide["uscc"].to_list(), data), below)


def _id_values(frame: pl.DataFrame, s: EmissionShape, year: int, text: bool) -> list[list[Cell]]:
    by = {
        "uscc": frame["uscc"].to_list(),
        "name": frame["name"].to_list(),
        "year": [str(year) if text else year] * frame.height,
    }
    return [by[name] for _, name in s.ids]


def _emission_table(
    s: EmissionShape, year: int, cols: list[Column], rows: list[Row], below: list[list[Cell]]
) -> Table:
    return Table(
        f"emissions/主要污染物排放量_{year}.{s.format}",
        "emissions",
        year,
        s.format,
        cols,
        rows,
        sheet="排放量" if s.format != "csv" else None,
        above=[f"台州市{year}年排污单位主要污染物排放量"] if s.title else [],
        below=below,
        encoding=s.encoding,
    )
