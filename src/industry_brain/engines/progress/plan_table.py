"""A plan's indicator table imported from Excel (a region adds its own plan without a code change).

The sheet is shaped like the plans' 表1: columns 指标, 单位, 基期值 (as written: "5269", "1.86*"),
目标值 (as written: "10000（力争12000）", ">6000", "8%左右"), 属性 (预期性 / 约束性), and optionally
类别 (一级指标; an empty cell continues the one above, as merged cells do), 方向 and 备注. The
header is found among the first rows by these names. Targets are read by the plan parser
(`targets.check_target`); every cell that cannot be read is reported by row and cell with a code
of the error catalogue, and a table with any such problem gives no plan.

What the table does not say is inferred and shown in the preview: the direction (越低越好 for
"以下" targets and for 下降 / 能耗 / 排放 indicators, 保持稳定 for "保持…", else 越高越好), the
measure (a rate for a % indicator named …增速 / 增长率 / 降幅), the formula (an indicator whose
name and unit match one in formulas.yaml is computed from enterprise data; the others need
entered figures) and the baseline's year (the base year; a baseline marked * is the year
before's, as the plans mark it).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from industry_brain.engines.progress.catalog import (
    ATTRIBUTES,
    DIRECTIONS,
    Plan,
    PlanError,
    PlanIndicator,
    parse_plan,
)
from industry_brain.engines.progress.formulas import FORMULAS, Formula
from industry_brain.engines.progress.monitor import KIND_LABELS
from industry_brain.engines.progress.targets import (
    NUMBER,
    Target,
    TargetError,
    _number,
    check_target,
    normalise,
)
from industry_brain.errors import BrainError

MAX_ROWS = 300  # indicators a plan table may have
HEADER_ROWS = 15  # rows searched for the header
COLUMNS: dict[str, tuple[str, ...]] = {  # field → header names (exact first, then contained)
    "name": ("指标", "指标名称", "具体指标", "二级指标", "主要指标"),
    "unit": ("单位", "计量单位"),
    "baseline": ("基期值", "基期", "基数", "现状值"),
    "target": ("目标值", "目标", "规划目标"),
    "attribute": ("属性", "指标属性"),
    "category": ("类别", "一级指标", "分类", "类型"),
    "direction": ("方向", "指标方向"),
    "note": ("备注", "说明"),
}
REQUIRED = ("name", "unit", "baseline", "target", "attribute")
LABELS = {"name": "指标", "unit": "单位", "baseline": "基期值", "target": "目标值"}
LABELS |= {"attribute": "属性", "category": "类别", "direction": "方向", "note": "备注"}
ATTRIBUTE_OF = {v: k for k, v in ATTRIBUTES.items()} | {"预期": "expected", "约束": "binding"}
DIRECTION_OF = {v: k for k, v in DIRECTIONS.items()}
DIRECTION_OF |= {"正向": "up", "逆向": "down", "上升": "up", "下降": "down", "持平": "maintain"}
DOWN_WORDS = re.compile(r"下降|降低|减少|降幅|能耗|排放|用水量|污染")
RATE_NAME = re.compile(r"(增速|增长率|增长|降幅|降低率)$")


class PlanTableError(PlanError):
    """The uploaded plan table as a whole cannot be read (not a workbook, no header, no rows)."""

    code, title, status = "plan_table_invalid", "规划指标表无法读取", 422


class PlanRowError(PlanTableError):
    """A row of the plan table lacks what an indicator needs (name, unit, attribute)."""

    code, title = "plan_row_invalid", "规划指标行有误"


class BaselineError(PlanTableError):
    """A baseline cell that is not a figure (with an optional * for the year before)."""

    code, title = "baseline_unreadable", "基期值无法读取"


@dataclass
class Problem:
    """What could not be read, where: the sheet's row and cell as Excel shows them."""

    code: str
    title: str
    message: str
    row: int | None = None
    cell: str | None = None
    column: str | None = None
    value: str | None = None

    @classmethod
    def of(cls, exc: BrainError, **where: Any) -> Problem:
        return cls(exc.code, exc.title, exc.message, **where)


@dataclass
class ReadRow:
    """One indicator row as read: the cells, what they were read as, and its problems."""

    row: int
    cells: dict[str, str]
    category: str = ""  # the row's 类别, or the one above it (merged cells)
    indicator: dict[str, Any] | None = None
    read_as: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class PlanTable:
    sheet: str | None
    rows: list[ReadRow]
    problems: list[Problem]  # of the table, and of every row
    plan: Plan | None  # None while any problem remains

    @property
    def ok(self) -> bool:
        return not self.problems and self.plan is not None


def _header(cells: list[list[str]]) -> tuple[int, dict[str, int]] | None:
    """The header row (index) and each field's column, among the first rows."""
    for r, row in enumerate(cells[:HEADER_ROWS]):
        texts = [re.sub(r"\s+", "", c or "") for c in row]
        found: dict[str, int] = {}
        for key, names in COLUMNS.items():
            exact = [i for i, t in enumerate(texts) if t in names and i not in found.values()]
            loose = [
                i
                for i, t in enumerate(texts)
                if t and any(n in t for n in names) and i not in found.values()
            ]
            if exact or loose:
                found[key] = (exact or loose)[0]
        if "name" in found and "target" in found:
            return r, found
    return None


def _formula(name: str, unit: str) -> Formula | None:
    """The formula an indicator is, by its name (规模以上 / 规上 alike) and unit."""
    key = normalise(name).replace("规模以上", "规上")
    for f in FORMULAS.values():
        if normalise(f.title).replace("规模以上", "规上") == key and f.unit == unit.strip():
            return f
    return None


def _baseline(text: str, unit: str, base_year: int) -> tuple[float | None, int | None]:
    """A baseline as written → (value, year); '—' or empty: none. Raises BaselineError."""
    body = normalise(text).replace(",", "").replace("，", "")
    if body in ("", "—", "-", "/", "——"):
        return None, None
    starred = body.endswith("*")
    core = body.rstrip("*")
    match = NUMBER.fullmatch(core.removesuffix("%").removesuffix(unit.strip()))
    if match is None:
        raise BaselineError(
            f"baseline {text!r} is not a figure",
            message=f"基期值“{text}”不是数值：请只填数字（可带单位或%），"
            "上一年的数值在数字后加 *，没有基期值填“—”",
        )
    return _number(match, unit), base_year - 1 if starred else base_year


def _direction(given: str, name: str, target: Target) -> str:
    if given:
        found = DIRECTION_OF.get(given)
        if found is None:
            choices = "、".join(DIRECTIONS.values())
            raise PlanRowError(
                f"unknown direction {given!r}", message=f"方向“{given}”无法识别：应为{choices}"
            )
        return found
    if target.kind == "at_most":
        return "down"
    if "保持" in target.text and target.kind in ("level", "approx"):
        return "maintain"
    return "down" if DOWN_WORDS.search(name + target.text) else "up"


def _cell_label(column: int) -> str:
    label, n = "", column + 1
    while n:
        n, rem = divmod(n - 1, 26)
        label = chr(65 + rem) + label
    return label


def read_rows(
    cells: list[list[str]], first_row: int, first_col: int, base_year: int, target_year: int
) -> tuple[list[ReadRow], list[Problem]]:
    """The indicator rows of a sheet's cells (text), each read or with its problems."""
    header = _header(cells)
    if header is None:
        exc = PlanTableError(
            "no header row with 指标 and 目标值",
            message="未找到表头：表头行应含“指标”“单位”“基期值”“目标值”“属性”等列",
        )
        return [], [Problem.of(exc)]
    at, columns = header
    missing = [LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        exc = PlanTableError(
            f"missing columns {missing}",
            message=f"表头缺少“{'”“'.join(missing)}”列（第{first_row + at}行）",
        )
        return [], [Problem.of(exc, row=first_row + at)]
    rows: list[ReadRow] = []
    category = ""
    seen: dict[str, int] = {}
    for r, line in enumerate(cells[at + 1 :], start=at + 1):
        got = {k: (line[c] if c < len(line) else "") or "" for k, c in columns.items()}
        got = {k: v.strip() for k, v in got.items()}
        if not any(got.values()):
            continue
        category = got.get("category") or category
        number = first_row + r
        read = ReadRow(number, got, category or "主要指标")
        rows.append(read)
        if len(rows) > MAX_ROWS:
            exc = PlanTableError(
                f"more than {MAX_ROWS} rows", message=f"指标超过{MAX_ROWS}行：请只上传指标表"
            )
            return rows[:MAX_ROWS], [Problem.of(exc, row=number)]

        _read_row(
            read,
            got,
            category,
            base_year,
            target_year,
            _locator(got, columns, first_col, number),
            seen,
        )
    if not rows:
        exc = PlanTableError("no indicator rows", message="表头下没有指标行")
        return [], [Problem.of(exc, row=first_row + at)]
    return rows, [p for r in rows for p in r.problems]


def _locator(
    got: dict[str, str], columns: dict[str, int], first_col: int, number: int
) -> Callable[[str], dict[str, Any]]:
    """Where a field's cell is: its row, Excel cell (e.g. D7), column and value."""

    def where(key: str) -> dict[str, Any]:
        cell = f"{_cell_label(first_col + columns[key])}{number}"
        return {"row": number, "cell": cell, "column": LABELS[key], "value": got[key]}

    return where


def _read_row(
    read: ReadRow,
    got: dict[str, str],
    category: str,
    base_year: int,
    target_year: int,
    where: Callable[[str], dict[str, Any]],
    seen: dict[str, int],
) -> None:
    name, unit = got["name"], got["unit"]
    if not name:
        exc = PlanRowError("no indicator name", message="指标名称为空")
        read.problems.append(Problem.of(exc, **where("name")))
    elif name in seen:
        exc = PlanRowError(
            f"indicator {name!r} repeated",
            message=f"指标“{name}”与第{seen[name]}行重复：同一指标只能有一行",
        )
        read.problems.append(Problem.of(exc, **where("name")))
    else:
        seen[name] = read.row
    attribute = ATTRIBUTE_OF.get(got["attribute"].replace(" ", ""))
    if attribute is None:
        exc = PlanRowError(
            f"unknown attribute {got['attribute']!r}",
            message=f"属性“{got['attribute'] or '空'}”无法识别：应为预期性或约束性",
        )
        read.problems.append(Problem.of(exc, **where("attribute")))
    baseline = year = None
    try:
        baseline, year = _baseline(got["baseline"], unit, base_year)
    except BaselineError as exc:
        read.problems.append(Problem.of(exc, **where("baseline")))
    try:
        target = check_target(got["target"], unit)
    except TargetError as exc:
        read.problems.append(Problem.of(exc, **where("target")))
        return
    try:
        direction = _direction(got.get("direction", ""), name, target)
    except PlanRowError as exc:
        read.problems.append(Problem.of(exc, **where("direction")))
        return
    formula = _formula(name, unit)
    rate = unit.strip() == "%" and bool(RATE_NAME.search(name))
    read.read_as = {
        "baseline": "—" if baseline is None else f"{baseline:g}（{year}年）",
        "target": _target_label(target),
        "direction": DIRECTIONS[direction],
        "source": (
            f"由企业数据计算（{formula.population.title}，{formula.title}）"
            if formula and not rate
            else "需录入实际值"
        ),
    }
    if read.problems or attribute is None:
        return
    read.indicator = {
        "id": f"i{len(seen):02d}",
        "category": read.category,
        "name": name,
        "unit": unit,
        "baseline": baseline,
        "baseline_year": year,
        "baseline_as_written": got["baseline"] or None,
        "target_year": target_year,
        "target": got["target"],
        "attribute": attribute,
        "direction": direction,
        "measure": "rate" if rate else "level",
        "price_basis": "current" if "元" in unit else "none",
        "formula": formula.id if formula and not rate else None,
    }


def _target_label(t: Target) -> str:
    """'不低于 6000', '年均增长 8（左右）', '排名（需人工判断）'."""
    if t.value is None:
        return f"{KIND_LABELS[t.kind]}（{t.note}）" if t.note else KIND_LABELS[t.kind]
    text = f"{KIND_LABELS[t.kind]} {t.value:g}"
    if t.stretch is not None:
        text += f"，力争 {t.stretch:g}"
    return text + (f"（{t.note}）" if t.note else "")


def plan_yaml(
    name: str,
    title: str,
    region_code: str,
    issuer: str,
    base_year: int,
    target_year: int,
    file: str,
    sheet: str | None,
    rows: list[ReadRow],
    header: str,
) -> str:
    """The plan's YAML (the packaged plans' format), with a comment saying where it came from."""
    indicators = []
    for r in rows:
        assert r.indicator is not None
        found = {k: v for k, v in r.indicator.items() if not (k == "formula" and v is None)}
        note = r.cells.get("note")
        source = {"file": file, "section": sheet or "", "row": r.row}
        indicators.append(found | {"source": source | ({"quote": note} if note else {})})
    starred = [r for r in rows if r.indicator and r.indicator["baseline_year"] == base_year - 1]
    notes = [f"*为{base_year - 1}年数值"] if starred else []
    data = {
        "plan": name,
        "title": title,
        "issuer": issuer,
        "document": None,
        "region_code": region_code,
        "base_year": base_year,
        "target_year": target_year,
        "source": {"file": file, "section": sheet or ""},
        "notes": notes,
        "indicators": indicators,
    }
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return "".join(f"# {line}\n" for line in header.splitlines()) + text


def read_table(
    path: Path,
    *,
    name: str,
    title: str,
    region_code: str,
    issuer: str,
    base_year: int,
    target_year: int,
    file: str,
    header: str,
    max_unpacked_mb: float,
) -> tuple[PlanTable, str | None]:
    """Read an uploaded plan table (its first sheet with a header) → the table and, when every
    row was read, the plan's YAML text (validated as a plan)."""
    from industry_brain.ingest.problems import FileProblem
    from industry_brain.ingest.read import read_file

    try:
        sheets = read_file(path, max_unpacked_mb=max_unpacked_mb)
    except FileProblem as exc:
        message = f"{exc.error.title}（{exc.error.code}）：请上传 Excel 表格（.xlsx）"
        error = PlanTableError(str(exc), message=message)
        return PlanTable(None, [], [Problem.of(error)], None), None
    chosen = sheets[0]
    rows: list[ReadRow] = []
    problems: list[Problem] = []
    for sheet in sheets:
        cells = [list(r) for r in sheet.cells.iter_rows()]
        rows, problems = read_rows(cells, sheet.first_row, sheet.first_col, base_year, target_year)
        chosen = sheet
        if rows:
            break
    if problems:
        return PlanTable(chosen.sheet, rows, problems, None), None
    text = plan_yaml(
        name, title, region_code, issuer, base_year, target_year, file, chosen.sheet, rows, header
    )
    try:
        plan = parse_plan(text, f"{name}.yaml")
    except PlanError as exc:  # a row the checks above let through: said as a table problem
        error = PlanTableError(str(exc), message=f"规划校验未通过：{exc}")
        return PlanTable(chosen.sheet, rows, [Problem.of(error)], None), None
    return PlanTable(chosen.sheet, rows, [], plan), text


__all__ = ["PlanIndicator", "PlanTable", "Problem", "ReadRow", "read_rows", "read_table"]
