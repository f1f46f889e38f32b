"""The city's purchases as the departments deliver them, a shape a year (2025 on repeats):

| year | file |
|---|---|
| 2019 | 税务局 增值税发票汇总 xlsx: title, 金额单位：元, 开票年度, red-letter rows, 合计 |
| 2020 | 经信局 企业主要供应商 xlsx: parents 填报企业 / 主要供应商 / 采购情况 merged over two rows |
| 2021 | 增值税发票汇总 GBK csv: 金额（元） with separators, 开票月份 2021-03, red-letter rows |
| 2022 | 企业主要供应商 xlsx: one header row, 单位：万元 line, places as GB/T 2260 codes |
| 2023 | 增值税发票汇总 xlsx: 开票月份 2023年03月, red-letter rows, 合计 |
| 2024 | 企业主要供应商 GBK csv: 采购金额（万元） |

An invoice summary lists a purchase as one to three months' rows, and about 4% of purchases
with a red-letter row (a negative amount) reversing part of an invoice: the rows net to the
purchase, in whole hundreds of 元 (0.01 万元). It gives the seller's industry (销方行业代码), and
a 商品和服务税收分类编码 no field takes; a survey gives where each supplier is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industry_brain.synth.table import Cell, Column, Format, Kind, Line, Row, Table, named

TAX_CODE = "1{}0000000000000"  # 商品和服务税收分类编码 as written (19 digits; not read)
RED_SHARE = 0.04


@dataclass(frozen=True)
class TradeShape:
    survey: bool  # 经信局's supplier survey (else 税务局's invoice summary)
    format: Format
    monthly: bool = False  # invoice rows by month
    codes: bool = False  # places as codes
    two_rows: bool = False  # the survey's merged parents


SHAPES = {
    2019: TradeShape(False, "xlsx"),
    2020: TradeShape(True, "xlsx", two_rows=True),
    2021: TradeShape(False, "csv", monthly=True),
    2022: TradeShape(True, "xlsx", codes=True),
    2023: TradeShape(False, "xlsx", monthly=True),
    2024: TradeShape(True, "csv"),
}


def shape(year: int) -> TradeShape:
    return SHAPES[year if year in SHAPES else 2019 + (year - 2019) % len(SHAPES)]


def _col(path: tuple[str, ...], field: str | None, kind: Kind, factor: float = 1.0) -> Column:
    required = field in ("buyer_uscc", "amount")
    return Column(named(path), field, kind, factor, 2, required, 20.0 if field else 8.0, path)


def trade_table(frame: pl.DataFrame, year: int, rng: np.random.Generator) -> Table:
    """The year's purchases (year, buyer_uscc, buyer_name, seller_uscc, seller_name,
    seller_place, seller_code, product_code, product_name, amount in 万元) as that year's file."""
    s = shape(year)
    f = frame.filter(pl.col("year") == year).sort("buyer_uscc", "seller_name", "product_code")
    return _survey(f, year, s) if s.survey else _invoices(f, year, s, rng)


def _invoices(f: pl.DataFrame, year: int, s: TradeShape, rng: np.random.Generator) -> Table:
    amount = "金额（元）" if s.format == "csv" else "金额"
    period = "开票月份" if s.monthly else "开票年度"
    cols = [_col(("序号",), None, "serial")] if s.format == "xlsx" else []
    cols += [
        _col(("销方纳税人识别号",), "seller_uscc", "uscc"),
        _col(("销方名称",), "seller_name", "text"),
        _col(("销方行业代码",), "product_code", "industry"),
        _col(("购方纳税人识别号",), "buyer_uscc", "uscc"),
        _col(("购方名称",), "buyer_name", "text"),
        _col(("货物或应税劳务名称",), "product_name", "text"),
        _col(("商品和服务税收分类编码",), None, "text"),
        _col((amount,), "amount", "number", 1e-4),
        _col(("税额",), None, "number", 1e-4),
        _col((period,), "year", "year"),
    ]
    rows: list[Row] = []
    for r in f.iter_rows(named=True):
        for month, cents in _parts(round(r["amount"] * 100), s.monthly, rng):
            when = str(year) if not s.monthly else _month(year, month, s.format)
            cells: list[Cell] = [len(rows) + 1] if s.format == "xlsx" else []
            cells += [r["seller_uscc"], r["seller_name"], r["product_code"], r["buyer_uscc"]]
            cells += [r["buyer_name"], r["product_name"], TAX_CODE.format(r["product_code"])]
            cells += [_yuan(cents * 100, s), _yuan(round(cents * 13), s), when]
            rows.append(Row(cells, r["buyer_uscc"]))
    total = round(float(f["amount"].sum()) * 100) * 100
    below = [["合计", *[None] * (len(cols) - 4), _yuan(total, s), None, None]]
    name = f"trade/增值税发票汇总_{year}.{s.format}"
    above: list[Line] = [f"台州市{year}年增值税发票汇总（购方为本市企业）", "金额单位：元"]
    encoding = "gbk" if s.format == "csv" else "utf-8"
    return Table(name, "trade", year, s.format, cols, rows, "发票汇总", above, None,
                 below if s.format == "xlsx" else [], encoding, s.format == "csv")  # fmt: skip


def _yuan(yuan: int, s: TradeShape) -> Cell:
    return f"{yuan:,.2f}" if s.format == "csv" else float(yuan)


def _month(year: int, month: int, fmt: Format) -> str:
    return f"{year}-{month:02d}" if fmt == "csv" else f"{year}年{month:02d}月"


def _parts(cents: int, monthly: bool, rng: np.random.Generator) -> list[tuple[int, int]]:
    """A purchase as (month, amount in 0.01 万元) rows: one to three months; sometimes an
    invoice larger than the purchase and a red-letter row reversing the excess."""
    k = 1 + int(rng.binomial(2, 0.35)) if monthly and cents >= 3 else 1
    months = sorted(rng.choice(np.arange(1, 13), k, replace=False).tolist())
    cuts = sorted(rng.choice(np.arange(1, cents), k - 1, replace=False).tolist()) if k > 1 else []
    amounts = np.diff([0, *cuts, cents]).tolist()
    out = list(zip(months, amounts, strict=True))
    if rng.random() < RED_SHARE:
        month, part = out[-1]
        red = 1 + int(rng.integers(0, max(part, 1)))
        out[-1] = (month, part + red)
        out.append((month, -red))
    return out


def _survey(f: pl.DataFrame, year: int, s: TradeShape) -> Table:
    parents = ("填报企业", "主要供应商", "采购情况") if s.two_rows else ()
    buyer, seller, bought = ((p,) for p in parents) if parents else ((), (), ())
    money = "采购金额" if s.codes else "采购金额（万元）"
    cols = [_col(("序号",), None, "serial")] if s.format == "xlsx" else []
    cols += [
        _col((*buyer, "企业名称"), "buyer_name", "text"),
        _col((*buyer, "统一社会信用代码"), "buyer_uscc", "uscc"),
        _col((*seller, "供应商名称"), "seller_name", "text"),
        _col((*seller, "供应商统一社会信用代码"), "seller_uscc", "uscc"),
        _col((*seller, "供应商所在地"), "seller_region", "region"),
        _col((*bought, "采购产品"), "product_name", "text"),
        _col((*bought, "所属行业代码"), "product_code", "industry"),
        _col((*bought, money), "amount", "number"),
        _col(("年度",), "year", "year"),
    ]
    where = "seller_code" if s.codes else "seller_place"
    rows: list[Row] = []
    for r in f.iter_rows(named=True):
        cells: list[Cell] = [len(rows) + 1] if s.format == "xlsx" else []
        cells += [r["buyer_name"], r["buyer_uscc"], r["seller_name"], r["seller_uscc"], r[where]]
        money_cell: Cell = f"{r['amount']:.2f}" if s.format == "csv" else r["amount"]
        cells += [r["product_name"], r["product_code"], money_cell, year]
        rows.append(Row(cells, r["buyer_uscc"]))
    name = f"trade/企业主要供应商_{year}.{s.format}"
    above: list[Line] = [f"{year}年度企业主要供应商情况汇总表"] if s.format == "xlsx" else []
    above += [("填报单位：台州市经济和信息化局", "单位：万元")] if s.codes else []
    encoding = "gbk" if s.format == "csv" else "utf-8"
    return Table(name, "trade", year, s.format, cols, rows, "供应商", above, encoding=encoding)
