"""产业链 pages (web/chains.py) on the session city's chains run (conftest `web`): each page as
the city and a county (a county sees only its own buyers; another county's is refused), the
network drawn capped and equal to the trade loaded, the counts of the paged lists equal to the
run's rows, the 对接 form (recorded, audited; refused without its CSRF token, to an enterprise
and to another county) and the Excel exports (a formula-looking name stays text)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import fastexcel
import polars as pl
import pytest
from fastapi.testclient import TestClient

from industry_brain.engines.chains.matches import matches
from industry_brain.web.app import create_app
from industry_brain.web.chain_network import network
from industry_brain.web.scope import Scope
from test_xlsx_injection import LINK, assert_text_only
from web_helpers import csrf_of, login

CHAIN = "taizhou-auto"


@pytest.fixture(scope="module")
def run(web) -> dict[str, Any]:
    runs = web.city.ws.con.table("run").filter(lambda t: t.engine == "chains").to_polars()
    return runs.sort("run_id").to_dicts()[-1]


def _table(web, name: str, run: dict[str, Any]) -> pl.DataFrame:
    t = web.city.ws.con.table(name)
    return t.filter(t.run_id == run["run_id"]).to_polars()


def _register(web) -> pl.DataFrame:
    return web.city.ws.con.table("enterprise").select("uscc", "name", "region_code").to_polars()


def _flags(web, run) -> pl.DataFrame:
    """The run's flags with their buyer's county."""
    reg = _register(web).rename({"uscc": "buyer_uscc", "name": "buyer_name"})
    return _table(web, "chain_flag", run).join(reg, on="buyer_uscc")


def _members(web, run, chain: str = CHAIN, segment: str | None = None) -> pl.DataFrame:
    """The chain's (segment's) enterprises of the city active in the run's year, directly: their
    industry class among the segment's classes (the run's stored chain)."""
    from industry_brain.runs.spec_store import stored_spec

    spec = stored_spec(web.city.ws.con, run["run_id"])
    [found] = [c for c in spec.chains if c.id == chain]
    classes = {k for s in found.segments if segment in (None, s.id) for k in s.classes}
    ent = web.city.ws.con.table("enterprise").to_polars()
    ey = web.city.ws.con.table("enterprise_year").to_polars()
    active = ey.filter(pl.col("year") == run["year"])["uscc"]
    return ent.filter(
        pl.col("industry_code").is_in(list(classes))
        & pl.col("region_code").str.starts_with("3310")
        & pl.col("uscc").is_in(active.to_list())
    )


def _count(page: str, unit: str) -> int:
    found = re.search(rf"共 ([\d,]+) {unit}", page)
    assert found, page[:2000]
    return int(found.group(1).replace(",", ""))


def _risk_path(flag: dict[str, Any], run) -> str:
    return f"/chains/risks/{flag['buyer_uscc']}/{flag['input_class']}?run={run['run_id']}"


def test_the_menu_has_the_chains_for_analysts_only(web):
    login(web.client, "county")
    assert re.search(r'<a href="/chains"[^>]*>产业链</a>', web.client.get("/").text)
    login(web.client, "enterprise")
    for path in ("/chains", f"/chains/{CHAIN}", "/chains/risks", "/chains/risks.xlsx"):
        answer = web.client.get(path, headers={"accept": "text/html"})
        assert answer.status_code == 403, path
        assert "无权访问" in answer.text


def test_the_overview_has_a_card_per_chain_with_its_figures(web, run):
    login(web.client, "city")
    page = web.client.get("/chains").text
    seg = _table(web, "chain_segment", run)
    for name in seg["chain_name"].unique().to_list():
        assert f">{name}</a>" in page or f">{name}<" in page, name
    assert f'href="/chains/{CHAIN}?run={run["run_id"]}"' in page
    members = _members(web, run)
    assert f"{members.height:,} 家" in page  # each enterprise counted once across segments
    flagged = _flags(web, run).filter(pl.col("buyer_uscc").is_in(members["uscc"].to_list()))
    assert f"{flagged['buyer_uscc'].n_unique()} 家</a>" in page
    assert "示范产业链" in page and f"{run['year']}年" in page


def test_a_chain_map_shows_its_segments_by_stage_and_its_leaders(web, run):
    login(web.client, "city")
    page = web.client.get(f"/chains/{CHAIN}").text
    seg = _table(web, "chain_segment", run).filter(pl.col("chain_id") == CHAIN)
    assert "上游" in page and "中游" in page
    for r in seg.iter_rows(named=True):
        assert r["segment_name"] in page
        if r["enterprises"]:
            assert f"{r['exposure_one']:,.1f} 万元" in page and f"{r['output']:,.1f} 万元" in page
    leaders = _table(web, "chain_leader", run).filter(pl.col("chain_id") == CHAIN)
    assert all(n in page for n in leaders["name"])
    login(web.client, "county")  # its own 链主 only
    page = web.client.get(f"/chains/{CHAIN}").text
    region = dict(_register(web).select("uscc", "region_code").iter_rows())
    for r in leaders.iter_rows(named=True):
        assert (r["name"] in page) == region[r["uscc"]].startswith("331003"), r["name"]
    assert web.client.get("/chains/no-such-chain").status_code == 404


def _graph(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="chain-graph-data">(.*?)</script>', page)
    assert found
    return dict(json.loads(unescape(found.group(1))))


def test_the_network_is_capped_and_equal_to_the_trade_loaded(web, run):
    login(web.client, "city")
    graph = _graph(web.client.get(f"/chains/{CHAIN}").text)
    nodes, links = graph["nodes"], graph["links"]
    assert 0 < len(nodes) <= 120 and links
    ids = {n["id"] for n in nodes}
    assert all(link["source"] in ids and link["target"] in ids for link in links)
    trade = web.city.ws.con.table("trade").to_polars().filter(pl.col("year") == run["year"])
    members = set(_members(web, run)["uscc"])
    for link in links:  # each link: the trade rows of its supplier (by name) and buyer
        buyer = nodes[int(link["target"])]
        uscc = buyer["href"].rsplit("/", 1)[1]
        assert uscc in members
        rows = trade.filter(
            (pl.col("buyer_uscc") == uscc)
            & (pl.col("seller_name").str.strip_chars() == nodes[int(link["source"])]["name"])
        )
        assert abs(rows["amount"].sum() - link["value"]) < 1e-6, (buyer["name"], link)
    bought = sum(link["value"] for link in links)
    everything = trade.filter(pl.col("buyer_uscc").is_in(list(members)))["amount"].sum()
    assert bought <= everything + 1e-6
    if graph["total_nodes"] <= 120:  # nothing left out: every purchase drawn
        assert abs(bought - everything) < 1e-6 and len(links) == graph["total_links"]
    small = network(web.city.ws.con, run["run_id"], CHAIN, Scope("c", "city", "331000"), 10)
    assert len(small["nodes"]) <= 10 and small["links"]
    assert {x["value"] for x in small["links"]} <= {x["value"] for x in links}
    county = Scope("k", "county", "331003")
    chains = _table(web, "chain_segment", run)["chain_id"].unique().sort().to_list()
    drawn = [c for c in chains if network(web.city.ws.con, run["run_id"], c, county)["links"]]
    assert drawn
    login(web.client, "county")  # its buyers only
    found = _graph(web.client.get(f"/chains/{drawn[0]}").text)
    region = dict(_register(web).select("uscc", "region_code").iter_rows())
    for link in found["links"]:
        href = found["nodes"][int(link["target"])]["href"]
        assert region[href.rsplit("/", 1)[1]].startswith("331003")


def test_a_segment_lists_its_enterprises_a_page_at_a_time(web, run):
    login(web.client, "city")
    seg = _table(web, "chain_segment", run)
    row = seg.filter((pl.col("chain_id") == CHAIN) & (pl.col("segment_id") == "parts")).row(
        0, named=True
    )
    path = f"/chains/{CHAIN}/segments/parts"
    first = web.client.get(f"{path}?size=10").text
    assert _count(first, "家") == row["enterprises"] == _members(web, run, CHAIN, "parts").height
    second = web.client.get(f"{path}?size=10&page=2").text
    names = lambda p: set(re.findall(r'<a href="/enterprise/(\w{18})">', p))  # noqa: E731
    assert len(names(first)) == 10 and not names(first) & names(second)
    by_output = web.client.get(f"{path}?size=500&sort=output&order=desc").text
    shown = re.findall(r'<a href="/enterprise/(\w{18})">', by_output)
    assert len(shown) == row["enterprises"]
    assert (
        f'合计（全部 {row["enterprises"]:,} 家）</th><td class="num">{row["output"]:,.1f}</td>'
        in by_output
    )
    login(web.client, "county")
    page = web.client.get(f"{path}?size=500").text
    mine = _members(web, run, CHAIN, "parts").filter(pl.col("region_code") == "331003")
    assert _count(page, "家") == mine.height
    assert set(re.findall(r'<a href="/enterprise/(\w{18})">', page)) == set(mine["uscc"])
    assert web.client.get(f"/chains/{CHAIN}/segments/nothing").status_code == 404


def test_the_risk_list_counts_the_runs_flags_and_filters_them(web, run):
    flags = _flags(web, run)
    login(web.client, "city")
    assert _count(web.client.get("/chains/risks").text, "项") == flags.height
    for kind in ("single_source", "critical_supplier"):
        page = web.client.get(f"/chains/risks?kind={kind}").text
        assert _count(page, "项") == flags.filter(pl.col("kind") == kind).height
    members = set(_members(web, run)["uscc"])
    page = web.client.get(f"/chains/risks?chain={CHAIN}").text
    assert _count(page, "项") == flags.filter(pl.col("buyer_uscc").is_in(list(members))).height
    page = web.client.get("/chains/risks?county=331004&size=1").text
    assert _count(page, "项") == flags.filter(pl.col("region_code") == "331004").height
    assert "单一来源" in page or "关键供应商" in page
    assert web.client.get("/chains/risks?kind=bogus").status_code == 422
    login(web.client, "county")
    page = web.client.get("/chains/risks").text
    mine = flags.filter(pl.col("region_code").str.starts_with("331003"))
    assert _count(page, "项") == mine.height > 0
    others = flags.filter(~pl.col("region_code").str.starts_with("331003"))
    assert not [n for n in others["buyer_name"] if n in page]
    assert web.client.get("/chains/risks?county=331004").status_code == 403


def test_a_flagged_input_shows_its_suppliers_backups_and_why(web, run):
    flags = _flags(web, run)
    backups = _table(web, "chain_backup", run)
    with_backups = flags.join(backups.select("buyer_uscc", "input_class").unique(), on=[
        "buyer_uscc", "input_class"
    ])  # fmt: skip
    flag = with_backups.filter(pl.col("kind") == "single_source").row(0, named=True)
    login(web.client, "city")
    page = web.client.get(_risk_path(flag, run)).text
    assert flag["buyer_name"] in page and "单一来源" in page
    assert f"{flag['figure'] * 100:.1f}%" in page
    mine = backups.filter(
        (pl.col("buyer_uscc") == flag["buyer_uscc"])
        & (pl.col("input_class") == flag["input_class"])
    )
    assert all(n in page for n in mine["candidate_name"])
    assert re.search(r"市内|省内", page) and re.search(r"同准|降准", page)
    assert "现有客户" in page and ("亩均" in page) and "100.0%" in page
    assert 'name="csrf"' in page and "推荐对接" in page
    missing = f"/chains/risks/{flag['buyer_uscc']}/9999"
    assert web.client.get(missing).status_code == 404


def test_a_county_opens_its_own_buyers_only(web, run):
    flags = _flags(web, run)
    ours = flags.filter(pl.col("region_code") == "331003").row(0, named=True)
    theirs = flags.filter(pl.col("region_code") == "331004").row(0, named=True)
    login(web.client, "county")
    assert web.client.get(_risk_path(ours, run)).status_code == 200
    assert web.client.get(_risk_path(theirs, run)).status_code == 403
    assert web.client.get("/chains/risks/91331003MA0000000X/3670").status_code == 404
    login(web.client, "other_county")
    assert web.client.get(_risk_path(ours, run)).status_code == 403
    assert web.client.get(_risk_path(theirs, run)).status_code == 200


def test_the_segment_table_exports_with_names_and_numbers(web, run):
    login(web.client, "city")
    answer = web.client.get(f"/chains/{CHAIN}/segments.xlsx")
    assert answer.status_code == 200
    sheet = fastexcel.read_excel(answer.content).load_sheet(0).to_polars()
    seg = _table(web, "chain_segment", run).filter(pl.col("chain_id") == CHAIN)
    assert sorted(sheet["环节"].to_list()) == sorted(seg["segment_name"].to_list())
    assert set(sheet["位置"].to_list()) <= {"上游", "中游", "下游"}
    assert sheet["产值（万元）"].dtype == pl.Float64


@pytest.fixture(scope="module")
def copy(web, tmp_path_factory) -> Iterator[Any]:
    """A copy of the session city (these tests change it), served by an app of its own."""
    from helpers import copy_of_served

    ws = copy_of_served(web.city.ws, web.client.app, tmp_path_factory.mktemp("chains") / "ws")
    client = TestClient(create_app(ws), base_url="https://testserver")
    yield ws, client
    ws.close()


def _post(client: Any, flag: dict[str, Any], run, token: str | None, **form: Any) -> Any:
    path = f"/chains/risks/{flag['buyer_uscc']}/{flag['input_class']}/matches"
    data = ({"csrf": token} if token else {}) | {"run": run["run_id"]} | form
    return client.post(path, data=data, follow_redirects=False)


def test_the_match_form_records_a_status_and_refuses_the_others(web, run, copy):
    ws, client = copy
    flags = _flags(web, run)
    backups = _table(web, "chain_backup", run).select("buyer_uscc", "input_class", "candidate")
    flag = flags.join(backups, on=["buyer_uscc", "input_class"])
    flag = flag.filter(pl.col("region_code") == "331003").row(0, named=True)
    login(client, "county")
    page_path = _risk_path(flag, run)
    token = csrf_of(client, page_path)
    done = _post(client, flag, run, token, candidate=flag["candidate"], status="contacted",
                 note="已电话联系")  # fmt: skip
    assert done.status_code == 303 and done.headers["location"].startswith(page_path.split("?")[0])
    [kept] = matches(ws.con, flag["buyer_uscc"])
    assert (kept["status"], kept["updated_by"], kept["region_code"]) == (
        "contacted", "county", "331003"
    )  # fmt: skip
    page = client.get(page_path).text
    assert "已联系" in page and "已电话联系" in page
    audit = ws.con.table("audit_log").filter(lambda t: t.action == "chain_match").to_polars()
    assert audit.height == 1 and audit["actor"][0] == "county"
    refused = [
        _post(client, flag, run, None, candidate=flag["candidate"], status="contracted"),
        _post(client, flag, run, "wrong", candidate=flag["candidate"], status="contracted"),
    ]
    assert [r.status_code for r in refused] == [422, 403]  # no token at all: the form is invalid
    bad = _post(client, flag, run, token, candidate="91330000MA0000000X", status="matched")
    assert bad.status_code == 422
    assert (
        _post(client, flag, run, token, candidate=flag["candidate"], status="x").status_code == 422
    )
    for who in ("enterprise", "other_county"):
        login(client, who)
        token = csrf_of(client, "/")
        answer = _post(client, flag, run, token, candidate=flag["candidate"], status="dropped")
        assert answer.status_code == 403, who
    assert [m["status"] for m in matches(ws.con, flag["buyer_uscc"])] == ["contacted"]


def test_the_risk_export_keeps_a_formula_looking_name_as_text(web, run, copy):
    ws, client = copy
    flag = _flags(web, run).filter(pl.col("region_code") == "331003").row(0, named=True)
    ws.con.raw_sql(f"UPDATE enterprise SET name = '{LINK.replace(chr(39), chr(39) * 2)}' "
                   f"WHERE uscc = '{flag['buyer_uscc']}'")  # fmt: skip
    client.app.state.cache.invalidate()
    login(client, "county")
    answer = client.get("/chains/risks.xlsx?sort=buyer_name")
    assert answer.status_code == 200
    cells = assert_text_only(answer.content, [LINK])
    sheet = fastexcel.read_excel(answer.content).load_sheet(0).to_polars()
    assert sheet.height == _flags(web, run).filter(pl.col("region_code") == "331003").height
    assert sheet["占比"].dtype == pl.Float64 and set(sheet["区县"]) == {"黄岩区"}
    assert any(c.value == LINK for c in cells)
