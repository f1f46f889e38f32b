"""The city's purchases: trade files shaped like the departments' (税务局's invoice summaries in
元, 经信局's supplier surveys), whose supply risks are known. The shares are computed here from
the written files with this module's own reader (not the platform's), at the default
thresholds of docs/chains.md, and must give exactly the planted risks of
truth/chain_risks.parquet: every one found (recall 100%) and no other flag."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.ingest.load import ingest_file
from industry_brain.synth import generate_population
from industry_brain.synth.clusters import SUPPLY
from test_synth_support import header_paths, manifest, rows_of, small_city

from helpers import workspace_at

SINGLE, OUTSIDE, CRITICAL, BUYERS, MIN_PURCHASE = 0.8, 0.5, 0.5, 3, 10.0
FIELDS = {  # the headers the two shapes use, as this test reads them
    "销方纳税人识别号": "seller_uscc", "供应商统一社会信用代码": "seller_uscc",
    "销方名称": "seller_name", "供应商名称": "seller_name", "供应商所在地": "place",
    "销方行业代码": "input", "所属行业代码": "input", "购方纳税人识别号": "buyer",
    "统一社会信用代码": "buyer", "金额": "yuan", "金额（元）": "yuan",
    "采购金额（万元）": "wan", "采购金额": "wan",
}  # fmt: skip


def _number(v: Any) -> float:
    return float(v) if isinstance(v, int | float) else float(str(v).replace(",", ""))


def _inside(place: str | None, seller_uscc: str | None) -> bool:
    """In Zhejiang: where the survey says (a 33 code, a Zhejiang or Taizhou place), else the
    region of the USCC's registering authority."""
    if place:
        if re.match(r"^\d{6}$", place):
            return place.startswith("33")
        if place in ("境外", "进口") or not any(c in place for c in "省市区县"):
            return False
        return place.startswith(("浙江", "台州", "宁波", "杭州", "温州", "嘉兴", "湖州", "绍兴",
                                 "金华", "衢州", "舟山", "丽水"))  # fmt: skip
    return bool(seller_uscc) and str(seller_uscc)[2:4] == "33"


def read_trade(city: Path) -> pl.DataFrame:
    """Every trade file's rows: year, buyer, supplier (code, else 名称:name), input class,
    amount (万元) and whether the supplier is in Zhejiang; red-letter rows included."""
    out = []
    for f in manifest(city).files:
        if f.source != "trade":
            continue
        assert f.data_row is not None and f.header_row is not None
        cols = {
            FIELDS[p[-1]]: j for j, p in enumerate(header_paths(city, f)) if p and p[-1] in FIELDS
        }
        for r in rows_of(city, f)[f.data_row - 1 :]:
            if r[cols["buyer"]] is None:  # 合计
                continue
            code, name = r[cols["seller_uscc"]], r[cols["seller_name"]]
            money = _number(r[cols["yuan"]]) / 1e4 if "yuan" in cols else _number(r[cols["wan"]])
            place = str(r[cols["place"]]) if "place" in cols and r[cols["place"]] else None
            out.append({
                "year": f.year, "buyer": str(r[cols["buyer"]]),
                "supplier": str(code) if code else f"名称:{name}",
                "input": str(r[cols["input"]]), "amount": money,
                "inside": _inside(place, code),
            })  # fmt: skip
    return pl.DataFrame(out)


def shares(rows: pl.DataFrame) -> pl.DataFrame:
    """Per year, buyer, input and supplier: the netted amount and its share of the input;
    only inputs of at least min_purchase."""
    net = rows.group_by("year", "buyer", "input", "supplier").agg(
        pl.col("amount").sum(), pl.col("inside").first()
    )
    total = pl.col("amount").sum().over("year", "buyer", "input")
    return net.with_columns((pl.col("amount") / total).alias("share"), total.alias("total")).filter(
        pl.col("total") >= MIN_PURCHASE
    )


def flags(s: pl.DataFrame) -> dict[str, set[tuple[Any, ...]]]:
    key = ["year", "buyer", "input"]
    top = s.sort("share", descending=True).group_by(key).first()
    single = top.filter(pl.col("share") >= SINGLE)
    outside = s.filter(~pl.col("inside")).group_by(key).agg(pl.col("share").sum())
    dependent = s.filter(pl.col("share") >= CRITICAL)
    critical = dependent.filter(pl.col("buyer").n_unique().over("year", "supplier") >= BUYERS)
    return {
        "single_source": {tuple(r) for r in single.select(*key, "supplier").iter_rows()},
        "outside_dependence": {
            tuple(r) for r in outside.filter(pl.col("share") >= OUTSIDE).select(key).iter_rows()
        },
        "critical_supplier": {tuple(r) for r in critical.select(*key, "supplier").iter_rows()},
    }


@pytest.fixture(scope="module")
def city() -> Path:
    return small_city()


def test_files_give_exactly_the_planted_risks(city: Path) -> None:
    truth = pl.read_parquet(city / "truth/chain_risks.parquet")
    found = flags(shares(read_trade(city)))
    for kind in ("single_source", "critical_supplier"):
        want = truth.filter(pl.col("kind") == kind).select(
            "year", "buyer_uscc", "input_class", "supplier"
        )
        assert found[kind] == {tuple(r) for r in want.iter_rows()}, kind
    want = truth.filter(pl.col("kind") == "outside_dependence")
    assert found["outside_dependence"] == {
        tuple(r) for r in want.select("year", "buyer_uscc", "input_class").iter_rows()
    }
    counts = truth.group_by("year", "kind").len()
    assert counts.height == 3 * len(manifest(city).years) and (counts["len"] >= 4).all()


def test_truth_shares_are_those_of_the_files(city: Path) -> None:
    s = shares(read_trade(city))
    truth = pl.read_parquet(city / "truth/chain_risks.parquet")
    named = truth.filter(pl.col("supplier").is_not_null()).join(
        s, left_on=["year", "buyer_uscc", "input_class", "supplier"],
        right_on=["year", "buyer", "input", "supplier"], how="left",
    )  # fmt: skip
    assert (named["share_right"] - named["share"]).abs().max() < 1e-5  # type: ignore[operator]
    outside = (
        s.filter(~pl.col("inside")).group_by("year", "buyer", "input").agg(pl.col("share").sum())
    )
    far = truth.filter(pl.col("kind") == "outside_dependence").join(
        outside, left_on=["year", "buyer_uscc", "input_class"], right_on=["year", "buyer", "input"]
    )
    assert far.height == truth.filter(pl.col("kind") == "outside_dependence").height
    assert (far["share_right"] - far["share"]).abs().max() < 1e-5  # type: ignore[operator]
    assert truth["share"].is_between(0.5, 0.98).all()
    planted = s.join(
        truth, left_on=["year", "buyer", "input"], right_on=["year", "buyer_uscc", "input_class"]
    )
    assert (planted["total"] >= 12).all()  # every planted input is screened


def test_the_rest_is_clean(city: Path) -> None:
    """Every screened input the truth does not name: ≥ 3 suppliers, none with 45%, all in
    Zhejiang."""
    truth = pl.read_parquet(city / "truth/chain_risks.parquet")
    s = shares(read_trade(city)).join(
        truth.select("year", buyer="buyer_uscc", input="input_class"),
        on=["year", "buyer", "input"], how="anti",
    )  # fmt: skip
    per = s.group_by("year", "buyer", "input").agg(
        pl.len().alias("n"), pl.col("share").max().alias("top"), pl.col("inside").all()
    )
    assert per.height > 100
    assert (per["n"] >= 3).all() and (per["top"] < 0.45).all() and per["inside"].all()


def test_red_letter_rows_and_shapes(city: Path) -> None:
    rows = read_trade(city)
    assert (rows["amount"] < 0).sum() > 0  # red-letter invoices
    m = manifest(city)
    paths = sorted(f.path for f in m.files if f.source == "trade")
    assert paths == [
        "trade/企业主要供应商_2020.xlsx", "trade/企业主要供应商_2022.xlsx",
        "trade/企业主要供应商_2024.csv", "trade/增值税发票汇总_2019.xlsx",
        "trade/增值税发票汇总_2021.csv", "trade/增值税发票汇总_2023.xlsx",
    ]  # fmt: skip
    survey = next(f for f in m.files if f.path == "trade/企业主要供应商_2020.xlsx")
    assert header_paths(city, survey)[2] == ["填报企业", "统一社会信用代码"]
    places = {r[5] for r in rows_of(city, survey)[survey.data_row - 1 :]}  # type: ignore[operator]
    assert {"进口", "境外"} & places and any(str(p).startswith("江苏省") for p in places)


def test_trade_files_load_and_net_to_the_truth(city: Path, tmp_path: Path) -> None:
    """Loaded as a department's files: every row loads, and `trade` is the truth."""
    ws = workspace_at(tmp_path / "ws")
    try:
        for f in manifest(city).files:
            if f.source == "trade":
                r = ingest_file(ws, city / f.path, "trade")
                assert r.status == "loaded" and r.rows_rejected == 0, (f.path, r.error_counts)
                assert r.rows_in == r.rows_loaded
        got = ws.con.table("trade").to_polars()
    finally:
        ws.close()
    want = pl.read_parquet(city / "truth/trade.parquet")
    key = ["year", "buyer_uscc", "seller_name", "product_code"]
    joined = want.join(got, on=key, how="full", coalesce=True)
    assert joined.height == want.height == got.height
    assert (joined["amount"] - joined["amount_right"]).abs().max() < 1e-6  # type: ignore[operator]


def test_buyers_buy_their_inputs_from_valid_codes() -> None:
    pop = generate_population(seed=8, scale=0.05, years=[2021])
    ind = dict(pop.enterprises.select("uscc", "industry_code").iter_rows())
    t = pop.trade
    assert all(t["product_code"][i] in SUPPLY[ind[b]] for i, b in enumerate(t["buyer_uscc"]))
    codes = t["seller_uscc"].drop_nulls().unique()
    assert all(stdnum_uscc.is_valid(c) for c in codes)
    assert not (t["seller_uscc"].is_null() & (t["seller_region"] != "abroad")).any()
    assert (t["amount"] > 0).all() and not set(t["buyer_uscc"]) & set(pop.outside["uscc"])
