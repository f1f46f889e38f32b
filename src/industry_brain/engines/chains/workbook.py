"""The chains run's workbook (its publication): segments, the risk list, the backup candidates
and the critical suppliers, in Chinese, names beside codes; the same run gives the same bytes."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from industry_brain.engines.base import Run
from industry_brain.warehouse.warehouse import Warehouse
from industry_brain.xlsx import new_workbook, number_formats, write_rows

KINDS = {"single_source": "单一来源", "outside_dependence": "省外依赖"}
KINDS |= {"critical_supplier": "关键供应商"}
STAGES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
MATCHES = {"same": "同准", "substitute": "降准"}
TIERS = {"city": "市内", "province": "省内"}
DISTANCES = {0: "同县（市、区）", 1: "同市", 2: "省内"}
CRITICAL_COLUMNS = ["供应商代码", "供应商", "所在地区代码", "依赖企业数", "销售额（万元）"]
CRITICAL_COLUMNS += ["影响产值（万元）"]


def _names(con: Warehouse) -> tuple[dict[str, str], dict[str, str]]:
    e = con.table("enterprise").select("uscc", "name").to_polars()
    i = con.table("industry")
    i = i.filter(i.level == "class").select("code", "name").to_polars()
    return dict(e.iter_rows()), dict(i.iter_rows())


def _segments(run: Run) -> tuple[list[str], list[list[object]]]:
    columns = ["产业链", "环节", "位置", "企业数", "产值（万元）", "上年产值（万元）", "增速"]
    columns += [
        "风险企业",
        "断一家损失产值（万元）",
        "断三家损失产值（万元）",
        "亩均税收（万元/亩）",
    ]
    rows = [
        [r["chain_name"], r["segment_name"], STAGES.get(r["stage"], r["stage"]),
         r["enterprises"], r["output"], r["output_before"], r["growth"], r["flagged"],
         r["exposure_one"], r["exposure_several"], r["tax_per_mu"]]
        for r in run.results["chain_segment"].iter_rows(named=True)
    ]  # fmt: skip
    return columns, rows


def _flags(run: Run, firms: dict[str, str], classes: dict[str, str]) -> list[list[object]]:
    return [
        [r["buyer_uscc"], firms.get(r["buyer_uscc"]), r["input_class"],
         classes.get(r["input_class"]), KINDS[r["kind"]], r["supplier"],
         firms.get(r["supplier"] or ""), r["figure"], r["threshold"]]
        for r in run.results["chain_flag"].iter_rows(named=True)
    ]  # fmt: skip


def _backups(run: Run, firms: dict[str, str], classes: dict[str, str]) -> list[list[object]]:
    return [
        [r["buyer_uscc"], firms.get(r["buyer_uscc"]), r["input_class"],
         classes.get(r["input_class"]), r["rank"], r["candidate_name"], r["candidate"],
         classes.get(r["candidate_class"], r["candidate_class"]), MATCHES[r["match"]],
         TIERS[r["tier"]], DISTANCES[r["distance"]], r["grade"], r["output"], r["customers"],
         r["supplies_already"]]
        for r in run.results["chain_backup"].iter_rows(named=True)
    ]  # fmt: skip


def write_workbook(con: Warehouse, run: Run, path: Path) -> None:
    wb, bold = new_workbook(path, f"{run.spec.title}（{run.year}年）")
    firms, classes = _names(con)
    columns, rows = _segments(run)
    money, share = "#,##0.0", "0.0%"
    fmt = number_formats(
        wb, [None, None, None, "#,##0", money, money, share, "#,##0", money, money, "#,##0.00"]
    )
    write_rows(wb.add_worksheet("产业链环节"), columns, rows, bold, formats=fmt)
    flag_columns = ["采购企业代码", "采购企业", "投入品类代码", "投入品类", "风险", "供应商代码"]
    flag_columns += ["供应商", "占比", "阈值"]
    percents = number_formats(wb, [None] * 7 + [share, share])
    flag_rows = _flags(run, firms, classes)
    write_rows(wb.add_worksheet("风险清单"), flag_columns, flag_rows, bold, formats=percents)
    backup_columns = ["采购企业代码", "采购企业", "投入品类代码", "投入品类", "名次", "候选供应商"]
    backup_columns += ["候选代码", "候选行业", "备份方式", "范围", "距离", "亩均档次"]
    backup_columns += ["产值（万元）", "现有客户数", "已在供货"]
    backups = _backups(run, firms, classes)
    write_rows(wb.add_worksheet("备份供应商"), backup_columns, backups, bold)
    critical = run.results["chain_supplier"].filter(pl.col("critical"))
    write_rows(
        wb.add_worksheet("关键供应商"),
        CRITICAL_COLUMNS,
        critical.select(
            "supplier", "supplier_name", "supplier_region", "dependent_buyers", "sales",
            "output_at_risk",
        ).iter_rows(),
        bold,
    )  # fmt: skip
    wb.close()
