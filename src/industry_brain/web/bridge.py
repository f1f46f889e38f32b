"""The command line's bridge: the read-only commands (`status`, `validate`, `audit verify`, …)
answered by the running server, which holds the DuckDB file no other process may open.

`POST /api/cli/{question}` with the JSON parameters of the question (`readonly.READERS`). A
request is answered only when it carries the token of `<workspace>/server.json` (readable by
the server's owner only) in the X-Workspace-Token header AND comes from a loopback address;
anything else, like any other method or an unknown question, gets the 404 of a path that does
not exist: the bridge is not revealed. The answer is `{"result": …}`, or `{"refused":
{"message", "exit_code"}}` when the command itself would fail (e.g. not a file, a BrainError).
"""

from __future__ import annotations

import inspect
import ipaddress
import json
import secrets
from typing import Any

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from industry_brain.errors import BrainError
from industry_brain.readonly import BRIDGE_PREFIX, READERS, TOKEN_HEADER, Refusal

router = APIRouter(prefix=BRIDGE_PREFIX, include_in_schema=False)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _loopback(host: str | None) -> bool:
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def allowed(request: Request) -> bool:
    """The workspace's token, from this machine."""
    token = getattr(request.app.state, "bridge_token", None)
    given = request.headers.get(TOKEN_HEADER)
    if not token or given is None or request.client is None:
        return False
    if not secrets.compare_digest(given.encode("utf-8", "replace"), token.encode()):
        return False
    return _loopback(request.client.host)


def _json(body: dict[str, Any]) -> Response:
    text = json.dumps(body, ensure_ascii=False)  # NaN stays NaN, as json.loads reads it
    return Response(text, media_type="application/json")


@router.api_route("/{question}", methods=METHODS)
async def answer(request: Request, question: str) -> Response:
    if not allowed(request) or request.method != "POST" or question not in READERS:
        raise HTTPException(404)
    try:
        params = json.loads(await request.body() or b"{}")
    except ValueError:
        params = None
    if not isinstance(params, dict):
        raise HTTPException(422, "the parameters are a JSON object")
    reader, ws = READERS[question], request.app.state.ws
    try:
        inspect.signature(reader).bind(ws, **params)
    except TypeError as exc:  # parameters the question does not take
        raise HTTPException(422, str(exc)) from None
    return await run_in_threadpool(_answered, ws, reader, params)


def _answered(ws: Any, reader: Any, params: dict[str, Any]) -> Response:
    """The question answered in a worker thread, on a connection of its own."""
    view = ws.reader()
    try:
        return _json({"result": reader(view, **params)})
    except Refusal as exc:
        return _json({"refused": {"message": exc.message, "exit_code": exc.exit_code}})
    except BrainError as exc:  # said as the command line says it (cli/errors.py)
        return _json({"refused": {"message": exc.line(), "exit_code": exc.exit_code}})
    finally:
        view.close()
