"""The supply-risk method (docs/chains.md) as hand-written DuckDB SQL: the benchmark's reference.

What an analyst would write: one script of CTEs whose common part (each buyer's purchases of
each input class from each supplier, and their shares) is kept in two temporary tables, then
one SELECT per result table (chain_input, chain_flag, chain_supplier without betweenness), in
the engine's row order, fetched as Arrow tables. Amounts are added in whole 分 (万元 × 10⁶,
BIGINT) and shares are ratios of those exact sums, as the method says (docs/chains.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

PURCHASES = """
CREATE OR REPLACE TEMP TABLE purchases AS
WITH register AS (
  SELECT uscc, region_code, industry_code FROM read_parquet('{enterprise}')
), rows AS (
  SELECT t.buyer_uscc, t.seller_name,
    CAST(floor(abs(t.amount * 1000000) + 0.5) * sign(t.amount * 1000000) AS BIGINT) AS fen,
    CASE WHEN trim(t.seller_uscc) = '' THEN NULL ELSE t.seller_uscc END AS uscc,
    s.region_code AS register_region, s.industry_code AS register_class,
    CASE WHEN trim(t.seller_region) = '' THEN NULL ELSE t.seller_region END AS file_region,
    CASE WHEN trim(t.product_code) = '' THEN NULL ELSE t.product_code END AS product_code
  FROM read_parquet('{trade}') t
  JOIN register b ON b.uscc = t.buyer_uscc AND b.region_code LIKE '{city}%'
  LEFT JOIN register s ON s.uscc = t.seller_uscc
  WHERE t.year = {year}
), keyed AS (
  SELECT buyer_uscc, seller_name, fen,
    coalesce(uscc, '名称:' || trim(seller_name)) AS supplier,
    coalesce(register_region, file_region,
      CASE WHEN length(uscc) = 18 AND regexp_full_match(substr(uscc, 3, 6), '[1-9][0-9]{{5}}')
        THEN substr(uscc, 3, 6) END) AS supplier_region,
    coalesce(product_code, register_class, '未分类') AS input_class
  FROM rows
), bought AS (
  SELECT buyer_uscc, input_class, supplier, CAST(sum(fen) AS BIGINT) AS fen,
    CAST(sum(fen) AS DOUBLE) / 1000000 AS amount,
    min(seller_name) AS supplier_name, max(supplier_region) AS supplier_region
  FROM keyed GROUP BY buyer_uscc, input_class, supplier
  HAVING sum(fen) > 0
)
SELECT *,
  supplier_region IS NOT NULL
    AND (supplier_region = 'abroad' OR supplier_region NOT LIKE '{city}%') AS outside_city,
  supplier_region IS NOT NULL
    AND (supplier_region = 'abroad' OR supplier_region NOT LIKE '{province}%') AS outside_province,
  supplier_region IS NULL AS unknown_region
FROM bought
"""

SCREENED = """
CREATE OR REPLACE TEMP TABLE screened AS
SELECT * FROM (
  SELECT *,
    CAST(fen AS DOUBLE) / CAST(sum(fen) OVER w AS DOUBLE) AS share,
    CAST(sum(fen) OVER w AS BIGINT) AS total_fen,
    row_number() OVER (PARTITION BY buyer_uscc, input_class ORDER BY fen DESC, supplier) - 1
      AS rank
  FROM purchases
  WINDOW w AS (PARTITION BY buyer_uscc, input_class)
) WHERE total_fen >= round({min_purchase} * 1000000)
"""

CHAIN_INPUT = """
SELECT buyer_uscc, input_class, CAST(sum(fen) AS DOUBLE) / 1000000 AS purchases,
  count(*) AS suppliers,
  CAST(sum(CAST(fen AS DECIMAL(38, 0)) * CAST(fen AS DECIMAL(38, 0))) AS DOUBLE)
    / (CAST(max(total_fen) AS DOUBLE) * CAST(max(total_fen) AS DOUBLE)) AS hhi,
  max(share) AS top1_share,
  max(supplier) FILTER (WHERE rank = 0) AS top1_supplier,
  CAST(sum(fen) FILTER (WHERE rank < 3) AS DOUBLE) / max(total_fen) AS top3_share,
  CAST(coalesce(sum(fen) FILTER (WHERE outside_city), 0) AS DOUBLE) / max(total_fen)
    AS outside_city_share,
  CAST(coalesce(sum(fen) FILTER (WHERE outside_province), 0) AS DOUBLE) / max(total_fen)
    AS outside_province_share,
  CAST(coalesce(sum(fen) FILTER (WHERE unknown_region), 0) AS DOUBLE) / max(total_fen)
    AS unknown_region_share
FROM screened GROUP BY buyer_uscc, input_class
ORDER BY buyer_uscc, input_class
"""

CRITICAL = """
critical AS (
  SELECT supplier FROM screened WHERE share >= {critical_share}
  GROUP BY supplier HAVING count(DISTINCT buyer_uscc) >= {critical_buyers}
)"""

CHAIN_FLAG = (
    """
WITH"""
    + CRITICAL
    + """, top AS (
  SELECT buyer_uscc, input_class, max(share) AS top1_share,
    max(supplier) FILTER (WHERE rank = 0) AS top1_supplier,
    CAST(coalesce(sum(fen) FILTER (WHERE outside_province), 0) AS DOUBLE) / max(total_fen)
      AS outside_province_share
  FROM screened GROUP BY buyer_uscc, input_class
)
SELECT buyer_uscc, input_class, 'single_source' AS kind, top1_supplier AS supplier,
  top1_share AS figure, {single_source_share} AS threshold
FROM top WHERE top1_share >= {single_source_share}
UNION ALL
SELECT buyer_uscc, input_class, 'outside_dependence', NULL, outside_province_share,
  {outside_share}
FROM top WHERE outside_province_share >= {outside_share}
UNION ALL
SELECT buyer_uscc, input_class, 'critical_supplier', supplier, share, {critical_share}
FROM screened WHERE share >= {critical_share} AND supplier IN (SELECT supplier FROM critical)
ORDER BY buyer_uscc, input_class, kind, supplier NULLS LAST
"""
)

CHAIN_SUPPLIER = (
    """
WITH"""
    + CRITICAL
    + """, output AS (
  SELECT uscc AS buyer_uscc, coalesce(output, revenue, 0.0) AS output
  FROM read_parquet('{enterprise_year}') WHERE year = {year}
), worst AS (
  SELECT supplier, buyer_uscc, max(share) AS share FROM screened GROUP BY supplier, buyer_uscc
), risk AS (
  SELECT w.supplier, sum(coalesce(o.output, 0.0) * w.share) AS output_at_risk
  FROM worst w LEFT JOIN output o USING (buyer_uscc) GROUP BY w.supplier
), dependent AS (
  SELECT supplier, count(DISTINCT buyer_uscc) AS dependent_buyers
  FROM screened WHERE share >= {critical_share} GROUP BY supplier
), sold AS (
  SELECT supplier, min(supplier_name) AS supplier_name, max(supplier_region) AS supplier_region,
    count(DISTINCT buyer_uscc) AS buyers, CAST(sum(fen) AS DOUBLE) / 1000000 AS sales
  FROM purchases GROUP BY supplier
)
SELECT s.supplier, s.supplier_name, s.supplier_region, s.buyers, s.sales,
  coalesce(d.dependent_buyers, 0) AS dependent_buyers,
  coalesce(r.output_at_risk, 0.0) AS output_at_risk,
  c.supplier IS NOT NULL AS critical,
  CAST(NULL AS DOUBLE) AS betweenness
FROM sold s LEFT JOIN risk r USING (supplier) LEFT JOIN dependent d USING (supplier)
  LEFT JOIN critical c USING (supplier)
ORDER BY s.supplier
"""
)


def evaluate(
    trade: Path,
    enterprise: Path,
    enterprise_year: Path,
    con: duckdb.DuckDBPyConnection,
    *,
    year: int,
    city: str = "3310",
    province: str = "33",
    thresholds: dict[str, float] | None = None,
) -> dict[str, Any]:
    """The three result tables as Arrow tables; `thresholds` as in the spec (docs/chains.md)."""
    th = {
        "min_purchase": 10.0, "single_source_share": 0.8, "outside_share": 0.5,
        "critical_share": 0.5, "critical_buyers": 3,
    } | (thresholds or {})  # fmt: skip
    values = dict(
        trade=trade, enterprise=enterprise, enterprise_year=enterprise_year, year=year,
        city=city, province=province, **{k: repr(v) for k, v in th.items()},
    )  # fmt: skip
    con.execute(PURCHASES.format(**values))
    con.execute(SCREENED.format(**values))
    out = {}
    for name, query in (
        ("chain_input", CHAIN_INPUT),
        ("chain_flag", CHAIN_FLAG),
        ("chain_supplier", CHAIN_SUPPLIER),
    ):
        rel = con.sql(query.format(**values))
        out[name] = rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.arrow()
    return out
