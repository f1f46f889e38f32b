"""Numbers and times as the pages, workbooks and charts show them: one rule for each.

`FIELDS` says, for each figure the platform shows, its Chinese label, its unit and how many
decimals it is shown with; the functions below never raise on missing values (None, NaN,
empty text all show as `—`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

DASH = "—"
YI = 1e4  # 万元 in one 亿元


@dataclass(frozen=True, slots=True)
class Field:
    label: str  # Chinese
    unit: str  # "" when none; "%" for a share shown as a percentage
    decimals: int  # 0 for counts; of the percentage for a share


FIELDS: dict[str, Field] = {
    # enterprise figures (warehouse/schema.py FIGURES, glossary names)
    "revenue": Field("营业收入", "万元", 1),
    "main_revenue": Field("主营业务收入", "万元", 1),
    "output": Field("工业总产值", "万元", 1),
    "value_added": Field("工业增加值", "万元", 1),
    "employees": Field("年平均职工人数", "人", 0),
    "energy_tce": Field("综合能耗", "吨标准煤", 1),
    "rd_expense": Field("研究与试验发展经费支出", "万元", 1),
    "new_product_output": Field("新产品产值", "万元", 1),
    "export_value": Field("出口交货值", "万元", 1),
    "profit": Field("利润总额", "万元", 1),
    "tax_paid": Field("实缴税金", "万元", 1),
    "land_mu": Field("用地面积", "亩", 1),
    "land_owned_mu": Field("自有用地面积", "亩", 1),
    "land_leased_mu": Field("租用用地面积", "亩", 1),
    "land_let_mu": Field("出租用地面积", "亩", 1),
    "parcels": Field("地块数", "块", 0),
    "electricity_kwh": Field("用电量", "千瓦时", 0),
    "emissions_eq": Field("排放当量", "吨", 2),
    # 亩均 indicators (engines/permu/indicators.py), score and rank
    "tax_per_mu": Field("亩均税收", "万元/亩", 2),
    "value_added_per_mu": Field("亩均增加值", "万元/亩", 2),
    "revenue_per_mu": Field("亩均营业收入", "万元/亩", 2),
    "value_added_per_tce": Field("单位能耗增加值", "万元/吨标准煤", 2),
    "value_added_per_emission": Field("单位排放增加值", "万元/吨", 2),
    "tax_per_kwh": Field("单位电耗税收", "元/千瓦时", 4),
    "labour_productivity": Field("全员劳动生产率", "万元/人", 2),
    "rd_intensity": Field("R&D经费支出占营业收入比重", "%", 1),
    "benchmark": Field("基准值", "", 2),
    "weight": Field("权重", "分", 1),
    "score": Field("得分", "分", 2),
    "total": Field("综合得分", "分", 2),
    "rank": Field("组内排名", "", 0),
    "group_size": Field("组内企业数", "家", 0),
    "enterprises": Field("企业数", "家", 0),
    "above_scale_output": Field("规上工业总产值", "亿元", 2),  # a region's, in 亿元
}


def missing(value: Any) -> bool:
    """None, NaN or empty text: shown as `—`."""
    if value is None or value == "":
        return True
    return isinstance(value, float) and math.isnan(value)


def _number(value: Any) -> float | None:
    if missing(value) or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def num(value: Any, decimals: int = 1) -> str:
    """367501.1 → '367,501.1'; 1462.1200000000001 with 2 decimals → '1,462.12'; None → '—'.
    Text that is not a number is shown as it is."""
    x = _number(value)
    if x is None:
        return DASH if missing(value) else str(value)
    if math.isinf(x):
        return DASH
    if round(x, decimals) == 0:
        x = 0.0  # not '-0.0'
    return f"{x:,.{decimals}f}"


def auto(value: Any) -> str:
    """A number of no known field, with decimals by its size: 123456.7 → '123,457',
    1462.12 → '1,462.1', 38.164 → '38.16', 0.23516 → '0.2352'."""
    x = _number(value)
    if x is None or math.isinf(x):
        return num(value)
    size = abs(x)
    return num(x, 0 if size >= 1e4 else 1 if size >= 100 else 2 if size >= 0.1 or not x else 4)


def cell(value: Any) -> str:
    """A table cell of any type: 是/否, counts, numbers by size, times to the minute."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        return auto(value)
    if isinstance(value, dt.date):
        return minute(value)
    return "" if missing(value) else str(value)


def count(value: Any) -> str:
    """职工 31.0 → '31'; 12345 → '12,345'."""
    return num(value, 0)


def pct(value: Any, decimals: int = 1) -> str:
    """A share as a percentage: 0.2346938775510204 → '23.5%'."""
    x = _number(value)
    return DASH if x is None else num(x * 100, decimals) + "%"


def money(value: Any, decimals: int = 1, yi: bool = True) -> str:
    """万元 with its unit: 9876.54 → '9,876.5 万元'; from 1 亿元 on (when `yi`),
    367501.1 → '36.75 亿元'."""
    x = _number(value)
    if x is None:
        return num(value)
    if yi and abs(x) >= YI:
        return f"{num(x / YI, 2)} 亿元"
    return f"{num(x, decimals)} 万元"


def fig(value: Any, field: str) -> str:
    """A figure by its field's rule (FIELDS): decimals, a share as a percentage."""
    f = FIELDS.get(field)
    if f is None:
        return num(value)
    return pct(value, f.decimals) if f.unit == "%" else num(value, f.decimals)


def excel_format(
    field: str | None = None, decimals: int | None = None, share: bool = False
) -> str | None:
    """The Excel number format of a field, by the same rule as `fig` ('#,##0.0', '0.0%'), or
    of `decimals` (a share: as a percentage); None for neither."""
    f = FIELDS.get(field or "")
    if f is not None:
        decimals, share = f.decimals, f.unit == "%"
    if decimals is None:
        return None
    places = "." + "0" * decimals if decimals else ""
    return f"0{places}%" if share else f"#,##0{places}"


IDENTITY = {"uscc": "统一社会信用代码", "name": "企业名称", "region_code": "所在地区",
            "industry_code": "行业代码", "park_code": "园区", "year": "年度"}  # fmt: skip


def field_label(field: str) -> str:
    f = FIELDS.get(field)
    return f.label if f else IDENTITY.get(field, field)


def field_unit(field: str) -> str:
    f = FIELDS.get(field)
    return f.unit if f else ""


BEIJING = dt.timezone(dt.timedelta(hours=8), "北京时间")  # China keeps no daylight saving


def minute(value: Any) -> str:
    """A time to the minute in Beijing time ('2026-12-01 13:33'), not to the microsecond; the
    warehouse keeps times in UTC without a zone (ISO text too)."""
    if isinstance(value, str) and len(value) >= 16 and value[4] == "-" and value[10] in "T ":
        try:
            value = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        zoned = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return zoned.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return DASH if missing(value) else str(value)


def written(value: Any) -> str:
    """A plan's figure as written ('5269', '>6000', '8%'): a bare number gets its thousands
    separators ('5,269'), anything else is shown as written."""
    text = DASH if missing(value) else str(value).strip()
    try:
        number = float(text.replace(",", ""))
    except ValueError:
        return text
    decimals = len(text.split(".")[1]) if "." in text else 0
    return f"{number:,.{decimals}f}"


def yes_no(value: Any) -> str:
    """True → 是, False → 否, None → —."""
    return DASH if missing(value) else ("是" if value else "否")


def short_hash(value: Any, length: int = 12) -> str:
    """A SHA-256 cut to its first 12 characters (enough to compare two)."""
    return DASH if missing(value) else str(value)[:length]
