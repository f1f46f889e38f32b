import polars as pl
import pytest

from industry_brain.ingest.problems import fmt


def test_fmt_matches_pl_format_with_braces_and_nulls():
    df = pl.DataFrame({"a": ["x", None], "b": [1, 2]})
    got = df.select(fmt('{{"k": "{}", "n": {}}}', pl.col("a"), pl.col("b")).alias("s"))
    assert got["s"].to_list() == ['{"k": "x", "n": 1}', None]


def test_fmt_survives_an_empty_leading_chunk():
    x = pl.concat([pl.Series("x", [0.0, 0.0]), pl.Series("x", [1.0, 2.0])], rechunk=False)
    df = pl.DataFrame([pl.Series("r", [1, 2, 3, 4]), x]).filter(pl.col("x") > 0)
    assert df.select(fmt("a {} b", pl.col("x")).alias("s"))["s"].to_list() == ["a 1.0 b", "a 2.0 b"]


def test_fmt_checks_placeholder_count():
    with pytest.raises(ValueError, match="placeholders"):
        fmt("{} {}", pl.col("a"))
