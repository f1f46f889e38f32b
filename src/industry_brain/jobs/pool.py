"""The worker processes for Python-heavy, database-free work (reading and checking an upload):
a `ProcessPoolExecutor` with the "spawn" context, started on first use and stopped when idle,
so a server that imports nothing for a while gives the memory of a large check back. One pool
per process (`WorkerPool.shared()`), at most `workers` checks at a time. Workers run at a lower
CPU priority (nice 10): on a small server the pages keep answering while a large file is
checked."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

T = TypeVar("T")


NICE = 10


def _lower_priority() -> None:
    """Run in each worker process as it starts: background work yields to the pages."""
    if hasattr(os, "nice"):
        os.nice(NICE)


class WorkerCrashed(RuntimeError):
    """A worker process died mid-task (killed, out of memory)."""


class WorkerPool:
    """Worker processes started on first use and stopped after `idle_seconds` without work."""

    _shared: WorkerPool | None = None
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls) -> WorkerPool:
        """The process's one pool: every app of the process (tests make many) uses it."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def __init__(self, workers: int = 1, idle_seconds: float = 60.0) -> None:
        self.workers, self.idle_seconds = workers, idle_seconds
        self._executor: ProcessPoolExecutor | None = None
        self._busy = 0
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._executor is None:
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(
                    self.workers, mp_context=context, initializer=_lower_priority
                )
            self._busy += 1
            return self._executor

    def _released(self, _: Future[Any] | None = None) -> None:
        with self._lock:
            self._busy -= 1
            if self._busy == 0 and self._executor is not None:
                self._timer = threading.Timer(self.idle_seconds, self._stop_if_idle)
                self._timer.daemon = True
                self._timer.start()

    def _stop_if_idle(self) -> None:
        with self._lock:
            executor = self._executor if self._busy == 0 else None
            if executor is not None:
                self._executor = None
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    def run(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(*args) in a worker process (fn importable, args picklable); waits for it."""
        executor = self._get()
        try:
            return executor.submit(fn, *args).result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise WorkerCrashed("the worker process stopped before it finished") from None
        finally:
            self._released()

    def warm(self) -> None:
        """Start the worker processes now (the first check does not wait for them)."""
        self.run(int, "0")

    def close(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
            if self._timer is not None:
                self._timer.cancel()
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
