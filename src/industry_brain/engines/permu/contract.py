"""The 亩均 engine behind the engine contract (engines/base.py).

A run applies the corrections in force (figures before scoring, grades after), adds each
enterprise's grade history from earlier runs and the differentiated prices that follow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import yaml

from industry_brain.engines.base import Appeals, Engine, Publication, ResultTable, Run, Tables
from industry_brain.engines.permu import compare as what_if
from industry_brain.engines.permu import spec as specs
from industry_brain.engines.permu.corrections import apply_figures, apply_grades, overrides
from industry_brain.engines.permu.engine import evaluate
from industry_brain.engines.permu.history import past_grades, prices, with_history
from industry_brain.engines.permu.overrides import add_override
from industry_brain.engines.permu.results import check_benchmark_data, split
from industry_brain.warehouse.warehouse import Warehouse


def _lists_name(run: Run) -> str:
    return f"亩均评价_run{run.run_id}.xlsx"


def _write_lists(con: Warehouse, run: Run, path: Path) -> None:
    from industry_brain.engines.permu.publish import write_lists

    write_lists(con, run, path)


class PermuEngine(Engine):
    name = "permu"
    title = "亩均效益综合评价"
    reads = ("enterprise_year", "enterprise", "permu_override", "run", "permu_score")
    results = (
        ResultTable("permu_score", ("uscc",)),
        ResultTable("permu_item", ("uscc", "indicator")),
        ResultTable("permu_price", ("uscc", "resource")),
    )
    watches = ("(SELECT max(override_id) FROM permu_override)",)
    compared, compared_columns = "permu_score", tuple(what_if.COMPARED)
    appeals = Appeals("permu_score", "uscc", add_override)  # a figure or a grade corrected
    publishes = (Publication("lists", "亩均评价名单与汇总", _lists_name, _write_lists),)

    def packaged(self) -> list[str]:
        return specs.packaged_methods()

    def load_spec(self, name: str) -> specs.MethodSpec:
        return specs.load_method(name)

    def read_spec(self, text: str, origin: str) -> specs.MethodSpec:
        return specs.read_method(text, origin)

    def spec_text(self, spec: specs.MethodSpec) -> str:
        """The YAML the spec was read from when that still gives it, else its content as YAML
        (a spec built or changed in code)."""
        if spec.text and specs.read_method(spec.text, spec.name).sha256 == spec.sha256:
            return spec.text
        return yaml.safe_dump(spec.model_dump(mode="json"), allow_unicode=True, sort_keys=False)

    def check(self, tables: Tables, spec: specs.MethodSpec, year: int) -> None:
        check_benchmark_data(tables, spec, year)

    def evaluate(
        self, tables: Tables, spec: specs.MethodSpec, year: int
    ) -> dict[str, pl.DataFrame]:
        found = pl.concat([overrides(tables, year - 1), overrides(tables, year)])
        enterprise_year = apply_figures(tables["enterprise_year"], found)
        result = evaluate(enterprise_year, tables["enterprise"], spec, year).to_polars()
        result = apply_grades(result, found.filter(pl.col("year") == year))
        result = with_history(result, past_grades(tables, spec, year), year)
        scores, items = split(result, spec)
        return {"permu_score": scores, "permu_item": items, "permu_price": prices(scores, spec)}

    def outcome(self, tables: Tables, spec: specs.MethodSpec, year: int) -> pl.DataFrame:
        return what_if.outcome(tables, spec, year)

    def compare(
        self, before: pl.DataFrame, after: pl.DataFrame
    ) -> tuple[pl.DataFrame, pl.DataFrame]:
        return what_if.compare(before, after)

    def changed_since(self, con: Warehouse, run: dict[str, Any]) -> str | None:
        year, o = run["year"], con.table("permu_override")
        later = o.filter(o.year.isin([year, year - 1]) & (o.created_at > run["created_at"]))
        if later.count().to_pyarrow().as_py():
            return f"corrections were recorded since run {run['run_id']}"
        return None

    def explain(
        self, con: Warehouse, run_id: int, spec: specs.MethodSpec, entity: str
    ) -> dict[str, Any] | None:
        from industry_brain.engines.permu.explain import explain

        return explain(con, run_id, spec, entity)
