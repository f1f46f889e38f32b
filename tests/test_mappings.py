"""Saved header mappings: a department's new header variant is mapped once, then read without
a code change; the mapping is part of the spec hash recorded on the batch; a misspelt field is
refused with a suggestion; saving again replaces the mapping, and each save is audited."""

import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.mappings import MappingError, all_mappings, save_mapping, spec_for
from industry_brain.ingest.spec import load_spec
from industry_brain.warehouse.audit import entries

from helpers import STAT_HEADER, stat_row, write_xlsx

VARIANT = ["年末从业人数" if h == "年平均职工人数" else h for h in STAT_HEADER]


def test_a_mapped_variant_loads_and_changes_the_spec_hash(workspace, tmp_path):
    path = write_xlsx(tmp_path / "variant.xlsx", [VARIANT, stat_row(1, year=2022)])
    before = ingest_file(workspace, path, "statistics", 2022, dry_run=True)
    assert [e.code for e in before.errors] == ["W304"]  # resembles 年平均职工人数: not guessed
    assert "employees" not in {c["field"] for c in before.columns}
    save_mapping(workspace.con, "statistics", " 年末从业人数 ", "employees", "city")
    assert spec_for(workspace.con, "statistics").sha256 != load_spec("statistics").sha256
    after = ingest_file(workspace, path, "statistics", 2022)
    assert after.status == "loaded" and after.errors == []
    [employees] = [c for c in after.columns if c["field"] == "employees"]
    assert employees["how"] == "saved"
    batch = workspace.con.table("batch").to_pyarrow().to_pylist()[0]
    assert batch["spec_sha256"] == spec_for(workspace.con, "statistics").sha256
    assert spec_for(workspace.con, "tax").sha256 == load_spec("tax").sha256  # other sources


def test_a_misspelt_field_is_refused_with_a_suggestion(workspace):
    with pytest.raises(MappingError, match="employees"):
        save_mapping(workspace.con, "statistics", "年末从业人数", "employes", "city")
    with pytest.raises(MappingError, match="empty"):
        save_mapping(workspace.con, "statistics", "  ", "employees", "city")
    assert all_mappings(workspace.con) == []


def test_saving_again_replaces_and_is_audited(workspace):
    save_mapping(workspace.con, "statistics", "年末从业人数", "revenue", "city")
    save_mapping(workspace.con, "statistics", "年末从业人数", "employees", "city2")
    [m] = all_mappings(workspace.con)
    assert (m["field"], m["created_by"]) == ("employees", "city2")
    log = entries(workspace.con, action="mapping.save")
    assert log["actor"].to_list() == ["city2", "city"]
