"""Reproducer for the engine owner (not a test): a share that is exactly 0.5 in decimal lands on
either side of `critical_share` (0.5) depending on the order in which DuckDB adds the amounts,
so the trade rows' order changes the result, and within one evaluation chain_input and
chain_supplier can disagree (each table is its own query, adding in its own order). Found by
the 1M × 50M benchmark (docs/benchmarks.md, "Supply-risk engine").

    uv run python benchmarks/chains_threshold_repro.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from industry_brain.engines import engine
from industry_brain.engines.chains.spec import load_spec

from chain_helpers import tables, trade, uscc

B, S = uscc("331002", 1), uscc("331002", 2)
OTHERS = [uscc("331003", 3 + i) for i in range(4)]
REGISTER = [(B, "买方", "331002", "3670"), (S, "供方", "331002", "2662")]
REGISTER += [(o, f"其他{i}", "331003", "2662") for i, o in enumerate(OTHERS)]
AMOUNTS = {  # S sells 12.6351 of the buyer's 25.2702 万元 of class 2662: exactly half
    S: [5.7259, 2.8554, 4.0538],
    OTHERS[0]: [6.6947, 2.9432],
    OTHERS[1]: [-0.1151, 0.6216, 1.1015],
    OTHERS[2]: [0.4035, 0.4483],
    OTHERS[3]: [0.0763, 0.1265, 0.0857, 0.1465, 0.1024],
}


def main() -> None:
    rows = [(B, s, "x", None, "2662", a) for s, amounts in AMOUNTS.items() for a in amounts]
    spec = load_spec("taizhou-supply-risk-2025")
    outcomes: dict[tuple[str, int], list[str]] = {}
    orders = {"as given": rows, "reversed": rows[::-1]}
    orders["by amount"] = sorted(rows, key=lambda r: r[5])
    for name, order in orders.items():
        for k in range(3):
            out = engine("chains").evaluate(tables(trade(order), REGISTER, {B: 100.0}), spec, 2024)
            share = out["chain_input"]["top1_share"][0]
            dependent = out["chain_supplier"].filter(supplier=S)["dependent_buyers"][0]
            outcomes.setdefault((repr(share), int(dependent)), []).append(f"{name} #{k + 1}")
    print("exact top-1 share: 12.6351 / 25.2702 = 0.5 (critical_share 0.5)")
    for (share, dependent), runs in outcomes.items():
        print(
            f"chain_input top1_share {share}, chain_supplier dependent_buyers {dependent}: {runs}"
        )


if __name__ == "__main__":
    main()
