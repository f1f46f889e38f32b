"""What today's specs say the warehouse's tables hold: source tables (`src_<source>`) follow the
source specs; `enterprise` and `enterprise_year` are rebuilt from them by reconciliation. The
tables themselves are made by the frozen migrations (`migrations/`), never from this module:
a change here needs a new migration (tests/test_migrations.py checks that the two agree)."""

from __future__ import annotations

from industry_brain.ingest.spec import SourceSpec

SQL_TYPES = {
    "uscc": "VARCHAR",
    "text": "VARCHAR",
    "region": "VARCHAR",
    "industry": "VARCHAR",
    "park": "VARCHAR",
    "choice": "VARCHAR",
    "date": "DATE",
    "number": "DOUBLE PRECISION",
    "flag": "BOOLEAN",
    "year": "INTEGER",
    "pollutant": "VARCHAR",
    "indicator": "VARCHAR",
    "place": "VARCHAR",
}

# enterprise_year figures and the source each comes from (every value is traceable to the batch
# recorded in <source>_batch_id).
FIGURES: dict[str, str] = {
    "above_scale": "statistics",
    "revenue": "statistics",
    "output": "statistics",
    "value_added": "statistics",
    "employees": "statistics",
    "energy_tce": "statistics",
    "rd_expense": "statistics",
    "new_product_output": "statistics",
    "export_value": "statistics",
    "profit": "statistics",
    "tax_paid": "tax",
    "land_mu": "land",
    "land_owned_mu": "land",
    "land_leased_mu": "land",
    "land_let_mu": "land",
    "parcels": "land",
    "electricity_kwh": "electricity",
    "emissions_eq": "emissions",
}
YEARLY_SOURCES = ("statistics", "tax", "land", "electricity", "emissions")


def source_columns(spec: SourceSpec) -> dict[str, str]:
    """The columns of a source's table as today's spec declares them (after every migration)."""
    cols = {"batch_id": "INTEGER", "row_number": "INTEGER"}
    cols |= {f.name: SQL_TYPES[f.type] for f in spec.fields}
    if spec.yearly and "year" not in spec.field_names:
        cols["year"] = "INTEGER"
    if any(f.wide == "month" for f in spec.fields):
        cols["months"] = "INTEGER"  # months given, where the file gave one column per month
    return cols
