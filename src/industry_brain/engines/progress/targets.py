"""Targets as the plans write them ("170", "1/3左右", "110以上", "年均10", "[15]", ...) → `Target`.

Kinds (GLOSSARY.md, METHODS.md §2): level, at_least, at_most, approx, annual_growth, cumulative,
assigned, rank, qualitative. Numbers are returned in the indicator's unit: a fraction of a
percentage ("1/3左右" with unit %) becomes 33.33…, a multiplier in the text ("1万亿元" with unit
亿元) is converted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from industry_brain.errors import BrainError

Kind = Literal[
    "level",
    "at_least",
    "at_most",
    "approx",
    "annual_growth",
    "cumulative",
    "assigned",
    "rank",
    "qualitative",
]
Bound = Literal["exact", "at_least", "at_most", "approx"]
ASSESSABLE: tuple[Kind, ...] = (
    "level",
    "at_least",
    "at_most",
    "approx",
    "annual_growth",
    "cumulative",
)

MULTIPLIERS = {"万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "亿": 1e8, "千万": 1e7, "万": 1e4}
NUMBER = re.compile(r"(-?\d+(?:\.\d+)?)(?:/(\d+(?:\.\d+)?))?\s*(万亿|千亿|百亿|亿|千万|万)?")
AT_LEAST = ("以上", "及以上", "超过", "突破", "不低于", "不少于", "大于", ">", "≥", "≧")
AT_MOST = ("以下", "以内", "不超过", "不高于", "低于", "控制在", "<", "≤", "≦")
APPROX = ("左右", "约")
RANK = re.compile(r"排名|方阵|前列|前\d|第[一二三]|领先|首位")
FULL = str.maketrans("０１２３４５６７８９．％／（）［］【】＞＜", "0123456789.%/()[][]><")


class TargetError(BrainError, ValueError):
    """A target text that cannot be read the way its indicator needs."""

    code, title, status = "target_unreadable", "规划目标无法读取", 422


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    kind: Kind
    value: float | None = None
    bound: Bound = "exact"  # for annual_growth and cumulative: how the figure binds
    stretch: float | None = None  # 力争 figure, reported beside the target
    per_year: bool = False  # "每年150项以上": the figure applies to every year
    from_zero: bool = False  # "新增1500家": counted from zero at the base year
    note: str = ""  # why the kind is not assessable, or what the parser assumed

    @property
    def assessable(self) -> bool:
        return self.kind in ASSESSABLE


def _unit_factor(unit: str) -> float:
    """How many base units one unit is ("亿元" → 1e8, "万元/亩" → 1e4, "%" → 1)."""
    for prefix, factor in MULTIPLIERS.items():
        if unit.startswith(prefix):
            return factor
    return 1.0


def _number(match: re.Match[str], unit: str) -> float:
    value = float(match.group(1))
    if match.group(2):
        value /= float(match.group(2))
        if unit.strip() == "%":
            value *= 100
    if match.group(3):
        value *= MULTIPLIERS[match.group(3)] / _unit_factor(unit)
    return round(value, 10)


def _bound(rest: str) -> Bound:
    if any(w in rest for w in AT_LEAST):
        return "at_least"
    if any(w in rest for w in AT_MOST):
        return "at_most"
    if any(w in rest for w in APPROX):
        return "approx"
    return "exact"


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(FULL)).replace("—", "—")


def parse_target(text: str, unit: str = "") -> Target:
    """Parse a target as written; anything without a figure is qualitative, with the reason."""
    raw = text
    text = normalise(text)
    if not text or text in {"—", "-", "/"}:
        return Target(raw, "qualitative", note="无目标值")
    if "下达" in text:
        return Target(raw, "assigned", note="目标值由上级下达，待录入")
    if RANK.search(text):
        return Target(raw, "rank", note="排名目标，需人工判断")
    stretch = None
    if m := re.search(r"\(力争([^)]*)\)", text):
        inner = NUMBER.search(m.group(1))
        stretch = _number(inner, unit) if inner else None
        text = text.replace(m.group(0), "")
    if m := re.fullmatch(r"\[(-?\d+(?:\.\d+)?)\](.*)", text):
        return Target(raw, "cumulative", float(m.group(1)), _bound(m.group(2)), stretch)
    if m := re.search(r"(\d+(?:\.\d+)?)[—\-~～至到](\d+(?:\.\d+)?)", text):
        low, high = float(m.group(1)), float(m.group(2))
        return Target(
            raw, "at_least", low, stretch=high, note=f"区间目标{low:g}—{high:g}，按下限评估"
        )
    match = NUMBER.search(text)
    if match is None:
        return Target(raw, "qualitative", note="定性目标，无量化目标值")
    value = _number(match, unit)
    before, after = text[: match.start()], text[match.end() :]
    bound = _bound(before + after)
    per_year = "每年" in before
    if "年均" in before:
        sign = -1.0 if re.search(r"下降|降低|减少", before) else 1.0
        return Target(raw, "annual_growth", sign * value, bound, stretch, per_year)
    if re.search(r"(增长|提高|下降|降低|减少)$", before) and "%" in after[:1]:
        return Target(raw, "cumulative", value, bound, stretch, note="期内累计变化")
    kind: Kind = "level" if bound == "exact" else bound
    from_zero = bool(re.search(r"新增|累计", before))
    return Target(raw, kind, value, "exact", stretch, per_year, from_zero)


LEVEL_KINDS = ("level", "at_least", "at_most", "approx")


def check_target(text: str | None, unit: str = "") -> Target:
    """A target as an imported plan table writes it, parsed, or a TargetError saying (in
    Chinese) why it cannot be read unambiguously: empty, several figures where one is meant
    (a year written into the target, "8%—10%"), or a percentage against another unit."""
    raw = (text or "").strip()
    if not raw:
        raise TargetError("empty target", message="目标值为空：请填写目标值，无量化目标填“—”")
    target = parse_target(raw, unit)
    if target.kind in ("rank", "assigned", "qualitative"):
        return target
    body = re.sub(r"\(力争[^)]*\)", "", normalise(raw))
    ranged = re.search(r"(\d+(?:\.\d+)?)[—\-~～至到](\d+(?:\.\d+)?)", body)
    figures = NUMBER.findall(body)
    if len(figures) > (2 if ranged else 1):
        found = "、".join(f[0] + (f"/{f[1]}" if f[1] else "") + f[2] for f in figures)
        raise TargetError(
            f"several figures in {raw!r}",
            message=f"目标“{raw}”含多个数值（{found}），无法判断以哪个为准："
            "请只写一个目标值（年份写在表头或目标年份中，力争值写成“（力争…）”）",
        )
    if "%" in body and unit.strip() != "%" and target.kind in LEVEL_KINDS:
        raise TargetError(
            f"percent target {raw!r} with unit {unit!r}",
            message=f"目标“{raw}”是百分数，但单位为“{unit or '空'}”：请将单位改为%，"
            "或写成“年均增长…%”“增长…%”",
        )
    return target
