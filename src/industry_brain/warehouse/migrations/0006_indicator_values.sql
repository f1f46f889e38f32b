-- Migration 6: plan monitoring: entered indicator values.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE indicator_value (entry_id INTEGER PRIMARY KEY, plan VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL, region_code VARCHAR NOT NULL, year INTEGER NOT NULL,
        value DOUBLE PRECISION NOT NULL, source VARCHAR NOT NULL, note VARCHAR,
        file_name VARCHAR NOT NULL, file_sha256 VARCHAR NOT NULL, "row" INTEGER NOT NULL,
        entered_by VARCHAR, entered_at TIMESTAMP NOT NULL);
