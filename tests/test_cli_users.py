"""`user list | disable | enable | reset-password` (issue 12, finding 6): Chinese one-line
answers, exit 2 for an unknown user, a refused password or an unknown region, every change
audited as the command line's user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.warehouse.audit import entries
from industry_brain.web.users import add_user, authenticate

from conftest import PASSWORD
from helpers import make_uscc, workspace_at

runner = CliRunner()
NEW_PASSWORD = "violet lantern 4817"


@pytest.fixture
def ws(tmp_path: Path) -> str:
    """A closed workspace with a county, another city's county and an enterprise user."""
    workspace = workspace_at(tmp_path / "ws")
    add_user(workspace.con, "huangyan", PASSWORD, "county", "331003")
    add_user(workspace.con, "shangcheng", PASSWORD, "county", "330102")
    add_user(workspace.con, "firm", PASSWORD, "enterprise", "331003", make_uscc("331003"))
    workspace.close()
    return str(tmp_path / "ws")


def _cli(*args: str, input: str | None = None):
    return runner.invoke(app, ["user", *args], input=input)


def _check(ws: str, fn, *args):
    workspace = workspace_at(Path(ws))
    try:
        return fn(workspace.con, *args)
    finally:
        workspace.close()


def test_list_is_scoped_by_region_and_prints_names(ws):
    found = json.loads(_cli("list", "--region", "331000", "--json", "-w", ws).stdout)
    assert [u["username"] for u in found] == ["firm", "huangyan"]
    assert found[1]["region_name"] == "黄岩区" and found[1]["disabled"] is False
    assert "password_hash" not in found[0]
    table = _cli("list", "-w", ws)
    assert table.exit_code == 0
    assert "shangcheng" in table.stdout and "上城区" in table.stdout and "正常" in table.stdout
    unknown = _cli("list", "--region", "999999", "-w", ws)
    assert unknown.exit_code == 2 and "未知地区代码 999999" in unknown.stderr


def test_disable_and_enable_are_audited(ws):
    result = _cli("disable", "huangyan", "-w", ws)
    assert result.exit_code == 0 and result.stdout.strip() == "已停用用户 huangyan，结束其登录 0 个"
    assert _check(ws, authenticate, "huangyan", PASSWORD) is None
    listed = json.loads(_cli("list", "--json", "-w", ws).stdout)
    assert {u["username"]: u["disabled"] for u in listed}["huangyan"] is True
    again = _cli("disable", "huangyan", "-w", ws)
    assert again.exit_code == 0 and "已是停用状态" in again.stdout
    assert _cli("enable", "huangyan", "-w", ws).stdout.strip() == "已启用用户 huangyan"
    assert _check(ws, authenticate, "huangyan", PASSWORD) is not None
    actions = _check(ws, lambda con: entries(con, object_id="huangyan").to_dicts())
    assert [e["action"] for e in actions] == ["user.enable", "user.disable"]
    assert all(e["actor"].startswith("cli") and e["region_code"] == "331003" for e in actions)


@pytest.mark.parametrize("command", ["disable", "enable", "reset-password"])
def test_an_unknown_user_exits_2(ws, command):
    args = [command, "nobody", "-w", ws]
    result = _cli(*args, *(["--password", NEW_PASSWORD] if command == "reset-password" else []))
    assert result.exit_code == 2 and result.stderr.strip() == "错误：没有用户 nobody"


def test_reset_password_by_option_or_prompt(ws):
    result = _cli("reset-password", "huangyan", "--password", NEW_PASSWORD, "-w", ws)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "已重置用户 huangyan 的密码，结束其登录 0 个"
    assert _check(ws, authenticate, "huangyan", PASSWORD) is None
    assert _check(ws, authenticate, "huangyan", NEW_PASSWORD) is not None
    typed = "another lantern 9921"
    prompted = _cli("reset-password", "firm", "-w", ws, input=f"{typed}\n{typed}\n")
    assert prompted.exit_code == 0, prompted.output
    assert _check(ws, authenticate, "firm", typed) is not None
    found = _check(ws, lambda con: entries(con, action="user.reset_password").to_dicts())
    assert {e["object_id"] for e in found} == {"huangyan", "firm"}
    assert not any(NEW_PASSWORD in (e["detail"] or "") for e in found)


def test_a_weak_password_is_refused_with_the_rule(ws):
    result = _cli("reset-password", "huangyan", "--password", "1234567890", "-w", ws)
    assert result.exit_code == 2
    assert result.stderr.strip().startswith("错误：密码未被接受：密码不能是重复或连续的字符")
    assert _check(ws, authenticate, "huangyan", PASSWORD) is not None
