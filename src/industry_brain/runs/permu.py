"""Run the 亩均 evaluation and store it: inputs (batch ids), the spec (its text and hash), code
version, results.

Appeals (overrides) in force are applied: corrected figures before scoring, grades after.

The same data and spec give the same results, byte for byte: `result_sha256` is the digest of
the results in a canonical order and format, and a test holds two runs equal.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from industry_brain import __version__
from industry_brain.engines.permu.engine import evaluate, indicator_names
from industry_brain.engines.permu.spec import MethodSpec
from industry_brain.errors import BrainError
from industry_brain.runs.history import past_grades, prices, with_history
from industry_brain.runs.overrides import apply_figures, apply_grades, overrides
from industry_brain.runs.spec_store import run_text
from industry_brain.warehouse import transaction
from industry_brain.warehouse.audit import record, system_actor

SCORE_COLUMNS = [
    "uscc",
    "name",
    "region_code",
    "park_code",
    "industry_code",
    "year",
    "track",
    "group",
    "status",
    "reason",
    "bonus",
    "penalty",
    "total",
    "rank",
    "group_size",
    "percentile",
    "grade",
    "veto",
    "leader",
    "override",
    "grade_last",
    "transition",
    "d_years",
]


@dataclass
class PermuRun:
    run_id: int
    spec: MethodSpec
    year: int
    inputs: list[int]
    result_sha256: str
    scores: pl.DataFrame  # one row per enterprise (SCORE_COLUMNS)
    items: pl.DataFrame  # one row per enterprise and indicator: value, benchmark, score
    prices: pl.DataFrame  # differentiated prices: uscc, resource, title, unit, surcharge


def inputs_of(con: Any, year: int, status: str = "active") -> list[int]:
    """The batches an evaluation of `year` rests on (this year, last year, register); with
    status "withdrawn", the ones of those years it leaves out."""
    b = con.table("batch")
    states = [status] if status == "active" else ["withdrawn", "superseded"]
    used = b.filter(b.status.isin(states) & (b.year.isin([year, year - 1]) | b.year.isnull()))
    return sorted(int(x) for x in used.batch_id.to_pyarrow().to_pylist())


def changed_since(con: Any, run_id: int) -> str | None:
    """Why the warehouse no longer gives this run's results (batches loaded or withdrawn, or
    corrections recorded since), or None when it still does."""
    r = con.table("run")
    [run] = r.filter(r.run_id == run_id).to_pyarrow().to_pylist()
    year = run["year"]
    now_used, now_left = inputs_of(con, year), inputs_of(con, year, "withdrawn")
    if json.loads(run["inputs"] or "[]") != now_used:
        return f"the batches of {year} changed since run {run_id}"
    if json.loads(run["excluded"] or "[]") != now_left:
        return f"batches of {year} were withdrawn since run {run_id}"
    o = con.table("permu_override")
    later = o.filter(o.year.isin([year, year - 1]) & (o.created_at > run["created_at"]))
    if later.count().to_pyarrow().as_py():
        return f"corrections were recorded since run {run_id}"
    return None


def split(result: pl.DataFrame, spec: MethodSpec) -> tuple[pl.DataFrame, pl.DataFrame]:
    scores = result.select(SCORE_COLUMNS).sort("uscc")
    items = pl.concat(
        [
            result.filter(pl.col(f"score_{n}").is_not_null()).select(
                "uscc",
                pl.lit(n).alias("indicator"),
                pl.col(f"value_{n}").alias("value"),
                pl.col(f"benchmark_{n}").alias("benchmark"),
                pl.col(f"score_{n}").alias("score"),
            )
            for n in indicator_names(spec)
        ]
    ).sort("uscc", "indicator")
    return scores, items


def digest(*frames: pl.DataFrame) -> str:
    h = hashlib.sha256()
    for frame in frames:
        h.update(frame.write_csv(float_precision=12).encode())
    return h.hexdigest()


class RunError(BrainError, ValueError):
    code, title, status = "run_refused", "评价未能运行", 409


def check_benchmark_data(con: Any, spec: MethodSpec, year: int) -> None:
    """Benchmarks computed from last year's data need last year's data: fail loudly, never
    score everyone zero."""
    if not any(i.benchmark.statistic for t in spec.tracks for i in t.items):
        return
    ey = con.table("enterprise_year")
    if ey.filter(ey.year == year - 1).count().to_pyarrow().as_py() == 0:
        raise RunError(
            f"{spec.name} computes benchmarks from {year - 1}'s data, and the "
            f"warehouse has no {year - 1} figures: ingest them first"
        )


def run_permu(con: Any, spec: MethodSpec, year: int, author: str | None = None) -> PermuRun:
    check_benchmark_data(con, spec, year)
    found = pl.concat([overrides(con, year - 1), overrides(con, year)])
    enterprise_year = apply_figures(con.table("enterprise_year"), found)
    result = evaluate(enterprise_year, con.table("enterprise"), spec, year).to_polars()
    result = apply_grades(result, found.filter(pl.col("year") == year))
    result = with_history(result, past_grades(con, spec, year), year)
    scores, items = split(result, spec)
    surcharges = prices(scores, spec)
    inputs, sha = inputs_of(con, year), digest(scores, items, surcharges)
    excluded = inputs_of(con, year, "withdrawn")
    author = author or system_actor()
    with transaction(con):
        run_id = int(con.table("run").run_id.max().to_pyarrow().as_py() or 0) + 1
        con.insert(
            "run",
            pl.DataFrame(
                [
                    {
                        "run_id": run_id,
                        "engine": "permu",
                        "spec_name": spec.name,
                        "spec_sha256": spec.sha256,
                        "spec_text": run_text(spec),
                        "year": year,
                        "region_code": spec.region,
                        "inputs": json.dumps(inputs),
                        "excluded": json.dumps(excluded),
                        "code_version": __version__,
                        "result_sha256": sha,
                        "created_at": datetime.now(UTC).replace(tzinfo=None),
                        "created_by": author,
                    }
                ]
            ),
        )
        con.insert("permu_score", scores.select(pl.lit(run_id).alias("run_id"), pl.all()))
        con.insert("permu_item", items.select(pl.lit(run_id).alias("run_id"), pl.all()))
        if surcharges.height:
            con.insert("permu_price", surcharges.select(pl.lit(run_id).alias("run_id"), pl.all()))
        detail = {"spec": spec.name, "year": year, "inputs": inputs, "excluded": excluded}
        record(con, author, "run.create", "run", run_id, spec.region, **detail)
    return PermuRun(run_id, spec, year, inputs, sha, scores, items, surcharges)
