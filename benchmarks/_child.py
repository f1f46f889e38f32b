"""One measured run, in its own process: `python _child.py IMPL PATH`.

Prints one JSON line: the work's wall time (time.perf_counter around the work only), the import
time, peak RSS (ru_maxrss, KiB on Linux) after the imports and at the end, and the rejected
rows (count and fingerprint) so that the parent can check the implementations agree.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

# The parent starts us as `python benchmarks/_child.py`, so benchmarks/ is on sys.path.

# The 1M-row xlsx unpacks to 607 MB, over the default max_unpacked_mb (512): measured anyway.
UNPACKED_MB = 2048
os.environ.setdefault("INDUSTRY_BRAIN_MAX_UNPACKED_MB", str(UNPACKED_MB))


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _ours_rows(errors: Any, header_row: int) -> Any:
    """0-based data-row indices of rows with a row-severity error (polars frame of errors)."""
    import polars as pl

    from industry_brain.ingest.errors import BY_CODE

    row_codes = [c for c, e in BY_CODE.items() if e.severity == "row"]
    rows = errors.filter(pl.col("code").is_in(row_codes)).get_column("row").unique()
    return (rows - header_row - 1).to_numpy()


def rechunk_workaround() -> None:
    """Make the csv reader return contiguous columns, as polars < 2 did (`--rechunk`).

    polars 2 no longer rechunks in read_csv; a filtered multi-chunk column can then start with
    an empty chunk, and `pl.format` panics on it ("assertion failed: i < self.len()"). This
    patches industry_brain.ingest.read._read_csv in this process only; src is not changed.
    """
    from industry_brain.ingest import read

    original = read._read_csv

    def _read_csv(path: Path, rows: int | None = None) -> Any:
        sheet = original(path, rows)
        sheet.cells = sheet.cells.rechunk()
        return sheet

    read._read_csv = _read_csv  # type: ignore[assignment]


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Clock:
    """Wall time (perf_counter) and CPU time (user + system, all threads) of the work."""

    def __enter__(self) -> Clock:
        self.cpu0, self.t0 = _cpu(), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.t0
        self.cpu = _cpu() - self.cpu0


def run_ours_validate(path: Path) -> tuple[Clock, Any]:
    from industry_brain.ingest.validate import validate_file

    with Clock() as clock:
        v = validate_file(path, "statistics", year=2020, max_unpacked_mb=UNPACKED_MB)
    if v.problems:
        raise RuntimeError("; ".join(p.message for p in v.problems))
    return clock, _ours_rows(v.errors, v.header_row or 1)


def run_ours_load(path: Path) -> tuple[Clock, Any]:
    import numpy as np

    from industry_brain.ingest.load import ingest_file
    from industry_brain.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-ws-"))
    try:
        ws = Workspace(tmp)
        ws.con  # noqa: B018 - open and migrate the warehouse before the clock starts
        with Clock() as clock:
            report = ingest_file(ws, path, "statistics", year=2020)
        ws.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if report.status != "loaded":
        raise RuntimeError(
            f"status {report.status}: "
            + "; ".join(e.message for e in report.errors if e.severity == "file")
        )
    header = report.header_row or 1
    rows = {e.row - header - 1 for e in report.errors if e.severity == "row" and e.row}
    return clock, np.array(sorted(rows), dtype=np.int64)


def run_pandas(path: Path) -> tuple[Clock, Any]:
    import _impl_pandas

    with Clock() as clock:
        rows = _impl_pandas.validate(path)
    return clock, rows


def run_duckdb(path: Path) -> tuple[Clock, Any]:
    import duckdb

    import _impl_duckdb

    con = duckdb.connect()
    if path.suffix != ".csv" and not _impl_duckdb.excel_available(con):
        raise RuntimeError("n/a (excel extension not available offline)")
    with Clock() as clock:
        rows = _impl_duckdb.validate(path, con)
    return clock, rows


RUNNERS = {
    "ours-validate": (run_ours_validate, ["polars", "industry_brain.ingest.validate"]),
    "ours-load": (
        run_ours_load,
        ["polars", "industry_brain.ingest.load", "industry_brain.workspace", "ibis"],
    ),
    "pandas": (run_pandas, ["pandas", "openpyxl", "_impl_pandas"]),
    "duckdb": (run_duckdb, ["duckdb", "_impl_duckdb"]),
}


def main() -> None:
    impl, path = sys.argv[1], Path(sys.argv[2])
    runner, modules = RUNNERS[impl]
    t0 = time.perf_counter()
    for name in modules:
        __import__(name)
    import_seconds = time.perf_counter() - t0
    if "--rechunk" in sys.argv[3:]:
        rechunk_workaround()
    import_kib = _peak_kib()
    result: dict[str, Any] = {"impl": impl, "file": str(path), "import_seconds": import_seconds}
    try:
        load_before = os.getloadavg()[0]
        clock, rows = runner(path)
        from _data import rows_digest

        result |= {
            "ok": True,
            "seconds": clock.seconds,
            "cpu_seconds": clock.cpu,
            "load_before": load_before,
            "rejected": len(rows),
            "digest": rows_digest(rows),
        }
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # polars panics are BaseExceptions
        message = str(exc) if str(exc).startswith("n/a") else f"{type(exc).__name__}: {exc}"
        result |= {"ok": False, "error": message[:500]}
        traceback.print_exc(file=sys.stderr)
    result |= {"import_peak_kib": import_kib, "peak_kib": _peak_kib()}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
