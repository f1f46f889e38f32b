"""Chinese names for the codes the platform stores: regions and parks, GB/T 4754 industries,
sources, methods, audit actions and their details, run, batch, appeal and job states, actors.
Each function shows an unknown code as it is (never raises)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from industry_brain.formats import DASH, missing, short_hash
from industry_brain.reference import UnknownCodeError, county_of, industries, regions

BATCH_STATUS = {"active": "有效", "superseded": "已被更正批次替代", "withdrawn": "已撤回"}
OBJECT_TYPES = {
    "batch": "数据批次",
    "run": "评价运行",
    "appeal": "申诉",
    "header_mapping": "表头映射",
    "app_user": "用户",
    "chain_match": "对接记录",
}
DETAIL_LABELS = {
    "file": "文件",
    "source": "来源",
    "sha256": "文件摘要",
    "rows_loaded": "入库行数",
    "rows_rejected": "拒收行数",
    "reason": "理由",
    "orphans": "受影响企业",
    "runs": "受影响运行",
    "spec": "方法",
    "year": "年度",
    "inputs": "所用批次",
    "excluded": "排除批次",
    "engine": "分析",
    "state": "状态",
    "note": "说明",
    "uscc": "统一社会信用代码",
    "run_id": "运行",
    "decision": "决定",
    "by": "更正批次",
    "field": "字段",
    "role": "角色",
    "sessions": "结束的会话",
    "client": "来源地址",
    "failures": "失败次数",
    "status": "对接状态",
}
ROLES = {"province": "省级分析员", "city": "市级分析员", "county": "县级分析员"}
ROLES |= {"enterprise": "企业"}


def region_name(code: str | None) -> str:
    """A region code as its name (a park's code as its county's), the code when unknown."""
    if not code:
        return ""
    try:
        return regions().get(county_of(code)).name
    except UnknownCodeError:
        return code


class ParkNames:
    """Park code → name from a workspace's parks.yaml, read again when the file changes."""

    def __init__(self, path: Path) -> None:
        self.path, self._seen, self._names = path, -1.0, dict[str, str]()

    def __call__(self) -> dict[str, str]:
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            return {}
        if mtime != self._seen:
            parks = yaml.safe_load(self.path.read_text("utf-8")) or []
            self._names = {str(p["code"]): str(p["name"]) for p in parks}
            self._seen = mtime
        return self._names


def place_name(code: str | None, parks: dict[str, str] | None = None) -> str:
    """A region or park code as its name: '331003' → 黄岩区, a configured park's 9-digit code →
    the park's name, an unknown park → its county's name and '园区' with its last 3 digits."""
    if missing(code):
        return DASH
    code = str(code)
    if parks and code in parks:
        return parks[code]
    if len(code) == 9 and code.isdigit():
        county = region_name(code)
        return f"{county}园区{code[6:]}" if county != code else code
    return region_name(code)


def industry_name(code: Any) -> str:
    """GB/T 4754-2017: '1371' → 蔬菜加工, 大类 '33' → 金属制品业; unknown → the code."""
    if missing(code):
        return DASH
    text = str(code).zfill(2) if isinstance(code, int) else str(code)  # 大类 6 read as 6
    try:
        return industries().get(text).name
    except UnknownCodeError:
        return text


def source_title(source: str | None) -> str:
    """'statistics' → 工业企业主要经济指标 (the source's Chinese title)."""
    from industry_brain.ingest.spec import SCOPED_SOURCES, SOURCES, load_spec

    known = source in SOURCES or source in SCOPED_SOURCES
    return load_spec(source).title if known and source else (source or "")


@functools.cache
def method_title(spec: str | None, engine: str = "permu") -> str:
    """A packaged method's title ('taizhou-city-2022' → 台州市2022年度…), else its name."""
    if not spec:
        return DASH
    from industry_brain.engines import engine as find

    try:
        found = find(engine)
        return found.load_spec(spec).title if spec in found.packaged() else spec
    except Exception:
        return spec


def engine_title(name: str | None) -> str:
    from industry_brain.engines import engine as find

    try:
        return find(name or "").title
    except Exception:
        return name or DASH


def actor(name: str | None) -> str:
    """'cli:root' → 命令行（root）: loads made at the terminal, not in the browser."""
    if name and name.startswith("cli:"):
        return f"命令行（{name[4:]}）"
    if name in ("cli", "anonymous"):
        return {"cli": "命令行", "anonymous": "未登录用户"}[name]
    return name or ""


def audit_action(action: str | None) -> str:
    from industry_brain.warehouse.audit import ACTIONS

    return ACTIONS.get(action or "", action or DASH)


def run_state(state: str | None) -> str:
    from industry_brain.runs.workflow import STATES

    return STATES.get(state or "", state or DASH)


def batch_status(status: str | None) -> str:
    return BATCH_STATUS.get(status or "", status or DASH)


def appeal_status(status: str | None) -> str:
    from industry_brain.runs.appeals import STATUS

    return STATUS.get(status or "", status or DASH)


def eval_status(status: str | None) -> str:
    """A 亩均 result's status: evaluated → 参评, exempt → 免评, …"""
    from industry_brain.engines.permu.workbook import STATUS

    return STATUS.get(status or "", status or DASH)


def group_name(group: str | None) -> str:
    """A ranking group; a result outside every group → —."""
    return DASH if missing(group) or group == "None" else str(group)


def object_type(kind: str | None) -> str:
    return OBJECT_TYPES.get(kind or "", kind or DASH)


def object_label(kind: str | None, object_id: Any) -> str:
    """An audited object: '申诉 9001', a header mapping as '表头映射 <source title>：<header>'."""
    text = "" if object_id is None else str(object_id)
    if kind == "header_mapping" and ":" in text:
        source, header = text.split(":", 1)
        text = f"{source_title(source)}：{header}"
    return f"{object_type(kind)} {text}"


def _detail_value(key: str, value: Any, engine: str) -> str:
    if key == "sha256":
        return short_hash(value)
    if key == "source":
        return source_title(value)
    if key == "spec":
        return method_title(value, engine)
    if key == "engine":
        return engine_title(value)
    if key == "state":
        return run_state(value)
    if key == "role":
        return ROLES.get(value, value)
    if key == "status":
        from industry_brain.engines.chains.matches import STATUSES

        return STATUSES.get(value, str(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value) if value else "无"
    if isinstance(value, dict):
        return "；".join(
            f"{source_title(k)} {_detail_value(k, v, engine)}" for k, v in value.items()
        )
    return DASH if missing(value) else str(value)


def audit_details(detail: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An audit entry's details as (Chinese label, value) pairs: hashes cut short, sources
    and methods by title."""
    detail = detail or {}
    engine = str(detail.get("engine") or "permu")
    return [(DETAIL_LABELS.get(k, k), _detail_value(k, v, engine)) for k, v in detail.items()]
