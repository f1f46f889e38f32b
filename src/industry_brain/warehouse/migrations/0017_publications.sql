-- Migration 17: publications: each file a published run gave.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE publication (publication_id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL,
    name VARCHAR NOT NULL, title VARCHAR NOT NULL, path VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, created_by VARCHAR NOT NULL);
