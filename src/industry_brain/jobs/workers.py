"""Which app process runs a job, so that a starting process interrupts only the jobs of
processes that are gone, not those of the other app workers beside it (docs/deploy.md).

A process is named `host:pid:start:runner`: `start` is its start time in clock ticks since boot
(from /proc, so a reused pid is not taken for the old process) and `runner` tells apart the job
runners of one process. A job of another host is left alone: that host's next start decides.
"""

from __future__ import annotations

import os
import secrets
import socket

LIVE: set[str] = set()  # the runners of this process that are not closed


def start_time(pid: int) -> str | None:
    """The process's start time, None when there is no such process (or no /proc: then every
    other process counts as gone, as before workers were named)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def new_runner() -> str:
    """A name for a new runner of this process, counted live until `closed`."""
    pid = os.getpid()
    name = f"{socket.gethostname()}:{pid}:{start_time(pid) or ''}:{secrets.token_hex(4)}"
    LIVE.add(name)
    return name


def closed(name: str) -> None:
    LIVE.discard(name)


def gone(name: str | None) -> bool:
    """Whether the runner named is gone: its process ended (or is another one with the same
    pid), or it is a closed runner of this process; unnamed (older) jobs are gone too."""
    if not name:
        return True
    try:
        host, pid, start, _ = name.rsplit(":", 3)
    except ValueError:
        return True
    if host != socket.gethostname():
        return False
    if int(pid) == os.getpid():
        return name not in LIVE
    return start_time(int(pid)) != start
