"""The statistics checks as hand-written DuckDB SQL over the csv.

Headers are mapped (and their unit factors found) in Python from the csv's column names; all
the row work is one SQL pipeline: read_csv(all_varchar), placeholders, USCC normalisation,
format by regexp and the mod-31 check digit by a lookup of the 31-character alphabet and the
weights, TRY_CAST numbers, joins against the reference tables, ratio checks, and duplicates by
window functions. xlsx needs DuckDB's `excel` extension, which is downloaded at run time.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np

from _impl_pandas import (
    ALPHABET,
    FALSE,
    FIELDS,
    MISSING,
    NUMBERS,
    RATIOS,
    REFERENCE_DIR,
    REQUIRED,
    SUFFIXES,
    TRUE,
    UNIT_FACTORS,
    USCC_PATTERN,
    WEIGHTS,
    split_header,
)

# Full-width digits, letters and the ideographic space, as NFKC folds them.
HALF_WIDTH = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz "
FULL_WIDTH = "".join(chr(ord(c) + 0xFEE0) for c in HALF_WIDTH[:-1]) + "\u3000"


def _list(values: list[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def excel_available(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        con.execute("INSTALL excel")
        con.execute("LOAD excel")
    except duckdb.Error:
        return False
    return True


def _reference(con: duckdb.DuckDBPyConnection) -> None:
    short = "CASE " + " ".join(
        f"WHEN suffix(name, '{s}') AND length(name) - {len(s)} >= 2 "
        f"THEN left(name, length(name) - {len(s)}) "
        for s in SUFFIXES
    )
    con.execute(f"""
        CREATE TABLE industry AS
        SELECT code FROM read_csv('{REFERENCE_DIR / "gbt4754_2017.csv"}', all_varchar = true)
        WHERE level <> 'section';
        CREATE TABLE region AS
        SELECT rpad(code, 6, '0') AS code, name, {short} ELSE name END AS short
        FROM read_csv('{REFERENCE_DIR / "zhejiang_divisions.csv"}', all_varchar = true);
        CREATE TABLE region_key AS
        SELECT code AS key, code FROM region
        UNION ALL
        SELECT name, any_value(code) FROM region GROUP BY name HAVING count(*) = 1
        UNION ALL
        SELECT short, any_value(code) FROM region
        WHERE short NOT IN (SELECT name FROM region)
        GROUP BY short HAVING count(*) = 1;
    """)


def _check_digit_sql(col: str) -> str:
    terms = " + ".join(
        f"(instr('{ALPHABET}', substr({col}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(WEIGHTS)
    )
    return f"substr('{ALPHABET}', (31 - ({terms}) % 31) % 31 + 1, 1)"


def validate(path: Path, con: duckdb.DuckDBPyConnection | None = None) -> np.ndarray:
    con = con or duckdb.connect()
    if path.suffix == ".csv":
        source = f"read_csv('{path}', all_varchar = true, header = true)"
    else:
        source = f"read_xlsx('{path}', all_varchar = true, header = true)"
    con.execute(f"CREATE TABLE raw AS SELECT * FROM {source}")
    _reference(con)
    con.execute(f"""
        CREATE MACRO clean(x) AS
        CASE WHEN trim(x) IN ({_list(MISSING)}) THEN NULL ELSE trim(x) END
    """)

    columns = {}
    factors = {}
    for (header,) in con.execute("SELECT column_name FROM (DESCRIBE raw)").fetchall():
        base, unit = split_header(header.strip())
        field = FIELDS.get(base)
        if field is None:
            continue
        columns[field] = _quote(header)
        if field in NUMBERS:
            canonical = NUMBERS[field][0]
            unit_canonical, factor = UNIT_FACTORS[unit or canonical]
            assert unit_canonical == canonical, f"{header}: unit does not fit"
            factors[field] = factor

    numbers = ",\n".join(
        f"regexp_replace(clean({columns[f]}), '[,，\\s]', '', 'g') AS {f}_text" for f in NUMBERS
    )
    typed = ",\n".join(f"TRY_CAST({f}_text AS DOUBLE) * {factors[f]} AS {f}" for f in NUMBERS)
    checks = ["uscc IS NULL", f"NOT regexp_full_match(uscc, '{USCC_PATTERN}')"]
    checks.append(f"{_check_digit_sql('uscc')} <> substr(uscc, 18, 1)")
    for f, (_, low, high) in NUMBERS.items():
        checks.append(f"{f}_text IS NOT NULL AND {f} IS NULL")
        if low is not None:
            checks.append(f"{f} < {low}")
        if high is not None:
            checks.append(f"{f} > {high}")
    checks += [
        "year_text IS NOT NULL AND (year_value IS NULL OR year_value NOT BETWEEN 1949 AND 2100)",
        "year_value <> 2020",
        f"above_scale_text IS NOT NULL AND above_scale_text NOT IN ({_list(TRUE + FALSE)})",
        "region_text IS NOT NULL AND region_code IS NULL",
        "industry_text IS NOT NULL AND industry_code IS NULL",
        *(f"{f} IS NULL" for f in REQUIRED),
    ]
    for num, den, low, high in RATIOS:
        usable = f"{num} IS NOT NULL AND {den} > 0"
        if low is not None:
            checks.append(f"{usable} AND {num} / {den} < {low}")
        if high is not None:
            checks.append(f"{usable} AND {num} / {den} > {high}")
    bad = "\n OR ".join(f"coalesce({c}, false)" for c in checks)
    uscc = columns["uscc"]
    values = "uscc, year, name, region_code, industry_code, above_scale, " + ", ".join(NUMBERS)

    rows = con.execute(f"""
        WITH cells AS (
            SELECT
                rowid AS idx,
                nullif(upper(regexp_replace(
                    CASE WHEN regexp_matches({uscc}, '[^[:ascii:]]')
                    THEN translate(clean({uscc}), '{FULL_WIDTH}', '{HALF_WIDTH}')
                    ELSE clean({uscc}) END,
                    '\\s', '', 'g')), '') AS uscc,
                clean({columns["name"]}) AS name,
                regexp_replace(regexp_replace(clean({columns["year"]}), '年度?$', ''),
                    '\\.0$', '') AS year_text,
                regexp_replace(clean({columns["region_code"]}), '\\.0$', '') AS region_text,
                upper(regexp_replace(clean({columns["industry_code"]}), '\\.0$', ''))
                    AS industry_text,
                clean({columns["above_scale"]}) AS above_scale_text,
                {numbers}
            FROM raw
        ),
        typed AS MATERIALIZED (
            SELECT
                c.*,
                TRY_CAST(year_text AS INTEGER) AS year_value,
                coalesce(TRY_CAST(year_text AS INTEGER), 2020) AS year,
                r.code AS region_code,
                i.code AS industry_code,
                CASE WHEN above_scale_text IN ({_list(TRUE)}) THEN true
                     WHEN above_scale_text IN ({_list(FALSE)}) THEN false END AS above_scale,
                {typed}
            FROM cells c
            LEFT JOIN region_key r ON r.key = CASE
                WHEN regexp_full_match(c.region_text, '\\d{{2}}|\\d{{4}}')
                THEN rpad(c.region_text, 6, '0') ELSE c.region_text END
            LEFT JOIN industry i ON i.code = c.industry_text
        ),
        checked AS MATERIALIZED (
            SELECT *, {bad} AS bad FROM typed
        ),
        ok AS (
            SELECT *, count(*) OVER (PARTITION BY uscc, year) AS copies
            FROM checked WHERE NOT bad
        ),
        copies AS (
            SELECT
                idx,
                row_number() OVER (PARTITION BY {values} ORDER BY idx) AS nth,
                count(DISTINCT ({values})) OVER (PARTITION BY uscc, year) AS variants
            FROM ok WHERE copies > 1
        )
        SELECT idx FROM checked WHERE bad
        UNION ALL
        SELECT idx FROM copies WHERE variants > 1 OR nth > 1
        ORDER BY idx
    """).fetchnumpy()
    return rows["idx"].astype(np.int64)
