"""Filtered link-prediction ranking: one code path for xietong and for its peers.

For a quadruple (h, r, t) we rank every entity as the tail of (h, r, ?) and as the head
of (?, r, t). Other true answers (from train, valid and the evaluated split) are removed
before ranking ("filtered"); ties count half, so a constant scorer gets the middle rank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from xietong.match.features import QueryBatch
from xietong.match.index import MatchIndex
from xietong.match.ranker import BATCH, Ranker
from xietong_eval.ickg_graph import Quads

BUSINESS = ("cooperates", "supplies", "invests", "upstream_of", "acquires", "joint_venture",
            "competes")

# (query nodes, relation, direction) -> scores over all entities, one row per query
Scorer = Callable[[np.ndarray, int, str], np.ndarray]


@dataclass(frozen=True, slots=True)
class RankRecord:
    relation: int
    direction: str
    rank: float
    seen: bool  # both entities of the quadruple occur in a training relation


def known_answers(*splits: Quads) -> dict[tuple[int, int, str], set[int]]:
    known: dict[tuple[int, int, str], set[int]] = defaultdict(set)
    for quads in splits:
        for h, r, t in zip(quads.head.tolist(), quads.relation.tolist(), quads.tail.tolist()):
            known[(h, r, "tail")].add(t)
            known[(t, r, "head")].add(h)
    return known


def rank_split(scorer: Scorer, split: Quads, known: dict[tuple[int, int, str], set[int]],
               seen: np.ndarray) -> list[RankRecord]:
    """Filtered ranks of every quadruple of ``split`` in both directions."""
    records: list[RankRecord] = []
    for direction in ("tail", "head"):
        query = split.head if direction == "tail" else split.tail
        answer = split.tail if direction == "tail" else split.head
        for relation in np.unique(split.relation).tolist():
            rows = np.flatnonzero(split.relation == relation)
            for start in range(0, len(rows), BATCH):
                chunk = rows[start : start + BATCH]
                scores = np.asarray(scorer(query[chunk], relation, direction), dtype=np.float64)
                for j, row in enumerate(chunk.tolist()):
                    q, a = int(query[row]), int(answer[row])
                    s = scores[j].copy()
                    others = [x for x in known[(q, relation, direction)] if x != a]
                    target = s[a]
                    if others:
                        s[others] = -np.inf
                    higher = int((s > target).sum())
                    ties = int((s == target).sum()) - 1
                    records.append(RankRecord(relation, direction, 1 + higher + ties / 2,
                                              bool(seen[q] and seen[a])))
    return records


def summarise(records: Iterable[RankRecord]) -> dict[str, float]:
    ranks = np.array([r.rank for r in records], dtype=np.float64)
    if len(ranks) == 0:
        return {"count": 0, "mrr": 0.0, "hits@1": 0.0, "hits@3": 0.0, "hits@10": 0.0}
    return {"count": len(ranks), "mrr": float(np.mean(1.0 / ranks)),
            **{f"hits@{k}": float(np.mean(ranks <= k)) for k in (1, 3, 10)}}


def report(records: list[RankRecord], relations: list[str]) -> dict[str, object]:
    business = {relations.index(k) for k in BUSINESS}
    per_relation = {relations[r]: summarise(x for x in records if x.relation == r)
                    for r in sorted({x.relation for x in records})}
    return {
        "overall": summarise(records),
        "business": summarise(x for x in records if x.relation in business),
        "business_seen": summarise(x for x in records if x.relation in business and x.seen),
        "business_unseen": summarise(x for x in records if x.relation in business and not x.seen),
        "seen": summarise(x for x in records if x.seen),
        "unseen": summarise(x for x in records if not x.seen),
        "per_relation": per_relation,
    }


def xietong_scorer(index: MatchIndex, ranker: Ranker) -> Scorer:
    """Ranker scores for the candidates; everything else below them, by popularity."""
    def score(nodes: np.ndarray, relation: int, direction: str) -> np.ndarray:
        pop, _ = index.graph.popularity(relation, direction)
        prior = index.features.type_prior(relation, direction)[index.features.type_code]
        fallback = 1e-3 * np.log1p(pop) + 1e-4 * prior
        cands = index.features.build(QueryBatch(nodes, relation, direction))
        predicted = ranker.score(cands)
        out = np.tile(fallback, (len(nodes), 1))
        out[cands.query_row, cands.node] = 1000.0 + predicted
        return out
    return score
