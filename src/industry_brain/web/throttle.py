"""Login throttling: failed sign-ins counted per account and per client address over a window;
past the limit the account (or address) is locked for a while, the attempt is refused before any
password is checked, and the lockout is audited once. argon2 verifications run a few at a time,
so parallel guessing cannot eat the server's memory (64 MiB per verification)."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field

WINDOW = 15 * 60  # seconds over which failures count
LOCK = 15 * 60  # how long a lock lasts
PER_ACCOUNT = 5  # failures of one account within the window before it is locked
PER_CLIENT = 20  # failures from one address within the window before it is locked
VERIFYING = 2  # argon2 checks at the same time


@dataclass
class Throttle:
    window: float = WINDOW
    lock: float = LOCK
    per_account: int = PER_ACCOUNT
    per_client: int = PER_CLIENT
    failures: dict[str, deque[float]] = field(default_factory=dict)
    locked_until: dict[str, float] = field(default_factory=dict)
    verifying: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(VERIFYING))

    def _keys(self, username: str, client: str) -> list[tuple[str, int]]:
        return [(f"user:{username}", self.per_account), (f"addr:{client}", self.per_client)]

    def locked(self, username: str, client: str, now: float | None = None) -> float:
        """Seconds left on a lock of the account or the address (0 when free to try)."""
        now = time.monotonic() if now is None else now
        left = [self.locked_until.get(k, 0.0) - now for k, _ in self._keys(username, client)]
        return max(0.0, *left)

    def failed(self, username: str, client: str, now: float | None = None) -> bool:
        """Count a failure; True when it locks the account or the address (just now)."""
        now = time.monotonic() if now is None else now
        newly = False
        for key, limit in self._keys(username, client):
            seen = self.failures.setdefault(key, deque())
            seen.append(now)
            while seen and seen[0] < now - self.window:
                seen.popleft()
            if len(seen) >= limit and self.locked_until.get(key, 0.0) <= now:
                self.locked_until[key] = now + self.lock
                seen.clear()
                newly = True
        self._forget(now)
        return newly

    def succeeded(self, username: str) -> None:
        self.failures.pop(f"user:{username}", None)

    def _forget(self, now: float) -> None:
        """Drop what no longer matters, so that many distinct names cannot fill memory."""
        if len(self.failures) < 10_000:
            return
        for key in [k for k, v in self.failures.items() if not v or v[-1] < now - self.window]:
            del self.failures[key]
        for key in [k for k, t in self.locked_until.items() if t <= now]:
            del self.locked_until[key]
