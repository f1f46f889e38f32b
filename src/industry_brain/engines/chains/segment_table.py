"""The `chain_segment` result: each segment of the spec's chains, named, with its figures
(segments.figures) and exposure (segments.exposure); a segment without enterprises in the
region is listed with zeros, so a chain map shows every link, filled or empty."""

from __future__ import annotations

import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.base import Tables
from industry_brain.engines.chains.segment_permu import GRADE_COLUMNS, permu_figures
from industry_brain.engines.chains.segments import SEGMENT, exposure, figures
from industry_brain.engines.chains.spec import RiskSpec
from industry_brain.engines.chains.suppliers import buyer_output

COUNTS = (
    "enterprises", "flagged", "single_source_flags", "outside_dependence_flags",
    "critical_supplier_flags",
)  # fmt: skip


def _named(spec: RiskSpec) -> pl.DataFrame:
    rows = [(c.id, s.id, c.name, s.name, s.stage) for c in spec.chains for s in c.segments]
    columns = [*SEGMENT, "chain_name", "segment_name", "stage"]
    return pl.DataFrame(rows, schema=columns, orient="row")


def segment_table(
    tables: Tables, spec: RiskSpec, year: int, screened: Table, flagged: Table, m: Table
) -> pl.DataFrame:
    """`m`: the segments' members (segments.members)."""
    output = buyer_output(tables, year)
    found = figures(tables, m, year, flagged).to_polars()
    risk = exposure(screened, m, output, spec).to_polars()
    out = _named(spec).join(found, on=list(SEGMENT), how="left")
    out = out.join(risk, on=list(SEGMENT), how="left")
    permu = permu_figures(tables, m, year).to_polars()
    out = out.join(permu, on=list(SEGMENT), how="left")
    out = out.with_columns(
        *[pl.col(c).fill_null(0) for c in (*COUNTS, *GRADE_COLUMNS.values())],
        *[pl.col(c).fill_null(0.0) for c in ("output", "exposure_one", "exposure_several")],
        growth=pl.when(pl.col("output_before") > 0)
        .then(pl.col("output") / pl.col("output_before") - 1)
        .otherwise(None),
    )
    return out
