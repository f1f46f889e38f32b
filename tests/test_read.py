from pathlib import Path

import polars as pl
import pytest

from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import read_file

from conftest import DATA
from helpers import write_csv


def test_gbk_csv_is_decoded():
    [sheet] = read_file(DATA / "tax_gbk_encoded.csv")
    assert sheet.encoding == "gb18030"
    assert sheet.cells.row(0)[:2] == ("纳税人识别号", "纳税人名称")
    assert sheet.cells.row(1)[3] == "1,234,567.89"


def test_utf8_bom_csv(tmp_path: Path):
    path = write_csv(
        tmp_path / "bom.csv", [["统一社会信用代码", "用电量"], ["x", "1"]], "utf-8-sig"
    )
    [sheet] = read_file(path)
    assert sheet.encoding == "utf-8"
    assert sheet.cells.row(0)[0] == "统一社会信用代码"


def test_xlsx_keeps_physical_position_and_merges():
    [sheet] = read_file(DATA / "statistics_merged_header_rows.xlsx")
    assert (sheet.first_row, sheet.first_col) == (1, 1)  # the title merge starts at B1
    assert sheet.column_label(0) == "B"
    assert (0, 1, 0, 8) in sheet.merged


def test_undecodable_csv_is_an_encoding_error(tmp_path: Path):
    path = tmp_path / "binary_garbage.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\xff" * 10)
    with pytest.raises(FileProblem) as info:
        read_file(path)
    assert info.value.error.code == "F102"


@pytest.mark.parametrize("name", ["missing.xlsx", "notes.docx"])
def test_missing_or_unsupported_file(tmp_path: Path, name: str):
    with pytest.raises(FileProblem) as info:
        read_file(tmp_path / name)
    assert info.value.error.code == "F101"


def test_corrupt_xlsx(tmp_path: Path):
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(FileProblem) as info:
        read_file(path)
    assert info.value.error.code == "F101"


def test_parquet_header_becomes_first_row(tmp_path: Path):
    path = tmp_path / "e.parquet"
    pl.DataFrame({"统一社会信用代码": ["a"], "排放当量": [1.5]}).write_parquet(path)
    [sheet] = read_file(path)
    assert sheet.cells.row(0) == ("统一社会信用代码", "排放当量")
    assert sheet.cells.row(1) == ("a", "1.5")
