"""Several app workers share one job table (docs/deploy.md): a worker that starts interrupts
the jobs, and frees the uploads, of app processes that are gone, and leaves those of the
workers still running beside it alone."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from industry_brain.jobs import store, workers
from industry_brain.jobs.runner import Runner
from industry_brain.web import import_jobs, uploads


def _name(pid: int, start: str | None = None) -> str:
    start = workers.start_time(pid) if start is None else start
    return f"{socket.gethostname()}:{pid}:{start}:abcd1234"


@pytest.fixture
def other_worker() -> Iterator[subprocess.Popen[bytes]]:
    """Another process on this host, standing for an app worker beside this one."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


def _ended() -> str:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    name = _name(proc.pid)
    proc.wait()
    return name


def test_a_process_is_gone_when_it_ended_or_its_pid_was_reused(other_worker):
    alive = _name(other_worker.pid)
    assert not workers.gone(alive)
    assert workers.gone(_ended())
    assert workers.gone(_name(other_worker.pid, start="1"))  # the pid, another process
    assert not workers.gone(f"elsewhere.example:{other_worker.pid}:1:abcd1234")  # not ours
    assert workers.gone(None) and workers.gone("not a name")


def test_the_runners_of_this_process_are_live_until_closed():
    name = workers.new_runner()
    assert name.split(":")[1] == str(os.getpid()) and not workers.gone(name)
    workers.closed(name)
    assert workers.gone(name)


def test_a_starting_worker_interrupts_only_the_jobs_of_gone_processes(workspace, other_worker):
    con = workspace.con
    beside = store.create(con, "permu.run", "city", "331000", _name(other_worker.pid))
    store.start(con, beside)
    stopped = store.create(con, "import.load", "city", "331000", _ended())
    older = store.create(con, "import.check", "city", "331000")  # before workers were named
    started = Runner(workspace)
    try:
        assert started.interrupted == 2
        states = {j: started.get(j).state for j in (beside, stopped, older)}  # type: ignore[union-attr]
        assert states == {beside: "running", stopped: "interrupted", older: "interrupted"}
        mine = started.submit("test.quick", "city", "331000", lambda ctx: {})
        assert started.wait(mine, 30)
        row = con.raw_sql(f"SELECT worker FROM job WHERE job_id = {mine}").fetchone()
        assert row[0] == started.name
    finally:
        started.close()


def test_a_starting_worker_frees_only_the_uploads_of_gone_processes(workspace, other_worker):
    folders = {}
    for key, worker in (("beside", _name(other_worker.pid)), ("stopped", _ended())):
        folders[key] = uploads.root(workspace.path) / key
        folders[key].mkdir(parents=True)
        assert import_jobs.claim(folders[key], worker)
        assert not import_jobs.claim(folders[key], worker)  # a second job waits
    import_jobs.release_all(workspace.path)
    assert (folders["beside"] / import_jobs.BUSY).exists()
    assert not (folders["stopped"] / import_jobs.BUSY).exists()
