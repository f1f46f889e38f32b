"""A 统一社会信用代码 that Excel stored as a number (R217): an all-digit code typed into a cell
formatted as a number keeps 15 significant digits (913310816972161234 becomes
9.13310816972161E+17), so the enterprise cannot be identified. Read as text the cell looks like
a valid code of 18 digits; only the cell's type tells, so suspects are confirmed against the
workbook. A code found under the same name in the register is suggested, for a person to confirm.
"""

from __future__ import annotations

import json

import polars as pl

from industry_brain.ingest.context import Context
from industry_brain.ingest.problems import row_errors
from industry_brain.ingest.read import RawSheet
from industry_brain.ingest.steps.uscc import uscc_fields
from industry_brain.ingest.vocabulary import normalise

_SCIENTIFIC = r"^\d(?:\.\d+)?E\+?\d{1,2}$"
_DIGITS = r"^\d{15,20}$"


def _exact_double(text: str) -> bool:
    return float(int(text)) == int(text)


def _typed_numbers(sheet: RawSheet, col: int, rows: set[int]) -> set[int]:
    """Rows whose cell in the column is a number cell (xlsx from its XML, xls/ods by calamine)."""
    if sheet.sheet is None:  # csv: a number written as digits cannot be told from text
        return set()
    physical = col + sheet.first_col
    if sheet.file.suffix.lower() in {".xlsx", ".xlsm"}:
        from industry_brain.ingest.xlsx_layout import numeric_cells

        return numeric_cells(sheet.file, sheet.sheet, physical, rows)
    from python_calamine import CalamineWorkbook

    grid = CalamineWorkbook.from_path(str(sheet.file)).get_sheet_by_name(sheet.sheet)
    values = grid.to_python(skip_empty_area=False)
    return {
        r for r in rows if r - 1 < len(values) and isinstance(values[r - 1][physical], float | int)
    }


def _suggestions(ctx: Context, rows: pl.DataFrame, name: str) -> dict[int, str]:
    """Under the row's own name for the code ('uscc' → 'name', 'seller_uscc' → 'seller_name')."""
    if not ctx.has(name):
        return {}
    known = ctx.lookups.enterprises().select("uscc", "name").drop_nulls()
    by_name: dict[str, list[str]] = {}
    for code, name in known.iter_rows():
        by_name.setdefault(normalise(name), []).append(code)
    out = {}
    for row, text in rows.select("__row", name).iter_rows():
        codes = by_name.get(normalise(text or ""), [])
        if len(codes) == 1:
            out[row] = f" (the register has {codes[0]} under the same name: please confirm)"
    return out


def check_uscc_number(ctx: Context) -> None:
    for name in uscc_fields(ctx):
        _check(ctx, name)


def _check(ctx: Context, name: str) -> None:
    code = pl.col(name)
    scientific = ctx.frame.filter(code.str.contains(_SCIENTIFIC))
    digits = ctx.frame.filter(code.str.contains(_DIGITS))
    doubles = {r for r, v in digits.select("__row", name).iter_rows() if _exact_double(v)}
    column = ctx.header.columns[name].index
    typed = _typed_numbers(ctx.sheet, column, doubles) if doubles else set()
    found = pl.concat([scientific, digits.filter(pl.col("__row").is_in(list(typed)))])
    if found.height == 0:
        return
    hints = _suggestions(ctx, found, name.replace("uscc", "name"))
    extra = pl.col("__row").replace_strict(
        {r: json.dumps({"suggestion": h}, ensure_ascii=False) for r, h in hints.items()},
        default='{"suggestion": ""}',
        return_dtype=pl.Utf8,
    )
    shown = pl.when(code.str.contains(_SCIENTIFIC)).then(code).otherwise(_as_excel_shows(code))
    ctx.add(row_errors("uscc-number", found, name, ctx.column(name), shown, extra))


def _as_excel_shows(code: pl.Expr) -> pl.Expr:
    """The digits Excel kept: the first 15, then zeros."""
    return code.map_elements(lambda v: v[:15] + "0" * (len(v) - 15), return_dtype=pl.Utf8)
