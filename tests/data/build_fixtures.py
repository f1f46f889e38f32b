"""Build the committed fixture files in tests/data.

Run: uv run python tests/data/build_fixtures.py.

Each file is named for what is special or wrong about it.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv, write_xlsx  # noqa: E402


def main() -> None:
    # Title row, merged group headers carrying the unit (千元), header on row 3, data from row 4,
    # the table starting in column B, and a 合计 row at the bottom.
    header = [
        "统一社会信用代码",
        "单位详细名称",
        "行政区划代码",
        "行业代码",
        "主营业务收入",
        "工业总产值",
        "工业增加值",
        "年平均职工人数（人）",
    ]
    rows = [
        header,
        *[
            [
                make_uscc(serial=i),
                f"台州模具{i}有限公司",
                "331003",
                "3525",
                200000 + i,
                210000 + i,
                50000,
                100 + i,
            ]
            for i in range(1, 6)
        ],
        [None, "合计", None, None, 1000000, 1050000, 250000, 515],
    ]
    merges = [
        (0, 1, 0, 8, "台州市2020年工业企业主要经济指标"),
        (1, 1, 1, 4, "基本情况"),
        (1, 5, 1, 8, "经济指标（千元）"),
    ]
    write_xlsx(HERE / "statistics_merged_header_rows.xlsx", rows, merges, start_row=2, start_col=1)

    tax = [
        ["纳税人识别号", "纳税人名称", "所属年度", "实缴税金（元）"],
        *[
            [make_uscc(serial=i), f"台州模具{i}有限公司", "2020", f"{1234567.89 * i:,.2f}"]
            for i in range(1, 6)
        ],
        [make_uscc(serial=6), "台州模具6有限公司", "2020", "—"],
    ]
    write_csv(HERE / "tax_gbk_encoded.csv", tax, encoding="gbk")

    bad = [[*STAT_HEADER[:6], "营业额（万元）", *STAT_HEADER[7:]], stat_row(1)]
    write_xlsx(HERE / "statistics_missing_revenue_column.xlsx", bad)


if __name__ == "__main__":
    main()
