"""Bounded request parameters: an id, a year, a page or an index out of range is a 422 with its
reason, never a number too large for the warehouse (a 500). The bounds are in the OpenAPI schema."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_ID = 2**31 - 1

RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="A run's number.")]
PublicationName = Annotated[
    str, Path(pattern="^[a-z_]{1,40}$", description="A publication of a run, e.g. lists.")
]
BatchId = Annotated[int, Path(ge=1, le=MAX_ID, description="A batch's number.")]
AppealId = Annotated[int, Path(ge=1, le=MAX_ID, description="An appeal's number.")]
Index = Annotated[int, Path(ge=0, le=999, description="A file's place in an upload.")]
Year = Annotated[int, Query(ge=1949, le=2100, description="A calendar year.")]
MaybeYear = Annotated[int | None, Query(ge=1949, le=2100, description="A calendar year.")]
Page = Annotated[int, Query(ge=0, le=1_000_000, description="Page number, from 0.")]
JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="A job's number.")]
