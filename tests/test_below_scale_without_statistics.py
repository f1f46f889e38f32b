"""Identity from any source: a 规下 enterprise known from the register, tax, land and power
but with no statistics row (real 规下 firms usually have none) is evaluated on its track; an
enterprise known only from tax is kept with the name the tax file gives."""

from __future__ import annotations

from pathlib import Path

from industry_brain.engines.permu.spec import load_method
from industry_brain.ingest.load import ingest_file
from industry_brain.runs.permu import run_permu

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv


def _load(ws, tmp: Path, name: str, rows: list[list[object]], source: str) -> None:
    report = ingest_file(ws, write_csv(tmp / name, rows), source)
    assert report.status == "loaded", [e.message for e in report.errors]


def test_a_below_scale_firm_without_statistics_is_evaluated(workspace, tmp_path):
    firms = [make_uscc(serial=i) for i in range(1, 9)]
    register = [["统一社会信用代码", "企业名称", "所属区县", "行业代码", "成立日期"]]
    register += [
        [u, f"台州测试{i}有限公司", "黄岩区", "3525", "2010-01-01"] for i, u in enumerate(firms, 1)
    ]
    _load(workspace, tmp_path, "register.csv", register, "register")
    for year in (2021, 2022):
        # Statistics only for the two 规上 firms; six 规下 firms have tax, land and power only.
        stats = [STAT_HEADER, stat_row(1, year=year), stat_row(2, year=year, size=9000.0)]
        _load(workspace, tmp_path, f"stats{year}.csv", stats, "statistics")
        tax = [["纳税人识别号", "所属年度", "实缴税金（万元）"]]
        tax += [[u, year, 20 + 5 * i] for i, u in enumerate(firms)]
        _load(workspace, tmp_path, f"tax{year}.csv", tax, "tax")
        land = [["统一社会信用代码", "年度", "宗地编号", "用地面积（亩）", "权属"]]
        land += [[u, year, f"P{i}", 8 + i, "出让"] for i, u in enumerate(firms)]
        _load(workspace, tmp_path, f"land{year}.csv", land, "land")
        power = [["统一社会信用代码", "年度", "户号", "用电量（千瓦时）"]]
        power += [[u, year, f"00{i}", 200000 + 10000 * i] for i, u in enumerate(firms)]
        _load(workspace, tmp_path, f"power{year}.csv", power, "electricity")
    ey = workspace.con.table("enterprise_year").filter(lambda t: t.year == 2022).to_polars()
    below = ey.filter(ey["uscc"].is_in(firms[2:]))
    assert below.height == 6 and below["above_scale"].to_list() == [False] * 6
    assert below["statistics_batch_id"].null_count() == 6  # unmatched in statistics
    run = run_permu(workspace.con, load_method("taizhou-city-2022"), 2022)
    scores = run.scores.filter(run.scores["uscc"].is_in(firms[2:]))
    assert scores["status"].to_list() == ["evaluated"] * 6
    assert set(scores["track"]) == {"below_scale"} and scores["grade"].null_count() == 0


def test_an_enterprise_known_only_from_tax_is_kept(workspace, tmp_path):
    only = make_uscc(serial=77)
    tax = [
        ["纳税人识别号", "纳税人名称", "所属年度", "实缴税金（万元）"],
        [only, "台州仅税务有限公司", 2022, 12],
    ]
    _load(workspace, tmp_path, "tax.csv", tax, "tax")
    ent = workspace.con.table("enterprise").to_polars()
    kept = ent.filter(ent["uscc"] == only)
    assert kept["name"].to_list() == ["台州仅税务有限公司"]
    assert kept["region_code"].to_list() == ["331003"]  # its code's registration authority
    ey = workspace.con.table("enterprise_year").to_polars()
    assert ey.filter(ey["uscc"] == only)["above_scale"].to_list() == [False]
