"""End to end: a synthetic city with every fault kind injected, ingested file by file.

For every injected fault the report carries the fault's code at its file, row and column; every
file accounts for all its rows; the file missing a column fails and changes nothing.
"""

from collections import Counter

import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.synth import FAULT_CODES, write_city

from helpers import workspace_at

ORDER = ["register", "statistics", "tax", "land", "electricity", "emissions"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    root = tmp_path_factory.mktemp("faulty_city")
    manifest = write_city(root / "inbox", seed=7, scale=0.03, faults=0.01, missing_column=True)
    ws = workspace_at(root / "ws")
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = sorted(
        (f for f in manifest.files if f.source in ORDER and not f.faulty),
        key=lambda f: (f.year or 0, ORDER.index(f.source)),
    )
    reports = {f.path: ingest_file(ws, root / "inbox" / f.path, f.source, f.year) for f in files}
    yield root, manifest, ws, reports
    ws.close()


def test_every_fault_kind_was_injected(ingested):
    _, manifest, _, _ = ingested
    kinds = Counter(f.kind for f in manifest.faults)
    assert set(FAULT_CODES) <= set(kinds), set(FAULT_CODES) - set(kinds)


def test_every_fault_is_reported_with_code_and_location(ingested):
    _, manifest, _, reports = ingested
    missed = []
    for fault in manifest.faults:
        if fault.file not in reports:
            continue
        located = {(e.code, e.row, e.column) for e in reports[fault.file].errors}
        if (fault.code, fault.row, fault.column) not in located:
            missed.append(fault)
    assert not missed, missed[:5]


def test_rows_in_equal_loaded_plus_rejected(ingested):
    _, manifest, _, reports = ingested
    for f in manifest.files:
        if f.path in reports:
            r = reports[f.path]
            assert r.status == "loaded", (f.path, r.error_counts)
            assert r.rows_in == r.rows_loaded + r.rows_rejected
            assert r.rows_in + sum(r.rows_skipped.values()) == f.rows, f.path


def test_file_missing_a_column_fails_and_changes_nothing(ingested):
    root, manifest, ws, _ = ingested
    [broken] = [f for f in manifest.files if f.faulty]
    before = ws.con.table("batch").count().to_pyarrow().as_py()
    report = ingest_file(ws, root / "inbox" / broken.path, broken.source, broken.year)
    assert report.status == "failed"
    [error] = report.errors
    assert error.code == "F104" and "营业额" in error.message
    assert ws.con.table("batch").count().to_pyarrow().as_py() == before


def test_reingesting_the_city_changes_nothing(ingested):
    root, manifest, ws, reports = ingested
    for f in manifest.files:
        if f.path in reports:
            again = ingest_file(ws, root / "inbox" / f.path, f.source, f.year)
            assert again.status == "unchanged" and again.batch_id == reports[f.path].batch_id


def test_every_reported_error_has_its_message_in_chinese(ingested):
    import re

    _, _, _, reports = ingested
    english = re.compile(r"did you mean|maximum|minimum|fails|register's|not registered")
    messages = [e.message_zh for r in reports.values() for e in r.errors]
    assert messages and all(m for m in messages)
    assert [m for m in messages if english.search(m)] == []
