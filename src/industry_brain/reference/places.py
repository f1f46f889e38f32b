"""Where a supplier is: a place anywhere, as a department writes it, made a GB/T 2260 code.

Zhejiang places resolve to their county (or city, or the province) through the Zhejiang tree
(`regions()`); elsewhere in China to the prefecture-level city or the province, the finest level
bundled (`data/china_provinces_cities.csv`: 34 provinces and 334 prefecture-level cities).
'江苏省苏州市' → 320500, '苏州' → 320500, '江苏省苏州市昆山市' → 320500, '宁波市鄞州区' →
330212, '境外' / '进口' / '日本' → `abroad`. A 6-digit code outside Zhejiang is kept as written
when its province exists (its county is not checked: the table stops at cities).
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from importlib import resources

from industry_brain.reference.regions import county_of, regions

ABROAD = "abroad"
_CSV = "data/china_provinces_cities.csv"
# Words that say a supplier is abroad, and the countries departments most often write.
_ABROAD = (
    "境外", "国外", "海外", "进口", "外国", "国际", "日本", "韩国", "美国", "德国", "法国",
    "英国", "意大利", "瑞士", "荷兰", "比利时", "瑞典", "芬兰", "丹麦", "挪威", "奥地利",
    "西班牙", "俄罗斯", "新加坡", "马来西亚", "泰国", "越南", "印度", "印度尼西亚", "澳大利亚",
    "新西兰", "加拿大", "巴西", "墨西哥", "智利", "南非", "以色列", "沙特", "阿联酋",
)  # fmt: skip
_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省",
    "市", "盟",
)  # fmt: skip


def _short(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@functools.cache
def _china() -> tuple[dict[str, str], dict[str, str]]:
    """(code → name, name or short name → code) of the provinces and prefecture-level cities."""
    text = resources.files("industry_brain.reference").joinpath(_CSV).read_text("utf-8")
    names = {r["code"]: r["name"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    by_name: dict[str, str] = {}
    for code, name in sorted(names.items()):
        by_name.setdefault(name, code)
        by_name.setdefault(_short(name), code)
    return names, by_name


def _by_code(text: str) -> str | None:
    digits = county_of(text) if len(text) in (9, 12) else text.ljust(6, "0")
    if digits.startswith("33"):
        return regions().get(digits).code if digits in regions() else None
    names, _ = _china()
    return digits if digits[:2] + "0000" in names else None


def _by_name(text: str) -> str | None:
    """The finest place a name gives: a Zhejiang county, else a city, else a province."""
    found = regions().by_name(text)
    if found is not None:
        return found.code
    _, by_name = _china()
    best, rest = None, text.removeprefix("中国").removeprefix("中华人民共和国")
    while rest:
        for size in range(min(len(rest), 12), 1, -1):  # the longest known name at the start
            code = by_name.get(rest[:size])
            if code is not None and (best is None or code.startswith(best[:2])):
                best, rest = code, rest[size:]
                break
        else:
            break
    if best is not None and best.startswith("33") and best in regions():
        city = regions().by_name(rest) if rest else None
        return city.code if city is not None and city.code.startswith(best[:4]) else best
    return best


def place_code(value: str) -> str | None:
    """A 6-digit GB/T 2260 code, `abroad`, or None when the text names no place."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", value)).removesuffix(".0")
    if not text:
        return None
    if text.isdigit():
        return _by_code(text) if len(text) in (2, 4, 6, 9, 12) else None
    if any(text.startswith(word) or text == word for word in _ABROAD):
        return ABROAD
    return _by_name(text)
