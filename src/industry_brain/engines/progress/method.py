"""The progress method's settings and arithmetic (docs/monitoring.md has the formulas).

Default thresholds are Open SDG's (Statistics Canada): R ≥ 0.95 on track, 0.6 ≤ R < 0.95 needs
acceleration, 0 ≤ R < 0.6 limited, R < 0 deterioration, where R is the ratio of the actual to the
required annual change with an explicit direction. A method file (YAML) may change any of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from industry_brain.errors import BrainError
from industry_brain.suggest import did_you_mean

Status = Literal[
    "achieved", "on_track", "needs_acceleration", "limited", "deterioration", "not_assessable"
]
STATUS_LABELS: dict[str, str] = {
    "achieved": "已达标",
    "on_track": "进展顺利",
    "needs_acceleration": "需加快",
    "limited": "进展缓慢",
    "deterioration": "逆向变化",
    "not_assessable": "无法自动评估",
}
VERDICT_LABELS = {
    "met": "完成",
    "expected": "预计完成",
    "unlikely": "难以完成",
    "unpublished": "未公布",
}


class MethodError(BrainError, ValueError):
    code, title, status = "monitoring_method_invalid", "监测方法文件有误", 422


class ProgressMethod(BaseModel):
    """Thresholds and tolerances of the progress method."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    on_track: float = 0.95  # R at or above: on track
    needs_acceleration: float = 0.6  # R at or above (below on_track): needs acceleration
    limited: float = 0.0  # R at or above (below needs_acceleration): limited; below: deterioration
    approx_tolerance: float = 0.03  # "x左右" is met within this share of x
    maintain_tolerance: float = 0.03  # a maintain target is held within this share of x

    def status(self, ratio: float) -> Status:
        if ratio >= self.on_track:
            return "on_track"
        if ratio >= self.needs_acceleration:
            return "needs_acceleration"
        if ratio >= self.limited:
            return "limited"
        return "deterioration"


DEFAULT = ProgressMethod()


def load_method(path: Path | None) -> ProgressMethod:
    """The default method, or one read from a YAML file (unknown keys name the closest)."""
    if path is None:
        return DEFAULT
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return ProgressMethod.model_validate(data)
    except ValidationError as exc:
        fields = list(ProgressMethod.model_fields)
        parts = [
            f"{e['loc'][0]}: "
            + (
                "unknown key" + did_you_mean(str(e["loc"][0]), fields)
                if e["type"] == "extra_forbidden"
                else e["msg"]
            )
            for e in exc.errors()
        ]
        raise MethodError(f"{path}: " + "; ".join(parts)) from None


def annual_rate(start: float, end: float, years: int) -> float | None:
    """Compound annual growth (a share) from start to end; None when either is not positive."""
    if start <= 0 or end <= 0 or years <= 0:
        return None
    return float((end / start) ** (1 / years) - 1)


def compound(rates_pct: list[float], decline: bool) -> float:
    """The cumulative change (a share) of yearly changes in %: growth, or decline when asked."""
    acc = 1.0
    for r in rates_pct:
        acc *= 1 - r / 100 if decline else 1 + r / 100
    return 1 - acc if decline else acc - 1


def per_year(cumulative: float, years: int, decline: bool) -> float:
    """The constant yearly change (a share) that compounds to `cumulative` over `years`."""
    if years <= 0:
        return 0.0
    base = 1 - cumulative if decline else 1 + cumulative
    if base <= 0:
        return 1.0 if decline else -1.0
    step = base ** (1 / years)
    return float(1 - step if decline else step - 1)
