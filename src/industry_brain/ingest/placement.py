"""Columns placed by meaning: each header scored against every field's vocabulary, with a
confidence and how it was placed; uncertain and ambiguous columns are never guessed.

A header matches a field exactly (its vocabulary or a saved mapping), or contains a known name
with nothing but filler around it ('实缴税款合计' → 实缴税款), or resembles one (a similarity
score). The values under the column confirm or weaken the match (a number field's column holds
numbers). Columns of another year, rates and plans are left out with their reason.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from industry_brain.ingest.spec import Field, SourceSpec
from industry_brain.ingest.vocabulary import Part, read_part
from industry_brain.reference.pollutants import Pollutant, find_pollutant

PLACE = 0.85  # at or above: placed; below, down to CANDIDATE: reported with its candidates
CANDIDATE = 0.6
HINT = 0.3  # weaker candidates are still named when a required column is missing
_FILLER = re.compile(
    r"(合计|总计|总额|金额|数额|总数|共计|本年|全年|年度|累计|实际|当年价格|当年价|现价|企业|本单位|情况|数|额|值)"
)
_NUMBERISH = re.compile(r"^[-+(（]?[¥￥$]?[\d,，.．\s]+(?:[)）])?[^\d]{0,6}$")
_CODEISH = re.compile(r"^[0-9A-Za-z]{15,20}$|^\d(?:\.\d+)?[eE]\+?1[5-9]$")
_USCC = re.compile(r"^[0-9A-Za-z]{18}$")
SURE = 0.92  # two columns this sure of one field: a person must say which one is meant


@dataclass(frozen=True, slots=True)
class Placed:
    col: int
    field: str
    confidence: float
    how: str  # vocabulary, similarity, saved, values, month, pollutant
    part: int | str | None = None  # a month (1–12) or a pollutant code


@dataclass(frozen=True, slots=True)
class Unplaced:
    col: int
    reason: str  # unknown, uncertain, previous, excluded, second
    candidates: tuple[tuple[str, float], ...] = ()


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


def _fits_values(field: Field, values: list[str]) -> float:
    """A factor from the values under the column: 1 when they fit the field's type."""
    if not values or field.type not in ("number", "uscc", "text"):
        return 1.0
    numeric = sum(bool(_NUMBERISH.match(v)) for v in values) / len(values)
    if field.type == "number":
        return 1.0 if numeric >= 0.5 else 0.6
    if field.type == "uscc":
        codes = sum(bool(_CODEISH.match(v)) for v in values)
        if codes * 3 < len(values):
            return 0.7
        return (
            1.0 if sum(bool(_USCC.match(v.replace(" ", ""))) for v in values) * 2 >= codes else 0.8
        )
    return 1.0 if numeric < 0.5 else 0.6


def _column_year(parts: tuple[Part, ...], year: int | None) -> str | None:
    years = {p.year for p in parts if p.year is not None}
    if any(p.period == "previous" for p in parts) or (year is not None and years - {year}):
        return "previous"
    return None


def candidates(
    spec: SourceSpec, parts: tuple[Part, ...], values: list[str], year: int | None
) -> tuple[list[Placed], str | None]:
    """Every field a column may be, best first, or the reason it is none."""
    if not parts:
        return [], "unknown"
    if _column_year(parts, year):
        return [], "previous"
    month = next((p.month for p in parts if p.month is not None), None)
    # The cell itself names the column; a parent only when the cell says no more than a period,
    # month, unit or total ('营业收入 › 本年'): under '实缴税金', '增值税' is a part, not the total.
    keys = [next((p.key for p in reversed(parts) if p.key), "")]
    found = None
    if any(f.wide == "pollutant" for f in spec.fields):
        found, amount = _pollutant(parts)
        keys = [amount] if amount else keys
    out: list[Placed] = []
    for f in spec.fields:
        if f.type == "number" and any(p.excluded for p in parts):
            continue
        best = max((score(k, f) for k in keys), default=(0.0, ""))
        s, how = best
        if s < SURE or f.type == "uscc":  # the values confirm a loose match, or a code column
            s *= _fits_values(f, values)
        if month is not None or found is not None:
            wide = "month" if month is not None else "pollutant"
            if f.wide != wide:
                continue
            part = month if month is not None else found.code if found else None
            s, how = (max(s, 0.9), wide) if s < CANDIDATE or s >= PLACE else (s, how)
            out.append(Placed(-1, f.name, round(s, 3), how, part))
        elif s >= HINT:
            out.append(Placed(-1, f.name, round(s, 3), how))
    if not out and any(p.excluded for p in parts):
        return [], "excluded"
    return sorted(out, key=lambda p: -p.confidence), None


_AMOUNT = re.compile(r"(实际排放总量|实际排放量|年排放量|排放总量|排放量|排放)$")


def _pollutant(parts: tuple[Part, ...]) -> tuple[Pollutant | None, str]:
    """The pollutant a column names ('化学需氧量', 'COD', '化学需氧量排放量（吨）'), and the
    amount word written with it ('排放量'), if any."""
    for p in parts:
        if (found := find_pollutant(p.text)) is not None:
            return found, ""
        m = _AMOUNT.search(p.key) if p.key else None
        found = find_pollutant(p.key[: m.start()]) if m and m.start() > 0 else None
        if m and found is not None:
            return found, m.group(1)
    return None, ""


def place(
    spec: SourceSpec,
    columns: list[tuple[Part, ...]],
    values: list[list[str]],
    year: int | None = None,
) -> tuple[list[Placed], list[Unplaced], list[tuple[int, int, str]]]:
    """Placed columns, unplaced ones with their reasons, and clashes (two columns that fit a
    field equally well: (col, col, field))."""
    if year is None:  # columns of several years ('2023年', '2022年'): the latest is this year's
        years = [p.year for parts in columns for p in parts if p.year is not None]
        year = max(years) if years else None
    options: list[Placed] = []
    unplaced: list[Unplaced] = []
    for col, parts in enumerate(columns):
        found, reason = candidates(spec, parts, values[col], year)
        if reason:
            unplaced.append(Unplaced(col, reason))
            continue
        cands = tuple((p.field, p.confidence) for p in found[:3])
        top = found[0] if found else None
        close = top is not None and len(found) > 1 and found[1].confidence >= top.confidence - 0.05
        if top is None or top.confidence < CANDIDATE:
            unplaced.append(Unplaced(col, "unknown", cands))
        elif top.confidence < PLACE or (close and top.confidence < 0.99):
            unplaced.append(Unplaced(col, "uncertain", cands))
        else:
            options.append(Placed(col, top.field, top.confidence, top.how, top.part))
    placed: dict[tuple[str, int | str | None], Placed] = {}
    clashes: list[tuple[int, int, str]] = []
    for p in sorted(options, key=lambda p: (-p.confidence, p.col)):
        taken = placed.get((p.field, p.part))
        if taken is None:
            placed[(p.field, p.part)] = p
        elif min(taken.confidence, p.confidence) >= SURE and values[taken.col] != values[p.col]:
            clashes.append((taken.col, p.col, p.field))
        else:
            unplaced.append(Unplaced(p.col, "second", ((p.field, p.confidence),)))
    if "uscc" in spec.field_names and not any(f == "uscc" for f, _ in placed):
        _place_codes_by_values(values, placed, unplaced)
    _place_month_total(columns, placed, unplaced)
    return sorted(placed.values(), key=lambda p: p.col), unplaced, clashes


def _place_month_total(
    columns: list[tuple[Part, ...]],
    placed: dict[tuple[str, int | str | None], Placed],
    unplaced: list[Unplaced],
) -> None:
    """A '合计' or '全年合计' column beside month columns is their field's yearly figure."""
    monthly = {f for (f, part), p in placed.items() if p.how == "month"}
    if len(monthly) != 1:
        return
    field = monthly.pop()
    for u in list(unplaced):
        parts = columns[u.col]
        total = parts and all(not p.key and p.period == "current" for p in parts)
        if total and (field, None) not in placed:
            placed[(field, None)] = Placed(u.col, field, 0.9, "month total")
            unplaced.remove(u)


def _place_codes_by_values(
    values: list[list[str]], placed: dict[tuple[str, int | str | None], Placed], unplaced: list
) -> None:
    """A column headed only '代码' or '证件号码' whose values are 统一社会信用代码s."""
    taken = {p.col for p in placed.values()}
    for col, vals in enumerate(values):
        if col in taken or not vals:
            continue
        if sum(bool(_CODEISH.match(v)) for v in vals) >= 0.8 * len(vals):
            placed[("uscc", None)] = Placed(col, "uscc", 0.9, "values")
            unplaced[:] = [u for u in unplaced if u.col != col]
            return
