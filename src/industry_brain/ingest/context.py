"""The validation context that the pipeline's steps read and extend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from industry_brain.ingest.errors import CATALOGUE
from industry_brain.ingest.headers import HeaderMap
from industry_brain.ingest.problems import empty_errors
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.spec import SourceSpec

ROW_CODES = [e.code for e in CATALOGUE if e.severity == "row"]


class Lookups(Protocol):
    """What validation needs to know about the warehouse and the workspace."""

    def parks(self) -> dict[str, str]:
        """Park name → park code."""
        ...

    def enterprises(self) -> pl.DataFrame:
        """Current enterprise table: uscc, name, region_code, industry_code, register_batch_id."""
        ...

    def enterprise_years(self, columns: list[str]) -> pl.DataFrame:
        """Current enterprise_year values: uscc, year and the given columns."""
        ...


class NoLookups:
    """An empty warehouse: nothing to compare with."""

    def parks(self) -> dict[str, str]:
        return {}

    def enterprises(self) -> pl.DataFrame:
        return pl.DataFrame(
            schema={
                "uscc": pl.Utf8,
                "name": pl.Utf8,
                "region_code": pl.Utf8,
                "industry_code": pl.Utf8,
                "register_batch_id": pl.Int64,
            }
        )

    def enterprise_years(self, columns: list[str]) -> pl.DataFrame:
        schema = {"uscc": pl.Utf8, "year": pl.Int32} | {c: pl.Float64 for c in columns}
        return pl.DataFrame(schema=schema)


@dataclass
class Context:
    spec: SourceSpec
    sheet: RawSheet
    header: HeaderMap
    frame: pl.DataFrame  # __row plus one column per mapped field
    year: int | None = None
    lookups: Lookups = field(default_factory=NoLookups)
    region: str | None = None  # the loading user's region: rows outside it are rejected (R216)
    errors: list[pl.DataFrame] = field(default_factory=lambda: [empty_errors()])
    skipped: dict[str, int] = field(default_factory=dict)

    def add(self, errors: pl.DataFrame) -> None:
        if errors.height:
            self.errors.append(errors)

    def column(self, field_name: str) -> str | None:
        """The header as written for a field, for error locations."""
        col = self.header.columns.get(field_name)
        return col.header if col else None

    def has(self, field_name: str) -> bool:
        return field_name in self.frame.columns

    def all_errors(self) -> pl.DataFrame:
        return pl.concat(self.errors, how="vertical")

    def rejected(self, field_name: str | None = None) -> pl.Expr:
        """True for rows that already have a row error (optionally on one field)."""
        errs = self.all_errors().filter(pl.col("code").is_in(ROW_CODES))
        if field_name is not None:
            errs = errs.filter(pl.col("field") == field_name)
        return pl.col("__row").is_in(errs.get_column("row").unique().implode())
