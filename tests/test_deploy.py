"""docs/deploy.md's province installation, started from the shipped files (deploy/) and used as
an analyst uses it: PostgreSQL; the workspace made by deploy/init-workspace.sh; two app workers
run by the systemd unit's command; nginx with deploy/nginx/industry-brain.conf in front. Through
nginx, over HTTPS, a city analyst signs in, loads a department file and runs 亩均; the province
approves and publishes the run and downloads its lists. A session holds on every worker, and
ends on every worker; nginx rate-limits sign-in pages."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastexcel
import httpx
import pytest

from deploy_helpers import (
    BIN,
    INIT,
    REPO,
    SITE,
    UNIT,
    environment,
    find_nginx,
    free_port,
    init_workspace,
    nginx_dir,
    start,
    stop,
    wait_until,
    worker_command,
)
from web_helpers import csrf_of, follow, login, upload, wait_job

from conftest import PASSWORD
from helpers import load_city

DOC = REPO / "docs" / "deploy.md"
THROUGH_WEB = ("emissions", 2022)  # loaded through nginx; the rest of the city beforehand
USERS = {"city": ("city", "331000"), "province": ("province", "330000")}


def test_the_docs_show_the_shipped_files_as_they_are():
    blocks = re.findall(r"^```\w*\n(.*?)^```$", DOC.read_text("utf-8"), re.S | re.M)
    for path in (UNIT, SITE, INIT):
        assert path.read_text("utf-8") in blocks, f"docs/deploy.md shows another {path.name}"


@dataclass
class Province:
    url: str  # nginx's
    workers: list[int]  # the app workers' ports
    workspace: Path
    inbox: Path  # the city's department files
    manifest: Any


@pytest.fixture
def province(postgres: Any, tmp_path: Path) -> Iterator[Province]:
    nginx = find_nginx()
    if nginx is None or shutil.which("openssl") is None:
        reason = "nginx or openssl is not installed: apt-get install nginx openssl"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (bin/system-packages installs it on CI)")
        pytest.skip(reason)
    url, ws = postgres.new_database(), tmp_path / "ws"
    assert "no enterprise data loaded yet" in init_workspace(ws, url)  # migrated, empty
    assert (ws / "secret.key").stat().st_size == 64 and ws.stat().st_mode & 0o777 == 0o700
    city, manifest = load_city(tmp_path, 7, 0.01, url, but=[THROUGH_WEB], years=[2022])
    city.close()  # Huangyan's 2022 but one file, for a 亩均 run with the spec's own benchmarks
    workers, listen = [free_port(), free_port()], free_port()
    assert len({*workers, listen}) == 3
    conf, as_user = nginx_dir(workers, listen)
    started: list[tuple[subprocess.Popen[bytes], Path]] = []  # each with its log
    try:
        for port in workers:
            argv, env = worker_command(port, ws)
            log = tmp_path / f"worker-{port}.log"
            started.append((start(argv, log, env), log))
        env = environment(INDUSTRY_BRAIN_WORKSPACE=str(ws))  # users added beside the workers
        for name, (role, region) in USERS.items():
            add = [str(BIN / "industry-brain"), "user", "add", name, "--role", role]
            log = tmp_path / f"user-{name}.log"
            started.append(
                (start([*add, "--region", region, "--password", PASSWORD], log, env), log)
            )
        for process, log in started[2:]:
            assert process.wait(120) == 0, log.read_text()
        for port, (process, log) in zip(workers, started, strict=False):
            wait_until(f"http://127.0.0.1:{port}/static/css/app.css", process, log)
        log = conf / "error.log"
        argv = [*as_user, nginx, "-p", str(conf), "-c", str(conf / "nginx.conf"), "-e", str(log)]
        started.append((start(argv, tmp_path / "nginx.log"), log))
        wait_until(f"https://127.0.0.1:{listen}/static/css/app.css", *started[-1])
        yield Province(f"https://127.0.0.1:{listen}", workers, ws, tmp_path / "inbox", manifest)
    finally:
        stop([process for process, _ in started])
        shutil.rmtree(conf, ignore_errors=True)


def post(client: httpx.Client, path: str, page: str, **data: str) -> httpx.Response:
    """A form posted with the CSRF token of `page`."""
    return client.post(path, data={"csrf": csrf_of(client, page), **data})


def eventually(check: Any, seconds: float = 2.0) -> Any:
    """check() until it is true (a worker reads the data version every half second)."""
    deadline = time.monotonic() + seconds
    while not (found := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_an_analyst_loads_runs_and_publishes_through_nginx(province: Province) -> None:
    with httpx.Client(base_url=province.url, verify=False, timeout=300) as client:
        signed_in = login(client, "city")
        assert signed_in.status_code == 303, signed_in.text
        assert "secure" in signed_in.headers["set-cookie"].lower()  # cookie_secure, over HTTPS
        wanted = next(f for f in province.manifest.files if (f.source, f.year) == THROUGH_WEB)
        review = upload(client, province.inbox / wanted.path, source="emissions", year="2022")
        assert review.status_code == 200 and "校验报告" in review.text, review.text[:500]
        token = review.url.path.rsplit("/", 1)[1]
        loaded = follow(client, post(client, f"/import/{token}/load", review.url.path))
        assert "已入库，批次 6" in loaded.text, loaded.text[-2000:]  # the 5 loaded before, then it
        made = post(client, "/api/permu/runs", "/runs", spec="taizhou-huangyan-2022", year="2022")
        assert made.status_code == 202, made.text
        job = wait_job(client, made)
        assert job["state"] == "done", job
        run = job["result"]["run_id"]
        assert post(client, f"/api/permu/runs/{run}/submit", f"/runs/{run}").status_code == 303

        assert login(client, "province").status_code == 303
        assert post(client, f"/api/permu/runs/{run}/approve", f"/runs/{run}").status_code == 303
        published = post(client, f"/api/permu/runs/{run}/publish", f"/runs/{run}")
        assert published.status_code == 202 and wait_job(client, published)["state"] == "done"
        book = client.get(f"/runs/{run}/workbook.xlsx")
        assert book.status_code == 200 and "汇总" in fastexcel.read_excel(book.content).sheet_names

        # The session (made on the worker nginx chose) is valid on each worker, which sees the
        # publication made through the other within half a second; signing out ends it on both.
        cookie = {"cookie": f"ib_session={client.cookies['ib_session']}"}
        for port in province.workers:
            page = f"http://127.0.0.1:{port}/runs/{run}"
            assert eventually(lambda page=page: "已发布" in httpx.get(page, headers=cookie).text)
            assert httpx.get(page).status_code == 401
        assert not (province.workspace / "warehouse.duckdb").exists()  # PostgreSQL's only
        assert post(client, "/logout", "/runs").status_code == 303
        for port in province.workers:
            page = f"http://127.0.0.1:{port}/runs/{run}"
            assert httpx.get(page, headers=cookie).status_code == 401

        # nginx's limit on /login: 5 at once beyond its 10 a minute, then 503.
        answers = [client.get("/login").status_code for _ in range(10)]
        assert 200 in answers and 503 in answers, answers
