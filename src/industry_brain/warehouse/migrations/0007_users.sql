-- Migration 7: web users with a role and a region scope.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE app_user (username VARCHAR PRIMARY KEY, password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL, region_code VARCHAR NOT NULL, uscc VARCHAR,
        display_name VARCHAR, created_at TIMESTAMP NOT NULL);
