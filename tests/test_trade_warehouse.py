"""Migration 21 and the derived `trade` table: built from the active batches like the other
sources' tables (for each buyer and year the latest batch wins; withdrawing or superseding a
batch takes its rows out), incrementally equal to a full rebuild. Runs on PostgreSQL too
(IB_TEST_BACKEND=postgres)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.withdraw import withdraw_batch
from industry_brain.warehouse import transaction
from industry_brain.warehouse.reconcile import reconcile
from industry_brain.workspace import Workspace

from helpers import make_uscc, workspace_at, write_xlsx

B1, B2, B3 = (make_uscc("331003", i) for i in (1, 2, 5))
S1, S2 = make_uscc("331081", 3), make_uscc("320583", 4)
HEADER = ["企业名称", "统一社会信用代码", "供应商名称", "供应商统一社会信用代码", "供应商所在地",
          "采购产品", "所属行业代码", "采购金额（万元）", "年度"]  # fmt: skip
COLUMNS = ["year", "buyer_uscc", "seller_uscc", "seller_name", "seller_region", "product_code",
           "product_name", "amount", "batch_id"]  # fmt: skip


def survey(path: Path, rows: list[tuple[str, str, float]], year: int = 2023) -> Path:
    """(buyer, seller, 万元) rows of a supplier survey."""
    names = {S1: "温岭甲", S2: "昆山丙"}
    body = [["某企业", b, names[s], s, "", "电机", "3812", a, year] for b, s, a in rows]
    return write_xlsx(path, [HEADER, *body])


def trade(ws: Workspace) -> list[tuple[Any, ...]]:
    t = ws.con.table("trade").to_polars()
    return sorted(t.select("year", "buyer_uscc", "seller_uscc", "amount", "batch_id").rows())


def test_migration_makes_the_tables(tmp_path: Path) -> None:
    ws = workspace_at(tmp_path / "ws")
    try:
        assert list(ws.con.table("trade").columns) == COLUMNS
        src = set(ws.con.table("src_trade").columns)
        assert {"batch_id", "row_number", "buyer_uscc", "seller_region", "amount"} <= src
    finally:
        ws.close()


def test_latest_batch_per_buyer_and_year_withdrawn_and_superseded(tmp_path: Path) -> None:
    ws = workspace_at(tmp_path / "ws")
    try:
        rows = [(B1, S1, 10.0), (B1, S2, 20.0), (B2, S1, 5.0)]
        first = ingest_file(ws, survey(tmp_path / "a.xlsx", rows), "trade")
        fix = ingest_file(ws, survey(tmp_path / "b.xlsx", [(B1, S1, 12)]), "trade")
        assert fix.supersedes == []  # one buyer of two: a correction of its own rows
        assert trade(ws) == [(2023, B1, S1, 12.0, 2), (2023, B2, S1, 5.0, 1)]
        other = ingest_file(ws, survey(tmp_path / "c.xlsx", [(B3, S2, 7)], 2022), "trade")
        withdraw_batch(ws.con, fix.batch_id or 0, "analyst", "经信局更正有误")
        assert trade(ws) == sorted([(2022, B3, S2, 7.0, 3), *((2023, *r, 1) for r in rows)])
        again = ingest_file(ws, survey(tmp_path / "d.xlsx", [(B1, S2, 1), (B2, S2, 2)]), "trade")
        assert again.supersedes == [first.batch_id]
        assert trade(ws) == [(2022, B3, S2, 7.0, other.batch_id), (2023, B1, S2, 1.0, 4),
                             (2023, B2, S2, 2.0, 4)]  # fmt: skip
        incremental = trade(ws)
        with transaction(ws.con):
            reconcile(ws.con)  # everything rebuilt
        assert trade(ws) == incremental
    finally:
        ws.close()


def test_seller_named_only_by_code_takes_the_registers_name(tmp_path: Path) -> None:
    register = write_xlsx(
        tmp_path / "register.xlsx",
        [
            ["统一社会信用代码", "企业名称", "所属区县", "行业代码"],
            [S1, "温岭甲", "331081", "3812"],
        ],
    )
    rows = [["购方纳税人识别号", "销方纳税人识别号", "金额（万元）", "年度"], [B1, S1, 10, 2023]]
    ws = workspace_at(tmp_path / "ws")
    try:
        assert ingest_file(ws, register, "register").status == "loaded"
        ingest_file(ws, write_xlsx(tmp_path / "codes_only.xlsx", rows), "trade")
        got = ws.con.table("trade").to_polars()
    finally:
        ws.close()
    assert got["seller_name"].to_list() == ["温岭甲"]
    assert pl.Series(got["amount"]).to_list() == [10.0]
