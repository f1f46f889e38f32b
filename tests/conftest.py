from __future__ import annotations

import sys
from collections.abc import Iterator
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
