"""Placing enterprises on a chain's segments, with a confidence and the evidence.

Signals, each an (entity × segment) sparse matrix:
- ``member``: an explicit 属于链环节 fact to a chain_segment node named like the segment;
- ``industry``: the enterprise's industries (涉足行业/归属于行业/所属行业) that the template maps
  to the segment, or whose names contain its keywords;
- ``product``: its products (主营产品 weighted by revenue share, 发布产品, 供给…) named in the
  template or containing a segment keyword;
- ``text``: segment keywords in its own names and description;
- ``relation``: supply links to enterprises already placed — a supplier of an 整机 maker is
  likely in a segment upstream of 整机.
The raw score is a weighted sum; confidence = 1 − exp(−score), so independent signals add up
but never pass 1. The weights are fixed, documented defaults (docs/chains.md), not fitted:
labels are held out for the accuracy figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from xietong.chain.graph import INDUSTRY_RELATIONS, PRODUCT_RELATIONS, SUPPLY_RELATIONS, GraphViews
from xietong.chain.keywords import keyword_strength, match_keywords
from xietong.chain.template import ChainTemplate, Segment
from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot

WEIGHTS = {"member": 3.0, "industry": 1.0, "product": 1.2, "text": 0.6, "relation": 0.4}
MIN_CONFIDENCE = 0.3
SECONDARY_RATIO = 0.6  # a second segment is kept when its confidence is ≥ 60% of the best
NON_PRODUCER_WORDS = ("私募基金", "基金管理", "投资基金", "产业投资", "股权投资", "创业投资",
                      "投资管理", "资产管理", "经济发展有限公司", "开发区", "置业", "房地产",
                      "物业管理")
UNWEIGHTED_PRODUCT = 0.5  # a product link without a revenue share counts half
RELATION_VOTES_FOR_FULL = 2  # supply links to placed firms needed for the full relation signal


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # member | industry | product | text | relation
    text: str  # Chinese, for people
    facts: tuple[int, ...] = ()  # fact ids, for citations

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "facts": list(self.facts)}


@dataclass
class Placement:
    chain: ChainTemplate
    views: GraphViews
    confidence: sp.csr_matrix  # n × segments; only kept cells
    primary: np.ndarray  # int per node: segment index, −1 when not on the chain
    primary_confidence: np.ndarray
    signals: dict[str, sp.csr_matrix] = field(default_factory=dict)  # n × segments each
    _node_features: dict[str, sp.csr_matrix] = field(default_factory=dict)

    @property
    def placed(self) -> np.ndarray:
        return np.flatnonzero(self.primary >= 0)

    def members(self, segment: int) -> np.ndarray:
        """Nodes placed on a segment (primary or secondary)."""
        col = self.confidence.tocsc()[:, segment]
        return col.indices[col.data > 0]

    def segments_of(self, node: int) -> list[tuple[int, float]]:
        row = self.confidence.getrow(node)
        return sorted(zip(row.indices.tolist(), row.data.tolist()), key=lambda x: -x[1])

    def evidence(self, node: int, segment: int, limit: int = 6) -> list[Evidence]:
        """Why ``node`` sits on ``segment``, strongest signals first."""
        s, v, out = self.views.snapshot, self.views, []
        label = {r.key: r.label for r in REGISTRY.relation_types.values()}
        for kind, relations, feature in (
            ("member", ("member_of_segment",), "segment_node"),
            ("industry", INDUSTRY_RELATIONS, "industry_node"),
            ("product", PRODUCT_RELATIONS, "product_node"),
        ):
            if self.signals[kind][node, segment] <= 0:
                continue
            m = v.matrix(relations, "enterprise", _TARGET[kind])
            row = slice(m.indptr[node], m.indptr[node + 1])
            for target, edge in zip(m.indices[row], m.data[row] - 1):
                score = self._node_features[feature][target, segment]
                if score <= 0:
                    continue
                rel = s.relations[s.edge_relation[edge]]
                w = s.edge_weight[edge]
                share = f"，占比 {w:.0%}" if rel == "main_product" and not np.isnan(w) else ""
                out.append((score * WEIGHTS[kind], Evidence(
                    kind, f"{label.get(rel, rel)}「{s.names[target]}」{share}",
                    (int(s.edge_fact[edge]),))))
        if self.signals["text"][node, segment] > 0:
            text = _node_text(s, node).lower()
            words = [k for k in _segment_keywords(self.chain.segments[segment])
                     if k.lower() in text]
            out.append((WEIGHTS["text"], Evidence("text", "名称/简介含关键词「"
                                                  + "、".join(words[:4]) + "」")))
        if self.signals["relation"][node, segment] > 0:
            out.append((WEIGHTS["relation"] * self.signals["relation"][node, segment],
                        self._relation_evidence(node, segment)))
        out.sort(key=lambda x: -x[0])
        return [e for _, e in out[:limit]]

    def _relation_evidence(self, node: int, segment: int) -> Evidence:
        s = self.views.snapshot
        m = self.views.matrix(SUPPLY_RELATIONS, "enterprise", "enterprise")
        downstream, upstream = self.chain.downstream_of(segment), self.chain.upstream_of(segment)
        customers = [c for c in m.indices[m.indptr[node]:m.indptr[node + 1]]
                     if any(self.confidence[c, d] > 0 for d in downstream)]
        suppliers = [c for c in m.T.tocsr().getrow(node).indices
                     if any(self.confidence[c, u] > 0 for u in upstream)]
        parts = []
        if customers:
            parts.append("供给下游 " + "、".join(s.names[c] for c in customers[:3]))
        if suppliers:
            parts.append("采购自上游 " + "、".join(s.names[c] for c in suppliers[:3]))
        return Evidence("relation", "；".join(parts) or "供应链关系")


_TARGET = {"member": "chain_segment", "industry": "industry", "product": "product"}


def _segment_keywords(segment: Segment) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*segment.keywords, *segment.products)))


def _node_text(s: GraphSnapshot, node: int) -> str:
    description = s.attributes[node].get("description", "") if s.attributes else ""
    return " ".join([s.names[node], *s.aliases[node], str(description or "")])


def _keyword_matrix(views: GraphViews, chain: ChainTemplate, nodes: np.ndarray) -> sp.csr_matrix:
    """n × segments: the strength of the most specific keyword found in each node's text;
    a segment matched only by a shorter keyword than another segment's gets half."""
    s = views.snapshot
    keywords: list[str] = []
    segment_of: list[int] = []
    for j, seg in enumerate(chain.segments):
        for k in _segment_keywords(seg):
            keywords.append(k)
            segment_of.append(j)
    texts = [_node_text(s, int(i)) for i in nodes]
    rows, cols = match_keywords(texts, keywords)
    n_seg = len(chain.segments)
    strength = np.array([keyword_strength(k) for k in keywords])
    best = _max_per_cell(nodes[rows], np.array(segment_of)[cols], strength[cols], views.n, n_seg)
    rowmax = np.asarray(best.max(axis=1).todense()).ravel()
    best = best.tocoo()
    top = best.data >= rowmax[best.row] - 1e-9
    data = np.where(top, best.data, best.data * 0.5)
    return sp.csr_matrix((data, (best.row, best.col)), shape=(views.n, n_seg))


def _max_per_cell(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, n: int, m: int
                  ) -> sp.csr_matrix:
    if rows.size == 0:
        return sp.csr_matrix((n, m))
    key = rows.astype(np.int64) * m + cols
    order = np.lexsort((-values, key))
    key, values = key[order], values[order]
    first = np.concatenate(([True], key[1:] != key[:-1]))
    key, values = key[first], values[first]
    return sp.csr_matrix((values, (key // m, key % m)), shape=(n, m))


def _exact_matrix(views: GraphViews, chain: ChainTemplate, nodes: np.ndarray,
                  names_of: str) -> sp.csr_matrix:
    """n × segments: 1/k for a node whose name (or alias) the template lists under
    ``names_of`` (industries/products/names) for k segments."""
    s = views.snapshot
    wanted: dict[str, set[int]] = {}
    for j, seg in enumerate(chain.segments):
        listed = seg.names if names_of == "names" else getattr(seg, names_of)
        for name in listed:
            wanted.setdefault(name.lower(), set()).add(j)
    rows, cols, vals = [], [], []
    for i in nodes:
        found: set[int] = set()
        for name in (s.names[i], *s.aliases[i]):
            found |= wanted.get(name.lower(), set())
        for j in found:
            rows.append(int(i))
            cols.append(j)
            vals.append(1.0 / len(found))
    return sp.csr_matrix((vals, (rows, cols)), shape=(views.n, len(chain.segments)))


def _weighted_products(views: GraphViews) -> sp.csr_matrix:
    m = views.matrix(PRODUCT_RELATIONS, "enterprise", "product").astype(np.float64)
    w = views.weights(views.matrix(PRODUCT_RELATIONS, "enterprise", "product"))
    m.data = np.where(np.isnan(w), UNWEIGHTED_PRODUCT, w)
    return m


def _binary(m: sp.csr_matrix) -> sp.csr_matrix:
    out = m.astype(np.float64)
    out.data[:] = 1.0
    return out


def place(views: GraphViews, chain: ChainTemplate, *, min_confidence: float = MIN_CONFIDENCE
          ) -> Placement:
    enterprise = views.of_type("enterprise")
    industries = np.flatnonzero(views.of_type("industry"))
    products = np.flatnonzero(views.of_type("product"))
    segment_nodes = np.flatnonzero(views.of_type("chain_segment"))
    enterprises = np.flatnonzero(enterprise)

    # node-level features: what each industry / product / chain_segment node means here
    ind_kw = _keyword_matrix(views, chain, industries)
    ind_exact = _exact_matrix(views, chain, industries, "industries")
    industry_node = ind_exact + ind_kw.multiply(0.5).multiply(_no_row(ind_exact))
    prod_exact = _exact_matrix(views, chain, products, "products")
    product_node = prod_exact + _keyword_matrix(views, chain, products).multiply(_no_row(prod_exact))
    segment_node = _exact_matrix(views, chain, segment_nodes, "names")

    member = _binary(views.matrix(("member_of_segment",), "enterprise", "chain_segment")) @ segment_node
    industry = _binary(views.matrix(INDUSTRY_RELATIONS, "enterprise", "industry")) @ industry_node
    product = _weighted_products(views) @ product_node
    text = _keyword_matrix(views, chain, enterprises)
    base = (WEIGHTS["member"] * _clip(member) + WEIGHTS["industry"] * _clip(industry)
            + WEIGHTS["product"] * _clip(product) + WEIGHTS["text"] * text)
    relation = _relation_signal(views, chain, base, min_confidence)
    # supply links only strengthen a firm that something else already puts on the chain:
    # alone they placed foundries and telecoms on 数据采集与训练场 (a customer's upstream)
    has_content = (np.diff(sp.csr_matrix(base).indptr) > 0).astype(np.float64)
    relation = sp.csr_matrix(relation.multiply(has_content[:, None]))
    producer = enterprise & ~non_producers(views)
    raw = (base + WEIGHTS["relation"] * relation).tocsr()
    raw = raw.multiply(producer[:, None].astype(np.float64)).tocsr()

    conf = raw.copy()
    conf.data = 1.0 - np.exp(-conf.data)
    best = np.asarray(conf.max(axis=1).todense()).ravel()
    coo = conf.tocoo()
    keep = (coo.data >= min_confidence) & (coo.data >= SECONDARY_RATIO * best[coo.row])
    kept = sp.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=conf.shape)
    primary = np.full(views.n, -1, dtype=np.int64)
    has = best >= min_confidence
    primary[has] = np.asarray(kept[has].argmax(axis=1)).ravel()
    return Placement(
        chain=chain, views=views, confidence=kept, primary=primary,
        primary_confidence=np.where(has, best, 0.0),
        signals={"member": member.tocsr(), "industry": industry.tocsr(),
                 "product": product.tocsr(), "text": text, "relation": relation.tocsr()},
        _node_features={"segment_node": segment_node.tocsr(),
                        "industry_node": industry_node.tocsr(),
                        "product_node": product_node.tocsr()},
    )


def non_producers(views: GraphViews) -> np.ndarray:
    """Enterprises whose registered name says they invest in or develop for an industry
    rather than make anything in it (私募基金管理, 经济发展有限公司, 置业…): they are never
    placed on a chain, so never 链主 or recruitment candidates."""
    s = views.snapshot
    enterprises = np.flatnonzero(views.of_type("enterprise"))
    rows, _ = match_keywords([s.names[int(i)] for i in enterprises], NON_PRODUCER_WORDS)
    out = np.zeros(views.n, dtype=bool)
    out[enterprises[rows]] = True
    return out


def _no_row(exact: sp.csr_matrix) -> np.ndarray:
    """Column vector: 1 where a node has no exact mapping (keywords then speak for it)."""
    has = np.diff(exact.indptr) > 0
    return (~has).astype(np.float64)[:, None]


def _clip(m: sp.spmatrix) -> sp.csr_matrix:
    out = sp.csr_matrix(m)
    out.data = np.minimum(out.data, 1.0)
    return out


def _relation_signal(views: GraphViews, chain: ChainTemplate, base: sp.spmatrix,
                     min_confidence: float) -> sp.csr_matrix:
    """Supply links to confidently placed enterprises vote for adjacent segments: a
    supplier of segment s is voted into s's upstream segments, a customer into its
    downstream ones (each vote split evenly)."""
    n_seg = len(chain.segments)
    b = sp.csr_matrix(base)
    rowmax = np.asarray(b.max(axis=1).todense()).ravel()
    conf_best = 1.0 - np.exp(-rowmax)
    coo = b.tocoo()
    top = (coo.data >= rowmax[coo.row] - 1e-9) & (conf_best[coo.row] >= min_confidence)
    anchor = sp.csr_matrix((np.ones(top.sum()), (coo.row[top], coo.col[top])), shape=b.shape)
    up = np.zeros((n_seg, n_seg))
    down = np.zeros((n_seg, n_seg))
    for s in range(n_seg):
        ups, downs = chain.upstream_of(s), chain.downstream_of(s)
        for u in ups:
            up[s, u] = 1.0 / len(ups)
        for d in downs:
            down[s, d] = 1.0 / len(downs)
    supply = _binary(views.matrix(SUPPLY_RELATIONS, "enterprise", "enterprise"))
    votes = supply @ (anchor @ sp.csr_matrix(up)) + supply.T @ (anchor @ sp.csr_matrix(down))
    # one link alone only strengthens other signals; two or more can place a firm by itself
    return _clip(votes * (1.0 / RELATION_VOTES_FOR_FULL))
