"""The industrial-chain catalog (engines/chains/catalog*.py, maps/*.yaml): the packaged maps
against the seeds, the errors of bad maps (tests/data/chains/, expected.yaml), a workspace's own
maps, the class table for queries and the product lookup."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import polars as pl
import pytest
import yaml

from industry_brain.engines.chains.catalog import (
    chain,
    chains,
    segment_classes,
    segments_of,
    workspace_dir,
)
from industry_brain.engines.chains.catalog_models import (
    ChainMapError,
    DuplicateChainId,
    UnknownChain,
)
from industry_brain.engines.chains.catalog_parse import parse_chain
from industry_brain.engines.progress.catalog import load_plan
from industry_brain.reference import industries

DATA = Path(__file__).parent / "data" / "chains"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text("utf-8"))
MAPS = resources.files("industry_brain.engines.chains") / "maps"
SEEDS = Path("/work/shared/seeds")  # the seed texts, where this machine has them
ERRORS_PAGE = Path(__file__).parents[1] / "docs" / "errors.md"

# Seed 000, 三（三）1: "做优做强汽车、医药健康、…、新能源电动车等10条…示范产业链"
TAIZHOU = (
    "汽车、医药健康、智能缝制设备、高端模具、光电、泵与电机、智能家居、航空航天、机床装备、"
    "新能源电动车"
)
# Seed 002, 专栏1 重要标志性产业链: "到2025年，X产业链年产值达到N亿元" (1.8万亿 = 18000 亿)
ZHEJIANG = {
    "数字安防": 4000, "集成电路": 2500, "网络通信": 4000, "智能计算": 2000, "生物医药": 4000,
    "炼化一体化与新材料": 18000, "节能与新能源汽车": 10000, "智能装备": 5000,
    "智能家居": 5000, "现代纺织": 10000,
}  # fmt: skip


def test_the_packaged_maps_all_load_and_validate():
    files = sorted(f.name for f in MAPS.iterdir() if f.name.endswith(".yaml"))
    parsed = [parse_chain((MAPS / name).read_text("utf-8"), name) for name in files]
    assert len(files) == 20 and [c.id for c in parsed] == [c.id for c in chains()]
    assert all(f"{c.id}.yaml" == name for c, name in zip(parsed, files, strict=True))
    for item in parsed:
        assert 3 <= len(item.segments) <= 6, item.id
        assert item.mapping_note and "本项目的判断" in item.mapping_note, item.id
        quoted = "".join(s.quote for s in item.sources)
        assert item.chief_unit is None or item.chief_unit in quoted, "a 链长单位 is quoted"
        assert {s.stage for s in item.segments} >= {"upstream", "midstream"}, item.id
        for segment in item.segments:
            assert all(industries().get(c).level == "class" for c in segment.classes)


def test_each_taizhou_chain_in_the_seed_is_there():
    taizhou = chains("331000")
    assert sorted(c.name for c in taizhou) == sorted(TAIZHOU.split("、"))
    assert {c.kind for c in taizhou} == {"示范产业链"}
    for item in taizhou:
        assert any(TAIZHOU in s.quote and "链长制" in s.quote for s in item.sources), item.id
    shares = {c.name: [(t.value, t.unit, t.year) for t in c.targets] for c in taizhou}
    assert shares["汽车"] == [(20, "%", 2025)] and shares["医药健康"] == [(25, "%", 2025)]


def test_each_provincial_target_is_the_seeds_figure():
    province = chains("330000")
    assert {c.name for c in province} == set(ZHEJIANG)
    plan = load_plan("zhejiang-14th-fyp")  # the plan catalog transcribed the same 专栏1
    for item in province:
        (target,) = item.targets
        assert (target.indicator, target.unit, target.year) == ("产业链年产值", "亿元", 2025)
        assert target.value == ZHEJIANG[item.name]
        assert re.search(rf"{item.name}产业链年产值达到[\d.]+万?亿元", target.quote)
        assert plan.indicator(f"{item.name}产业链年产值").parsed.value == target.value


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts are not on this machine")
def test_every_quote_is_in_its_seed():
    for item in chains():
        seed = {s.file for s in item.sources}.pop()
        text = (SEEDS / seed).read_text("utf-8")
        for quote in [s.quote for s in item.sources] + [t.quote for t in item.targets]:
            assert quote in text, (item.id, quote[:30])


def test_keywords_are_words_of_the_chains_quotes():
    for item in chains():
        quoted = "".join(s.quote for s in item.sources) + "".join(t.quote for t in item.targets)
        for segment in item.segments:
            assert all(k in quoted for k in segment.keywords), (item.id, segment.id)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_bad_map_gets_its_error_located(name: str):
    want = EXPECTED[name]
    with pytest.raises(ChainMapError) as raised:
        parse_chain((DATA / name).read_text("utf-8"), name)
    exc = raised.value
    assert (exc.code, exc.title, exc.status) == (want["code"], want["title"], 422)
    where = {"file": name, "chain": want["chain"], "segment": want["segment"]}
    assert exc.location == where | {"field": want["field"]} == exc.data
    assert want["says"] in exc.detail and exc.detail.startswith(name)
    assert exc.message.startswith(want["title"] + "：")


def test_every_bad_map_has_its_expectation():
    assert sorted(p.name for p in DATA.glob("*.yaml") if p.name != "expected.yaml") == sorted(
        EXPECTED
    )


def test_a_chain_id_twice_in_one_folder_is_refused():
    with pytest.raises(DuplicateChainId) as raised:
        chains(extra=DATA / "duplicate_chain_id")
    assert raised.value.code == "chain_duplicate_id"
    assert raised.value.location == {
        "file": "b_second.yaml", "chain": "zhejiang-twice", "segment": None, "field": "id",
    }  # fmt: skip
    assert "already used by a_first.yaml" in raised.value.detail


def test_a_workspace_map_replaces_the_packaged_chain_and_adds_its_own(tmp_path: Path):
    packaged = chain("taizhou-auto")
    own = chains(extra=DATA / "workspace")
    assert len(own) == 21 and [c.id for c in own][:20] == [c.id for c in chains()]
    replaced = chain("taizhou-auto", extra=DATA / "workspace")
    assert replaced.chief_unit == "测试用链长单位" and replaced != packaged
    assert [s.id for s in replaced.segments] == ["parts", "vehicles"]
    assert [c.id for c in chains("331003", extra=DATA / "workspace")] == ["huangyan-moulds"]
    assert chain("taizhou-auto") == packaged, "the packaged catalog is unchanged"
    assert workspace_dir(tmp_path) == tmp_path / "chains"
    assert chains(extra=workspace_dir(tmp_path)) == chains(), "no folder: the packaged maps"


def test_segment_classes_are_the_maps_classes_row_by_row():
    found = chains()
    table = segment_classes(found)
    assert table.columns == ["chain_id", "segment_id", "stage", "class_code"]
    assert set(table.schema.values()) == {pl.String}
    rows = [(c.id, s.id, s.stage, k) for c in found for s in c.segments for k in s.classes]
    assert table.rows() == rows
    assert table.filter(chain_id="taizhou-sewing-equipment", class_code="3553").height == 3
    assert segment_classes([]).columns == table.columns


def test_a_misspelt_chain_id_gets_the_closest_one():
    with pytest.raises(UnknownChain) as raised:
        chain("taizhou-atuo")
    exc = raised.value
    assert (exc.code, exc.title, exc.status) == ("unknown_chain", "没有这条产业链", 404)
    assert "did you mean 'taizhou-auto'?" in exc.detail and exc.location["chain"] == "taizhou-atuo"


def _found(code: str | None, name: str | None = None) -> list[tuple[str, str]]:
    return [(m.chain.id, m.segment.id) for m in segments_of(code, name)]


def test_segments_of_a_product_by_class_then_keyword():
    assert _found("3553") == [
        ("taizhou-sewing-equipment", "parts"),
        ("taizhou-sewing-equipment", "machines"),
        ("taizhou-sewing-equipment", "pre-post-sewing"),
    ]
    assert _found("3553", "旋梭 DB-1") == [("taizhou-sewing-equipment", "parts")]
    assert _found("3553", "包装纸箱") == _found("3553"), "no keyword: every segment of the class"
    by_class = _found("3670", "自动变速器")
    assert ("taizhou-auto", "powertrain") in by_class and ("taizhou-auto", "parts") not in by_class
    assert ("taizhou-moulds", "applications") in by_class, "other chains keep their segments"
    assert ("taizhou-sewing-equipment", "servo") in _found(None, "交流伺服电机")
    assert _found(None, "包装纸箱") == [] and _found(None) == []
    assert set(_found("355")) >= set(_found("3553")), "a group code matches its classes"


def test_the_error_catalogue_lists_the_chain_errors():
    page = ERRORS_PAGE.read_text("utf-8")
    for code in ("chain_map_invalid", "chain_unknown_class", "chain_unknown_region"):
        assert f"| `{code}` |" in page
    assert "| `chain_duplicate_id` |" in page and "| `unknown_chain` |" in page


def test_the_documented_example_is_the_packaged_map():
    page = (Path(__file__).parents[1] / "docs" / "chains-catalog.md").read_text("utf-8")
    example = re.search(r"```yaml\n(.*?)```", page, re.S)
    assert example and parse_chain(example.group(1), "doc") == chain("taizhou-sewing-equipment")
