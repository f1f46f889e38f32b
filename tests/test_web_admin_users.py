"""User administration (issue 12, finding 6): a city or province analyst lists, adds, disables,
enables and resets the password of the users of their region at /users; anyone else gets a
Chinese 403 page, a user of another region a 404; every change ends the sessions it should, is
audited and is answered by a Chinese message. The shared fixture users are only read here:
every change is made to users created by this module."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from industry_brain.warehouse import fetch
from industry_brain.warehouse.audit import entries
from industry_brain.web.app import create_app
from industry_brain.web.users import add_user, set_disabled, set_password
from web_helpers import login

from conftest import PASSWORD

NEW_PASSWORD = "violet lantern 4817"


@pytest.fixture(scope="module")
def app(web):
    """A fresh app (its own login throttle) on the shared small city."""
    return create_app(web.city.ws)


def _client(app, host: str = "192.0.2.1") -> TestClient:
    return TestClient(app, base_url="https://testserver", client=(host, 50000))


def _exists(con, name: str) -> bool:
    return bool(fetch(con, "SELECT 1 AS x FROM app_user WHERE username = ?", [name]))


def _fresh(con, name: str, role: str = "county", region: str = "331003") -> str:
    """A user of this module, enabled and with the usual password."""
    if not _exists(con, name):
        add_user(con, name, PASSWORD, role, region)
    set_disabled(con, name, False)
    set_password(con, name, PASSWORD)
    return name


def _admin(app, web, name: str = "adm_city", role: str = "city", region: str = "331000"):
    client = _client(app)
    _fresh(web.city.ws.con, name, role, region)
    assert login(client, name).headers["location"] == "/"
    return client


def _csrf(client) -> str:
    page = client.get("/users")
    assert page.status_code == 200, page.text[:300]
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _post(client, path: str, **data: str):
    return client.post(path, data={"csrf": _csrf(client), **data}, follow_redirects=False)


def _row(page: str, name: str) -> str:
    found = re.search(rf'<tr id="user-{re.escape(name)}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, f"no row for {name}"
    return re.sub(r"<[^>]+>", " ", found.group(1))


def test_a_city_lists_its_own_and_its_counties_users_only(app, web):
    con = web.city.ws.con
    _fresh(con, "adm_hangzhou_user", "county", "330102")
    client = _admin(app, web)
    page = client.get("/users").text
    for name in ("county", "other_county", "enterprise", "city", "adm_city"):
        assert f'id="user-{name}"' in page
    assert 'id="user-adm_hangzhou_user"' not in page and 'id="user-province"' not in page
    row = _row(page, "county")
    assert "黄岩区" in row and "县级分析员" in row and "正常" in row and "331003" not in row
    uscc = web.users["enterprise"]["uscc"]
    firm = fetch(con, "SELECT name FROM enterprise WHERE uscc = ?", [uscc])[0]["name"]
    assert firm in _row(page, "enterprise")
    listed = client.get("/api/users").json()
    assert listed["region_code"] == "331000"
    names = {u["username"] for u in listed["users"]}
    assert {"county", "adm_city"} <= names and "adm_hangzhou_user" not in names
    assert "password_hash" not in listed["users"][0]
    assert listed["users"][0]["created_at"].endswith("Z")  # UTC, as the schema says
    everyone = _admin(app, web, "adm_province", "province", "330000").get("/api/users").json()
    assert {"adm_hangzhou_user", "province"} <= {u["username"] for u in everyone["users"]}


@pytest.mark.parametrize("name", ["county", "enterprise"])
def test_a_county_or_an_enterprise_gets_a_chinese_403(app, web, name):
    client = _client(app)
    login(client, name)
    page = client.get("/users")
    assert page.status_code == 403 and "无权管理用户" in page.text
    assert client.get("/api/users").status_code == 403
    home = client.get("/").text
    assert 'href="/users"' not in home
    token = re.search(r'name="csrf" value="([^"]+)"', home).group(1)
    victim = _fresh(web.city.ws.con, "adm_victim_403")
    answer = client.post(f"/users/{victim}/disable", data={"csrf": token}, follow_redirects=False)
    assert answer.status_code == 403
    assert login(_client(app, "192.0.2.8"), victim).headers["location"] == "/"  # still enabled
    assert 'href="/users"' in _admin(app, web).get("/").text


def test_a_user_of_another_region_is_not_found(app, web):
    con = web.city.ws.con
    other = _fresh(con, "adm_hangzhou_user", "county", "330102")
    client = _admin(app, web)
    for path in (f"/users/{other}/disable", "/users/nobody_at_all/disable"):
        answer = _post(client, path)
        assert answer.status_code == 404 and "未找到用户" in answer.text
    assert _post(client, f"/users/{other}/password", password=NEW_PASSWORD).status_code == 404
    assert login(_client(app, "192.0.2.9"), other).headers["location"] == "/"


def test_disabling_ends_the_session_and_enabling_restores(app, web):
    con = web.city.ws.con
    victim = _fresh(con, "adm_victim_disable")
    theirs = _client(app, "192.0.2.2")
    login(theirs, victim)
    assert theirs.get("/api/me").status_code == 200
    client = _admin(app, web)
    answer = _post(client, f"/users/{victim}/disable")
    assert answer.status_code == 303 and answer.headers["location"] == "/users"
    page = client.get("/users").text
    assert f"已停用用户 {victim}" in page and "已停用" in _row(page, victim)
    assert f"已停用用户 {victim}" not in client.get("/users").text  # the message shows once
    assert theirs.get("/api/me").status_code == 401
    signed_out = theirs.get("/", headers={"accept": "text/html"}, follow_redirects=False)
    assert signed_out.headers["location"].startswith("/login")
    failed = login(theirs, victim)
    assert "failed=1" in failed.headers["location"]
    assert "用户名或密码错误" in theirs.get(failed.headers["location"]).text
    [entry] = entries(con, action="user.disable", object_id=victim).to_dicts()[:1]
    assert entry["actor"] == "adm_city" and entry["region_code"] == "331003"
    assert '"sessions": 1' in entry["detail"]
    assert _post(client, f"/users/{victim}/enable").status_code == 303
    assert f"已启用用户 {victim}" in client.get("/users").text
    assert login(theirs, victim).headers["location"] == "/"
    assert entries(con, action="user.enable", object_id=victim).height >= 1


def test_an_administrator_may_not_disable_themselves(app, web):
    client = _admin(app, web, "adm_city_self")
    _post(client, "/users/adm_city_self/disable")
    page = client.get("/users")
    assert page.status_code == 200 and "不能停用自己的账号" in page.text


def test_a_reset_password_replaces_the_old_one(app, web):
    con = web.city.ws.con
    victim = _fresh(con, "adm_victim_reset")
    theirs = _client(app, "192.0.2.3")
    login(theirs, victim)
    client = _admin(app, web)
    assert _post(client, f"/users/{victim}/password", password=NEW_PASSWORD).status_code == 303
    assert f"已重置用户 {victim} 的密码" in client.get("/users").text
    assert theirs.get("/api/me").status_code == 401
    assert "failed=1" in login(theirs, victim).headers["location"]
    assert login(theirs, victim, NEW_PASSWORD).headers["location"] == "/"
    [entry] = entries(con, action="user.reset_password", object_id=victim).to_dicts()[:1]
    assert entry["actor"] == "adm_city" and NEW_PASSWORD not in (entry["detail"] or "")


def test_a_weak_password_is_refused_in_chinese_on_the_page(app, web):
    victim = _fresh(web.city.ws.con, "adm_victim_weak")
    client = _admin(app, web)
    _post(client, f"/users/{victim}/password", password="1234567890")
    assert "密码不能是重复或连续的字符" in client.get("/users").text
    assert login(_client(app, "192.0.2.4"), victim).headers["location"] == "/"  # unchanged
    answer = _post(client, "/users", username="adm_new_weak", role="county", region="331003",
                   password="short")  # fmt: skip
    assert answer.status_code == 303
    page = client.get("/users")
    assert page.status_code == 200 and "密码至少需要 10 个字符" in page.text
    assert 'value="adm_new_weak"' in page.text and 'id="user-adm_new_weak"' not in page.text


def test_adding_users_within_the_region_at_their_level(app, web):
    con = web.city.ws.con
    client = _admin(app, web)
    name = "adm_new_county"
    if not _exists(con, name):
        _post(
            client, "/users", username=name, role="county", region="331003", password=NEW_PASSWORD
        )
        assert f"已添加用户 {name}" in client.get("/users").text
        assert entries(con, action="user.add", object_id=name).to_dicts()[0]["actor"] == "adm_city"
    assert login(_client(app, "192.0.2.5"), name, NEW_PASSWORD).headers["location"] == "/"
    uscc = web.users["enterprise"]["uscc"]
    firm = "adm_new_firm"
    if not _exists(con, firm):
        _post(client, "/users", username=firm, role="enterprise", region="331003", uscc=uscc,
              password=NEW_PASSWORD)  # fmt: skip
        assert "企业用户" in _row(client.get("/users").text, firm)
    assert login(_client(app, "192.0.2.5"), firm, NEW_PASSWORD).headers["location"].endswith(uscc)
    refusals = {
        ("county", "331000"): "县级分析员的地区须为县（市、区）级（331000 是市级）",
        ("province", "331000"): "省级分析员的地区须为省级",
        ("county", "330102"): "不在您的管理范围内",
        ("enterprise", "331003"): "企业用户须填写统一社会信用代码",
    }
    for (role, region), why in refusals.items():
        _post(client, "/users", username="adm_refused", role=role, region=region,
              password=NEW_PASSWORD)  # fmt: skip
        assert why in client.get("/users").text, (role, region)
    assert not _exists(con, "adm_refused")


def test_a_form_without_its_csrf_token_is_refused(app, web):
    victim = _fresh(web.city.ws.con, "adm_victim_csrf")
    client = _admin(app, web)
    for path in (f"/users/{victim}/disable", f"/users/{victim}/password", "/users"):
        answer = client.post(path, data={"password": NEW_PASSWORD}, follow_redirects=False)
        assert answer.status_code == 403 and answer.json()["error"]["code"] == "csrf_failed"
    assert login(_client(app, "192.0.2.6"), victim).headers["location"] == "/"
