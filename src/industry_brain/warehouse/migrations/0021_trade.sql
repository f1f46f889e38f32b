-- Migration 21: purchases between enterprises: the trade source and the trade table derived from its active batches.
-- Frozen: never edit; add a new migration instead.
--
-- src_trade keeps the rows of each batch as the department wrote them (red-letter invoices as
-- negative rows, a supplier by its code or by its name). trade is derived from the active
-- batches (warehouse/trade.py): for each buyer and year the latest batch that has them, its
-- rows netted per seller (its code, else its name) and product (its class, else its name), in
-- 万元. Withdrawing or superseding a batch takes its rows out of trade.

CREATE TABLE src_trade (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL,
        buyer_uscc VARCHAR, buyer_name VARCHAR, seller_uscc VARCHAR, seller_name VARCHAR,
        seller_region VARCHAR, product_code VARCHAR, product_name VARCHAR, year INTEGER,
        amount DOUBLE PRECISION);

CREATE TABLE trade (year INTEGER NOT NULL, buyer_uscc VARCHAR NOT NULL, seller_uscc VARCHAR,
        seller_name VARCHAR NOT NULL, seller_region VARCHAR, product_code VARCHAR,
        product_name VARCHAR, amount DOUBLE PRECISION NOT NULL, batch_id INTEGER NOT NULL);

CREATE INDEX trade_buyer ON trade (buyer_uscc, year);

CREATE INDEX trade_seller ON trade (seller_uscc, year)
