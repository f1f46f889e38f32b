"""Numbers as departments write them (ingest/steps/numbers.py): read_amount and the column-wise
fast path agree, units in the cell convert, and malformed text is never read as a number."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from industry_brain.ingest.steps.numbers import _plain, read_amount


@pytest.mark.parametrize(
    ("text", "dimension", "expected"),
    [
        ("12,345.67元", "money", (12345.67, "元")),
        ("1.2万元", "money", (1.2, "万元")),
        ("3.5万", "money", (35000.0, None)),
        ("￥1,000", "money", (1000.0, None)),
        ("(1,234.50)", "money", (-1234.5, None)),
        ("−12", "money", (-12.0, None)),
        ("１２３４５", "money", (12345.0, None)),
        ("2,668平方米", "area", (2668.0, "平方米")),
        ("56.8亩", "area", (56.8, "亩")),
        ("356.23吨标准煤", "energy", (356.23, "吨标准煤")),
        ("86人", "count", (86.0, "人")),
    ],
)
def test_amounts_with_units_and_signs(text, dimension, expected):
    got = read_amount(text, dimension)
    assert got is not None and got[0] == pytest.approx(expected[0]) and got[1] == expected[1]


@pytest.mark.parametrize(
    ("text", "dimension"),
    [("3,4,5元", "money"), ("约1200", "money"), ("12O5.3", "money"), ("1.2.3", "money"),
     ("12吨", "money"), ("见附表", "money"), ("12,34", "money")],
)  # fmt: skip
def test_malformed_text_is_not_a_number(text, dimension):
    assert read_amount(text, dimension) is None


def _fast(text: str) -> float | None:
    frame = pl.DataFrame({"t": [text]})
    return frame.select(_plain(pl.col("t")).cast(pl.Float64, strict=False)).item()


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
def test_separated_numbers_read_back(value, digits):
    text = f"{value:,.{digits}f}"
    assert _fast(text) == pytest.approx(round(value, digits))
    assert read_amount(text + "元", "money") == (pytest.approx(round(value, digits)), "元")


@given(st.from_regex(r"\A\d{1,2}(,\d{1,2}){1,3}\Z"))
def test_commas_that_do_not_group_in_threes_are_refused(text):
    assert _fast(text) is None and read_amount(text, "money") is None
