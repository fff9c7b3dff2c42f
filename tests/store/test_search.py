"""Search and profiles: names and aliases by characters, containment and sound, and what a
profile shows of a merged entity, on both backends."""

from __future__ import annotations

import json
from pathlib import Path

from xietong.api import Ecosystem


def test_fragments_of_the_query_do_not_crowd_the_answer(eco: Ecosystem, tmp_path: Path) -> None:
    """Product names from ChainKG that are pieces of the query (机, 机器) scored 0.81 for
    智元机器人 before, as WRatio matches any fragment; now a shorter name is compared whole."""
    eco.import_demo()
    products = tmp_path / "产品.jsonl"
    products.write_text("".join(
        json.dumps({"entity": "product", "name": name, "source": {"file": "产品.jsonl"}},
                   ensure_ascii=False) + "\n" for name in ("机", "机器", "机器人")),
        encoding="utf-8")
    eco.import_file(products)
    hits = eco.search("智圆机器人")  # a homophone typo of the short name 智元机器人
    assert hits[0].name == "上海智元新创技术有限公司" and hits[0].score == 0.92
    scores = {h.name: h.score for h in hits}
    assert scores.get("机", 0.0) < 0.5 and scores.get("机器", 0.0) < 0.6
    assert scores["机器人"] < hits[0].score
    # a longer name containing the query, and the type filter
    assert eco.search("智元新创")[0].score == 0.95
    assert [h.name for h in eco.search("模速", entity_type="park")][:1] == ["模速空间"]
    policies = eco.search("科技服务业", entity_type="policy")
    assert policies and {h.type for h in policies} == {"policy"}
    assert eco.search("模速", entity_type="policy") == []  # no policy is named like it


def test_names_that_only_share_a_syllable_are_not_hits(eco: Ecosystem) -> None:
    eco.import_demo()
    hits = eco.search("傅利叶")
    assert hits[0].name == "傅利叶" and hits[0].score == 1.0
    assert all(h.score >= 0.5 for h in hits), hits  # 朱洁 scored 0.46 by sound
    assert eco.search("傅立叶")[0].name == "傅利叶"  # a homophone typo is still found


def test_a_merged_entity_shows_a_fact_its_members_share_once(eco: Ecosystem,
                                                             tmp_path: Path) -> None:
    """稀宇科技 (demo) and 上海稀宇科技有限公司 (a list) merge; both are in 徐汇区: one
    relation with both sources, not two."""
    eco.import_demo()
    path = tmp_path / "名录.csv"
    path.write_text("企业名称,所在区\n上海稀宇科技有限公司,上海市徐汇区\n", encoding="utf-8")
    eco.import_file(path)
    profile = eco.profile("稀宇科技")
    assert len(profile.members) == 2
    regions = [r for r in profile.relations if r["predicate"] == "located_in_region"]
    assert len(regions) == 1 and regions[0]["other"] == "徐汇区"
    assert {s["source"] for s in regions[0]["sources"]} == {"名录.csv",
                                                            "demo: Shanghai AI ecosystem"}
    assert profile.relation_count == len(profile.relations)
