from pathlib import Path

from industry_brain.ingest import docs
from industry_brain.ingest.errors import CATALOGUE

PAGE = Path(__file__).parents[1] / "docs" / "ingest.md"


def test_ingest_page_is_generated_from_the_catalogue():
    assert PAGE.read_text("utf-8") == docs.render(), (
        "docs/ingest.md is stale: uv run python -m industry_brain.ingest.docs > docs/ingest.md"
    )


def test_every_error_code_is_documented():
    text = PAGE.read_text("utf-8")
    assert all(f"| {e.code} | `{e.name}` |" in text for e in CATALOGUE)
