"""Betweenness on the chain network: suppliers → buyers, one edge per pair that traded in the
year (amounts are not distances, so unweighted), computed with rustworkx (Brandes' algorithm,
in parallel). A supplier's betweenness measures how many shortest supply paths run through it."""

from __future__ import annotations

import polars as pl
import rustworkx as rx


def betweenness(pairs: pl.DataFrame) -> pl.DataFrame:
    """`pairs` (supplier, buyer_uscc): each node's normalised directed betweenness."""
    nodes = pl.concat([pairs["supplier"], pairs["buyer_uscc"]]).unique().sort()
    index = {key: i for i, key in enumerate(nodes.to_list())}
    graph = rx.PyDiGraph(multigraph=False)
    graph.add_nodes_from(nodes.to_list())
    graph.extend_from_edge_list(
        [(index[s], index[b]) for s, b in pairs.select("supplier", "buyer_uscc").iter_rows()]
    )
    found = rx.digraph_betweenness_centrality(graph, normalized=True)
    values = [found[i] for i in range(len(nodes))]
    return pl.DataFrame({"supplier": nodes, "betweenness": values})
