"""Deterministic synthetic trade between enterprises for the supply-risk benchmark (numpy,
seed 20240).

`chains_dataset(n, t)` writes `benchmarks/data/chains-{n}-{t}/` once and reuses it while
GENERATOR is unchanged:

- `enterprise.parquet` (n rows: uscc, name, region_code, industry_code): 18-character USCCs
  whose characters 3–8 are the region; ~90 % in Taizhou's ten counties, ~10 % in other
  Zhejiang cities (in the register, not screened); 44 real 4-digit classes of GB/T 4754-2017
  in four supply layers (raw materials → materials → parts → final goods);
- `enterprise_year.parquet` (uscc, year, output, revenue for 2024): log-normal output, ~5 %
  with only revenue, ~1 % with neither, ~3 % of enterprises without a row;
- `trade.parquet` (exactly t rows of 2024, the warehouse's `trade` columns): every enterprise
  buys most of its class's input classes (from the layers upstream); the number of suppliers of
  a buyer's input is heavy-tailed (Lomax, ~43 % single source, capped at 200), a registered
  supplier of the input's class is chosen by a heavy-tailed popularity (so that some supply many
  buyers), ~20 % of the suppliers (60 % for raw materials) are outside the register: USCCs of
  other provinces or of Zhejiang enterprises not in the register, or a name only with a region
  (a 6-digit code, `abroad`) or none; 3 % of the rows of registered suppliers give no USCC,
  ~15 % of the rows no product class (null or blank), ~1 % are red-letter (negative) rows.

Rows are written in chunks (about 2M rows each, shuffled within the chunk), so memory stays
bounded at any size: 1M enterprises × 50M rows takes 66 s and 1.9 GB (1.0 GB of parquet).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

GENERATOR = "chains-v1"
SEED = 20240
YEAR = 2024
HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
COUNTIES = ["331002", "331003", "331004", "331021", "331022", "331023", "331024"]
COUNTIES += ["331081", "331082", "331083"]
ZHEJIANG = ["330102", "330203", "330302", "330402", "330502", "330602", "330702", "330782"]
ZHEJIANG += ["330802", "330902", "331102"]
PROVINCES = ["310115", "320506", "320583", "440306", "370202", "350203", "120116", "420106"]
PROVINCES += ["510107", "130104", "340104", "360102", "410105", "210213"]
LAYERS = [
    ["2614", "2651", "2652", "3120", "3130", "3140", "3216", "3219"],
    ["2662", "2710", "2922", "2929", "3062", "3340", "3360", "3391", "3392", "3831"],
    [*("3441", "3443", "3444", "3451", "3452", "3482", "3489", "3670", "3812", "3823"),
     *("3841", "3857", "3976", "3982")],
    [*("2720", "3311", "3421", "3422", "3581", "3611", "3612", "3630", "3660", "3851"),
     *("3852", "4011")],
]  # fmt: skip
LAYER_SHARE = [0.10, 0.25, 0.40, 0.25]
EXTERNAL_SHARE = [0.6, 0.2, 0.2, 0.2]  # share of a layer's suppliers outside the register
CHUNK_ROWS = 2_000_000


@dataclass(frozen=True)
class ChainsData:
    n: int
    t: int
    trade: Path
    enterprise: Path
    enterprise_year: Path


def _classes() -> tuple[list[str], np.ndarray, list[list[int]]]:
    """The classes, each one's layer, and each one's input classes (indices), fixed by SEED."""
    rng = np.random.default_rng(SEED + 1)
    classes = [c for layer in LAYERS for c in layer]
    layer_of = np.array([k for k, layer in enumerate(LAYERS) for _ in layer])
    inputs: list[list[int]] = []
    for i, layer in enumerate(layer_of):
        if layer == 0:
            pool = [j for j in np.flatnonzero(layer_of == 0) if j != i]
            inputs.append(sorted(rng.choice(pool, int(rng.integers(1, 3)), replace=False)))
            continue
        near = np.flatnonzero(layer_of == layer - 1)
        far = np.flatnonzero(layer_of < layer - 1) if layer > 1 else near
        chosen = set(rng.choice(near, int(rng.integers(2, 4)), replace=False).tolist())
        if rng.random() < 0.6:
            chosen.add(int(rng.choice(far)))
        inputs.append(sorted(chosen))
    return classes, layer_of, inputs


def _codes(prefix: np.ndarray, serial: np.ndarray, mark: str, tail: str) -> np.ndarray:
    """91 + region + mark + zero-padded serial + tail: 18 characters."""
    width = 18 - 2 - 6 - len(mark) - len(tail)
    body = np.char.zfill(serial.astype(str), width)
    return np.char.add(np.char.add(np.char.add("91", prefix), mark), np.char.add(body, tail))


def _register(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    classes, layer_of, _ = _classes()
    layer = rng.choice(len(LAYERS), n, p=LAYER_SHARE)
    by_layer = [np.flatnonzero(layer_of == k) for k in range(len(LAYERS))]
    cls = np.empty(n, np.int64)
    for k, members in enumerate(by_layer):
        mask = layer == k
        cls[mask] = rng.choice(members, int(mask.sum()))
    county_weights = rng.dirichlet(np.full(len(COUNTIES), 4.0))
    region = np.array(COUNTIES)[rng.choice(len(COUNTIES), n, p=county_weights)]
    elsewhere = rng.random(n) < 0.10
    region[elsewhere] = np.array(ZHEJIANG)[rng.integers(0, len(ZHEJIANG), int(elsewhere.sum()))]
    uscc = _codes(region, np.arange(n), "", "X")
    return {
        "uscc": uscc,
        "name": np.char.add("企业", np.arange(n).astype(str)),
        "region": region,
        "class": cls,
        "class_code": np.array(classes)[cls],
        "popularity": rng.pareto(1.1, n) + 0.05,
    }


def _external(m: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Suppliers outside the register: kind 0 USCC of another province (60 %), 1 USCC of a
    Zhejiang (incl. Taizhou) enterprise not in the register (15 %), 2 a name only (25 %)."""
    kind = rng.choice(3, m, p=[0.60, 0.15, 0.25])
    region = np.empty(m, dtype="<U6")
    k0, k1, k2 = kind == 0, kind == 1, kind == 2
    region[k0] = np.array(PROVINCES)[rng.integers(0, len(PROVINCES), int(k0.sum()))]
    local = np.array(ZHEJIANG + COUNTIES)
    region[k1] = local[rng.integers(0, len(local), int(k1.sum()))]
    where = rng.choice(3, int(k2.sum()), p=[0.45, 0.35, 0.20])  # code, abroad, unknown
    codes = np.array(PROVINCES + ZHEJIANG + COUNTIES)[rng.integers(0, 35, int(k2.sum()))]
    region[k2] = np.where(where == 0, codes, np.where(where == 1, "abroad", ""))
    serial = np.arange(m)
    code_region = region.copy()
    bad = k0 & (rng.random(m) < 0.02)  # a malformed USCC: its region is unknown
    code_region[bad] = "012345"
    uscc = np.where(kind < 2, _codes(code_region, serial, "E", "Y"), "")
    prefix = np.where(kind == 0, "外省供应商", np.where(kind == 1, "省内供应商", "无码供应商"))
    prefix = np.where(region == "abroad", "境外供应商", prefix)
    name = np.char.add(prefix, serial.astype(str))
    return {
        "kind": kind,
        "region": region,
        "uscc": uscc,
        "name": name,
        "popularity": rng.pareto(1.1, m) + 0.05,
    }


def _pairs(reg: dict[str, np.ndarray], ext: dict[str, np.ndarray], rng: np.random.Generator):
    """(buyer, supplier entity, input class) per buyer-supplier-input pair; an entity below n is
    a registered enterprise, from n on an external supplier."""
    _, layer_of, inputs = _classes()
    n, m = len(reg["uscc"]), len(ext["uscc"])
    order = rng.permutation(n)  # buyers in random order
    n_in = np.array([len(i) for i in inputs])[reg["class"][order]]
    slot_buyer = np.repeat(order, n_in)
    within = np.arange(len(slot_buyer)) - np.repeat(np.cumsum(n_in) - n_in, n_in)
    padded = np.full((len(inputs), max(map(len, inputs))), -1)
    for i, ins in enumerate(inputs):
        padded[i, : len(ins)] = ins
    slot_class = padded[reg["class"][slot_buyer], within]
    keep = rng.random(len(slot_buyer)) < 0.85
    keep |= within == 0  # every buyer buys at least one input
    slot_buyer, slot_class = slot_buyer[keep], slot_class[keep]
    k = np.minimum(1 + np.floor(rng.pareto(1.4, len(slot_buyer)) * 2.0), 200).astype(np.int64)
    buyer, cls = np.repeat(slot_buyer, k), np.repeat(slot_class, k)
    external = rng.random(len(buyer)) < np.array(EXTERNAL_SHARE)[layer_of[reg["class"][buyer]]]
    supplier = np.empty(len(buyer), np.int64)
    cum_ext = np.cumsum(ext["popularity"])
    u = rng.random(int(external.sum())) * cum_ext[-1]
    supplier[external] = n + np.minimum(np.searchsorted(cum_ext, u), m - 1)
    inside = np.flatnonzero(~external)
    for c in np.unique(cls[inside]):
        sellers = np.flatnonzero(reg["class"] == c)
        at = inside[cls[inside] == c]
        cum = np.cumsum(reg["popularity"][sellers])
        pick = np.searchsorted(cum, rng.random(len(at)) * cum[-1])
        supplier[at] = sellers[np.minimum(pick, len(sellers) - 1)]
    return buyer, supplier, cls


def _text(values: np.ndarray) -> pa.Array:
    return pa.array(values.tolist(), pa.string())


def _chunk(
    lo: int,
    hi: int,
    counts: np.ndarray,
    pairs: tuple[np.ndarray, np.ndarray, np.ndarray],
    entities: dict[str, pa.Array],
    classes: pa.Array,
    rng: np.random.Generator,
) -> pa.Table:
    buyer, supplier, cls = (a[lo:hi] for a in pairs)
    c = counts[lo:hi]
    rows = int(c.sum())
    b, s, k = np.repeat(buyer, c), np.repeat(supplier, c), np.repeat(cls, c)
    scale = np.repeat(np.exp(rng.normal(0.8, 1.4, hi - lo)), c)
    amount = np.round(scale * rng.lognormal(0.0, 0.6, rows), 4)
    red = rng.random(rows) < 0.01
    amount[red] = -np.round(scale[red] * rng.uniform(0.05, 0.8, int(red.sum())), 4)
    mix = rng.permutation(rows)
    b, s, k, amount = b[mix], s[mix], k[mix], amount[mix]
    kind = entities["kind"].take(pa.array(s)).to_numpy()  # 3 registered, 0–2 external
    u = rng.random((5, rows))
    uscc = entities["uscc"].take(pa.array(s))
    drop = (kind == 3) & (u[0] < 0.03)  # a registered supplier's row without its USCC
    uscc = pc.if_else(pa.array(drop & (u[1] < 0.8)), pa.scalar(None, pa.string()), uscc)
    uscc = pc.if_else(pa.array(drop & (u[1] >= 0.8)), pa.scalar("", pa.string()), uscc)
    region = entities["region"].take(pa.array(s))
    shown = np.where(kind == 3, u[2] < 0.3, np.where(kind == 2, u[2] < 0.8, u[2] < 0.2))
    region = pc.if_else(pa.array(shown), region, pa.scalar(None, pa.string()))
    name = entities["name"].take(pa.array(s))
    spaced = (kind == 2) & (u[3] < 0.05)  # a name written with trailing spaces
    name = pc.if_else(pa.array(spaced), pc.binary_join_element_wise(name, "  ", ""), name)
    product = classes.take(pa.array(k))
    product = pc.if_else(pa.array(u[4] >= 0.88), pa.scalar(None, pa.string()), product)
    product = pc.if_else(pa.array((u[4] >= 0.86) & (u[4] < 0.88)), "", product)
    product = pc.if_else(pa.array((u[4] >= 0.85) & (u[4] < 0.86)), " ", product)
    product_name = pc.binary_join_element_wise("产品", product, "")
    return pa.table(
        {
            "year": pa.array(np.full(rows, YEAR, np.int32)),
            "buyer_uscc": entities["uscc"].take(pa.array(b)),
            "seller_uscc": uscc,
            "seller_name": name,
            "seller_region": region,
            "product_code": product,
            "product_name": product_name,
            "amount": pa.array(amount),
        }
    )


def generate(n: int, t: int, folder: Path) -> None:
    rng = np.random.default_rng(SEED)
    classes, _, _ = _classes()
    reg = _register(n, rng)
    ext = _external(max(n // 2, 1), rng)
    pq.write_table(
        pa.table(
            {
                "uscc": _text(reg["uscc"]),
                "name": _text(reg["name"]),
                "region_code": _text(reg["region"]),
                "industry_code": _text(reg["class_code"]),
            }
        ),
        folder / "enterprise.parquet",
    )
    has_row = rng.random(n) >= 0.03
    output = np.round(rng.lognormal(7.0, 1.5, n), 2)
    revenue = np.round(output * rng.uniform(0.8, 1.2, n), 2)
    no_output = rng.random(n)
    output = np.where(no_output < 0.06, np.nan, output)[has_row]
    revenue = np.where(no_output < 0.01, np.nan, revenue)[has_row]
    years = pa.table(
        {
            "uscc": _text(reg["uscc"][has_row]),
            "year": pa.array(np.full(int(has_row.sum()), YEAR, np.int32)),
            "output": pa.array(output, from_pandas=True),
            "revenue": pa.array(revenue, from_pandas=True),
        }
    )
    pq.write_table(years, folder / "enterprise_year.parquet")

    pairs = _pairs(reg, ext, rng)
    p = len(pairs[0])
    if p > t:
        raise ValueError(f"{t:,} rows cannot hold the {p:,} buyer-supplier pairs of {n:,}")
    weight = rng.lognormal(0.0, 1.0, p)
    counts = 1 + rng.multinomial(t - p, weight / weight.sum())
    blank_region = np.where(ext["region"] == "", None, ext["region"])
    entities = {
        "uscc": pa.array(reg["uscc"].tolist() + [u or None for u in ext["uscc"].tolist()]),
        "name": pa.array(reg["name"].tolist() + ext["name"].tolist()),
        "region": pa.array(reg["region"].tolist() + blank_region.tolist(), pa.string()),
        "kind": pa.array(np.concatenate([np.full(n, 3), ext["kind"]])),
    }
    class_codes = pa.array(classes)
    ends = np.searchsorted(np.cumsum(counts), np.arange(CHUNK_ROWS, t, CHUNK_ROWS))
    bounds = [0, *np.unique(ends).tolist(), p]
    tmp = folder / "trade.parquet.tmp"
    with pq.ParquetWriter(tmp, _chunk(0, 0, counts, pairs, entities, class_codes, rng).schema) as w:
        for lo, hi in itertools.pairwise(bounds):
            if hi > lo:
                chunk = _chunk(lo, hi, counts, pairs, entities, class_codes, rng)
                w.write_table(chunk, row_group_size=500_000)
    tmp.rename(folder / "trade.parquet")


def chains_dataset(n: int, t: int) -> ChainsData:
    folder = DATA / f"chains-{n}-{t}"
    data = ChainsData(
        n, t, folder / "trade.parquet", folder / "enterprise.parquet",
        folder / "enterprise_year.parquet",
    )  # fmt: skip
    stamp = folder / "GENERATOR"
    if stamp.exists() and stamp.read_text() == GENERATOR and data.trade.exists():
        return data
    folder.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    generate(n, t, folder)
    stamp.write_text(GENERATOR)
    return data


if __name__ == "__main__":
    import sys
    import time

    for pair in sys.argv[1:] or ["20000:1000000"]:
        n_, t_ = (int(x.replace("_", "")) for x in pair.split(":"))
        t0 = time.perf_counter()
        d = chains_dataset(n_, t_)
        size = d.trade.stat().st_size / 2**20
        print(f"{n_:,} × {t_:,}: {time.perf_counter() - t0:.1f} s, trade {size:.0f} MiB")
