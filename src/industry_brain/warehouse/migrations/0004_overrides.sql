-- Migration 4: appeals: overrides of figures and grades.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE permu_override (override_id INTEGER PRIMARY KEY, year INTEGER NOT NULL,
        uscc VARCHAR NOT NULL, kind VARCHAR NOT NULL, field VARCHAR, value DOUBLE PRECISION,
        grade VARCHAR, reason VARCHAR NOT NULL, author VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL);

ALTER TABLE permu_score ADD COLUMN "override" VARCHAR;
