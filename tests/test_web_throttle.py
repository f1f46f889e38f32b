"""Login throttling (issue 12, finding 3): failures counted per account and per address lock
them for a while, even against the right password; the lockout is audited and said in Chinese;
argon2 checks run a few at a time."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest
from fastapi.testclient import TestClient

from industry_brain.warehouse.audit import entries
from industry_brain.web.app import create_app
from industry_brain.web.throttle import Throttle
from industry_brain.web.users import add_user
from web_helpers import login

from conftest import PASSWORD


def test_failures_lock_an_account_and_an_address_for_a_while():
    t = Throttle(window=60, lock=120, per_account=3, per_client=5)
    assert not t.failed("a", "1.1.1.1", now=0) and not t.failed("a", "1.1.1.1", now=1)
    assert t.failed("a", "1.1.1.1", now=2)  # the third failure locks the account
    assert t.locked("a", "2.2.2.2", now=3) == pytest.approx(119)
    assert t.locked("b", "1.1.1.1", now=3) == 0  # the address is not locked yet
    for i, name in enumerate("cd"):
        t.failed(name, "1.1.1.1", now=4 + i)
    assert t.locked("e", "1.1.1.1", now=6) > 0  # five failures from one address
    assert t.locked("a", "2.2.2.2", now=200) == 0  # locks end
    t2 = Throttle(window=60, lock=120, per_account=3, per_client=99)
    t2.failed("x", "h", now=0)
    t2.failed("x", "h", now=100)  # outside the window: the first no longer counts
    assert not t2.failed("x", "h", now=101)


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(web):
    con = web.city.ws.con
    if (
        not con.table("app_user")
        .filter(lambda t: t.username == "throttled")
        .count()
        .to_pyarrow()
        .as_py()
    ):
        add_user(con, "throttled", PASSWORD, "county", "331003")
    client = TestClient(create_app(web.city.ws), base_url="https://testserver")
    for _ in range(5):
        assert (
            login(client, "throttled", "wrong password!").headers["location"].endswith("failed=1")
        )
    refused = login(client, "throttled")
    assert "locked=" in refused.headers["location"]
    page = client.get(refused.headers["location"])
    assert "登录失败次数过多，已暂时锁定" in page.text
    assert client.get("/api/me").status_code == 401
    assert entries(con, action="user.lockout", object_id="throttled").height == 1


def test_argon2_checks_run_a_few_at_a_time():
    running, most = 0, 0
    lock = threading.Lock()

    def slow(stored, password):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return False

    throttle = Throttle(per_account=10**6, per_client=10**6)

    async def attempt() -> None:
        async with throttle.verifying:
            await asyncio.to_thread(slow, None, "x")

    async def many() -> None:
        await asyncio.gather(*(attempt() for _ in range(12)))

    asyncio.run(many())
    assert most == 2
