"""Matching on real data in a real store (SQLite and PostgreSQL): the demo ecosystem and a
ChainKG slice; every result carries reasons, and facts cite their sources."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.match.helpers import main_product_pair
from xietong.api import Ecosystem
from xietong.match.demand import DemandError
from xietong.match.engine import Matcher
from xietong.match.features import QueryBatch
from xietong.match.places import PlaceError
from xietong.match.service import cite_matches, open_matcher


@pytest.fixture
def demo(eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Ecosystem:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_demo()
    return eco


def test_a_demand_finds_humanoid_robot_makers_with_reasons(demo: Ecosystem) -> None:
    matcher = open_matcher(demo)
    found = matcher.match("寻找人形机器人整机合作伙伴", top=10)
    names = [m.name for m in found]
    assert {"傅利叶", "开普勒机器人"} <= set(names)
    assert all(m.type in ("enterprise", "institute", "investor", "government", "park")
               for m in found)
    fourier = found[names.index("傅利叶")]
    assert "机器人" in fourier.reasons.matched_terms
    assert any("人形机器人" in text for text in fourier.reasons.path_texts())


def test_a_preferred_region_is_a_soft_preference(demo: Ecosystem) -> None:
    """"…，徐汇区优先" lifts organisations in 徐汇区 by a share of the candidates' score
    range: none falls, none outside it is dropped, and 模速空间 (徐汇) passes a university
    that scored a little more."""
    from xietong.match.engine import PREFERRED_REGION_SHARE

    matcher = open_matcher(demo)
    plain = matcher.match("寻找大模型合作伙伴", top=50)
    preferred = matcher.match("寻找大模型合作伙伴，徐汇区优先", top=50)
    assert {m.name for m in plain} == {m.name for m in preferred}
    xuhui = matcher.places.region("徐汇区")
    spread = max(m.score for m in plain) - min(m.score for m in plain)
    before = {m.name: m.score for m in plain}
    lifted = 0
    for m in preferred:
        inside = matcher.places.in_region(m.node, xuhui)
        expected = before[m.name] + (PREFERRED_REGION_SHARE * spread if inside else 0.0)
        assert m.score == pytest.approx(expected, abs=1e-3)
        lifted += inside
    assert 0 < lifted < len(preferred)
    assert [m.name for m in plain][:2] == ["复旦大学", "模速空间"]
    assert [m.name for m in preferred][:2] == ["模速空间", "复旦大学"]


def test_recommend_partners_cites_the_seed_articles(demo: Ecosystem) -> None:
    matcher = open_matcher(demo)
    node = matcher.index.snapshot.node_of[demo.entity("阶跃星辰").id]
    found = matcher.recommend(node, "合作", top=5)
    assert found and "阶跃星辰" not in [m.name for m in found]
    cite_matches(demo, found)
    hops = [h for m in found for p in m.reasons.paths for h in p]
    assert hops, "the demo links 阶跃星辰 to its neighbours"
    assert all(h.sources and h.sources[0]["document"].endswith(".txt") for h in hops)
    assert any(m.reasons.shared_places for m in found)  # 上下楼就是上下游


def test_recommend_returns_only_the_relations_range_or_domain_types(demo: Ecosystem) -> None:
    """合作 ranks organisations, never the regions, segments or industries a partner is
    linked to; 投资 in the head direction ranks only its domain (investors, enterprises,
    government)."""
    from xietong.model.registry import REGISTRY

    matcher = open_matcher(demo)
    snap = matcher.index.snapshot
    cooperates, invests = REGISTRY.relation("合作"), REGISTRY.relation("投资")
    # the demo's graph neighbours of these include regions and chain segments
    for name in ("阶跃星辰", "无问芯穹", "傅利叶", "模速空间"):
        node = snap.node_of[demo.entity(name).id]
        unfiltered = matcher.index.features.build(
            QueryBatch(np.array([node]), snap.relation_code("cooperates"), "tail"))
        assert any(snap.types[c] not in cooperates.range for c in unfiltered.node.tolist())
        found = matcher.recommend(node, "合作", top=50)
        assert found and {m.type for m in found} <= set(cooperates.range)
        heads = matcher.recommend(node, "投资", direction="head", top=50)
        assert {m.type for m in heads} <= set(invests.domain)


def test_recommend_types_on_the_ickg_subset(data_dir: Path) -> None:
    from xietong_eval.ickg_graph import ickg_snapshot

    from xietong.model.registry import REGISTRY

    snap, _ = ickg_snapshot(data_dir / "ickg-subset")
    matcher = Matcher.build(snap, train=False)
    supplies = REGISTRY.relation("供给")
    code = snap.relation_code("supplies")
    heads = np.unique(snap.edge_source[snap.edge_relation == code])[:20]
    for node in heads.tolist():
        found = matcher.recommend(node, "供给", top=20)
        assert {m.type for m in found} <= set(supplies.range)
        back = matcher.recommend(node, "供给", direction="head", top=20)
        assert {m.type for m in back} <= set(supplies.domain)


def test_filters_and_their_errors(demo: Ecosystem) -> None:
    matcher = open_matcher(demo)
    in_xuhui = matcher.match("人工智能大模型企业", region="徐汇区", top=20)
    assert in_xuhui
    xuhui = matcher.places.region("徐汇区")
    assert all(matcher.places.in_region(m.node, xuhui) for m in in_xuhui)
    with pytest.raises(PlaceError, match="未知园区 '不存在园区'；可选：.*模速空间"):
        matcher.match("大模型", park="不存在园区")
    with pytest.raises(PlaceError, match="未知区域 '火星'"):
        matcher.match("大模型", region="火星")
    robots = matcher.match("寻找合作伙伴", industry="人形机器人", top=20)
    segment = matcher.places.segments("人形机器人")
    assert robots and all(matcher.places.in_segments(m.node, segment) for m in robots)
    with pytest.raises(PlaceError, match="未知行业或产业链环节 '不存在的行业'"):
        matcher.match("大模型", industry="不存在的行业")
    with pytest.raises(DemandError, match="上限为 200 字"):
        matcher.match("大" * 201)


def test_incremental_update_adds_one_enterprise_and_one_relation(demo: Ecosystem) -> None:
    matcher = open_matcher(demo)
    before = matcher.index.text.size
    park = matcher.places.park("模速空间")
    node = matcher.add_entity("上海谐波精密传动有限公司", "enterprise")
    matcher.add_relation(node, park, "入驻园区")
    assert matcher.index.text.size == before + 1
    found = matcher.match("寻找谐波传动供应商", park="模速空间", top=5)
    assert found[0].name == "上海谐波精密传动有限公司"
    assert found[0].reasons.places == ["模速空间"]


def test_supplier_search_on_chainkg_main_products(eco: Ecosystem, chainkg_slice: Path,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_chainkg(chainkg_slice)
    snap = eco.snapshot()
    company, product = main_product_pair(snap)
    matcher = Matcher.build(snap, train=False)  # the learned path is tested on ICKG
    found = matcher.match(f"寻找{product}供应商", top=10)
    names = [m.name for m in found]
    assert company in names
    hit = found[names.index(company)]
    assert any(product in fit and "%" in fit for fit in hit.reasons.chain_fit)


class _CharCounts:
    """A stand-in local encoder: hashed character counts (a deployment would pass a
    sentence-transformers model loaded from disk)."""

    def encode(self, texts: list[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        vectors = HashingVectorizer(analyzer="char", n_features=256, alternate_sign=False)
        return vectors.transform(texts).toarray()


def test_a_dense_encoder_adds_one_feature_when_configured(demo: Ecosystem) -> None:
    from xietong.match.features import DENSE_FEATURE, FEATURES

    snap = demo.snapshot()
    plain = Matcher.build(snap, train=False)
    assert plain.index.features.columns == FEATURES  # off by default
    dense = Matcher.build(snap, train=False, encoder=_CharCounts())
    node = snap.node_of[demo.entity("阶跃星辰").id]
    cands = dense.index.features.build(
        QueryBatch(np.array([node]), snap.relation_code("cooperates"), "tail"))
    column = cands.x[:, cands.columns.index(DENSE_FEATURE)]
    assert cands.columns[-1] == DENSE_FEATURE and column.max() > 0


def test_regions_written_with_their_city_are_placed(demo: Ecosystem, tmp_path: Path) -> None:
    """A list's 所属区县 '上海市长宁区' and 所在区 '南京市鼓楼区' are read through the national
    division list, as is a --region written the same way."""
    path = tmp_path / "名录.csv"
    path.write_text("企业名称,所属区县,所在区\n测试甲科技有限公司,上海市长宁区,\n"
                    "测试乙科技有限公司,,南京市鼓楼区\n", encoding="utf-8")
    demo.import_file(path)
    matcher = open_matcher(demo)
    snapshot = matcher.index.snapshot
    first, second = (snapshot.names.index(n) for n in ("测试甲科技有限公司", "测试乙科技有限公司"))
    places = matcher.places
    assert places.in_region(first, places.region("上海市长宁区"))
    assert places.in_region(first, places.region("上海"))
    assert places.in_region(second, places.region("南京"))
    assert not places.in_region(second, places.region("上海"))
