"""Helpers for building department files in tests."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.settings import DECLARED
from industry_brain.workspace import Workspace


def make_uscc(county: str = "331003", serial: int = 1) -> str:
    body = f"91{county}MA{serial:07d}"
    return body + stdnum_uscc.calc_check_digit(body)


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]],
    merges: Sequence[tuple[int, int, int, int, str]] = (),
    start_row: int = 0,
    start_col: int = 0,
    sheet: str = "Sheet1",
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": dt.datetime(2024, 1, 1)})
    ws = wb.add_worksheet(sheet)
    for r0, c0, r1, c1, text in merges:
        ws.merge_range(r0, c0, r1, c1, text)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                ws.write(start_row + i, start_col + j, value)
    wb.close()
    return path


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


STAT_HEADER = [
    "统一社会信用代码",
    "单位详细名称",
    "统计年度",
    "行政区划代码",
    "行业代码",
    "是否规上",
    "营业收入（万元）",
    "工业总产值（万元）",
    "工业增加值（万元）",
    "年平均职工人数",
]


def stat_row(serial: int, size: float = 5000.0, **overrides: Any) -> list[Any]:
    row = {
        "uscc": make_uscc(serial=serial),
        "name": f"台州测试{serial}有限公司",
        "year": 2020,
        "region": "331003",
        "industry": "3525",
        "above": "是",
        "revenue": size,
        "output": size,
        "value_added": size * 0.23,
        "employees": 50,
    }
    row.update(overrides)
    return list(row.values())


POSTGRES: Any = None  # the session's PostgreSQL server under IB_TEST_BACKEND=postgres (conftest)
OWNERS: dict[str, Path] = {}  # database URL → the workspace it was made for


def database_url(path: Path) -> str:
    """'' (a DuckDB file in the workspace), or under IB_TEST_BACKEND=postgres the workspace's
    own PostgreSQL database, made on first use and written to its settings.toml, so that the
    command line given `--workspace path` finds it too; a copied workspace directory gets a
    copy of the database."""
    if POSTGRES is None:
        return ""
    path = Path(path).resolve()
    config = path / "settings.toml"
    text = config.read_text("utf-8") if config.is_file() else ""
    url = str(tomllib.loads(text).get("database_url", "")) if text else ""
    if url and OWNERS.get(url, path) == path:
        OWNERS[url] = path
        return url
    new = str(POSTGRES.copy_database(url) if url else POSTGRES.new_database())
    OWNERS[new] = path
    kept = [line for line in text.splitlines() if not line.startswith("database_url")]
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("\n".join([*kept, f'database_url = "{new}"']) + "\n", "utf-8")
    return new


def workspace_at(path: Path, **settings: Any) -> Workspace:
    """A workspace at `path` with test settings (no environment or settings.toml involved); its
    warehouse is a DuckDB file, or a PostgreSQL database under IB_TEST_BACKEND=postgres."""
    values = {s.name: s.default for s in DECLARED} | {
        "workspace": str(path),
        "database_url": database_url(path),
        "max_rejected_share": 0.5,
        "demo_seed": 2020,
        "demo_scale": 1.0,
    }
    return Workspace(path, settings=values | settings)


SOURCE_ORDER = ["register", "statistics", "tax", "land", "electricity", "emissions"]


def load_city(
    root: Path,
    seed: int,
    scale: float,
    database_url: str | None = None,
    but: Sequence[tuple[str, int | None]] = (),
    **synth: Any,
) -> tuple[Workspace, Any]:
    """Write a synthetic city into root/inbox and ingest every sound department file, register
    first and year by year, into a workspace at root/ws (its warehouse at `database_url` when
    given), except the files of `but` (source, year); the workspace and the manifest."""
    from industry_brain.ingest.load import ingest_file
    from industry_brain.synth import write_city

    manifest = write_city(root / "inbox", seed=seed, scale=scale, **synth)
    ws = workspace_at(
        root / "ws", **({} if database_url is None else {"database_url": database_url})
    )
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = sorted(
        (f for f in manifest.files if f.source in SOURCE_ORDER and not f.faulty),
        key=lambda f: (f.year or 0, SOURCE_ORDER.index(f.source)),
    )
    for f in (f for f in files if (f.source, f.year) not in but):
        ingest_file(ws, root / "inbox" / f.path, f.source, f.year)
    return ws, manifest


def copy_of_served(ws: Workspace, app: Any, dest: Path) -> Workspace:
    """A copy at `dest` of the workspace an app serves, taken when its jobs are finished. The
    DuckDB file is copied by the database itself (COPY FROM DATABASE: the committed state, read
    in one transaction), not as a file: that would need a CHECKPOINT, which DuckDB refuses
    while any other connection to the file has a write transaction open."""
    assert app.state.jobs.wait_all(120), "a job of the served app did not finish in 120 s"
    database = ws.path / "warehouse.duckdb"
    shutil.copytree(
        ws.path, dest, ignore=shutil.ignore_patterns("warehouse.duckdb*", "server.json")
    )
    if ws.con.dialect == "duckdb":
        cursor = ws.con.con.cursor()
        try:
            (name,) = cursor.execute("SELECT current_database()").fetchone()
            target = str(dest / database.name).replace("'", "''")
            cursor.execute(f"ATTACH '{target}' AS copied")
            cursor.execute(f'COPY FROM DATABASE "{name}" TO copied')
            cursor.execute("DETACH copied")
        finally:
            cursor.close()
    return workspace_at(dest)
