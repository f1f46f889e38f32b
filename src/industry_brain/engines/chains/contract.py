"""Supply-risk screening (断供风险摸排) behind the engine contract (engines/base.py): a run
stores, for the buyers of its region and year, each input's concentration, the flags raised and
each supplier's figures (docs/chains.md)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import polars as pl
from ibis.expr.types import Table

from industry_brain.engines.base import Engine, Migration, Publication, ResultTable, Run, Tables
from industry_brain.engines.chains import matches
from industry_brain.engines.chains import spec as specs
from industry_brain.engines.chains.backup import backups
from industry_brain.engines.chains.explain import explain
from industry_brain.engines.chains.kept import kept
from industry_brain.engines.chains.network import betweenness
from industry_brain.engines.chains.pool import pool
from industry_brain.engines.chains.screening import screening
from industry_brain.engines.chains.segment_table import segment_table
from industry_brain.engines.chains.segments import leaders, members
from industry_brain.engines.chains.suppliers import suppliers
from industry_brain.engines.chains.tables import SCHEMAS, create_tables
from industry_brain.reference.regions import in_region
from industry_brain.warehouse.warehouse import Warehouse

SIGNIFICANT = 12


def _frame(frame: pl.DataFrame, name: str, order: tuple[str, ...]) -> pl.DataFrame:
    """The run's columns and order, its floats to 12 significant digits: sums of floats differ
    in their last bits with the order a backend adds them in, and a run's bytes must not."""
    frame = frame.select(list(SCHEMAS[name])).cast(SCHEMAS[name])  # type: ignore[arg-type]
    frame = frame.with_columns(pl.selectors.float().round_sig_figs(SIGNIFICANT))
    return frame.sort(list(order), nulls_last=True)


def _buyers(tables: Tables, spec: specs.RiskSpec) -> Table:
    ent = tables["enterprise"]
    ent = ent.filter(in_region(ent.region_code, spec.region))
    return ent.select(buyer_uscc=ent.uscc, buyer_region=ent.region_code)


def _workbook_name(run: Run) -> str:
    return f"产业链断供风险摸排_{run.year}_run{run.run_id}.xlsx"


def _write_workbook(con: Warehouse, run: Run, path: Path) -> None:
    from industry_brain.engines.chains.workbook import write_workbook

    write_workbook(con, run, path)


class ChainsEngine(Engine):
    name = "chains"
    title = "产业链断供风险摸排"
    reads = ("trade", "enterprise", "enterprise_year", "run", "permu_score")
    results = (
        ResultTable("chain_input", ("buyer_uscc", "input_class")),
        ResultTable("chain_flag", ("buyer_uscc", "input_class", "kind", "supplier")),
        ResultTable("chain_supplier", ("supplier",)),
        ResultTable("chain_segment", ("chain_id", "segment_id")),
        ResultTable("chain_leader", ("chain_id", "rank")),
        ResultTable("chain_backup", ("buyer_uscc", "input_class", "rank")),
    )
    publishes = (Publication("workbook", "产业链断供风险摸排表", _workbook_name, _write_workbook),)
    migrations = (
        Migration(1, "chains: inputs, flags, suppliers, segments", create_tables),
        Migration(2, "chains: 对接 records of backup suppliers", matches.create_table),
    )

    def packaged(self) -> list[str]:
        return specs.packaged()

    def load_spec(self, name: str) -> specs.RiskSpec:
        return specs.load_spec(name)

    def read_spec(self, text: str, origin: str) -> specs.RiskSpec:
        return specs.read_spec(text, origin)

    def spec_text(self, spec: specs.RiskSpec) -> str:
        return specs.spec_text(spec)

    def evaluate(self, tables: Tables, spec: specs.RiskSpec, year: int) -> dict[str, pl.DataFrame]:
        """The screening is computed once, kept in temporary tables for the run (every result
        reads it), and dropped at its end."""
        with ExitStack() as keep:
            s = screening(tables, spec, year, keep)
            p, flagged = s.purchases, s.flags
            found = suppliers(p, s.screened, tables, spec, year).to_polars()
            pairs = p.select("supplier", "buyer_uscc").to_polars()
            m = keep.enter_context(kept(members(tables, spec)))
            out = {
                "chain_input": s.concentration.to_polars(),
                "chain_flag": flagged.to_polars(),
                "chain_supplier": found.join(betweenness(pairs), on="supplier", how="left"),
                "chain_segment": segment_table(tables, spec, year, s.screened, flagged, m),
                "chain_leader": leaders(tables, m, spec, year).to_polars(),
                "chain_backup": backups(
                    flagged, p, pool(tables, p, spec, year), _buyers(tables, spec), spec
                ).to_polars(),
            }
        return {r.name: _frame(out[r.name], r.name, r.order) for r in self.results}

    def changed_since(self, con: Warehouse, run: dict[str, Any]) -> str | None:
        """A 亩均 run made since: the backup candidates' grades may differ."""
        r = con.table("run")
        later = r.filter(
            (r.engine == "permu") & (r.year <= run["year"]) & (r.created_at > run["created_at"])
        )
        if later.count().to_pyarrow().as_py():
            return f"亩均 runs were made since run {run['run_id']}"
        return None

    def explain(
        self, con: Warehouse, run_id: int, spec: specs.RiskSpec, entity: str
    ) -> dict[str, Any] | None:
        return explain(con, run_id, spec, entity)
