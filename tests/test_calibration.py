"""Acceptance: the full synthetic Taizhou, written as department files and ingested, reproduces
the published 2020 figures within 2% (computed from the warehouse, not from the truth)."""

import pytest

from industry_brain.figures import TAIZHOU_2020, city_figures
from industry_brain.ingest.load import ingest_file
from industry_brain.synth import write_city

from helpers import workspace_at

NEEDED = {"register", "statistics", "tax", "land"}


@pytest.fixture(scope="module")
def figures_2020(tmp_path_factory):
    root = tmp_path_factory.mktemp("taizhou")
    manifest = write_city(root / "inbox", seed=2020, scale=1.0, years=[2019, 2020])
    ws = workspace_at(root / "ws", max_rejected_share=0.2)
    (root / "ws" / "parks.yaml").write_bytes((root / "inbox" / "parks.yaml").read_bytes())
    files = [f for f in manifest.files if f.source in NEEDED and f.year in (None, 2020)]
    for f in sorted(files, key=lambda f: f.year or 0):
        assert ingest_file(ws, root / "inbox" / f.path, f.source, f.year).status == "loaded"
    yield city_figures(ws.con, 2020, "331000")
    ws.close()


@pytest.mark.parametrize("key", list(TAIZHOU_2020))
def test_published_figure_within_two_percent(figures_2020, key):
    assert figures_2020[key] == pytest.approx(TAIZHOU_2020[key], rel=0.02)


def test_city_has_about_five_thousand_above_scale_firms(figures_2020):
    assert 4500 <= figures_2020["enterprises"] <= 5500
