"""Properties of validation: results do not depend on row order, and every row is accounted for."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain.ingest.validate import validate_file

from helpers import STAT_HEADER, make_uscc, stat_row, write_csv

FAULTS = {
    "ok": {},
    "check_digit": {"uscc": None},
    "text": {"revenue": "abc"},
    "negative": {"employees": -1},
    "missing": {"output": "—"},
    "bad_region": {"region": "339999"},
}

rows_strategy = st.lists(
    st.tuples(st.integers(1, 12), st.sampled_from(sorted(FAULTS))), min_size=1, max_size=25
)


def _row(serial: int, fault: str) -> list:
    overrides = dict(FAULTS[fault])
    if "uscc" in overrides:
        overrides["uscc"] = make_uscc(serial=serial)[:-1] + "Y"
    return stat_row(serial, **overrides)


def _summary(v) -> tuple:
    """What a user sees, minus row numbers: the loaded values and the error codes."""
    by_code = Counter(v.errors["code"].to_list())
    valid = sorted(v.valid.drop("__row").rows())
    return valid, by_code, v.rows_in, v.rows_rejected


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy, seed=st.randoms(use_true_random=False))
def test_row_order_does_not_change_the_result(tmp_path, rows, seed):
    built = [_row(serial, fault) for serial, fault in rows]
    shuffled = built[:]
    seed.shuffle(shuffled)
    a = validate_file(
        write_csv(tmp_path / "a.csv", [STAT_HEADER, *built]), "statistics", max_rejected_share=1.0
    )
    b = validate_file(
        write_csv(tmp_path / "b.csv", [STAT_HEADER, *shuffled]),
        "statistics",
        max_rejected_share=1.0,
    )
    assert _summary(a) == _summary(b)
    assert a.rows_in == len(rows) == a.rows_valid + a.rows_rejected
