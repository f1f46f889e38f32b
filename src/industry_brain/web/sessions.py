"""Server-side sessions: a signed-in browser holds only a random session id (in the signed
cookie); the warehouse keeps the session's record — its user, CSRF token, when it began and was
last used — under the id's sha256, so a copied database gives no live session. Logging out ends
the session; a password change and an administrator disabling the user end all of the user's
sessions; a session unused for the idle limit ends by itself. A cookie captured before any of
these no longer answers."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from industry_brain.warehouse import execute, fetch
from industry_brain.warehouse.warehouse import Warehouse

IDLE = dt.timedelta(hours=8)  # a session unused this long has ended
TOUCH = dt.timedelta(minutes=1)  # last_seen is written at most this often


@dataclass(frozen=True, slots=True)
class Session:
    key: str  # sha256 of the session id
    username: str
    csrf: str
    last_seen: dt.datetime


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def begin(con: Warehouse, username: str, client: str | None) -> tuple[str, str]:
    """A new session for a user who just proved who they are: (session id, CSRF token)."""
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    sql = (
        "INSERT INTO web_session (session_key, username, csrf, created_at, last_seen, client) "
        "VALUES (?, ?, ?, ?, ?, ?)"
    )
    execute(con, sql, [_key(session_id), username, csrf, now, now, (client or "")[:64]])
    return session_id, csrf


def find(con: Warehouse, session_id: str) -> Session | None:
    """The live session of this id, or None (unknown, ended, idle too long, user disabled)."""
    if not session_id or len(session_id) > 100:
        return None
    sql = (
        "SELECT s.session_key, s.username, s.csrf, s.last_seen FROM web_session s "
        "JOIN app_user u ON u.username = s.username "
        "WHERE s.session_key = ? AND s.ended_at IS NULL AND u.disabled_at IS NULL"
    )
    rows = fetch(con, sql, [_key(session_id)])
    if not rows:
        return None
    r = rows[0]
    found = Session(r["session_key"], r["username"], r["csrf"], r["last_seen"])
    now = _now()
    if now - found.last_seen > IDLE:
        _end(con, "session_key = ?", [found.key], "idle")
        return None
    if now - found.last_seen > TOUCH:
        execute(con, "UPDATE web_session SET last_seen = ? WHERE session_key = ?", [now, found.key])
    return found


def end(con: Warehouse, session_id: str, why: str = "logout") -> None:
    _end(con, "session_key = ?", [_key(session_id)], why)


def end_all(con: Warehouse, username: str, why: str) -> int:
    """End every live session of a user (password changed, user disabled); how many."""
    live = fetch(
        con,
        "SELECT count(*) AS n FROM web_session WHERE username = ? AND ended_at IS NULL",
        [username],
    )
    _end(con, "username = ?", [username], why)
    return int(live[0]["n"])


def _end(con: Warehouse, where: str, params: list[Any], why: str) -> None:
    sql = f"UPDATE web_session SET ended_at = ?, ended_why = ? WHERE {where} AND ended_at IS NULL"
    execute(con, sql, [_now(), why, *params])
