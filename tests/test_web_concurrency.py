"""Many analysts at once: concurrent requests to a live server never fail (handlers run in the
thread pool, each thread on a DuckDB cursor of its own: `web/threads.py`)."""

import re
from concurrent.futures import ThreadPoolExecutor

import httpx

from conftest import PASSWORD

PATHS = ["/", "/region/331000", "/region/331003", "/api/regions/331003", "/api/enterprises"]
PATHS += ["/api/regions/331000/map?indicator=tax_per_mu", "/monitoring/taizhou-14th-fyp"]


def signed_in(base: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)  # logins queue for argon2, two at a time
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    client.cookies.set("ib_session", page.cookies["ib_session"])  # Secure cookie over loopback
    data = {"username": "city", "password": PASSWORD, "csrf": token, "next": "/"}
    response = client.post("/login", data=data)
    assert response.status_code == 303
    client.cookies.set("ib_session", response.cookies["ib_session"])
    return client


def test_concurrent_logins_and_pages_never_fail(live_server):
    def session(_: int) -> list[int]:
        client = signed_in(live_server)
        try:
            return [client.get(p).status_code for p in PATHS * 2]
        finally:
            client.close()

    with ThreadPoolExecutor(16) as pool:
        codes = [c for result in pool.map(session, range(16)) for c in result]
    assert set(codes) == {200}
