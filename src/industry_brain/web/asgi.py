"""The web app for an ASGI server that starts several workers (gunicorn, `uvicorn --workers`):
each worker calls `app()` and opens the workspace named by the settings (INDUSTRY_BRAIN_WORKSPACE,
INDUSTRY_BRAIN_DATABASE_URL, or the workspace's settings.toml). Several workers need the
warehouse on PostgreSQL: a DuckDB file opens in one process only. See docs/deploy.md."""

from __future__ import annotations

from fastapi import FastAPI

from industry_brain.web.app import create_app
from industry_brain.workspace import Workspace


def app() -> FastAPI:
    return create_app(Workspace())
