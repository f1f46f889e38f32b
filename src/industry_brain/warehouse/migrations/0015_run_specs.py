"""Migration 15: each run keeps its spec's text. Runs made before keep the text of the packaged
spec they used where that text gives the hash they recorded, else none. The packaged specs as they
were when this migration was written are frozen beside it (0015_run_specs.json: name, the hash
`MethodSpec.sha256` gave then, text), so the migration never depends on today's specs."""

from __future__ import annotations

import json
from importlib import resources

from industry_brain.warehouse.warehouse import Warehouse

PACKAGE = "industry_brain.warehouse.migrations"


def apply(con: Warehouse) -> None:
    con.raw_sql("ALTER TABLE run ADD COLUMN spec_text VARCHAR")
    frozen = resources.files(PACKAGE).joinpath("0015_run_specs.json").read_text("utf-8")
    for spec in json.loads(frozen):
        sql = "UPDATE run SET spec_text = ? WHERE spec_name = ? AND spec_sha256 = ?"
        con.execute(sql, [spec["text"], spec["name"], spec["sha256"]])
