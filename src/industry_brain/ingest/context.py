"""The validation context that the pipeline's steps read and extend."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import polars as pl

from industry_brain.ingest.errors import CATALOGUE
from industry_brain.ingest.headers import Column, HeaderMap
from industry_brain.ingest.problems import FileProblem, empty_errors
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.spec import Field, SourceSpec

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


@dataclass(frozen=True)
class Scope:
    """The plan a load is for, when its spec is loaded for one (`SourceSpec.scope`): what the
    steps check rows against, and the name its batch records."""

    name: str  # the plan's id, recorded on the batch
    indicators: dict[str, str]  # id or Chinese name → id
    years: tuple[int, int]  # the first and last year a row may give
    region_code: str  # the region of a row that names none


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
    scope: Scope | None = None  # the plan the rows are entered for (a scoped spec)
    errors: list[pl.DataFrame] = field(default_factory=lambda: [empty_errors()])
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[FileProblem] = field(default_factory=list)  # found by a step: the file fails
    notices: list[FileProblem] = field(default_factory=list)  # file-level warnings

    def add(self, errors: pl.DataFrame) -> None:
        if errors.height:
            self.errors.append(errors)

    def column(self, name: str) -> str | None:
        """The header as written for a frame column (a field, or a part 'field@3'), for error
        locations."""
        col = self.header.columns.get(name)
        if col is None:  # a field given only in parts: its first part's column
            col = next((c for c in self.header.columns.values() if c.field == name), None)
        return col.header if col else None

    def has(self, field_name: str) -> bool:
        return field_name in self.frame.columns

    def parts_of(self, field_name: str) -> list[Column]:
        """The wide columns of a field (one per month or pollutant), in file order."""
        return [c for c in self.header.columns.values() if c.field == field_name and c.part]

    def number_columns(self) -> list[tuple[str, Field]]:
        """Every number column in the frame with its field, the wide parts included."""
        out = []
        for name, c in self.header.columns.items():
            f = self.spec.field(c.field)
            if f.type == "number" and name in self.frame.columns:
                out.append((name, f))
        return out

    def all_errors(self) -> pl.DataFrame:
        return pl.concat(self.errors, how="vertical")

    def rejected(self, field_name: str | None = None) -> pl.Expr:
        """True for rows that already have a row error (optionally on one field)."""
        errs = self.all_errors().filter(pl.col("code").is_in(ROW_CODES))
        if field_name is not None:
            errs = errs.filter(pl.col("field") == field_name)
        return pl.col("__row").is_in(errs.get_column("row").unique().implode())
