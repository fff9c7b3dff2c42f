"""Per chain × scope metrics: members per segment, local 配套率, concentration, single-source
dependencies and chain leaders (链主)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypedDict

import numpy as np
import scipy.sparse as sp

from xietong.chain.graph import COOPERATION_RELATIONS, SUPPLY_RELATIONS, GraphViews
from xietong.chain.placement import Placement
from xietong.chain.scope import Scope, local_mask

SIZE_ATTRIBUTES = (("revenue", "营收(万元)"), ("headcount", "员工人数"))
# prominence (facts about the firm in the whole graph) mostly breaks ties where the chain
# has few supply/cooperation links and sizes are unknown, as in most public data
LEADER_WEIGHTS = {"centrality": 0.45, "size": 0.3, "span": 0.1, "prominence": 0.15}
# 配套率 is a share of supply links: on fewer links it says more about the data than about
# the region (人形机器人 in 上海 on ickg25 + chainkg: 5 links, 0 local → "0%"), so below this
# it is shown with its links and a warning, and no risk rule grades it
MIN_SUPPLY_LINKS = 10


class SingleSource(TypedDict):
    """A local firm (``customer``) with one ``supplier`` in an upstream ``segment``."""

    customer: int  # node
    supplier: int  # node
    segment: int
    supplier_local: bool


@dataclass
class ChainMetrics:
    placement: Placement
    scope: Scope
    local: np.ndarray  # bool over nodes: placed on the chain and inside the scope
    size: np.ndarray  # float over nodes; 1 where unknown
    size_known: np.ndarray  # bool over nodes
    supply: sp.csr_matrix  # binary enterprise → enterprise supply links (A feeds B)
    members: list[np.ndarray]  # per segment, all placed members
    local_members: list[np.ndarray]  # per segment, local members
    segment_metrics: list[dict[str, float | None]] = field(default_factory=list)
    single_sources: list[SingleSource] = field(default_factory=list)
    enterprise_metrics: dict[int, dict[str, float | None]] = field(default_factory=dict)
    pagerank: np.ndarray | None = None
    # bool over nodes: the firm supplies from inside the scope (a local firm, or a supplier
    # of one located in the scope, whether or not it is placed on this chain)
    local_supplier: np.ndarray | None = None
    supply_links: int = 0  # distinct supply links into local firms
    local_supply_links: int = 0  # those whose supplier is inside the scope

    @property
    def local_supply_rate(self) -> float | None:
        """The chain's 配套率 over distinct links (a firm on two segments counts once)."""
        return supply_rate(self.local_supply_links, self.supply_links)


def enterprise_size(views: GraphViews) -> tuple[np.ndarray, np.ndarray]:
    """Revenue where known, else headcount (as a rough proxy), else 1."""
    s = views.snapshot
    size = np.ones(views.n)
    known = np.zeros(views.n, dtype=bool)
    if s.attributes:
        for i, attrs in enumerate(s.attributes):
            if not attrs:
                continue
            for key, _ in SIZE_ATTRIBUTES:
                value = attrs.get(key)
                if isinstance(value, (int, float)) and value > 0:
                    size[i] = float(value)
                    known[i] = True
                    break
    return size, known


def hhi(sizes: np.ndarray) -> float | None:
    """Herfindahl–Hirschman index on a 0–10000 scale; None for an empty segment."""
    total = float(sizes.sum())
    if total <= 0:
        return None
    shares = sizes / total
    return float((shares ** 2).sum() * 10_000)


def pagerank(adjacency: sp.csr_matrix, damping: float = 0.85, tol: float = 1e-8,
             max_iter: int = 100) -> np.ndarray:
    """PageRank by power iteration on a sparse matrix (scipy; see docs/decisions/chains.md)."""
    n = adjacency.shape[0]
    if n == 0:
        return np.zeros(0)
    out_degree = np.asarray(adjacency.sum(axis=1)).ravel()
    inv = np.divide(1.0, out_degree, out=np.zeros(n), where=out_degree > 0)
    transition = sp.diags(inv) @ adjacency
    rank = np.full(n, 1.0 / n)
    dangling = out_degree == 0
    for _ in range(max_iter):
        new = damping * (transition.T @ rank + rank[dangling].sum() / n) + (1 - damping) / n
        if np.abs(new - rank).sum() < tol:
            return new
        rank = new
    return rank


def supply_rate(local_links: int | float, links: int | float) -> float | None:
    """Share of supply links from inside the scope; None without links."""
    return float(local_links / links) if links else None


def compute(placement: Placement, scope: Scope, *, size: tuple[np.ndarray, np.ndarray] | None = None
            ) -> ChainMetrics:
    views, chain = placement.views, placement.chain
    placed = placement.placed
    local = local_mask(views, scope, placed)
    sizes, known = size if size is not None else enterprise_size(views)
    supply = views.matrix(SUPPLY_RELATIONS, "enterprise", "enterprise").astype(bool).astype(np.float64)
    conf_csc = placement.confidence.tocsc()
    members = [conf_csc.indices[conf_csc.indptr[j]:conf_csc.indptr[j + 1]]
               for j in range(len(chain.segments))]
    metrics = ChainMetrics(placement, scope, local, sizes, known, supply.tocsr(), members,
                           [m[local[m]] for m in members])
    _local_suppliers(metrics)
    _segments(metrics)
    _dependencies(metrics)
    return metrics


def _local_suppliers(m: ChainMetrics) -> None:
    """Which suppliers of local firms are inside the scope. A supplier is local by where it
    is, not by whether the placement put it on this chain: a Shanghai battery maker feeding
    a Shanghai robot maker is local supply even when batteries are no segment."""
    supply_in = m.supply.T.tocsr()  # row: customer, columns: its suppliers
    links = supply_in[np.flatnonzero(m.local)]
    suppliers = np.unique(links.indices)
    local_supplier = m.local.copy()
    outside = suppliers[~m.local[suppliers]]
    if outside.size:
        local_supplier |= local_mask(m.placement.views, m.scope, outside)
    m.local_supplier = local_supplier
    m.supply_links = int(links.nnz)
    m.local_supply_links = int(local_supplier[links.indices].sum())


def _segments(m: ChainMetrics) -> None:
    chain = m.placement.chain
    supply_in = m.supply.T.tocsr()  # row: customer, columns: its suppliers
    local_supplier = m.local_supplier if m.local_supplier is not None else m.local
    for j in range(len(chain.segments)):
        local = m.local_members[j]
        downstream = {int(x) for d in chain.downstream_of(j) for x in m.local_members[d]}
        # 配套率: links into this segment's local firms whose supplier is inside the scope
        suppliers = supply_in[local].indices
        local_links = float(local_supplier[suppliers].sum()) if suppliers.size else 0.0
        m.segment_metrics.append({
            "local_enterprises": float(local.size),
            "national_enterprises": float(m.members[j].size),
            "downstream_local_firms": float(len(downstream)),
            "hhi": hhi(m.size[local]),
            "local_supply_rate": supply_rate(local_links, suppliers.size),
            "supply_links": float(suppliers.size),
            "local_supply_links": local_links,
            "single_source_links": 0.0,
        })


def _dependencies(m: ChainMetrics) -> None:
    """Single-source dependencies: a local firm whose suppliers in one upstream segment are
    exactly one firm. Also fills the per-enterprise risk metrics."""
    p = m.placement
    supply_in = m.supply.T.tocsr()
    local_supplier = m.local_supplier if m.local_supplier is not None else m.local
    sole_of: dict[int, int] = {}
    single: dict[int, int] = {}
    customers_of = np.asarray((m.supply[:, np.flatnonzero(m.local)]).sum(axis=1)).ravel()
    for customer in np.flatnonzero(m.local):
        suppliers = supply_in.indices[supply_in.indptr[customer]:supply_in.indptr[customer + 1]]
        groups: dict[int, list[int]] = {}
        for s in suppliers:
            seg = int(p.primary[s])
            if seg >= 0:
                groups.setdefault(seg, []).append(int(s))
        for seg, firms in groups.items():
            if len(firms) == 1:
                supplier = firms[0]
                sole_of[supplier] = sole_of.get(supplier, 0) + 1
                single[int(customer)] = single.get(int(customer), 0) + 1
                m.segment_metrics[seg]["single_source_links"] = (
                    (m.segment_metrics[seg]["single_source_links"] or 0.0) + 1)
                m.single_sources.append({"customer": int(customer), "supplier": supplier,
                                         "segment": seg,
                                         "supplier_local": bool(local_supplier[supplier])})
    for j, local in enumerate(m.local_members):
        total = float(m.size[local].sum())
        for e in local:
            e = int(e)
            if p.primary[e] != j:
                continue
            m.enterprise_metrics[e] = {
                "sole_supplier_of": float(sole_of.get(e, 0)),
                "single_source": float(single.get(e, 0)),
                "segment_share": float(m.size[e] / total) if total else None,
                "segment_local_enterprises": float(local.size),
                "local_customers": float(customers_of[e]),
                "suppliers": float(np.diff(supply_in.indptr)[e]),
            }


def leaders(m: ChainMetrics, top: int = 5) -> list[dict[str, object]]:
    """链主 candidates among local firms: centrality on supply + cooperation links within the
    chain (PageRank, undirected), size, how many segments a firm spans and how many facts the
    graph holds about it; each part is a percentile among local firms so that no unit
    dominates."""
    views, p = m.placement.views, m.placement
    placed = p.placed
    if placed.size == 0 or not m.local.any():
        return []
    links = (m.supply + views.matrix(COOPERATION_RELATIONS, None, None).astype(bool)
             .astype(np.float64))
    sub = links[placed][:, placed]
    sub = ((sub + sub.T) > 0).astype(np.float64).tocsr()
    rank = pagerank(sub)
    degree = np.diff(sub.indptr)
    local_idx = np.flatnonzero(m.local[placed])
    span = np.diff(p.confidence.indptr)[placed]

    def pct(values: np.ndarray) -> np.ndarray:
        order = values.argsort(kind="stable").argsort(kind="stable")
        ties = np.unique(values, return_inverse=True)[1]
        # equal values share the mean rank, so an all-unknown column adds nothing
        mean_rank = np.bincount(ties, weights=order) / np.bincount(ties)
        return mean_rank[ties] / max(len(values) - 1, 1)

    snap = views.snapshot
    facts = (np.bincount(snap.edge_source, minlength=views.n)
             + np.bincount(snap.edge_target, minlength=views.n))
    r, sz, sp_ = rank[local_idx], m.size[placed][local_idx], span[local_idx].astype(float)
    known = facts[placed][local_idx].astype(float)
    # size counts in proportion to how many local firms have one: a single known size among
    # unknowns must not make its firm the leader; the rest of its weight goes to centrality
    sized = m.size_known[placed][local_idx]
    size_pct = np.full(local_idx.size, 0.5)
    if sized.any():
        size_pct[sized] = pct(sz[sized]) if sized.sum() > 1 else 0.5
    size_w = LEADER_WEIGHTS["size"] * float(sized.mean())
    score = ((LEADER_WEIGHTS["centrality"] + LEADER_WEIGHTS["size"] - size_w) * pct(r)
             + size_w * size_pct + LEADER_WEIGHTS["span"] * pct(sp_)
             + LEADER_WEIGHTS["prominence"] * pct(known))
    out = []
    s = views.snapshot
    for k in np.argsort(-score, kind="stable")[:top]:
        node = int(placed[local_idx[k]])
        segs = [p.chain.segments[j].name for j, _ in p.segments_of(node)]
        customers = int(m.supply[node].sum())
        suppliers = int(m.supply[:, node].sum())
        size_text = (f"规模 {m.size[node]:,.0f}" if m.size_known[node] else "规模未知")
        why = (f"链内关联 {int(degree[local_idx[k]])} 家 (供给 {customers} 家、采购自 {suppliers} 家，"
               f"PageRank 本地前 {max(1.0, 100 * (1 - pct(r)[k])):.0f}%)；{size_text}；覆盖环节: {'、'.join(segs)}；"
               f"图谱中相关事实 {int(known[k])} 条")
        out.append({"node": node, "name": s.names[node], "score": round(float(score[k]), 3),
                    "pagerank": float(r[k]), "links": int(degree[local_idx[k]]),
                    "segments": segs, "explanation": why})
    return out
