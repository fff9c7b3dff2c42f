"""Why a candidate was ranked: matched terms, graph paths with their facts, shared park or
region, and upstream/downstream fit. Facts are cited by id; ``cite`` fetches their sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xietong.match.index import MatchIndex
from xietong.model.registry import REGISTRY

_PLACE = ("located_in_park", "located_in_region")
_PRODUCT = ("main_product", "supplies", "launches", "produces_from_patent")
_CHAIN = ("upstream_material", "sub_product", "downstream_product", "upstream_of")


@dataclass(slots=True)
class Hop:
    source: str  # subject of the fact
    relation: str  # Chinese label
    target: str  # object of the fact
    fact: int  # fact id (negative: a line of a data-set split, no store fact)
    weight: float | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Reasons:
    matched_terms: list[str] = field(default_factory=list)
    paths: list[list[Hop]] = field(default_factory=list)  # each: hops from query to candidate
    shared_places: list[str] = field(default_factory=list)
    chain_fit: list[str] = field(default_factory=list)  # upstream/downstream/product fit
    places: list[str] = field(default_factory=list)  # where the candidate is

    def path_texts(self) -> list[str]:
        return [render_path(p) for p in self.paths]

    def to_dict(self) -> dict[str, Any]:
        return {
            "matched_terms": self.matched_terms,
            "paths": [{"text": render_path(p),
                       "facts": [{"subject": h.source, "relation": h.relation, "object": h.target,
                                  "fact_id": h.fact, "weight": h.weight, "sources": h.sources}
                                 for h in p]} for p in self.paths],
            "shared_places": self.shared_places, "chain_fit": self.chain_fit,
            "places": self.places,
        }


def render_path(hops: Sequence[Hop]) -> str:
    """"A 合作 B 供给 C", walking from the query: a fact read against its direction is
    shown as "B ←供给— C" (C 供给 B)."""
    if not hops:
        return ""
    first = hops[0]
    current = first.source
    if len(hops) > 1 and first.source in (hops[1].source, hops[1].target):
        current = first.target  # the walk starts at the far end of the first fact
    text = current
    for hop in hops:
        if hop.source == current:
            text += f" {hop.relation} {hop.target}"
            current = hop.target
        else:
            text += f" ←{hop.relation}— {hop.source}"
            current = hop.source
    return text


class Explainer:
    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self._edges: np.ndarray | None = None  # edge indexes sorted by end node
        self._bounds: np.ndarray | None = None
        self._indexed = 0  # edges covered by the sorted arrays; later ones are scanned
        self._extra: dict[int, list[int]] = {}

    def incident(self, node: int) -> list[int]:
        """Edge indexes touching ``node``: sorted arrays built once, edges added since
        kept in a small per-node dict (no re-sort per new relation)."""
        g = self.index.graph
        if self._edges is None:
            ends = np.concatenate([g.src, g.dst])
            order = np.argsort(ends, kind="stable")
            self._edges = np.concatenate([np.arange(len(g.src))] * 2)[order]
            self._bounds = np.searchsorted(ends[order], np.arange(g.n + 1))
            self._indexed = len(g.src)
        for e in range(self._indexed, len(g.src)):
            self._extra.setdefault(int(g.src[e]), []).append(e)
            self._extra.setdefault(int(g.dst[e]), []).append(e)
        self._indexed = max(self._indexed, len(g.src))
        assert self._bounds is not None
        base: list[int] = []
        if node + 1 < len(self._bounds):
            base = self._edges[self._bounds[node]:self._bounds[node + 1]].tolist()
        return base + self._extra.get(node, [])

    def _hop(self, edge: int) -> Hop:
        g, snap = self.index.graph, self.index.snapshot
        key = g.relations[int(g.rel[edge])]
        weight = None
        if edge < len(snap.edge_weight) and snap.edge_weight[edge] == snap.edge_weight[edge]:
            weight = float(snap.edge_weight[edge])
        return Hop(snap.names[int(g.src[edge])], REGISTRY.relation_types[key].label,
                   snap.names[int(g.dst[edge])], int(g.fact[edge]), weight)

    def _other(self, edge: int, node: int) -> int:
        g = self.index.graph
        return int(g.dst[edge]) if int(g.src[edge]) == node else int(g.src[edge])

    def _neighbours(self, node: int, keys: Sequence[str] = ()) -> dict[int, int]:
        """other node -> an edge reaching it (restricted to relation ``keys`` if given)."""
        g = self.index.graph
        codes = {g.relations.index(k) for k in keys if k in g.relations}
        found: dict[int, int] = {}
        for e in self.incident(node):
            if codes and int(g.rel[e]) not in codes:
                continue
            found.setdefault(self._other(e, node), e)
        return found

    def paths(self, sources: Sequence[int], candidate: int, limit: int = 3) -> list[list[Hop]]:
        """Direct facts and 2-hop paths from any of ``sources`` to ``candidate``, through
        the least-connected middle nodes first (a shared hub explains little)."""
        g = self.index.graph
        out: list[list[Hop]] = []
        theirs = self._neighbours(candidate)
        for s in sources:
            if s == candidate:
                continue
            if s in theirs:
                out.append([self._hop(theirs[s])])
            mine = self._neighbours(s)
            middle = sorted((set(mine) & set(theirs)) - {s, candidate},
                            key=lambda x: g.degree[x])
            for x in middle[: limit]:
                out.append([self._hop(mine[x]), self._hop(theirs[x])])
            if len(out) >= limit:
                break
        return out[:limit]

    def places(self, node: int) -> set[int]:
        return set(self._neighbours(node, _PLACE))

    def explain(self, candidate: int, *, query_terms: Sequence[str] = (),
                path_sources: Sequence[int] = (), place_of: Sequence[int] = (),
                products: Sequence[int] = ()) -> Reasons:
        fb, snap = self.index.features, self.index.snapshot
        reasons = Reasons()
        theirs = set(fb.profile_terms[candidate]) | set(fb.name_terms[candidate])
        reasons.matched_terms = [t for t in dict.fromkeys(query_terms) if t in theirs and len(t) > 1]
        reasons.paths = self.paths(path_sources, candidate)
        where = self.places(candidate)
        reasons.places = [snap.names[p] for p in sorted(where)]
        wanted: set[int] = set()
        for node in place_of:
            wanted |= self.places(node)
        reasons.shared_places = [snap.names[p] for p in sorted(where & wanted)]
        reasons.chain_fit = self.chain_fit(candidate, products)
        return reasons

    def chain_fit(self, candidate: int, products: Sequence[int]) -> list[str]:
        """The candidate's products that are, or sit up/downstream of, the wanted ones."""
        snap, g = self.index.snapshot, self.index.graph
        if not products:
            return []
        wanted = set(products)
        fits: list[str] = []
        for product, edge in self._neighbours(candidate, _PRODUCT).items():
            hop = self._hop(edge)
            share = f" ({hop.weight:.0%})" if hop.weight is not None else ""
            if product in wanted:
                fits.append(f"{hop.relation} {snap.names[product]}{share}")
                continue
            for other, link in self._neighbours(product, _CHAIN).items():
                if other in wanted:
                    h = self._hop(link)
                    fits.append(f"{hop.relation} {snap.names[product]}{share}：{h.source} "
                                f"{h.relation} {h.target}")
                    break
            if len(fits) >= 3:
                break
        del g
        return fits


def cite(reasons: list[Reasons], conn: Any) -> None:
    """Attach each path fact's sources (file, row, date, confidence) from the store."""
    from xietong.store.queries import _evidence_for

    hops = [h for r in reasons for p in r.paths for h in p if h.fact >= 0]
    evidence = _evidence_for(conn, sorted({h.fact for h in hops}))
    for hop in hops:
        hop.sources = evidence.get(hop.fact, [])
