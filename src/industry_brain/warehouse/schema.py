"""Table definitions of the warehouse. Source tables (`src_<source>`) follow the source specs;
`enterprise` and `enterprise_year` are rebuilt from them by reconciliation."""

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


# The source tables as migration 1 created them. Frozen: a change of a spec is a new migration
# (a workspace made before the change must end up with the same tables as one made after).
SOURCE_TABLES_V1 = [
    "CREATE TABLE src_register (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, region_code VARCHAR, industry_code VARCHAR, registered_on DATE, "
    "address VARCHAR, park_code VARCHAR)",
    "CREATE TABLE src_statistics (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, year INTEGER, region_code VARCHAR, industry_code VARCHAR, "
    "above_scale BOOLEAN, revenue DOUBLE PRECISION, output DOUBLE PRECISION, "
    "value_added DOUBLE PRECISION, employees DOUBLE PRECISION, energy_tce DOUBLE PRECISION, "
    "rd_expense DOUBLE PRECISION, new_product_output DOUBLE PRECISION, "
    "export_value DOUBLE PRECISION, profit DOUBLE PRECISION)",
    "CREATE TABLE src_tax (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, year INTEGER, tax_paid DOUBLE PRECISION)",
    "CREATE TABLE src_land (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, year INTEGER, parcel_id VARCHAR, area_mu DOUBLE PRECISION, "
    "tenure VARCHAR)",
    "CREATE TABLE src_electricity (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, year INTEGER, electricity_kwh DOUBLE PRECISION)",
    "CREATE TABLE src_emissions (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, "
    "uscc VARCHAR, name VARCHAR, year INTEGER, emissions_eq DOUBLE PRECISION)",
]


def _figure_type(name: str) -> str:
    return {"above_scale": "BOOLEAN", "parcels": "INTEGER"}.get(name, "DOUBLE PRECISION")


CORE_TABLES = [
    """CREATE TABLE region (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,
        level VARCHAR NOT NULL, parent_code VARCHAR)""",
    """CREATE TABLE industry (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,
        level VARCHAR NOT NULL, parent_code VARCHAR, section VARCHAR NOT NULL)""",
    """CREATE TABLE batch (batch_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, sheet VARCHAR, year INTEGER,
        rows_in INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
        spec_sha256 VARCHAR NOT NULL, archive_path VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL, loaded_by VARCHAR, code_version VARCHAR NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'active')""",
    """CREATE TABLE batch_error (batch_id INTEGER NOT NULL, code VARCHAR NOT NULL,
        "row" INTEGER, "column" VARCHAR, field VARCHAR, value VARCHAR, message VARCHAR NOT NULL)""",
    """CREATE TABLE enterprise (uscc VARCHAR PRIMARY KEY, name VARCHAR, region_code VARCHAR,
        park_code VARCHAR, industry_code VARCHAR, registered_on DATE, address VARCHAR,
        register_batch_id INTEGER, statistics_batch_id INTEGER)""",
    "CREATE TABLE enterprise_year (uscc VARCHAR NOT NULL, year INTEGER NOT NULL, "
    + ", ".join(f"{n} {_figure_type(n)}" for n in FIGURES)
    + ", "
    + ", ".join(f"{s}_batch_id INTEGER" for s in YEARLY_SOURCES)
    + ", PRIMARY KEY (uscc, year))",
    """CREATE TABLE "transaction" (year INTEGER NOT NULL, seller_uscc VARCHAR NOT NULL,
        buyer_uscc VARCHAR NOT NULL, product_code VARCHAR, amount DOUBLE PRECISION NOT NULL,
        batch_id INTEGER)""",
]


def initial_schema() -> list[str]:
    return CORE_TABLES + SOURCE_TABLES_V1
