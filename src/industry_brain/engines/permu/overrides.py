"""Appeals: overrides of an enterprise's figure or grade, with reason, author and time.

The table is append-only (an audit trail): a later override of the same figure or grade wins.
Runs apply figure overrides before scoring and grade overrides after it
(engines/permu/corrections.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from industry_brain.engines.permu.spec import GRADES
from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean
from industry_brain.warehouse import transaction
from industry_brain.warehouse.schema import FIGURES
from industry_brain.warehouse.warehouse import Warehouse


class OverrideError(BrainError, ValueError):
    code, title, status = "override_invalid", "复核更正有误", 422


def add_override(
    con: Warehouse,
    year: int,
    uscc: str,
    reason: str,
    author: str,
    field: str | None = None,
    value: float | None = None,
    grade: str | None = None,
) -> int:
    """Record a corrected figure (field and value) or a grade; returns the override id."""
    if (field is None) == (grade is None):
        raise OverrideError("an override corrects either a figure (field and value) or a grade")
    if field is not None and (field not in FIGURES or value is None):
        hint = did_you_mean(field, FIGURES)
        raise OverrideError(f"{field!r} needs a known figure and a value{hint}")
    if grade is not None and grade not in GRADES:
        raise OverrideError(f"unknown grade {grade!r}: one of {', '.join(GRADES)}")
    if not reason.strip() or not author.strip():
        raise OverrideError("an override needs a reason and an author")
    t = con.table("permu_override")
    with transaction(con):
        new_id = int(t.override_id.max().to_pyarrow().as_py() or 0) + 1
        con.insert(
            "permu_override",
            pl.DataFrame(
                [
                    {
                        "override_id": new_id,
                        "year": year,
                        "uscc": uscc,
                        "kind": "grade" if grade else "figure",
                        "field": field,
                        "value": value,
                        "grade": grade,
                        "reason": reason,
                        "author": author,
                        "created_at": datetime.now(UTC).replace(tzinfo=None),
                    }
                ],
                schema_overrides={"field": pl.Utf8, "value": pl.Float64, "grade": pl.Utf8},
            ),
        )
    return new_id
