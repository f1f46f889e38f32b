"""Users (issue 12, finding 6): a password rule, names that can be typed, and an enterprise
account bound only to a valid code of an enterprise in the stated region."""

from __future__ import annotations

import pytest

from industry_brain.web.users import UserError, add_user, list_users

from conftest import PASSWORD
from helpers import make_uscc


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("12345678", "至少需要 10"),
        ("aaaaaaaaaaaa", "重复或连续"),
        ("          ", "全是空格"),
        ("1234567890", "重复或连续"),
        ("qwertyuiop", "重复或连续"),
        ("password123", "过于常见"),
        ("woaini1314", "过于常见"),
        ("ana_the_analyst_2026", "包含用户名"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(workspace, password, why):
    with pytest.raises(UserError, match=why):
        add_user(workspace.con, "ana_the_analyst", password, "county", "331003")


@pytest.mark.parametrize("name", ["", "a", "x" * 5000, "名字\x00", "a b", "<script>"])
def test_names_that_cannot_be_typed_are_refused(workspace, name):
    with pytest.raises(UserError, match="用户名"):
        add_user(workspace.con, name, PASSWORD, "county", "331003")


@pytest.mark.parametrize(
    ("uscc", "region", "why"),
    [
        ("NOTAUSCC", "331003", "不是有效的统一社会信用代码"),
        (make_uscc("331004", 7), "331003", "不在 331003 范围内"),
    ],
)
def test_an_enterprise_account_needs_its_own_regions_enterprise(workspace, uscc, region, why):
    with pytest.raises(UserError, match=why):
        add_user(workspace.con, "firm_user", PASSWORD, "enterprise", region, uscc)


def test_a_valid_account_and_the_scoped_list(workspace):
    add_user(workspace.con, "huangyan_firm", PASSWORD, "enterprise", "331003", make_uscc("331003"))
    add_user(workspace.con, "luqiao", PASSWORD, "county", "331004")
    assert [u["username"] for u in list_users(workspace.con, "331003")] == ["huangyan_firm"]
    assert len(list_users(workspace.con, "331000")) == 2
