-- Migration 8: audit log and run approval states.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE audit_log (entry_id INTEGER PRIMARY KEY, created_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL, action VARCHAR NOT NULL, object_type VARCHAR NOT NULL,
        object_id VARCHAR NOT NULL, region_code VARCHAR, detail VARCHAR);

CREATE TABLE run_state (run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        state VARCHAR NOT NULL, actor VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, note VARCHAR,
        PRIMARY KEY (run_id, seq));
