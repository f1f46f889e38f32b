"""What a header cell says, read the way an analyst reads it.

A department's header text carries more than a name: a unit ('（千元）', '单位：元'), a period
('本年', '上年同期', '1-12月'), a price basis ('现价', '可比价'), a month ('2023年01月') or a
pollutant ('化学需氧量'). `read_part` takes one header cell apart into those pieces; the name
that is left (`key`) is what placement matches against a field's vocabulary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from industry_brain.units import UNITS

# Periods: a column of this year, or of another one (never read as this year's figure).
CURRENT = (
    "本年累计",
    "本年实际",
    "本年",
    "本期",
    "当年",
    "全年合计",
    "年度合计",
    "全年",
    "合计",
    "总计",
)
PREVIOUS = ("上年同期", "去年同期", "上年累计", "上年", "去年", "上期", "同期")
# Words that make a number column something else than the figure (a rate, a change, a plan).
NOT_A_FIGURE = (
    "增速", "增长", "同比", "环比", "增减", "比重", "占比", "百分比", "%", "率", "计划", "目标",
    "预计", "预测", "可比价", "不变价", "许可", "浓度", "限值", "标准值", "指数", "排名", "名次",
)  # fmt: skip
# Qualifiers that leave the figure as it is ('工业总产值（当年价格）' is 工业总产值).
NEUTRAL = ("当年价格", "当年价", "现行价格", "现价", "含税", "合计", "总计", "总额", "累计")
_MONTH_NAMES = "一二三四五六七八九十"
_CN_MONTHS = {
    **{f"{c}月": i + 1 for i, c in enumerate(_MONTH_NAMES)},
    "十一月": 11,
    "十二月": 12,
}
_PREFIX = re.compile(
    r"^(?:[#△▲*※☆★]+|\d{1,2}[.、．)）]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]{1,2}[)）]|其中[:：]?)+"
)
_BRACKET = re.compile(r"[(\[【〔{]([^()\[\]【】〔〕{}]*)[)\]】〕}]")
_UNIT_LABEL = re.compile(r"^(?:计量)?(?:金额|面积|数量|能耗|电量)?单位[:：]?")
_MONTH = re.compile(r"^(?:(?P<y>(?:19|20)\d{2})(?:年|[-./_])?)?(?P<m>0?[1-9]|1[0-2])(?:月份?|月)$")
_YM = re.compile(r"^(?P<y>(?:19|20)\d{2})[-./_]?(?P<m>0[1-9]|1[0-2])$")
_SPAN = re.compile(r"^(?:(?P<y>(?:19|20)\d{2})年)?1[-~至—]1?\d月(?:份)?(?:累计)?")
_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})年?度?$")


CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"  # control characters but tab and line ends
_CONTROL = re.compile(CONTROL)


def without_controls(text: str) -> str:
    """The text without control characters (a NUL an exporter left, which PostgreSQL cannot
    store and nobody can see): cells, headers and mappings are read so on every backend."""
    return _CONTROL.sub("", text)


def normalise(text: str) -> str:
    """NFKC (full width → half width), no whitespace or control characters, Latin lower case,
    unify brackets."""
    text = unicodedata.normalize("NFKC", without_controls(str(text)))
    text = text.translate(str.maketrans("【】〔〕［］", "[][][]"))
    return re.sub(r"\s+", "", text).lower()


def unit_of(text: str) -> str | None:
    """The unit a text names, alone or after '单位：' (e.g. '万元', '单位:千元', '(kwh)')."""
    t = _UNIT_LABEL.sub("", normalise(text).strip("()[]:：/"))
    return t if t in UNITS else None


@dataclass(frozen=True, slots=True)
class Part:
    """One header cell read apart."""

    text: str  # as written
    key: str  # the name left for matching ('' when the cell held only a unit or a period)
    unit: str | None = None
    period: str | None = None  # 'current' or 'previous'
    year: int | None = None  # a year the cell names ('2023年', '2023年01月')
    month: int | None = None
    excluded: str | None = None  # the word that makes the column not a figure ('增速')
    bare: str = ""  # the name without bracketed notes ('统一社会信用代码（或组织机构代码）')


def _period_of(word: str) -> str | None:
    if any(word == p or word.startswith(p) for p in PREVIOUS):
        return "previous"
    if any(word == c or word.startswith(c) for c in CURRENT) or re.fullmatch(r"1-1?\d月", word):
        return "current"
    return None


def _month_of(key: str) -> tuple[int | None, int | None]:
    key = key.removesuffix("份")
    if key in _CN_MONTHS:
        return None, _CN_MONTHS[key]
    m = _MONTH.match(key) or _YM.match(key)
    if m and (key.endswith("月") or m.group("y")):
        return (int(m.group("y")) if m.group("y") else None), int(m.group("m"))
    return None, None


_MONTH_WORD = re.compile(
    r"^(?P<m>(?:(?:19|20)\d{2}年)?(?:0?[1-9]|1[0-2])月份?|[一二三四五六七八九十]{1,3}月份?)(?P<rest>.+)$"
    r"|^(?P<rest2>.+?)(?P<m2>(?:0?[1-9]|1[0-2])月份?|[一二三四五六七八九十]{1,3}月份?)$"
)


def _month_and_name(key: str) -> tuple[int | None, int | None, str]:
    """'1月用电量' or '用电量1月' → (year, month, '用电量'); (None, None, key) otherwise."""
    m = _MONTH_WORD.match(key)
    if m is None:
        return None, None, key
    first = m.group("m") is not None
    month, rest = (m.group("m"), m.group("rest")) if first else (m.group("m2"), m.group("rest2"))
    year, number = _month_of(month)
    if number is None or _month_of(rest)[1] is not None:
        return None, None, key
    return year, number, rest


@lru_cache(maxsize=4096)
def read_part(text: str) -> Part:
    """Take a header cell apart: unit, period, year, month, exclusion, and the name left."""
    key = normalise(text)
    unit: str | None = None
    period: str | None = None
    for inner in _BRACKET.findall(key):  # brackets: units, periods, price bases, notes
        if (u := unit_of(inner)) is not None:
            unit = unit or u
        elif (p := _period_of(inner)) is not None:
            period = period or p
        elif inner not in NEUTRAL and not any(w in inner for w in NOT_A_FIGURE):
            continue  # '（以N计）', '（CODcr）': part of the name
        key = key.replace(f"({inner})", "").replace(f"[{inner}]", "")
    if "/" in key and (u := unit_of(key.rsplit("/", 1)[1])):  # '用电量/千瓦时'
        unit, key = unit or u, key.rsplit("/", 1)[0]
    if (u := unit_of(key)) is not None:
        return Part(text, "", unit=u)
    key = _PREFIX.sub("", key).rstrip(":：")
    if (span := _SPAN.match(key)) is not None:  # '1-12月', '1-12月累计用电量': the year so far
        period, key = "current", key[span.end() :]
        named = int(span.group("y")) if span.group("y") else None
        if not key:
            return Part(text, "", unit, period, named)
    year, month = _month_of(key)
    if month is not None:
        return Part(text, "", unit, period, year, month)
    year, month, rest = _month_and_name(key)
    if month is not None:  # '1月用电量': a month of a named field
        return Part(text, rest, unit, period, year, month)
    if (y := _YEAR.match(key)) is not None:
        return Part(text, "", unit, period, int(y.group("y")))
    if (p := _period_of(key)) is not None and len(key) <= 6:
        return Part(text, "", unit, p)
    if key in NEUTRAL:  # '现价' under '工业总产值'
        return Part(text, "", unit, "current")
    for word in PREVIOUS:  # '上年同期营业收入'
        if key.startswith(word):
            period, key = "previous", key[len(word) :]
    for word in CURRENT[:4]:  # '本年营业收入'
        if key.startswith(word) and len(key) > len(word) + 1:
            period, key = period or "current", key[len(word) :]
    excluded = next((w for w in NOT_A_FIGURE if w in normalise(text)), None)
    bare = re.sub(r"[(\[][^()\[\]]*[)\]]", "", key)
    return Part(text, key, unit, period, excluded=excluded, bare=bare if bare != key else "")


def is_unit_cell(text: str) -> bool:
    """A cell of a per-column units row ('万元', '人', '吨标准煤', '计量单位')."""
    t = normalise(text)
    return unit_of(t) is not None or t in ("计量单位", "单位")


def sheet_units(text: str) -> dict[str, str]:
    """Units a title or note declares for the whole sheet, by dimension:
    '单位：万元、人、吨标准煤' → {money: 万元, count: 人, energy: 吨标准煤}; '金额单位：元'."""
    t = normalise(text)
    found: dict[str, str] = {}
    for m in re.finditer("单位", t):
        for piece in re.split(r"[、/,，;；()]", t[m.end() :].lstrip(":：")):
            if piece not in UNITS:
                break
            found.setdefault(UNITS[piece].dimension, piece)
    return found
