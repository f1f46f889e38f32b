-- Migration 18: plan figures entered as batches: the plan_actuals source, the plan a batch was loaded for, the batch of each entered figure.
-- Frozen: never edit; add a new migration instead.
--
-- Entered plan figures go through the ingest pipeline as the source plan_actuals: its rows are
-- kept in src_plan_actuals like every source's, the plan they were entered for in batch.scope
-- (NULL for the enterprise sources). indicator_value stays the table the monitoring engine
-- reads: reconciling a batch puts its figures there with their batch_id, and withdrawing it
-- takes them out. Figures entered before this migration keep their rows, without a batch.

CREATE TABLE src_plan_actuals (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL,
        indicator VARCHAR, year INTEGER, value DOUBLE PRECISION, source VARCHAR,
        region_code VARCHAR, note VARCHAR);

ALTER TABLE batch ADD COLUMN scope VARCHAR;

ALTER TABLE indicator_value ADD COLUMN batch_id INTEGER;
