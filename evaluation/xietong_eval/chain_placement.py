"""Placement accuracy against industry labels held out from the features.

The label of an enterprise is an industry fact (chainkg 所属行业, or ickg 涉足行业/归属于行业);
its gold segments are those the template maps that industry to. Placement runs with the
label relations removed from the graph, so it must infer the segment from what is left
(products and their revenue shares, names, other relations).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from xietong.chain.graph import GraphViews
from xietong.chain.placement import place
from xietong.chain.template import ChainTemplate
from xietong.store.snapshot import GraphSnapshot

LABEL_SETS = {
    "chainkg 所属行业": ("in_industry",),
    "ickg 涉足行业/归属于行业": ("operates_in", "belongs_to_industry"),
}


@dataclass(slots=True)
class ChainScore:
    chain: str
    labelled: int  # enterprises with a label of this kind
    on_chain: int  # … whose label maps onto this chain
    placed: int  # labelled enterprises placed on the chain without their label
    placed_on_chain: int  # … that are on the chain by their label
    segment_right: int  # … whose primary segment is one of the label's segments

    @property
    def precision(self) -> float:
        return self.placed_on_chain / self.placed if self.placed else 0.0

    @property
    def recall(self) -> float:
        return self.placed_on_chain / self.on_chain if self.on_chain else 0.0

    @property
    def segment_accuracy(self) -> float:
        return self.segment_right / self.placed_on_chain if self.placed_on_chain else 0.0


def gold_segments(views: GraphViews, chain: ChainTemplate, relations: tuple[str, ...]
                  ) -> tuple[np.ndarray, dict[int, set[int]]]:
    """Labelled enterprises, and the segments their labels map to (only non-empty)."""
    s = views.snapshot
    by_name: dict[str, set[int]] = {}
    for j, seg in enumerate(chain.segments):
        for name in seg.industries:
            by_name.setdefault(name.lower(), set()).add(j)
    codes = [s.relations.index(r) for r in relations]
    idx = np.flatnonzero(np.isin(s.edge_relation, codes))
    idx = idx[views.of_type("enterprise")[s.edge_source[idx]]]
    gold: dict[int, set[int]] = {}
    for src, dst in zip(s.edge_source[idx].tolist(), s.edge_target[idx].tolist()):
        for name in (s.names[dst], *s.aliases[dst]):
            if name.lower() in by_name:
                gold.setdefault(src, set()).update(by_name[name.lower()])
    return np.unique(s.edge_source[idx]), gold


def evaluate(snapshot: GraphSnapshot, chains: list[ChainTemplate], relations: tuple[str, ...],
             *, only: tuple[str, ...] | None = None) -> list[ChainScore]:
    """Scores per chain. ``only`` restricts the features to these relations (a baseline)."""
    exclude = set(relations)
    if only is not None:
        exclude |= set(snapshot.relations) - set(only)
    held_out = GraphViews(snapshot, exclude=frozenset(exclude))
    full = GraphViews(snapshot)
    scores = []
    for chain in chains:
        labelled, gold = gold_segments(full, chain, relations)
        p = place(held_out, chain)
        primary = p.primary[labelled]
        placed = labelled[primary >= 0]
        on_chain_placed = [int(e) for e in placed if int(e) in gold]
        right = sum(1 for e in on_chain_placed if int(p.primary[e]) in gold[e])
        scores.append(ChainScore(chain.key, int(labelled.size), len(gold), int(placed.size),
                                 len(on_chain_placed), right))
    return scores


def micro(scores: list[ChainScore]) -> ChainScore:
    return ChainScore("all", sum(s.labelled for s in scores), sum(s.on_chain for s in scores),
                      sum(s.placed for s in scores), sum(s.placed_on_chain for s in scores),
                      sum(s.segment_right for s in scores))
