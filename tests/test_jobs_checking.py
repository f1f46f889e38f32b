"""Checking an upload in a worker process gives the report `ingest_file(dry_run=True)` gives on
the warehouse itself: the worker reads a Parquet snapshot of the lookups, the parent adds
whether the same records are loaded already."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.lookups import WarehouseLookups
from industry_brain.jobs import checking, snapshot
from industry_brain.web.import_jobs import LIMITS, _checked


@pytest.fixture(scope="module")
def reader(web):
    view = web.city.ws.reader()
    yield view
    view.close()


def test_the_snapshot_holds_what_the_warehouse_lookups_give(reader, tmp_path):
    snap = snapshot.take(reader, tmp_path)
    lookups = snapshot.SnapshotLookups(tmp_path, snap["parks"])
    direct = WarehouseLookups(reader.con, reader.parks())
    assert lookups.parks() == direct.parks() and lookups.parks()
    assert lookups.enterprises().sort("uscc").equals(direct.enterprises().sort("uscc"))
    columns = ["revenue", "employees"]
    ours, theirs = lookups.enterprise_years(columns), direct.enterprise_years(columns)
    assert ours.sort("uscc", "year").equals(theirs.sort("uscc", "year")) and ours.height


def _files(web) -> list:
    files = [f for f in web.city.manifest.files if f.source != "register"]
    faulty = [f for f in files if f.faulty][:3]
    sound = {f.source: f for f in files if not f.faulty and f.year == 2022}
    return [*faulty, *list(sound.values())[:4]]


def test_the_worker_reports_what_a_dry_run_reports(web, reader, tmp_path):
    snap = snapshot.take(reader, tmp_path / "snap")
    limits = {k: reader.settings[k] for k in LIMITS}
    checked = 0
    for f in _files(web):
        path = web.city.inbox / f.path
        item = {"name": path.name, "path": f.path, "source": f.source, "year": f.year}
        found = checking.check(str(path), item | {"region": None}, snap, limits)
        ours = _checked(SimpleNamespace(ws=reader), found)["report"]
        dry = ingest_file(reader, path, f.source, f.year, dry_run=True).to_dict()
        assert json.loads(json.dumps(ours, default=str)) == json.loads(
            json.dumps(dry, default=str)
        ), f.path
        assert found["item"]["guesses"] and found["peak_rss_mb"] > 0
        checked += 1
    assert checked >= 4
