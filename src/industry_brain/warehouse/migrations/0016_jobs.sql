-- Migration 16: background jobs of the web app: state, progress and outcome.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE job (job_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL,
    state VARCHAR NOT NULL, progress DOUBLE PRECISION NOT NULL, stage VARCHAR NOT NULL,
    owner VARCHAR NOT NULL, region_code VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
    started_at TIMESTAMP, finished_at TIMESTAMP, result VARCHAR, error_code VARCHAR,
    error_message VARCHAR);
