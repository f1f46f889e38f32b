"""The audit log: who did what, when, to which object, in which region. Append-only: this
module only ever inserts, and nothing else in the code base writes to `audit_log` (the
migration that chained the entries written before v12 aside); each entry extends a hash chain
(`audit_chain.py`), so a change made outside the code is detectable."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from typing import Any

import ibis
import polars as pl

from industry_brain.warehouse.audit_chain import entry_hash, last_entry
from industry_brain.warehouse.warehouse import Warehouse

ACTIONS = {
    "run.create": "运行评价",
    "run.submit": "提交审核",
    "run.approve": "审核通过",
    "run.reject": "退回",
    "run.publish": "发布",
    "batch.load": "数据入库",
    "mapping.save": "保存表头映射",
    "appeal.file": "企业申诉",
    "appeal.correct": "申诉更正",
    "appeal.refuse": "申诉不予更正",
    "batch.withdraw": "撤回数据批次",
    "batch.supersede": "更正批次替代原批次",
    "user.lockout": "登录失败过多，暂时锁定",
    "user.add": "添加用户",
    "user.disable": "停用用户",
    "user.enable": "启用用户",
    "user.reset_password": "重置密码",
    "plan.import": "导入规划指标表",
    "chain_match": "记录供应链备份对接",
}


def system_actor() -> str:
    """Who did it when no one signed in: the command line, as the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record(
    con: Warehouse,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    region_code: str | None = None,
    **detail: Any,
) -> int:
    """Append one entry; returns its id. Call inside the transaction of the change it records
    (alone, it is a transaction of its own: the chain never forks)."""
    with con.transaction():
        last_id, previous = last_entry(con)
        entry_id = last_id + 1
        row = {"entry_id": entry_id, "created_at": now(), "actor": actor, "action": action}
        row |= {"object_type": object_type, "object_id": str(object_id)}
        row |= {"region_code": region_code}
        row |= {
            "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None
        }
        row |= {"entry_hash": entry_hash(previous, row)}
        schema = {"region_code": pl.Utf8, "detail": pl.Utf8}
        con.insert("audit_log", pl.DataFrame([row], schema_overrides=schema))
    return entry_id


def entries(
    con: Warehouse,
    actor: str | None = None,
    action: str | None = None,
    object_type: str | None = None,
    region_prefix: str | None = None,
    object_id: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> pl.DataFrame:
    """The log, newest first, filtered (dates inclusive)."""
    t = con.table("audit_log")
    if actor:
        t = t.filter(t.actor == actor)
    if action:
        t = t.filter(t.action == action)
    if object_type:
        t = t.filter(t.object_type == object_type)
    if object_id:
        t = t.filter(t.object_id == object_id)
    if region_prefix:
        t = t.filter(t.region_code.startswith(region_prefix))
    if since:
        t = t.filter(t.created_at >= dt.datetime.combine(since, dt.time()))
    if until:
        t = t.filter(t.created_at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    return t.order_by(ibis.desc("entry_id")).to_polars()
