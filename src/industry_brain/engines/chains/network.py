"""Betweenness on the chain network: suppliers → buyers, one edge per pair that traded in the
year (amounts are not distances, so unweighted), computed with rustworkx (Brandes' algorithm,
in parallel). A supplier's betweenness measures how many shortest supply paths run through it."""

from __future__ import annotations

import polars as pl
import rustworkx as rx


def graph(pairs: pl.DataFrame) -> tuple[rx.PyDiGraph, pl.Series]:
    """The network of `pairs` (supplier, buyer_uscc) and its nodes, sorted (node i is
    nodes[i]); a pair given twice is one edge."""
    nodes = pl.concat([pairs["supplier"], pairs["buyer_uscc"]]).unique().sort()
    index = {key: i for i, key in enumerate(nodes.to_list())}
    network = rx.PyDiGraph(multigraph=False)
    network.add_nodes_from(nodes.to_list())
    network.extend_from_edge_list(
        [(index[s], index[b]) for s, b in pairs.select("supplier", "buyer_uscc").iter_rows()]
    )
    return network, nodes


def betweenness(pairs: pl.DataFrame) -> pl.DataFrame:
    """`pairs` (supplier, buyer_uscc): each node's normalised directed betweenness."""
    network, nodes = graph(pairs)
    found = rx.digraph_betweenness_centrality(network, normalized=True)
    values = [found[i] for i in range(len(nodes))]
    return pl.DataFrame({"supplier": nodes, "betweenness": values})
