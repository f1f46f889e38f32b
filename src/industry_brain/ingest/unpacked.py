"""A workbook that is a zip (xlsx, xlsm, xlsb, ods) is judged on its central directory before
any sheet is read: it must have the parts a workbook has, and what its entries declare they
unpack to must stay under `max_unpacked_mb`. A 2.6 MB xlsx that unpacks to 663 MB took the
reader 82 s and 8 GB; refused here, it costs the reading of the directory (milliseconds).

An .xls is an OLE file, not a zip: its size is bounded by the upload limit and its format (at
most 65,536 rows of 256 columns)."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from industry_brain.ingest.problems import FileProblem
from industry_brain.settings import BY_NAME

MB = 1 << 20
DEFAULT_LIMIT_MB: float = BY_NAME["max_unpacked_mb"].default
REQUIRED_PART = {
    ".xlsx": "[Content_Types].xml",
    ".xlsm": "[Content_Types].xml",
    ".xlsb": "[Content_Types].xml",
    ".ods": "content.xml",
}


@dataclass(frozen=True, slots=True)
class Sizes:
    packed: int  # bytes of the file
    unpacked: int  # bytes its entries declare

    @property
    def ratio(self) -> float:
        return self.unpacked / max(self.packed, 1)


def declared_sizes(path: Path) -> Sizes:
    """The file's size and the sum of its entries' declared sizes; F101 when it is not a zip
    or lacks the part every workbook of its type has."""
    suffix = path.suffix.lower()
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        detail = f"not a valid {suffix} workbook (it should be a zip): {exc}"
        raise FileProblem("file-unreadable", detail=detail) from None
    part = REQUIRED_PART[suffix]
    if part not in {e.filename for e in entries}:
        detail = f"not a {suffix} workbook: the zip has no {part}"
        raise FileProblem("file-unreadable", detail=detail)
    return Sizes(path.stat().st_size, sum(e.file_size for e in entries))


def check_unpacked(path: Path, limit_mb: float = DEFAULT_LIMIT_MB) -> None:
    """Refuse (F111) a zipped workbook that declares more than `limit_mb` unpacked; other
    files pass unchecked."""
    if path.suffix.lower() not in REQUIRED_PART:
        return
    sizes = declared_sizes(path)
    if sizes.unpacked > limit_mb * MB:
        raise FileProblem(
            "too-large-unpacked",
            unpacked=f"{sizes.unpacked / MB:,.0f}",
            packed=_megabytes(sizes.packed),
            ratio=f"{sizes.ratio:,.0f}",
            limit=f"{limit_mb:,.0f}",
        )


def _megabytes(size: int) -> str:
    """'2.6', '53.3', and for a small file its first digits ('0.0049')."""
    return f"{size / MB:,.1f}" if size >= MB // 10 else f"{size / MB:.2g}"
