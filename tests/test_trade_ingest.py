"""The trade source: purchases between enterprises as 税务局's invoice summaries and 经信局's
supplier surveys. Each error from a small file named for what is wrong; red-letter invoices
netted; places read; rows in = loaded + rejected."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest

from industry_brain.ingest.load import ingest_file
from industry_brain.ingest.validate import validate_file
from industry_brain.reference.places import ABROAD, place_code

from helpers import make_uscc, workspace_at, write_csv, write_xlsx

B1, B2 = make_uscc("331003", 1), make_uscc("331004", 2)
S1, S2 = make_uscc("331081", 3), make_uscc("320583", 4)
VAT = ["销方纳税人识别号", "销方名称", "购方纳税人识别号", "购方名称", "货物或应税劳务名称",
       "商品和服务税收分类编码", "金额", "税额", "价税合计", "开票月份"]  # fmt: skip
SURVEY = ["企业名称", "统一社会信用代码", "供应商名称", "供应商统一社会信用代码", "供应商所在地",
          "采购产品", "所属行业代码", "采购金额（万元）", "年度"]  # fmt: skip


def vat(seller: str, name: str, buyer: str, yuan: float, month: str = "2023-03") -> list[Any]:
    return [seller, name, buyer, "台州某企业", "电机", "1090101010000000000", yuan,
            round(yuan * 0.13, 2), round(yuan * 1.13, 2), month]  # fmt: skip


def vat_file(path: Path, rows: list[list[Any]]) -> Path:
    return write_xlsx(path, [["台州市2023年增值税发票汇总"], ["金额单位：元"], VAT, *rows])


def codes(path: Path) -> list[tuple[str, int | None, str | None]]:
    v = validate_file(path, "trade")
    assert v.rows_in == v.rows_valid + v.rows_rejected
    return [(c, r, col) for c, r, col in v.errors.select("code", "row", "column").iter_rows()]


def test_seller_with_neither_code_nor_name(tmp_path: Path) -> None:
    path = vat_file(tmp_path / "seller_with_neither_code_nor_name.xlsx", [
        vat(S1, "温岭甲", B1, 100000), vat("", "", B1, 50000), vat("", "宁波乙", B1, 60000),
    ])  # fmt: skip
    assert codes(path) == [("R219", 5, "销方名称")]


@pytest.mark.parametrize(
    ("buyer", "detail"),
    [
        ("330102199001011234", "居民身份证号"),
        ("331003704112345", "15位旧版纳税人识别号"),
        (B1[:17] + ("0" if B1[17] != "0" else "1"), "校验位"),
    ],
)
def test_buyer_not_an_enterprise_code(tmp_path: Path, buyer: str, detail: str) -> None:
    path = vat_file(tmp_path / "buyer_is_a_person_or_an_old_tax_number.xlsx", [
        vat(S1, "温岭甲", B1, 100000), vat(S1, "温岭甲", buyer, 2000), vat(S1, "温岭甲", B2, 10),
    ])  # fmt: skip
    assert codes(path) == [("R220", 5, "购方纳税人识别号")]
    ws = workspace_at(tmp_path / "ws")
    try:
        report = ingest_file(ws, path, "trade")
    finally:
        ws.close()
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    assert detail in next(e.message_zh for e in report.errors if e.code == "R220")


def test_supplier_in_a_place_that_is_not_one(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "supplier_on_mars_gbk.csv", [
        SURVEY,
        ["黄岩乙", B1, "宁波戊", "", "浙江省宁波市", "树脂", "2651", 120.5, 2023],
        ["黄岩乙", B1, "火星公司", "", "火星", "树脂", "2651", 80, 2023],
        ["黄岩乙", B1, "德国某公司", "", "进口", "树脂", "2651", 80, 2023],
    ], encoding="gbk")  # fmt: skip
    assert codes(path) == [("R221", 3, "供应商所在地")]


def test_red_letter_larger_than_its_invoice(tmp_path: Path) -> None:
    """A key netting to zero or less is no purchase: every row of it is rejected."""
    path = vat_file(tmp_path / "red_letter_larger_than_its_invoice.xlsx", [
        vat(S1, "温岭甲", B1, 100000), vat(S2, "昆山丙", B1, 50000),
        vat(S2, "昆山丙", B1, -80000, "2023-04"), vat(S1, "温岭甲", B2, 10000),
        vat(S1, "温岭甲", B2, 20000),
    ])  # fmt: skip
    assert codes(path) == [("R222", 5, "金额"), ("R222", 6, "金额")]


def test_red_letter_rows_net_per_buyer_seller_and_product(tmp_path: Path) -> None:
    path = vat_file(tmp_path / "red_letter_rows_net.xlsx", [
        vat(S1, "温岭甲", B1, 1234567, "2023-03"), vat(S1, "温岭甲", B1, -234567, "2023-04"),
        vat(S1, "温岭甲（更名）", B1, 500000, "2023-05"),  # the same seller by its code
        vat(S2, "昆山丙", B1, 300000, "2023-05"), vat(S2, "昆山丙", B2, 300000, "2023-05"),
        vat(S2, "昆山丙", B2, 300000, "2023-05"),  # a second invoice of the same amount
    ])  # fmt: skip
    ws = workspace_at(tmp_path / "ws")
    try:
        report = ingest_file(ws, path, "trade")
        got = ws.con.table("trade").to_polars().sort("buyer_uscc", "seller_uscc")
    finally:
        ws.close()
    assert (report.rows_in, report.rows_loaded, report.rows_rejected) == (6, 6, 0)
    assert report.errors == []
    rows = got.select("buyer_uscc", "seller_uscc", "amount").rows()
    assert rows == [(B1, S2, 30.0), (B1, S1, 150.0), (B2, S2, 60.0)]
    assert set(got["product_name"]) == {"电机"} and got["product_code"].is_null().all()


def test_survey_with_places_and_sellers_by_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "survey_places.xlsx", [
        ["2023年度企业主要供应商情况汇总表"], SURVEY,
        ["黄岩乙", B1, "宁波戊", "", "浙江省宁波市", "树脂", "2651", 120.5, 2023],
        ["黄岩乙", B1, "德国某公司", "", "进口", "树脂", "2651", 80, 2023],
        ["黄岩乙", B1, "昆山丙", S2, "320583", "钢材", "3130", 30, 2023],
        ["合计", None, None, None, None, None, None, 230.5, None],
    ])  # fmt: skip
    ws = workspace_at(tmp_path / "ws")
    try:
        report = ingest_file(ws, path, "trade")
        got = ws.con.table("trade").to_polars().sort("amount")
    finally:
        ws.close()
    assert report.rows_skipped == {"total": 1} and report.rows_loaded == 3
    assert got.select("seller_uscc", "seller_name", "seller_region", "product_code").rows() == [
        (S2, "昆山丙", "320583", "3130"),
        (None, "德国某公司", ABROAD, "2651"),
        (None, "宁波戊", "330200", "2651"),
    ]


def test_amounts_in_yuan_without_a_unit_are_refused(tmp_path: Path) -> None:
    rows = [vat(S1, "温岭甲", B1, 1234567.0 + 1000 * i) for i in range(6)]
    path = write_xlsx(tmp_path / "yuan_without_a_unit.xlsx", [VAT, *rows])
    assert [p.error.code for p in validate_file(path, "trade").problems] == ["F110"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("浙江省宁波市", "330200"), ("江苏省苏州市", "320500"), ("苏州", "320500"),
     ("江苏省苏州市昆山市", "320500"), ("宁波市鄞州区", "330212"), ("台州市黄岩区", "331003"),
     ("黄岩", "331003"), ("上海市", "310000"), ("广东省深圳市宝安区", "440300"),
     ("内蒙古自治区包头市", "150200"), ("中国台湾", "710000"), ("320583", "320583"),
     ("331003", "331003"), ("331003101", "331003"), ("3205", "320500"), ("境外", ABROAD),
     ("进口", ABROAD), ("日本", ABROAD), ("进口（德国）", ABROAD), ("３３０２００", "330200"),
     ("火星", None), ("339999", None), ("990000", None), ("12", "120000"), ("", None)],
)  # fmt: skip
def test_places(text: str, code: str | None) -> None:
    assert place_code(text) == code


def test_trade_rows_are_the_buyers_in_the_users_region(tmp_path: Path) -> None:
    """A county analyst loads the purchases of the county's buyers (R216 for the others)."""
    path = vat_file(tmp_path / "two_counties.xlsx", [
        vat(S1, "温岭甲", B1, 100000), vat(S1, "温岭甲", B2, 100000), vat(S2, "昆山丙", B1, 1000),
    ])  # fmt: skip
    v = validate_file(path, "trade", region="331003")
    assert v.errors.select("code", "row").rows() == [("R216", 5)]
    assert pl.Series(v.valid["buyer_uscc"]).unique().to_list() == [B1]  # type: ignore[index]
