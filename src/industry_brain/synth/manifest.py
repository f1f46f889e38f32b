"""The manifest of a synthetic city: what was written, the calibration, every fault."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str  # relative to the city directory, posix style
    source: str  # register, statistics, tax, land, electricity, emissions, trade, truth, parks
    year: int | None = None
    # data rows; for department files every row below the header block: the data rows
    # (injected copies included) and the 合计/小计, blank and 填表人/注 rows under them
    rows: int
    format: str  # xlsx, xls, csv, parquet, yaml
    sheet: str | None = None
    header_row: int | None = None  # 1-based row (line) of the last header row
    header_rows: int | None = None  # rows in the header block (parents merged over children)
    data_row: int | None = None  # 1-based row (line) of the first data row
    year_column: bool | None = None  # False: give the year when loading
    encoding: str | None = None
    county: str | None = None  # a file of one county's enterprises (its region code)
    faulty: bool = False  # a whole-file failure kept apart under faulty/


class FaultEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    code: str  # the ingest error code the fault must produce
    file: str
    sheet: str | None  # None for csv
    row: int  # Excel row number, or csv line number (first line = 1)
    column: str  # the column as the reader names it: its header cell, or 'parent › child'
    value: str | float | int | None  # the cell as written ("" when blank)
    uscc: str | None = None  # the true code of the enterprise the row describes
    field: str | None = None  # glossary field of the column


class CountEntry(BaseModel):
    above_scale: int
    below_scale: int


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generator: str = "industry_brain.synth"
    seed: int
    scale: float
    years: list[int]
    counts: dict[str, dict[str, CountEntry]]  # year → county code → counts
    files: list[FileEntry]
    targets: dict[str, float]  # TAIZHOU_2020 at this scale
    calibration: dict[str, float]  # the 2020 figures achieved (truth)
    fault_rates: dict[str, float]
    faults: list[FaultEntry]  # injected
    inherent_issues: list[FaultEntry]  # defects of the department data itself (tax "—")

    def write(self, path: Path) -> None:
        Path(path).write_text(self.model_dump_json(indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls.model_validate_json(Path(path).read_text(encoding="utf-8"))

    def file(self, source: str, year: int | None = None) -> FileEntry:
        """The source's file of a year (the first, in a year delivered per county)."""
        return self.files_for(source, year)[0]

    def files_for(self, source: str, year: int | None = None) -> list[FileEntry]:
        """Every sound file of a source and year (one per county in some years)."""
        found = [f for f in self.files if f.source == source and f.year == year and not f.faulty]
        if not found:
            raise KeyError(f"no {source} file for {year}")
        return found
