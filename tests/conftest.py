from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

sys.path.insert(0, str(Path(__file__).parent))

from industry_brain.workspace import Workspace
from pg_server import PgServer, find_bin

DATA = Path(__file__).parent / "data"

# Property tests check results, not speed: a shared 2-CPU CI runner can stall any example past
# Hypothesis' 200 ms deadline (test_numbers failed so under load), so there is no deadline.
settings.register_profile("default", deadline=None)
settings.load_profile("default")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PgServer]:
    """A throwaway PostgreSQL server for the session (`pg_server.py`); `new_database()` gives
    the URL of a new empty database. Without PostgreSQL installed the tests that need it are
    skipped, except under CI, where they fail (bin/system-packages installs it)."""
    bin_dir = find_bin()
    if bin_dir is None:
        reason = "PostgreSQL is not installed (no initdb): apt-get install postgresql"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (bin/system-packages installs it on CI)")
        pytest.skip(reason)
    server = PgServer(bin_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="session", autouse=True)
def test_backend(request: pytest.FixtureRequest) -> None:
    """IB_TEST_BACKEND=postgres: every workspace the tests make (helpers.workspace_at, so the
    `workspace`, `plan_city` and `web` fixtures too) keeps its warehouse in a new PostgreSQL
    database of the session's server instead of a DuckDB file."""
    import helpers

    backend = os.environ.get("IB_TEST_BACKEND", "duckdb")
    if backend not in ("duckdb", "postgres"):
        raise pytest.UsageError(f"IB_TEST_BACKEND={backend}: duckdb or postgres")
    if backend == "postgres":
        helpers.POSTGRES = request.getfixturevalue("postgres")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    from helpers import workspace_at

    ws = workspace_at(tmp_path / "ws")
    yield ws
    ws.close()


@pytest.fixture
def city_client(workspace: Workspace) -> object:
    """A test client of a fresh app on `workspace`, signed in as a city analyst (331000)."""
    from fastapi.testclient import TestClient

    from industry_brain.web.app import create_app
    from industry_brain.web.users import add_user
    from web_helpers import login

    add_user(workspace.con, "city", PASSWORD, "city", "331000")
    client = TestClient(create_app(workspace), base_url="https://testserver")
    login(client, "city")
    return client


@dataclass
class City:
    ws: Workspace
    inbox: Path
    manifest: object


@pytest.fixture(scope="session")
def plan_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    """A small synthetic Taizhou (3% scale, 2020–2022) with every department file loaded."""
    from helpers import load_city

    root = tmp_path_factory.mktemp("plan_city")
    ws, manifest = load_city(root, seed=7, scale=0.03, years=[2020, 2021, 2022])
    yield City(ws, root / "inbox", manifest)
    ws.close()


@dataclass
class Web:
    city: City
    client: object  # fastapi.testclient.TestClient, signed in per test with `login`
    users: dict[str, dict[str, str]]  # name → username, password, role, region, uscc


PASSWORD = "correct horse battery"


def _screen_chains(city: City, year: int) -> None:
    """Load the city's trade files (load_city leaves them out) and store a chains run."""
    from industry_brain.engines import engine
    from industry_brain.ingest.load import ingest_file
    from industry_brain.runs.store import create_run

    for f in city.manifest.files:  # type: ignore[attr-defined]
        if f.source == "trade" and not f.faulty:
            ingest_file(city.ws, city.inbox / f.path, f.source, f.year)
    chains = engine("chains")
    create_run(city.ws.con, chains, chains.load_spec("taizhou-supply-risk-2025"), year, "test")


@pytest.fixture(scope="session")
def web(plan_city: City) -> Iterator[Web]:
    """The small city with its trade loaded, a stored chains run and 亩均 run (2022) and one
    user per role and scope."""
    from fastapi.testclient import TestClient

    from industry_brain.engines.permu.spec import load_method
    from industry_brain.runs.permu import run_permu
    from industry_brain.web.app import create_app
    from industry_brain.web.users import add_user

    con = plan_city.ws.con
    runs = con.table("run")
    if not runs.filter(runs.engine == "chains").count().to_pyarrow().as_py():
        _screen_chains(plan_city, 2022)  # before the 亩均 run: the latest run stays 亩均's
    if not runs.filter(runs.spec_name == "taizhou-city-2022").count().to_pyarrow().as_py():
        run_permu(con, load_method("taizhou-city-2022"), 2022)
    scores = con.table("permu_score")
    graded = scores.filter((scores.region_code == "331003") & (scores.status == "evaluated"))
    uscc = graded.order_by("uscc").limit(1).to_pyarrow().to_pylist()[0]["uscc"]
    users = {
        "province": {"role": "province", "region": "330000"},
        "city": {"role": "city", "region": "331000"},
        "county": {"role": "county", "region": "331003"},
        "other_county": {"role": "county", "region": "331004"},
        "enterprise": {"role": "enterprise", "region": "331003", "uscc": uscc},
    }
    existing = set(con.table("app_user").username.to_pyarrow().to_pylist())
    for name, u in users.items():
        if name not in existing:
            add_user(con, name, PASSWORD, u["role"], u["region"], u.get("uscc"))
    client = TestClient(create_app(plan_city.ws), base_url="https://testserver")
    yield Web(plan_city, client, users)


@pytest.fixture(scope="session")
def live_server(web: Web) -> Iterator[str]:
    """The web app served by uvicorn on a free loopback port, in a thread."""
    import socket
    import threading
    import time

    import uvicorn

    from industry_brain.web.app import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(web.city.ws)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium, headless, driven by Playwright: one per test module.

    Not one per session: Playwright's sync API leaves its event loop marked as running on the main
    thread while it is open, so `asyncio.run` in any later test would refuse to start."""
    import shutil

    from playwright.sync_api import sync_playwright

    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Debian's chromium is needed for the browser tests (installed by .ci/run)"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=found, headless=True, args=["--no-sandbox"])
        yield b
        b.close()
