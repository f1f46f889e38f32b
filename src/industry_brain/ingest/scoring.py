"""How well one header name fits one field: exactly (the field's vocabulary or a saved
mapping), a known name with nothing but filler around it ('实缴税款合计' → 实缴税款,
'所属行政区划' → 行政区划代码), or by similarity; and whether the values under a column fit the
field's type. Placement (placement.py) decides from these scores."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from industry_brain.ingest.spec import Field
from industry_brain.ingest.vocabulary import read_part

_FILLER = re.compile(
    r"(合计|总计|总额|金额|数额|总数|共计|本年|全年|年度|累计|实际|当年价格|当年价|现价|企业|本单位|情况|数|额|值)"
)
_NUMBERISH = re.compile(r"^[-+(（]?[¥￥$]?[\d,，.．\s]+(?:[)）])?[^\d]{0,6}$")
CODEISH = re.compile(r"^[0-9A-Za-z]{15,20}$|^\d(?:\.\d+)?[eE]\+?1[5-9]$")
_USCC = re.compile(r"^[0-9A-Za-z]{18}$")


@dataclass(frozen=True, slots=True)
class _Terms:
    keys: tuple[tuple[str, float, str], ...]  # (key, base score, how)


def _terms(field: Field) -> _Terms:
    return _terms_of(field.saved, (field.title, *field.headers), field.also, field.near)


@lru_cache(maxsize=256)
def _terms_of(
    saved: tuple[str, ...], primary: tuple[str, ...], also: tuple[str, ...], near: tuple[str, ...]
) -> _Terms:
    keys: list[tuple[str, float, str]] = []
    for rank, term in enumerate(saved):
        keys.append((read_part(term).key, 1.0 - 0.001 * rank, "saved"))
    for rank, term in enumerate(primary):
        keys.append((read_part(term).key, 0.999 - 0.001 * rank, "vocabulary"))
    for rank, term in enumerate(also):
        keys.append((read_part(term).key, 0.9 - 0.001 * rank, "vocabulary"))
    keys += [(read_part(term).key, 0.7, "near") for term in near]
    return _Terms(tuple(k for k in keys if k[0]))


_PREFIXES = ("所属", "所在", "企业", "本单位", "详细", "全部", "本年", "年度")
_SUFFIXES = {
    "number": (
        "合计",
        "总计",
        "总额",
        "金额",
        "数额",
        "总数",
        "共计",
        "累计",
        "实际",
        "数",
        "额",
        "值",
    ),
    "code": ("代码", "编码", "编号", "号码", "号", "码"),
    "text": ("名称", "全称"),
    "date": ("日期", "时间"),
}
_KIND = {"uscc": "code", "region": "code", "industry": "code", "park": "code", "year": "date"}


def _filler_only(key: str, term: str) -> str:
    """What is left of a header around a known name once filler words are gone."""
    return _FILLER.sub("", key.replace(term, "", 1))


def core(text: str, field_type: str) -> str:
    """A name without the words around it that change nothing ('所属行政区划代码' → 行政区划)."""
    suffixes = _SUFFIXES.get(_KIND.get(field_type, field_type), ())
    changed = True
    while changed:
        changed = False
        for word in _PREFIXES:
            if text.startswith(word) and len(text) > len(word) + 1:
                text, changed = text[len(word) :], True
        for word in suffixes:
            if text.endswith(word) and len(text) > len(word) + 1:
                text, changed = text[: -len(word)], True
    return text


@lru_cache(maxsize=65536)
def _score(key: str, kind_of: str, exclude: tuple[str, ...], terms: _Terms) -> tuple[float, str]:
    if not key or any(w in key for w in exclude):
        return 0.0, ""
    best, how = 0.0, ""
    mine = core(key, kind_of)
    for term, base, kind in terms.keys:
        if kind == "near":
            near = key == term or core(key, kind_of) == core(term, kind_of)
            if near and best < 0.7:
                best, how = 0.7, "near"
            continue
        if key == term:
            s = base
        elif mine == core(term, kind_of) or (term in key and not _filler_only(key, term)):
            s = base - 0.07
        elif term in key:
            s = 0.55 + 0.3 * len(term) / len(key)
        else:
            s = difflib.SequenceMatcher(None, key, term).ratio() * 0.85
            kind = "similarity"
        if s > best:
            best, how = s, kind if s >= 0.9 or kind == "saved" else "similarity"
    return best, how


def score(key: str, field: Field) -> tuple[float, str]:
    """How well a header's name fits a field: (confidence, how)."""
    kind = "code" if field.name.endswith("_id") else field.type  # 户号, 宗地编号, 排放口编号
    return _score(key, kind, field.exclude, _terms(field))


def fits_values(field: Field, values: list[str]) -> float:
    """A factor from the values under the column: 1 when they fit the field's type."""
    if not values or field.type not in ("number", "uscc", "text"):
        return 1.0
    numeric = sum(bool(_NUMBERISH.match(v)) for v in values) / len(values)
    if field.type == "number":
        return 1.0 if numeric >= 0.5 else 0.6
    if field.type == "uscc":
        codes = sum(bool(CODEISH.match(v)) for v in values)
        if codes * 3 < len(values):
            return 0.7
        return (
            1.0 if sum(bool(_USCC.match(v.replace(" ", ""))) for v in values) * 2 >= codes else 0.8
        )
    return 1.0 if numeric < 0.5 else 0.6
