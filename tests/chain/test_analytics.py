"""Chain reports on the demo (both backends) and on real data: scopes, gaps, risk rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from xietong.chain.report import ChainAnalyst
from xietong.chain.risk import RuleError, load_rules
from xietong.chain.template import TemplateSet
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
