"""The statistics checks written as a data analyst would in plain, idiomatic pandas.

Same rules as industry_brain's statistics spec: header mapping with units, USCC normalisation,
format and mod-31 check digit (a Python function applied per code), numbers with thousands
separators, placeholders, 是/否 flags, region codes or county names, GB/T 4754 codes, required
values, ranges, ratio checks, and duplicates (an exact copy loads once, conflicting copies are
all rejected). Returns the 0-based data-row indices of the rejected rows.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "src/industry_brain/reference/data"

FIELDS = {  # header (unit stripped) → field
    "统一社会信用代码": "uscc",
    "单位详细名称": "name",
    "统计年度": "year",
    "行政区划代码": "region_code",
    "行业代码": "industry_code",
    "是否规上": "above_scale",
    "营业收入": "revenue",
    "工业总产值": "output",
    "工业增加值": "value_added",
    "年平均职工人数": "employees",
    "综合能耗": "energy_tce",
    "研究与试验发展经费支出": "rd_expense",
    "新产品产值": "new_product_output",
    "出口交货值": "export_value",
    "利润总额": "profit",
}
NUMBERS = {  # field → (canonical unit, min, max)
    "revenue": ("万元", 0, None),
    "output": ("万元", 0, None),
    "value_added": ("万元", None, None),
    "employees": ("人", 0, 500_000),
    "energy_tce": ("吨标准煤", 0, None),
    "rd_expense": ("万元", 0, None),
    "new_product_output": ("万元", 0, None),
    "export_value": ("万元", 0, None),
    "profit": ("万元", None, None),
}
UNIT_FACTORS = {  # unit → (canonical unit, factor)
    "万元": ("万元", 1.0),
    "元": ("万元", 1e-4),
    "千元": ("万元", 0.1),
    "亿元": ("万元", 1e4),
    "吨标准煤": ("吨标准煤", 1.0),
    "千克标准煤": ("吨标准煤", 1e-3),
    "人": ("人", 1.0),
}
REQUIRED = ["revenue", "output", "value_added", "employees"]
RATIOS = [  # numerator, denominator, min, max
    ("value_added", "output", None, 1.0),
    ("output", "revenue", 0.1, 10.0),
    ("new_product_output", "output", None, 1.0),
    ("rd_expense", "revenue", None, 0.6),
]
MISSING = ["", "—", "——", "-", "--", "/", "／", "无", "null", "NULL", "NA", "N/A", "#N/A", "空"]
TRUE = ["是", "规上", "1", "Y", "y", "YES", "yes", "TRUE", "true", "√", "1.0"]
FALSE = ["否", "规下", "0", "N", "n", "NO", "no", "FALSE", "false", "×", "0.0"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = f"^[{ALPHABET}]{{2}}[0-9]{{6}}[{ALPHABET}]{{10}}$"
SUFFIXES = ("畲族自治县", "自治县", "省", "市", "区", "县")


def uscc_check_digit_ok(code: str) -> bool:
    total = sum(VALUES[c] * w for c, w in zip(code[:17], WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31] == code[17]


def load_reference() -> tuple[dict[str, str], set[str]]:
    """Region lookup (code, full name or unambiguous short name → code) and industry codes."""
    with (REFERENCE_DIR / "zhejiang_divisions.csv").open(encoding="utf-8", newline="") as fh:
        regions = list(csv.DictReader(fh))
    lookup: dict[str, str] = {}
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for r in regions:
        code = r["code"].ljust(6, "0")
        lookup[code] = code
        full.setdefault(r["name"], []).append(code)
        name = r["name"]
        for suffix in SUFFIXES:
            if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                name = name[: -len(suffix)]
                break
        short.setdefault(name, []).append(code)
    for name, codes in short.items():
        if len(codes) == 1 and name not in full:
            lookup[name] = codes[0]
    for name, codes in full.items():
        if len(codes) == 1:
            lookup[name] = codes[0]
    industries = pd.read_csv(REFERENCE_DIR / "gbt4754_2017.csv", dtype=str)
    codes = set(industries.loc[industries["level"] != "section", "code"])
    return lookup, codes


def read(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        raw = pd.read_csv(path, dtype=str, header=None, encoding="utf-8-sig")
    else:
        raw = pd.read_excel(path, engine="openpyxl", dtype=str, header=None)
    # Header row: the first row among the top 20 that names the USCC column.
    header_row = next(i for i in range(min(20, len(raw))) if "统一社会信用代码" in set(raw.iloc[i]))
    headers = raw.iloc[header_row].astype(str).str.strip()
    frame = raw.iloc[header_row + 1 :].reset_index(drop=True)
    frame.columns = headers
    return frame


def split_header(header: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.*?)[（(]([^）)]*)[）)]", header)
    return (m.group(1), m.group(2)) if m else (header, None)


def clean(s: pd.Series) -> pd.Series:
    s = s.str.strip()
    return s.mask(s.isin(MISSING))


def validate(path: Path) -> np.ndarray:
    regions, industries = load_reference()
    raw = read(path)

    # Map headers to fields, with the unit factor of each number column.
    df = pd.DataFrame(index=raw.index)
    factors = {}
    for header in raw.columns:
        base, unit = split_header(header)
        field = FIELDS.get(base)
        if field is None:
            continue
        df[field] = raw[header]
        if field in NUMBERS:
            canonical = NUMBERS[field][0]
            unit_canonical, factor = UNIT_FACTORS[unit or canonical]
            assert unit_canonical == canonical, f"{header}: unit does not fit"
            factors[field] = factor

    df = df.dropna(how="all")
    bad = pd.Series(False, index=df.index)

    # 统一社会信用代码: normalise, then format and check digit.
    uscc = clean(df["uscc"]).str.normalize("NFKC").str.replace(r"\s", "", regex=True).str.upper()
    uscc = uscc.mask(uscc == "")
    df["uscc"] = uscc
    bad |= uscc.isna()
    well_formed = uscc.str.match(USCC_PATTERN, na=False)
    bad |= uscc.notna() & ~well_formed
    bad |= well_formed & ~uscc.where(well_formed, "0" * 18).apply(uscc_check_digit_ok)

    # Numbers: thousands separators and placeholders, then the unit factor.
    for field, (_, low, high) in NUMBERS.items():
        text = clean(df[field]).str.replace(r"[,，\s]", "", regex=True)
        value = pd.to_numeric(text, errors="coerce")
        bad |= text.notna() & value.isna()
        value = value * factors[field]
        if low is not None:
            bad |= value < low
        if high is not None:
            bad |= value > high
        df[field] = value

    # Year: '2020', '2020年', '2020.0'; must be the batch's year.
    year_text = clean(df["year"]).str.replace(r"年度?$", "", regex=True)
    year_text = year_text.str.replace(r"\.0$", "", regex=True)
    year = pd.to_numeric(year_text, errors="coerce")
    bad |= year_text.notna() & (year.isna() | ~year.between(1949, 2100))
    bad |= year.notna() & (year != 2020)
    df["year"] = year.fillna(2020).astype(int)

    df["name"] = clean(df["name"])

    flag = clean(df["above_scale"])
    bad |= flag.notna() & ~flag.isin(TRUE + FALSE)
    df["above_scale"] = flag.map(dict.fromkeys(TRUE, True) | dict.fromkeys(FALSE, False))

    region = clean(df["region_code"]).str.replace(r"\.0$", "", regex=True)
    region = region.where(~region.str.fullmatch(r"\d{2}|\d{4}", na=False), region.str.ljust(6, "0"))
    df["region_code"] = region.map(regions)
    bad |= region.notna() & df["region_code"].isna()

    industry = clean(df["industry_code"]).str.replace(r"\.0$", "", regex=True).str.upper()
    df["industry_code"] = industry.where(industry.isin(industries))
    bad |= industry.notna() & df["industry_code"].isna()

    for field in REQUIRED:
        bad |= df[field].isna()

    for num, den, low, high in RATIOS:
        ratio = df[num] / df[den]
        usable = df[num].notna() & (df[den] > 0)
        if low is not None:
            bad |= usable & (ratio < low)
        if high is not None:
            bad |= usable & (ratio > high)

    # Duplicates among the rows still accepted: exact copies load once, conflicting copies
    # load none.
    ok = df[~bad]
    dup = ok[ok.duplicated(["uscc", "year"], keep=False)]
    if len(dup):
        variants = dup.drop_duplicates().groupby(["uscc", "year"]).size()
        conflicting = dup.set_index(["uscc", "year"]).index.isin(variants[variants > 1].index)
        later_copy = dup.duplicated(keep="first")
        bad[dup.index[conflicting | later_copy]] = True

    return bad.index[bad.to_numpy()].to_numpy()
