"""Signing in and out of the test client."""

from __future__ import annotations

import re
import time
from typing import Any

from conftest import PASSWORD


def csrf_of(client: Any, path: str = "/login") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def login(client: Any, username: str, password: str = PASSWORD) -> Any:
    client.cookies.clear()
    token = csrf_of(client)
    data = {"username": username, "password": password, "csrf": token, "next": "/"}
    return client.post("/login", data=data, follow_redirects=False)


def logout(client: Any) -> None:
    client.cookies.clear()


def upload(client: Any, path: Any, **form: Any) -> Any:
    """Upload one file on the import page (with the page's CSRF token); the answer, followed
    (through the check job) to the report."""
    token = csrf_of(client, "/import")
    files = [("files", (path.name, path.read_bytes()))]
    answer = client.post(
        "/import", data={"csrf": token, **form}, files=files, follow_redirects=False
    )
    return follow(client, answer)


def job_id_of(answer: Any) -> int | None:
    """The job a submitting answer names: a 303 to /jobs/N (pages, followed or not) or a 202
    (API); None when it names none."""
    for step in (*answer.history, answer):
        where = step.headers.get("location", "") or step.url.path
        if found := re.search(r"/jobs/(\d+)$", where):
            return int(found.group(1))
    return None


def wait_job(client: Any, answer: Any, timeout: float = 120) -> dict[str, Any]:
    """The job's state once it is finished (polled through `GET /api/jobs/{id}`)."""
    job_id, deadline = job_id_of(answer), time.monotonic() + timeout
    assert job_id is not None, f"not a job: {answer.status_code} {answer.text[:300]}"
    while True:
        state = client.get(f"/api/jobs/{job_id}").json()
        if state["state"] in ("done", "failed", "interrupted"):
            return state
        assert time.monotonic() < deadline, f"job {job_id} still {state['state']}"
        time.sleep(0.05)


def follow(client: Any, answer: Any) -> Any:
    """A submitting answer followed: the job waited for, then its outcome page (or, when it
    failed, the job's page)."""
    if answer.status_code >= 400 or job_id_of(answer) is None:
        return answer
    state = wait_job(client, answer)
    return client.get(state["url"] or state["page"], follow_redirects=True)


def signed_in_http(base: str, username: str = "city") -> Any:
    """An httpx client signed in to a server on loopback (its session cookie is Secure, so it
    is carried by hand over plain HTTP)."""
    import httpx

    client = httpx.Client(base_url=base, timeout=120)
    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    client.cookies.set("ib_session", page.cookies["ib_session"])
    data = {"username": username, "password": PASSWORD, "csrf": token, "next": "/"}
    client.cookies.set("ib_session", client.post("/login", data=data).cookies["ib_session"])
    return client
