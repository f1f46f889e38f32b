"""Pending uploads: kept until loaded or cancelled, cleared after a day, never reachable by a
forged token."""

import os
import time

import pytest

from industry_brain.web import uploads
from industry_brain.web.errors import ApiError
from industry_brain.web.scope import Scope

COUNTY = Scope("huangyan", "county", "331003")


def test_uploads_older_than_a_day_are_cleared(tmp_path):
    made = {}
    for name, age in (("old", 2 * 86400), ("fresh", 3600)):
        at = made[name] = uploads.create(tmp_path, COUNTY)
        uploads.save(at, [])
        then = time.time() - age
        for path in at.iterdir():  # untouched since: its files, the owner's record included
            os.utime(path, (then, then))
    assert uploads.clear_old(tmp_path) == 1
    assert uploads.folder(tmp_path, made["fresh"].name, COUNTY) == made["fresh"]
    with pytest.raises(ApiError):
        uploads.folder(tmp_path, made["old"].name, COUNTY)


@pytest.mark.parametrize("token", ["../etc", "a/b", "", "fresh..", "a" * 5000, "ａｂ"])
def test_a_token_is_never_a_path(tmp_path, token):
    with pytest.raises(ApiError) as raised:
        uploads.folder(tmp_path, token, COUNTY)
    assert raised.value.status == 404


@pytest.mark.parametrize(
    ("who", "change", "allowed"),
    [
        (COUNTY, True, True),
        (Scope("luqiao", "county", "331004"), False, False),  # another county
        (Scope("city", "city", "331000"), False, True),  # the region above reads
        (Scope("city", "city", "331000"), True, False),  # but does not change
        (Scope("firm", "enterprise", "331003", "91331003MA0000001X"), False, False),
    ],
)
def test_an_upload_belongs_to_its_uploader(tmp_path, who, change, allowed):
    at = uploads.create(tmp_path, COUNTY)
    uploads.save(at, [])
    if allowed:
        assert uploads.folder(tmp_path, at.name, who, change) == at
    else:
        with pytest.raises(ApiError) as raised:
            uploads.folder(tmp_path, at.name, who, change)
        assert raised.value.status == 404


@pytest.mark.parametrize(
    ("name", "stored"),
    [("a" * 300 + ".xlsx", "a" * 145 + ".xlsx"), ("../../etc/passwd", "passwd"), ("", "file0")],
)
def test_a_file_name_is_stored_short_and_flat(name, stored):
    assert uploads.safe_name(name, "file0") == stored
