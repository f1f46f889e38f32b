"""Deterministic synthetic 统计局 files (statistics source, 15 columns) for the ingest benchmark.

The file looks like what a 统计局 sends: one header row, one enterprise-year per row, Taizhou
counties, real GB/T 4754 manufacturing classes, log-normal revenue. A known share of rows is
broken on purpose so that every implementation has something to reject:

- bad USCC check digit, text that is not a number, an industry code that does not exist,
  工业增加值 above 工业总产值, and duplicated enterprises (exact copies and conflicting copies);
- plus rows that must *not* be rejected: lower case / spaced / full-width USCCs (a warning),
  "1,234.5" numbers written as text, county names instead of codes, empty optional cells.

`expected_rejected` in the sidecar JSON is the number of rows a correct validator rejects.
This module does not depend on industry_brain (only on its reference CSV files).
"""

from __future__ import annotations

import csv
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
DATA_DIR = ROOT / "data"
REFERENCE_DIR = ROOT.parent / "src" / "industry_brain" / "reference" / "data"
GENERATOR_VERSION = 2
SEED = 20200

HEADERS = [
    "统一社会信用代码",
    "单位详细名称",
    "统计年度",
    "行政区划代码",
    "行业代码",
    "是否规上",
    "营业收入（万元）",
    "工业总产值（万元）",
    "工业增加值（万元）",
    "年平均职工人数",
    "综合能耗（吨标准煤）",
    "研究与试验发展经费支出（万元）",
    "新产品产值（万元）",
    "出口交货值（万元）",
    "利润总额（万元）",
]
NUMBER_COLUMNS = HEADERS[6:]

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])
COUNTIES = {
    "331002": "椒江区",
    "331003": "黄岩区",
    "331004": "路桥区",
    "331022": "三门县",
    "331023": "天台县",
    "331024": "仙居县",
    "331081": "温岭市",
    "331082": "临海市",
    "331083": "玉环市",
}
# Rough shares of Taizhou's industrial firms by county.
COUNTY_WEIGHTS = [0.10, 0.12, 0.11, 0.05, 0.06, 0.05, 0.22, 0.15, 0.14]
NAME_CHARS = list("华东海天宏力精工恒达鑫盛博远永兴新飞龙泰金瑞丰安通德信明光正大联创科")
NAME_KINDS = ["机械", "塑料", "模具", "电器", "汽车部件", "泵业", "制药", "缝纫机", "阀门", "科技"]
NAME_FORMS = ["有限公司", "股份有限公司", "有限责任公司"]

# Shares of rows broken on purpose (each rejects one row, a conflicting pair two).
BAD_SHARES = {
    "check_digit": 0.0035,
    "not_a_number": 0.0035,
    "unknown_industry": 0.001,
    "ratio": 0.001,
    "dup_exact": 0.0005,  # a later exact copy of a good row: the copy is rejected
    "dup_conflict": 0.0005,  # a copy with another revenue: both rows are rejected
}
NOT_NUMBERS = ["12O5.3", "约1200", "1.2.3", "见附表", "3,4,5元"]


@dataclass(frozen=True)
class Dataset:
    rows: int
    csv: Path
    xlsx: Path
    meta: dict


def rows_digest(rows: np.ndarray) -> str:
    """A short fingerprint of a set of 0-based data-row indices (to compare implementations)."""
    ordered = np.unique(np.asarray(rows, dtype=np.int64))
    return hashlib.sha1(ordered.tobytes()).hexdigest()[:12]


def industry_classes() -> list[str]:
    """4-digit manufacturing classes (大类 13–43) of the package's GB/T 4754 table."""
    with (REFERENCE_DIR / "gbt4754_2017.csv").open(encoding="utf-8", newline="") as fh:
        return [
            r["code"]
            for r in csv.DictReader(fh)
            if r["level"] == "class" and 13 <= int(r["code"][:2]) <= 43
        ]


def all_industry_codes() -> set[str]:
    with (REFERENCE_DIR / "gbt4754_2017.csv").open(encoding="utf-8", newline="") as fh:
        return {r["code"] for r in csv.DictReader(fh)}


def check_digits(body: np.ndarray) -> np.ndarray:
    """Mod-31 check digit indices (GB 32100-2015) of an (n, 17) array of alphabet indices."""
    total = (body.astype(np.int64) * WEIGHTS).sum(axis=1)
    return (31 - total % 31) % 31


def _codes_to_text(indices: np.ndarray) -> list[str]:
    lut = np.frombuffer(ALPHABET.encode("ascii"), dtype=np.uint8)
    chars = lut[indices].astype(np.uint8)
    return np.ascontiguousarray(chars).view(f"S{indices.shape[1]}").ravel().astype(str).tolist()


def make_usccs(rng: np.random.Generator, county_codes: np.ndarray) -> np.ndarray:
    """Unique valid USCCs: 91 (工商 / 企业) + county code + 9-char organisation code + check."""
    n = len(county_codes)
    body = np.empty((n, 17), dtype=np.int64)
    body[:, 0] = 9
    body[:, 1] = 1
    digits = np.array([list(map(int, c)) for c in county_codes], dtype=np.int64)
    body[:, 2:8] = digits
    body[:, 8:17] = rng.integers(0, 31, size=(n, 9))
    while True:  # redraw the (very rare) collisions so that every enterprise is distinct
        text = np.array(_codes_to_text(body))
        _, first = np.unique(text, return_index=True)
        dup = np.setdiff1d(np.arange(n), first)
        if dup.size == 0:
            break
        body[dup, 8:17] = rng.integers(0, 31, size=(dup.size, 9))
    full = np.concatenate([body, check_digits(body)[:, None]], axis=1)
    codes = np.array(_codes_to_text(full), dtype=object)
    _verify_with_stdnum(codes[:1000])
    return codes


def _verify_with_stdnum(sample: np.ndarray) -> None:
    try:
        from stdnum.cn import uscc
    except ImportError:  # python-stdnum is a dependency of the package, but be lenient
        return
    for code in sample:
        assert uscc.calc_check_digit(code[:17]) == code[17], code


def _fmt(values: np.ndarray, decimals: int) -> np.ndarray:
    """Numbers as the text a csv export holds; NaN becomes an empty cell."""
    text = np.char.mod(f"%.{decimals}f", np.nan_to_num(values))
    out = text.astype(object)
    out[np.isnan(values)] = ""
    return out


def _thousands(value: float) -> str:
    return f"{value:,.1f}"


def generate_columns(n: int, seed: int = SEED) -> tuple[dict[str, np.ndarray], dict]:
    """The file's cells as columns of text (csv) plus which cells are numeric (xlsx)."""
    rng = np.random.default_rng([seed, n])
    counties = np.array(list(COUNTIES))
    county = rng.choice(counties, size=n, p=COUNTY_WEIGHTS)
    uscc = make_usccs(rng, county)

    classes = np.array(industry_classes())
    pop = rng.lognormal(0.0, 1.5, size=len(classes))  # a few classes dominate
    industry = rng.choice(classes, size=n, p=pop / pop.sum())

    short = np.array([COUNTIES[c][:2] for c in counties])
    county_short = short[np.searchsorted(counties, county)]
    name_a = rng.choice(NAME_CHARS, size=n)
    name_b = rng.choice(NAME_CHARS, size=n)
    kind = rng.choice(NAME_KINDS, size=n)
    form = rng.choice(NAME_FORMS, size=n, p=[0.8, 0.15, 0.05])
    name = np.char.add(
        np.char.add(np.char.add("台州市", county_short), np.char.add(name_a, name_b)),
        np.char.add(kind, form),
    ).astype(object)

    revenue = np.round(rng.lognormal(np.log(3000), 1.3, size=n), 1)
    output = np.round(revenue * rng.uniform(0.85, 1.15, size=n), 1)
    value_added = np.round(output * np.clip(rng.normal(0.23, 0.04, size=n), 0.05, 0.6), 1)
    employees = np.clip(np.round(revenue / rng.lognormal(np.log(60), 0.5, size=n)), 1, 200_000)
    energy = np.round(output * rng.lognormal(np.log(0.05), 0.8, size=n), 2)
    rd = np.where(
        rng.random(n) < 0.6, np.round(revenue * rng.beta(2, 60, size=n), 1), 0.0
    )  # many firms report no R&D
    new_product = np.where(rng.random(n) < 0.5, np.round(output * rng.uniform(0, 0.5, n), 1), 0.0)
    export = np.where(rng.random(n) < 0.3, np.round(output * rng.uniform(0, 0.6, n), 1), 0.0)
    export[rng.random(n) < 0.2] = np.nan  # left empty
    profit = np.round(revenue * rng.normal(0.05, 0.06, size=n), 1)
    numbers = {
        "营业收入（万元）": (revenue, 1),
        "工业总产值（万元）": (output, 1),
        "工业增加值（万元）": (value_added, 1),
        "年平均职工人数": (employees, 0),
        "综合能耗（吨标准煤）": (energy, 2),
        "研究与试验发展经费支出（万元）": (rd, 1),
        "新产品产值（万元）": (new_product, 1),
        "出口交货值（万元）": (export, 1),
        "利润总额（万元）": (profit, 1),
    }

    cols: dict[str, np.ndarray] = {
        "统一社会信用代码": uscc,
        "单位详细名称": name,
        "统计年度": np.full(n, "2020", dtype=object),
        "行政区划代码": county.astype(object),
        "行业代码": industry.astype(object),
        "是否规上": np.where(revenue >= 2000, "是", "否").astype(object),
    }
    for header, (values, decimals) in numbers.items():
        cols[header] = _fmt(values, decimals)
    # Cells written as text in the xlsx (numbers otherwise): the text-formatted numbers.
    as_text = {h: np.zeros(n, dtype=bool) for h in NUMBER_COLUMNS}

    # Harmless oddities (the row loads).
    odd = rng.random(n)
    for header in ("营业收入（万元）", "工业总产值（万元）"):
        pick = np.flatnonzero(rng.random(n) < 0.02)
        values = numbers[header][0]
        cols[header][pick] = [_thousands(v) for v in values[pick]]
        as_text[header][pick] = True
    cols["出口交货值（万元）"][np.flatnonzero((odd > 0.5) & (odd < 0.51))] = "—"
    as_text["出口交货值（万元）"][cols["出口交货值（万元）"] == "—"] = True
    lower = np.flatnonzero(odd < 0.004)
    cols["统一社会信用代码"][lower] = [c.lower() for c in uscc[lower]]
    spaced = np.flatnonzero((odd >= 0.004) & (odd < 0.006))
    cols["统一社会信用代码"][spaced] = [f"{c[:8]} {c[8:]}" for c in uscc[spaced]]
    wide = np.flatnonzero((odd >= 0.006) & (odd < 0.0061))
    cols["统一社会信用代码"][wide] = [
        "".join(chr(ord(ch) + 0xFEE0) for ch in c) for c in uscc[wide]
    ]
    by_name = np.flatnonzero((odd >= 0.007) & (odd < 0.012))
    cols["行政区划代码"][by_name] = [COUNTIES[c] for c in county[by_name]]

    # Broken rows, on disjoint sets of otherwise plain rows.
    plain = np.flatnonzero((odd >= 0.02) & (odd < 0.5))
    plain = rng.permutation(plain)
    counts = {k: round(n * s) for k, s in BAD_SHARES.items()}
    picks: dict[str, np.ndarray] = {}
    start = 0
    for key in ("check_digit", "not_a_number", "unknown_industry", "ratio"):
        picks[key] = np.sort(plain[start : start + counts[key]])
        start += counts[key]
    dup_pairs = counts["dup_exact"] + counts["dup_conflict"]
    originals = plain[start : start + dup_pairs]
    copies = plain[start + dup_pairs : start + 2 * dup_pairs]
    start += 2 * dup_pairs

    for i in picks["check_digit"]:
        code = cols["统一社会信用代码"][i]
        wrong = ALPHABET[(ALPHABET.index(code[17]) + 1 + rng.integers(0, 30)) % 31]
        cols["统一社会信用代码"][i] = code[:17] + wrong
    for i in picks["not_a_number"]:
        header = NUMBER_COLUMNS[rng.integers(0, len(NUMBER_COLUMNS))]
        cols[header][i] = NOT_NUMBERS[rng.integers(0, len(NOT_NUMBERS))]
        as_text[header][i] = True
    known = all_industry_codes()
    for i in picks["unknown_industry"]:
        code = str(rng.integers(1300, 4400))
        while code in known:
            code = str(rng.integers(1300, 4400))
        cols["行业代码"][i] = code
    for i in picks["ratio"]:
        cols["工业增加值（万元）"][i] = f"{output[i] * 1.3:.1f}"
    for k, (src, dst) in enumerate(zip(originals, copies, strict=True)):
        for header in HEADERS:
            cols[header][dst] = cols[header][src]
        for header in NUMBER_COLUMNS:
            as_text[header][dst] = as_text[header][src]
        if k >= counts["dup_exact"]:  # the department sent two different figures
            cols["营业收入（万元）"][dst] = f"{revenue[src] * 1.01:.1f}"
            as_text["营业收入（万元）"][dst] = False

    exact = counts["dup_exact"]
    rejected = np.concatenate(
        [
            picks["check_digit"],
            picks["not_a_number"],
            picks["unknown_industry"],
            picks["ratio"],
            np.maximum(originals[:exact], copies[:exact]),  # the later copy of an exact pair
            originals[exact:],  # both rows of a conflicting pair
            copies[exact:],
        ]
    )
    meta = {
        "rows": n,
        "seed": seed,
        "generator_version": GENERATOR_VERSION,
        "broken": counts,
        "expected_rejected": len(np.unique(rejected)),
        "expected_digest": rows_digest(rejected),
        "columns": len(HEADERS),
    }
    cols["__as_text"] = as_text  # type: ignore[assignment]
    return cols, meta


def write_csv(cols: dict[str, np.ndarray], path: Path) -> None:
    import polars as pl

    frame = pl.DataFrame({h: pl.Series(h, cols[h].tolist(), dtype=pl.Utf8) for h in HEADERS})
    tmp = path.with_suffix(".csv.part")
    frame.write_csv(tmp)  # UTF-8, no BOM, "1,234.5" quoted
    tmp.replace(path)


def write_xlsx(cols: dict[str, np.ndarray], path: Path) -> None:
    """One sheet; numbers as numeric cells except the ones a department typed as text."""
    import xlsxwriter

    n = len(cols[HEADERS[0]])
    as_text: dict[str, np.ndarray] = cols["__as_text"]  # type: ignore[assignment]
    numeric_cols = {"统计年度", *NUMBER_COLUMNS}
    columns = []
    for h in HEADERS:
        text = cols[h]
        if h in numeric_cols:
            flags = as_text.get(h, np.zeros(n, dtype=bool))
            values = [
                None if t == "" else (t if f else float(t))
                for t, f in zip(text.tolist(), flags.tolist(), strict=True)
            ]
            columns.append(values)
        else:
            columns.append(text.tolist())
    tmp = path.with_name(path.name + ".part")
    book = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    sheet = book.add_worksheet("工业企业主要经济指标")
    sheet.write_row(0, 0, HEADERS)
    for r, row in enumerate(zip(*columns, strict=True), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    tmp.replace(path)


def dataset(n: int, formats: tuple[str, ...] = ("csv", "xlsx"), verbose: bool = True) -> Dataset:
    """The benchmark files of n rows, generated once into benchmarks/data/ and then reused."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    csv_path = DATA_DIR / f"statistics_{n}.csv"
    xlsx_path = DATA_DIR / f"statistics_{n}.xlsx"
    meta_path = DATA_DIR / f"statistics_{n}.json"
    meta = json.loads(meta_path.read_text("utf-8")) if meta_path.is_file() else None
    fresh = meta is not None and meta.get("generator_version") == GENERATOR_VERSION
    wanted = {"csv": csv_path, "xlsx": xlsx_path}
    missing = [f for f in formats if not (fresh and wanted[f].is_file())]
    if missing:
        t0 = time.perf_counter()
        cols, meta = generate_columns(n)
        if not fresh:  # an older generator's files must not be mixed with new ones
            for p in (csv_path, xlsx_path):
                p.unlink(missing_ok=True)
            missing = list(formats)
        for fmt in missing:
            if verbose:
                print(f"generating {wanted[fmt].name} ...", flush=True)
            (write_csv if fmt == "csv" else write_xlsx)(cols, wanted[fmt])
        meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), "utf-8")
        if verbose:
            print(f"  done in {time.perf_counter() - t0:.1f} s", flush=True)
    assert meta is not None
    return Dataset(n, csv_path, xlsx_path, meta)
