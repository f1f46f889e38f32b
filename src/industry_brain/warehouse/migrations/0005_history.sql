-- Migration 5: grade history and differentiated prices.
-- Frozen: never edit; add a new migration instead.

ALTER TABLE permu_score ADD COLUMN grade_last VARCHAR;

ALTER TABLE permu_score ADD COLUMN transition VARCHAR;

ALTER TABLE permu_score ADD COLUMN d_years INTEGER;

CREATE TABLE permu_price (run_id INTEGER NOT NULL, uscc VARCHAR NOT NULL,
        resource VARCHAR NOT NULL, title VARCHAR NOT NULL, unit VARCHAR NOT NULL,
        surcharge DOUBLE PRECISION NOT NULL);
