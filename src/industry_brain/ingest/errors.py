"""The ingest error catalogue: each error has a stable code, a name, a title and a template.

Severity decides what happens: a `file` error fails the whole batch, a `row` error rejects the
row, a `warning` loads the row and records the remark. Codes never change meaning; retired codes
are not reused. `docs/ingest.md` is generated from this catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["file", "row", "warning"]


OPTIONAL = {"suggestion": "", "in_unit": ""}  # details a template may show when a step gives them


@dataclass(frozen=True, slots=True)
class ErrorType:
    code: str
    name: str
    severity: Severity
    title: str  # Chinese, shown to analysts
    template: str  # English message template, formatted with the error's details
    description: str

    def format(self, **details: object) -> str:
        return self.template.format(**(OPTIONAL | details))


CATALOGUE: tuple[ErrorType, ...] = (
    # File errors: the batch fails and nothing is loaded.
    ErrorType(
        "F101",
        "file-unreadable",
        "file",
        "文件无法读取",
        "cannot read the file: {detail}",
        "The file is missing, damaged, or not a supported format (xlsx, csv, parquet).",
    ),
    ErrorType(
        "F102",
        "encoding-error",
        "file",
        "文件编码无法识别",
        "the CSV is neither UTF-8 nor GB18030/GBK: {detail}",
        "A CSV file must be UTF-8 (with or without BOM) or GBK/GB18030.",
    ),
    ErrorType(
        "F103",
        "header-not-found",
        "file",
        "未找到表头行",
        "no header row in the first {rows} rows of sheet {sheet!r} matches the "
        "{source} ({title}) headers (e.g. {expected})",
        "No row near the top of the sheet names the source's key columns.",
    ),
    ErrorType(
        "F104",
        "missing-column",
        "file",
        "缺少必填列",
        "required column {title} ({field}) is missing{suggestion}",
        "A required field has no column; the closest header in the file is suggested.",
    ),
    ErrorType(
        "F105",
        "year-missing",
        "file",
        "缺少年度",
        "the file has no year column; give the year with --year",
        "Yearly sources need a year column or an explicit year.",
    ),
    ErrorType(
        "F106",
        "unit-mismatch",
        "file",
        "计量单位与字段不符",
        "column {column!r} declares unit {unit!r}, which is not a {dimension} unit",
        "A header's unit (in brackets) does not fit the field, e.g. 营业收入（亩）.",
    ),
    ErrorType(
        "F107",
        "too-many-rejected",
        "file",
        "拒收行过多",
        "{rejected} of {rows} rows rejected ({share:.1%}), above the limit of {limit:.0%}",
        "So many rows are rejected that the file is probably the wrong one.",
    ),
    ErrorType(
        "F108",
        "empty-file",
        "file",
        "文件没有数据行",
        "the sheet has a header but no data rows",
        "The file contains no data below its header.",
    ),
    ErrorType(
        "F109",
        "duplicate-column",
        "file",
        "重复的列",
        "columns {columns} both map to {field}",
        "Two columns of the file map to the same field.",
    ),
    ErrorType(
        "F110",
        "unit-implausible",
        "file",
        "计量单位疑似错误",
        "column {column!r} declares no unit and its values read as {unit} are implausible "
        "(median {median}); they fit {likely}: declare the unit in the header",
        "No unit is written anywhere for a column and its values only make sense in another "
        "unit (元 read as 万元): the file is refused rather than loaded 10,000 times too large.",
    ),
    ErrorType(
        "F111",
        "too-large-unpacked",
        "file",
        "文件解压后过大",
        "the workbook unpacks to {unpacked} MB ({ratio}× its {packed} MB), more than the limit "
        "of {limit} MB: split it or save it as CSV",
        "An xlsx (a zip) whose parts declare more unpacked data than `max_unpacked_mb`: refused "
        "from the zip's directory, before any sheet is read (a few MB can unpack to gigabytes).",
    ),
    ErrorType(
        "F112",
        "sheet-too-large",
        "file",
        "工作表范围过大",
        "sheet {sheet!r} spans {rows} rows by {columns} columns, more than {limit} cells: "
        "delete the stray cells far from the data, or save it as CSV",
        "The reader builds a sheet as one block from A1 to its last cell: a small file with one "
        "cell in XFD1048576 would ask for billions of cells. Refused before the sheet is read.",
    ),
    # Row errors: the row is rejected and reported.
    ErrorType(
        "R201",
        "uscc-missing",
        "row",
        "统一社会信用代码为空",
        "the 统一社会信用代码 is empty",
        "Every row needs the enterprise's 统一社会信用代码.",
    ),
    ErrorType(
        "R202",
        "uscc-format",
        "row",
        "统一社会信用代码格式错误",
        "{value!r} is not an 18-character 统一社会信用代码 ({detail})",
        "GB 32100-2015: 18 characters from 0-9 and A-Z without I, O, S, V, Z.",
    ),
    ErrorType(
        "R203",
        "uscc-check-digit",
        "row",
        "统一社会信用代码校验位错误",
        "the check digit of {value} is {actual!r} but should be {expected!r}",
        "The 18th character does not match the mod-31 check digit of the first 17.",
    ),
    ErrorType(
        "R204",
        "unknown-region",
        "row",
        "行政区划代码无效",
        "{value!r} is not a known region code or name{suggestion}",
        "Neither a GB/T 2260 code nor a county name in the reference data.",
    ),
    ErrorType(
        "R205",
        "unknown-industry",
        "row",
        "行业代码无效",
        "{value!r} is not a GB/T 4754-2017 industry code{suggestion}",
        "The code is not in GB/T 4754-2017 (divisions, groups or classes).",
    ),
    ErrorType(
        "R206",
        "not-a-number",
        "row",
        "数值格式错误",
        "{value!r} in {field} is not a number",
        "A number field holds text that is not a number (after removing separators).",
    ),
    ErrorType(
        "R207",
        "impossible-value",
        "row",
        "数值不合理",
        "{field} = {value}{in_unit} {reason}",
        "A value outside its field's possible range, or an inconsistent ratio.",
    ),
    ErrorType(
        "R208",
        "unit-anomaly",
        "row",
        "疑似计量单位错误",
        "{field} = {value} looks like it is in {likely} rather than {unit} ({reason})",
        "A value off by a unit factor (元 vs 万元, 平方米 vs 亩): fixed by the "
        "department, not guessed by us.",
    ),
    ErrorType(
        "R209",
        "duplicate-row",
        "row",
        "重复记录",
        "the same {key} already appears in row {first}; this copy is not loaded",
        "An exact repeat of an earlier row; the first copy is loaded.",
    ),
    ErrorType(
        "R210",
        "duplicate-conflict",
        "row",
        "重复记录且数值冲突",
        "{key} appears in rows {rows} with different values here; none is loaded",
        "The same key with different values in one file: the department must decide.",
    ),
    ErrorType(
        "R211",
        "value-missing",
        "row",
        "必填值为空",
        "{field} ({title}) is empty",
        "A required field is empty or a placeholder such as — or /.",
    ),
    ErrorType(
        "R212",
        "bad-date",
        "row",
        "日期格式错误",
        "{value!r} in {field} is not a date",
        "Dates are read as YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY年M月D日 or Excel dates.",
    ),
    ErrorType(
        "R213",
        "bad-choice",
        "row",
        "取值不在允许范围",
        "{value!r} in {field} is not one of {choices}",
        "A flag or category value that the spec does not list.",
    ),
    ErrorType(
        "R214",
        "year-mismatch",
        "row",
        "年度不一致",
        "the row's year {value} differs from the batch year {year}",
        "A row of another year in a file loaded for one year.",
    ),
    ErrorType(
        "R215",
        "unknown-indicator",
        "row",
        "指标不在规划中",
        "{value!r} is not an indicator of plan {plan}{suggestion}",
        "An entered plan actual names an indicator (id or Chinese name) the plan does not have.",
    ),
    ErrorType(
        "R216",
        "outside-region",
        "row",
        "企业不在本级管辖范围",
        "{value} is outside your region {region}: the enterprise is {where}",
        "A user loads only enterprises located in their own region (by the register, else by the "
        "row's region); a row of another county, or of an enterprise not yet registered, is "
        "left to the level that covers it.",
    ),
    ErrorType(
        "R217",
        "uscc-number",
        "row",
        "统一社会信用代码被存成数字",
        "{value} was stored as a number, so Excel kept only its first 15 digits{suggestion}",
        "An all-digit 统一社会信用代码 typed into a cell formatted as a number: Excel keeps 15 "
        "significant digits and the rest is lost. The department must format the column as text "
        "and export again; a code found under the same name elsewhere is suggested.",
    ),
    ErrorType(
        "R218",
        "total-mismatch",
        "row",
        "月度数据与合计不符",
        "the months add up to {sum} but the total column says {value}",
        "A wide file gives twelve months and a total that disagree (by more than 0.1%).",
    ),
    ErrorType(
        "R219",
        "seller-missing",
        "row",
        "供应商不明",
        "neither {other} nor {title} is given: the seller is unknown",
        "A purchase must name its seller: by its 统一社会信用代码 (纳税人识别号), or by its "
        "name when it has none (an importer, a supplier abroad).",
    ),
    ErrorType(
        "R220",
        "buyer-not-uscc",
        "row",
        "购方不是企业",
        "the buyer {value!r} is not an enterprise's 统一社会信用代码 ({detail}): only purchases "
        "of enterprises are loaded",
        "The buyer of a purchase must be an enterprise with a valid 18-character 统一社会信用代码: "
        "an ID card number (a person), an old 15- or 20-character 纳税人识别号 or a code with a "
        "wrong character or check digit is not one.",
    ),
    ErrorType(
        "R221",
        "unknown-place",
        "row",
        "地名无法识别",
        "{value!r} in {field} is neither a GB/T 2260 code nor a place (province, city, county, "
        "or 境外/进口 for abroad)",
        "Where a supplier is: a region code, a province, city or county name (浙江省宁波市, "
        "江苏省苏州市), or 境外/进口 for a supplier abroad.",
    ),
    ErrorType(
        "R222",
        "net-not-positive",
        "row",
        "冲减后金额不为正",
        "{key}: the amounts of rows {rows} net to {net} 万元, not a purchase; none is loaded",
        "Red-letter invoices (negative amounts) are netted against the invoices of the same "
        "buyer, seller and product; a net that is zero or negative is no purchase: the "
        "department must check the rows.",
    ),
    # Warnings: the row is loaded, the remark is kept.
    ErrorType(
        "W301",
        "uscc-normalised",
        "warning",
        "统一社会信用代码已规范化",
        "{value!r} was read as {normalised}",
        "Spaces, lower case or full-width characters removed from the code.",
    ),
    ErrorType(
        "W302",
        "source-conflict",
        "warning",
        "与其他来源数据不一致",
        "{field} is {value!r} here but {other!r} in {other_source} (batch {batch}); {kept} is kept",
        "The same enterprise has a different name, region or industry in another source.",
    ),
    ErrorType(
        "W303",
        "unknown-park",
        "warning",
        "园区名称未登记",
        "park {value!r} is not configured for this workspace{suggestion}; left empty",
        "A park name that the workspace's park list does not have.",
    ),
    ErrorType(
        "W304",
        "column-uncertain",
        "warning",
        "列无法确定对应字段",
        "column {label} {column!r} was not read: it resembles {candidates}",
        "A header that resembles a field but not closely enough to be placed without a person: "
        "map it once on the import page (saved mapping) if it is that field.",
    ),
    ErrorType(
        "W305",
        "months-incomplete",
        "warning",
        "月度数据不全",
        "{title}: {count} of 12 months given (missing {missing}); the year is their sum",
        "A wide monthly file with blank months and no total column: the figure is the sum of "
        "the months reported, which may be short of the year.",
    ),
    ErrorType(
        "W306",
        "lessor-unknown",
        "warning",
        "出租方无法识别",
        "parcel {value} is leased but its lessor is neither named nor the owner of a parcel of "
        "the same number in this file: the lessor's land may be counted twice",
        "A leased parcel is deducted from its lessor's land; when the lessor cannot be found the "
        "area may be counted twice in totals.",
    ),
)

BY_CODE: dict[str, ErrorType] = {e.code: e for e in CATALOGUE}
BY_NAME: dict[str, ErrorType] = {e.name: e for e in CATALOGUE}


def error_type(name: str) -> ErrorType:
    """Look up by name ('uscc-check-digit') or code ('R203')."""
    found = BY_NAME.get(name) or BY_CODE.get(name)
    if found is None:
        from industry_brain.suggest import did_you_mean

        raise KeyError(f"unknown error {name!r}{did_you_mean(name, BY_NAME)}")
    return found
