-- Migration 19: the app process running each job, so that a starting worker interrupts only
-- the jobs of processes that are gone, not those of the other workers beside it.
-- Frozen: never edit; add a new migration instead.

ALTER TABLE job ADD COLUMN worker VARCHAR;
