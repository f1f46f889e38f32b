from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from industry_brain.ingest.xlsx_layout import cell_index, merged_ranges, sheet_start
from industry_brain.synth import write_city

from conftest import DATA
from helpers import write_xlsx


def calamine_layout(path: Path, sheet: str):
    info = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet)
    merged = sorted((a[0], a[1], b[0], b[1]) for a, b in info.merged_cell_ranges or [])
    return info.start, merged


def test_cell_index():
    assert cell_index("A1") == (0, 0)
    assert cell_index("B3") == (2, 1)
    assert cell_index("AA10") == (9, 26)
    with pytest.raises(ValueError):
        cell_index("3B")


def test_layout_equals_calamine_on_merged_header_fixture():
    path = DATA / "statistics_merged_header_rows.xlsx"
    assert (sheet_start(path, "Sheet1"), merged_ranges(path, "Sheet1")) == calamine_layout(
        path, "Sheet1"
    )


def test_layout_equals_calamine_on_offset_table(tmp_path):
    path = write_xlsx(
        tmp_path / "offset.xlsx",
        [["a", "b"], [1, 2]],
        start_row=4,
        start_col=3,
        merges=[(2, 3, 2, 4, "title")],
        sheet="数据 & 说明",
    )
    assert sheet_start(path, "数据 & 说明") == (2, 3)
    assert (sheet_start(path, "数据 & 说明"), merged_ranges(path, "数据 & 说明")) == (
        calamine_layout(path, "数据 & 说明")
    )


def test_layout_equals_calamine_on_synthetic_department_files(tmp_path):
    manifest = write_city(tmp_path, seed=1, scale=0.01, years=[2020])
    for f in manifest.files:
        if f.format == "xlsx":
            path = tmp_path / f.path
            assert (sheet_start(path, f.sheet), merged_ranges(path, f.sheet)) == calamine_layout(
                path, f.sheet
            ), f.path
