"""Chain templates: the five shipped chains, real industry names, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xietong.chain.template import TemplateError, TemplateSet, parse_template

ISSUE_SEGMENTS = {
    "humanoid_robot": {"整机", "减速器", "伺服电机/关节模组", "传感器", "灵巧手", "控制器/芯片",
                       "具身大模型与算法", "数据采集与训练场", "系统集成", "应用场景"},
    "llm": {"算力/芯片", "数据/语料", "模型", "应用"},
    "integrated_circuit": {"EDA/IP", "设计", "制造", "封测", "设备", "材料"},
    "nev": {"芯片与软件", "动力电池", "一体化压铸", "电驱", "整车", "换电/充电"},
    "biomedicine": set(),
}


def test_shipped_chains_have_the_issue_segments() -> None:
    chains = {t.key: t for t in TemplateSet()}
    assert set(ISSUE_SEGMENTS) <= set(chains)
    for key, wanted in ISSUE_SEGMENTS.items():
        names = {s.name for s in chains[key].segments}
        assert wanted <= names, (key, wanted - names)
        order = chains[key].topological_order()
        assert len(order) == len(chains[key].segments)
        position = {i: k for k, i in enumerate(order)}
        assert all(position[u] < position[d] for u, d in chains[key].links)


def test_mapped_industries_are_real_names(data_dir: Path) -> None:
    shenwan = {json.loads(line)["name"] for line in
               (data_dir / "chainkg/industry.jsonl").read_text("utf-8").splitlines()}
    ickg = {line.rsplit("\t", 1)[0] for line in
            (data_dir / "ickg25/entity2id.txt").read_text("utf-8").splitlines()}
    demo = Path(__file__).resolve().parents[2] / "src/xietong/demo/ecosystem.jsonl"
    ours = {json.loads(line).get("name") for line in demo.read_text("utf-8").splitlines()}
    for chain in TemplateSet():
        for segment in chain.segments:
            unknown = set(segment.industries) - shenwan - ickg - ours
            assert not unknown, (chain.key, segment.key, unknown)


GOOD = """key: tiny
name: 小链
segments:
  - key: a
    name: 上
    stage: 上游
    keywords: [甲]
    feeds: [b]
  - key: b
    name: 下
    stage: 下游
    keywords: [乙]
"""


def test_a_user_template_loads_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "tiny.yaml").write_text(GOOD, encoding="utf-8")
    chains = TemplateSet([tmp_path])
    assert chains.get("小链").links == [(0, 1)]


@pytest.mark.parametrize(("text", "line", "reason"), [
    (GOOD.replace("    keywords: [乙]\n", "    keywords: [乙]\n    feeds: [a]\n"), 4, "成环：a → b → a"),
    (GOOD.replace("feeds: [b]", "feeds: [c]"), 8, "未知环节 'c'"),
    (GOOD.replace("    name: 下\n", ""), 9, "环节 'b'：缺少必填字段 'name'"),
    (GOOD.replace("stage: 下游", "stage: 末端"), 11, "stage '末端' 无效；可选：上游/中游/下游"),
    (GOOD.replace("  - key: b", "  - key: a"), 9, "环节 key 'a' 重复使用"),
    (GOOD.replace("    keywords: [乙]\n", ""), 9, "没有 keywords、industries 或 products"),
])
def test_malformed_template_names_file_and_line(text: str, line: int, reason: str) -> None:
    with pytest.raises(TemplateError) as info:
        parse_template(text, "my.yaml")
    assert str(info.value).startswith(f"my.yaml:{line}: ")
    assert reason in str(info.value)


def test_unknown_chain_lists_the_valid_ones() -> None:
    with pytest.raises(LookupError, match="未知产业链 '量子计算'；可选：.*humanoid_robot"):
        TemplateSet().get("量子计算")
