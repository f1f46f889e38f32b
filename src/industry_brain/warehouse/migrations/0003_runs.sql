-- Migration 3: evaluation runs and 亩均 results.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE run (run_id INTEGER PRIMARY KEY, engine VARCHAR NOT NULL,
        spec_name VARCHAR NOT NULL, spec_sha256 VARCHAR NOT NULL, year INTEGER NOT NULL,
        region_code VARCHAR NOT NULL, inputs VARCHAR NOT NULL, code_version VARCHAR NOT NULL,
        result_sha256 VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, created_by VARCHAR);

CREATE TABLE permu_score (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL, name VARCHAR,
        region_code VARCHAR, park_code VARCHAR, industry_code VARCHAR, year INTEGER,
        track VARCHAR, "group" VARCHAR, status VARCHAR NOT NULL, reason VARCHAR,
        bonus DOUBLE PRECISION, penalty DOUBLE PRECISION, total DOUBLE PRECISION,
        "rank" BIGINT, group_size BIGINT, percentile DOUBLE PRECISION, grade VARCHAR,
        veto VARCHAR, leader BOOLEAN);

CREATE TABLE permu_item (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL,
        indicator VARCHAR NOT NULL, value DOUBLE PRECISION, benchmark DOUBLE PRECISION,
        score DOUBLE PRECISION);
