"""Fault injection: each manifest entry points at the faulty cell, with the right kind of defect."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from stdnum.cn import uscc as stdnum_uscc

from industry_brain.ingest.errors import BY_CODE
from industry_brain.reference import industries, regions
from industry_brain.synth import FAULT_CODES, SynthError
from industry_brain.synth.faults import BAD_INDUSTRIES, BAD_REGIONS, mutate_uscc, parse_rates
from test_synth_support import cell, entry, manifest, rows_of, small_city, xlsx_row

RATE = 0.01


def test_codes_are_in_the_ingest_catalogue() -> None:
    assert set(FAULT_CODES.values()) <= set(BY_CODE)
    assert "F104" in BY_CODE


def test_bad_codes_are_really_unknown() -> None:
    for value in BAD_REGIONS:
        assert value not in regions() and regions().by_name(value) is None
    for value in BAD_INDUSTRIES:
        assert value not in industries()


def test_every_fault_matches_its_cell() -> None:
    city = small_city(faults=RATE, missing_column=True)
    m = manifest(city)
    assert m.faults
    for fault in m.faults:
        got = cell(city, m, fault)
        if isinstance(fault.value, float | int) and not isinstance(got, str):
            assert got == pytest.approx(fault.value), fault
        else:
            assert str(got) == str(fault.value), fault
        assert fault.code == ("F104" if fault.kind == "missing_column" else FAULT_CODES[fault.kind])


def test_every_kind_is_injected_and_rates_roughly_honoured() -> None:
    city = small_city(faults=RATE, missing_column=True)
    m = manifest(city)
    kinds = Counter(f.kind for f in m.faults)
    assert set(kinds) == set(FAULT_CODES) | {"missing_column"}
    rows = {
        f.path: f.rows
        for f in m.files
        if f.source in ("register", "statistics", "tax", "land", "electricity", "emissions")
        and not f.faulty
    }
    per_file = Counter((f.file, f.kind) for f in m.faults if f.kind != "missing_column")
    statistics = [p for p in rows if p.startswith("statistics/")]
    for kind in ("uscc_check_digit", "value_missing", "not_a_number", "duplicate_row"):
        n = sum(per_file[(p, kind)] for p in statistics)
        expected = RATE * sum(rows[p] for p in statistics)
        assert 0.5 * expected <= n <= 1.6 * expected, kind
    conflicts = sum(per_file[(p, "duplicate_conflict")] for p in statistics)
    assert conflicts % 2 == 0  # both rows of each conflicting pair


def test_one_fault_per_row_and_copies_follow_originals() -> None:
    city = small_city(faults=RATE)
    m = manifest(city)
    rows = Counter((f.file, f.row) for f in m.faults)
    assert max(rows.values()) == 1
    inherent = {(f.file, f.row) for f in m.inherent_issues}
    assert not inherent & set(rows)
    pairs: dict[tuple[str, str | None, str], list[int]] = {}
    for f in m.faults:
        if f.kind == "duplicate_conflict":
            pairs.setdefault((f.file, f.uscc, f.column), []).append(f.row)
    assert pairs and all(len(r) == 2 for r in pairs.values())


def test_no_fault_lands_on_a_subtotal_line() -> None:
    """A taxpayer's 小计 (2021) is a total the reader skips: faults go to its 税种 rows."""
    city = small_city(faults=RATE)
    m = manifest(city)
    f = m.file("tax", 2021)
    totals = {i + 1 for i, r in enumerate(rows_of(city, f)) if r[3] == "小计"}
    faulted = {x.row for x in m.faults if x.file == f.path}
    assert totals and faulted and not totals & faulted
    split = {x.file for x in m.faults if x.file.startswith("statistics/工业企业主要指标_2021_")}
    assert len(split) == 2  # both the 产值 and the 财务 table


def test_duplicate_rows_are_exact_copies() -> None:
    city = small_city(faults=RATE)
    m = manifest(city)
    for dup in (f for f in m.faults if f.kind == "duplicate_row"):
        f = entry(m, dup.file)
        rows = rows_of(city, f)
        assert f.data_row is not None
        assert rows[dup.row - 1] in rows[f.data_row - 1 : dup.row - 1], dup


def test_uscc_mutations() -> None:
    rng = np.random.default_rng(1)
    code = "91331003MA2AL9XK0Y"
    code = code[:-1] + stdnum_uscc.calc_check_digit(code[:-1])
    for _ in range(50):
        normalised = mutate_uscc("uscc_normalised", code, rng)
        assert normalised != code and stdnum_uscc.compact(normalised) == code
        wrong = mutate_uscc("uscc_check_digit", code, rng)
        assert len(wrong) == 18 and wrong[:17] == code[:17] and not stdnum_uscc.is_valid(wrong)
        bad = mutate_uscc("uscc_format", code, rng)
        assert len(bad) in (17, 19) or any(c in "IOSVZ" for c in bad)


def test_faults_name_the_enterprise_and_truth_stays_clean() -> None:
    clean, faulty = small_city(), small_city(faults=RATE)
    assert (clean / "truth/enterprise_year.parquet").read_bytes() == (
        faulty / "truth/enterprise_year.parquet"
    ).read_bytes()
    m = manifest(faulty)
    assert all(stdnum_uscc.is_valid(f.uscc) for f in m.faults if f.uscc)
    assert manifest(clean).faults == []


def test_missing_column_file() -> None:
    city = small_city(faults=RATE, missing_column=True)
    m = manifest(city)
    fault = next(f for f in m.faults if f.kind == "missing_column")
    f = entry(m, fault.file)
    assert f.faulty and fault.file == "faulty/工业企业主要指标_missing_column.xlsx"
    assert fault.column.startswith("营业额") and fault.column in xlsx_row(city, f, fault.row)
    assert not any("营业收入" in str(v) for v in xlsx_row(city, f, fault.row))


def test_rates_validation() -> None:
    assert parse_rates(None) == {}
    assert set(parse_rates(0.02)) == set(FAULT_CODES)
    assert parse_rates({"bad_date": 0.1, "not_a_number": 0}) == {"bad_date": 0.1}
    with pytest.raises(ValueError, match="did you mean 'bad_date'"):
        parse_rates({"bad_dates": 0.1})
    with pytest.raises(SynthError, match="within"):
        parse_rates({"bad_date": 1.5})
