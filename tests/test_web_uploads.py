"""Pending uploads: kept until loaded or cancelled, cleared after a day, never reachable by a
forged token."""

import os
import time

import pytest

from industry_brain.web import uploads
from industry_brain.web.errors import ApiError


def test_uploads_older_than_a_day_are_cleared(tmp_path):
    for token, age in (("old", 2 * 86400), ("fresh", 3600)):
        at = uploads.root(tmp_path) / token
        at.mkdir(parents=True)
        uploads.save(at, [])
        then = time.time() - age
        os.utime(at / "pending.json", (then, then))
    assert uploads.clear_old(tmp_path) == 1
    assert uploads.folder(tmp_path, "fresh").name == "fresh"
    with pytest.raises(ApiError):
        uploads.folder(tmp_path, "old")


@pytest.mark.parametrize("token", ["../etc", "a/b", "", "fresh.."])
def test_a_token_is_never_a_path(tmp_path, token):
    with pytest.raises(ApiError) as raised:
        uploads.folder(tmp_path, token)
    assert raised.value.status == 404
