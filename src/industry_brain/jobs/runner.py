"""The web app's job runner: `submit` records a queued job and returns its id at once; a
thread then runs the work with a `JobContext`: a workspace on a DuckDB cursor of its own
(`Workspace.reader()`), `progress(share, stage)` written to the job row, `writing()` (one
writer at a time: loads, runs and publications wait for each other) and `in_worker(fn, …)`
for database-free work in a worker process (`pool.WorkerPool`).

Job rows are written on a cursor of the runner's own, under a lock, never inside the work's
transactions: progress shows while a load is still uncommitted."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

from industry_brain.jobs import store, workers
from industry_brain.jobs.pool import WorkerCrashed, WorkerPool
from industry_brain.workspace import Workspace

T = TypeVar("T")
log = logging.getLogger(__name__)
FAILED = "任务失败：服务器内部错误（详情已记入服务器日志）"
CRASHED = "任务失败：处理文件的工作进程意外退出（可能内存不足），请稍后重试或拆分文件"


class JobError(Exception):
    """A job that cannot finish, with a stable code and a Chinese message for the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class JobContext:
    def __init__(self, runner: Runner, job_id: int, ws: Workspace) -> None:
        self.runner, self.job_id, self.ws = runner, job_id, ws

    def progress(self, share: float, stage: str) -> None:
        self.runner.record(store.advance, self.job_id, share, stage)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the writer lock: one job changes the warehouse at a time."""
        self.progress_if_waiting()
        with self.runner.writer:
            yield

    def progress_if_waiting(self) -> None:
        if self.runner.writer.locked():
            self.progress(0.0, "等待其他写入任务完成")

    def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        return self.runner.pool.run(fn, *args)


Work = Callable[[JobContext], dict[str, Any]]


class AlreadyRunning(Exception):
    """The same work (same key) is queued or running already: its job id."""

    def __init__(self, job_id: int) -> None:
        super().__init__(job_id)
        self.job_id = job_id


class Runner:
    def __init__(self, ws: Workspace, threads: int = 3, pool: WorkerPool | None = None) -> None:
        self.ws = ws
        self.status = ws.reader()  # the job rows' own cursor
        self.status_lock, self.writer = threading.Lock(), threading.Lock()
        self.pool = pool or WorkerPool.shared()
        self.threads = ThreadPoolExecutor(threads, thread_name_prefix="job")
        self.finished: dict[int, threading.Event] = {}
        self.keys: dict[Hashable, int] = {}  # the work of unfinished jobs, by key
        self.interrupted = self.record(store.interrupt_unfinished)
        self.name = workers.new_runner()  # on its jobs' rows

    def record(self, fn: Callable[..., T], *args: Any) -> T:
        """fn(con, *args) on the job rows' cursor (serialised)."""
        with self.status_lock:
            return fn(self.status.con, *args)

    def submit(
        self, kind: str, owner: str, region_code: str, work: Work, key: Hashable = None
    ) -> int:
        """A queued job doing `work`; its id. With a key, AlreadyRunning while a job of the same
        key is unfinished (a second click does not run the same evaluation twice)."""
        with self.status_lock:
            if key is not None and key in self.keys:
                raise AlreadyRunning(self.keys[key])
            job_id = store.create(self.status.con, kind, owner, region_code, self.name)
            self.finished[job_id] = threading.Event()
            if key is not None:
                self.keys[key] = job_id
        self.threads.submit(self._run, job_id, work, key)
        return job_id

    def get(self, job_id: int) -> store.Job | None:
        return self.record(store.get, job_id)

    def _run(self, job_id: int, work: Work, key: Hashable) -> None:
        self.record(store.start, job_id)
        reader = self.ws.reader()
        try:
            result = work(JobContext(self, job_id, reader))
        except JobError as exc:
            self.record(store.fail, job_id, exc.code, exc.message)
        except WorkerCrashed:
            log.exception("job %s: the worker process stopped", job_id)
            self.record(store.fail, job_id, "worker_crashed", CRASHED)
        except Exception:
            log.exception("job %s failed", job_id)
            self.record(store.fail, job_id, "job_failed", FAILED)
        else:
            self.record(store.finish, job_id, result)
        finally:
            reader.close()
            with self.status_lock:
                self.keys.pop(key, None)
            self.finished.pop(job_id, threading.Event()).set()

    def wait(self, job_id: int, timeout: float | None = None) -> bool:
        """Block until the job is finished (True) or the timeout passed (False)."""
        event = self.finished.get(job_id)
        return event is None or event.wait(timeout)

    def wait_all(self, timeout: float = 60.0) -> bool:
        """Block until every job submitted so far is finished (True), or `timeout` seconds
        passed (False)."""
        deadline = time.monotonic() + timeout
        for event in list(self.finished.values()):
            if not event.wait(max(0.0, deadline - time.monotonic())):
                return False
        return True

    def close(self) -> None:
        """Stop: queued jobs are dropped (interrupted at the next start), running ones finish;
        the worker pool stops by itself when idle."""
        self.threads.shutdown(wait=True, cancel_futures=True)
        workers.closed(self.name)
        self.status.close()
