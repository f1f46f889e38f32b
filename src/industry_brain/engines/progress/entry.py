"""Entered plan actuals: figures the microdata cannot give (GDP shares, 数字经济, platform counts),
imported from an Excel or CSV file with their source, into `indicator_value`.

Columns (first row with them is the header): 指标 (id or Chinese name), 年份, 数值, 来源, and
optionally 地区 (code or name; the plan's region when absent) and 备注. Official figures load whole
or not at all: any error refuses the file, and the report locates each error (file, sheet, row,
column) with a code from the ingest catalogue. A file already imported for the plan is a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from industry_brain.engines.progress.catalog import Plan
from industry_brain.ingest.errors import BY_NAME
from industry_brain.ingest.load import file_sha256
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import RawSheet, read_file
from industry_brain.ingest.report import IngestReport, ReportError
from industry_brain.reference.regions import regions
from industry_brain.suggest import did_you_mean
from industry_brain.warehouse import transaction
from industry_brain.warehouse.warehouse import Warehouse

HEADERS = {
    "indicator": ("指标", "指标名称", "指标代码", "indicator"),
    "year": ("年份", "年度", "year"),
    "value": ("数值", "实际值", "完成值", "value"),
    "source": ("来源", "数据来源", "source"),
    "region": ("地区", "区域", "行政区划", "region"),
    "note": ("备注", "说明", "note"),
}
SCHEMA = {
    "value": pl.Float64,
    "note": pl.Utf8,
    "entered_by": pl.Utf8,
    "year": pl.Int32,
    "row": pl.Int32,
}
TITLES = {"indicator": "指标", "year": "年份", "value": "数值", "source": "来源"}


@dataclass
class Entries:
    rows: list[dict[str, Any]]
    report: IngestReport


def _error(
    name: str,
    where: tuple[str, str | None],
    row: int | None,
    col: tuple[str, str] | None,
    field: str | None,
    value: Any,
    **details: Any,
) -> ReportError:
    kind = BY_NAME[name]
    message = kind.format(value=value, field=field, **{"suggestion": "", **details})
    header, label = col or (None, None)
    shown = None if value is None else str(value)
    return ReportError(
        kind.code,
        kind.name,
        kind.severity,
        kind.title,
        message,
        where[0],
        where[1],
        row,
        header,
        label,
        field,
        shown,
    )


def _header(sheet: RawSheet) -> tuple[int, dict[str, int]]:
    for i in range(min(sheet.cells.height, 10)):
        texts = [str(v).strip() if v is not None else "" for v in sheet.cells.row(i)]
        found = {f: texts.index(h) for f, hs in HEADERS.items() for h in hs if h in texts}
        if "indicator" in found and "value" in found:
            return i, found
    return 0, {}


def read_entries(path: Path, plan: Plan) -> Entries:
    """Validate an entries file against a plan; nothing is written."""
    report = IngestReport(str(path), "plan_actuals", "invalid", file_sha256(path))
    try:
        sheet = read_file(path)[0]
    except FileProblem as p:
        report.errors.append(
            _error(p.error.name, (str(path), None), None, None, None, None, **{"detail": p.message})
        )
        return Entries([], report)
    where = (str(path), sheet.sheet)
    report.sheet = sheet.sheet
    header_row, cols = _header(sheet)
    present = [str(v) for v in sheet.cells.row(header_row) if v]
    for field, title in TITLES.items():
        if field not in cols:
            hint = did_you_mean(title, present)
            report.errors.append(
                _error(
                    "missing-column", where, None, None, field, None, title=title, suggestion=hint
                )
            )
    if report.errors:
        return _counted(Entries([], report))
    report.header_row = sheet.first_row + header_row
    texts = sheet.cells.row(header_row)
    labels = {f: (str(texts[i]), sheet.column_label(i)) for f, i in cols.items()}
    rows = [
        _row(sheet, i, cols, labels, plan, where, report)
        for i in range(header_row + 1, sheet.cells.height)
    ]
    entries = Entries([r for r in rows if r is not None], report)
    _duplicates(entries, where, labels)
    return _counted(entries)


def _cell(sheet: RawSheet, i: int, cols: dict[str, int], field: str) -> str | None:
    if field not in cols:
        return None
    value = sheet.cells.row(i)[cols[field]]
    return str(value).strip() or None if value is not None else None


Labels = dict[str, tuple[str, str]]  # field → (header as written, column letter)


def _row(
    sheet: RawSheet,
    i: int,
    cols: dict[str, int],
    labels: Labels,
    plan: Plan,
    where: tuple[str, str | None],
    report: IngestReport,
) -> dict[str, Any] | None:
    cells = {f: _cell(sheet, i, cols, f) for f in HEADERS}
    if not any(cells.values()):
        report.rows_skipped["blank"] = report.rows_skipped.get("blank", 0) + 1
        return None
    report.rows_in += 1
    line = sheet.first_row + i
    errors: list[ReportError] = []

    col = labels.get
    for field, title in TITLES.items():
        if cells[field] is None:
            errors.append(
                _error("value-missing", where, line, col(field), field, None, title=title)
            )
    indicator = year = value = None
    if cells["indicator"] is not None:
        ids = {r.id: r.id for r in plan.indicators} | {r.name: r.id for r in plan.indicators}
        indicator = ids.get(cells["indicator"])
        if indicator is None:
            hint = did_you_mean(cells["indicator"], list(ids))
            errors.append(
                _error(
                    "unknown-indicator",
                    where,
                    line,
                    col("indicator"),
                    "indicator",
                    cells["indicator"],
                    plan=plan.plan,
                    suggestion=hint,
                )
            )
    if cells["year"] is not None:
        year = _int(cells["year"])
        if year is None:
            errors.append(_error("not-a-number", where, line, col("year"), "year", cells["year"]))
        elif not plan.base_year - 1 <= year <= plan.target_year:
            reason = f"is outside the plan period {plan.base_year - 1}–{plan.target_year}"
            errors.append(
                _error("impossible-value", where, line, col("year"), "year", year, reason=reason)
            )
    if cells["value"] is not None:
        value = _float(cells["value"])
        if value is None:
            errors.append(
                _error("not-a-number", where, line, col("value"), "value", cells["value"])
            )
    region = plan.region_code
    if cells["region"] is not None:
        found = _region(cells["region"])
        if found is None:
            errors.append(
                _error("unknown-region", where, line, col("region"), "region", cells["region"])
            )
        region = found or region
    report.errors.extend(errors)
    if errors:
        report.rows_rejected += 1
        return None
    return {
        "indicator": indicator,
        "region_code": region,
        "year": year,
        "value": value,
        "source": cells["source"],
        "note": cells["note"],
        "row": line,
    }


def _int(text: str) -> int | None:
    number = _float(text.removesuffix("年"))
    return int(number) if number is not None and number == int(number) else None


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("，", "").removesuffix("%"))
    except ValueError:
        return None


def _region(text: str) -> str | None:
    tree = regions()
    if text in tree:
        return tree.get(text).code
    found = tree.by_name(text)
    return found.code if found else None


def _duplicates(entries: Entries, where: tuple[str, str | None], labels: Labels) -> None:
    first: dict[tuple[str, str, int], int] = {}
    kept = []
    for r in entries.rows:
        key = (r["indicator"], r["region_code"], r["year"])
        if key in first:
            entries.report.errors.append(
                _error(
                    "duplicate-row",
                    where,
                    r["row"],
                    labels["indicator"],
                    "indicator",
                    r["indicator"],
                    key=f"{key[0]} {key[1]} {key[2]}",
                    first=first[key],
                )
            )
            entries.report.rows_rejected += 1
        else:
            first[key] = r["row"]
            kept.append(r)
    entries.rows = kept


def _counted(entries: Entries) -> Entries:
    report = entries.report
    report.status = "valid" if not report.errors else "invalid"
    report.rows_loaded = len(entries.rows) if not report.errors else 0
    for e in report.errors:
        report.error_counts[e.code] = report.error_counts.get(e.code, 0) + 1
    return entries


def import_entries(con: Warehouse, path: Path, plan: Plan, by: str | None = None) -> IngestReport:
    """Validate and store; all or nothing; an identical file already imported is a no-op."""
    entries = read_entries(path, plan)
    report = entries.report
    if not report.valid:
        return report
    t = con.table("indicator_value")
    if (
        t.filter((t.plan == plan.plan) & (t.file_sha256 == report.sha256))
        .count()
        .to_pyarrow()
        .as_py()
    ):
        report.status, report.rows_loaded = "unchanged", 0
        return report
    start = (t.entry_id.max().to_pyarrow().as_py() or 0) + 1
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    records = [
        {"entry_id": start + k, "plan": plan.plan, **r, "file_name": path.name}
        | {"file_sha256": report.sha256, "entered_by": by, "entered_at": now}
        for k, r in enumerate(entries.rows)
    ]
    with transaction(con):
        if records:
            con.insert("indicator_value", pl.DataFrame(records, schema_overrides=SCHEMA))
    report.status = "loaded"
    return report
