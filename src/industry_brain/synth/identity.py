"""Enterprise identities: 统一社会信用代码 (GB 32100-2015), names and registration dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from stdnum.cn import uscc as stdnum_uscc

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
MA_SINCE = dt.date(2015, 10, 1)  # codes assigned after the reform start with "MA"

# Characters for 字号 (trade names).
_TRADE_CHARS = (
    "华达宏兴信丰利恒泰鑫源隆盛昌祥瑞海东方正永安康明新金佳凯嘉豪鸿远通力天成世立博德精诚益福晶"
    "中联创优美卓越迈骏腾飞科星光辉一元宇航奥特威龙虎振宝银铭峰亿万千百汇合和兆旭晨阳春秋朗波涛"
    "林森川江湖山石松柏青蓝红欧亚环球众群协同久长宁平吉庆欣悦乐雅尚品格致大伟国强富贵荣新华胜"
    "顺发展望达宝莱盈赛捷步翔云鹏志豪邦杰冠军标双友诺普斯顿锦绣钱塘金马骐骥麒麟凤凰星辰日月"
)
TRADE_CHARS = "".join(dict.fromkeys(_TRADE_CHARS))


def org_check_digit(body: str) -> str:
    """GB 11714-1997 check character of an 8-character organisation code body."""
    total = sum(
        (int(c) if c.isdigit() else ord(c) - 55) * w
        for c, w in zip(body, _ORG_WEIGHTS, strict=True)
    )
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def make_uscc(region_code: str, org_body: str) -> str:
    """'9' (市场监管) + '1' (企业) + region + organisation code + mod-31 check character."""
    first17 = f"91{region_code}{org_body}{org_check_digit(org_body)}"
    return first17 + stdnum_uscc.calc_check_digit(first17)


_INDEX = {c: i for i, c in enumerate(ALPHABET)}
_GB11714 = np.array([int(c) if c.isdigit() else ord(c) - 55 for c in ALPHABET])
_USCC_WEIGHTS = np.array([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28])


def _codes(prefix: np.ndarray, body: np.ndarray) -> np.ndarray:
    """18-character codes from alphabet indices: prefix (n, 8) and organisation body (n, 8)."""
    org = 11 - (_GB11714[body] * np.array(_ORG_WEIGHTS)).sum(axis=1) % 11
    org = np.where(org == 10, _INDEX["X"], np.where(org == 11, 0, org))
    first17 = np.column_stack([prefix, body, org])
    check = (31 - (first17 * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    chars = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)[np.column_stack([first17, check])]
    return np.ascontiguousarray(chars).view("S18").ravel().astype(str)


def usccs(rng: np.random.Generator, regions: list[str], registered: list[dt.date]) -> list[str]:
    """Unique, valid codes; firms registered after the 2015 reform get 'MA' codes."""
    n = len(regions)
    digits = rng.integers(0, 10, (n, 8))
    chars = rng.integers(0, len(ALPHABET), (n, 6))
    ma = np.array([d >= MA_SINCE for d in registered], dtype=bool)
    body = np.where(
        ma[:, None], np.column_stack([np.full((n, 2), [_INDEX["M"], _INDEX["A"]]), chars]), digits
    )
    region = np.array(regions, dtype="S6").view(np.uint8).reshape(n, 6).astype(np.int64) - 48
    prefix = np.column_stack([np.full(n, 9), np.full(n, 1), region])
    codes = _codes(prefix, body)
    while True:  # redraw the (rare) repeats until every code is unique
        again = np.nonzero(~pl.Series(codes).is_first_distinct().to_numpy())[0]
        if not len(again):
            return codes.tolist()
        fresh = np.where(ma[again, None], body[again], rng.integers(0, 10, (len(again), 8)))
        fresh[ma[again], 2:] = rng.integers(0, len(ALPHABET), (int(ma[again].sum()), 6))
        body[again] = fresh
        codes[again] = _codes(prefix[again], body[again])


def _fallback(
    prefix: str, trade: str, word: str, company: str, taken: set[str], rng: np.random.Generator
) -> str:
    """Another name when the first choice is taken: swap or extend the trade name."""
    a, b = trade[0], trade[1]
    c = TRADE_CHARS[int(rng.integers(0, len(TRADE_CHARS)))]
    for candidate in (b + a, a + c, c + b, a + b + c):
        name = f"{prefix}{candidate}{word}{company}"
        if len(set(candidate[:2])) == 2 and name not in taken:
            return name
    while name in taken:  # extremely rare: extend the trade name until unique
        candidate += TRADE_CHARS[int(rng.integers(0, len(TRADE_CHARS)))]
        name = f"{prefix}{candidate}{word}{company}"
    return name


def names(
    rng: np.random.Generator,
    prefixes: list[str],
    words: list[tuple[str, ...]],
    large: np.ndarray,
    taken: set[str] | None = None,
) -> list[str]:
    """Unique names: county short name + 字号 + industry word + 有限公司 / 股份有限公司."""
    n = len(prefixes)
    pick = rng.integers(0, len(TRADE_CHARS), (n, 3))
    word_pick = rng.random(n)
    company = np.where(large & (rng.random(n) < 0.35), "股份有限公司", "有限公司")
    a, b = (
        pick[:, 0],
        np.where(pick[:, 1] == pick[:, 0], (pick[:, 0] + 1) % len(TRADE_CHARS), pick[:, 1]),
    )
    chars = np.array(list(TRADE_CHARS), dtype=object)
    frame = pl.DataFrame(
        {
            "p": prefixes,
            "t": (chars[a] + chars[b]).tolist(),
            "w": [w[int(u * len(w))] for w, u in zip(words, word_pick, strict=True)],
            "s": company.tolist(),
        },
        schema={"p": pl.String, "t": pl.String, "w": pl.String, "s": pl.String},
    )
    name = frame.select(pl.concat_str("p", "t", "w", "s").alias("n"))["n"]
    clash = ~name.is_first_distinct()
    if taken:
        clash |= name.is_in(list(taken))
    out = name.to_list()
    redo = np.nonzero(clash.to_numpy())[0]
    if len(redo):
        used = set(taken or ()) | {
            v for v, bad in zip(out, clash.to_list(), strict=True) if not bad
        }
        p, t, w, s = (frame[c].to_list() for c in "ptws")
        for i in redo:
            out[i] = _fallback(p[i], t[i], w[i], s[i], used, rng)
            used.add(out[i])
    if taken is not None:
        taken.update(out)
    return out


def registration_dates(
    rng: np.random.Generator, first_year: np.ndarray, size_z: np.ndarray
) -> list[dt.date]:
    """成立日期: entrants register in their first year; older firms earlier, larger ones older."""
    n = len(first_year)
    age = rng.exponential(8.0, n) * np.exp(0.25 * np.clip(size_z, -2, 3)) + 0.5
    base = first_year == first_year.min()
    year = np.where(base, np.maximum(1980, first_year - 1 - np.floor(age)), first_year).astype(int)
    day = rng.integers(0, 365, n)
    start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    dates: list[dt.date] = (start + day.astype("timedelta64[D]")).tolist()
    return dates
