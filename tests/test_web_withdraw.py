"""Withdrawing a batch in the browser (issue 12, finding 9): the page says what rests on it and
the withdrawal needs confirming; a county may not withdraw, nor see another county's batches."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from industry_brain.ingest.load import ingest_file
from industry_brain.web.app import create_app
from industry_brain.web.users import add_user
from web_helpers import login

from helpers import make_uscc, write_csv

PASSWORD = "correct horse battery"
FIRMS = [make_uscc(serial=i) for i in range(1, 4)]


@pytest.fixture
def loaded(workspace, tmp_path):
    """A register file and a tax file resting on it; a city, a county and another county."""
    register = [["统一社会信用代码", "企业名称", "所属区县", "行业代码"]]
    register += [[u, f"台州测试{i}有限公司", "黄岩区", "3525"] for i, u in enumerate(FIRMS)]
    tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"]] + [[u, 2022, 30] for u in FIRMS]
    for name, rows, source in (("登记.csv", register, "register"), ("税收.csv", tax, "tax")):
        assert ingest_file(workspace, write_csv(tmp_path / name, rows), source).status == "loaded"
    add_user(workspace.con, "city", PASSWORD, "city", "331000")
    add_user(workspace.con, "huangyan", PASSWORD, "county", "331003")
    add_user(workspace.con, "luqiao", PASSWORD, "county", "331004")
    return workspace


def client_for(ws, name: str) -> TestClient:
    client = TestClient(create_app(ws), base_url="https://testserver")
    login(client, name)
    return client


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_the_page_says_what_rests_on_the_register_and_asks_to_confirm(loaded):
    client = client_for(loaded, "city")
    assert 'href="/batches/1/withdraw">撤回…' in client.get("/batches").text
    page = client.get("/batches/1/withdraw").text
    assert "3 户企业仅由本批次登记" in page and "税收.csv" in page and 'name="confirm"' in page
    form = {"csrf": csrf(page), "reason": "登记文件有误"}
    refused = client.post("/api/batches/1/withdraw", data=form, follow_redirects=False)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "withdraw_needs_confirmation" and error["detail"]["orphans"] == 3
    confirmed = form | {"confirm": "true"}
    done = client.post("/api/batches/1/withdraw", data=confirmed, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/batches"
    assert "已撤回（city：登记文件有误）" in client.get("/batches").text


def test_a_batch_nothing_rests_on_needs_no_confirmation(loaded):
    client = client_for(loaded, "city")
    page = client.get("/batches/2/withdraw").text
    assert "有数据依赖本批次" not in page and 'name="confirm"' not in page
    form = {"csrf": csrf(page), "reason": "重报"}
    done = client.post("/api/batches/2/withdraw", data=form, follow_redirects=False)
    assert done.status_code == 303


def test_a_county_may_not_withdraw_and_sees_only_its_own_loads(loaded, tmp_path):
    county = client_for(loaded, "huangyan")
    assert county.get("/batches/1/withdraw").status_code == 403
    token = csrf(county.get("/batches").text)
    answer = county.post("/api/batches/1/withdraw", data={"csrf": token, "reason": "x"})
    assert answer.status_code == 403
    tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"], [FIRMS[0], 2021, 10]]
    ingest_file(loaded, write_csv(tmp_path / "黄岩税收.csv", tax), "tax", loaded_by="huangyan")
    assert "黄岩税收.csv" in county.get("/batches").text
    assert "黄岩税收.csv" not in client_for(loaded, "luqiao").get("/batches").text
    assert "黄岩税收.csv" in client_for(loaded, "city").get("/batches").text
