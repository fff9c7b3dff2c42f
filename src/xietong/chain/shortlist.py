"""Recruitment shortlists for missing and weak segments (补链/强链, 链式招引), ranked by the
matchmaking engine (xietong.match).

For a segment, the candidates are the enterprises placed on it that are outside the scope.
Two questions go to the ``Matcher``:
- a supplier demand naming the segment and its products (寻找<环节>供应商：<产品>…) —
  ``Matcher.match(text, role="supplier")``;
- for the largest local firms in the segments this one feeds, who could supply them —
  ``Matcher.recommend(customer, "supplies", direction="head")``.
Each list contributes by rank (reciprocal-rank fusion, RRF_K), plus the placement
confidence on the segment; weights in ``WEIGHTS``, documented in docs/chains.md. The
reasons are the matcher's (matched terms, graph paths, product fit) and the placement
evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from xietong.chain.analytics import ChainMetrics
from xietong.chain.template import Segment
from xietong.match.engine import Match, Matcher
from xietong.store.snapshot import GraphSnapshot

RANKER_NAME = "撮合引擎 (xietong.match): 环节供应商需求匹配 + 为本地下游企业推荐供应商，结合环节匹配度"
WEIGHTS = {"demand": 0.45, "recommend": 0.25, "fit": 0.30}
RRF_K = 10  # rank r (0-based) in a list counts RRF_K / (RRF_K + r)
DEMAND_POOL = 200  # matcher answers read per demand
RECOMMEND_POOL = 50  # matcher answers read per local customer
CUSTOMERS = 3  # local downstream firms asked about per segment
MAX_DEMAND_CHARS = 120


def demand_text(segment: Segment) -> str:
    """寻找减速器供应商：谐波减速器、RV减速器… — the segment as a supplier demand."""
    words = list(dict.fromkeys((*segment.products, *segment.keywords)))
    text = f"寻找{segment.name}供应商"
    for i, word in enumerate(words):
        extra = ("：" if i == 0 else "、") + word
        if len(text) + len(extra) > MAX_DEMAND_CHARS:
            break
        text += extra
    return text


def _rrf(rank: int) -> float:
    return RRF_K / (RRF_K + rank)


@dataclass
class _Hit:
    demand_rank: int | None = None
    demand: Match | None = None
    recommend_rank: int | None = None
    recommend: list[tuple[str, int, Match]] = field(default_factory=list)  # customer, rank

    def score(self, fit: float) -> float:
        d = _rrf(self.demand_rank) if self.demand_rank is not None else 0.0
        r = _rrf(self.recommend_rank) if self.recommend_rank is not None else 0.0
        return WEIGHTS["demand"] * d + WEIGHTS["recommend"] * r + WEIGHTS["fit"] * fit


class MatchRanker:
    """Shortlists from a ``Matcher`` built on the same graph (any snapshot of the same
    store: nodes are mapped by entity id)."""

    name = RANKER_NAME

    def __init__(self, matcher: Matcher) -> None:
        self.matcher = matcher

    def rank(self, m: ChainMetrics, segment: int, candidates: np.ndarray, top: int
             ) -> list[dict[str, object]]:
        if candidates.size == 0:
            return []
        p, snap = m.placement, m.placement.views.snapshot
        wanted = set(candidates.tolist())
        to_chain = self._to_chain(snap)
        hits: dict[int, _Hit] = {}

        seg = p.chain.segments[segment]
        text = demand_text(seg)
        rank = 0
        for match in self.matcher.match(text, role="supplier", top=DEMAND_POOL):
            node = to_chain(match)
            if node in wanted:
                hit = hits.setdefault(node, _Hit())
                hit.demand_rank, hit.demand = rank, match
                rank += 1

        for customer in self._customers(m, segment):
            asked = self._to_matcher(snap, customer)
            if asked is None:
                continue
            rank = 0
            for match in self.matcher.recommend(asked, "supplies", direction="head",
                                                top=RECOMMEND_POOL):
                node = to_chain(match)
                if node in wanted:
                    hit = hits.setdefault(node, _Hit())
                    hit.recommend.append((snap.names[customer], rank, match))
                    if hit.recommend_rank is None or rank < hit.recommend_rank:
                        hit.recommend_rank = rank
                    rank += 1

        fit = np.asarray(p.confidence[candidates, segment].todense()).ravel()
        scores = np.array([hits.get(int(c), _Hit()).score(float(f))
                           for c, f in zip(candidates, fit)])
        # ties (no matcher answer at all): the placement confidence, then size
        order = np.lexsort((-m.size[candidates], -fit, -scores))[:top]
        return [self._entry(m, segment, int(candidates[k]), float(scores[k]), float(fit[k]),
                            hits.get(int(candidates[k])), text) for k in order]

    # -- node mapping: the matcher may hold another snapshot of the same store (a cached
    # one, whose node order differs), so nodes are matched by entity id ------------------
    @staticmethod
    def _to_chain(snap: GraphSnapshot) -> Callable[[Match], int]:
        return lambda match: snap.node_of.get(match.entity_id, -1)

    def _to_matcher(self, snap: GraphSnapshot, node: int) -> int | None:
        return self.matcher.index.snapshot.node_of.get(int(snap.ids[node]))

    @staticmethod
    def _customers(m: ChainMetrics, segment: int) -> list[int]:
        """The largest local firms (most confident first on ties) in the segments fed."""
        p = m.placement
        pool = {int(x) for d in p.chain.downstream_of(segment) for x in m.local_members[d]}
        return sorted(pool, key=lambda x: (-m.size[x], -p.primary_confidence[x], x))[:CUSTOMERS]

    def _entry(self, m: ChainMetrics, segment: int, node: int, score: float, fit: float,
               hit: _Hit | None, text: str) -> dict[str, object]:
        p, snap = m.placement, m.placement.views.snapshot
        reasons: list[str] = []
        if hit and hit.demand is not None:
            assert hit.demand_rank is not None  # rank() sets both together
            r = hit.demand.reasons
            why = [f"匹配词「{'、'.join(r.matched_terms[:4])}」"] if r.matched_terms else []
            why += r.chain_fit[:2] or r.path_texts()[:1]
            reasons.append(f"撮合需求「{text[:24]}…」候选第 {hit.demand_rank + 1} 名"
                           + (f"：{'；'.join(why)}" if why else ""))
        if hit:
            for customer, rank, match in hit.recommend[:2]:
                path = match.reasons.path_texts()[:1]
                reasons.append(f"撮合引擎推荐为本地企业「{customer}」的供应商 (第 {rank + 1} 名)"
                               + (f"：{path[0]}" if path else ""))
        evidence = "；".join(e.text for e in p.evidence(node, segment, limit=2))
        reasons.append(f"环节匹配度 {fit:.2f}" + (f"：{evidence}" if evidence else ""))
        if m.size_known[node]:
            reasons.append(f"规模 {m.size[node]:,.0f}")
        places = hit.demand.reasons.places if hit and hit.demand else []
        return {"node": node, "name": snap.names[node], "score": round(score, 3),
                "matched": bool(hit and (hit.demand or hit.recommend)),
                "places": places[:3], "reasons": reasons}


def shortlist(m: ChainMetrics, segment: int, ranker: MatchRanker, top: int = 5
              ) -> list[dict[str, object]]:
    """The best candidates outside the scope for one segment."""
    members = m.members[segment]
    outside = members[~m.local[members]]
    return ranker.rank(m, segment, outside, top)
