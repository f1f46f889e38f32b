-- Migration 13: department files as delivered: parts (tax types, power accounts, pollutants and outlets), months given, lessors, delivered content and superseded batches.
-- Frozen: never edit; add a new migration instead.

ALTER TABLE src_tax ADD COLUMN tax_type VARCHAR;

ALTER TABLE src_tax ADD COLUMN months INTEGER;

ALTER TABLE src_electricity ADD COLUMN account_id VARCHAR;

ALTER TABLE src_electricity ADD COLUMN months INTEGER;

ALTER TABLE src_emissions ADD COLUMN outlet_id VARCHAR;

ALTER TABLE src_emissions ADD COLUMN pollutant VARCHAR;

ALTER TABLE src_emissions ADD COLUMN amount_t DOUBLE PRECISION;

ALTER TABLE src_land ADD COLUMN lessor VARCHAR;

ALTER TABLE batch ADD COLUMN content_sha256 VARCHAR;

ALTER TABLE batch ADD COLUMN superseded_by INTEGER;

ALTER TABLE batch ADD COLUMN fields VARCHAR;
