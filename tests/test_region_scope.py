"""Loading within one's region (step check_region, R216): where an enterprise lies is the
register's word, else the row's own region; an enterprise known to neither is outside; a
province covers its cities; without a region (the command line) nothing is checked."""

import pytest

from industry_brain.ingest.load import ingest_file

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv

REGISTER = ["统一社会信用代码", "企业名称", "所属区县", "行业代码"]
TAX = ["纳税人识别号", "纳税人名称", "所属年度", "实缴税金（万元）"]


@pytest.fixture
def registered(workspace, tmp_path):
    """Two enterprises in Huangyan (331003) and one in Luqiao (331004)."""
    rows = [
        [make_uscc("331003", 1), "黄岩一厂", "黄岩区", "3525"],
        [make_uscc("331003", 2), "黄岩二厂", "黄岩区", "3525"],
        [make_uscc("331004", 3), "路桥三厂", "路桥区", "3525"],
    ]
    assert ingest_file(workspace, write_csv(tmp_path / "reg.csv", [REGISTER, *rows]), "register")
    return workspace


def outside(report) -> list[int]:
    return [e.row for e in report.errors if e.code == "R216"]


def test_the_register_says_where_an_enterprise_lies(registered, tmp_path):
    tax = [TAX, *([make_uscc("331003", i), f"厂{i}", 2022, 10] for i in (1, 2))]
    tax.append([make_uscc("331004", 3), "路桥三厂", 2022, 10])
    # Not registered and no region in the row: the USCC's registration authority decides.
    tax.append([make_uscc("331003", 9), "未登记厂", 2022, 10])
    tax.append([make_uscc("331081", 8), "未登记温岭厂", 2022, 10])
    path = write_csv(tmp_path / "tax.csv", tax)
    report = ingest_file(registered, path, "tax", dry_run=True, region="331003")
    assert outside(report) == [4, 6] and report.rows_loaded == 3
    [error] = [e for e in report.errors if e.row == 4]
    assert error.column == "纳税人识别号" and "331004" in error.message


def test_the_rows_region_counts_when_the_register_is_silent(registered, tmp_path):
    rows = [STAT_HEADER, stat_row(20, year=2022)]  # 331003, not registered
    rows.append(stat_row(21, year=2022, uscc=make_uscc("331004", 21), region="331004"))
    rows.append(stat_row(3, year=2022, uscc=make_uscc("331004", 3), region="331003"))
    path = write_csv(tmp_path / "stats.csv", rows)
    report = ingest_file(registered, path, "statistics", dry_run=True, region="331003")
    assert outside(report) == [3, 4]  # the register puts enterprise 3 in Luqiao


@pytest.mark.parametrize(("region", "rejected"), [("330000", []), ("331000", []), (None, [])])
def test_wider_regions_and_the_command_line(registered, tmp_path, region, rejected):
    tax = [TAX, [make_uscc("331004", 3), "路桥三厂", 2022, 10]]
    report = ingest_file(
        registered, write_csv(tmp_path / "t.csv", tax), "tax", dry_run=True, region=region
    )
    assert outside(report) == rejected


def test_another_city_is_outside(registered, tmp_path):
    tax = [TAX, [make_uscc("331004", 3), "路桥三厂", 2022, 10]]
    report = ingest_file(
        registered, write_csv(tmp_path / "t.csv", tax), "tax", dry_run=True, region="330100"
    )
    assert outside(report) == [2]
