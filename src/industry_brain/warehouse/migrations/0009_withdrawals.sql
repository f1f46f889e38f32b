-- Migration 9: withdrawn batches, and the batches a run left out.
-- Frozen: never edit; add a new migration instead.

ALTER TABLE batch ADD COLUMN withdrawn_by VARCHAR;

ALTER TABLE batch ADD COLUMN withdrawn_reason VARCHAR;

ALTER TABLE run ADD COLUMN excluded VARCHAR;
