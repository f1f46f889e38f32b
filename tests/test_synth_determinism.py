"""Determinism: the same seed gives byte-identical files; another seed gives other files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from industry_brain.synth import write_city
from test_synth_support import SMALL, small_city


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    reference = small_city(seed=11, faults=0.01, missing_column=True)
    again = write_city(tmp_path, seed=11, scale=SMALL, faults=0.01, missing_column=True)
    assert again.faults
    assert _digests(tmp_path) == _digests(reference)


def test_other_seed_other_bytes() -> None:
    a, b = _digests(small_city(seed=11)), _digests(small_city(seed=12))
    assert a.keys() == b.keys()
    assert all(a[k] != b[k] for k in a if k != "parks.yaml")
    assert a["parks.yaml"] == b["parks.yaml"]


def test_progress_is_reported(tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    write_city(
        tmp_path, seed=1, scale=0.01, years=[2020], progress=lambda s, d, t: seen.append((s, d, t))
    )
    stages = {s for s, _, _ in seen}
    assert {"generate", "write", "truth"} <= stages
    writes = [(d, t) for s, d, t in seen if s == "write"]
    assert writes[-1][0] == writes[-1][1]


@pytest.mark.parametrize(("year", "n"), [(2021, 7), (2022, 6)])  # 2021: 产值 and 财务 apart
def test_a_year_alone_writes_the_same_files_as_in_the_full_city(
    tmp_path: Path, year: int, n: int
) -> None:
    """Shapes, rows and values of a year's files depend on the seed and the year only."""
    full = _digests(small_city(seed=11))
    write_city(tmp_path, seed=11, scale=SMALL, years=[year])
    alone = _digests(tmp_path)
    files = [k for k in alone if str(year) in k and not k.startswith("truth")]
    assert len(files) == n
    assert all(alone[k] == full[k] for k in files), [k for k in files if alone[k] != full[k]]
