"""The supply-risk engine on a synthetic city whose trade files carry planted risks
(synth/risks.py, truth/chain_risks.parquet): every planted risk is found (recall 100%), no
other flag is raised (the clean purchases stay clean), and each flag's figure equals a direct
computation from the trade rows loaded, to 1e-9 (and the generator's share to 1e-6: it drew
the shares before the amounts were rounded to whole 元 in the files)."""

from __future__ import annotations

import polars as pl
import pytest

from industry_brain.engines import engine
from industry_brain.ingest.load import ingest_file
from industry_brain.runs.store import create_run

from helpers import load_city

YEARS = [2022, 2023]


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    root = tmp_path_factory.mktemp("chains_truth")
    ws, manifest = load_city(root, seed=11, scale=0.03, years=YEARS)
    for f in manifest.files:  # load_city leaves the trade files out
        if f.source == "trade" and not f.faulty:
            ingest_file(ws, root / "inbox" / f.path, f.source, f.year)
    truth = pl.read_parquet(root / "inbox" / "truth" / "chain_risks.parquet")
    yield ws, truth
    ws.close()


def _flags(ws, year: int) -> pl.DataFrame:
    chains = engine("chains")
    run = create_run(ws.con, chains, chains.load_spec("taizhou-supply-risk-2025"), year, "test")
    return run.results["chain_flag"]


@pytest.mark.parametrize("year", YEARS)
def test_every_planted_risk_is_found_and_nothing_else(city, year):
    ws, truth = city
    found = _flags(ws, year)
    planted = truth.filter(pl.col("year") == year)
    assert planted.height > 0
    for kind in ("single_source", "outside_dependence", "critical_supplier"):
        ours = found.filter(pl.col("kind") == kind)
        theirs = planted.filter(pl.col("kind") == kind)
        key = ["buyer_uscc", "input_class"] + (["supplier"] if kind != "outside_dependence" else [])
        assert sorted(ours.select(key).rows()) == sorted(theirs.select(key).rows()), kind
        both = ours.join(theirs, on=key).join(direct(ws, year, kind), on=key)
        assert both.height == theirs.height
        assert (both["figure"] - both["direct"]).abs().max() <= 1e-9, kind
        assert (both["figure"] - both["share"]).abs().max() <= 1e-6, kind


def direct(ws, year: int, kind: str) -> pl.DataFrame:
    """The flag's figure from the `trade` rows, in plain polars: a supplier's share of the
    buyer's input (its USCC, else 名称: and its name), or the share from outside Zhejiang (the
    register's region, else the file's, else the USCC's characters 3–8; abroad counts)."""
    trade = ws.con.table("trade").filter(lambda t: t.year == year).to_polars()
    reg = ws.con.table("enterprise").select("uscc", "region_code", "industry_code").to_polars()
    t = trade.join(reg, left_on="seller_uscc", right_on="uscc", how="left")
    t = t.with_columns(
        supplier=pl.coalesce("seller_uscc", pl.lit("名称:") + pl.col("seller_name")),
        input_class=pl.coalesce("product_code", "industry_code", pl.lit("未分类")),
        region=pl.coalesce("region_code", "seller_region", pl.col("seller_uscc").str.slice(2, 6)),
    )
    total = pl.col("amount").sum().over("buyer_uscc", "input_class")
    if kind == "outside_dependence":
        outside = (pl.col("region") == "abroad") | ~pl.col("region").str.starts_with("33")
        t = t.with_columns(part=pl.when(outside).then(pl.col("amount")).otherwise(0.0))
        by = t.group_by("buyer_uscc", "input_class").agg(
            direct=pl.col("part").sum() / pl.col("amount").sum()
        )
        return by
    by = t.group_by("buyer_uscc", "input_class", "supplier").agg(pl.col("amount").sum())
    return by.with_columns(direct=pl.col("amount") / total).drop("amount")


def test_the_run_publishes_a_workbook_in_chinese_with_names(city, tmp_path):
    import openpyxl

    from industry_brain.engines.chains.workbook import write_workbook
    from industry_brain.runs.store import load_run

    ws, _ = city
    chains = engine("chains")
    run = create_run(ws.con, chains, chains.load_spec("taizhou-supply-risk-2025"), 2023, "t")
    path = tmp_path / "chains.xlsx"
    write_workbook(ws.con, load_run(ws.con, run.run_id), path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["产业链环节", "风险清单", "备份供应商", "关键供应商"]
    flags = list(book["风险清单"].iter_rows(values_only=True))
    assert flags[0][:5] == ("采购企业代码", "采购企业", "投入品类代码", "投入品类", "风险")
    assert len(flags) - 1 == run.results["chain_flag"].height
    assert all(row[1] and row[3] for row in flags[1:])  # every buyer and input class named
    assert {row[4] for row in flags[1:]} <= {"单一来源", "省外依赖", "关键供应商"}
    segments = list(book["产业链环节"].iter_rows(values_only=True))
    assert len(segments) - 1 == run.results["chain_segment"].height
    again = tmp_path / "again.xlsx"
    write_workbook(ws.con, load_run(ws.con, run.run_id), again)
    assert again.read_bytes() == path.read_bytes()  # same run, same bytes
