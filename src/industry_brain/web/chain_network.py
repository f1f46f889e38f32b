"""A chain's supply network as the chain map draws it (ECharts `graph`): the purchases of the
chain's enterprises in the user's scope in the run's year (the engine's `purchases`, all input
classes added up per supplier and buyer) — one link per supplier and buyer, weighted by the
amount in 万元. Only `CAP` enterprises are drawn: the ends of the largest links, taken in order
of amount until there are `CAP`, with every link among them; the largest links are listed as a
table too (for screen readers and print). A node is coloured by its segment (the first of the
chain's segments it is in) or, for a supplier outside the chain, by where it is: the city, the
rest of the province, outside it."""

from __future__ import annotations

import math
from typing import Any

import polars as pl
import rustworkx as rx

from industry_brain.engines.chains.purchases import ABROAD, purchases
from industry_brain.reference.regions import in_region
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.web.cache import may_lag
from industry_brain.web.chain_queries import members_of, of_run, run_year, spec_of, tables_of
from industry_brain.web.scope import Scope

CAP = 120  # nodes drawn
TOP_LINKS = 30  # links listed in the table under the graph
OUTSIDE = ("市内链外企业", "省内市外企业", "省外及境外企业", "地区不明")


def _place(region: str | None, city: str, province: str) -> str:
    """Where a supplier outside the chain lies (one of OUTSIDE)."""
    if not region:
        return OUTSIDE[3]
    if region != ABROAD and in_region(region, city):
        return OUTSIDE[0]
    if region != ABROAD and in_region(region, province):
        return OUTSIDE[1]
    return OUTSIDE[2]


def _size(value: float, largest: float) -> float:
    return round(8 + 32 * math.sqrt(max(value, 0.0) / largest), 1) if largest > 0 else 8.0


def _layout(count: int, edges: list[tuple[int, int]]) -> list[tuple[float, float]]:
    """Where each node is drawn: a force-directed layout (Fruchterman-Reingold, rustworkx),
    seeded, so that the same network is always drawn the same way. The separate groups of
    suppliers and buyers are each tied to a hidden centre, so that they gather round it instead
    of drifting to the edges; the page scales the drawing to its box."""
    graph = rx.PyGraph()
    graph.add_nodes_from(range(count + 1))
    graph.add_edges_from_no_data(edges)
    for group in rx.connected_components(graph):
        if count not in group:
            graph.add_edge(count, min(group), None)  # its largest enterprise (nodes by size)
    found = rx.spring_layout(graph, seed=7, num_iter=300)
    return [(round(found[i][0] * 1000, 1), round(found[i][1] * 1000, 1)) for i in range(count)]


@may_lag
def network(
    con: Warehouse, run_id: int, chain_id: str, scope: Scope, cap: int = CAP
) -> dict[str, Any]:
    spec, year = spec_of(con, run_id), run_year(con, run_id)
    chain = next(c for c in spec.chains if c.id == chain_id)
    order = {s.id: i for i, s in enumerate(chain.segments)}
    names = [s.name for s in chain.segments]
    everyone = members_of(con, spec, chain_id).to_polars()
    first = (
        everyone.with_columns(pl.col("segment_id").replace_strict(order).alias("at"))
        .sort("at", "uscc")
        .unique("uscc", keep="first")
    )
    segment_of = dict(zip(first["uscc"], first["at"], strict=True))
    buyers = first.filter(scope.inside("region_code"))
    p = purchases(tables_of(con), spec, year)
    p = p.filter(p.buyer_uscc.isin(buyers["uscc"].to_list()) if buyers.height else p.amount < 0)
    links = p.group_by("supplier", "buyer_uscc").aggregate(
        amount=p.amount.sum(), supplier_name=p.supplier_name.min(),
        supplier_region=p.supplier_region.max(),
    ).to_polars()  # fmt: skip
    sup = of_run(con, "chain_supplier", run_id)
    critical = set(sup.filter(sup.critical).supplier.to_pyarrow().to_pylist())
    nodes: dict[str, dict[str, Any]] = {}

    def node(key: str, name: str, category: int, inside: bool) -> dict[str, Any]:
        found = nodes.setdefault(key, {"key": key, "name": name, "category": category})
        found.setdefault("bought", 0.0)
        found.setdefault("sold", 0.0)
        found["href"] = f"/enterprise/{key}" if inside else found.get("href")
        return found

    in_scope = set(buyers["uscc"].to_list())
    buyer_names = dict(zip(buyers["uscc"], buyers["name"], strict=True))
    for r in links.iter_rows(named=True):
        place = _place(r["supplier_region"], spec.region, spec.province)
        category = segment_of.get(r["supplier"], len(names) + OUTSIDE.index(place))
        node(r["supplier"], r["supplier_name"], category, r["supplier"] in in_scope)
        nodes[r["supplier"]]["sold"] += r["amount"]
        b = r["buyer_uscc"]
        node(b, buyer_names[b], segment_of[b], True)["bought"] += r["amount"]
    by_amount = links.sort(["amount", "supplier", "buyer_uscc"], descending=[True, False, False])
    chosen: dict[str, None] = {}  # the ends of the largest links, until `cap` are chosen
    for s, b in by_amount.select("supplier", "buyer_uscc").iter_rows():
        new = [k for k in (s, b) if k not in chosen]
        if len(chosen) + len(new) > cap:
            break
        chosen |= dict.fromkeys(new)
    kept = sorted((nodes[k] for k in chosen), key=lambda n: (-(n["bought"] + n["sold"]), n["key"]))
    index = {n["key"]: i for i, n in enumerate(kept)}
    largest = max((n["bought"] + n["sold"] for n in kept), default=0.0)
    shown = by_amount.filter(
        pl.col("supplier").is_in(list(index)) & pl.col("buyer_uscc").is_in(list(index))
    )
    edges_at = [(index[s], index[b]) for s, b in shown.select("supplier", "buyer_uscc").iter_rows()]
    places = _layout(len(kept), edges_at)
    drawn = [
        {
            "x": places[i][0],
            "y": places[i][1],
            "id": str(i),
            "name": n["name"],
            "category": n["category"],
            "href": n["href"],
            "bought": n["bought"],
            "sold": n["sold"],
            "critical": n["key"] in critical,
            "symbolSize": _size(n["bought"] + n["sold"], largest),
        }
        for i, n in enumerate(kept)
    ]
    edges = [
        {"source": str(index[r["supplier"]]), "target": str(index[r["buyer_uscc"]])}
        | {"value": r["amount"]}
        for r in shown.iter_rows(named=True)
    ]
    top = [
        {"supplier": kept[int(e["source"])]["name"], "buyer": kept[int(e["target"])]["name"]}
        | {"amount": e["value"], "critical": drawn[int(e["source"])]["critical"]}
        | {"supplier_category": drawn[int(e["source"])]["category"]}
        for e in edges[:TOP_LINKS]
    ]
    return {
        "nodes": drawn, "links": edges, "categories": [*names, *OUTSIDE], "top": top,
        "total_nodes": len(nodes), "total_links": links.height, "year": year,
    }  # fmt: skip
