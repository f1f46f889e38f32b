-- Migration 11: saved header mappings for departments' new header variants.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE header_mapping (source VARCHAR NOT NULL, header VARCHAR NOT NULL,
        field VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (source, header));
