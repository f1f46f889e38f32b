"""Purchases between enterprises in force: `trade`, the table the chains engine reads.

Derived from the active batches of the `trade` source (`src_trade`), as `enterprise_year` is
from the enterprise sources: for each buyer and year the latest active batch that has them wins
(a corrected file replaces the buyer's purchases of the year, and a withdrawn or superseded
batch no longer counts), and its rows are netted per seller (its code, else `名称:` + its name)
and product (its class, else its name): a red-letter invoice against its invoice. A seller
named only by its code takes the name the file or the register gives it.
"""

from __future__ import annotations

from industry_brain.warehouse.warehouse import Warehouse

COLUMNS = "year, buyer_uscc, seller_uscc, seller_name, seller_region, product_code, product_name"
TOUCHED = "SELECT DISTINCT buyer_uscc, year FROM src_trade WHERE batch_id IN ({ids})"
DERIVE = """INSERT INTO trade ({columns}, amount, batch_id)
WITH touched AS ({touched}),
live AS (SELECT s.* FROM src_trade s
    JOIN batch b ON b.batch_id = s.batch_id AND b.status = 'active'
    JOIN touched t ON t.buyer_uscc = s.buyer_uscc AND t.year = s.year),
newest AS (SELECT buyer_uscc, year, max(batch_id) AS batch_id FROM live GROUP BY buyer_uscc, year),
kept AS (SELECT l.*, coalesce(l.seller_uscc, '名称:' || l.seller_name) AS seller_key,
        coalesce(l.product_code, l.product_name, '') AS product_key
    FROM live l JOIN newest n
    ON n.buyer_uscc = l.buyer_uscc AND n.year = l.year AND n.batch_id = l.batch_id)
SELECT k.year, k.buyer_uscc, max(k.seller_uscc),
    coalesce(max(k.seller_name), max(e.name), max(k.seller_uscc)), max(k.seller_region),
    max(k.product_code), max(k.product_name), sum(k.amount), max(k.batch_id)
FROM kept k LEFT JOIN enterprise e ON e.uscc = k.seller_uscc
GROUP BY k.year, k.buyer_uscc, k.seller_key, k.product_key
HAVING sum(k.amount) > 0"""
DELETE = """DELETE FROM trade WHERE EXISTS (SELECT 1 FROM ({touched}) t
    WHERE t.buyer_uscc = trade.buyer_uscc AND t.year = trade.year)"""


def reconcile_trade(con: Warehouse, batch_ids: list[int] | None = None) -> None:
    """Bring `trade` up to date for the buyers and years of the batches (inside their
    transaction); without batches, rebuild it from every active batch."""
    if batch_ids is None:
        touched = "SELECT DISTINCT buyer_uscc, year FROM src_trade"
        con.raw_sql("DELETE FROM trade")
    else:
        touched = TOUCHED.format(ids=", ".join(str(int(b)) for b in batch_ids) or "NULL")
        con.raw_sql(DELETE.format(touched=touched))
    con.raw_sql(DERIVE.format(columns=COLUMNS, touched=touched))
