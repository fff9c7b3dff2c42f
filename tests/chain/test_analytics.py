"""Chain reports on the demo (both backends) and on real data: scopes, gaps, risk rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.chain import analytics
from xietong.chain.report import ChainAnalyst, supply_rate_text
from xietong.chain.risk import RuleError, load_rules
from xietong.chain.template import TemplateSet
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRef, Provenance, RelationRecord
from xietong.store.snapshot import GraphSnapshot


def test_demo_reports_for_all_five_chains(demo: ChainAnalyst) -> None:
    for chain in TemplateSet():
        report = demo.report(chain.key, region="上海")
        assert report["scope"]["name"] == "上海市"
        assert len(report["segments"]) == len(chain.segments)
        for seg in report["segments"]:
            assert seg["local_enterprises"] <= seg["national_enterprises"]
            if seg["local_enterprises"] == 0:
                assert seg["status"] == "missing" and "shortlist" in seg
    robots = demo.report("humanoid_robot", region="上海")
    whole = next(s for s in robots["segments"] if s["key"] == "whole_robot")
    assert "上海智元新创技术有限公司" in {m["name"] for m in whole["members"]}


def test_park_scope_keeps_only_the_parks_firms(demo: ChainAnalyst) -> None:
    park = demo.report("humanoid_robot", park="张江机器人谷")
    members = {m["name"] for s in park["segments"] for m in s["members"]}
    assert members == {"上海智元新创技术有限公司"}
    with pytest.raises(LookupError, match="未知园区 '不存在的园区'；可选：.*模速空间"):
        demo.report("humanoid_robot", park="不存在的园区")


def test_default_rules_grade_as_documented(demo: ChainAnalyst) -> None:
    report = demo.report("humanoid_robot", region="上海")
    for seg in report["segments"]:
        if seg["local_enterprises"] == 0 and seg["downstream_local_firms"] >= 1:
            assert seg["risk"] == "red"
        if seg["local_enterprises"] == 1 and seg["downstream_local_firms"] >= 3:
            assert seg["risk"] == "red"


def test_custom_rules_change_grades_and_bad_rules_name_the_problem(
        demo: ChainAnalyst, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("segment:\n  - grade: blue\n    reason: 任何环节\n"
                     "    all: [[national_enterprises, '>=', 0]]\n", encoding="utf-8")
    demo.rules = load_rules(rules)
    report = demo.report("llm", region="上海")
    assert {s["risk"] for s in report["segments"]} == {"blue"}
    rules.write_text("segment:\n  - grade: purple\n    reason: x\n    all: []\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"rules.yaml: segment 第 1 条规则：grade 'purple' 无效"):
        load_rules(rules)
    rules.write_text("segment:\n  - grade: red\n    reason: x\n    all: [[size, '>', 1]]\n",
                     encoding="utf-8")
    with pytest.raises(RuleError, match="未知指标 'size'"):
        load_rules(rules)


def test_real_data_report_has_leaders_hhi_and_shortlists(real_snapshot: GraphSnapshot) -> None:
    analyst = ChainAnalyst(real_snapshot)
    report = analyst.report("integrated_circuit", region="上海")
    assert report["summary"]["local_enterprises"] > 0
    assert report["leaders"] and all(x["explanation"] for x in report["leaders"])
    for seg in report["segments"]:
        if seg["local_enterprises"]:
            assert seg["hhi"] is not None and 10_000 / seg["local_enterprises"] - 0.1 <= seg["hhi"] <= 10_000
        for candidate in seg.get("shortlist", []):
            assert candidate["reasons"]
    national = analyst.report("integrated_circuit")
    assert national["summary"]["local_enterprises"] == national["summary"]["enterprises_on_chain"]


def test_shortlists_are_ranked_by_the_matcher_and_exclude_local_firms(demo: ChainAnalyst) -> None:
    report = demo.report("llm", region="上海")
    assert report["shortlist_ranker"].startswith("撮合引擎")
    data = next(s for s in report["segments"] if s["key"] == "data")
    local = {m["name"] for m in data["members"]}
    top = data["shortlist"][0]
    # 库帕思 has no location in the demo, so it is outside 上海; 属于链环节 大模型数据
    assert top["name"] == "库帕思" and top["name"] not in local and top["matched"]
    assert top["reasons"][0].startswith("撮合需求「寻找数据/语料供应商")
    assert any("属于链环节「大模型数据」" in r for r in top["reasons"])


def _supply_source(name: str) -> SourceSpec:
    return SourceSpec(kind="file", name=name, uri=f"test:{name}", sha256=name)


def test_local_supply_rate_counts_suppliers_by_where_they_are(eco: Ecosystem) -> None:
    # issue 22: "本地 58；环节覆盖 8/11；本地配套率 0%" came from 5 supply links, and a local
    # supplier counted only when the placement put it on the chain too
    eco.import_demo()
    before = ChainAnalyst(eco.snapshot()).metrics("humanoid_robot", region="上海")
    customer = EntityRef("上海智元新创技术有限公司", "enterprise")

    def supply(source: str, names: list[str]) -> ChainAnalyst:
        eco.import_records(_supply_source(source), [
            RelationRecord(EntityRef(name, "enterprise"), "supplies", customer,
                           Provenance(f"row {i}")) for i, name in enumerate(names)])
        return ChainAnalyst(eco.snapshot())

    # a Shanghai food maker is on no robot segment, yet it is local supply
    analyst = supply("supply-a", ["上海甲食品有限公司"] + [f"北京{w}食品有限公司" for w in "甲乙丙丁"])
    m = analyst.metrics("humanoid_robot", region="上海")
    assert (m.supply_links - before.supply_links, m.local_supply_links - before.local_supply_links) \
        == (5, 1)
    assert m.local_supply_rate == m.local_supply_links / m.supply_links
    whole = next(seg for seg in analyst.report("humanoid_robot", region="上海")["segments"]
                 if seg["key"] == "whole_robot")
    assert whole["supply_links"] < analytics.MIN_SUPPLY_LINKS and whole["local_supply_rate"] < 0.3
    assert "本地配套率低于 30%" not in whole["risk_reasons"]  # too few links to grade
    # with enough links the low rate is a risk
    analyst = supply("supply-b", [f"广州{w}食品有限公司" for w in "甲乙丙丁戊己庚"])
    report = analyst.report("humanoid_robot", region="上海")
    whole = next(seg for seg in report["segments"] if seg["key"] == "whole_robot")
    assert whole["supply_links"] >= analytics.MIN_SUPPLY_LINKS and whole["local_supply_rate"] < 0.3
    assert "本地配套率低于 30%" in whole["risk_reasons"]
    m = analyst.metrics("humanoid_robot", region="上海")
    assert (report["summary"]["supply_links"], report["summary"]["local_supply_links"]) == \
        (m.supply_links, m.local_supply_links)


def test_real_data_supply_rate_rests_on_its_links(real_snapshot: GraphSnapshot) -> None:
    report = ChainAnalyst(real_snapshot).report("humanoid_robot", region="上海")
    for part in (report["summary"], *report["segments"]):
        links, local = part["supply_links"], part["local_supply_links"]
        assert 0 <= local <= links
        if not links:
            assert part["local_supply_rate"] is None
        else:
            assert part["local_supply_rate"] == pytest.approx(local / links)
        if links < analytics.MIN_SUPPLY_LINKS and part is not report["summary"]:
            assert "本地配套率低于 30%" not in part["risk_reasons"]


def test_supply_rate_text_names_the_links_it_rests_on() -> None:
    assert supply_rate_text({"supply_links": 0, "local_supply_links": 0,
                             "local_supply_rate": None}) == "无供给关系数据"
    assert supply_rate_text({"supply_links": 5, "local_supply_links": 1,
                             "local_supply_rate": 0.2}) == "20%（仅 1/5 条供给关系，样本过少）"
    assert supply_rate_text({"supply_links": 12, "local_supply_links": 3,
                             "local_supply_rate": 0.25}) == "25%（3/12 条供给关系）"
