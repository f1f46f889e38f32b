"""Supply risks planted in a year's purchases, with their truth (truth/chain_risks.parquet).

Into purchases that are clean (trade.py), each year gets, drawn from its own stream, a few dozen
(√scale × 30, at least 4) of each risk of docs/chains.md at its default thresholds, every one on
an input of at least 12 万元 (min_purchase 10):
- `single_source`: one of the buyer's suppliers takes 90–97% of the input;
- `outside_dependence`: 2–3 suppliers outside Zhejiang (abroad too, in the years whose files say
  where a supplier is) take 70–85% of it, none of them 50%;
- `critical_supplier`: one Zhejiang supplier takes 55–75% of the input of 4–6 buyers.
A supplier is dominant (≥ 50%) for the buyers of one planted risk only, so no other flag
arises; each input has at most one risk. The shares in the truth are those of the amounts
written (rounded to 0.01 万元).
"""

from __future__ import annotations

import numpy as np
import polars as pl

MIN_RISK_INPUT = 12.0  # 万元
KINDS = ("single_source", "outside_dependence", "critical_supplier")
TRUTH = {
    "kind": pl.String,
    "year": pl.Int32,
    "buyer_uscc": pl.String,
    "input_class": pl.String,
    "supplier": pl.String,
    "share": pl.Float64,
}
Plan = dict[int, tuple[str, list[tuple[int, float]], int | None]]  # pair → kind, shares, supplier


def _count(scale: float) -> int:
    return max(4, round(30 * scale**0.5))


Input = tuple[int, str, list[int]]  # an input's buyer, class and suppliers


def plan(
    year_rows: pl.DataFrame,
    party: pl.DataFrame,
    rng: np.random.Generator,
    scale: float,
    far_kinds: tuple[str, ...],
) -> Plan:
    """Which inputs get which risk, and the suppliers' new shares of them. `party` has the
    parties' industry_code and kind (local, zhejiang, far, abroad)."""
    totals = year_rows.group_by("pair", maintain_order=True).agg(
        pl.col("amount").sum(), pl.col("buyer").first(), pl.col("product_code").first(), "party"
    )
    eligible = totals.filter(pl.col("amount") >= MIN_RISK_INPUT).sort("pair")
    rows: dict[int, Input] = {
        int(p): (int(b), str(c), [int(x) for x in s]) for p, _, b, c, s in eligible.iter_rows()
    }
    order = [int(p) for p in rng.permutation(eligible["pair"].to_numpy())]
    industry, kind = party["industry_code"].to_numpy(), party["kind"].to_numpy()
    out: Plan = {}
    dominant: set[int] = set()
    n = _count(scale)
    _critical(out, order, rows, industry, kind, dominant, rng, n)
    free = [p for p in order if p not in out]
    for p in free[:n]:
        choices = [s for s in rows[p][2] if s not in dominant]
        if choices:
            s = int(rng.choice(choices))
            dominant.add(s)
            out[p] = ("single_source", [(s, float(rng.uniform(0.9, 0.97)))], s)
    for p in free[n : 2 * n]:
        pool = np.nonzero((industry == rows[p][1]) & np.isin(kind, far_kinds))[0]
        if len(pool) >= 2:
            out[p] = ("outside_dependence", _outside(pool, rng), None)
    return out


def _outside(pool: np.ndarray, rng: np.random.Generator) -> list[tuple[int, float]]:
    """2–3 suppliers outside Zhejiang with 70–85% of an input between them, none 50%."""
    far = rng.choice(pool, min(len(pool), 2 + int(rng.integers(0, 2))), replace=False)
    w = rng.uniform(1.0, 1.3, len(far))
    total = rng.uniform(0.7, 0.85)
    return [(int(s), float(total * x / w.sum())) for s, x in zip(far, w, strict=True)]


def _critical(
    out: Plan,
    order: list[int],
    rows: dict[int, Input],
    industry: np.ndarray,
    kind: np.ndarray,
    dominant: set[int],
    rng: np.random.Generator,
    n: int,
) -> None:
    """n suppliers on which 4–6 buyers of one input class each depend for 55–75% of it."""
    by_class: dict[str, list[int]] = {}
    for p in order:
        by_class.setdefault(rows[p][1], []).append(p)
    classes = [c for c in sorted(by_class) if len(by_class[c]) >= 4]
    for _ in range(n if classes else 0):
        c = classes[int(rng.integers(0, len(classes)))]
        pairs = [p for p in by_class[c] if p not in out][: 4 + int(rng.integers(0, 3))]
        buyers = {rows[p][0] for p in pairs}
        pool = np.nonzero((industry == c) & np.isin(kind, ("local", "zhejiang")))[0]
        free = [int(s) for s in pool if s not in dominant and s not in buyers]
        if len(pairs) < 4 or not free:
            continue
        s = free[int(rng.integers(0, len(free)))]
        dominant.add(s)
        for p in pairs:
            out[p] = ("critical_supplier", [(s, float(rng.uniform(0.55, 0.75)))], s)


def apply(year_rows: pl.DataFrame, risks: Plan) -> pl.DataFrame:
    """The year's purchases with each planted input's suppliers at their new shares: the
    planted suppliers at theirs, the others sharing the rest by weight."""
    if not risks:
        return year_rows.select("pair", "buyer", "product_code", "party", "amount")
    planted = year_rows.filter(pl.col("pair").is_in(list(risks)))
    kept = year_rows.filter(~pl.col("pair").is_in(list(risks)))
    new: list[tuple[int, int, str, int, float]] = []
    for key, g in planted.group_by("pair", maintain_order=True):
        p = int(key[0])
        _, shares, _ = risks[p]
        total, b, c = float(g["amount"].sum()), int(g["buyer"][0]), str(g["product_code"][0])
        mine = {s for s, _ in shares}
        others = g.filter(~pl.col("party").is_in(list(mine)))
        rest = 1.0 - sum(x for _, x in shares)
        weight = others["weight"].to_numpy()
        parts = [
            *shares,
            *zip(others["party"].to_list(), rest * weight / weight.sum(), strict=True),
        ]
        new += [(p, b, c, int(s), round(total * x, 2)) for s, x in parts]
    cols = ("pair", "buyer", "product_code", "party", "amount")
    added = pl.DataFrame(
        new, schema=dict(zip(cols, kept.select(cols).dtypes, strict=True)), orient="row"
    )
    return pl.concat([kept.select(cols), added]).sort("pair", "party")


def truth(
    rows: pl.DataFrame, risks: Plan, year: int, buyer: np.ndarray, supplier: np.ndarray
) -> pl.DataFrame:
    """The planted risks as the chains engine should find them (shares of the amounts
    written): the supplier of a single source or a critical supplier, or none."""
    totals = dict(rows.group_by("pair").agg(pl.col("amount").sum()).iter_rows())
    amounts = {(p, s): a for p, s, a in rows.select("pair", "party", "amount").iter_rows()}
    out = []
    for p, (kind, shares, s) in sorted(risks.items()):
        code = rows.filter(pl.col("pair") == p)
        b, c = int(code["buyer"][0]), str(code["product_code"][0])
        planted = [amounts[(p, x)] for x, _ in shares]
        share = round(sum(planted) / totals[p], 6)
        out.append((kind, year, str(buyer[b]), c, None if s is None else str(supplier[s]), share))
    return pl.DataFrame(out, schema=TRUTH, orient="row")
