"""Columns placed by meaning: each header scored against every field's vocabulary, with a
confidence and how it was placed; uncertain and ambiguous columns are never guessed.

A header matches a field exactly (its vocabulary or a saved mapping), or contains a known name
with nothing but filler around it ('实缴税款合计' → 实缴税款), or resembles one (a similarity
score). The values under the column confirm or weaken the match (a number field's column holds
numbers). Columns of another year, rates and plans are left out with their reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from industry_brain.ingest.scoring import CODEISH, fits_values, score
from industry_brain.ingest.spec import SourceSpec
from industry_brain.ingest.vocabulary import Part, normalise
from industry_brain.reference.pollutants import Pollutant, find_pollutant

PLACE = 0.85  # at or above: placed; below, down to CANDIDATE: reported with its candidates
CANDIDATE = 0.6
HINT = 0.3  # weaker candidates are still named when a required column is missing
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
    named = next((p for p in reversed(parts) if p.key), None)
    keys = [named.key, *([named.bare] if named.bare else [])] if named else [""]
    found = None
    if any(f.wide == "pollutant" for f in spec.fields):
        found, amount = _pollutant(parts)
        keys = [amount] if amount else keys
    out: list[Placed] = []
    text = "".join(normalise(p.text) for p in parts)
    for f in spec.fields:
        if f.type == "number" and any(p.excluded for p in parts):
            continue
        if any(w in text for w in f.exclude):  # '用电量（峰）' is not the year's 用电量
            continue
        best = max((score(k, f) for k in keys), default=(0.0, ""))
        s, how = best
        if s < SURE:  # the values confirm a loose match
            s *= fits_values(f, values)
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
        elif (better := _by_values(spec, taken, p, values)) is not None:
            placed[(p.field, p.part)] = better  # the column holding 统一社会信用代码s
            other = p if better is taken else taken
            unplaced.append(Unplaced(other.col, "second", ((other.field, other.confidence),)))
        elif _clash(spec, taken, p, values):
            clashes.append((taken.col, p.col, p.field))
        else:
            unplaced.append(Unplaced(p.col, "second", ((p.field, p.confidence),)))
    if "uscc" in spec.field_names and not any(f == "uscc" for f, _ in placed):
        _place_codes_by_values(values, placed, unplaced)
    _place_month_total(columns, placed, unplaced)
    return sorted(placed.values(), key=lambda p: p.col), unplaced, clashes


def _by_values(spec: SourceSpec, a: Placed, b: Placed, values: list[list[str]]) -> Placed | None:
    """Of two columns named like the enterprise code (纳税人识别号 and 社会信用代码), the one
    whose values are 统一社会信用代码s — the other may hold old 15-digit tax numbers."""
    if spec.field(a.field).type != "uscc":
        return None
    fa, fb = (fits_values(spec.field(a.field), values[x.col]) for x in (a, b))
    return None if fa == fb else (a if fa > fb else b)


def _clash(spec: SourceSpec, a: Placed, b: Placed, values: list[list[str]]) -> bool:
    """Two columns equally sure of a figure or of the enterprise's code, with other values: a
    person must say which is meant. For a name or an account number the better-named one serves."""
    sure = min(a.confidence, b.confidence) >= SURE and values[a.col] != values[b.col]
    return sure and spec.field(a.field).type in ("number", "uscc")


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
        if sum(bool(CODEISH.match(v)) for v in vals) >= 0.8 * len(vals):
            placed[("uscc", None)] = Placed(col, "uscc", 0.9, "values")
            unplaced[:] = [u for u in unplaced if u.col != col]
            return
