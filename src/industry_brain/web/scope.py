"""Who may see what: a user's role and region scope, applied to every query.

Roles: `province`, `city` and `county` analysts see every enterprise located in their region
(and its parks); an `enterprise` user sees only its own enterprise (by 统一社会信用代码). Region
codes nest by prefix: 330000 ⊃ 331000 ⊃ 331003 ⊃ 331003101 (a park).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import ibis
import polars as pl

from industry_brain.reference.regions import in_region, region_prefix

Role = Literal["province", "city", "county", "enterprise"]
ROLES: dict[str, str] = {
    "province": "省级分析员",
    "city": "市级分析员",
    "county": "县级分析员",
    "enterprise": "企业用户",
}


@dataclass(frozen=True, slots=True)
class Scope:
    username: str
    role: Role
    region_code: str
    uscc: str | None = None

    @property
    def is_enterprise(self) -> bool:
        return self.role == "enterprise"

    def allows_region(self, code: str) -> bool:
        """A region page or figure: the region must lie inside the user's region."""
        if self.is_enterprise:
            return False
        return in_region(code, self.region_code)

    def overlaps(self, code: str) -> bool:
        """A run or plan of a region containing or inside the user's region (its results are
        then filtered to the user's region)."""
        if self.is_enterprise:
            return False
        mine, theirs = region_prefix(self.region_code), region_prefix(code)
        return mine.startswith(theirs) or theirs.startswith(mine)

    def allows_enterprise(self, uscc: str, region_code: str | None) -> bool:
        if self.is_enterprise:
            return uscc == self.uscc
        return region_code is not None and in_region(region_code, self.region_code)

    def filter(self, t: ibis.Table, column: str = "region_code") -> ibis.Table:
        """Rows of an enterprise-level table this user may see."""
        if self.is_enterprise:
            return t.filter(t.uscc == (self.uscc or ""))
        return t.filter(in_region(t[column], self.region_code))

    def inside(self, column: str = "region_code") -> pl.Expr:
        """The same rule as `filter`, for a polars frame."""
        if self.is_enterprise:
            return pl.col("uscc") == (self.uscc or "")
        return in_region(pl.col(column), self.region_code)
