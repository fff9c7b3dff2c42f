"""Recruitment shortlists for missing and weak segments (补链/强链, 链式招引).

Ranking goes through the small ``Ranker`` interface so that the matchmaking engine
(xietong.match, issue 3) can take over. Until it exposes a ranking call this module uses
``FitRanker``: segment fit (placement confidence), size, and links to local chain firms
(上下楼就是上下游) — documented in docs/chains.md.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from xietong.chain.analytics import ChainMetrics
from xietong.chain.graph import COOPERATION_RELATIONS


class Ranker(Protocol):
    name: str

    def rank(self, m: ChainMetrics, segment: int, candidates: np.ndarray, top: int
             ) -> list[dict[str, object]]: ...


class FitRanker:
    name = "fallback: segment fit × size × links to local firms"

    def rank(self, m: ChainMetrics, segment: int, candidates: np.ndarray, top: int
             ) -> list[dict[str, object]]:
        p, views = m.placement, m.placement.views
        if candidates.size == 0:
            return []
        conf = np.asarray(p.confidence[candidates, segment].todense()).ravel()
        links = (m.supply + views.matrix(COOPERATION_RELATIONS, None, None).astype(bool)
                 .astype(np.float64)).tocsr()
        local_cols = m.local.astype(np.float64)
        to_local = (links[candidates] @ local_cols) + (links.T.tocsr()[candidates] @ local_cols)
        size = m.size[candidates]
        size_term = np.where(m.size_known[candidates], np.log10(np.maximum(size, 1.0)) / 10, 0.0)
        score = conf + 0.15 * np.minimum(to_local, 3) + np.minimum(size_term, 0.5)
        order = np.argsort(-score, kind="stable")[:top]
        s = views.snapshot
        out = []
        for k in order:
            node = int(candidates[k])
            reasons = [f"环节匹配度 {conf[k]:.2f}: " + "；".join(
                e.text for e in p.evidence(node, segment, limit=2))]
            if to_local[k]:
                reasons.append(f"已与 {int(to_local[k])} 家本地链上企业有供给/合作关系")
            if m.size_known[node]:
                reasons.append(f"规模 {m.size[node]:,.0f}")
            out.append({"node": node, "name": s.names[node], "score": round(float(score[k]), 3),
                        "reasons": reasons})
        return out


def default_ranker() -> Ranker:
    return FitRanker()


def shortlist(m: ChainMetrics, segment: int, ranker: Ranker | None = None, top: int = 5
              ) -> list[dict[str, object]]:
    """The best candidates outside the scope for one segment."""
    members = m.members[segment]
    outside = members[~m.local[members]]
    return (ranker or default_ranker()).rank(m, segment, outside, top)
