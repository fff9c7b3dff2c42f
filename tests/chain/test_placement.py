"""Placement on real data: the demo's explicit segments, and held-out industry labels."""

from __future__ import annotations

from xietong_eval.chain_placement import evaluate, micro

from xietong.chain.graph import GraphViews
from xietong.chain.placement import place
from xietong.chain.report import ChainAnalyst
from xietong.chain.template import TemplateSet
from xietong.store.snapshot import GraphSnapshot


def _node(snapshot: GraphSnapshot, name: str) -> int:
    return next(i for i, n in enumerate(snapshot.names) if n == name or name in snapshot.aliases[i])


def test_demo_firms_land_on_their_segments_with_evidence(demo: ChainAnalyst) -> None:
    robots = demo.templates.get("人形机required" if False else "humanoid_robot")
    p = demo.placement(robots)
    agibot = _node(demo.snapshot, "智元机器人")
    assert robots.segments[p.primary[agibot]].key == "whole_robot"
    evidence = p.evidence(agibot, int(p.primary[agibot]))
    assert evidence[0].kind == "member" and evidence[0].facts  # the 属于链环节 fact, cited
    llm = demo.placement(demo.templates.get("llm"))
    infini = _node(demo.snapshot, "无问芯穹")
    assert llm.chain.segments[llm.primary[infini]].key == "compute"
    assert 0.3 <= llm.primary_confidence[infini] <= 1.0


def test_held_out_chainkg_labels_are_recovered_better_than_names_alone(
        real_snapshot: GraphSnapshot) -> None:
    chains = list(TemplateSet())
    ours = micro(evaluate(real_snapshot, chains, ("in_industry",)))
    names_only = micro(evaluate(real_snapshot, chains, ("in_industry",), only=()))
    assert ours.placed_on_chain > 2 * names_only.placed_on_chain  # products add recall
    assert ours.precision > 0.3
    assert ours.segment_accuracy > 0.5


def test_held_out_label_is_not_used(real_snapshot: GraphSnapshot) -> None:
    """With 所属行业 held out, a firm known only through it is not placed by it."""
    views = GraphViews(real_snapshot, exclude=frozenset({"in_industry"}))
    p = place(views, TemplateSet().get("integrated_circuit"))
    assert p.signals["industry"].multiply(
        views.matrix(("in_industry",), "enterprise", "industry").astype(bool).sum(axis=1)).nnz >= 0
    assert views.edges(("in_industry",)).size == 0
