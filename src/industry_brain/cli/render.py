"""Rich rendering of ingest reports, in Chinese for the analyst at the terminal (`--json` keeps
both the English and the Chinese message of every error)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from industry_brain.ingest.report import IngestReport, ReportError

STYLE = {
    "loaded": "green",
    "unchanged": "cyan",
    "duplicate": "cyan",
    "valid": "green",
    "failed": "red",
    "invalid": "red",
}
STATUS_ZH = {
    "loaded": "已入库",
    "unchanged": "同一文件已入库，未作改动",
    "duplicate": "与已入库的批次数据相同（重复报送），未再入库",
    "failed": "未入库，数据未作任何改动",
    "valid": "校验通过，可以入库（试运行）",
    "invalid": "校验未通过，不能入库（试运行）",
}
SKIPPED_ZH = {"blank": "空行", "total": "合计/小计行", "note": "注释行", "header": "重复表头行"}
MAX_SHOWN = 30


def report_from_dict(data: dict[str, Any]) -> IngestReport:
    """The report back from its `to_dict()` (as the server's bridge sends it)."""
    fields = {k: v for k, v in data.items() if k in IngestReport.__dataclass_fields__}
    fields["errors"] = [ReportError(**e) for e in data["errors"]]
    return IngestReport(**fields)


def render_report(console: Console, report: IngestReport) -> None:
    style = STYLE.get(report.status, "white")
    console.print(
        f"[bold]{report.file}[/]（{report.source}"
        + (f"，{report.year}年" if report.year else "")
        + f"）：[{style}]{STATUS_ZH[report.status]}[/]"
        + (f"（批次 {report.batch_id}）" if report.batch_id else "")
    )
    if report.status in ("unchanged", "duplicate"):
        return
    if report.supersedes:
        console.print(f"  替代原批次 {'、'.join(map(str, report.supersedes))}（更正）")
    skipped = "、".join(f"{SKIPPED_ZH.get(k, k)} {n}" for k, n in report.rows_skipped.items() if n)
    console.print(
        f"  读入 {report.rows_in} 行 = 入库 {report.rows_loaded} + 拒收 {report.rows_rejected}"
        + (f"（另跳过 {skipped}）" if skipped else "")
        + (f"；表头在第 {report.header_row} 行" if report.header_row else "")
    )
    if not report.errors:
        return
    table = Table("代码", "错误", "工作表", "行", "列", show_lines=False)
    table.add_column("说明", overflow="fold")
    for e in report.errors[:MAX_SHOWN]:
        column = f"{e.column_label} {e.column}" if e.column_label else (e.column or "")
        table.add_row(e.code, e.title, e.sheet or "", str(e.row or ""), column, e.message_zh)
    console.print(table)
    hidden = max(len(report.errors) - MAX_SHOWN, 0) + report.errors_left_out
    if hidden:
        counts = "，".join(f"{c}：{n}" for c, n in report.error_counts.items())
        listed = f"前 {len(report.errors)} 条" if report.errors_left_out else "全部"
        console.print(f"  … 另有 {hidden} 条（{counts}）；--json 列出{listed}")
