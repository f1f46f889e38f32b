"""The worker processes run at a lower CPU priority than the server: a large check must not
take the cores the pages need."""

from __future__ import annotations

import os

from industry_brain.jobs.pool import NICE, WorkerPool


def test_a_worker_process_runs_at_a_lower_priority():
    pool = WorkerPool(workers=1, idle_seconds=1)
    try:
        mine = os.nice(0)
        assert pool.run(os.nice, 0) == min(mine + NICE, 19)
    finally:
        pool.close()
