"""What the header's search finds (issue 14): enterprises by name or 统一社会信用代码, regions
and parks by name or code, indicators (the plan indicators, the 亩均 indicators and the
驾驶舱 map's) by name, each group ranked and cut to its first `PER_GROUP` with its total, and
always within the user's scope. An enterprise user finds nothing.

Speed: enterprises are searched with one parameterised query over the latest year's list
(`position`, no LIKE: `%` and `_` typed by the user are plain characters, and no user text is
ever part of the SQL), about 15–35 ms at 20,000 enterprises; regions and indicators are a few
hundred rows matched in Python."""

from __future__ import annotations

import unicodedata
from typing import Any

from industry_brain.engines.permu.indicators import INDICATORS
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.engines.progress.formulas import FORMULAS
from industry_brain.formats import field_label, field_unit
from industry_brain.reference.regions import region_prefix
from industry_brain.warehouse import fetch
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web import queries
from industry_brain.web.cache import may_lag
from industry_brain.web.dashboard import MAP_FORMULAS
from industry_brain.web.scope import Scope

MAX_LENGTH = 50  # characters of a query; the rest is cut (and the page says so)
MAX_TERMS = 4  # words of a query that must all match; more are ignored
PER_GROUP = 20
HOME_PLANS = ("taizhou-14th-fyp", "zhejiang-14th-fyp")  # the plans with a monitoring page
LEVELS = {"province": "省", "city": "市", "county": "区县", "park": "园区"}
LEVEL_ORDER = {"province": 0, "city": 1, "county": 2, "park": 3}

Group = dict[str, Any]  # {"total": int, "rows": [...]}


def clean(raw: str | None) -> tuple[str, bool]:
    """The query as searched: spaces of any kind made one, control and format characters (NUL,
    escapes, zero-width spaces) dropped, at most `MAX_LENGTH` characters; and whether it was
    cut."""
    kept = (" " if c.isspace() else c for c in raw or "")
    text = " ".join("".join(c for c in kept if unicodedata.category(c)[0] != "C").split())
    return text[:MAX_LENGTH].strip(), len(text) > MAX_LENGTH


def terms(q: str) -> list[str]:
    """The words that must all match (lower case)."""
    return [t.lower() for t in q.split()][:MAX_TERMS]


def marked(text: str, q: str) -> list[tuple[str, bool]]:
    """`text` in pieces, the first match of any of `q`'s words marked (for <mark>)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a case mapping that changes length: shown unmarked
        return [(text, False)]
    for term in terms(q):
        at = lowered.find(term)
        if at >= 0:
            pieces = [(text[:at], False), (text[at : at + len(term)], True)]
            return [p for p in [*pieces, (text[at + len(term) :], False)] if p[0]]
    return [(text, False)]


def _scope_sql(scope: Scope) -> tuple[str, list[Any]]:
    prefix = region_prefix(scope.region_code)
    return "substr(e.region_code, 1, ?) = ?", [len(prefix), prefix]


@may_lag
def find_enterprises(con: Warehouse, scope: Scope, q: str, year: int) -> Group:
    """Enterprises of the year's list in scope whose name or code contains every word of `q`
    (any case): an exact code first, then codes and names beginning with `q`, then the rest;
    within each, the larger (the year's 营业收入) first."""
    words = terms(q)
    if scope.is_enterprise or not words:
        return {"total": 0, "rows": []}
    where, params = _scope_sql(scope)
    for word in words:
        where += " AND (position(? IN lower(e.name)) > 0 OR position(? IN e.uscc) > 0)"
        params += [word, word.upper()]
    whole = q.lower()
    sql = (
        "SELECT e.uscc, e.name, e.region_code, e.park_code, e.industry_code, "
        "count(*) OVER () AS total, "
        "CASE WHEN e.uscc = ? THEN 0 WHEN position(? IN e.uscc) = 1 THEN 1 "
        "WHEN lower(e.name) = ? THEN 1 WHEN position(? IN lower(e.name)) = 1 THEN 2 "
        "ELSE 3 END AS hit "
        "FROM enterprise e JOIN enterprise_year y ON y.uscc = e.uscc AND y.year = ? "
        "WHERE " + where + " "
        "ORDER BY hit, y.revenue DESC NULLS LAST, e.name, e.uscc LIMIT ?"
    )  # fmt: skip
    head = [whole.upper(), whole.upper(), whole, whole, year]
    rows = fetch(con, sql, [*head, *params, PER_GROUP])
    total = int(rows[0]["total"]) if rows else 0
    return {"total": total, "rows": [_drop(r, "total", "hit") for r in rows]}


def _drop(row: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in keys}


@may_lag
def find_regions(con: Warehouse, scope: Scope, q: str) -> Group:
    """Regions and parks in scope whose name contains every word of `q`, or whose code begins
    with it: exact names first, then names beginning with it, larger regions first."""
    words = terms(q)
    if scope.is_enterprise or not words:
        return {"total": 0, "rows": []}
    rows = fetch(con, "SELECT code, name, level, parent_code FROM region", [])
    names = {r["code"]: r["name"] for r in rows}
    found = []
    for r in rows:
        name = str(r["name"] or "")
        ok = all(w in name.lower() or str(r["code"]).startswith(w) for w in words)
        if ok and scope.allows_region(str(r["code"])):
            hit = 0 if name == q or r["code"] == q else (1 if name.startswith(q) else 2)
            order = (hit, LEVEL_ORDER.get(r["level"], 9), r["code"])
            parent = names.get(r["parent_code"] or "", "")
            level = LEVELS.get(r["level"], "")
            row = {"code": r["code"], "name": name, "parent": parent, "level": level}
            found.append((order, row))
    found.sort(key=lambda pair: pair[0])
    return {"total": len(found), "rows": [row for _, row in found[:PER_GROUP]]}


def _fold(text: str) -> str:
    """Text compared for indicators: full-width letters as half-width (Ｒ＆Ｄ → r&d), lower
    case, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _in_order(term: str, text: str) -> bool:
    """Every character of `term` appears in `text` in order (研发投入强度 in 研发经费投入强度)."""
    rest = iter(text)
    return all(ch in rest for ch in term)


def _map_link(key: str) -> tuple[str, str]:
    return ("驾驶舱地图", f"/?indicator={key}#map")


def _entry(
    name: str, unit: str, where: str, links: list[tuple[str, str]], key: str
) -> dict[str, Any]:
    """An indicator found: its name and unit, where it is shown, the pages showing it, and the
    驾驶舱 map's name for it (`key` a map formula) as a second name it is found by."""
    alias = MAP_FORMULAS.get(key, "")
    return {"name": name, "unit": unit, "where": where, "links": links, "alias": alias}


def indicator_catalog(scope: Scope, run_id: int | None) -> list[dict[str, Any]]:
    """The indicators a user may open: the 亩均 indicators (on the 驾驶舱 map when it shows
    them, else on the latest 亩均 run), the map's other indicators, and the indicators of
    the plans whose monitoring page the user may open."""
    out: list[dict[str, Any]] = []
    run = ("亩均评价", f"/runs/{run_id}") if run_id else ("亩均评价", "/runs")
    for key in INDICATORS:
        links = [_map_link(key)] if key in MAP_FORMULAS else [run]
        out.append(_entry(field_label(key), field_unit(key), "亩均效益评价指标", links, key))
    for key, title in MAP_FORMULAS.items():
        if key not in INDICATORS:
            unit = FORMULAS[key].unit if key in FORMULAS else ""
            out.append(_entry(title, unit, "驾驶舱地图指标", [_map_link(key)], ""))
    for name in HOME_PLANS:
        plan = load_plan(name)
        if not scope.allows_region(plan.region_code):
            continue
        for i in plan.indicators:
            links = [("规划监测", f"/monitoring/{plan.plan}#{i.id}")]
            formula = i.formula.id if i.formula else ""
            if formula in MAP_FORMULAS:
                links.append(_map_link(formula))
            out.append(_entry(i.name, i.unit.strip(), plan.title, links, formula))
    return out


@may_lag
def find_indicators(con: Warehouse, scope: Scope, q: str) -> Group:
    """Indicators whose name (or the map's shorter name for it) contains every word of `q`,
    or failing that has its characters in order: exact names first, then shorter names."""
    words = [_fold(w) for w in terms(q)]
    if scope.is_enterprise or not words:
        return {"total": 0, "rows": []}
    run = queries.latest_run(con, scope)
    whole = _fold(q)
    found = []
    for i in indicator_catalog(scope, run["run_id"] if run else None):
        texts = [_fold(i["name"]), _fold(i["alias"])]
        if all(any(w in t for t in texts) for w in words):
            hit = 0 if whole in texts else 1
        elif all(len(w) >= 2 and any(_in_order(w, t) for t in texts) for w in words):
            hit = 2
        else:
            continue
        found.append(((hit, len(i["name"])), _drop(i, "alias")))
    found.sort(key=lambda pair: pair[0])
    return {"total": len(found), "rows": [row for _, row in found[:PER_GROUP]]}
