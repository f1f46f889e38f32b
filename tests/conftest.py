from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from industry_brain.workspace import Workspace

DATA = Path(__file__).parent / "data"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace(
        tmp_path / "ws",
        settings={
            "workspace": str(tmp_path / "ws"),
            "database_url": "",
            "max_rejected_share": 0.5,
            "demo_seed": 2020,
            "demo_scale": 1.0,
        },
    )
    yield ws
    ws.close()


@dataclass
class City:
    ws: Workspace
    inbox: Path
    manifest: object


@pytest.fixture(scope="session")
def plan_city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    """A small synthetic Taizhou (3% scale, 2020–2022) with its statistics, tax and land loaded."""
    from industry_brain.ingest.load import ingest_file
    from industry_brain.synth import write_city

    from helpers import workspace_at

    order = ["register", "statistics", "tax", "land"]
    root = tmp_path_factory.mktemp("plan_city")
    manifest = write_city(root / "inbox", seed=7, scale=0.03, years=[2020, 2021, 2022])
    ws = workspace_at(root / "ws")
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = sorted(
        (f for f in manifest.files if f.source in order),
        key=lambda f: (f.year or 0, order.index(f.source)),
    )
    for f in files:
        ingest_file(ws, root / "inbox" / f.path, f.source, f.year)
    yield City(ws, root / "inbox", manifest)
    ws.close()
