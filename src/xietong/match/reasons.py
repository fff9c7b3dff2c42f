"""Why a candidate was ranked: matched terms, graph paths with their facts, shared park or
region, and upstream/downstream fit. Facts are cited by id; ``cite`` fetches their sources."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from xietong.i18n import _
from xietong.match.index import MatchIndex
from xietong.match.tokens import STOPWORDS, words
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


# Words of legal forms and their fragments (character bigrams of 有限公司 and the like):
# every company has them, so they explain nothing
LEGAL_FORMS = frozenset("""
    有限 公司 有限公司 限公 责任 有限责任 任公 股份 份有 股份有限 集团 控股 实业 分公司 总公司
    企业 行业 产业 机构 中心 研究院 有限合伙 合伙 合伙企业 事务所
    """.split())
# A matched term found in more than this share of profiles is too generic to show
COMMON_SHARE = 0.02


@dataclass(slots=True)
class Reasons:
    matched_terms: list[str] = field(default_factory=list)
    paths: list[list[Hop]] = field(default_factory=list)  # each: hops from query to candidate
    shared_places: list[str] = field(default_factory=list)
    chain_fit: list[str] = field(default_factory=list)  # upstream/downstream/product fit
    places: list[str] = field(default_factory=list)  # where the candidate is
    # investors and acquirers: investees that fit the demand, and a summary line
    portfolio: list[str] = field(default_factory=list)
    portfolio_label: str = ""  # what they are: 被投企业 or 供应方
    portfolio_note: str = ""

    def any(self) -> bool:
        """Whether anything explains the result (where it is does not)."""
        return bool(self.matched_terms or self.paths or self.chain_fit or self.portfolio)

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
            "places": self.places, "portfolio": self.portfolio,
            "portfolio_label": self.portfolio_label,
            "portfolio_note": self.portfolio_note,
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
    """Reasons for a few results at a time. Neighbourhoods are numpy arrays (a hub has
    hundreds of thousands of edges at 1M profiles: no Python loop over them), cached per
    node until the graph changes."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self._edges: np.ndarray | None = None  # edge indexes sorted by end node
        self._bounds: np.ndarray | None = None
        self._indexed = 0  # edges covered by the sorted arrays; later ones are scanned
        self._extra: dict[int, list[int]] = {}
        self._ends_cache: dict[tuple[int, tuple[str, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._chain_memo: tuple[tuple[tuple[int, ...], int], dict[int, int]] | None = None
        self._sources_memo: tuple[tuple[tuple[int, ...], int], tuple[np.ndarray, ...]] | None \
            = None

    def incident(self, node: int) -> np.ndarray:
        """Edge indexes touching ``node``: sorted arrays built once, edges added since
        kept in a small per-node dict (no re-sort per new relation)."""
        g = self.index.graph
        if self._edges is None:
            ends = np.concatenate([g.src, g.dst])
            order = np.argsort(ends, kind="stable")
            self._edges = np.concatenate([np.arange(len(g.src))] * 2)[order]
            self._bounds = np.searchsorted(ends[order], np.arange(g.n + 1))
            self._indexed = len(g.src)
        if self._indexed < len(g.src):
            for e in range(self._indexed, len(g.src)):
                self._extra.setdefault(int(g.src[e]), []).append(e)
                self._extra.setdefault(int(g.dst[e]), []).append(e)
            self._indexed = len(g.src)
            self._ends_cache.clear()
        assert self._bounds is not None
        base = self._edges[self._bounds[node]:self._bounds[node + 1]] \
            if node + 1 < len(self._bounds) else np.empty(0, dtype=np.int64)
        extra = self._extra.get(node)
        return np.concatenate([base, np.array(extra, dtype=np.int64)]) if extra else base

    def _hop(self, edge: int) -> Hop:
        g, snap = self.index.graph, self.index.snapshot
        key = g.relations[int(g.rel[edge])]
        weight = None
        if edge < len(snap.edge_weight) and snap.edge_weight[edge] == snap.edge_weight[edge]:
            weight = float(snap.edge_weight[edge])
        return Hop(snap.names[int(g.src[edge])], REGISTRY.relation_types[key].label,
                   snap.names[int(g.dst[edge])], int(g.fact[edge]), weight)

    def _ends(self, node: int, keys: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray]:
        """The other ends of ``node``'s edges (of relations ``keys`` if given), sorted and
        unique, with the first edge reaching each."""
        key = (node, tuple(keys))
        edges = self.incident(node)  # also notices new edges
        if key in self._ends_cache:
            return self._ends_cache[key]
        g = self.index.graph
        if keys:
            wanted = np.isin(np.array(g.relations, dtype=object), list(keys))
            edges = edges[wanted[g.rel[edges]]]
        others = np.where(g.src[edges] == node, g.dst[edges], g.src[edges])
        others, first = np.unique(others, return_index=True)
        if len(self._ends_cache) > 4096:
            self._ends_cache.clear()
        self._ends_cache[key] = found = (others, edges[first])
        return found

    def _sources(self, sources: tuple[int, ...]) -> tuple[np.ndarray, ...]:
        """All neighbours of all ``sources`` in one array sorted by node: (node, which
        source, the source's edge to it). Kept for the next candidate of the same query."""
        version = (sources, len(self.index.graph.src))
        if self._sources_memo is None or self._sources_memo[0] != version:
            ends = [self._ends(s) for s in sources]
            nodes = np.concatenate([o for o, _ in ends] or [np.empty(0, dtype=np.int64)])
            which = np.repeat(np.arange(len(sources)), [len(o) for o, _ in ends])
            edges = np.concatenate([e for _, e in ends] or [np.empty(0, dtype=np.int64)])
            order = np.argsort(nodes, kind="stable")
            self._sources_memo = (version, (nodes[order], which[order], edges[order]))
        return self._sources_memo[1]

    def paths(self, sources: Sequence[int], candidate: int, limit: int = 3) -> list[list[Hop]]:
        """Direct facts and 2-hop paths from ``sources`` (earlier ones first) to
        ``candidate``, through the least-connected middle nodes first (a shared hub
        explains little)."""
        g = self.index.graph
        source_nodes = np.array(sources, dtype=np.int64)
        theirs, their_edges = self._ends(candidate)
        if len(source_nodes) == 0 or len(theirs) == 0:
            return []
        # direct facts: sources among the candidate's neighbours
        at = np.minimum(np.searchsorted(theirs, source_nodes), len(theirs) - 1)
        direct = np.flatnonzero((theirs[at] == source_nodes) & (source_nodes != candidate))
        # 2-hop: the candidate's neighbours among the sources' neighbours
        nodes, which, edges = self._sources(tuple(source_nodes.tolist()))
        lo, hi = np.searchsorted(nodes, theirs, "left"), np.searchsorted(nodes, theirs, "right")
        counts = hi - lo
        hit = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + \
            np.arange(int(counts.sum()))
        mine_of = np.repeat(np.arange(len(theirs)), counts)  # index into theirs
        k = which[hit]
        middle = nodes[hit]
        keep = (middle != source_nodes[k]) & (middle != candidate) & \
            (source_nodes[k] != candidate)
        hit, mine_of, k, middle = hit[keep], mine_of[keep], k[keep], middle[keep]
        # one list ordered as a walk over the sources: each source's direct fact, then its
        # middles by degree
        source_key = np.concatenate([direct, k])
        kind = np.concatenate([np.zeros(len(direct)), np.ones(len(k))])
        degree = np.concatenate([np.zeros(len(direct)), g.degree[middle]])
        node_key = np.concatenate([np.zeros(len(direct)), middle])
        out: list[list[Hop]] = []
        for j in np.lexsort((node_key, degree, kind, source_key))[:limit].tolist():
            if j < len(direct):
                out.append([self._hop(int(their_edges[at[direct[j]]]))])
            else:
                j -= len(direct)
                out.append([self._hop(int(edges[hit[j]])),
                            self._hop(int(their_edges[mine_of[j]]))])
        return out

    def telling(self, term: str) -> bool:
        """Whether a matched term says something: a whole word (not a character bigram
        cut out of one, like 限公), not a stop word or legal form, and not in more than
        COMMON_SHARE of the profiles (公司, 上海, 科技…)."""
        if len(term) < 2 or term.isdigit() or term in STOPWORDS or term in LEGAL_FORMS:
            return False
        if words(term) != (term,):
            return False
        return not self.index.text.is_common("profile", term, COMMON_SHARE)

    def places(self, node: int) -> set[int]:
        return set(self._ends(node, _PLACE)[0].tolist())

    def explain(self, candidate: int, *, query_terms: Sequence[str] = (),
                path_sources: Sequence[int] = (), place_of: Sequence[int] = (),
                products: Sequence[int] = ()) -> Reasons:
        fb, snap = self.index.features, self.index.snapshot
        reasons = Reasons()
        theirs = set(fb.profile_terms[candidate]) | set(fb.name_terms[candidate])
        reasons.matched_terms = [t for t in dict.fromkeys(query_terms)
                                 if t in theirs and self.telling(t)]
        reasons.paths = self.paths(path_sources, candidate)
        where = self.places(candidate)
        reasons.places = [snap.names[p] for p in sorted(where)]
        wanted: set[int] = set()
        for node in place_of:
            wanted |= self.places(node)
        reasons.shared_places = [snap.names[p] for p in sorted(where & wanted)]
        reasons.chain_fit = self.chain_fit(candidate, products)
        return reasons

    def _chain_links(self, products: tuple[int, ...]) -> dict[int, int]:
        """Products one chain step from a wanted one -> that link (kept for the next
        candidate of the same query)."""
        version = (products, len(self.index.graph.src))
        if self._chain_memo is None or self._chain_memo[0] != version:
            linked: dict[int, int] = {}
            for w in dict.fromkeys(products):
                others, links = self._ends(w, _CHAIN)
                for other, link in zip(others.tolist(), links.tolist()):
                    linked.setdefault(other, link)
            self._chain_memo = (version, linked)
        return self._chain_memo[1]

    def chain_fit(self, candidate: int, products: Sequence[int]) -> list[str]:
        """The candidate's products that are, or sit up/downstream of, the wanted ones."""
        snap = self.index.snapshot
        if not products:
            return []
        wanted = set(products)
        linked = self._chain_links(tuple(products))
        fits: list[str] = []
        mine, edges = self._ends(candidate, _PRODUCT)
        for product, edge in zip(mine.tolist(), edges.tolist()):
            if product not in wanted and product not in linked:
                continue
            hop = self._hop(edge)
            share = revenue_share(hop.weight) if hop.relation == _MAIN_LABEL else ""
            share = f" ({share})" if share else ""
            if product in wanted:
                fits.append(f"{hop.relation} {snap.names[product]}{share}")
            else:
                h = self._hop(linked[product])
                fits.append(f"{hop.relation} {snap.names[product]}{share}：{h.source} "
                            f"{h.relation} {h.target}")
            if len(fits) >= 3:
                break
        return fits


_MAIN_LABEL = REGISTRY.relation_types["main_product"].label


def revenue_share(weight: float | None) -> str:
    """A 主营产品 weight as the user reads it. ChainKG's weight is the product's share of
    the company's main-business revenue (主营业务收入构成) as its report breaks it down —
    by segment, by product and by region at once, so a company's weights add up to about
    2 and not 1; a segment reported before inter-segment eliminations (分部间抵销) can pass
    1, and elimination lines are negative. So: a percentage up to 100 %, "≥100%" beyond,
    nothing for zero or negative weights (no share to speak of)."""
    if weight is None or weight != weight or weight <= 0:
        return ""
    if weight > 1:
        return _("营收占比 ≥100%（分部抵销前）")
    return _("营收占比 {share}").format(share=f"{weight:.0%}" if weight >= 0.01 else "<1%")


def cite(reasons: list[Reasons], conn: Any) -> None:
    """Attach each path fact's sources (file, row, date, confidence) from the store."""
    from xietong.store.queries import _evidence_for

    hops = [h for r in reasons for p in r.paths for h in p if h.fact >= 0]
    evidence = _evidence_for(conn, sorted({h.fact for h in hops}))
    for hop in hops:
        hop.sources = evidence.get(hop.fact, [])
