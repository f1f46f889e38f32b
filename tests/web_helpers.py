"""Signing in and out of the test client."""

from __future__ import annotations

import re
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
    """Upload one file on the import page (with the page's CSRF token); the answer, followed."""
    token = csrf_of(client, "/import")
    files = [("files", (path.name, path.read_bytes()))]
    return client.post("/import", data={"csrf": token, **form}, files=files, follow_redirects=True)
