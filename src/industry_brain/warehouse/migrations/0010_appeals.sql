-- Migration 10: appeals filed by enterprises and their decisions.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE appeal (appeal_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
        uscc VARCHAR NOT NULL, reason VARCHAR NOT NULL, attachment VARCHAR,
        filed_by VARCHAR NOT NULL, filed_at TIMESTAMP NOT NULL, status VARCHAR NOT NULL,
        decision VARCHAR, decided_by VARCHAR, decided_at TIMESTAMP, override_id INTEGER,
        amendment_run_id INTEGER);
