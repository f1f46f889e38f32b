"""Hostile uploads (issue 13): a small xlsx that unpacks to gigabytes is refused from the zip's
directory before any sheet is parsed, at the command line and in the browser; a zip that is
not a workbook is refused as unreadable; a file with more errors than `max_reported_errors`
keeps a bounded list with exact counts (a loaded batch still stores every error)."""

from __future__ import annotations

import json
import re
import struct
import time
import zipfile
from pathlib import Path

import fastexcel
import polars as pl
import pytest
from typer.testing import CliRunner

from industry_brain.cli import app
from industry_brain.ingest.guess import guess_source
from industry_brain.ingest.kept import per_code
from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.problems import FileProblem
from industry_brain.ingest.read import read_file
from industry_brain.ingest.validate import validate_file
from web_helpers import upload

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv, write_xlsx

SHEET = "xl/worksheets/sheet1.xml"


def declare_size(path: Path, name: str, size: int) -> Path:
    """The zip with `name` claiming `size` unpacked bytes in its central directory (a bomb's
    directory, without writing gigabytes)."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length].decode() == name:
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 46)
    path.write_bytes(bytes(data))
    return path


def bomb(path: Path, size: int = 0xFFFF_FF00) -> Path:
    """A real statistics xlsx whose sheet declares ~4 GB unpacked."""
    write_xlsx(path, [STAT_HEADER, stat_row(1, year=2022)])
    return declare_size(path, SHEET, size)


@pytest.fixture
def no_parsing(monkeypatch):
    def parse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(fastexcel, "read_excel", parse)


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_parsing(
    workspace, tmp_path, no_parsing
):
    path = bomb(tmp_path / "bomb.xlsx")
    started = time.perf_counter()
    with pytest.raises(FileProblem, match="unpacks to 4,096 MB"):
        read_file(path)
    assert time.perf_counter() - started < 1
    report = ingest_file(workspace, path, "statistics", dry_run=True)
    assert report.status == "invalid" and report.codes() == {"F111"}
    message = report.errors[0].message_zh
    assert "文件解压后为 4,096 MB" in message and "超过上限 512 MB" in message
    assert "拆分文件或另存为 CSV" in message
    assert guess_source(path) == []  # the browser's source guess does not parse it either


def test_the_unpacked_limit_is_a_workspace_setting(workspace, tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "ok.xlsx", [STAT_HEADER, stat_row(1, year=2022)])
    assert ingest_file(workspace, path, "statistics", dry_run=True).status == "valid"
    monkeypatch.setitem(workspace.settings, "max_unpacked_mb", 0.001)
    assert ingest_file(workspace, path, "statistics", dry_run=True).codes() == {"F111"}


def test_the_command_line_refuses_the_bomb_too(tmp_path, no_parsing):
    path, ws = bomb(tmp_path / "bomb.xlsx"), str(tmp_path / "ws")
    result = CliRunner().invoke(app, ["validate", str(path), "-s", "statistics", "-w", ws])
    assert result.exit_code == 1 and "F111" in result.output


def test_a_zip_that_is_not_a_workbook_is_unreadable(workspace, tmp_path, no_parsing):
    path = tmp_path / "notes.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    report = ingest_file(workspace, path, "statistics", dry_run=True)
    assert report.codes() == {"F101"} and "[Content_Types].xml" in report.errors[0].message
    (tmp_path / "text.xlsx").write_text("统一社会信用代码,单位详细名称\n", "utf-8")
    report = ingest_file(workspace, tmp_path / "text.xlsx", "statistics", dry_run=True)
    assert report.codes() == {"F101"} and "should be a zip" in report.errors[0].message


def wrong_digit(serial: int) -> str:
    valid = make_uscc(serial=serial)
    return valid[:-1] + ("0" if valid[-1] != "0" else "1")


def many_errors(path: Path, bad: int, unknown: int = 3, good: int = 0) -> Path:
    """`bad` rows with a wrong check digit, `unknown` rows with an unknown industry code."""
    rows = [stat_row(i, year=2022, uscc=wrong_digit(i)) for i in range(1, bad + 1)]
    rows += [stat_row(bad + i, year=2022, industry="9999") for i in range(1, unknown + 1)]
    rows += [stat_row(bad + unknown + i, year=2022) for i in range(1, good + 1)]
    return write_csv(path, [STAT_HEADER, *rows])


def test_a_file_with_more_errors_than_the_cap_keeps_the_cap_and_exact_counts(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setitem(workspace.settings, "max_reported_errors", 50)
    report = ingest_file(workspace, many_errors(tmp_path / "bad.csv", 300), "statistics", 2022)
    assert report.status == "failed" and report.error_counts["R203"] == 300
    assert report.error_counts["R205"] == 3 and report.error_counts["F107"] == 1
    assert len(report.errors) <= 50 and {"R203", "R205", "F107"} <= report.codes()
    listed = len([e for e in report.errors if e.row is not None])
    assert report.errors_left_out == 303 - listed > 0
    assert len(report.to_json()) < 60_000


def test_a_loaded_batch_stores_every_error_though_the_report_lists_fewer(
    workspace, tmp_path, monkeypatch
):
    monkeypatch.setitem(workspace.settings, "max_reported_errors", 2)
    path = many_errors(tmp_path / "few.csv", 5, unknown=0, good=20)
    report = ingest_file(workspace, path, "statistics", 2022)
    assert report.status == "loaded" and len(report.errors) == 2
    assert report.errors_left_out == 3 and report.error_counts == {"R203": 5}
    stored = workspace.con.table("batch_error").count().to_pyarrow().as_py()
    assert stored == 5


@pytest.mark.parametrize(
    ("counts", "keep", "each"),
    [([5, 5], 100, 5), ([1000, 3], 50, 47), ([1000, 1000], 50, 25), ([9, 9, 9], 2, 0)],
)
def test_every_code_keeps_the_same_share_of_the_cap(counts, keep, each):
    assert per_code(counts, keep) == each
    assert sum(min(c, each) for c in counts) <= keep


@pytest.fixture
def client(city_client):
    return city_client


def test_an_uploaded_bomb_is_refused_in_chinese(client, tmp_path, no_parsing):
    review = upload(client, bomb(tmp_path / "企业数据.xlsx"), source="statistics")
    assert review.status_code == 200 and "不能入库" in review.text
    assert "F111" in review.text and "文件解压后为 4,096 MB" in review.text
    assert "请拆分文件或另存为 CSV 后重新提交" in review.text


def test_an_upload_with_thousands_of_errors_keeps_pending_json_small(
    client, workspace, tmp_path, monkeypatch
):
    monkeypatch.setitem(workspace.settings, "max_reported_errors", 100)
    review = upload(client, many_errors(tmp_path / "bad.csv", 2000), source="statistics")
    assert "R203 × 2000" in review.text and "另有 1904 条未列出" in review.text
    token = re.search(r"/import/([0-9a-f]+)/0/errors.xlsx", review.text).group(1)
    pending = workspace.path / "uploads" / token / "pending.json"
    assert pending.stat().st_size < 100_000
    assert json.loads(pending.read_text("utf-8"))[0]["report"]["errors_left_out"] == 1904
    book = client.get(f"/import/{token}/0/errors.xlsx")
    sheet = fastexcel.read_excel(book.content).load_sheet(0).to_polars()
    assert sheet.height == 101 and "另有 1904 条问题未列出" in sheet["说明"][-1]


def test_thousands_of_conflicting_copies_of_one_key_name_ten_rows_each(tmp_path):
    """Each R210 used to list every copy: 20,000 copies of one key took 2.6 GB."""
    rows = [stat_row(1, size=1000.0 + i, year=2022) for i in range(2000)]
    v = validate_file(write_csv(tmp_path / "copies.csv", [STAT_HEADER, *rows]), "statistics")
    conflicts = v.errors.filter(pl.col("code") == "R210")
    assert conflicts.get_column("row").n_unique() == 2000
    listed = json.loads(conflicts.item(0, "extra"))["rows"]
    assert listed == "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …"
