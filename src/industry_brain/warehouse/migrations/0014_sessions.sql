-- Migration 14: server-side web sessions; users disabled and passwords changed.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE web_session (session_key VARCHAR PRIMARY KEY, username VARCHAR NOT NULL,
        csrf VARCHAR NOT NULL, created_at TIMESTAMP NOT NULL, last_seen TIMESTAMP NOT NULL,
        client VARCHAR, ended_at TIMESTAMP, ended_why VARCHAR);

ALTER TABLE app_user ADD COLUMN disabled_at TIMESTAMP;

ALTER TABLE app_user ADD COLUMN password_changed_at TIMESTAMP;
