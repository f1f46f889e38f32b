"""Uploads waiting for a decision: each upload is a folder `<workspace>/uploads/<token>/` with
the files and `pending.json` (per file: name, source, year, the uploader's region, the
platform's guesses and the dry-run report, written by the check job `import_jobs.check`); once
loaded, only `result.json` (what became of each file). Nothing here writes to the warehouse;
folders untouched for a day are cleared (when the app starts and at each new upload)."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path
from typing import Any

from industry_brain.reference.regions import in_region
from industry_brain.web.errors import ApiError
from industry_brain.web.scope import Scope

KEPT_SECONDS = 24 * 3600
PENDING, RESULT = "pending.json", "result.json"
SHOWN_ERRORS = 20  # file-level errors kept in an outcome


def root(ws_path: Path) -> Path:
    return ws_path / "uploads"


def folder(
    ws_path: Path, token: str, user: Scope, change: bool = False, done: bool = False
) -> Path:
    """The upload's folder, for its uploader (and, to read, for the regions above theirs); 404
    for anyone else, and once it was cancelled or cleared. A loaded upload keeps only its
    outcome (`done`: result.json) until it is cleared."""
    if not (token.isascii() and token.isalnum() and len(token) <= 64):
        raise ApiError(404, "no such upload")
    found = root(ws_path) / token
    if not (found / (RESULT if done else PENDING)).is_file():
        raise ApiError(404, "no such upload (loaded, cancelled or expired)")
    owner = json.loads((found / "owner.json").read_text("utf-8"))
    mine = owner["username"] == user.username
    above = not change and not user.is_enterprise
    if not (mine or (above and in_region(owner["region"], user.region_code))):
        raise ApiError(404, "no such upload")
    return found


def create(ws_path: Path, user: Scope) -> Path:
    """A new upload folder owned by the user."""
    at = root(ws_path) / secrets.token_hex(12)
    at.mkdir(parents=True)
    owner = {"username": user.username, "region": user.region_code}
    (at / "owner.json").write_text(json.dumps(owner, ensure_ascii=False), "utf-8")
    return at


def safe_name(name: str | None, fallback: str, limit: int = 150) -> str:
    """A file name as it may be stored: no folders or control characters, and short enough in
    UTF-8 bytes for every file system (the stem is cut, the suffix kept)."""
    base = Path((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*') or fallback
    stem, suffix = Path(base).stem, Path(base).suffix[:12]
    while len((stem + suffix).encode("utf-8")) > limit:
        stem = stem[:-1]
    return (stem or fallback) + suffix


def pending(at: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((at / PENDING).read_text("utf-8"))
    return found


def save(at: Path, items: list[dict[str, Any]]) -> None:
    text = json.dumps(items, ensure_ascii=False, default=str)
    (at / "pending.json.part").write_text(text, "utf-8")
    (at / "pending.json.part").replace(at / "pending.json")


def outcome(item: dict[str, Any], report: dict[str, Any]) -> dict[str, Any]:
    """What became of one file at load: its status, batch, counts and why it failed."""
    kept = ("status", "batch_id", "rows_in", "rows_loaded", "rows_rejected", "error_counts")
    errors = [e for e in report["errors"] if e.get("row") is None][:SHOWN_ERRORS]
    shown = ("code", "title", "message_zh", "column")
    return (
        {"name": item["name"], "source": item["source"], "year": report.get("year")}
        | {k: report.get(k) for k in kept}
        | {"valid": report["valid"], "errors": [{k: e.get(k) for k in shown} for e in errors]}
    )


def finish(at: Path, outcomes: list[dict[str, Any]]) -> None:
    """After a load: the files go (the warehouse archived what it loaded), the outcome stays."""
    text = json.dumps(outcomes, ensure_ascii=False, default=str)
    (at / f"{RESULT}.part").write_text(text, "utf-8")
    (at / f"{RESULT}.part").replace(at / RESULT)
    for path in at.iterdir():
        if path.name not in (RESULT, "owner.json"):
            shutil.rmtree(path) if path.is_dir() else path.unlink()


def outcomes(at: Path) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads((at / RESULT).read_text("utf-8"))
    return found


def clear_old(ws_path: Path, now: float | None = None) -> int:
    """Remove uploads nobody decided on within a day; how many."""
    limit = (now or time.time()) - KEPT_SECONDS
    gone = 0
    for old in root(ws_path).glob("*/owner.json"):
        if max(f.stat().st_mtime for f in old.parent.iterdir()) < limit:
            shutil.rmtree(old.parent, ignore_errors=True)
            gone += 1
    return gone
