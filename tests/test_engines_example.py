"""docs/architecture.md's worked example, run verbatim: the engine it defines is added without
touching runs/, reports/ or the web's cache, and its runs are stored, read back, explained,
published and watched like any other."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from industry_brain.engines import register, registry
from industry_brain.engines.base import Engine
from industry_brain.engines.schema import migrate_engines
from industry_brain.reports.publish import publish
from industry_brain.runs.store import create_run, load_run
from industry_brain.runs.whatif import what_if
from industry_brain.runs.workflow import Actor, move
from industry_brain.web.cache import version_sql
from industry_brain.web.users import add_user

from helpers import load_city

DOC = Path(__file__).parents[1] / "docs" / "architecture.md"


def example() -> Engine:
    """The engine the doc's code block defines, as a module of its own."""
    [code] = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    module = types.ModuleType("industry_brain.engines.tax_intensity")
    sys.modules[module.__name__] = module
    exec(compile(code, str(DOC), "exec"), module.__dict__)
    return module.ENGINE


@pytest.fixture
def engine() -> Iterator[Engine]:
    found = example()
    register(found)
    yield found
    registry().pop(found.name)
    sys.modules.pop("industry_brain.engines.tax_intensity")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    ws, _ = load_city(tmp_path_factory.mktemp("example"), seed=5, scale=0.02, years=[2022])
    yield ws
    ws.close()


def test_the_example_engine_runs_like_any_other(engine, city, tmp_path):
    con = city.con
    assert migrate_engines(con, [engine]) == [("tax_intensity", 1)]
    assert migrate_engines(con, [engine]) == []  # once
    spec_file = tmp_path / "taizhou.json"
    spec_file.write_text(
        '{"name": "taizhou", "title": "台州市亩均税收强度", "region": "331000"}', "utf-8"
    )
    spec = engine.load_spec(str(spec_file))
    run = create_run(con, engine, spec, 2022, "analyst")
    spec_file.unlink()  # the run keeps its spec
    by = run.results["tax_intensity_county"]
    ey = con.table("enterprise_year").filter(lambda t: t.year == 2022).to_polars()
    assert by.height > 1 and by["enterprises"].sum() == ey.height  # every firm of the city
    assert by["tax_per_mu"].to_list() == (by["tax_paid"] / by["land_mu"]).to_list()
    back = load_run(con, run.run_id)
    assert back.spec == spec and back.results["tax_intensity_county"].equals(by)
    assert what_if(con, run.run_id, spec).changes.height == 0  # what-if, from `compared`
    one = spec.model_copy(update={"region": by["county"][0]})
    assert what_if(con, run.run_id, one).changes.height == by.height - 1  # the others vanish
    county = by["county"][0]
    assert engine.explain(con, run.run_id, back.spec, county)["tax_per_mu"] == by["tax_per_mu"][0]
    add_user(con, "city", "correct horse battery", "city", "331000")
    add_user(con, "province", "correct horse battery", "province", "330000")
    move(con, run.run_id, "submit", Actor("city", "331000"))
    move(con, run.run_id, "approve", Actor("province", "330000"))
    [pub] = publish(con, city.path, run.run_id, Actor("city", "331000"))
    assert (city.path / pub["path"]).is_file() and pub["title"] == "亩均税收强度表"
    assert version_sql().count("SELECT") >= 8  # the platform's tables and each engine's
