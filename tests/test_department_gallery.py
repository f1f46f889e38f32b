"""The gallery of real-shaped department files (tests/data/departments): each file, loaded as
`industry-brain ingest FILE --source S --year Y` would, gives exactly the rows, errors (code,
row, column) and warehouse figures (or, for purchases, the rows of the derived `trade` table)
written beside it, worked out by hand from the file."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.report import IngestReport

from conftest import DATA
from helpers import workspace_at

GALLERY = DATA / "departments"
CASES = sorted(GALLERY.glob("*.expected.yaml"))


def _file(stem: str) -> Path:
    [path] = [p for p in GALLERY.glob(f"{stem}.*") if not p.name.endswith(".expected.yaml")]
    return path


def _errors(report: IngestReport) -> set[tuple[str, int | None, str | None]]:
    return {(e.code, e.row, e.column_label) for e in report.errors}


def _expected_errors(expected: dict[str, Any]) -> set[tuple[str, int | None, str | None]]:
    return {(e["code"], e.get("row"), e.get("column")) for e in expected.get("errors") or []}


def _same(actual: Any, wanted: Any) -> bool:
    if isinstance(wanted, float | int) and not isinstance(wanted, bool):
        return actual is not None and math.isclose(actual, wanted, rel_tol=1e-6, abs_tol=1e-6)
    return str(actual) == str(wanted) if wanted is not None else actual is None


def check_warehouse(ws: Any, expected: dict[str, Any]) -> None:
    table = "enterprise" if expected["source"] == "register" else "enterprise_year"
    t = ws.con.table(table)
    if table == "enterprise_year":
        t = t.filter(t.year == expected["year"])
    rows = {r["uscc"]: r for r in t.to_pyarrow().to_pylist()}
    for want in expected.get("warehouse") or []:
        got = rows.get(want["uscc"])
        assert got is not None, f"{want['uscc']} is not in {table}"
        wrong = {k: (got[k], v) for k, v in want.items() if not _same(got[k], v)}
        assert not wrong, f"{want['uscc']}: (got, expected) {wrong}"
    loaded = {w["uscc"] for w in expected.get("warehouse") or []}
    assert not loaded or set(rows) == loaded, f"unexpected rows: {set(rows) - loaded}"


def check_trade(ws: Any, expected: dict[str, Any]) -> None:
    """The derived trade table: exactly the expected rows (netted purchases), in any order."""
    columns = ["year", "buyer_uscc", "seller_uscc", "seller_name", "seller_region"]
    columns += ["product_code", "product_name", "amount"]
    got = ws.con.table("trade").to_polars().select(columns).rows(named=True)
    wanted = expected["trade"]
    key = ("buyer_uscc", "seller_name", "product_name")
    got, wanted = (
        sorted(rows, key=lambda r: tuple(str(r[k]) for k in key)) for rows in (got, wanted)
    )
    assert len(got) == len(wanted), (got, wanted)
    for have, want in zip(got, wanted, strict=True):
        wrong = {k: (have[k], v) for k, v in want.items() if not _same(have[k], v)}
        assert not wrong, f"{want['buyer_uscc']} / {want['seller_name']}: {wrong}"


def check_pollutants(ws: Any, expected: dict[str, Any]) -> None:
    src = ws.con.table("src_emissions").to_polars()
    sums = (
        src.filter(pl.col("amount_t").is_not_null())
        .group_by("uscc", "pollutant")
        .agg(pl.col("amount_t").sum())
    )
    got = {(u, p): a for u, p, a in sums.iter_rows()}
    wanted = {
        (w["uscc"], p): a for w in expected["pollutants"] for p, a in w.items() if p != "uscc"
    }
    assert set(got) == set(wanted)
    for key, amount in wanted.items():
        assert _same(got[key], amount), (key, got[key], amount)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name.removesuffix(".expected.yaml"))
def test_gallery_file(case: Path, tmp_path: Path) -> None:
    expected = yaml.safe_load(case.read_text("utf-8"))
    ws = workspace_at(tmp_path / "ws", max_rejected_share=0.2)  # the CLI's default
    try:
        for stem in expected.get("before") or []:
            first = yaml.safe_load((GALLERY / f"{stem}.expected.yaml").read_text("utf-8"))
            ingest_file(ws, _file(stem), first["source"], first["year"])
        path = _file(case.name.removesuffix(".expected.yaml"))
        report = ingest_file(ws, path, expected["source"], expected["year"])
        assert _errors(report) == _expected_errors(expected), report.errors
        assert report.status == expected["status"], [e.message for e in report.errors]
        if expected["status"] == "loaded" or report.rows_in:
            counts = (report.rows_in, report.rows_loaded, report.rows_rejected)
            want = (expected["rows_in"], expected["rows_loaded"], expected["rows_rejected"])
            assert counts == want
            skipped = {k: v for k, v in (expected.get("skipped") or {}).items() if v}
            assert {k: v for k, v in report.rows_skipped.items() if v} == skipped
        messages = " ".join(e.message_zh for e in report.errors)
        for text in expected.get("mentions") or []:
            assert text in messages, f"{text!r} not in {messages!r}"
        check_warehouse(ws, expected)
        if expected.get("pollutants"):
            check_pollutants(ws, expected)
        if expected["source"] == "trade":
            check_trade(ws, expected)
    finally:
        ws.close()
