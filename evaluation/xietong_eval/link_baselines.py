"""Simple link-prediction baselines the ranker must beat (benchmarks and tests use them)."""

from __future__ import annotations

import numpy as np

from xietong.match.graph import GraphIndex
from xietong_eval.link_prediction import Scorer


def popularity_scorer(graph: GraphIndex) -> Scorer:
    """Relation-specific popularity: how often each entity answered (r, direction)."""
    def score(nodes: np.ndarray, relation: int, direction: str) -> np.ndarray:
        m = graph.by_relation[relation]
        counts = np.asarray(m.sum(axis=0) if direction == "tail" else m.sum(axis=1)).ravel()
        return np.tile(counts, (len(nodes), 1))
    return score


def common_neighbours_scorer(graph: GraphIndex) -> Scorer:
    """Common neighbours in the undirected graph; relation popularity only breaks ties."""
    popular = popularity_scorer(graph)

    def score(nodes: np.ndarray, relation: int, direction: str) -> np.ndarray:
        common = (graph.binary[nodes] @ graph.binary).toarray()
        pop = popular(nodes[:1], relation, direction)[0]
        return common + pop / (pop.max() + 1.0)
    return score
