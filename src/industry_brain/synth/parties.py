"""The parties that sell to the city's enterprises: the city's own firms, firms of other
Zhejiang counties, firms in other provinces (their USCC names their region) and firms abroad
(no USCC). Each with the place a supplier survey writes for it (台州市黄岩区, 宁波市鄞州区,
江苏省苏州市, 进口 …)."""

from __future__ import annotations

import numpy as np
import polars as pl

from industry_brain.reference import regions
from industry_brain.synth.clusters import OUTSIDE_WORDS
from industry_brain.synth.geography import county_short, outside_counties
from industry_brain.synth.identity import TRADE_CHARS, names, registration_dates, usccs
from industry_brain.synth.industries import PROFILES
from industry_brain.synth.rng import stream
from industry_brain.synth.trade import inputs

# Other provinces' counties (the USCC's region) and the place a survey writes for them.
FAR = (
    ("320583", "江苏省苏州市"), ("320211", "江苏省无锡市"), ("320412", "江苏省常州市"),
    ("310115", "上海市"), ("440306", "广东省深圳市"), ("370211", "山东省青岛市"),
    ("350206", "福建省厦门市"), ("340104", "安徽省合肥市"), ("420106", "湖北省武汉市"),
)  # fmt: skip
ABROAD = (("日本", "株式会社", "进口"), ("德国", "有限公司", "境外"), ("韩国", "株式会社", "韩国"),
          ("意大利", "公司", "进口"), ("美国", "公司", "境外"))  # fmt: skip
COLUMNS = {
    "uscc": pl.String,
    "name": pl.String,
    "region_code": pl.String,  # a 6-digit code, `abroad`
    "place": pl.String,  # as a survey writes it
    "industry_code": pl.String,
    "kind": pl.String,  # local, zhejiang, far, abroad
}


def words(code: str) -> tuple[str, ...]:
    return PROFILES[code].words if code in PROFILES else OUTSIDE_WORDS[code]


def _place(code: str) -> str:
    county = regions().get(code)
    return regions().get(county.parent_code or code).name + county.name


def outside_firms(seed: int, scale: float, taken: set[str]) -> pl.DataFrame:
    """Suppliers in other Zhejiang counties, at least four of every input class."""
    rng = stream(seed, "outside")
    codes = inputs()
    n = max(4 * len(codes), round(1200 * scale))
    industry = np.array([codes[i % len(codes)] for i in range(n)], dtype=object)
    region = rng.choice(np.array(outside_counties(), dtype=object), n)
    registered = registration_dates(rng, np.full(n, 2019), rng.normal(0, 1, n))
    prefixes = [county_short(c) for c in region]
    return pl.DataFrame(
        {
            "uscc": usccs(rng, list(region), registered),
            "name": names(rng, prefixes, [words(c) for c in industry], np.zeros(n, bool), taken),
            "region_code": region.astype(str),
            "industry_code": industry.astype(str),
        }
    )


def far_firms(seed: int, taken: set[str]) -> pl.DataFrame:
    """Four suppliers in other provinces and two abroad of every input class."""
    rng = stream(seed, "far")
    codes = inputs()
    n = 4 * len(codes)
    industry = [codes[i % len(codes)] for i in range(n)]
    far = [FAR[int(i)] for i in rng.integers(0, len(FAR), n)]
    registered = registration_dates(rng, np.full(n, 2019), rng.normal(0, 1, n))
    short = [p.removesuffix("市")[-2:] for _, p in far]
    domestic = pl.DataFrame(
        {
            "uscc": usccs(rng, [c for c, _ in far], registered),
            "name": names(rng, short, [words(c) for c in industry], np.zeros(n, bool), taken),
            "region_code": [c for c, _ in far],
            "place": [p for _, p in far],
            "industry_code": industry,
            "kind": "far",
        },
        schema=COLUMNS,
    )
    abroad = [ABROAD[int(i)] for i in rng.integers(0, len(ABROAD), 2 * len(codes))]
    chars = rng.integers(0, len(TRADE_CHARS), (len(abroad), 2))
    foreign = pl.DataFrame(
        {
            "uscc": None,
            "name": [
                f"{country}{TRADE_CHARS[a]}{TRADE_CHARS[b]}{words(c)[0]}{suffix}"
                for (country, suffix, _), (a, b), c in zip(abroad, chars, codes * 2, strict=True)
            ],
            "region_code": "abroad",
            "place": [p for _, _, p in abroad],
            "industry_code": codes * 2,
            "kind": "abroad",
        },
        schema=COLUMNS,
    )
    return pl.concat([domestic, foreign.unique("name", keep="first", maintain_order=True)])


def parties(local: pl.DataFrame, zhejiang: pl.DataFrame, far: pl.DataFrame) -> pl.DataFrame:
    """Every party, local firms first (in the panel's order), then Zhejiang's, then the far."""
    places = {c: _place(c) for c in {*local["region_code"], *zhejiang["region_code"]}}
    near = [
        frame.select("uscc", "name", "region_code", "industry_code").with_columns(
            pl.col("region_code").replace_strict(places).alias("place"), pl.lit(kind).alias("kind")
        )
        for frame, kind in ((local, "local"), (zhejiang, "zhejiang"))
    ]
    return pl.concat([*(f.select(list(COLUMNS)) for f in near), far.select(list(COLUMNS))])
