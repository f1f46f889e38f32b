"""Per chain segment (docs/chains.md "Per segment"): the region's enterprises in it (by their
industry class), their output this year and last, the flags raised on them, and the output
at risk if its most important supplier fails (`exposure_one`) or its `failures` most
important suppliers fail together (`exposure_several`), first order: a buyer loses, of its
output, the largest share of any one input that the failed suppliers together supplied."""

from __future__ import annotations

import ibis
import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.engines.chains.suppliers import buyer_output
from industry_brain.reference.regions import in_region

SEGMENT = ("chain_id", "segment_id")


def members(tables: Tables, spec: RiskSpec) -> Table:
    """(chain, segment, enterprise): the region's enterprises whose class is the segment's."""
    rows = [(c.id, s.id, code) for c in spec.chains for s in c.segments for code in s.classes]
    schema = {"chain_id": pl.Utf8, "segment_id": pl.Utf8, "class_code": pl.Utf8}
    classes = ibis.memtable(pl.DataFrame(rows, schema=schema, orient="row"))
    ent = tables["enterprise"]
    ent = ent.filter(in_region(ent.region_code, spec.region))
    found = ent.join(classes, ent.industry_code == classes.class_code)
    return found.select("chain_id", "segment_id", "uscc", "name").distinct()


def _lost(screened: Table, failed: Table, m: Table, output: Table) -> Table:
    """Per segment (and failure set `failed`: segment, supplier): the output at risk."""
    s = screened.join(m, screened.buyer_uscc == m.uscc).join(failed, [*SEGMENT, "supplier"])
    lost = s.fen.sum().cast("float64") / s.total_fen.max().cast("float64")
    by = s.group_by(*SEGMENT, "buyer_uscc", "input_class").aggregate(lost=lost)
    worst = by.group_by(*SEGMENT, "buyer_uscc").aggregate(lost=by.lost.max())
    worst = worst.join(output, "buyer_uscc")
    risk = ibis.least(worst.lost, 1.0) * worst.output
    return worst.group_by(*SEGMENT).aggregate(at_risk=risk.sum())


def exposure(screened: Table, m: Table, output: Table, spec: RiskSpec) -> Table:
    """Per segment: the output at risk from its worst single failure, and from its
    `failures` worst suppliers failing together."""
    pairs = screened.join(m, screened.buyer_uscc == m.uscc)
    worst = pairs.group_by(*SEGMENT, "supplier", "buyer_uscc").aggregate(share=pairs.share.max())
    worst = worst.join(output, "buyer_uscc")
    one = worst.group_by(*SEGMENT, "supplier").aggregate(at_risk=(worst.share * worst.output).sum())
    one = one.mutate(at_risk=one.at_risk.round(6))  # to the 分: float sums' last bits vary
    order = ibis.window(group_by=list(SEGMENT), order_by=[ibis.desc("at_risk"), "supplier"])
    one = one.mutate(rank=ibis.row_number().over(order))
    failed = one.filter(one.rank < spec.thresholds.failures).select(*SEGMENT, "supplier")
    several = _lost(screened, failed, m, output).rename(exposure_several="at_risk")
    single = one.group_by(*SEGMENT).aggregate(exposure_one=one.at_risk.max())
    return single.join(several, list(SEGMENT), how="left").drop(*(f"{k}_right" for k in SEGMENT))


def figures(tables: Tables, m: Table, year: int, flagged: Table) -> Table:
    """Per segment: enterprises active in the year, their output this year and last, and the
    enterprises and inputs flagged. `m`: the segments' members."""
    now, before = buyer_output(tables, year), buyer_output(tables, year - 1)
    t = m.join(now, m.uscc == now.buyer_uscc).drop("buyer_uscc")
    t = t.left_join(before.rename(output_before="output"), t.uscc == before.buyer_uscc)
    base = t.group_by(*SEGMENT).aggregate(
        enterprises=t.uscc.nunique(), output=t.output.sum(), output_before=t.output_before.sum()
    )
    f = flagged.join(m, flagged.buyer_uscc == m.uscc)
    kinds = {
        f"{kind}_flags": f.count(where=f.kind == kind)
        for kind in ("single_source", "outside_dependence", "critical_supplier")
    }
    flags_ = f.group_by(*SEGMENT).aggregate(flagged=f.buyer_uscc.nunique(), **kinds)
    out = base.left_join(flags_, list(SEGMENT)).drop(*(f"{k}_right" for k in SEGMENT))
    return out.mutate(**{c: out[c].fill_null(0) for c in ("flagged", *kinds)})


def leaders(tables: Tables, m: Table, spec: RiskSpec, year: int) -> Table:
    """Per chain: its `leaders` largest enterprises by output (链主 candidates); `m`: the
    segments' members."""
    now = buyer_output(tables, year)
    t = m.join(now, m.uscc == now.buyer_uscc)
    t = t.group_by("chain_id", "uscc").aggregate(name=t.name.max(), output=t.output.max())
    order = ibis.window(group_by="chain_id", order_by=[ibis.desc("output"), "uscc"])
    t = t.mutate(rank=ibis.row_number().over(order) + 1)
    return t.filter(t.rank <= spec.thresholds.leaders)
