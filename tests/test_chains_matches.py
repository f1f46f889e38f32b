"""对接 records: one row per buyer input and candidate, its latest status, each change in the
audit log."""

from __future__ import annotations

import json

import pytest

from industry_brain.engines.chains.matches import MatchError, matches, record_match
from industry_brain.warehouse.audit import entries

B, C = "91331002MA0000001X", "91331002MA0000010X"


def test_a_pair_keeps_its_latest_status_and_every_change_is_audited(workspace):
    con = workspace.con
    record_match(con, B, "3484", C, "matched", "city", "331000", note="推荐给链长办")
    record_match(con, B, "3484", C, "contacted", "county", "331002")
    [row] = matches(con, B)
    assert (row["status"], row["updated_by"], row["note"]) == ("contacted", "county", None)
    record_match(con, B, "3360", C, "contracted", "city")
    assert [r["input_class"] for r in matches(con)] == ["3360", "3484"]  # latest first
    log = entries(con, object_type="chain_match").reverse()  # oldest first
    statuses = [json.loads(d)["status"] for d in log["detail"]]
    assert statuses == ["matched", "contacted", "contracted"]
    assert log["actor"].to_list() == ["city", "county", "city"]


def test_an_unknown_status_names_the_closest(workspace):
    with pytest.raises(MatchError, match="contacted"):
        record_match(workspace.con, B, "3484", C, "contactd", "city")
    assert matches(workspace.con) == []
