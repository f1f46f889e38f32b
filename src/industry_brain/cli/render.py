"""Rich rendering of ingest reports."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from industry_brain.ingest.report import STATUSES, IngestReport

STYLE = {
    "loaded": "green",
    "unchanged": "cyan",
    "duplicate": "cyan",
    "valid": "green",
    "failed": "red",
    "invalid": "red",
}
MAX_SHOWN = 30


def render_report(console: Console, report: IngestReport) -> None:
    style = STYLE.get(report.status, "white")
    console.print(
        f"[bold]{report.file}[/] ({report.source}"
        + (f", {report.year}" if report.year else "")
        + f"): [{style}]{report.status}[/] — {STATUSES[report.status]}"
        + (f", batch {report.batch_id}" if report.batch_id else "")
    )
    if report.status in ("unchanged", "duplicate"):
        return
    if report.supersedes:
        console.print(f"  supersedes batch {', '.join(map(str, report.supersedes))}")
    skipped = sum(report.rows_skipped.values())
    console.print(
        f"  rows in {report.rows_in} = loaded {report.rows_loaded} + rejected "
        f"{report.rows_rejected}"
        + (f"  (skipped blank/合计 rows: {skipped})" if skipped else "")
        + (f"   header row {report.header_row}" if report.header_row else "")
    )
    if not report.errors:
        return
    table = Table("code", "error", "sheet", "row", "column", "message", show_lines=False)
    for e in report.errors[:MAX_SHOWN]:
        column = f"{e.column_label} {e.column}" if e.column_label else (e.column or "")
        table.add_row(e.code, e.title, e.sheet or "", str(e.row or ""), column, e.message)
    console.print(table)
    if len(report.errors) > MAX_SHOWN:
        counts = ", ".join(f"{c}: {n}" for c, n in report.error_counts.items())
        console.print(f"  … {len(report.errors) - MAX_SHOWN} more ({counts}); use --json for all")
