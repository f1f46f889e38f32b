# ruff: noqa: E501  (long Chinese shape texts and one-line data tables read better unwrapped)
"""Build the gallery of department files (tests/data/departments/).

Each gallery file is written as a department would deliver it, and beside it
``<stem>.expected.yaml`` gives the result a correct reader must produce. The
expected figures are worked out here from the values this script writes into
the file (canonical units: 万元, 亩, 吨标准煤, 千瓦时, 吨), with plain arithmetic
(Decimal) and the conversion rules of the brief — never with the platform's
reader. Every fault is planted in a known cell and listed with its physical row
(1-based sheet row, or CSV line number) and column (Excel letter, or 1-based
position as a string for CSV/TXT).

Run: ``uv run python tests/data/departments/build_gallery.py``

Deterministic: fixed seeds, fixed document properties, and every xlsx is
re-zipped with fixed entry timestamps. The two files re-saved by LibreOffice are
regenerated only when ``soffice`` is available and their cell contents changed;
otherwise the committed copies are kept.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
import xlwt
import yaml
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from stdnum.cn import uscc as std_uscc

HERE = Path(__file__).resolve().parent
DELIV = HERE / "deliveries"
FIXED_TIME = dt.datetime(2024, 3, 15, 9, 30, 0)
ZIP_TIME = (2024, 3, 15, 9, 30, 0)
D = Decimal

# ---------------------------------------------------------------------------
# USCC (GB 32100-2015) and organisation codes (GB 11714)
# ---------------------------------------------------------------------------
ALPHA = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_char(body17: str) -> str:
    total = sum(ALPHA.index(c) * w for c, w in zip(body17, WEIGHTS, strict=False))
    return ALPHA[(31 - total % 31) % 31]


def org_code(d8: str) -> str:
    """A GB 11714 organisation code: 8 digits + its check character."""
    w = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch) * x for ch, x in zip(d8, w, strict=False)) % 11
    return d8 + ("X" if c == 10 else "0" if c == 11 else str(c))


def make_uscc(county: str, org9: str) -> str:
    body = "91" + county + org9
    assert len(body) == 17 and all(c in ALPHA for c in body), body
    code = body + check_char(body)
    assert std_uscc.is_valid(code), code
    return code


def wrong_check(code: str) -> str:
    """Same code with a wrong check character (R203)."""
    right = code[-1]
    bad = ALPHA[(ALPHA.index(right) + 7) % 31]
    out = code[:-1] + bad
    assert not std_uscc.is_valid(out)
    return out


COUNTIES = {
    "331002": "椒江区",
    "331003": "黄岩区",
    "331004": "路桥区",
    "331022": "三门县",
    "331023": "天台县",
    "331024": "仙居县",
    "331081": "温岭市",
    "331082": "临海市",
    "331083": "玉环市",
}


@dataclass
class Ent:
    idx: int
    name: str
    county: str
    org9: str
    industry: str
    registered_on: dt.date
    address: str
    above: bool
    uscc: str = ""
    old_name: str = ""

    def __post_init__(self) -> None:
        self.uscc = make_uscc(self.county, self.org9)


def _o(d8: str) -> str:
    return org_code(d8)


# The pool: one city's enterprises, reused across all files.
POOL: list[Ent] = [
    Ent(
        0,
        "台州市椒江永盛泵业有限公司",
        "331002",
        _o("14812375"),
        "3441",
        dt.date(1998, 6, 12),
        "台州市椒江区洪家街道永盛路18号",
        True,
    ),
    Ent(
        1,
        "台州市椒江海宸医药化工有限公司",
        "331002",
        _o("70476213"),
        "2710",
        dt.date(2001, 3, 28),
        "台州市椒江区外沙路66号",
        True,
    ),
    Ent(
        2,
        "台州市椒江华瑞缝制设备有限公司",
        "331002",
        _o("73529184"),
        "3553",
        dt.date(2002, 11, 5),
        "台州市椒江区三甲街道东海大道1208号",
        True,
    ),
    Ent(
        3,
        "台州市椒江东方塑胶制品有限公司",
        "331002",
        "MA2AK7U3N",
        "2929",
        dt.date(2017, 4, 19),
        "台州市椒江区下陈街道工业园区3幢",
        False,
    ),
    Ent(
        4,
        "台州市椒江宏达金属结构有限公司",
        "331002",
        _o("76523091"),
        "3311",
        dt.date(2004, 8, 23),
        "台州市椒江区前所街道兴港路55号",
        True,
    ),
    Ent(
        5,
        "台州市黄岩精诚模具有限公司",
        "331003",
        _o("14836218"),
        "3525",
        dt.date(1996, 9, 2),
        "台州市黄岩区新前街道模具城西路9号",
        True,
    ),
    Ent(
        6,
        "台州市黄岩红日塑料制品有限公司",
        "331003",
        _o("70981536"),
        "2927",
        dt.date(2000, 5, 16),
        "台州市黄岩区江口街道德俭路21号",
        True,
    ),
    Ent(
        7,
        "浙江黄岩联丰汽车部件有限公司",
        "331003",
        _o("74507362"),
        "3670",
        dt.date(2003, 1, 9),
        "台州市黄岩区北院大道318号",
        True,
        old_name="台州市黄岩联丰汽车部件厂",
    ),
    Ent(
        8,
        "台州市黄岩永兴药业有限公司",
        "331003",
        _o("79645207"),
        "2720",
        dt.date(2006, 12, 1),
        "台州市黄岩区江口医化园区永兴路2号",
        True,
    ),
    Ent(
        9,
        "台州市黄岩鑫达机械有限公司",
        "331003",
        "MA2DL38P7",
        "3484",
        dt.date(2019, 7, 30),
        "台州市黄岩区院桥镇工业功能区6号",
        False,
    ),
    Ent(
        10,
        "台州市路桥金岭电机有限公司",
        "331004",
        _o("71258943"),
        "3813",
        dt.date(2000, 2, 24),
        "台州市路桥区金清镇金岭路88号",
        True,
    ),
    Ent(
        11,
        "台州市路桥宏运摩托车配件有限公司",
        "331004",
        _o("72364095"),
        "3752",
        dt.date(2001, 7, 17),
        "台州市路桥区横街镇宏运路5号",
        True,
    ),
    Ent(
        12,
        "浙江路桥恒丰金属制品有限公司",
        "331004",
        "MA2AN4C1X",
        "3399",
        dt.date(2016, 10, 11),
        "台州市路桥区峰江街道上陶村工业点",
        False,
    ),
    Ent(
        13,
        "台州市路桥佳美家用电器有限公司",
        "331004",
        _o("75302618"),
        "3854",
        dt.date(2003, 9, 29),
        "台州市路桥区蓬街镇佳美大道99号",
        True,
    ),
    Ent(
        14,
        "台州市路桥新华铸造有限公司",
        "331004",
        "MA2H0Q5R1",
        "3391",
        dt.date(2020, 5, 6),
        "台州市路桥区新桥镇工业区",
        False,
    ),
    Ent(
        15,
        "玉环市华宇阀门有限公司",
        "331083",
        _o("14795326"),
        "3443",
        dt.date(1997, 4, 8),
        "玉环市沙门镇滨港工业城华宇路1号",
        True,
    ),
    Ent(
        16,
        "浙江玉环力鼎汽车零部件有限公司",
        "331083",
        _o("72107584"),
        "3670",
        dt.date(2001, 1, 15),
        "玉环市珠港镇机电产业园力鼎路8号",
        True,
    ),
    Ent(
        17,
        "玉环市中盛水暖器材有限公司",
        "331083",
        _o("74283650"),
        "3383",
        dt.date(2002, 6, 20),
        "玉环市清港镇工业区中盛路3号",
        True,
    ),
    Ent(
        18,
        "玉环市宏泰机床有限公司",
        "331083",
        _o("77185239"),
        "3421",
        dt.date(2005, 3, 3),
        "玉环市大麦屿街道宏泰路16号",
        True,
    ),
    Ent(
        19,
        "玉环市东港铜业有限公司",
        "331083",
        "MA2AT6E80",
        "3392",
        dt.date(2017, 8, 22),
        "玉环市楚门镇东港村",
        False,
    ),
    Ent(
        20,
        "三门县海峰橡胶制品有限公司",
        "331022",
        _o("14925837"),
        "2912",
        dt.date(1995, 10, 30),
        "三门县海游街道光明中路200号",
        True,
    ),
    Ent(
        21,
        "三门县恒达机电有限公司",
        "331022",
        "MA2G1W9K4",
        "3812",
        dt.date(2018, 3, 14),
        "三门县沙柳街道机电园区",
        False,
    ),
    Ent(
        22,
        "三门县东海水产食品有限公司",
        "331022",
        _o("76036154"),
        "1361",
        dt.date(2004, 4, 27),
        "三门县健跳镇港区路7号",
        True,
    ),
    Ent(
        23,
        "天台县华丰汽车用品有限公司",
        "331023",
        _o("73845016"),
        "3670",
        dt.date(2002, 12, 18),
        "天台县始丰街道丰泽路168号",
        True,
    ),
    Ent(
        24,
        "天台县银河滤布有限公司",
        "331023",
        _o("14960273"),
        "1789",
        dt.date(1999, 8, 8),
        "天台县平桥镇工业区银河路2号",
        True,
    ),
    Ent(
        25,
        "天台县永固橡塑有限公司",
        "331023",
        "MA2J9B4T6",
        "2913",
        dt.date(2021, 1, 25),
        "天台县白鹤镇工业功能区",
        False,
    ),
    Ent(
        26,
        "仙居县君泰药业有限公司",
        "331024",
        _o("70392518"),
        "2710",
        dt.date(2000, 9, 12),
        "仙居县现代工业集聚区君泰路1号",
        True,
    ),
    Ent(
        27,
        "仙居县工艺礼品有限公司",
        "331024",
        "MA2K3R7Y2",
        "2439",
        dt.date(2018, 11, 2),
        "仙居县白塔镇工艺品园区",
        False,
    ),
    Ent(
        28,
        "仙居县明辉医疗器械有限公司",
        "331024",
        _o("79824631"),
        "3584",
        dt.date(2007, 5, 21),
        "仙居县福应街道明辉路5号",
        True,
    ),
    Ent(
        29,
        "温岭市东方泵业有限公司",
        "331081",
        _o("14862039"),
        "3441",
        dt.date(1996, 3, 11),
        "温岭市大溪镇东方路36号",
        True,
        old_name="温岭市东方水泵厂",
    ),
    Ent(
        30,
        "温岭市精工工具有限公司",
        "331081",
        _o("72654810"),
        "3321",
        dt.date(2001, 6, 6),
        "温岭市泽国镇精工路12号",
        True,
    ),
    Ent(
        31,
        "温岭市海越鞋业有限公司",
        "331081",
        "MA2H7X1C5",
        "1953",
        dt.date(2019, 2, 18),
        "温岭市城西街道鞋业园区",
        False,
    ),
    Ent(
        32,
        "温岭市新河气动机械有限公司",
        "331081",
        "697216097",
        "3442",
        dt.date(2009, 10, 26),
        "温岭市新河镇气动城2号",
        True,
    ),
    Ent(
        33,
        "温岭市宏丰齿轮有限公司",
        "331081",
        _o("75196428"),
        "3453",
        dt.date(2003, 7, 4),
        "温岭市东部新区宏丰路6号",
        True,
    ),
    Ent(
        34,
        "临海市明光眼镜有限公司",
        "331082",
        _o("70128645"),
        "3587",
        dt.date(1999, 12, 9),
        "临海市江南街道眼镜城明光路9号",
        True,
    ),
    Ent(
        35,
        "临海市华海化工有限公司",
        "331082",
        _o("14930582"),
        "2614",
        dt.date(1994, 5, 19),
        "临海市头门港新区华海路1号",
        True,
    ),
    Ent(
        36,
        "临海市杜桥休闲用品有限公司",
        "331082",
        _o("74830261"),
        "2130",
        dt.date(2002, 8, 15),
        "临海市杜桥镇休闲用品园区3号",
        True,
    ),
    Ent(
        37,
        "临海市永强机械有限公司",
        "331082",
        "MA2AW5F0P",
        "3484",
        dt.date(2017, 9, 5),
        "临海市汛桥镇永强路15号",
        False,
    ),
    Ent(
        38,
        "临海市恒通灯饰有限公司",
        "331082",
        "MA2L8D2Q3",
        "3872",
        dt.date(2020, 10, 28),
        "临海市大田街道工业园",
        False,
    ),
    Ent(
        39,
        "临海市天辉电器有限公司",
        "331082",
        _o("77520136"),
        "3823",
        dt.date(2005, 11, 23),
        "临海市大洋街道天辉路22号",
        True,
    ),
    # not industrial: a warehouse company that lets part of its land
    Ent(
        40,
        "台州市椒江振华仓储物流有限公司",
        "331002",
        _o("72039517"),
        "5990",
        dt.date(2001, 4, 2),
        "台州市椒江区前所街道港区路3号",
        False,
    ),
]
E = POOL
assert E[32].uscc == "913310816972160974", E[
    32
].uscc  # all digits: Excel turns it into 9.13310816972161e+17


# ---------------------------------------------------------------------------
# Base figures for 2023 (canonical units), one seeded draw per enterprise
# ---------------------------------------------------------------------------
def q(x: float | Decimal, nd: int) -> Decimal:
    return D(str(x)).quantize(D(1).scaleb(-nd), rounding=ROUND_HALF_UP)


def _base() -> dict[int, dict[str, Decimal]]:
    rng = random.Random(20230331)
    out = {}
    for e in POOL:
        rev = rng.uniform(2600, 48000) if e.above else rng.uniform(320, 1850)
        output = rev * rng.uniform(0.9, 1.08)
        va = output * rng.uniform(0.17, 0.31)
        profit = rev * rng.uniform(0.01, 0.11)
        emp = int(rev / rng.uniform(55, 110)) + 12
        tce = va * rng.uniform(0.15, 0.55)
        rd = rev * rng.uniform(0.012, 0.048)
        newp = output * rng.uniform(0.05, 0.45)
        export = output * rng.uniform(0.0, 0.55)
        tax_yuan = rev * rng.uniform(0.025, 0.065) * 10000 + rng.randint(0, 99) / 100
        out[e.idx] = {
            "revenue": q(rev, 1),
            "output": q(output, 1),
            "value_added": q(va, 1),
            "profit": q(profit, 1),
            "employees": D(emp),
            "energy_tce": q(tce, 2),
            "rd_expense": q(rd, 1),
            "new_product_output": q(newp, 1),
            "export_value": q(export, 1),
            "tax_yuan": q(tax_yuan, 2),
            "kwh": D(int(float(tce) / 0.1229 * 1000 * rng.uniform(0.55, 0.9))),
        }
    return out


B = _base()


def yuan_of(wan: Decimal, salt: int) -> Decimal:
    """A figure in 元 with cents, close to ``wan`` 万元 (not a round number)."""
    return (wan * 10000 + D(salt * 37 % 9973) + D(salt % 100) / 100).quantize(D("0.01"))


# ---------------------------------------------------------------------------
# Value formatting
# ---------------------------------------------------------------------------
FW = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


def fullwidth(s: str) -> str:
    return s.translate(FW)


def plain(d: Decimal) -> str:
    """Decimal as plain text: no exponent, no trailing zeros (172767.0 → 172767)."""
    return format(d.normalize(), "f")


def comma(d: Decimal, nd: int | None = None) -> str:
    if nd is None:
        nd = max(0, -d.as_tuple().exponent)
    return f"{d:,.{nd}f}"


def num(d: Decimal) -> float | int:
    """A numeric cell value."""
    if d == d.to_integral_value() and d.as_tuple().exponent >= 0:
        return int(d)
    return float(d)


def fnum(d: Decimal) -> float:
    return float(d)


# ---------------------------------------------------------------------------
# Sheets and writers
# ---------------------------------------------------------------------------
@dataclass
class Cell:
    value: Any
    fmt: str | None = None  # number format for numeric/date cells
    bold: bool = False


@dataclass
class Grid:
    name: str = "Sheet1"
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r1, c1, r2, c2 (1-based)
    hidden_cols: list[int] = field(default_factory=list)  # 1-based
    freeze: str | None = None
    autofilter: str | None = None
    widths: dict[int, float] = field(default_factory=dict)
    state: str = "visible"

    def add(self, cells: list[Any] | None = None) -> int:
        self.rows.append(list(cells or []))
        return len(self.rows)

    def merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        self.merges.append((r1, c1, r2, c2))


def _cellval(v: Any) -> tuple[Any, str | None, bool]:
    if isinstance(v, Cell):
        return _plainval(v.value), v.fmt, v.bold
    return _plainval(v), None, False


def _plainval(v: Any) -> Any:
    if isinstance(v, Decimal):
        return num(v)
    return v


def normalize_zip(path: Path) -> None:
    """Rewrite an xlsx with fixed entry timestamps and fixed core properties dates."""
    src = path.read_bytes()
    zin = zipfile.ZipFile(io.BytesIO(src))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                    r"\g<1>2024-03-15T09:30:00Z\g<2>",
                    text,
                )
                data = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            zout.writestr(zi, data)
    path.write_bytes(buf.getvalue())


def write_openpyxl(path: Path, sheets: list[Grid], creator: str = "Administrator") -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for g in sheets:
        ws = wb.create_sheet(g.name)
        ws.sheet_state = g.state
        for r, row in enumerate(g.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None:
                    continue
                val, fmt, bold = _cellval(v)
                cell = ws.cell(row=r, column=c, value=val)
                if fmt:
                    cell.number_format = fmt
                if bold:
                    cell.font = Font(bold=True)
        for r1, c1, r2, c2 in g.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            ws.cell(row=r1, column=c1).alignment = Alignment(horizontal="center", vertical="center")
        for c in g.hidden_cols:
            ws.column_dimensions[get_column_letter(c)].hidden = True
        for c, w in g.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = w
        if g.freeze:
            ws.freeze_panes = g.freeze
        if g.autofilter:
            ws.auto_filter.ref = g.autofilter
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.save(path)
    normalize_zip(path)


def write_xlsxwriter(path: Path, sheets: list[Grid], author: str = "tjj") -> None:
    wb = xlsxwriter.Workbook(
        str(path),
        {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    wb.set_properties({"author": author, "created": FIXED_TIME, "company": ""})
    fmts: dict[tuple[str | None, bool], Any] = {}

    def fmt(numfmt: str | None, bold: bool) -> Any:
        key = (numfmt, bold)
        if key not in fmts:
            props: dict[str, Any] = {}
            if numfmt:
                props["num_format"] = numfmt
            if bold:
                props["bold"] = True
            fmts[key] = wb.add_format(props) if props else None
        return fmts[key]

    merged_fmt = wb.add_format({"align": "center", "valign": "vcenter"})
    for g in sheets:
        ws = wb.add_worksheet(g.name)
        merged_at = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in g.merges}
        for r, row in enumerate(g.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or (r, c) in merged_at:
                    continue
                val, nf, bold = _cellval(v)
                f = fmt(nf, bold)
                if isinstance(val, str):
                    ws.write_string(r - 1, c - 1, val, f)
                elif isinstance(val, (dt.date, dt.datetime)):
                    ws.write_datetime(
                        r - 1,
                        c - 1,
                        dt.datetime(val.year, val.month, val.day),
                        f or fmt("yyyy-mm-dd", False),
                    )
                else:
                    ws.write_number(r - 1, c - 1, val, f)
        for (r1, c1), (_, _, r2, c2) in merged_at.items():
            v = g.rows[r1 - 1][c1 - 1] if c1 - 1 < len(g.rows[r1 - 1]) else None
            val, _, _ = _cellval(v) if v is not None else ("", None, False)
            ws.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, val, merged_fmt)
        for c in g.hidden_cols:
            ws.set_column(c - 1, c - 1, None, None, {"hidden": True})
        for c, w in g.widths.items():
            ws.set_column(c - 1, c - 1, w)
        if g.freeze:
            m = re.match(r"([A-Z]+)(\d+)", g.freeze)
            assert m
            col = openpyxl.utils.column_index_from_string(m.group(1)) - 1
            ws.freeze_panes(int(m.group(2)) - 1, col)
        if g.autofilter:
            ws.autofilter(g.autofilter)
    wb.close()
    normalize_zip(path)


def write_xls(path: Path, sheets: list[Grid]) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    styles: dict[str, Any] = {}
    for g in sheets:
        ws = wb.add_sheet(g.name, cell_overwrite_ok=True)
        merged_at = {(r1, c1): (r1, c1, r2, c2) for r1, c1, r2, c2 in g.merges}
        for r, row in enumerate(g.rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is None or (r, c) in merged_at:
                    continue
                val, nf, _ = _cellval(v)
                if isinstance(val, (dt.date, dt.datetime)):
                    ws.write(r - 1, c - 1, dt.datetime(val.year, val.month, val.day), date_style)
                elif nf:
                    if nf not in styles:
                        styles[nf] = xlwt.easyxf(num_format_str=nf)
                    ws.write(r - 1, c - 1, val, styles[nf])
                else:
                    ws.write(r - 1, c - 1, val)
        for (r1, c1), (_, _, r2, c2) in merged_at.items():
            v = g.rows[r1 - 1][c1 - 1] if c1 - 1 < len(g.rows[r1 - 1]) else None
            val = _cellval(v)[0] if v is not None else ""
            ws.write_merge(r1 - 1, r2 - 1, c1 - 1, c2 - 1, val)
        for c in g.hidden_cols:
            ws.col(c - 1).hidden = True
        if g.freeze:
            m = re.match(r"([A-Z]+)(\d+)", g.freeze)
            assert m
            ws.set_panes_frozen(True)
            ws.set_horz_split_pos(int(m.group(2)) - 1)
            ws.set_vert_split_pos(openpyxl.utils.column_index_from_string(m.group(1)) - 1)
    wb.save(str(path))


def csv_text(g: Grid, delimiter: str = ",", eol: str = "\n", quote_all_text: bool = False) -> str:
    out = io.StringIO()
    w = csv.writer(
        out,
        delimiter=delimiter,
        lineterminator=eol,
        quoting=csv.QUOTE_NONNUMERIC if quote_all_text else csv.QUOTE_MINIMAL,
    )
    for row in g.rows:
        cells = []
        for v in row:
            val = _cellval(v)[0] if v is not None else ""
            if isinstance(val, float):
                val = repr(val) if val != int(val) else str(int(val))
            if isinstance(val, (dt.date, dt.datetime)):
                val = val.strftime("%Y-%m-%d")
            cells.append(val if isinstance(val, str) else str(val))
        w.writerow(cells)
    return out.getvalue()


def write_csv(
    path: Path,
    g: Grid,
    encoding: str = "utf-8",
    delimiter: str = ",",
    eol: str = "\n",
    bom: bool = False,
) -> None:
    text = csv_text(g, delimiter, eol)
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_dotnet_xlsx(path: Path, g: Grid) -> None:
    """An xlsx as a program using the .NET Open XML SDK writes it: every element
    prefixed (``<x:worksheet>``), no <dimension>, no styles part, no docProps,
    a shared-string table, rows and cells with references."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strings: list[str] = []
    index: dict[str, int] = {}
    rows_xml = []
    for r, row in enumerate(g.rows, start=1):
        cells = []
        for c, v in enumerate(row, start=1):
            if v is None:
                continue
            val = _cellval(v)[0]
            ref = f"{get_column_letter(c)}{r}"
            if isinstance(val, str):
                if val not in index:
                    index[val] = len(strings)
                    strings.append(val)
                cells.append(f'<x:c r="{ref}" t="s"><x:v>{index[val]}</x:v></x:c>')
            else:
                text = repr(val) if isinstance(val, float) else str(val)
                cells.append(f'<x:c r="{ref}"><x:v>{text}</x:v></x:c>')
        if cells:
            rows_xml.append(f'<x:row r="{r}">{"".join(cells)}</x:row>')
    sheet = (
        f'<?xml version="1.0" encoding="utf-8"?><x:worksheet xmlns:x="{ns}">'
        f"<x:sheetData>{''.join(rows_xml)}</x:sheetData></x:worksheet>"
    )
    sst_items = "".join(f"<x:si><x:t>{_xml_escape(s)}</x:t></x:si>" for s in strings)
    sst = (
        f'<?xml version="1.0" encoding="utf-8"?><x:sst xmlns:x="{ns}" count="{len(strings)}" '
        f'uniqueCount="{len(strings)}">{sst_items}</x:sst>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="utf-8"?><x:workbook xmlns:r="{rel_ns}" xmlns:x="{ns}">'
        f'<x:sheets><x:sheet name="{_xml_escape(g.name)}" sheetId="1" r:id="R1a2b3c4d5e6f7081" />'
        f"</x:sheets></x:workbook>"
    )
    wb_rels = (
        '<?xml version="1.0" encoding="utf-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="/xl/worksheets/sheet1.xml" Id="R1a2b3c4d5e6f7081" />'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="/xl/sharedStrings.xml" Id="R9f8e7d6c5b4a3921" /></Relationships>'
    )
    rels = (
        '<?xml version="1.0" encoding="utf-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="/xl/workbook.xml" Id="R0c1d2e3f40516273" /></Relationships>'
    )
    ctypes = (
        '<?xml version="1.0" encoding="utf-8"?><Types '
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml" />'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" />'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml" />'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" />'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" />'
        "</Types>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in [
            ("[Content_Types].xml", ctypes),
            ("_rels/.rels", rels),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", wb_rels),
            ("xl/worksheets/sheet1.xml", sheet),
            ("xl/sharedStrings.xml", sst),
        ]:
            zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data.encode("utf-8"))
    path.write_bytes(buf.getvalue())


def _sheet_values(path: Path) -> list[Any]:
    """Sheet names and cell values (only to decide whether a LibreOffice copy changed)."""
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return [
        (name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False))
        for name in wb.sheet_names
    ]


def libreoffice_convert(src: Path, dest: Path, target: str) -> str:
    """Re-save ``src`` with LibreOffice as ``target`` ('xlsx' or 'xls') into ``dest``.

    Returns 'converted', 'kept' (LibreOffice missing or output unchanged) or raises."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if dest.exists():
            return "kept"
        raise SystemExit(
            f"{dest.name}: LibreOffice (soffice) is needed to create it the first time"
        )
    filt = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "xls": "xls:MS Excel 97"}[target]
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        out = Path(tmp) / "out"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                filt,
                "--outdir",
                str(out),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        produced = out / (src.stem + "." + target)
        if target == "xlsx":
            normalize_zip(produced)
        # LibreOffice stamps times into what it writes: keep the committed copy while its cells are unchanged
        if dest.exists() and _sheet_values(dest) == _sheet_values(produced):
            return "kept"
        shutil.copyfile(produced, dest)
    return "converted"


# ---------------------------------------------------------------------------
# Expected results
# ---------------------------------------------------------------------------
def r6(d: Decimal | None) -> float | None:
    if d is None:
        return None
    return float(d.quantize(D("0.000001"), rounding=ROUND_HALF_UP))


EQ_W = {"COD": D(1), "NH3N": D("0.8"), "SO2": D("0.95"), "NOX": D("0.95")}


class Exp:
    def __init__(
        self,
        source: str,
        stem: str,
        shape: str,
        *,
        csv_cols: bool = False,
        year: int | None = 2023,
        before: list[str] | None = None,
        mode: str = "set",
    ) -> None:
        self.source, self.stem, self.shape = source, stem, shape
        self.csv, self.year, self.before, self.mode = csv_cols, year, before or [], mode
        self.status = "loaded"
        self.rows_in = self.loaded = self.rejected = 0
        self.skipped = {"total": 0, "note": 0, "blank": 0}
        self.errors: list[dict[str, Any]] = []
        self.mentions: list[str] = []
        self.colpos: dict[str, int] = {}
        self.wh: dict[str, dict[str, Any]] = {}
        self.pol: dict[str, dict[str, Decimal]] = {}
        self.parcels: list[dict[str, Any]] = []
        self.trade: list[dict[str, Any]] = []  # the derived trade rows, netted

    def cols(self, keys: list[str | None]) -> None:
        self.colpos = {k: i for i, k in enumerate(keys) if k}

    def col(self, key: str) -> str:
        i = self.colpos[key]
        return str(i + 1) if self.csv else get_column_letter(i + 1)

    def row(
        self,
        r: int,
        uscc: str | None = None,
        vals: dict[str, Any] | None = None,
        errs: list[tuple[str, str]] = (),
        parcel: dict[str, Any] | None = None,
    ) -> bool:
        """A data row at physical row ``r``; errs: (code, column key). Returns True if loaded."""
        self.rows_in += 1
        for code, key in errs:
            self.errors.append({"code": code, "row": r, "column": self.col(key)})
        if any(code.startswith("R") for code, _ in errs):
            self.rejected += 1
            return False
        self.loaded += 1
        if self.source == "trade":  # purchases: the expected rows are set with `trade`
            return True
        if parcel is not None:
            self.parcels.append({"uscc": uscc, **parcel})
            self.wh.setdefault(uscc, {})
            return True
        if self.source == "emissions" and vals and "emissions_eq" not in vals:
            p = self.pol.setdefault(uscc, {})
            for k, v in vals.items():
                if v is None:
                    continue
                p[k] = p.get(k, D(0)) + v
            self.wh.setdefault(uscc, {})
            return True
        slot = self.wh.setdefault(uscc, {})
        for k, v in (vals or {}).items():
            if self.mode == "sum" and isinstance(v, Decimal) and k in slot and slot[k] is not None:
                slot[k] = slot[k] + v
            else:
                slot[k] = v
        return True

    def skip(self, kind: str) -> None:
        self.skipped[kind] += 1

    def file_warning(self, code: str, key: str) -> None:
        self.errors.append({"code": code, "column": self.col(key)})

    def fail(self, code: str, mention: str | None = None) -> None:
        self.status = "failed"
        self.errors.append({"code": code})
        if mention:
            self.mentions.append(mention)

    # -- results --------------------------------------------------------
    def _land(self) -> None:
        acc: dict[str, dict[str, Decimal]] = {}
        for u in self.wh:
            acc[u] = {"owned": D(0), "leased": D(0), "let": D(0)}
        for p in self.parcels:
            a = acc[p["uscc"]]
            a[p["tenure"]] += p["mu"]
            # a leased parcel deducted from an identified lessor (that does not list it as let itself)
            if p["tenure"] == "leased" and p.get("deduct_from"):
                acc[p["deduct_from"]]["let"] += p["mu"]
        for u, a in acc.items():
            self.wh[u] = {
                "land_mu": a["owned"] + a["leased"] - a["let"],
                "land_owned_mu": a["owned"],
                "land_leased_mu": a["leased"],
                "land_let_mu": a["let"],
            }

    def result(self) -> dict[str, Any]:
        if self.source == "land" and self.status == "loaded":
            self._land()
        if self.source == "emissions" and self.status == "loaded":
            for u, p in self.pol.items():
                eq = sum((p[k] / EQ_W[k] for k in EQ_W if k in p), D(0))
                self.wh[u]["emissions_eq"] = eq
        if self.status == "failed" and any(e["code"] == "F107" for e in self.errors):
            self.loaded = 0  # validated, then refused whole: rows_in and rows_rejected are validation's counts
        else:
            assert self.rows_in == self.loaded + self.rejected
        if self.status == "loaded":
            assert self.rejected * 5 <= self.rows_in, f"{self.stem}: > 20% rejected"
            assert 5 <= self.rows_in <= 25, f"{self.stem}: {self.rows_in} data rows"
        warehouse = []
        if self.status == "loaded":
            for u, vals in self.wh.items():
                item: dict[str, Any] = {"uscc": u}
                for k, v in vals.items():
                    if isinstance(v, Decimal):
                        item[k] = int(v) if k == "employees" else r6(v)
                    else:
                        item[k] = v
                warehouse.append(item)
        pollutants = []
        if self.source == "emissions" and self.status == "loaded":
            for u, p in self.pol.items():
                pollutants.append({"uscc": u, **{k: r6(v) for k, v in p.items()}})
        out: dict[str, Any] = {
            "source": self.source,
            "year": self.year,
            "before": self.before,
            "shape": self.shape,
            "status": self.status,
            "rows_in": self.rows_in,
            "rows_loaded": self.loaded,
            "rows_rejected": self.rejected,
            "skipped": self.skipped,
            "errors": self.errors,
            "mentions": self.mentions,
            "warehouse": warehouse,
        }
        if self.source == "emissions":
            out["pollutants"] = pollutants
        if self.source == "trade":
            out["trade"] = self.trade if self.status == "loaded" else []
        return out


class _Dumper(yaml.SafeDumper):
    pass


def _repr_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> Any:
    flow = all(not isinstance(v, (dict, list)) for v in data.values()) and len(data) > 0
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _repr_list(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    flow = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(dict, _repr_dict)
_Dumper.add_representer(list, _repr_list)


def dump_yaml(path: Path, data: dict[str, Any], header: str = "") -> None:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200)
    path.write_text(header + text, encoding="utf-8")


GALLERY: list[tuple[str, str, str, str]] = []  # (file name, source, shape, fault) for the README


def save(exp: Exp, filename: str, fault: str) -> None:
    res = exp.result()
    dump_yaml(HERE / f"{exp.stem}.expected.yaml", res)
    where = ", ".join(
        f"{e['code']}"
        + (
            f" row {e['row']} col {e['column']}"
            if "row" in e
            else (f" col {e['column']}" if "column" in e else "")
        )
        for e in res["errors"]
    )
    GALLERY.append((filename, exp.source, exp.shape, fault + (f" [{where}]" if where else "")))


# ---------------------------------------------------------------------------
# helpers for statistics rows
# ---------------------------------------------------------------------------
def sv(i: int, *keys: str, flag: bool | None = None) -> dict[str, Any]:
    """Canonical statistics values of enterprise ``i`` for ``keys`` (+ above_scale)."""
    out: dict[str, Any] = {k: B[i][k] for k in keys}
    if flag is not None:
        out["above_scale"] = flag
    elif "revenue" in out:
        out["above_scale"] = out["revenue"] >= 2000
    return out


def in_unit(wan: Decimal, unit: str) -> Decimal:
    return {"万元": wan, "千元": wan * 10, "元": wan * 10000}[unit]


def fw_uscc(code: str) -> str:
    """Full-width form of a USCC (digits and letters)."""
    return "".join(chr(ord(c) + 0xFEE0) for c in code)


def lower_uscc(code: str) -> str:
    out = code.lower()
    assert out != code, f"{code} has no letter to lower-case"
    return out


def spaced_uscc(code: str) -> str:
    return f"{code[:2]} {code[2:8]} {code[8:17]} {code[17]}"


def bad_char_uscc(code: str) -> str:
    """Same length, with the letter O (not allowed) in place of a 0 or another char (R202)."""
    i = code.find("0", 8)
    i = i if 8 <= i < 17 else 10
    return code[:i] + "O" + code[i + 1 :]


def region_of(e: Ent) -> str:
    return e.county


# ===========================================================================
# 市场监管局 register
# ===========================================================================
def reg_vals(e: Ent, address: bool = True) -> dict[str, Any]:
    out = {
        "name": e.name,
        "region_code": e.county,
        "industry_code": e.industry,
        "registered_on": e.registered_on.isoformat(),
    }
    if address:
        out["address"] = e.address
    return out


REGISTER_MAIN = [
    0,
    1,
    2,
    4,
    5,
    6,
    7,
    8,
    10,
    11,
    13,
    15,
    16,
    17,
    18,
    20,
    22,
    23,
    24,
    26,
    28,
    29,
    30,
    34,
    39,
]


def register_files() -> None:
    # R1 -------------------------------------------------------------------
    stem = "register_utf8_bom_crlf_county_names"
    x = Exp(
        "register",
        stem,
        "UTF-8 with BOM, CRLF; county given by name (黄岩区 / 台州市黄岩区), dates as "
        "2003-01-09 or 2003/1/9; extra columns 法定代表人 and 企业类型 carry no field and are ignored; "
        "the clean register other files name in before",
        csv_cols=True,
    )
    g = Grid()
    keys = ["uscc", "name", "legal", "address", "region", "industry", "date", "kind"]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "法定代表人",
            "住所",
            "所属区县",
            "行业代码",
            "成立日期",
            "企业类型",
        ]
    )
    people = [
        "王建国",
        "陈海峰",
        "李志明",
        "张卫东",
        "林晓燕",
        "周国平",
        "金永强",
        "蒋丽华",
        "徐立新",
    ]
    for n, i in enumerate(REGISTER_MAIN):
        e = E[i]
        county = COUNTIES[e.county] if n % 2 else "台州市" + COUNTIES[e.county]
        d = e.registered_on
        date = d.isoformat() if n % 3 else f"{d.year}/{d.month}/{d.day}"
        r = g.add(
            [
                e.uscc,
                e.name,
                people[n % len(people)],
                e.address,
                county,
                e.industry,
                date,
                "有限责任公司（自然人投资或控股）",
            ]
        )
        x.row(r, e.uscc, reg_vals(e))
    write_csv(HERE / f"{stem}.csv", g, "utf-8", eol="\r\n", bom=True)
    save(x, f"{stem}.csv", "none (clean reference register)")

    # R2 -------------------------------------------------------------------
    stem = "register_title_date_cells_bad_codes"
    x = Exp(
        "register",
        stem,
        "xlsx (openpyxl): merged title and an 导出时间 line above the header; 成立日期 as "
        "date cells (serial numbers) and as text 2015年3月2日; region codes as numeric cells; one non-industrial "
        "enterprise (5990) is valid",
    )
    g = Grid("登记信息")
    keys = ["seq", "uscc", "name", "region", "industry", "date", "address"]
    x.cols(keys)
    g.add(["台州市市场主体登记信息（工业企业）"])
    g.merge(1, 1, 1, 7)
    g.add(["导出时间：2024-01-08 10:21:33"])
    g.add(
        [
            "序号",
            "统一社会信用代码",
            "企业名称",
            "所属行政区划",
            "国民经济行业代码",
            "成立日期",
            "住所",
        ]
    )
    ents = [1, 3, 6, 9, 12, 14, 19, 21, 25, 27, 31, 37, 38, 36, 33, 40]
    for n, i in enumerate(ents, start=1):
        e = E[i]
        region: Any = int(e.county)
        industry: Any = int(e.industry) if n % 2 else e.industry
        date: Any = Cell(e.registered_on, "yyyy-mm-dd")
        errs: list[tuple[str, str]] = []
        if n in (5, 11):
            d = e.registered_on
            date = f"{d.year}年{d.month}月{d.day}日"
        if i == 38:
            industry, errs = "3848", [("R205", "industry")]  # no such class in GB/T 4754-2017
        if i == 21:
            region, errs = 331099, [("R204", "region")]  # no such county
        if i == 27:
            date, errs = "2018-02-30", [("R212", "date")]  # 30 February
        r = g.add([n, e.uscc, e.name, region, industry, date, e.address])
        x.row(r, e.uscc, reg_vals(e), errs)
    g.widths = {2: 22, 3: 34, 7: 40}
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "unknown industry 3848; unknown county 331099; date 2018-02-30")

    # R3 -------------------------------------------------------------------
    stem = "register_gbk_tab_parks"
    x = Exp(
        "register",
        stem,
        "GBK tab-separated .txt, CRLF; dates as yyyymmdd (20150302); a 所属园区 column; "
        "a fresh workspace has no parks configured, so every park named is unknown (W303) and the row "
        "still loads without a park",
        csv_cols=True,
    )
    g = Grid()
    keys = ["uscc", "name", "region", "industry", "date", "park", "address"]
    x.cols(keys)
    g.add(["信用代码", "企业名称", "区划代码", "行业代码", "成立日期", "所属园区", "经营场所"])
    parks = {5: "黄岩经济开发区", 16: "玉环经济开发区", 33: "温岭东部新区"}
    for i in [5, 6, 7, 8, 15, 16, 17, 18, 29, 30, 32, 33]:
        e = E[i]
        code = e.uscc
        errs = []
        if i == 17:
            code, errs = spaced_uscc(e.uscc), [("W301", "uscc")]
        if i in parks:
            errs = [*errs, ("W303", "park")]
        r = g.add(
            [
                code,
                e.name,
                e.county,
                e.industry,
                e.registered_on.strftime("%Y%m%d"),
                parks.get(i, ""),
                e.address,
            ]
        )
        x.row(r, e.uscc, reg_vals(e), errs)
    write_csv(HERE / f"{stem}.txt", g, "gbk", delimiter="\t", eol="\r\n")
    save(x, f"{stem}.txt", "USCC with spaces; three unknown parks")

    # R4 -------------------------------------------------------------------
    stem = "register_xls_explanation_sheet_first"
    x = Exp(
        "register",
        stem,
        "legacy .xls (xlwt); first sheet 填报说明 is text, the data is on the second sheet "
        "企业名录; county by name (临海市); dates as date cells",
    )
    info = Grid("填报说明")
    info.add(["填报说明"])
    info.add(["1. 本表由台州市市场监督管理局导出，数据截至2023年12月31日。"])
    info.add(["2. 行业代码执行《国民经济行业分类》（GB/T 4754-2017）。"])
    info.add(["3. 如有疑问请联系企业注册登记处，电话0576-88685123。"])
    g = Grid("企业名录")
    keys = ["uscc", "name", "region", "industry", "date", "address"]
    x.cols(keys)
    g.add(["统一社会信用代码", "单位名称", "所在地区", "行业代码", "登记日期", "详细地址"])
    for i in [22, 23, 24, 26, 28, 34, 35, 36, 39, 20, 11, 0]:
        e = E[i]
        code, errs = e.uscc, []
        if i == 35:
            code, errs = bad_char_uscc(e.uscc), [("R202", "uscc")]
        if i == 24:
            code, errs = wrong_check(e.uscc), [("R203", "uscc")]
        r = g.add([code, e.name, COUNTIES[e.county], e.industry, e.registered_on, e.address])
        x.row(r, e.uscc, reg_vals(e), errs)
    write_xls(HERE / f"{stem}.xls", [info, g])
    save(x, f"{stem}.xls", "USCC with the letter O; wrong check digit")

    # R5 -------------------------------------------------------------------
    stem = "register_dotnet_prefixed_ns"
    x = Exp(
        "register",
        stem,
        "xlsx as the .NET Open XML SDK writes it: x:-prefixed SpreadsheetML, no <dimension>, "
        "no styles or docProps; dates as text",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "region", "industry", "date"]
    x.cols(keys)
    g.add(["统一社会信用代码", "企业名称", "行政区划", "行业", "成立日期"])
    for i in [2, 4, 10, 13, 18, 30, 32, 39]:
        e = E[i]
        code, errs = e.uscc, []
        if i == 10:
            code, errs = fw_uscc(e.uscc), [("W301", "uscc")]
        r = g.add([code, e.name, e.county, e.industry, e.registered_on.isoformat()])
        x.row(r, e.uscc, reg_vals(e, address=False), errs)
    write_dotnet_xlsx(HERE / f"{stem}.xlsx", g)
    save(x, f"{stem}.xlsx", "full-width USCC")


# ===========================================================================
# 统计局 statistics
# ===========================================================================
def statistics_files() -> None:
    stat_s1()
    stat_s2()
    stat_s3()
    stat_s4()
    stat_s5()
    stat_s6()
    stat_s7()
    stat_s8()
    stat_s9()
    stat_s10()
    stat_s11()
    stat_s12()
    stat_failures()


def stat_s1() -> None:
    stem = "statistics_two_row_header_units_row"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl): merged title, sheet-level units row 单位：万元、人、吨标准煤, two-row "
        "header with merged parents (经济指标 › 营业收入 …, 能源 › 综合能源消费量), frozen panes; a blank row, a 合计 "
        "row (word in 序号) and 填表人/注 rows below; no 规上 flag (above_scale from revenue)",
    )
    g = Grid("规上工业")
    keys = [
        "seq",
        "uscc",
        "name",
        "region",
        "industry",
        "revenue",
        "output",
        "value_added",
        "profit",
        "employees",
        "energy_tce",
    ]
    x.cols(keys)
    g.add(["2023年规模以上工业企业主要经济指标"])
    g.merge(1, 1, 1, 11)
    g.add(["单位：万元、人、吨标准煤"])
    g.merge(2, 1, 2, 11)
    g.add(
        [
            "序号",
            "统一社会信用代码",
            "单位详细名称",
            "行政区划代码",
            "行业代码",
            "经济指标",
            None,
            None,
            None,
            "平均用工人数",
            "能源",
        ]
    )
    g.add(
        [
            None,
            None,
            None,
            None,
            None,
            "营业收入",
            "工业总产值（当年价格）",
            "工业增加值",
            "利润总额",
            None,
            "综合能源消费量",
        ]
    )
    for c in range(1, 6):
        g.merge(3, c, 4, c)
    g.merge(3, 6, 3, 9)
    g.merge(3, 10, 4, 10)
    g.freeze = "F5"
    sums = [D(0)] * 6
    for n, i in enumerate([0, 1, 2, 4, 5, 6, 7, 8, 10, 11, 13, 15, 16, 17], start=1):
        e, b = E[i], B[i]
        v = sv(i, "revenue", "output", "value_added", "profit", "employees", "energy_tce")
        errs = []
        if i == 8:
            v["value_added"] = -b["value_added"]
            errs = [("R207", "value_added")]
        if i == 11:
            v["profit"] = -b["profit"]  # a loss: legitimate
        if i == 13:
            v["revenue"] = -b["revenue"]
            errs = [("R207", "revenue")]
        cells = [
            v["revenue"],
            v["output"],
            v["value_added"],
            v["profit"],
            v["employees"],
            v["energy_tce"],
        ]
        sums = [a + c for a, c in zip(sums, cells, strict=False)]
        r = g.add([n, e.uscc, e.name, e.county, e.industry, *cells])
        x.row(r, e.uscc, v, errs)
    g.add([])
    x.skip("blank")
    g.add(["合计", None, None, None, None, *sums])
    x.skip("total")
    g.add(["填表人：王丽        审核人：陈建华        报出日期：2024年3月15日"])
    x.skip("note")
    g.add(["注：1.本表数据来源于统计联网直报平台；2.利润总额为负数表示亏损。"])
    x.skip("note")
    g.widths = {2: 22, 3: 34}
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(
        x,
        f"{stem}.xlsx",
        "negative 工业增加值 and negative 营业收入 (rejected); negative 利润总额 (loads)",
    )


def stat_s2() -> None:
    stem = "statistics_three_row_header_prior_year_thousands"
    x = Exp(
        "statistics",
        stem,
        "xlsx (xlsxwriter): three-row header 主要经济指标（千元） › 营业收入 › 本年 / 上年同期 "
        "(unit 千元 in the top parent; the 上年同期 columns must not be read as this year's), a column-code row "
        "甲 乙 丙 1 2 … under the header (part of the header, not data), a 填报单位 line above, 合计 in the 名称 "
        "column, a 说明 row; frozen panes and an autofilter",
    )
    g = Grid("快报")
    keys = [
        "seq",
        "uscc",
        "name",
        "revenue",
        "revenue_prev",
        "output",
        "output_prev",
        "value_added",
        "va_prev",
        "employees",
        "emp_prev",
    ]
    x.cols(keys)
    g.add(["2023年1-12月规模以上工业企业主要经济指标（快报）"])
    g.merge(1, 1, 1, 11)
    g.add(["填报单位：台州市统计局（盖章）                    填报日期：2024年2月20日"])
    g.merge(2, 1, 2, 11)
    g.add(
        [
            "序号",
            "统一社会信用代码",
            "企业名称",
            "主要经济指标（千元）",
            None,
            None,
            None,
            None,
            None,
            "从业人员",
        ]
    )
    g.add(
        [
            None,
            None,
            None,
            "营业收入",
            None,
            "工业总产值（现价）",
            None,
            "工业增加值",
            None,
            "平均用工人数（人）",
        ]
    )
    g.add(
        [
            None,
            None,
            None,
            "本年",
            "上年同期",
            "本年",
            "上年同期",
            "本年",
            "上年同期",
            "本年",
            "上年同期",
        ]
    )
    g.add(["甲", "乙", "丙", "1", "2", "3", "4", "5", "6", "7", "8"])
    for c in (1, 2, 3):
        g.merge(3, c, 5, c)
    g.merge(3, 4, 3, 9)
    g.merge(3, 10, 3, 11)
    for c in (4, 6, 8, 10):
        g.merge(4, c, 4, c + 1)
    g.freeze = "D7"
    g.autofilter = "A6:K18"
    rng = random.Random(2)
    sums = [D(0)] * 8
    for n, i in enumerate([18, 20, 22, 23, 24, 26, 28, 29, 30, 33, 34, 35], start=1):
        e = E[i]
        v = sv(i, "revenue", "output", "value_added", "employees")
        errs = []
        if i == 28:  # 增加值 > 总产值
            v["value_added"] = v["output"] + D("132.6")
            errs = [("R207", "value_added")]
        cur = [v["revenue"] * 10, v["output"] * 10, v["value_added"] * 10]
        prev = [(c * D(str(round(rng.uniform(0.82, 1.1), 3)))).quantize(D(1)) for c in cur]
        emp_prev = (v["employees"] * D(str(round(rng.uniform(0.9, 1.08), 3)))).quantize(D(1))
        cells = [cur[0], prev[0], cur[1], prev[1], cur[2], prev[2], v["employees"], emp_prev]
        sums = [a + c for a, c in zip(sums, cells, strict=False)]
        r = g.add([n, e.uscc, e.name, *cells])
        x.row(r, e.uscc, v, errs)
    g.add([None, None, "合计", *sums])
    x.skip("total")
    g.add(["说明：1.上年同期数据为快报口径；2.本表从业人员为平均用工人数。"])
    x.skip("note")
    g.widths = {2: 22, 3: 32}
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "工业增加值 > 工业总产值 (本年) — rejected")


def stat_s3() -> None:
    stem = "statistics_utf8_units_in_header_cells"
    x = Exp(
        "statistics",
        stem,
        "UTF-8 CSV without BOM, LF; every unit in its header cell (营业收入（万元）…); "
        "amounts ≥ 1000 quoted with thousands separators; a 是否规上 flag (是/否) that decides above_scale, "
        "including a 规上 firm with revenue 1985.3 and two 规下 sample firms; — and / are NULL, 0 is 0",
        csv_cols=True,
    )
    g = Grid()
    keys = [
        "uscc",
        "name",
        "flag",
        "revenue",
        "output",
        "value_added",
        "employees",
        "energy_tce",
        "rd_expense",
        "new_product_output",
        "export_value",
        "profit",
    ]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "单位详细名称",
            "是否规上",
            "营业收入（万元）",
            "工业总产值（当年价格）（万元）",
            "工业增加值（万元）",
            "年平均职工人数（人）",
            "综合能源消费量（吨标准煤）",
            "研究与试验发展经费支出（万元）",
            "新产品产值（万元）",
            "出口交货值（万元）",
            "利润总额（万元）",
        ]
    )
    fields = keys[3:]

    def cell(d: Decimal | None) -> str:
        if d is None:
            return ""
        return comma(d) if abs(d) >= 1000 else plain(d)

    for i in [0, 1, 2, 3, 4, 5, 9, 21, 10, 11, 13, 15, 16, 17, 18]:
        e = E[i]
        flag = i not in (3, 9)
        v = sv(i, *fields, flag=flag)
        if i == 21:  # became 规上 during the year: the flag says so although revenue < 2000
            v["revenue"], v["output"] = D("1985.3"), D("1902.6")
        out = {k: cell(v[k]) for k in fields}
        code, errs = e.uscc, []
        if i == 3:
            out["export_value"], v["export_value"] = "—", None
        if i == 9:
            out["export_value"], v["export_value"] = "0", D(0)
        if i == 21:
            out["rd_expense"], v["rd_expense"] = "/", None
        if i == 13:
            code, errs = "", [("R201", "uscc")]
        if i == 15:
            out["energy_tce"], errs = "约1200", [("R206", "energy_tce")]
        r = g.add([code, e.name, "是" if flag else "否", *[out[k] for k in fields]])
        x.row(r, e.uscc, v, errs)
    write_csv(HERE / f"{stem}.csv", g, "utf-8")
    save(x, f"{stem}.csv", "empty USCC; 约1200 in 综合能源消费量")


def stat_s4() -> None:
    stem = "statistics_gbk_title_unit_line_thousands"
    x = Exp(
        "statistics",
        stem,
        "GBK CSV, CRLF; a title line and a 金额单位：千元 line above the header (money in 千元, "
        "平均用工人数 in 人); 合计 line in 序号 at the end",
        csv_cols=True,
    )
    g = Grid()
    keys = [
        "seq",
        "uscc",
        "name",
        "revenue",
        "output",
        "profit",
        "export_value",
        "rd_expense",
        "employees",
    ]
    x.cols(keys)
    g.add(["2023年规模以上工业企业财务状况", "", "", "", "", "", "", "", ""])
    g.add(["金额单位：千元", "", "", "", "", "", "", "", ""])
    g.add(
        [
            "序号",
            "统一社会信用代码",
            "企业名称",
            "营业收入",
            "工业总产值",
            "利润总额",
            "出口交货值",
            "研究与试验发展经费支出",
            "平均用工人数",
        ]
    )
    money = ["revenue", "output", "profit", "export_value", "rd_expense"]
    sums = [D(0)] * 5
    for n, i in enumerate([29, 30, 32, 33, 34, 35, 36, 39, 26, 28, 22, 20], start=1):
        e = E[i]
        v = sv(i, *money, "employees")
        code, errs = e.uscc, []
        emp: str = plain(v["employees"])
        if i == 36:
            code, errs = wrong_check(e.uscc), [("R203", "uscc")]
        if i == 39:
            emp, errs = "12O5", [("R206", "employees")]
        cells = [v[k] * 10 for k in money]
        sums = [a + c for a, c in zip(sums, cells, strict=False)]
        r = g.add([str(n), code, e.name, *[plain(c) for c in cells], emp])
        x.row(r, e.uscc, v, errs)
    g.add(["合计", "", "", *[plain(c) for c in sums], ""])
    x.skip("total")
    write_csv(HERE / f"{stem}.csv", g, "gbk", eol="\r\n")
    save(x, f"{stem}.csv", "wrong check digit; 12O5 (letter O) in 平均用工人数")


def stat_s5() -> None:
    stem = "statistics_yuan_in_title_numeric_uscc"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl): the money unit only in the title (金额单位：元), numbers with a "
        "#,##0.00 format; a hidden column C (行业代码, still read); 合计 and 注 rows; one USCC cell is numeric",
    )
    g = Grid("Sheet1")
    keys = [
        "seq",
        "uscc",
        "industry",
        "name",
        "revenue",
        "output",
        "value_added",
        "profit",
        "employees",
        "energy_tce",
    ]
    x.cols(keys)
    g.add(["台州市2023年规上工业企业主要指标（金额单位：元）"])
    g.merge(1, 1, 1, 10)
    g.add(
        [
            "序号",
            "统一社会信用代码",
            "行业代码",
            "企业名称",
            "营业收入",
            "工业总产值",
            "工业增加值",
            "利润总额",
            "平均用工人数（人）",
            "综合能源消费量（吨标准煤）",
        ]
    )
    g.hidden_cols = [3]
    money = ["revenue", "output", "value_added", "profit"]
    sums = [D(0)] * 4
    for n, i in enumerate([32, 0, 5, 6, 7, 10, 13, 16, 23, 29, 30, 33, 34], start=1):
        e = E[i]
        yuan = [yuan_of(B[i][k], i * 7 + j) for j, k in enumerate(money)]
        v: dict[str, Any] = {k: y / 10000 for k, y in zip(money, yuan, strict=False)}
        v["employees"], v["energy_tce"] = B[i]["employees"], B[i]["energy_tce"]
        v["above_scale"] = v["revenue"] >= 2000
        code: Any = e.uscc
        errs = []
        if i == 32:
            code, errs = float(e.uscc), [("R217", "uscc")]  # Excel's 9.13310816972161E+17
        sums = [a + y for a, y in zip(sums, yuan, strict=False)]
        r = g.add(
            [
                n,
                code,
                e.industry,
                e.name,
                *[Cell(fnum(y), "#,##0.00") for y in yuan],
                v["employees"],
                v["energy_tce"],
            ]
        )
        x.row(r, e.uscc, v, errs)
    g.add(["合计", None, None, None, *[Cell(fnum(s), "#,##0.00") for s in sums]])
    x.skip("total")
    g.add(["注：本表金额单位为元，数据来源于统计联网直报平台。"])
    x.skip("note")
    g.widths = {2: 22, 4: 32, 5: 16, 6: 16, 7: 16, 8: 16}
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "USCC stored as a number 9.13310816972161e+17 (digits lost)")


def stat_s6() -> None:
    stem = "statistics_units_only_in_cells"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl): no unit in any header, title or units row; each cell carries its "
        "own unit as text (12,345.6万元, 56,789,012.34元, 86人, 356.23吨标准煤), one cell in full-width digits",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "revenue", "output", "value_added", "employees", "energy_tce"]
    x.cols(keys)
    g.add(
        [
            "社会信用代码",
            "企业名称",
            "营业收入",
            "工业总产值",
            "工业增加值",
            "从业人员平均人数",
            "能耗",
        ]
    )
    for n, i in enumerate([1, 2, 4, 8, 11, 15, 17, 18, 20, 24]):
        e = E[i]
        v = sv(i, "revenue", "output", "value_added", "employees", "energy_tce")
        cells: dict[str, str] = {}
        for j, k in enumerate(["revenue", "output", "value_added"]):
            if (n + j) % 3 == 0:
                y = yuan_of(B[i][k], i + j)
                v[k] = y / 10000
                cells[k] = comma(y, 2) + "元"
            else:
                cells[k] = comma(v[k]) + "万元"
        v["above_scale"] = v["revenue"] >= 2000
        if i == 17:
            cells["output"] = fullwidth(comma(v["output"])) + "万元"
        errs = []
        if i == 20:
            cells["value_added"], errs = "12O5.3万元", [("R206", "value_added")]
        r = g.add(
            [
                e.uscc,
                e.name,
                cells["revenue"],
                cells["output"],
                cells["value_added"],
                f"{v['employees']}人",
                f"{plain(v['energy_tce'])}吨标准煤",
            ]
        )
        x.row(r, e.uscc, v, errs)
    g.widths = {1: 22, 2: 32, 3: 20, 4: 20, 5: 20}
    write_openpyxl(HERE / f"{stem}.xlsx", [g], creator="WPS Office")
    save(x, f"{stem}.xlsx", "12O5.3万元 (letter O) in 工业增加值")


def stat_s7() -> None:
    stem = "statistics_year_column_region12_flag"
    x = Exp(
        "statistics",
        stem,
        "xlsx (xlsxwriter): a 年份 column; 12-digit 统计用区划代码 (331002001000: county = first "
        "6 digits); 是否规模以上 as 1/0 numbers; 综合能耗 as the energy header",
    )
    g = Grid("Sheet1")
    keys = [
        "year",
        "region",
        "uscc",
        "name",
        "industry",
        "flag",
        "revenue",
        "value_added",
        "energy_tce",
    ]
    x.cols(keys)
    g.add(
        [
            "年份",
            "区划代码",
            "统一社会信用代码",
            "企业名称",
            "行业代码",
            "是否规模以上",
            "营业收入（万元）",
            "工业增加值（万元）",
            "综合能耗（吨标准煤）",
        ]
    )
    for n, i in enumerate([0, 1, 2, 4, 5, 6, 7, 8, 10, 11, 13, 15, 16, 17, 18, 20]):
        e = E[i]
        v = sv(i, "revenue", "value_added", "energy_tce", flag=True)
        year, region, industry, errs = 2023, f"{e.county}{(n % 9) + 1:03d}000", e.industry, []
        if i == 6:
            year, errs = 2022, [("R214", "year")]
        if i == 13:
            region, errs = "331099100000", [("R204", "region")]
        if i == 17:
            industry, errs = "3848", [("R205", "industry")]
        r = g.add(
            [
                year,
                region,
                e.uscc,
                e.name,
                industry,
                1,
                v["revenue"],
                v["value_added"],
                v["energy_tce"],
            ]
        )
        x.row(r, e.uscc, v, errs)
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g])
    save(
        x,
        f"{stem}.xlsx",
        "row year 2022 (given 2023); unknown county 331099; unknown industry 3848",
    )


def stat_s8() -> None:
    stem = "statistics_yuan_in_wan_column"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl): units in header cells (万元); one 营业收入 written in 元 (10,000× its "
        "工业总产值); explicit 0 R&D (0), 无 export (NULL), a full-width text number (loads), a negative profit",
    )
    g = Grid("研发创新")
    keys = [
        "uscc",
        "name",
        "revenue",
        "output",
        "value_added",
        "profit",
        "rd_expense",
        "new_product_output",
        "export_value",
    ]
    x.cols(keys)
    g.add(["2023年度规上工业企业研发创新情况"])
    g.merge(1, 1, 1, 9)
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "营业收入（万元）",
            "工业总产值（万元）",
            "工业增加值（万元）",
            "利润总额（万元）",
            "研究与试验发展经费支出（万元）",
            "新产品产值（万元）",
            "出口交货值（万元）",
        ]
    )
    for i in [22, 23, 24, 26, 28, 29, 30, 32, 33, 34, 35, 36, 39, 18]:
        e = E[i]
        v = sv(i, *keys[2:])
        cells: list[Any] = [v[k] for k in keys[2:]]
        errs = []
        if i == 30:
            cells[0] = fnum(yuan_of(v["revenue"], 30))
            errs = [("R208", "revenue")]
        if i == 35:
            v["profit"] = -v["profit"]
            cells[3] = v["profit"]
        if i == 24:
            v["rd_expense"] = D(0)
            cells[4] = 0
        if i == 26:
            cells[5] = fullwidth(plain(v["new_product_output"]))
        if i == 39:
            v["export_value"] = None
            cells[6] = "无"
        r = g.add([e.uscc, e.name, *cells])
        x.row(r, e.uscc, v, errs)
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "营业收入 in 元 in a 万元 column")


def stat_s9() -> None:
    stem = "statistics_duplicate_rows"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl), plain one-row header with units in ASCII brackets (万元); one "
        "enterprise twice with identical values, one twice with different values",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "revenue", "output", "value_added", "employees"]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "单位名称",
            "营业收入(万元)",
            "工业总产值(万元)",
            "工业增加值(万元)",
            "平均用工人数(人)",
        ]
    )
    order = [0, 1, 2, 4, 5, 6, 7, 10, 4, 8, 11, 13, 15, 10, 16, 17]
    seen: set[int] = set()
    for i in order:
        e = E[i]
        v = sv(i, "revenue", "output", "value_added", "employees")
        errs = []
        if i == 4 and i in seen:
            errs = [("R209", "uscc")]
        if i == 10:
            errs = [("R210", "revenue"), ("R210", "employees")]
            if i in seen:
                v["revenue"] = v["revenue"] + D("210.5")
                v["employees"] = v["employees"] + 14
        seen.add(i)
        r = g.add([e.uscc, e.name, v["revenue"], v["output"], v["value_added"], v["employees"]])
        x.row(r, e.uscc, v, errs)
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(
        x,
        f"{stem}.xlsx",
        "exact duplicate (later copy rejected); duplicate with different 营业收入 and 人数 "
        "(both copies rejected)",
    )


def stat_s10() -> None:
    stem = "statistics_names_differ_from_register"
    x = Exp(
        "statistics",
        stem,
        "xlsx (openpyxl) loaded after the register: one enterprise under its old name "
        "(before 股改), one with another county, one with another industry class than the register — "
        "warnings only, the rows load",
        before=["register_utf8_bom_crlf_county_names"],
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "region", "industry", "revenue", "value_added", "profit"]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "单位详细名称",
            "区划代码",
            "行业代码",
            "营业收入（万元）",
            "工业增加值（万元）",
            "利润总额（万元）",
        ]
    )
    for i in [0, 5, 7, 10, 13, 15, 20, 29, 34, 39]:
        e = E[i]
        assert i in REGISTER_MAIN
        v = sv(i, "revenue", "value_added", "profit")
        name, region, industry, errs = e.name, e.county, e.industry, []
        if i == 7:
            name, errs = e.old_name, [("W302", "name")]
        if i == 10:
            region, errs = "331003", [("W302", "region")]
        if i == 29:
            industry, errs = "3443", [("W302", "industry")]
        r = g.add([e.uscc, name, region, industry, v["revenue"], v["value_added"], v["profit"]])
        x.row(r, e.uscc, v, errs)
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "old name, other county, other industry than the register (W302)")


def _s11_source(path: Path, x: Exp) -> None:
    info = Grid("说明")
    info.add(["填报说明：本表为2023年规模以上工业企业主要指标，金额单位万元。"])
    info.add(["数据来源：台州市统计局一套表联网直报平台。"])
    g = Grid("规上企业")
    keys = ["uscc", "name", "revenue", "output", "value_added", "profit", "employees"]
    x.cols(keys)
    g.add(["2023年规模以上工业企业主要指标"])
    g.merge(1, 1, 1, 7)
    g.add(["单位：万元"])
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "营业收入",
            "工业总产值",
            "工业增加值",
            "利润总额",
            "平均用工人数（人）",
        ]
    )
    for i in [1, 2, 6, 8, 11, 16, 17, 18, 22, 24]:
        e = E[i]
        v = sv(i, "revenue", "output", "value_added", "profit", "employees")
        code, errs = e.uscc, []
        if i == 2:
            code, errs = lower_uscc(e.uscc), [("W301", "uscc")]
        r = g.add(
            [code, e.name, v["revenue"], v["output"], v["value_added"], v["profit"], v["employees"]]
        )
        x.row(r, e.uscc, v, errs)
    write_xls(path, [info, g])


def stat_s11() -> None:
    stem = "statistics_libreoffice_resave"
    x = Exp(
        "statistics",
        stem,
        "xlsx re-saved by LibreOffice Calc from a legacy .xls: a 说明 sheet before the data "
        "sheet 规上企业, merged title, units row 单位：万元 (平均用工人数 has its own 人)",
    )
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{stem}.xls"
        _s11_source(src, x)
        status = libreoffice_convert(src, HERE / f"{stem}.xlsx", "xlsx")
    print(f"  {stem}.xlsx: LibreOffice {status}")
    save(x, f"{stem}.xlsx", "lower-case USCC")


def stat_s12() -> None:
    stem = "statistics_xls_county_subtotals"
    x = Exp(
        "statistics",
        stem,
        "legacy .xls (xlwt): sheets 填报说明, 主要指标 (data), empty Sheet2; county names in "
        "vertically merged cells (one per group: the merged value applies to every row of the group); a 小计 row "
        "after each county (word in 企业名称) and 合计 (word in 序号); 填表人 row; — and / are NULL",
    )
    info = Grid("填报说明")
    info.add(["1. 本表统计范围为年主营业务收入2000万元及以上的工业法人单位。"])
    info.add(["2. 金额单位：万元。"])
    g = Grid("主要指标")
    keys = [
        "seq",
        "county",
        "uscc",
        "name",
        "revenue",
        "output",
        "value_added",
        "export_value",
        "new_product_output",
    ]
    x.cols(keys)
    g.add(["2023年规模以上工业企业主要指标（分县市区）"])
    g.merge(1, 1, 1, 9)
    g.add(
        [
            "序号",
            "县（市、区）",
            "统一社会信用代码",
            "企业名称",
            "营业收入（万元）",
            "工业总产值（万元）",
            "工业增加值（万元）",
            "出口交货值（万元）",
            "新产品产值（万元）",
        ]
    )
    fields = ["revenue", "output", "value_added", "export_value", "new_product_output"]
    total = [D(0)] * 5
    n = 0
    for county, ents in [
        ("椒江区", [0, 1, 2, 4]),
        ("黄岩区", [5, 6, 7, 8]),
        ("玉环市", [15, 16, 17, 18]),
    ]:
        sub = [D(0)] * 5
        first = len(g.rows) + 1
        for k, i in enumerate(ents):
            n += 1
            e = E[i]
            v = sv(i, *fields)
            cells: list[Any] = [v[f] for f in fields]
            if i == 2:
                v["export_value"], cells[3] = None, "—"
            if i == 6:
                v["new_product_output"], cells[4] = None, "/"
            sub = [
                a + (c if isinstance(c, Decimal) else 0) for a, c in zip(sub, cells, strict=False)
            ]
            r = g.add([n, county if k == 0 else None, e.uscc, e.name, *cells])
            x.row(r, e.uscc, v)
        g.merge(first, 2, first + len(ents) - 1, 2)
        g.add([None, None, None, "小计", *sub])
        x.skip("total")
        total = [a + b for a, b in zip(total, sub, strict=False)]
    g.add(["合计", None, None, None, *total])
    x.skip("total")
    g.add(["填表人：李明    联系电话：0576-88123456"])
    x.skip("note")
    write_xls(HERE / f"{stem}.xls", [info, g, Grid("Sheet2")])
    save(x, f"{stem}.xls", "none (subtotals and merged county cells)")


def _small_stat_rows(ents: list[int]) -> list[tuple[Ent, dict[str, Decimal]]]:
    return [(E[i], B[i]) for i in ents]


def stat_failures() -> None:
    # F106 -----------------------------------------------------------------
    stem = "statistics_revenue_unit_mu"
    x = Exp(
        "statistics",
        stem,
        "xlsx: 营业收入 headed with a land unit (亩) — a unit of the wrong dimension",
    )
    g = Grid()
    g.add(["统一社会信用代码", "企业名称", "营业收入（亩）", "工业增加值（万元）"])
    for e, b in _small_stat_rows([0, 1, 2, 4, 5, 6, 7, 8]):
        g.add([e.uscc, e.name, b["revenue"], b["value_added"]])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F106", "营业收入（亩）")
    save(x, f"{stem}.xlsx", "header unit of the wrong dimension")

    # F104 -----------------------------------------------------------------
    stem = "statistics_unknown_revenue_header"
    x = Exp(
        "statistics",
        stem,
        "xlsx: the revenue column is headed 营业总额（千元）, a name no vocabulary knows; "
        "营业收入 is required, so the file cannot be placed without a person",
    )
    g = Grid()
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "营业总额（千元）",
            "工业增加值（千元）",
            "利润总额（千元）",
        ]
    )
    for e, b in _small_stat_rows([10, 11, 13, 15, 16, 17, 18, 20]):
        g.add([e.uscc, e.name, b["revenue"] * 10, b["value_added"] * 10, b["profit"] * 10])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F104", "营业总额（千元）")
    save(x, f"{stem}.xlsx", "required column under an unknown header")

    # F105 -----------------------------------------------------------------
    stem = "statistics_no_year_anywhere"
    x = Exp(
        "statistics",
        stem,
        "UTF-8-BOM CSV with no year column and no year in any title, loaded without --year",
        csv_cols=True,
        year=None,
    )
    g = Grid()
    g.add(["统一社会信用代码", "企业名称", "营业收入（万元）", "工业增加值（万元）"])
    for e, b in _small_stat_rows([22, 23, 24, 26, 28, 29, 30, 33]):
        g.add([e.uscc, e.name, plain(b["revenue"]), plain(b["value_added"])])
    write_csv(HERE / f"{stem}.csv", g, "utf-8", bom=True)
    x.fail("F105")
    save(x, f"{stem}.csv", "no year column and no year given")

    # F108 -----------------------------------------------------------------
    stem = "statistics_header_only"
    x = Exp(
        "statistics",
        stem,
        "xlsx: title, header, a 合计 row of zeros and a 填表人 row — no data row",
    )
    g = Grid()
    g.add(["2023年规模以上工业企业主要指标"])
    g.merge(1, 1, 1, 5)
    g.add(["序号", "统一社会信用代码", "企业名称", "营业收入（万元）", "工业增加值（万元）"])
    g.add(["合计", None, None, 0, 0])
    g.add(["填表人：王丽"])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F108")
    save(x, f"{stem}.xlsx", "header but no data rows")

    # F109 -----------------------------------------------------------------
    stem = "statistics_two_revenue_columns"
    x = Exp(
        "statistics",
        stem,
        "xlsx: two columns headed exactly 营业收入（万元） with different values and no parent "
        "header to tell them apart",
    )
    g = Grid()
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "营业收入（万元）",
            "工业总产值（万元）",
            "营业收入（万元）",
            "工业增加值（万元）",
        ]
    )
    for e, b in _small_stat_rows([34, 35, 36, 39, 0, 1, 2, 4]):
        g.add(
            [
                e.uscc,
                e.name,
                b["revenue"],
                b["output"],
                (b["revenue"] * D("0.96")).quantize(D("0.1")),
                b["value_added"],
            ]
        )
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F109", "营业收入（万元）")
    save(x, f"{stem}.xlsx", "two columns for one field")

    # W304 -----------------------------------------------------------------
    stem = "statistics_unplaceable_optional_column"
    x = Exp(
        "statistics",
        stem,
        "xlsx: an extra column 科技活动经费（万元） (science-and-technology spending, wider than "
        "R&D) that no field takes with confidence: a file-level warning naming it, the file loads without it; "
        "从业人员期末人数 is taken as employees",
    )
    g = Grid()
    keys = ["uscc", "name", "revenue", "value_added", "sci_tech", "employees"]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "企业名称",
            "营业收入（万元）",
            "工业增加值（万元）",
            "科技活动经费（万元）",
            "从业人员期末人数",
        ]
    )
    for i in [5, 6, 7, 8, 10, 11, 13, 15, 16]:
        e = E[i]
        v = sv(i, "revenue", "value_added", "employees")
        r = g.add(
            [
                e.uscc,
                e.name,
                v["revenue"],
                v["value_added"],
                (B[i]["rd_expense"] * D("1.3")).quantize(D("0.1")),
                v["employees"],
            ]
        )
        x.row(r, e.uscc, v)
    x.file_warning("W304", "sci_tech")
    x.mentions.append("科技活动经费（万元）")
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "a column placed with no confidence")

    # F101 -----------------------------------------------------------------
    stem = "statistics_truncated_download"
    x = Exp(
        "statistics",
        stem,
        "an .xlsx cut off half-way (an interrupted download): not a readable zip",
    )
    tmp = HERE / f"{stem}.tmp.xlsx"
    g = Grid()
    g.add(["统一社会信用代码", "企业名称", "营业收入（万元）", "工业增加值（万元）"])
    for e, b in _small_stat_rows([17, 18, 20, 22, 23, 24, 26, 28]):
        g.add([e.uscc, e.name, b["revenue"], b["value_added"]])
    write_openpyxl(tmp, [g])
    data = tmp.read_bytes()
    tmp.unlink()
    (HERE / f"{stem}.xlsx").write_bytes(data[: len(data) // 2])
    x.fail("F101")
    save(x, f"{stem}.xlsx", "unreadable file")

    # F103 -----------------------------------------------------------------
    stem = "statistics_no_header_row"
    x = Exp(
        "statistics",
        stem,
        "UTF-8 CSV exported without its header line: data rows only",
        csv_cols=True,
    )
    g = Grid()
    for e, b in _small_stat_rows([29, 30, 32, 33, 34, 35, 36, 39]):
        g.add([e.uscc, e.name, plain(b["revenue"]), plain(b["output"]), plain(b["value_added"])])
    write_csv(HERE / f"{stem}.csv", g, "utf-8")
    x.fail("F103")
    save(x, f"{stem}.csv", "no header row found")


# ===========================================================================
# 税务局 tax
# ===========================================================================
def tax_yuan(i: int) -> Decimal:
    return B[i]["tax_yuan"]


def tax_files() -> None:
    # T1 -------------------------------------------------------------------
    stem = "tax_gbk_yuan_thousands"
    x = Exp(
        "tax",
        stem,
        "GBK CSV, CRLF: 纳税人识别号 / 纳税人名称 / 所属年度 / 实缴税款合计（元）; amounts quoted with "
        'thousands separators ("1,234,567.89"); 规上 and 规下 firms and a non-industrial one (tax-only firms)',
        csv_cols=True,
    )
    g = Grid()
    keys = ["uscc", "name", "year", "tax"]
    x.cols(keys)
    g.add(["纳税人识别号", "纳税人名称", "所属年度", "实缴税款合计（元）"])
    for i in [0, 1, 3, 5, 9, 12, 14, 19, 21, 25, 27, 31, 37, 38, 40, 6, 13, 29]:
        e = E[i]
        y = tax_yuan(i)
        code, cell, errs = e.uscc, comma(y, 2), []
        if i == 3:
            code, errs = lower_uscc(e.uscc), [("W301", "uscc")]
        if i == 27:
            cell, errs = "—", [("R211", "tax")]
        r = g.add([code, e.name, "2023", cell])
        x.row(r, e.uscc, {"tax_paid": y / 10000}, errs)
    write_csv(HERE / f"{stem}.csv", g, "gbk", eol="\r\n")
    save(x, f"{stem}.csv", "lower-case USCC (loads); tax — (missing, required)")

    # T2 -------------------------------------------------------------------
    stem = "tax_utf8_bom_wan_remarks"
    x = Exp(
        "tax",
        stem,
        "UTF-8 with BOM, CRLF: 社会信用代码 / 企业名称 / 税收实际贡献（万元） / 备注; an explicit 0 "
        "(停产, loads as 0) and 无 (missing)",
        csv_cols=True,
    )
    g = Grid()
    keys = ["uscc", "name", "tax", "remark"]
    x.cols(keys)
    g.add(["社会信用代码", "企业名称", "税收实际贡献（万元）", "备注"])
    for i in [2, 4, 7, 8, 10, 11, 15, 16, 17, 18, 20, 22, 14, 31]:
        e = E[i]
        wan = (tax_yuan(i) / 10000).quantize(D("0.01"))
        cell, remark, errs = plain(wan), "", []
        if i == 14:
            wan, cell, remark = D(0), "0", "当年停产"
        if i == 31:
            cell, remark, errs = "无", "待核实", [("R211", "tax")]
        if i == 16:
            remark = "含留抵退税"
        r = g.add([e.uscc, e.name, cell, remark])
        x.row(r, e.uscc, {"tax_paid": wan}, errs)
    write_csv(HERE / f"{stem}.csv", g, "utf-8", eol="\r\n", bom=True)
    save(x, f"{stem}.csv", "explicit 0 (loads); 无 (missing, required)")

    # T3 -------------------------------------------------------------------
    stem = "tax_breakdown_with_total_column"
    x = Exp(
        "tax",
        stem,
        "xlsx (openpyxl): parent 实缴税金（万元） over 增值税 / 企业所得税 / 其他税费 / 合计; tax_paid is "
        "the 合计 child (not the sum of all four); a net negative total after a VAT refund (留抵退税) is legitimate; "
        "frozen panes and an autofilter",
    )
    g = Grid("税收")
    keys = ["uscc", "name", "vat", "cit", "other", "total"]
    x.cols(keys)
    g.add(["统一社会信用代码", "纳税人名称", "实缴税金（万元）"])
    g.add([None, None, "增值税", "企业所得税", "其他税费", "合计"])
    g.merge(1, 1, 2, 1)
    g.merge(1, 2, 2, 2)
    g.merge(1, 3, 1, 6)
    g.freeze = "C3"
    g.autofilter = "A2:F14"
    for i in [23, 24, 26, 28, 30, 32, 33, 34, 35, 36, 39, 13]:
        e = E[i]
        total = (tax_yuan(i) / 10000).quantize(D("0.01"))
        vat = (total * D("0.55")).quantize(D("0.01"))
        cit = (total * D("0.3")).quantize(D("0.01"))
        if i == 35:
            vat, cit = D("-418.37"), D("160.52")
        other = (total * D("0.15")).quantize(D("0.01")) if i != 35 else D("88.14")
        total = vat + cit + other
        r = g.add([e.uscc, e.name, vat, cit, other, total])
        x.row(r, e.uscc, {"tax_paid": total})
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "negative net tax (loads)")

    # T4 -------------------------------------------------------------------
    stem = "tax_xls_title_units_row"
    x = Exp(
        "tax",
        stem,
        "legacy .xls (xlwt): title, 金额单位：万元 row, header 纳税人识别号 / 纳税人名称 / 主管税务机关 / "
        "入库税收, 合计 in 序号 and a 制表 note",
    )
    g = Grid("Sheet1")
    keys = ["seq", "uscc", "name", "office", "tax"]
    x.cols(keys)
    g.add(["2023年度企业税收实际贡献情况表"])
    g.merge(1, 1, 1, 5)
    g.add(["金额单位：万元"])
    g.add(["序号", "纳税人识别号", "纳税人名称", "主管税务机关", "入库税收"])
    tot = D(0)
    for n, i in enumerate([20, 21, 22, 23, 24, 25, 26, 27, 28, 34, 35, 36], start=1):
        e = E[i]
        wan = (tax_yuan(i) / 10000).quantize(D("0.01"))
        office = f"国家税务总局{ {'331022': '三门县', '331023': '天台县', '331024': '仙居县', '331082': '临海市'}[e.county] }税务局"
        office = office.replace(" ", "")
        cell: Any = wan
        code, errs = e.uscc, []
        if i == 25:
            cell, errs = "1O3.27", [("R206", "tax")]
        if i == 36:
            code, errs = e.uscc[:-1], [("R202", "uscc")]
        if isinstance(cell, Decimal):
            tot += cell
        r = g.add([n, code, e.name, office, cell])
        x.row(r, e.uscc, {"tax_paid": wan}, errs)
    g.add(["合计", None, None, None, tot])
    x.skip("total")
    g.add(["制表：台州市税务局收入核算科    2024年3月"])
    x.skip("note")
    write_xls(HERE / f"{stem}.xls", [g])
    save(x, f"{stem}.xls", "1O3.27 (letter O); USCC of 17 characters")

    # T5 F110 --------------------------------------------------------------
    stem = "tax_no_unit_yuan_magnitudes"
    x = Exp(
        "tax",
        stem,
        "UTF-8 CSV: 实缴税金 with no unit anywhere and values like 3456789.12 — as 万元 these would be "
        "billions of yuan of tax per firm; only 元 makes sense, so the reader must ask",
        csv_cols=True,
    )
    g = Grid()
    g.add(["纳税人识别号", "纳税人名称", "实缴税金"])
    for i in [0, 1, 2, 4, 5, 6, 7, 8, 10, 11]:
        g.add([E[i].uscc, E[i].name, plain(tax_yuan(i))])
    write_csv(HERE / f"{stem}.csv", g, "utf-8")
    x.fail("F110", "实缴税金")
    save(x, f"{stem}.csv", "no unit and magnitudes only plausible in 元")

    # T6 F104 --------------------------------------------------------------
    stem = "tax_unknown_amount_header"
    x = Exp(
        "tax",
        stem,
        "xlsx: the only amount column is headed 本年累计（元） — accumulated what? no vocabulary places it "
        "as tax_paid",
    )
    g = Grid()
    g.add(["纳税人识别号", "纳税人名称", "本年累计（元）"])
    for i in [13, 15, 16, 17, 18, 20, 22, 23]:
        g.add([E[i].uscc, E[i].name, fnum(tax_yuan(i))])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F104", "本年累计（元）")
    save(x, f"{stem}.xlsx", "required column under an unknown header")

    # T7 -------------------------------------------------------------------
    stem = "tax_fullwidth_digits_tab"
    x = Exp(
        "tax",
        stem,
        "UTF-8 tab-separated .txt, LF: 信用代码 / 名称 / 实缴税款（千元）; amounts in full-width digits "
        "(１２３４．５), with thousands separators, or padded with spaces",
        csv_cols=True,
    )
    g = Grid()
    keys = ["uscc", "name", "tax"]
    x.cols(keys)
    g.add(["信用代码", "名称", "实缴税款（千元）"])
    seen = set()
    for n, i in enumerate([0, 1, 2, 4, 5, 6, 7, 8, 6, 10, 11, 12, 19, 37, 38]):
        e = E[i]
        k = (tax_yuan(i) / 1000).quantize(D("0.1"))
        cell = plain(k)
        if n % 4 == 1:
            cell = fullwidth(cell)
        elif n % 4 == 2:
            cell = comma(k)
        elif n % 4 == 3:
            cell = f"  {cell} "
        if i == 6:
            cell = comma(k)
        code, errs = e.uscc, []
        if i == 6 and i in seen:
            errs = [("R209", "uscc")]
        if i == 12:
            code, errs = bad_char_uscc(e.uscc), [("R202", "uscc")]
        seen.add(i)
        r = g.add([code, e.name, cell])
        x.row(r, e.uscc, {"tax_paid": k / 10}, errs)
    write_csv(HERE / f"{stem}.txt", g, "utf-8", delimiter="\t")
    save(x, f"{stem}.txt", "exact duplicate row; USCC with the letter O")

    # T9 F107 --------------------------------------------------------------
    stem = "tax_too_many_bad_rows"
    x = Exp(
        "tax",
        stem,
        "xlsx: 3 of 10 rows rejected (30% > 20%): the whole file fails with F107 besides the three "
        "row errors; nothing is loaded. rows_in and rows_rejected are validation's counts, rows_loaded is 0",
    )
    g = Grid()
    keys = ["uscc", "name", "tax"]
    x.cols(keys)
    g.add(["纳税人识别号", "纳税人名称", "实缴税金（万元）"])
    for i in [29, 30, 31, 32, 33, 34, 35, 36, 37, 38]:
        e = E[i]
        wan = (tax_yuan(i) / 10000).quantize(D("0.01"))
        code, cell, errs = e.uscc, wan, []
        if i == 31:
            code, errs = wrong_check(e.uscc), [("R203", "uscc")]
        if i == 34:
            cell, errs = "待核实", [("R206", "tax")]
        if i == 37:
            code, errs = None, [("R201", "uscc")]
        r = g.add([code, e.name, cell])
        x.row(r, e.uscc, {"tax_paid": wan}, errs)
    x.fail("F107")
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "30% of rows rejected")

    # T8 F102 --------------------------------------------------------------
    stem = "tax_undecodable_bytes"
    x = Exp(
        "tax",
        stem,
        "a .csv whose bytes are neither UTF-8 nor GBK/GB18030 (0xFF and lone 0x80 bytes in the "
        "names: a file damaged in transit)",
        csv_cols=True,
    )
    lines = ["纳税人识别号,纳税人名称,实缴税金（万元）".encode("gbk")]
    for i in [0, 1, 2, 4, 5, 6]:
        name = E[i].name.encode("gbk")
        broken = name[:6] + b"\xff\x80\xff" + name[9:]
        lines.append(
            E[i].uscc.encode()
            + b","
            + broken
            + b","
            + plain((tax_yuan(i) / 10000).quantize(D("0.01"))).encode()
        )
    (HERE / f"{stem}.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    x.fail("F102")
    save(x, f"{stem}.csv", "undecodable encoding")


# ===========================================================================
# 自然资源局 land
# ===========================================================================
OWNED, LEASED, LET = "owned", "leased", "let"
M2 = D("0.0015")
HA = D(15)


def land_files() -> None:
    land_l1()
    land_l2()
    land_l3()
    land_l4()
    land_l5()
    land_l6()
    land_l7()


def land_l1() -> None:
    stem = "land_parcels_owned_leased_let"
    x = Exp(
        "land",
        stem,
        "xlsx (openpyxl), one row per parcel, 单位：亩 row; 权利性质 出让/划拨/作价出资 (owned), 租赁/承租 "
        "(leased), 出租 (let); an 出租方 column. Deductions: a 租赁 row sharing the owner's 宗地编号 is deducted from "
        "that owner (who lists no 出租 row) and counted as the owner's let land; a 租赁 row whose 出租方 names an "
        "enterprise of the file is deducted from it; a lessor that lists the parcel as 出租 itself is not deducted "
        "twice; leases from a village collective or with no lessor and an unknown 宗地编号 warn (W306) and are "
        "counted for the tenant only",
    )
    g = Grid("用地")
    keys = ["seq", "name", "uscc", "parcel", "location", "tenure", "area", "lessor"]
    x.cols(keys)
    g.add(["2023年度工业企业用地情况表"])
    g.merge(1, 1, 1, 8)
    g.add(["单位：亩"])
    g.add(
        [
            "序号",
            "权利人",
            "统一社会信用代码",
            "宗地编号",
            "土地坐落",
            "权利性质",
            "用地面积",
            "出租方",
        ]
    )
    rows = [
        # (ent, parcel, tenure word, area, lessor text, tenure, deduct_from, warn)
        (0, "331002-012-0031", "出让", "45.6", "", OWNED, None, False),
        (0, "331002-012-0032", "出让", "12.3", "", OWNED, None, False),
        (4, "331002-015-0007", "划拨", "30", "", OWNED, None, False),
        (3, "331002-012-0031", "租赁", "8.5", "", LEASED, 0, False),
        (40, "331002-020-0011", "出让", "20", "", OWNED, None, False),
        (40, "331002-020-0011", "出租", "6", "", LET, None, False),
        (2, "331002-020-0011", "租赁", "6", E[40].name, LEASED, None, False),
        (2, "331002-018-0003", "出让", "25", "", OWNED, None, False),
        (5, "331003-004-0102", "出让", "38.25", "", OWNED, None, False),
        (9, "", "租赁", "4.2", E[5].name, LEASED, 5, False),
        (12, "", "租赁", "3", "路桥区峰江街道上陶村股份经济合作社", LEASED, None, True),
        (6, "331003-008-0217", "作价出资", "15.5", "", OWNED, None, False),
        (7, "331003-001-0009", "出让", "60", "", OWNED, None, False),
        (14, "331004-007-0055", "承租", "5.5", "", LEASED, None, True),
    ]
    for n, (i, parcel, word, area, lessor, tenure, ded, warn) in enumerate(rows, start=1):
        e = E[i]
        r = g.add([n, e.name, e.uscc, parcel, e.address, word, D(area), lessor])
        errs = [("W306", "tenure")] if warn else []
        x.row(
            r,
            e.uscc,
            errs=errs,
            parcel={
                "mu": D(area),
                "tenure": tenure,
                "deduct_from": E[ded].uscc if ded is not None else None,
            },
        )
    g.widths = {2: 32, 3: 22, 4: 18, 5: 36, 8: 34}
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "two leases whose lessor cannot be identified (W306)")


def land_l2() -> None:
    stem = "land_square_metres_gb18030"
    x = Exp(
        "land",
        stem,
        "GB18030 CSV, CRLF (one 坐落 has 㟃, a character GBK lacks: a GBK decoder fails on it); "
        "用地面积（平方米） quoted with thousands separators (× 0.0015 → 亩); 土地来源 "
        "出让/划拨/租用; a 租用 row sharing another enterprise's 出让 宗地号 is deducted from that owner; no 出租方 "
        "column, so a 租用 row on a parcel no one in the file owns warns (W306)",
        csv_cols=True,
    )
    g = Grid()
    keys = ["name", "uscc", "parcel", "location", "area", "tenure"]
    x.cols(keys)
    g.add(["土地使用权人", "统一社会信用代码", "宗地号", "坐落", "用地面积（平方米）", "土地来源"])
    rows = [
        (15, "331083-003-0017", "出让", "26840.50", OWNED, None, []),
        (15, "331083-003-0018", "出让", "5120.00", OWNED, None, []),
        (16, "331083-005-0102", "出让", "40215.36", OWNED, None, []),
        (17, "331083-002-0044", "划拨", "12004.00", OWNED, None, []),
        (18, "331083-006-0009", "出让", "18660.25", OWNED, None, []),
        (19, "331083-006-0009", "租用", "2400.00", LEASED, 18, []),
        (20, "331022-001-0210", "出让", "33350.00", OWNED, None, []),
        (21, "331022-004-0037", "出让", "-4200.00", OWNED, None, [("R207", "area")]),
        (22, "331022-002-0015", "出让", "21006.70", OWNED, None, []),
        (23, "331023-001-0088", "出让", "45300.00", OWNED, None, []),
        (25, "331023-003-0140", "租用", "3000.00", LEASED, None, [("W306", "tenure")]),
        (24, "331023-002-0061", "划拨", "15555.55", OWNED, None, []),
    ]
    for i, parcel, word, m2, tenure, ded, errs in rows:
        e = E[i]
        location = "三门县沙柳街道㟃岙村工业点" if i == 21 else e.address
        r = g.add([e.name, e.uscc, parcel, location, comma(D(m2), 2), word])
        x.row(
            r,
            e.uscc,
            errs=errs,
            parcel={
                "mu": D(m2) * M2,
                "tenure": tenure,
                "deduct_from": E[ded].uscc if ded is not None else None,
            },
        )
    write_csv(HERE / f"{stem}.csv", g, "gb18030", eol="\r\n")
    save(x, f"{stem}.csv", "negative area; lease on a parcel nobody in the file owns (W306)")


def land_l3() -> None:
    stem = "land_hectares_two_row_header"
    x = Exp(
        "land",
        stem,
        "xlsx (xlsxwriter): two-row header 企业信息 › 统一社会信用代码 / 企业名称, 土地信息 › 宗地编号 / "
        "面积（公顷） / 使用权类型 (× 15 → 亩); 作价出资（入股） is owned; a 租赁 row on another enterprise's 宗地编号 "
        "is deducted from it",
    )
    g = Grid("宗地")
    keys = ["uscc", "name", "parcel", "area", "tenure"]
    x.cols(keys)
    g.add(["企业信息", None, "土地信息"])
    g.merge(1, 1, 1, 2)
    g.merge(1, 3, 1, 5)
    g.add(["统一社会信用代码", "企业名称", "宗地编号", "面积（公顷）", "使用权类型"])
    rows = [
        (26, "331024-002-0031", "出让", "3.2150", OWNED, None, []),
        (26, "331024-002-0032", "划拨", "0.8600", OWNED, None, []),
        (28, "331024-005-0107", "出让", "2.4400", OWNED, None, []),
        (29, "331081-010-0056", "出让", "4.1025", OWNED, None, []),
        (29, "331081-010-0057", "作价出资（入股）", "1.0000", OWNED, None, []),
        (30, "331081-012-0201", "出让", "3.6000", OWNED, None, []),
        (31, "331081-012-0201", "租赁", "0.4500", LEASED, 30, []),
        (32, "331081-007-0018", "出让", "5.3300", OWNED, None, []),
        (33, "331081-015-0040", "出让", "2.7250", OWNED, None, []),
        (34, "331082-003-0093", "抵押", "1.9800", OWNED, None, [("R213", "tenure")]),
        (35, "331082-021-0002", "出让", "12.6000", OWNED, None, []),
    ]
    for i, parcel, word, ha, tenure, ded, errs in rows:
        e = E[i]
        r = g.add([e.uscc, e.name, parcel, Cell(fnum(D(ha)), "0.0000"), word])
        x.row(
            r,
            e.uscc,
            errs=errs,
            parcel={
                "mu": D(ha) * HA,
                "tenure": tenure,
                "deduct_from": E[ded].uscc if ded is not None else None,
            },
        )
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g], author="zrzyj")
    save(x, f"{stem}.xlsx", "tenure 抵押 (not a tenure)")


def land_l4() -> None:
    stem = "land_xls_units_in_cells"
    x = Exp(
        "land",
        stem,
        "legacy .xls (xlwt): header 面积 without a unit; each cell carries its own (56.8亩, "
        "2,668平方米, 0.42公顷); an 出租 row for part of the lessor's own parcel (tenant not in this file) is "
        "its let land; 合计 row with — ",
    )
    g = Grid("Sheet1")
    keys = ["seq", "name", "uscc", "parcel", "area", "tenure"]
    x.cols(keys)
    g.add(["序号", "权利人名称", "信用代码", "宗地编号", "面积", "权利性质"])
    rows = [
        (36, "331082-008-0120", "56.8亩", D("56.8"), "出让", OWNED, []),
        (37, "331082-011-0301", "2,668平方米", D("2668") * M2, "出让", OWNED, []),
        (38, "331082-004-0077", "0.42公顷", D("0.42") * HA, "出让", OWNED, []),
        (39, "331082-006-0015", "31.25亩", D("31.25"), "出让", OWNED, []),
        (39, "331082-006-0016", "1,333.4平方米", D("1333.4") * M2, "划拨", OWNED, []),
        (34, "331082-003-0093", "0.96公顷", D("0.96") * HA, "出让", OWNED, []),
        (35, "331082-021-0002", "88亩", D(88), "出让", OWNED, []),
        (35, "331082-021-0002", "12.5亩", D("12.5"), "出租", LET, []),
        (1, "331002-011-0240", "约20亩", None, "出让", OWNED, [("R206", "area")]),
        (0, "331002-012-0031", "3,000平方米", D(3000) * M2, "出让", OWNED, []),
    ]
    for n, (i, parcel, text, mu, word, tenure, errs) in enumerate(rows, start=1):
        e = E[i]
        r = g.add([n, e.name, e.uscc, parcel, text, word])
        x.row(r, e.uscc, errs=errs, parcel={"mu": mu, "tenure": tenure, "deduct_from": None})
    g.add(["合计", None, None, None, "—", None])
    x.skip("total")
    write_xls(HERE / f"{stem}.xls", [g])
    save(x, f"{stem}.xls", "约20亩 (not a number)")


def land_l5() -> None:
    stem = "land_duplicate_parcels_m2_symbol"
    x = Exp(
        "land",
        stem,
        "xlsx (openpyxl): a 说明 sheet first, data on 宗地清单, an empty Sheet3; area headed "
        "宗地面积(㎡) (the ㎡ sign); both 权利类型 (国有建设用地使用权: the kind of right, not the tenure) and "
        "权利性质 (出让/划拨: the tenure) columns; one parcel row twice identically, one parcel twice with "
        "different areas",
    )
    info = Grid("说明")
    info.add(["数据说明"])
    info.add(["本表摘自不动产登记信息管理平台，统计时点2023年12月31日，面积单位平方米。"])
    g = Grid("宗地清单")
    keys = ["name", "uscc", "parcel", "right", "tenure", "area"]
    x.cols(keys)
    g.add(["权利人", "社会信用代码", "宗地代码", "权利类型", "权利性质", "宗地面积(㎡)"])
    rows = [
        (2, "331002-018-0003", "出让", "16666.67", []),
        (4, "331002-015-0007", "划拨", "20000.00", []),
        (5, "331003-004-0102", "出让", "25500.00", []),
        (6, "331003-008-0217", "出让", "10333.33", []),
        (7, "331003-001-0009", "出让", "40000.00", []),
        (7, "331003-001-0010", "出让", "8650.40", []),
        (8, "331003-012-0044", "出让", "30120.00", [("R210", "area")]),
        (10, "331004-003-0061", "出让", "22480.00", []),
        (11, "331004-009-0012", "出让", "18900.00", []),
        (13, "331004-002-0150", "出让", "26000.00", []),
        (6, "331003-008-0217", "出让", "10333.33", [("R209", "uscc")]),
        (15, "331083-003-0017", "出让", "26840.50", []),
        (8, "331003-012-0044", "出让", "31020.00", [("R210", "area")]),
        (16, "331083-005-0102", "出让", "40215.36", []),
        (17, "331083-002-0044", "划拨", "12004.00", []),
        (18, "331083-006-0009", "出让", "18660.25", []),
    ]
    for i, parcel, word, m2, errs in rows:
        e = E[i]
        r = g.add(
            [e.name, e.uscc, parcel, "国有建设用地使用权", word, Cell(fnum(D(m2)), "#,##0.00")]
        )
        x.row(r, e.uscc, errs=errs, parcel={"mu": D(m2) * M2, "tenure": OWNED, "deduct_from": None})
    write_openpyxl(HERE / f"{stem}.xlsx", [info, g, Grid("Sheet3")])
    save(x, f"{stem}.xlsx", "exact duplicate parcel row; same parcel with two areas")


def land_l6() -> None:
    stem = "land_quantity_unit_columns"
    x = Exp(
        "land",
        stem,
        "xlsx: the area sits under 数量 with its unit in a separate 计量单位 column (平方米) — no "
        "vocabulary places 数量 as the parcel area; area is required",
    )
    g = Grid()
    g.add(["权利人", "统一社会信用代码", "宗地编号", "权利性质", "数量", "计量单位"])
    for i, p in [
        (20, "331022-001-0210"),
        (22, "331022-002-0015"),
        (23, "331023-001-0088"),
        (24, "331023-002-0061"),
        (26, "331024-002-0031"),
        (28, "331024-005-0107"),
    ]:
        g.add([E[i].name, E[i].uscc, p, "出让", 12000 + 731 * i, "平方米"])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F104", "数量")
    save(x, f"{stem}.xlsx", "required column under an unknown header")


def land_l7() -> None:
    stem = "land_hidden_column_text_mu"
    x = Exp(
        "land",
        stem,
        "xlsx (xlsxwriter): hidden column B (内部编号), autofilter and frozen header; 用地面积（亩） "
        "as text with spaces; 权利性质 自有 (owned) / 租赁; a 租赁 row on another enterprise's 宗地编号 is "
        "deducted from it",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "internal", "name", "parcel", "area", "tenure"]
    x.cols(keys)
    g.add(["统一社会信用代码", "内部编号", "企业名称", "宗地编号", "用地面积（亩）", "权利性质"])
    g.hidden_cols = [2]
    g.freeze = "A2"
    g.autofilter = "A1:F11"
    rows = [
        (10, "331004-003-0061", "自有", "33.72", OWNED, None, []),
        (11, "331004-009-0012", "自有", "28.35", OWNED, None, []),
        (12, "331004-009-0012", "租赁", "2.6", LEASED, 11, []),
        (13, "331004-002-0150", "自有", "39", OWNED, None, []),
        (14, "331004-007-0055", "租赁", "5.5", LEASED, None, [("W306", "tenure")]),
        (21, "331022-004-0037", "自有", "6.3", OWNED, None, []),
        (25, "331023-003-0140", "自有", "—", OWNED, None, [("R211", "area")]),
        (27, "331024-009-0008", "自有", "4.85", OWNED, None, []),
        (31, "331081-012-0201", "租赁", "6.75", LEASED, 30, []),
        (30, "331081-012-0201", "自有", "54", OWNED, None, []),
    ]
    for n, (i, parcel, word, area, tenure, ded, errs) in enumerate(rows, start=1):
        e = E[i]
        r = g.add([e.uscc, f"TD{2023000 + n * 17}", e.name, parcel, f" {area} ", word])
        mu = D(area) if area != "—" else None
        x.row(
            r,
            e.uscc,
            errs=errs,
            parcel={
                "mu": mu,
                "tenure": tenure,
                "deduct_from": E[ded].uscc if ded is not None else None,
            },
        )
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "area — (missing, required); lease with no identifiable lessor (W306)")


# ===========================================================================
# 供电公司 electricity
# ===========================================================================
SEASON = [
    D(x)
    for x in (
        "0.078",
        "0.052",
        "0.083",
        "0.084",
        "0.085",
        "0.088",
        "0.093",
        "0.094",
        "0.086",
        "0.087",
        "0.085",
        "0.085",
    )
]
assert sum(SEASON) == 1


def months_of(total: Decimal) -> list[Decimal]:
    """Split a yearly kWh figure into 12 whole months that add up to it."""
    parts = [(total * s).quantize(D(1)) for s in SEASON]
    parts[-1] += total - sum(parts)
    return parts


def account(i: int, k: int = 0) -> str:
    return f"0{E[i].county[2:]}{(i * 7919 + k * 104729) % 100000:05d}"


def electricity_files() -> None:
    elec_e1()
    elec_e2()
    elec_e3()
    elec_e4()
    elec_e5()
    elec_e6()
    elec_e7()
    elec_e8()


def elec_e1() -> None:
    stem = "electricity_two_accounts_monthly"
    x = Exp(
        "electricity",
        stem,
        "xlsx (openpyxl): title, 单位：千瓦时 row, 户号 (text with a leading 0) / 户名 / 统一社会信用代码 "
        "/ 1月 … 12月 / 合计; an enterprise with two accounts (two rows, summed); a row with Jan–Feb blank whose "
        "合计 is the figure; one row whose 合计 disagrees with its 12 months",
        mode="sum",
    )
    g = Grid("分月电量")
    keys = ["account", "name", "uscc"] + [f"m{m}" for m in range(1, 13)] + ["total"]
    x.cols(keys)
    g.add(["2023年度工业用户分月用电量明细"])
    g.merge(1, 1, 1, 16)
    g.add(["单位：千瓦时"])
    g.add(["户号", "户名", "统一社会信用代码"] + [f"{m}月" for m in range(1, 13)] + ["合计"])
    g.freeze = "D4"
    plan = [
        (0, 0),
        (1, 0),
        (2, 0),
        (4, 0),
        (4, 1),
        (5, 0),
        (6, 0),
        (7, 0),
        (8, 0),
        (10, 0),
        (11, 0),
        (13, 0),
        (3, 0),
        (9, 0),
    ]
    for i, k in plan:
        e = E[i]
        kwh = B[i]["kwh"] if k == 0 else (B[i]["kwh"] * D("0.18")).quantize(D(1))
        months: list[Any] = months_of(kwh)
        total = sum(months)
        errs = []
        if i == 7:
            total = (total * D("1.05")).quantize(D(1))
            errs = [("R218", "total")]
        if i == 3:
            months[0] = months[1] = None  # account opened in March
            total = sum(m for m in months if m is not None)
        r = g.add([account(i, k), e.name, e.uscc, *months, total])
        x.row(r, e.uscc, {"electricity_kwh": total}, errs)
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "合计 ≠ sum of its 12 months (R218)")


def elec_e2() -> None:
    stem = "electricity_wan_kwh_annual_gbk"
    x = Exp(
        "electricity",
        stem,
        "GBK CSV, CRLF: 户号 with leading zeros / 用户名称 / 社会信用代码 / 结算电量（万千瓦时） "
        "(× 10000 → 千瓦时); one enterprise with two accounts",
        csv_cols=True,
        mode="sum",
    )
    g = Grid()
    keys = ["account", "name", "uscc", "kwh"]
    x.cols(keys)
    g.add(["户号", "用户名称", "社会信用代码", "结算电量（万千瓦时）"])
    for i, k in [
        (15, 0),
        (16, 0),
        (16, 1),
        (17, 0),
        (18, 0),
        (19, 0),
        (20, 0),
        (21, 0),
        (22, 0),
        (23, 0),
        (24, 0),
        (25, 0),
    ]:
        e = E[i]
        kwh = B[i]["kwh"] if k == 0 else D(386400)
        wan = kwh / 10000
        cell, errs = plain(wan), []
        if i == 19:
            cell, errs = "-" + plain(wan), [("R207", "kwh")]
        r = g.add([account(i, k), e.name, e.uscc, cell])
        x.row(r, e.uscc, {"electricity_kwh": kwh}, errs)
    write_csv(HERE / f"{stem}.csv", g, "gbk", eol="\r\n")
    save(x, f"{stem}.csv", "negative electricity")


def elec_e3() -> None:
    stem = "electricity_blank_months_no_total"
    x = Exp(
        "electricity",
        stem,
        "xlsx (xlsxwriter): months headed 2023年01月 … 2023年12月, no total column; the year is the "
        "sum of the months given; months blank (empty or —) warn on the first blank month; explicit 0 months are "
        "values; a row with every month blank has no figure",
        mode="sum",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "account"] + [f"m{m}" for m in range(1, 13)]
    x.cols(keys)
    g.add(["统一社会信用代码", "企业名称", "户号"] + [f"2023年{m:02d}月" for m in range(1, 13)])
    for i in [26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37]:
        e = E[i]
        months: list[Any] = months_of(B[i]["kwh"])
        errs = []
        if i == 27:
            months[0] = months[1] = months[2] = None
            errs = [("W305", "m1")]
        if i == 31:
            months[6] = months[7] = "—"
            errs = [("W305", "m7")]
        if i == 33:
            months[1] = D(0)
        if i == 37:
            months = [None] * 12
            errs = [("R211", "m1")]
        figure = sum((m for m in months if isinstance(m, Decimal)), D(0))
        r = g.add([e.uscc, e.name, account(i), *months])
        x.row(r, e.uscc, {"electricity_kwh": figure}, errs)
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g], author="gdj")
    save(x, f"{stem}.xlsx", "blank months without a total (W305 ×2); every month blank (R211)")


def elec_e4() -> None:
    stem = "electricity_chinese_month_names_xls"
    x = Exp(
        "electricity",
        stem,
        "legacy .xls (xlwt): title, 单位：千瓦时 row, months 一月 … 十二月 and 全年合计; a row with "
        "Oct–Dec blank whose 全年合计 is the figure; 合计 row",
        mode="sum",
    )
    g = Grid("Sheet1")
    cn = [
        "一月",
        "二月",
        "三月",
        "四月",
        "五月",
        "六月",
        "七月",
        "八月",
        "九月",
        "十月",
        "十一月",
        "十二月",
    ]
    keys = ["seq", "name", "uscc", "account"] + [f"m{m}" for m in range(1, 13)] + ["total"]
    x.cols(keys)
    g.add(["2023年用电量统计表"])
    g.merge(1, 1, 1, 17)
    g.add(["单位：千瓦时"])
    g.add(["序号", "户名", "信用代码", "户号", *cn, "全年合计"])
    tot = D(0)
    for n, i in enumerate([38, 39, 40, 12, 14, 19, 21, 25, 31, 9], start=1):
        e = E[i]
        months: list[Any] = months_of(B[i]["kwh"])
        total = sum(months)
        code, errs = e.uscc, []
        if i == 40:
            months[9] = months[10] = months[11] = None
            total = B[i]["kwh"]  # the yearly figure from the billing system
        if i == 9:
            code, errs = "", [("R201", "uscc")]
        tot += total
        r = g.add([n, e.name, code, account(i), *months, total])
        x.row(r, e.uscc, {"electricity_kwh": total}, errs)
    g.add(["合计", None, None, None] + [None] * 12 + [tot])
    x.skip("total")
    write_xls(HERE / f"{stem}.xls", [g])
    save(x, f"{stem}.xls", "empty USCC")


def elec_e5() -> None:
    stem = "electricity_dotnet_prefixed_no_dimension"
    x = Exp(
        "electricity",
        stem,
        "xlsx as the .NET Open XML SDK writes it (x: prefixes, no <dimension>, no styles); 户号 "
        "as numeric cells; 售电量（千瓦时）; one enterprise with two accounts",
        mode="sum",
    )
    g = Grid("售电量")
    keys = ["account", "name", "uscc", "kwh"]
    x.cols(keys)
    g.add(["户号", "户名", "统一社会信用代码", "售电量（千瓦时）"])
    for i, k in [
        (0, 0),
        (1, 0),
        (2, 0),
        (2, 1),
        (5, 0),
        (6, 0),
        (10, 0),
        (13, 0),
        (15, 0),
        (16, 0),
    ]:
        e = E[i]
        kwh = B[i]["kwh"] if k == 0 else D(527310)
        r = g.add([int("33" + account(i, k)[1:]), e.name, e.uscc, kwh])
        x.row(r, e.uscc, {"electricity_kwh": kwh})
    write_dotnet_xlsx(HERE / f"{stem}.xlsx", g)
    save(x, f"{stem}.xlsx", "none")


def elec_e6() -> None:
    stem = "electricity_meter_reading_header"
    x = Exp(
        "electricity",
        stem,
        "xlsx: the only energy column is 抄见示数 (a meter reading) beside 倍率 — a reading, not "
        "the year's consumption; no vocabulary places it as electricity_kwh",
    )
    g = Grid()
    g.add(["户号", "户名", "统一社会信用代码", "抄见示数", "倍率"])
    for i in [17, 18, 20, 22, 23, 24]:
        g.add([account(i), E[i].name, E[i].uscc, int(B[i]["kwh"] / 80) + 13571, 80])
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    x.fail("F104", "抄见示数")
    save(x, f"{stem}.xlsx", "required column under an unknown header")


def elec_e7() -> None:
    stem = "electricity_tab_kwh_duplicates"
    x = Exp(
        "electricity",
        stem,
        "UTF-8-BOM tab-separated .txt, CRLF: 户号 / 用户名称 / 统一社会信用代码 / 年用电量(kWh) with "
        "thousands separators; one account row twice identically; one account twice with different amounts",
        csv_cols=True,
        mode="sum",
    )
    g = Grid()
    keys = ["account", "name", "uscc", "kwh"]
    x.cols(keys)
    g.add(["户号", "用户名称", "统一社会信用代码", "年用电量(kWh)"])
    seen = set()
    for i in [17, 18, 20, 22, 23, 24, 22, 26, 28, 29, 30, 32, 33, 30, 34, 35]:
        e = E[i]
        kwh, errs = B[i]["kwh"], []
        if i == 22 and i in seen:
            errs = [("R209", "uscc")]
        if i == 30:
            errs = [("R210", "kwh")]
            if i in seen:
                kwh = kwh + 125000
        seen.add(i)
        r = g.add([account(i), e.name, e.uscc, comma(kwh, 0)])
        x.row(r, e.uscc, {"electricity_kwh": kwh}, errs)
    write_csv(HERE / f"{stem}.txt", g, "utf-8", delimiter="\t", eol="\r\n", bom=True)
    save(x, f"{stem}.txt", "exact duplicate; same account with two amounts")


def elec_e8() -> None:
    stem = "electricity_monthly_parent_unit_wan"
    x = Exp(
        "electricity",
        stem,
        "xlsx (openpyxl): two-row header, parent 用电量（万千瓦时） over 1月 … 12月 and 合计 (the unit "
        "in the parent applies to every child, × 10000); an enterprise with two accounts",
        mode="sum",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "account"] + [f"m{m}" for m in range(1, 13)] + ["total"]
    x.cols(keys)
    g.add(["统一社会信用代码", "用户名称", "户号", "用电量（万千瓦时）"])
    g.add([None, None, None] + [f"{m}月" for m in range(1, 13)] + ["合计"])
    for c in (1, 2, 3):
        g.merge(1, c, 2, c)
    g.merge(1, 4, 1, 16)
    for i, k in [
        (36, 0),
        (39, 0),
        (39, 1),
        (1, 0),
        (8, 0),
        (11, 0),
        (13, 0),
        (15, 0),
        (18, 0),
        (20, 0),
    ]:
        e = E[i]
        kwh = B[i]["kwh"] if k == 0 else D(244800)
        months = months_of(kwh)
        r = g.add(
            [
                e.uscc,
                e.name,
                account(i, k),
                *[Cell(fnum(m / 10000), "0.0000") for m in months],
                Cell(fnum(kwh / 10000), "0.0000"),
            ]
        )
        x.row(r, e.uscc, {"electricity_kwh": kwh})
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "none")


# ===========================================================================
# 生态环境局 emissions
# ===========================================================================
KG = D("0.001")


def emissions_files() -> None:
    emis_m1()
    emis_m2()
    emis_m3()
    emis_m4()
    emis_m5()
    emis_m6()


def emis_m1() -> None:
    stem = "emissions_wide_tonnes"
    x = Exp(
        "emissions",
        stem,
        "xlsx (openpyxl): wide, one column per pollutant with 吨 in each header (化学需氧量, 氨氮, "
        "二氧化硫, 氮氧化物, 颗粒物); / for a pollutant not monitored (NULL, not 0); an enterprise with all zeros "
        "(legitimate, emissions_eq 0); 合计 row",
        mode="sum",
    )
    g = Grid("排放量")
    keys = ["seq", "name", "uscc", "COD", "NH3N", "SO2", "NOX", "PM"]
    x.cols(keys)
    g.add(["2023年度重点排污单位主要污染物排放量"])
    g.merge(1, 1, 1, 8)
    g.add(
        [
            "序号",
            "排污单位名称",
            "统一社会信用代码",
            "化学需氧量（吨）",
            "氨氮（吨）",
            "二氧化硫（吨）",
            "氮氧化物（吨）",
            "颗粒物（吨）",
        ]
    )
    data = {
        1: ("12.562", "0.891", "3.204", "6.115", "1.032"),
        8: ("8.305", "0.620", "1.870", "4.402", "0.550"),
        26: ("15.740", "1.204", "2.115", "3.998", "0.871"),
        35: ("21.036", "1.655", "9.847", "14.210", "3.406"),
        6: ("0.912", "0.075", "0.431", "1.206", "0.318"),
        20: ("2.380", "0.205", "5.620", "7.004", "1.115"),
        22: ("6.455", "0.512", "/", "/", "/"),
        15: ("1.208", "0.096", "0.615", "1.840", "0.402"),
        16: ("0.733", "0.061", "0.288", "0.975", "0.254"),
        11: ("0.505", "0.042", "/", "0.860", "0.233"),
        29: ("1.116", "0.088", "0.302", "0.744", "0.190"),
        0: ("0", "0", "0", "0", "0"),
    }
    sums = [D(0)] * 5
    for n, (i, vals) in enumerate(data.items(), start=1):
        e = E[i]
        cells: list[Any] = [D(v) if v != "/" else "/" for v in vals]
        pv = {
            k: (D(v) if v != "/" else None)
            for k, v in zip(["COD", "NH3N", "SO2", "NOX", "PM"], vals, strict=False)
        }
        sums = [a + (c if isinstance(c, Decimal) else 0) for a, c in zip(sums, cells, strict=False)]
        r = g.add([n, e.name, e.uscc, *cells])
        x.row(r, e.uscc, pv)
    g.add(["合计", None, None, *sums])
    x.skip("total")
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "none (zeros and / are legitimate)")


def emis_m2() -> None:
    stem = "emissions_long_kg_gbk"
    x = Exp(
        "emissions",
        stem,
        "GBK CSV: long, one row per enterprise and 污染物名称, 排放量（千克） (× 0.001 → 吨); "
        "names in Chinese incl. 总磷 and 挥发性有机物 (stored, not in emissions_eq)",
        csv_cols=True,
        mode="sum",
    )
    g = Grid()
    keys = ["name", "uscc", "pollutant", "amount"]
    x.cols(keys)
    g.add(["单位名称", "统一社会信用代码", "污染物名称", "排放量（千克）"])
    code = {
        "化学需氧量": "COD",
        "氨氮": "NH3N",
        "二氧化硫": "SO2",
        "氮氧化物": "NOX",
        "总磷": "TP",
        "挥发性有机物": "VOCS",
        "颗粒物": "PM",
    }
    rows = [
        (1, "化学需氧量", "12560.5"),
        (1, "氨氮", "890.2"),
        (1, "总磷", "45.1"),
        (1, "挥发性有机物", "3210"),
        (8, "化学需氧量", "8305.0"),
        (8, "氨氮", "620.4"),
        (8, "二氧化硫", "1870.25"),
        (8, "氮氧化物", "4402.8"),
        (35, "化学需氧量", "21036"),
        (35, "二氧化硫", "9847.3"),
        (35, "氮氧化物", "14210.6"),
        (35, "挥发性有机物", "5120.75"),
        (26, "化学需氧量", "15740.2"),
        (26, "氨氮", "1204.9"),
        (36, "颗粒物", "2210.4"),
        (36, "挥发性有机物", "8640"),
        (36, "氮氧化物", "512.35"),
    ]
    for i, pname, kg in rows:
        e = E[i]
        r = g.add([e.name, e.uscc, pname, comma(D(kg)) if D(kg) >= 1000 else kg])
        x.row(r, e.uscc, {code[pname]: D(kg) * KG})
    write_csv(HERE / f"{stem}.csv", g, "gbk")
    save(x, f"{stem}.csv", "none")


def emis_m3() -> None:
    stem = "emissions_per_outlet_kg"
    x = Exp(
        "emissions",
        stem,
        "xlsx (xlsxwriter): one row per 排放口 (DW = water, DA = air) with COD（kg） / NH3-N（kg） / "
        "SO2（kg） / NOx（kg）; — where an outlet does not emit that pollutant; outlets are parts summed per "
        "enterprise",
        mode="sum",
    )
    g = Grid("排放口")
    keys = ["uscc", "name", "outlet", "outlet_name", "COD", "NH3N", "SO2", "NOX"]
    x.cols(keys)
    g.add(
        [
            "统一社会信用代码",
            "单位名称",
            "排放口编号",
            "排放口名称",
            "COD（kg）",
            "NH3-N（kg）",
            "SO2（kg）",
            "NOx（kg）",
        ]
    )
    rows = [
        (1, "DW001", "废水总排放口", "12562", "891", "—", "—", []),
        (1, "DA001", "锅炉废气排放口", "—", "—", "2104.5", "4015.2", []),
        (1, "DA002", "工艺废气排放口", "—", "—", "1099.5", "2099.8", []),
        (8, "DW001", "废水总排放口", "8305", "620", "—", "—", []),
        (8, "DA001", "锅炉废气排放口", "—", "—", "1870", "4402", []),
        (35, "DW001", "废水总排放口", "21036", "1655", "—", "—", []),
        (35, "DA001", "焚烧炉排放口", "—", "—", "6847", "9210", []),
        (35, "DA002", "导热油炉排放口", "—", "—", "3000", "5000", []),
        (26, "DW001", "废水总排放口", "15740", "1204", "—", "—", []),
        (6, "DA001", "注塑废气排放口", "—", "—", "431", "1206", []),
        (20, "DW001", "废水排放口", "-2380", "205", "—", "—", [("R207", "COD")]),
        (16, "DA001", "涂装废气排放口", "—", "—", "288", "975", []),
    ]
    for i, outlet, oname, cod, nh3, so2, nox, errs in rows:
        e = E[i]
        cells: list[Any] = [D(v) if v != "—" else "—" for v in (cod, nh3, so2, nox)]
        pv = {
            k: (D(v) * KG if v != "—" else None)
            for k, v in zip(["COD", "NH3N", "SO2", "NOX"], (cod, nh3, so2, nox), strict=False)
        }
        r = g.add([e.uscc, e.name, outlet, oname, *cells])
        x.row(r, e.uscc, pv, errs)
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g], author="sthjj")
    save(x, f"{stem}.xlsx", "negative COD")


def emis_m4() -> None:
    stem = "emissions_long_symbols_utf8"
    x = Exp(
        "emissions",
        stem,
        "UTF-8 CSV without BOM, CRLF: long, 排放口 + 污染物 + 排放量(吨); pollutant names as "
        "symbols, some with Unicode subscripts (COD, NH₃-N, SO₂, NOₓ, NH3-N, NOx, VOCs) and 总氮 / 总磷 / 颗粒物",
        csv_cols=True,
        mode="sum",
    )
    g = Grid()
    keys = ["uscc", "name", "outlet", "pollutant", "amount"]
    x.cols(keys)
    g.add(["信用代码", "企业名称", "排放口", "污染物", "排放量(吨)"])
    code = {
        "COD": "COD",
        "NH₃-N": "NH3N",
        "NH3-N": "NH3N",
        "SO₂": "SO2",
        "SO2": "SO2",
        "NOₓ": "NOX",
        "NOx": "NOX",
        "VOCs": "VOCS",
        "总氮": "TN",
        "总磷": "TP",
        "颗粒物": "PM",
    }
    rows = [
        (29, "DW001", "COD", "1.116", []),
        (29, "DW001", "NH₃-N", "0.088", []),
        (29, "DA001", "SO₂", "0.302", []),
        (29, "DA001", "NOₓ", "0.744", []),
        (30, "DA001", "NOx", "0.415", []),
        (30, "DA001", "VOCs", "约0.8", [("R206", "amount")]),
        (33, "DW001", "COD", "0.652", []),
        (33, "DW001", "NH3-N", "0.051", []),
        (33, "DW001", "总氮", "0.128", []),
        (34, "DW001", "COD", "2.406", []),
        (34, "DW001", "总磷", "0.019", []),
        (39, "DA001", "SO2", "0.120", []),
        (39, "DA001", "NOx", "0.388", []),
        (39, "DA001", "颗粒物", "0.207", []),
    ]
    for i, outlet, pname, t, errs in rows:
        e = E[i]
        r = g.add([e.uscc, e.name, outlet, pname, t])
        x.row(r, e.uscc, {code[pname]: D(t) if not errs else None}, errs)
    write_csv(HERE / f"{stem}.csv", g, "utf-8", eol="\r\n")
    save(x, f"{stem}.csv", "约0.8 (not a number)")


def emis_m5() -> None:
    stem = "emissions_equivalent_precomputed"
    x = Exp(
        "emissions",
        stem,
        "xlsx (openpyxl): the bureau sends only a pre-computed 排放当量（吨） per enterprise: it is "
        "emissions_eq as given (no pollutant amounts); a 0 is legitimate",
    )
    g = Grid("排放当量")
    keys = ["uscc", "name", "eq"]
    x.cols(keys)
    g.add(["统一社会信用代码", "企业名称", "排放当量（吨）"])
    vals = {
        2: "4.218",
        4: "2.905",
        5: "1.377",
        7: "3.640",
        10: "0.982",
        13: "2.056",
        17: "5.731",
        18: "1.204",
        23: "0.866",
        0: "0",
    }
    for i, v in vals.items():
        e = E[i]
        r = g.add([e.uscc, e.name, D(v)])
        x.row(r, e.uscc, {"emissions_eq": D(v)})
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "none")


def emis_m6() -> None:
    stem = "emissions_xls_units_row_per_column"
    x = Exp(
        "emissions",
        stem,
        "legacy .xls (xlwt): title; two-row header 废水污染物 › 化学需氧量 / 氨氮 / 总磷 and 废气污染物 › "
        "二氧化硫 / 氮氧化物 / 颗粒物 / 挥发性有机物; a per-column units row under it (吨 … but 总磷 and 挥发性有机物 "
        "in 千克); one row repeated identically",
        mode="sum",
    )
    g = Grid("Sheet1")
    keys = ["uscc", "name", "COD", "NH3N", "TP", "SO2", "NOX", "PM", "VOCS"]
    x.cols(keys)
    g.add(["2023年排污许可执行报告污染物实际排放量汇总"])
    g.merge(1, 1, 1, 9)
    g.add(["统一社会信用代码", "排污单位名称", "废水污染物", None, None, "废气污染物"])
    g.add(
        [None, None, "化学需氧量", "氨氮", "总磷", "二氧化硫", "氮氧化物", "颗粒物", "挥发性有机物"]
    )
    g.add([None, None, "吨", "吨", "千克", "吨", "吨", "吨", "千克"])
    g.merge(2, 1, 4, 1)
    g.merge(2, 2, 4, 2)
    g.merge(2, 3, 2, 5)
    g.merge(2, 6, 2, 9)
    data = {
        13: ("0.845", "0.066", "12.4", "0.512", "1.330", "0.402", "860"),
        17: ("1.902", "0.150", "30.5", "0.208", "0.615", "0.331", "1250"),
        18: ("0.433", "0.035", "5.2", "0.150", "0.412", "0.295", "2310"),
        23: ("0.628", "0.049", "8.8", "0.371", "0.902", "0.264", "3120"),
        24: ("3.315", "0.262", "41.0", "1.102", "2.045", "0.518", "640"),
        28: ("0.957", "0.074", "14.6", "0.088", "0.310", "0.120", "415"),
        30: ("0.512", "0.040", "6.1", "0.204", "0.415", "0.377", "1705"),
        33: ("0.652", "0.051", "9.0", "0.095", "0.288", "0.146", "920"),
        34: ("2.406", "0.188", "19.0", "0.060", "0.201", "0.088", "330"),
        39: ("0.302", "0.024", "3.3", "0.120", "0.388", "0.207", "1480"),
    }
    order = [13, 17, 18, 23, 24, 28, 24, 30, 33, 34, 39]
    seen = set()
    for i in order:
        e = E[i]
        vals = data[i]
        errs = [("R209", "uscc")] if i in seen else []
        seen.add(i)
        pv = {
            k: D(v) * (KG if k in ("TP", "VOCS") else 1)
            for k, v in zip(keys[2:], vals, strict=False)
        }
        r = g.add([e.uscc, e.name, *[D(v) for v in vals]])
        x.row(r, e.uscc, pv, errs)
    write_xls(HERE / f"{stem}.xls", [g])
    save(x, f"{stem}.xls", "exact duplicate row")


# ===========================================================================
# deliveries: one statistics file sent five times
# ===========================================================================
DELIV_ENTS = [29, 30, 32, 33, 34, 35, 36, 39, 26, 28, 22, 20]
DELIV_FIELDS = ["revenue", "output", "value_added", "profit", "employees"]


def _deliv_values(corrected: bool) -> list[tuple[int, dict[str, Any], list[tuple[str, str]]]]:
    out = []
    for i in DELIV_ENTS:
        v = sv(i, *DELIV_FIELDS)
        errs: list[tuple[str, str]] = []
        if i == 36:
            if corrected:
                continue  # the wrong row is dropped
            v["value_added"] = -v["value_added"]
            errs = [("R207", "value_added")]
        if corrected and i == 29:
            v["revenue"] = v["revenue"] + D("312.4")
            v["above_scale"] = v["revenue"] >= 2000
        if corrected and i == 33:
            v["employees"] = v["employees"] + 25
        out.append((i, v, errs))
    return out


def _deliv_xlsx(path: Path, x: Exp, corrected: bool) -> None:
    g = Grid("规上工业")
    keys = ["uscc", "name", *DELIV_FIELDS]
    x.cols(keys)
    g.add(["2023年规模以上工业企业主要指标" + ("（更正）" if corrected else "")])
    g.merge(1, 1, 1, 7)
    g.add(["单位：万元"])
    g.add(
        [
            "统一社会信用代码",
            "单位详细名称",
            "营业收入",
            "工业总产值",
            "工业增加值",
            "利润总额",
            "平均用工人数（人）",
        ]
    )
    for i, v, errs in _deliv_values(corrected):
        r = g.add([E[i].uscc, E[i].name, *[v[k] for k in DELIV_FIELDS]])
        x.row(r, E[i].uscc, v, errs)
    write_openpyxl(path, [g])


def deliveries() -> None:
    DELIV.mkdir(exist_ok=True)
    steps: list[dict[str, Any]] = []

    def step(x: Exp, name: str, status: str, batch: int, extra: dict[str, Any]) -> None:
        res = x.result()
        item: dict[str, Any] = {"file": name, "status": status}
        if status == "loaded":
            item.update(
                {
                    "batch": batch,
                    "rows_in": res["rows_in"],
                    "rows_loaded": res["rows_loaded"],
                    "rows_rejected": res["rows_rejected"],
                    "skipped": res["skipped"],
                    "errors": res["errors"],
                }
            )
        item.update(extra)
        steps.append(item)

    x1 = Exp("statistics", "01", "")
    _deliv_xlsx(DELIV / "01_statistics_2023.xlsx", x1, corrected=False)
    step(x1, "01_statistics_2023.xlsx", "loaded", 1, {})

    # 02: the same workbook re-saved as legacy .xls (LibreOffice, else xlwt)
    dest = DELIV / "02_statistics_2023_resaved.xls"
    try:
        status = libreoffice_convert(DELIV / "01_statistics_2023.xlsx", dest, "xls")
    except SystemExit:
        g = Grid("规上工业")
        g.add(
            [
                "统一社会信用代码",
                "单位详细名称",
                "营业收入（万元）",
                "工业总产值（万元）",
                "工业增加值（万元）",
                "利润总额（万元）",
                "平均用工人数（人）",
            ]
        )
        for i, v, _ in _deliv_values(False):
            g.add([E[i].uscc, E[i].name, *[v[k] for k in DELIV_FIELDS]])
        write_xls(dest, [g])
        status = "xlwt"
    print(f"  deliveries/{dest.name}: LibreOffice {status}")
    steps.append({"file": dest.name, "status": "duplicate", "duplicate_of": 1})

    # 03: UTF-8 with BOM, other header words, no title
    g = Grid()
    g.add(
        [
            "社会信用代码",
            "企业名称",
            "营业收入（万元）",
            "工业总产值（当年价格）（万元）",
            "工业增加值（万元）",
            "利润总额（万元）",
            "年平均职工人数（人）",
        ]
    )
    for i, v, _ in _deliv_values(False):
        g.add([E[i].uscc, E[i].name, *[plain(v[k]) for k in DELIV_FIELDS]])
    write_csv(DELIV / "03_statistics_2023_utf8_bom.csv", g, "utf-8", bom=True)
    steps.append(
        {"file": "03_statistics_2023_utf8_bom.csv", "status": "duplicate", "duplicate_of": 1}
    )

    # 04: GBK, CRLF, a title line, money in 千元
    g = Grid()
    g.add(["2023年规上工业企业主要指标（金额单位：千元）", "", "", "", "", "", ""])
    g.add(
        [
            "统一社会信用代码",
            "单位详细名称",
            "营业收入（千元）",
            "工业总产值（千元）",
            "工业增加值（千元）",
            "利润总额（千元）",
            "平均用工人数（人）",
        ]
    )
    for i, v, _ in _deliv_values(False):
        g.add(
            [
                E[i].uscc,
                E[i].name,
                *[plain(v[k] * 10) for k in DELIV_FIELDS[:4]],
                plain(v["employees"]),
            ]
        )
    write_csv(DELIV / "04_statistics_2023_gbk.csv", g, "gbk", eol="\r\n")
    steps.append({"file": "04_statistics_2023_gbk.csv", "status": "duplicate", "duplicate_of": 1})

    # 05: the corrected file
    x5 = Exp("statistics", "05", "")
    _deliv_xlsx(DELIV / "05_statistics_2023_corrected.xlsx", x5, corrected=True)
    step(x5, "05_statistics_2023_corrected.xlsx", "loaded", 2, {"supersedes": [1]})

    after = x5.result()["warehouse"]
    scenario = {
        "source": "statistics",
        "year": 2023,
        "shape": (
            "one statistics file delivered five times into one fresh workspace, in file-name order: an xlsx "
            "(title, 单位：万元 row; one row with a negative 工业增加值 is rejected), the same data re-saved as "
            "legacy .xls by LibreOffice, as a UTF-8-BOM CSV with other header words, and as a GBK CSV with a "
            "title line and amounts in 千元 (the three normalise to the same rows: duplicates of batch 1, "
            "nothing loaded); then a corrected xlsx that changes two values (温岭市东方泵业 营业收入 +312.4, "
            "温岭市宏丰齿轮 平均用工人数 +25) and drops the wrong row. Its enterprise-year keys cover 11 of the 11 "
            "keys batch 1 loaded (100% ≥ 90%), so it supersedes batch 1"
        ),
        "loads": steps,
        "active_batches": [2],
        "warehouse": after,
    }
    dump_yaml(DELIV / "scenario.expected.yaml", scenario)


# ===========================================================================
# Trade: purchases between enterprises
# ===========================================================================
def far_uscc(county: str, d8: str) -> str:
    """A supplier registered outside Taizhou (its county in characters 3–8)."""
    return make_uscc(county, org_code(d8))


KUNSHAN = far_uscc("320583", "70312458")  # 江苏省苏州市昆山市
NINGBO = far_uscc("330212", "66124587")  # 浙江省宁波市鄞州区
SHENZHEN = far_uscc("440306", "58123476")  # 广东省深圳市宝安区
VAT_HEADER = [
    "序号",
    "销方纳税人识别号",
    "销方名称",
    "购方纳税人识别号",
    "购方名称",
    "货物或应税劳务名称",
    "商品和服务税收分类编码",
    "规格型号",
    "金额",
    "税率",
    "税额",
    "价税合计",
    "开票月份",
]


def _trade_rows(x: Exp, rows: list[dict[str, Any]]) -> None:
    """Net the loaded rows per buyer, seller and product into the expected trade table."""
    net: dict[tuple[str, str, str], dict[str, Any]] = {}
    for r in rows:
        key = (
            r["buyer"],
            r.get("seller_uscc") or "名称:" + r["seller_name"],
            r.get("product_code") or r.get("product_name") or "",
        )
        slot = net.setdefault(key, {**r, "amount": D(0)})
        slot["amount"] += r["amount"]
    for (buyer, _, _), r in sorted(net.items()):
        x.trade.append(
            {
                "year": x.year,
                "buyer_uscc": buyer,
                "seller_uscc": r.get("seller_uscc"),
                "seller_name": r["seller_name"],
                "seller_region": r.get("seller_region"),
                "product_code": r.get("product_code"),
                "product_name": r.get("product_name"),
                "amount": r6(r["amount"]),
            }
        )


def trade_files() -> None:
    trade_vat_xlsx()
    trade_survey_xlsx()
    trade_vat_gbk_csv()


def trade_vat_xlsx() -> None:
    stem = "trade_vat_yuan_title_total_red_letter"
    x = Exp(
        "trade",
        stem,
        "xlsx (openpyxl): 税务局's 增值税发票汇总, a merged title and 金额单位：元 line; 销方/购方 纳税人识别号 and 名称, "
        "货物或应税劳务名称, 商品和服务税收分类编码 (19 digits, not an industry class: not read), 规格型号, 金额 in 元, "
        "税率, 税额 and 价税合计 (not the amount: not read), 开票月份 2023-03; one purchase over three months, "
        "red-letter rows (negative 金额) netted against their invoices, two invoices of the same amount (both count), "
        "a supplier in 江苏 (USCC 320583); a 合计 row",
    )
    x.cols(
        [
            "serial",
            "seller_uscc",
            "seller_name",
            "buyer",
            "buyer_name",
            "product",
            "taxcode",
            "spec",
            "amount",
            "rate",
            "tax",
            "gross",
            "month",
        ]
    )
    g = Grid("发票汇总")
    g.add(["台州市2023年增值税专用发票汇总（购方为本市企业）"] + [None] * 12)
    g.merge(1, 1, 1, 13)
    g.add(["金额单位：元"] + [None] * 12)
    g.add(VAT_HEADER)
    buyer, other, third = E[0], E[4], E[9]
    motor = ("电动机", "1090105010000000000")
    steel = ("热轧钢板", "1080203000000000000")
    lines = [  # (seller code, seller name, buyer, product, 元, month, error)
        (E[22].uscc, E[22].name, buyer, motor, D("1234567.00"), "2023-03", None),
        (E[22].uscc, E[22].name, buyer, motor, D("-234567.00"), "2023-04", None),
        (E[22].uscc, E[22].name, buyer, motor, D("500000.00"), "2023-05", None),
        (KUNSHAN, "昆山市华锐钢材有限公司", buyer, steel, D("880000.00"), "2023-03", None),
        (KUNSHAN, "昆山市华锐钢材有限公司", other, steel, D("300000.00"), "2023-06", None),
        (KUNSHAN, "昆山市华锐钢材有限公司", other, steel, D("300000.00"), "2023-06", None),
        (
            NINGBO,
            "宁波市鄞州恒泰树脂有限公司",
            other,
            ("ABS树脂", "1070201010000000000"),
            D("156000.50"),
            "2023-07",
            None,
        ),
        (
            SHENZHEN,
            "深圳市宝安鑫达电子有限公司",
            third,
            ("控制器", "1090512990000000000"),
            D("90000.00"),
            "2023-08",
            "R222",
        ),
        (
            SHENZHEN,
            "深圳市宝安鑫达电子有限公司",
            third,
            ("控制器", "1090512990000000000"),
            D("-120000.00"),
            "2023-09",
            "R222",
        ),
        (E[22].uscc, E[22].name, "330102199001011234", motor, D("3200.00"), "2023-09", "R220"),
        (E[22].uscc, E[22].name, third, motor, D("78000.00"), "2023-10", None),
        (E[22].uscc, E[22].name, third, motor, D("21000.00"), "2023-11", None),
        (KUNSHAN, "昆山市华锐钢材有限公司", third, steel, D("412345.67"), "2023-11", None),
        (
            NINGBO,
            "宁波市鄞州恒泰树脂有限公司",
            buyer,
            ("ABS树脂", "1070201010000000000"),
            D("99999.99"),
            "2023-12",
            None,
        ),
        (
            E[26].uscc,
            E[26].name,
            other,
            ("乙酸乙酯", "1070214010000000000"),
            D("64500.00"),
            "2023-12",
            None,
        ),
    ]
    loaded, total = [], D(0)
    for n, (code, name, to, (product, taxcode), yuan, month, error) in enumerate(lines, start=1):
        buyer_code = to if isinstance(to, str) else to.uscc
        buyer_name = "个人" if isinstance(to, str) else to.name
        tax = (yuan * D("0.13")).quantize(D("0.01"))
        r = g.add(
            [
                n,
                code,
                name,
                buyer_code,
                buyer_name,
                product,
                taxcode,
                "标准型",
                Cell(num(yuan), "#,##0.00"),
                "13%",
                Cell(num(tax), "#,##0.00"),
                Cell(num(yuan + tax), "#,##0.00"),
                month,
            ]
        )
        col = "buyer" if error == "R220" else "amount"
        x.row(r, None, None, [(error, col)] if error else [])
        total += yuan
        if error is None:
            loaded.append(
                {
                    "buyer": buyer_code,
                    "seller_uscc": code,
                    "seller_name": name,
                    "product_name": product,
                    "amount": yuan / 10000,
                }
            )
    g.add(["合计"] + [None] * 7 + [Cell(num(total), "#,##0.00"), None, None, None, None])
    x.skip("total")
    _trade_rows(x, loaded)
    write_openpyxl(HERE / f"{stem}.xlsx", [g])
    save(
        x,
        f"{stem}.xlsx",
        "a red-letter row larger than its invoice (the key nets below zero: both rows "
        "rejected); a buyer that is a person (身份证号)",
    )


def trade_survey_xlsx() -> None:
    stem = "trade_survey_two_row_header_places"
    x = Exp(
        "trade",
        stem,
        "xlsx (xlsxwriter): 经信局's 企业主要供应商填报, title; two header rows, parents merged over their children "
        "(填报企业 › 企业名称 / 统一社会信用代码, 主要供应商 › 供应商名称 / 供应商统一社会信用代码 / 供应商所在地, "
        "采购情况 › 采购产品 / 所属行业代码 / 采购金额（万元）) and 序号, 年度 merged down; the buyer's name and code "
        "merged down over its suppliers; places as written (浙江省宁波市, 江苏省苏州市, 台州市黄岩区, 320583, "
        "上海市, 进口, 境外（德国）); suppliers abroad with no code; a 合计 row and a 填表人 line",
    )
    x.cols(
        [
            "serial",
            "buyer_name",
            "buyer",
            "seller_name",
            "seller_uscc",
            "place",
            "product",
            "code",
            "amount",
            "year",
        ]
    )
    g = Grid("供应商")
    g.add(["2023年度重点企业主要供应商情况汇总表"] + [None] * 9)
    g.merge(1, 1, 1, 10)
    g.add(["序号", "填报企业", None, "主要供应商", None, None, "采购情况", None, None, "年度"])
    g.add(
        [
            None,
            "企业名称",
            "统一社会信用代码",
            "供应商名称",
            "供应商统一社会信用代码",
            "供应商所在地",
            "采购产品",
            "所属行业代码",
            "采购金额（万元）",
            None,
        ]
    )
    for c1, c2 in ((2, 3), (4, 6), (7, 9)):
        g.merge(2, c1, 2, c2)
    g.merge(2, 1, 3, 1)
    g.merge(2, 10, 3, 10)
    suppliers = [  # buyer, seller name, code, place (as written), stored region, product, class, 万元, error
        (
            E[1],
            "宁波市鄞州恒泰树脂有限公司",
            NINGBO,
            "浙江省宁波市",
            "330200",
            "ABS树脂",
            "2651",
            D("120.50"),
            None,
        ),
        (
            E[1],
            "昆山市华锐钢材有限公司",
            KUNSHAN,
            "江苏省苏州市",
            "320500",
            "热轧钢板",
            "3130",
            D("86.00"),
            None,
        ),
        (E[1], "大阪精工株式会社", None, "进口", "abroad", "伺服电机", "3812", D("45.25"), None),
        (
            E[1],
            E[3].name,
            E[3].uscc,
            "台州市黄岩区",
            "331003",
            "注塑模具",
            "3525",
            D("33.00"),
            None,
        ),
        (
            E[7],
            "昆山市华锐钢材有限公司",
            KUNSHAN,
            "320583",
            "320583",
            "热轧钢板",
            "3130",
            D("60.00"),
            None,
        ),
        (
            E[7],
            "博世精密部件有限公司",
            None,
            "境外（德国）",
            "abroad",
            "轴承",
            "3451",
            D("22.40"),
            None,
        ),
        (
            E[7],
            "上海申达机电有限公司",
            far_uscc("310115", "31245786"),
            "上海市",
            "310000",
            "减速机",
            "3452",
            D("18.00"),
            None,
        ),
        (E[7], E[12].name, E[12].uscc, "台州市", "331000", "铝压铸件", "3392", D("27.30"), None),
        (E[7], "火星矿业有限公司", None, "火星", None, "稀土", "0932", D("5.00"), "R221"),
        (E[7], None, None, "浙江省", None, "包装箱", "2231", D("3.00"), "R219"),
        (
            E[10],
            "宁波市鄞州恒泰树脂有限公司",
            NINGBO,
            "宁波",
            "330200",
            "ABS树脂",
            "2651",
            D("54.00"),
            None,
        ),
        (E[10], "大阪精工株式会社", None, "日本", "abroad", "伺服电机", "3812", D("12.00"), None),
    ]
    loaded, total = [], D(0)
    first: dict[int, int] = {}
    for n, (b, name, code, place, region, product, cls, wan, error) in enumerate(
        suppliers, start=1
    ):
        r = g.add(
            [n, b.name, b.uscc, name, code, place, product, cls, Cell(num(wan), "0.00"), 2023]
        )
        if b.idx in first:  # the buyer merged down over its suppliers
            g.merges = [
                m for m in g.merges if m[:2] != (first[b.idx], 2) and m[:2] != (first[b.idx], 3)
            ]
            for c in (2, 3):
                g.merge(first[b.idx], c, r, c)
                g.rows[r - 1][c - 1] = None
        else:
            first[b.idx] = r
        col = {"R221": "place", "R219": "seller_name"}.get(error or "", "")
        x.row(r, None, None, [(error, col)] if error else [])
        total += wan
        if error is None:
            loaded.append(
                {
                    "buyer": b.uscc,
                    "seller_uscc": code,
                    "seller_name": name,
                    "seller_region": region,
                    "product_code": cls,
                    "product_name": product,
                    "amount": wan,
                }
            )
    g.add(["合计", None, None, None, None, None, None, None, Cell(num(total), "0.00"), None])
    g.add(["填表人：张三        审核人：李四        填报日期：2024年3月10日"] + [None] * 9)
    x.skip("total")
    x.skip("note")
    _trade_rows(x, loaded)
    write_xlsxwriter(HERE / f"{stem}.xlsx", [g])
    save(x, f"{stem}.xlsx", "a place that is not one (火星); a supplier with neither code nor name")


def trade_vat_gbk_csv() -> None:
    stem = "trade_vat_gbk_thousands_monthly"
    x = Exp(
        "trade",
        stem,
        "GBK CSV, CRLF: a title line and 金额单位：元 line; 销方纳税人识别号 / 销方名称 / 销方行业代码 (the seller's "
        "class in the tax register, read as the input's class) / 购方纳税人识别号 / 购方名称 / 货物名称 / 金额 "
        "(quoted with thousands separators) / 开票月份 2023年05月; a purchase split over months and a red-letter row",
        csv_cols=True,
    )
    x.cols(
        ["seller_uscc", "seller_name", "code", "buyer", "buyer_name", "product", "amount", "month"]
    )
    g = Grid()
    g.add(["台州市2023年增值税发票汇总表"])
    g.add(["金额单位：元"])
    g.add(
        [
            "销方纳税人识别号",
            "销方名称",
            "销方行业代码",
            "购方纳税人识别号",
            "购方名称",
            "货物名称",
            "金额",
            "开票月份",
        ]
    )
    lines = [
        (E[24], E[2], "2710", "头孢中间体", D("2345678.90"), "2023年03月", None),
        (E[24], E[2], "2710", "头孢中间体", D("1000000.10"), "2023年07月", None),
        (E[24], E[2], "2710", "头孢中间体", D("-45678.90"), "2023年08月", None),
        (E[26], E[2], "2614", "乙酸乙酯", D("456000.00"), "2023年05月", None),
        (E[26], E[11], "2614", "乙酸乙酯", D("129999.99"), "2023年05月", None),
        (E[24], E[11], "2710", "头孢中间体", D("88000.00"), "2023年06月", "W301"),
    ]
    loaded = []
    for seller, buyer, cls, product, yuan, month, error in lines:
        code = lower_uscc(buyer.uscc) if error == "W301" else buyer.uscc
        r = g.add([seller.uscc, seller.name, cls, code, buyer.name, product, comma(yuan, 2), month])
        x.row(r, None, None, [(error, "buyer")] if error else [])
        loaded.append(
            {
                "buyer": buyer.uscc,
                "seller_uscc": seller.uscc,
                "seller_name": seller.name,
                "product_code": cls,
                "product_name": product,
                "amount": yuan / 10000,
            }
        )
    _trade_rows(x, loaded)
    write_csv(HERE / f"{stem}.csv", g, "gbk", eol="\r\n")
    save(x, f"{stem}.csv", "lower-case buyer code (loads)")


# ===========================================================================
README_HEAD = """# Department file gallery

Files shaped like the exports departments really send (see `shared/design/DEPARTMENT-FILES.md`), each
with `<stem>.expected.yaml`: the result a correct reader must give, worked out from the file's contents
by `build_gallery.py` with plain arithmetic on the values it writes (never with the platform's reader).
Rebuild: `uv run python tests/data/departments/build_gallery.py`.

Conventions of the expected files

- Each file is loaded alone into a fresh workspace (no parks configured), with `--source` and `--year`
  as given; `before` names gallery files loaded first (only the register is ever used so).
- `row` is the physical 1-based row of the data sheet (CSV/TXT: the line number); `column` is the Excel
  letter (CSV/TXT: the 1-based position as a string). File-level errors have neither (W304 has a column).
- A failed file (`status: failed`) has `rows_in`, `rows_loaded`, `rows_rejected` 0 and no warehouse: nothing
  is read as rows once the file is refused. The one exception is F107 (too many rows rejected), which comes
  after validation: its row errors are listed with F107, `rows_in` and `rows_rejected` are validation's counts
  and `rows_loaded` is 0.
- Rows above the header (titles, units, 填报单位, 导出时间) and header rows (including a 甲 乙 1 2 code row)
  are not counted; `skipped` counts 合计/小计 rows (`total`), 注/说明/填表人/制表 rows (`note`) and empty rows
  between the header and the last non-empty row (`blank`).
- Columns that carry no glossary field and are common in exports (序号, 法定代表人, 企业类型, 住所/坐落 outside
  the register, 备注, 主管税务机关, 户名, 排放口名称, 内部编号, 上年同期 and code rows) are ignored silently;
  W304 is expected only where a column looks like a field but cannot be placed.
- `warehouse` lists enterprise_year figures in canonical units (万元, 亩, 吨标准煤, 千瓦时, 吨), rounded to 6
  decimals; `null` means the file gave the column but the value was missing (—, /, 无, blank). For register
  files, which give no enterprise_year figure, `warehouse` lists the enterprise fields instead
  (name, region_code, industry_code, registered_on).
- Land: land_mu = owned + leased − let, where `let` also includes a tenant's leased parcel deducted from an
  identified lessor (same 宗地编号 as the lessor's owned parcel, or 出租方 naming it) that does not list the
  parcel as 出租 itself. All four land figures are listed.
- Trade (purchases between enterprises): `trade` lists the rows of the derived `trade` table: one per
  buyer, seller (its code, else its name) and product (its class, else its name), red-letter rows (negative
  amounts) netted against the invoices of the same key, amounts in 万元 rounded to 6 decimals; `seller_region`
  a 6-digit GB/T 2260 code or `abroad`. `warehouse` is empty (purchases give no enterprise figure).
- Emissions: `pollutants` in tonnes by code (COD, NH3N, SO2, NOX, and PM 颗粒物, TP 总磷, TN 总氮,
  VOCS 挥发性有机物); emissions_eq = COD + NH3N/0.8 + SO2/0.95 + NOX/0.95 over the main pollutants given.
  A pollutant whose value is missing (/, —) is left out of `pollutants` (NULL, not 0) and out of the sum.

| file | source | shape | fault |
|---|---|---|---|
"""


def write_readme() -> None:
    lines = [README_HEAD.rstrip("\n")]
    for name, source, shape, fault in GALLERY:
        lines.append(
            f"| `{name}` | {source} | {shape.replace('|', '/')} | {fault.replace('|', '/')} |"
        )
    lines.append("")
    lines.append("## deliveries/")
    lines.append("")
    lines.append(
        "`deliveries/scenario.expected.yaml`: one statistics file delivered as `01_statistics_2023.xlsx`, "
        "re-saved as `02_statistics_2023_resaved.xls` (LibreOffice), `03_statistics_2023_utf8_bom.csv` "
        "and `04_statistics_2023_gbk.csv` (千元) — duplicates of batch 1 — and corrected as "
        "`05_statistics_2023_corrected.xlsx`, which supersedes batch 1."
    )
    (HERE / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    for e in POOL:
        assert std_uscc.is_valid(e.uscc), e.uscc
    assert len({e.uscc for e in POOL}) == len(POOL)
    register_files()
    statistics_files()
    tax_files()
    land_files()
    electricity_files()
    emissions_files()
    trade_files()
    deliveries()
    write_readme()
    print(f"{len(GALLERY)} gallery files + deliveries written to {HERE}")


if __name__ == "__main__":
    main()
