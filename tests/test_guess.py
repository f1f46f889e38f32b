"""Guessing a department file's source: every synthetic department file, in every shape the
departments send (title rows, merged unit headers, GBK csv, parcels), is guessed right and with
a clear lead over the next source; an unreadable file gives no guess."""

import pytest

from industry_brain.ingest.guess import guess_source
from industry_brain.synth import write_city

SOURCES = {"register", "statistics", "tax", "land", "electricity", "emissions"}


@pytest.fixture(scope="module")
def inbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("guess_city")
    manifest = write_city(root, seed=3, scale=0.005, years=[2019, 2020, 2023])
    return root, [f for f in manifest.files if f.source in SOURCES]


def test_every_department_file_is_guessed_right(inbox):
    root, files = inbox
    assert {f.source for f in files} == SOURCES
    for f in files:
        first, second, *_ = guess_source(root / f.path)
        assert first.source == f.source, (f.path, first, second)
        assert first.confidence >= 0.6 and first.confidence > second.confidence, f.path


def test_an_unreadable_file_has_no_guess(tmp_path):
    bad = tmp_path / "not_a_workbook.xlsx"
    bad.write_bytes(b"this is not a zip file")
    assert guess_source(bad) == []
