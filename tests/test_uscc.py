import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.ingest.steps.uscc import ALPHABET, check_digit_expr

prefixes = st.tuples(
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


@settings(max_examples=50, deadline=None)
@given(st.lists(prefixes, min_size=1, max_size=50))
def test_vectorised_check_digit_equals_stdnum(codes):
    frame = pl.DataFrame({"c": codes}).select(check_digit_expr(pl.col("c")).alias("digit"))
    got = frame["digit"].to_list()
    assert got == [stdnum_uscc.calc_check_digit(c) for c in codes]
