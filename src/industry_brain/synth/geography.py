"""Counties, parks (园区) and addresses of the synthetic Taizhou."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from industry_brain.reference import regions
from industry_brain.reference.regions import short_name
from industry_brain.synth.clusters import COUNTIES

CITY = "331000"
PROVINCE = "330000"
IN_PARK = 0.78  # share of enterprises located in a park


@dataclass(frozen=True, slots=True)
class Park:
    code: str  # county code + 3 digits
    name: str
    county_code: str
    focus: tuple[str, ...]  # clusters that settle here preferentially
    weight: float  # relative size


# County → (name, relative size, focus clusters); codes are assigned in order: 101, 102, ...
_PARKS: dict[str, list[tuple[str, float, tuple[str, ...]]]] = {
    "331002": [
        ("椒江经济开发区", 3, ("缝制设备", "智能马桶卫浴")),
        ("椒江外沙岩头医化园区", 1.5, ("医药化工",)),
        ("椒江洪家小微企业园", 1, ()),
        ("椒江三甲工业园区", 1, ()),
    ],
    "331003": [
        ("黄岩经济开发区", 3, ("模具", "塑料制品")),
        ("黄岩江口小微企业园", 1.5, ("模具",)),
        ("黄岩新前模具小微企业园", 1, ("模具",)),
        ("黄岩北城工业园区", 1.2, ()),
    ],
    "331004": [
        ("路桥汽车产业园", 2.5, ("汽车及零部件",)),
        ("路桥金清工业园区", 1.5, ("汽摩配及电动车",)),
        ("路桥峰江小微企业园", 1, ()),
        ("路桥滨海工业区", 1.2, ()),
    ],
    "331022": [
        ("三门经济开发区", 2, ("橡胶",)),
        ("三门珠岙橡胶小微企业园", 1, ("橡胶",)),
    ],
    "331023": [
        ("天台经济开发区", 2, ("汽车用品",)),
        ("天台苍山产业集聚区", 1.2, ("橡胶",)),
        ("天台平桥小微企业园", 1, ()),
    ],
    "331024": [
        ("仙居经济开发区", 2, ("工艺品",)),
        ("仙居现代医化园区", 1.2, ("医药化工",)),
        ("仙居福应小微企业园", 0.8, ()),
    ],
    "331081": [
        ("温岭经济开发区", 3, ("泵与电机",)),
        ("温岭东部新区", 2, ("机床工具", "汽车及零部件")),
        ("温岭泽国小微企业园", 1.2, ("泵与电机",)),
        ("温岭大溪工业园区", 1.2, ("泵与电机",)),
        ("温岭城西鞋业小微企业园", 1, ("鞋服",)),
    ],
    "331082": [
        ("临海经济开发区", 2.5, ("休闲用品",)),
        ("浙江头门港经济开发区", 2, ("医药化工", "汽车及零部件")),
        ("临海杜桥眼镜小微企业园", 1, ("眼镜",)),
        ("临海汛桥小微企业园", 0.8, ()),
    ],
    "331083": [
        ("玉环经济开发区", 3, ("汽车及零部件", "汽摩配及电动车")),
        ("玉环大麦屿工业园区", 1.5, ("家具",)),
        ("玉环清港阀门水暖小微企业园", 1.2, ("阀门水暖",)),
        ("玉环漩门湾工业园", 1, ()),
    ],
}


def county_codes() -> list[str]:
    """The 9 county-level codes of Taizhou, from the reference data."""
    codes = [r.code for r in regions().counties(CITY)]
    missing = set(COUNTIES) - set(codes)
    if missing:
        raise ValueError(f"county profiles name unknown counties {sorted(missing)}")
    return codes


@functools.cache
def county_name(code: str) -> str:
    return regions().get(code).name


def county_short(code: str) -> str:
    return short_name(county_name(code))


def outside_counties() -> list[str]:
    """Zhejiang counties outside Taizhou (for trading partners)."""
    return [r.code for r in regions().counties(PROVINCE) if r.parent_code != CITY]


def parks() -> list[Park]:
    out: list[Park] = []
    for county in county_codes():
        for i, (name, weight, focus) in enumerate(_PARKS[county]):
            out.append(Park(f"{county}{101 + i:03d}", name, county, focus, weight))
    return out


ROADS = (
    "工业",
    "兴业",
    "创业",
    "科技",
    "开发",
    "东海",
    "振兴",
    "经中",
    "经一",
    "纬三",
    "滨海",
    "园区",
    "新华",
    "和平",
    "腾达",
    "富强",
    "发展",
    "永安",
    "聚英",
    "金港",
    "青龙",
    "机电",
)


def addresses(rng: np.random.Generator, counties: np.ndarray, parks_: np.ndarray) -> list[str]:
    """住所 like 浙江省台州市黄岩区江口街道兴业路188号; the park name replaces the town."""
    towns = {c: COUNTIES[c].towns for c in COUNTIES}
    park_names = {p.code: p.name for p in parks()}
    road = rng.integers(0, len(ROADS), len(counties))
    number = rng.integers(1, 999, len(counties))
    town_pick = rng.random(len(counties))
    full = {c: f"浙江省台州市{county_name(c)}" for c in towns}
    places = [
        towns[c][int(t * len(towns[c]))] if p is None else park_names[p]
        for c, p, t in zip(counties.tolist(), parks_.tolist(), town_pick.tolist(), strict=True)
    ]
    streets = [f"{ROADS[r]}路{n}号" for r, n in zip(road.tolist(), number.tolist(), strict=True)]
    return [
        f"{full[c]}{place}{street}"
        for c, place, street in zip(counties.tolist(), places, streets, strict=True)
    ]
