"""Security headers on every answer: a same-origin Content-Security-Policy, no MIME sniffing, no
framing, the referrer kept to the site itself.

The pages load their scripts, styles, fonts and the county map from /static and /api (the platform
runs without internet access), so the policy allows the site's own origin only. No inline script is
allowed: the pages carry none (the monitoring page's data is a `<script type="application/json">`
block, which is read by app.js and never executed), and app.js tells HTMX not to evaluate code
from attributes nor inject its indicator `<style>` element (those rules are in app.css).

Styles are the site's own stylesheets only (`style-src 'self'`, no 'unsafe-inline'): the
templates carry no `style=` attribute, ECharts sizes and places its canvas through the CSSOM
(`element.style`, which a CSP does not govern), and app.js has ECharts draw its tooltips on the
canvas (`renderMode: "richText"`), because its HTML tooltips are built from markup with `style=`
attributes. A browser test checks that the pages report no violation.

A pure ASGI middleware (not BaseHTTPMiddleware): it only adds headers to `http.response.start`, so
streamed and file answers (the Excel downloads) pass through unbuffered.
"""

from __future__ import annotations

from typing import Any

CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds HEADERS to every HTTP answer (an answer that already sets one keeps its own)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
