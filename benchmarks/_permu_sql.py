"""taizhou-city-2022 as one hand-written DuckDB query (CTEs, window functions)."""

from __future__ import annotations

from pathlib import Path

import duckdb

GROUPS = {
    "机械装备": ["33", "34", "35", "38", "40"],
    "汽车及交通运输设备": ["36", "37"],
    "医药化工": ["25", "26", "27", "28", "29"],
    "轻工纺织": [
        *("13", "14", "15", "17", "18", "19", "20", "21", "22", "23", "24", "41", "42", "43")
    ],
    "材料及其他": ["06", "07", "08", "09", "10", "11", "12", "30", "31", "32", "39"],
}


def _in(divs: list[str]) -> str:
    return ", ".join(f"'{d}'" for d in divs)


GROUP_CASE = (
    "CASE "
    + " ".join(f"WHEN division IN ({_in(d)}) THEN '{g}'" for g, d in GROUPS.items())
    + " ELSE '其他' END"
)

QUERY = """
WITH base AS (
  SELECT ey.*, e.name, e.region_code, e.park_code, e.industry_code, e.registered_on,
         substr(e.industry_code, 1, 2) AS division
  FROM read_parquet('{ey}') ey JOIN read_parquet('{e}') e USING (uscc)
  WHERE ey.year IN (2021, 2022) AND e.region_code LIKE '3310%'
    AND CAST(substr(e.industry_code, 1, 2) AS INTEGER) BETWEEN 6 AND 46
), cls AS (
  SELECT *,
    CASE WHEN division IN ('44', '45', '46') THEN '电力、热力、燃气及水生产和供应业（免评）'
         WHEN division = '16' THEN '烟草制品业（免评）' END AS exempt_reason,
    CASE WHEN above_scale THEN 'above_scale'
         WHEN NOT above_scale AND coalesce(land_mu, 0) >= 3 THEN 'below_scale' END AS track,
    CASE WHEN above_scale THEN {group_case}
         WHEN NOT above_scale AND coalesce(land_mu, 0) >= 3 THEN '全部' END AS "group",
    coalesce(registered_on > make_date(year - 2, 12, 31), false) AS deferred
  FROM base
), st AS (
  SELECT *,
    CASE WHEN exempt_reason IS NOT NULL THEN 'exempt' WHEN track IS NULL THEN 'not_evaluated'
         WHEN deferred THEN 'deferred' ELSE 'evaluated' END AS status,
    CASE WHEN exempt_reason IS NOT NULL THEN exempt_reason
         WHEN track IS NULL THEN '规下企业用地面积不足评价起点'
         WHEN deferred THEN '成立不满2年（暂缓评价）' END AS reason
  FROM cls
), bench AS (
  SELECT track, "group",
    sum(CASE WHEN land_mu > 0 THEN tax_paid ELSE 0 END)
      / sum(CASE WHEN land_mu > 0 THEN land_mu ELSE 0 END) AS b_tax_mu,
    sum(CASE WHEN land_mu > 0 THEN value_added ELSE 0 END)
      / sum(CASE WHEN land_mu > 0 THEN land_mu ELSE 0 END) AS b_va_mu,
    sum(CASE WHEN energy_tce > 0 THEN value_added ELSE 0 END)
      / sum(CASE WHEN energy_tce > 0 THEN energy_tce ELSE 0 END) AS b_va_tce,
    sum(CASE WHEN emissions_eq > 0 THEN value_added ELSE 0 END)
      / sum(CASE WHEN emissions_eq > 0 THEN emissions_eq ELSE 0 END) AS b_va_em,
    sum(CASE WHEN employees > 0 THEN value_added ELSE 0 END)
      / sum(CASE WHEN employees > 0 THEN employees ELSE 0 END) AS b_lp,
    sum(CASE WHEN revenue > 0 THEN rd_expense ELSE 0 END)
      / sum(CASE WHEN revenue > 0 THEN revenue ELSE 0 END) AS b_rd,
    sum(CASE WHEN electricity_kwh > 0 THEN tax_paid ELSE 0 END) * 1e4
      / sum(CASE WHEN electricity_kwh > 0 THEN electricity_kwh ELSE 0 END) AS b_kwh
  FROM st WHERE year = 2021 AND status = 'evaluated'
  GROUP BY track, "group"
), cur AS (
  SELECT st.*, b.* EXCLUDE (track, "group"),
    CASE WHEN land_mu > 0 THEN tax_paid / land_mu END AS v_tax_mu,
    CASE WHEN land_mu > 0 THEN value_added / land_mu END AS v_va_mu,
    CASE WHEN energy_tce > 0 THEN value_added / energy_tce END AS v_va_tce,
    CASE WHEN emissions_eq > 0 THEN value_added / emissions_eq END AS v_va_em,
    CASE WHEN employees > 0 THEN value_added / employees END AS v_lp,
    CASE WHEN revenue > 0 THEN rd_expense / revenue END AS v_rd,
    CASE WHEN electricity_kwh > 0 THEN tax_paid * 1e4 / electricity_kwh END AS v_kwh
  FROM st LEFT JOIN bench b USING (track, "group")
  WHERE st.year = 2022 AND st.status = 'evaluated'
), raw AS (
  SELECT *,
    CASE WHEN v_tax_mu IS NULL THEN NULL WHEN v_tax_mu <= 0 THEN 0
      ELSE least(v_tax_mu / b_tax_mu * w_tax_mu, 2 * w_tax_mu) END
      AS s_tax_mu,
    CASE WHEN v_va_mu IS NULL THEN NULL WHEN v_va_mu <= 0 THEN 0
      ELSE least(v_va_mu / b_va_mu * 20, 40) END AS s_va_mu,
    CASE WHEN v_va_tce IS NULL THEN NULL WHEN v_va_tce <= 0 THEN 0
      ELSE least(v_va_tce / b_va_tce * 20, 40) END AS s_va_tce,
    CASE WHEN v_va_em IS NULL THEN NULL WHEN v_va_em <= 0 THEN 0
      ELSE least(v_va_em / b_va_em * 10, 20) END AS s_va_em0,
    CASE WHEN v_lp IS NULL THEN NULL WHEN v_lp <= 0 THEN 0
      ELSE least(v_lp / b_lp * 10, 20) END AS s_lp,
    CASE WHEN v_rd IS NULL THEN NULL WHEN v_rd <= 0 THEN 0
      ELSE least(v_rd / b_rd * 10, 20) END AS s_rd,
    CASE WHEN v_kwh IS NULL THEN NULL WHEN v_kwh <= 0 THEN 0
      ELSE least(v_kwh / b_kwh * 50, 100) END AS s_kwh
  FROM (SELECT *, CASE track WHEN 'above_scale' THEN 30.0 ELSE 50.0 END AS w_tax_mu FROM cur)
), scored AS (
  SELECT *,
    CASE WHEN track = 'above_scale'
      THEN 0.0 + coalesce(s_tax_mu, 0) + coalesce(s_va_mu, 0) + coalesce(s_va_tce, 0)
        + coalesce(s_va_em0, avg(s_va_em0) OVER (PARTITION BY track, "group"), 0)
        + coalesce(s_lp, 0) + coalesce(s_rd, 0)
      ELSE 0.0 + coalesce(s_tax_mu, 0) + coalesce(s_kwh, 0) END AS total,
    coalesce(s_va_em0, avg(s_va_em0) OVER (PARTITION BY track, "group"), 0) AS s_va_em
  FROM raw
), ranked AS (
  SELECT *,
    row_number() OVER (PARTITION BY track, "group" ORDER BY total DESC, uscc) AS "rank",
    count(*) OVER (PARTITION BY track, "group") AS group_size
  FROM scored
), graded AS (
  SELECT *, "rank" / group_size AS percentile,
    CASE WHEN track = 'above_scale' THEN
      CASE WHEN "rank" <= floor(group_size * {a0} + 0.5) THEN 'A'
           WHEN "rank" <= floor(group_size * {a1} + 0.5) THEN 'B'
           WHEN "rank" <= floor(group_size * {a2} + 0.5) THEN 'C' ELSE 'D' END
    ELSE
      CASE WHEN "rank" <= floor(group_size * {b0} + 0.5) THEN 'A'
           WHEN "rank" <= floor(group_size * {b1} + 0.5) THEN 'B'
           WHEN "rank" <= floor(group_size * {b2} + 0.5) THEN 'C' ELSE 'D' END
    END AS grade,
    CAST(NULL AS VARCHAR) AS veto,
    "rank" <= CASE WHEN track = 'above_scale' THEN 5 ELSE 0 END AS leader
  FROM ranked
)
SELECT uscc, name, region_code, park_code, industry_code, year, track, "group", status, reason,
  v_tax_mu AS value_tax_per_mu, b_tax_mu AS benchmark_tax_per_mu, s_tax_mu AS score_tax_per_mu,
  CASE WHEN track = 'above_scale' THEN v_va_mu END AS value_value_added_per_mu,
  CASE WHEN track = 'above_scale' THEN b_va_mu END AS benchmark_value_added_per_mu,
  CASE WHEN track = 'above_scale' THEN coalesce(s_va_mu, 0) END AS score_value_added_per_mu,
  CASE WHEN track = 'above_scale' THEN v_va_tce END AS value_value_added_per_tce,
  CASE WHEN track = 'above_scale' THEN b_va_tce END AS benchmark_value_added_per_tce,
  CASE WHEN track = 'above_scale' THEN coalesce(s_va_tce, 0) END AS score_value_added_per_tce,
  CASE WHEN track = 'above_scale' THEN v_va_em END AS value_value_added_per_emission,
  CASE WHEN track = 'above_scale' THEN b_va_em END AS benchmark_value_added_per_emission,
  CASE WHEN track = 'above_scale' THEN s_va_em END AS score_value_added_per_emission,
  CASE WHEN track = 'above_scale' THEN v_lp END AS value_labour_productivity,
  CASE WHEN track = 'above_scale' THEN b_lp END AS benchmark_labour_productivity,
  CASE WHEN track = 'above_scale' THEN coalesce(s_lp, 0) END AS score_labour_productivity,
  CASE WHEN track = 'above_scale' THEN v_rd END AS value_rd_intensity,
  CASE WHEN track = 'above_scale' THEN b_rd END AS benchmark_rd_intensity,
  CASE WHEN track = 'above_scale' THEN coalesce(s_rd, 0) END AS score_rd_intensity,
  CASE WHEN track = 'below_scale' THEN v_kwh END AS value_tax_per_kwh,
  CASE WHEN track = 'below_scale' THEN b_kwh END AS benchmark_tax_per_kwh,
  CASE WHEN track = 'below_scale' THEN coalesce(s_kwh, 0) END AS score_tax_per_kwh,
  0.0 AS bonus, 0.0 AS penalty, total, "rank", group_size, percentile, grade, veto, leader
FROM graded
UNION ALL BY NAME
SELECT uscc, name, region_code, park_code, industry_code, year, track, "group", status, reason
FROM st WHERE year = 2022 AND status <> 'evaluated'
ORDER BY track, "group", "rank", uscc
"""


def evaluate(enterprise: Path, enterprise_year: Path, con: duckdb.DuckDBPyConnection) -> object:
    cum = {}  # the quotas cumulated as the engine does (0.0 + 0.2 + 0.6 + …)
    for track, quotas in (("a", (0.2, 0.6, 0.15)), ("b", (0.05, 0.7, 0.2))):
        c = 0.0
        for i, q in enumerate(quotas):
            c += q
            cum[f"{track}{i}"] = repr(c)
    sql = QUERY.format(e=enterprise, ey=enterprise_year, group_case=GROUP_CASE, **cum)
    rel = con.sql(sql)
    return rel.to_arrow_table() if hasattr(rel, "to_arrow_table") else rel.fetch_arrow_table()
