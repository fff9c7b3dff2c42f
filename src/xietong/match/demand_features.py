"""Candidates for a free-text demand and their features, one column each.

A demand's candidates are the organisations whose profiles match its words (BM25) and
those linked, in the role sought, to the products and industries it names (the anchors)
or to one chain step from them (上游材料, 产品小类…). Each way of finding a candidate is
a column, so that the fixed combination (:func:`fixed_score`, used for roles without
labels) and the learned one (xietong.match.demand_ranker, for suppliers) read the same
numbers. Array work only: a product named by a demand can have tens of thousands of
suppliers at 1M profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from xietong.match import demand as demands
from xietong.match.graph import gather_rows, row
from xietong.match.index import MatchIndex
from xietong.match.profiles import name_terms
from xietong.match.supplier_demand import SupplierDemand, parse_supplier
from xietong.match.supplier_pool import Sought, SoughtProducts
from xietong.match.tokens import content_words, gram_set

ORGANISATIONS = ("enterprise", "investor", "institute", "government", "park")
ANCHOR_TYPES = ("product", "industry", "chain_segment", "patent")
CHAIN = ("upstream_material", "sub_product", "downstream_product", "upstream_of", "contains")
PROFILE_HITS, NAME_HITS, ANCHORS = 300, 100, 20
CHAIN_STEP = 0.4  # a chain neighbour of an anchor counts 0.4 of the anchor

DEMAND_FEATURES = (
    # the four terms of the fixed combination
    "profile_bm25",  # BM25 of the demand's words against the profile, ÷ the best hit's
    "anchor_paths",  # Σ over role links from an anchor to the candidate of the anchor's weight
    "chain_paths",  # the same from one chain step away from an anchor (weight not scaled)
    "role_popularity",  # Σ log(1 + times the candidate played the role), 0 without a role
    # extra columns for the learned ranker
    "profile_bm25_raw", "profile_rank", "name_bm25", "anchor_best", "anchor_links",
    "chain_links", "main_share", "chain_main_share", "main_products", "cand_degree",
    "cand_type",
    # how the candidate is linked to the products a supplier demand seeks (supplier_pool)
    "sought_maker",  # makes or supplies a product the demand names (or a variant of it)
    "sought_share",  # its best 主营产品 revenue share in one
    "sought_cover",  # how much of the demand's product words that product's name covers
    "sought_makers",  # log(1 + makers) of the most specific sought product it makes
    "narrower_maker",  # makes a 产品小类 of one, or a product whose name contains one
    "narrower_share",
    "poster_maker",  # makes the poster's own product (a peer or customer, not a supplier)
    "name_sim",  # best character-bigram Dice of one of its products' names with the sought's
    "name_sim_share",  # that product's 主营产品 revenue share
)
CATEGORICAL = ("cand_type",)
# The fixed combination: weights set by hand (not tuned on any benchmark)
FIXED_WEIGHTS = {"profile_bm25": 1.0, "anchor_paths": 1.5, "chain_paths": 1.5 * CHAIN_STEP,
                 "role_popularity": 0.1}


@dataclass(slots=True)
class DemandCandidates:
    node: np.ndarray  # organisations, in the order first found (ties keep that order)
    x: np.ndarray  # float32, columns as DEMAND_FEATURES
    anchors: list[int]  # the products/industries the demand names, best first

    def column(self, name: str) -> np.ndarray:
        return self.x[:, DEMAND_FEATURES.index(name)]


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2.0 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def fixed_score(cands: DemandCandidates) -> np.ndarray:
    score = np.zeros(len(cands.node), dtype=np.float64)
    for name, weight in FIXED_WEIGHTS.items():
        score += weight * cands.column(name).astype(np.float64)
    return score.astype(np.float32)


def _gather(m: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Like gather_rows, plus each entry's stored value."""
    nodes, via = gather_rows(m, rows)
    if len(nodes) == 0:
        return nodes, via, np.empty(0, dtype=np.float32)
    starts = m.indptr[rows]
    offsets = np.concatenate([[0], np.cumsum(m.indptr[rows + 1] - starts)[:-1]])
    positions = starts[via] + np.arange(len(nodes)) - offsets[via]
    return nodes, via, m.data[positions]


class DemandFeatures:
    """Builds :class:`DemandCandidates` over one :class:`MatchIndex`."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self._shares: tuple[tuple[int, int], sp.csr_matrix] | None = None
        self.products = SoughtProducts(index)

    def supplier(self, text: str) -> tuple[SupplierDemand, Sought, DemandCandidates]:
        """A supplier demand read (what is sought, for what), its products in this store,
        and its candidates: the sought words' BM25 hits and anchors plus the makers of the
        sought products and of narrower ones."""
        parsed = parse_supplier(text)
        sought = self.products.of(parsed)
        terms = parsed.terms or content_words(text)
        return parsed, sought, self.build(terms, "supplier", sought)

    def _main_shares(self) -> sp.csr_matrix | None:
        """product × company: the revenue share of each 主营产品 link (0 when unknown);
        rebuilt when a relation has been added since."""
        snap = self.index.snapshot
        if "main_product" not in snap.relations:
            return None
        key = (snap.edge_count, self.index.graph.n)
        if self._shares is None or self._shares[0] != key:
            main = snap.edge_relation == snap.relations.index("main_product")
            share = np.nan_to_num(snap.edge_weight[main].astype(np.float32), nan=0.0)
            n = self.index.graph.n
            m = sp.csr_matrix((share + 1e-6, (snap.edge_target[main], snap.edge_source[main])),
                              shape=(n, n), dtype=np.float32)
            m.sum_duplicates()
            self._shares = (key, m)
        return self._shares[1]

    def build(self, terms: list[str], role: str | None,
              sought: Sought | None = None) -> DemandCandidates:
        """``sought``: the products a supplier demand names, read by supplier_pool; their
        makers join the candidates with the sought_* columns."""
        idx, g = self.index, self.index.graph
        hit, bm25 = idx.text.search(terms, "profile", PROFILE_HITS, types=ORGANISATIONS)
        found = [hit.astype(np.int64)]
        anchor_nodes, anchor_scores = idx.text.search(name_terms(["".join(terms)]) + terms,
                                                      "name", ANCHORS, types=ANCHOR_TYPES)
        anchors = anchor_nodes.tolist()
        near = near_w = np.empty(0)
        is_anchor = np.empty(0, dtype=bool)  # boolean, like the mask computed below
        via = np.empty(0, dtype=np.int64)
        if len(anchor_scores):
            pairs = demands.ROLES.get(role or "", ()) or demands.ROLES["supplier"]
            chain = [g.answers(g.relations.index(k), d) for k in CHAIN if k in g.relations
                     for d in ("tail", "head")]
            roles = [g.answers(g.relations.index(k), d) for k, d in pairs if k in g.relations]
            nears, owner = [], []
            for i, a in enumerate(anchors):  # the anchor and its chain neighbours, each once
                one = np.concatenate([[a], *(row(m, a) for m in chain)]).astype(np.int64)
                one, first = np.unique(one, return_index=True)
                nears.append(one[np.argsort(first)])
                owner.append(np.full(len(nears[-1]), i))
            near, anchor_of = np.concatenate(nears), np.concatenate(owner)
            is_anchor = near == anchor_nodes[anchor_of]
            near_w = (anchor_scores / anchor_scores.max()).astype(np.float64)[anchor_of]
            # one gather per role relation; entries then ordered anchor by anchor, role by
            # role, as they were found when this was a loop (the order breaks score ties)
            gathered = [gather_rows(m, near) for m in roles]
            nodes_r = np.concatenate([n for n, _ in gathered])
            via_r = np.concatenate([v for _, v in gathered])
            key = anchor_of[via_r] * len(roles) + np.repeat(
                np.arange(len(roles)), [len(n) for n, _ in gathered])
            order = np.argsort(key, kind="stable")
            found.append(nodes_r[order])
            via = via_r[order]
        links = self._sought_links(sought, role) if sought is not None else []
        found += [nodes_l for nodes_l, *_ in links]
        nodes = np.concatenate(found)
        unique, first, inverse = np.unique(nodes, return_index=True, return_inverse=True)
        order = np.argsort(first, kind="stable")  # first-found order breaks ties
        rank_of = np.empty(len(order), dtype=np.int64)
        rank_of[order] = np.arange(len(order))
        slot = rank_of[inverse]  # each found entry's candidate row
        k = len(unique)
        x = np.zeros((k, len(DEMAND_FEATURES)), dtype=np.float64)
        col = {name: i for i, name in enumerate(DEMAND_FEATURES)}
        n_hit = len(hit)
        if n_hit:
            x[slot[:n_hit], col["profile_bm25"]] = bm25 / float(bm25.max())
            x[slot[:n_hit], col["profile_bm25_raw"]] = bm25
        x[:, col["profile_rank"]] = PROFILE_HITS
        x[slot[:n_hit], col["profile_rank"]] = np.arange(n_hit)
        if len(via):
            paths, direct, w = slot[n_hit:n_hit + len(via)], is_anchor[via], near_w[via]
            for name, values in (("anchor_paths", np.where(direct, w, 0.0)),
                                 ("chain_paths", np.where(direct, 0.0, w)),
                                 ("anchor_links", direct.astype(np.float64)),
                                 ("chain_links", (~direct).astype(np.float64))):
                x[:, col[name]] = np.bincount(paths, weights=values, minlength=k)
            np.maximum.at(x[:, col["anchor_best"]], paths, np.where(direct, w, 0.0))
        candidates = unique[order]
        if role:
            for relation, direction in demands.ROLES[role]:
                if relation in g.relations:
                    pop, _ = g.popularity(g.relations.index(relation), direction)
                    x[:, col["role_popularity"]] += np.log1p(pop[candidates])
        self._shares_of(candidates, near, is_anchor, x, col)
        self._sought_columns(candidates, links, x, col)
        if sought is not None and sought.span:
            self._name_similarity(candidates, sought.span, x, col)
        name_hit, name_bm25 = idx.text.search(terms, "name", NAME_HITS, types=ORGANISATIONS)
        if len(name_hit):
            pos = np.searchsorted(unique, name_hit)
            pos[pos >= k] = max(k - 1, 0)
            ok = (unique[pos] == name_hit) if k else np.zeros(len(name_hit), dtype=bool)
            x[rank_of[pos[ok]], col["name_bm25"]] = name_bm25[ok] / float(name_bm25.max())
        x[:, col["cand_degree"]] = np.log1p(g.degree[candidates])
        fb = idx.features
        code = np.array([ORGANISATIONS.index(t) if t in ORGANISATIONS else -1
                         for t in fb.type_names])  # store type code -> ORGANISATIONS code
        x[:, col["cand_type"]] = code[fb.type_code[candidates]]
        keep = x[:, col["cand_type"]] >= 0
        return DemandCandidates(candidates[keep], x[keep].astype(np.float32), anchors)

    def _sought_links(self, sought: Sought, role: str | None
                      ) -> list[tuple[np.ndarray, str, np.ndarray, np.ndarray, np.ndarray]]:
        """Per product group (sought, narrower, poster): makers, with each link's cover,
        revenue share and its product's log maker count."""
        g = self.index.graph
        pairs = demands.ROLES.get(role or "", ()) or demands.ROLES["supplier"]
        roles = [g.answers(g.relations.index(k), d) for k, d in pairs if k in g.relations]
        shares = self._main_shares()
        out = []
        for group, products, cover in (
                ("sought", sought.products, sought.cover),
                ("narrower", sought.narrower, [1.0] * len(sought.narrower)),
                ("poster", sought.poster, [1.0] * len(sought.poster))):
            nodes, covers, share, count = [], [], [], []
            for product, c in zip(products, cover):
                made = np.unique(np.concatenate([row(m, product) for m in roles])
                                 if roles else np.empty(0)).astype(np.int64)
                if len(made) == 0:
                    continue
                got = np.zeros(len(made))
                if shares is not None:
                    companies, _via, values = _gather(shares, np.array([product]))
                    pos = np.searchsorted(made, companies)
                    ok = (pos < len(made)) & (made[np.minimum(pos, len(made) - 1)] == companies)
                    np.maximum.at(got, pos[ok], values[ok])
                nodes.append(made)
                covers.append(np.full(len(made), c))
                share.append(got)
                count.append(np.full(len(made), np.log1p(len(made))))
            if nodes:
                out.append((np.concatenate(nodes), group, np.concatenate(covers),
                            np.concatenate(share), np.concatenate(count)))
        return out

    @staticmethod
    def _sought_columns(candidates: np.ndarray,
                        links: list[tuple[np.ndarray, str, np.ndarray, np.ndarray, np.ndarray]],
                        x: np.ndarray, col: dict[str, int]) -> None:
        if len(candidates) == 0:
            return
        sorter = np.argsort(candidates)
        for nodes, group, cover, share, count in links:
            pos = sorter[np.searchsorted(candidates, nodes, sorter=sorter)]
            if group == "poster":
                x[pos, col["poster_maker"]] = 1.0
                continue
            x[pos, col[f"{group}_maker"]] = 1.0
            np.maximum.at(x[:, col[f"{group}_share"]], pos, share)
            if group == "sought":
                np.maximum.at(x[:, col["sought_cover"]], pos, cover)
                # the most specific product it makes: fewest makers (set from the top down)
                best = np.full(len(candidates), np.inf)
                np.minimum.at(best, pos, count)
                made = np.isfinite(best)
                x[made, col["sought_makers"]] = best[made]

    def _name_similarity(self, candidates: np.ndarray, span: str, x: np.ndarray,
                         col: dict[str, int]) -> None:
        """How close the candidate's own products' names come to the sought name: a
        product held out of the graph (or never linked) is often made by a company with
        a near name (钢结构 for 钢结构工程)."""
        g, snap = self.index.graph, self.index.snapshot
        if "main_product" not in g.relations or len(candidates) == 0:
            return
        made = g.by_relation[g.relations.index("main_product")]
        products, owner = gather_rows(made, candidates.astype(np.int64))
        if len(products) == 0:
            return
        unique, inverse = np.unique(products, return_inverse=True)
        wanted = gram_set(span)
        sim = np.array([_dice(wanted, gram_set(snap.names[p])) for p in unique.tolist()])
        per_link = sim[inverse]
        np.maximum.at(x[:, col["name_sim"]], owner, per_link)
        shares = self._main_shares()
        if shares is None:
            return
        best = per_link >= x[owner, col["name_sim"]] - 1e-9
        share = np.asarray(shares[products[best], candidates[owner[best]]]).ravel()
        np.maximum.at(x[:, col["name_sim_share"]], owner[best], share)

    def _shares_of(self, candidates: np.ndarray, near: np.ndarray, direct: np.ndarray,
                   x: np.ndarray, col: dict[str, int]) -> None:
        """The best 主营产品 revenue share of a candidate in an anchor product (and in a
        chain neighbour of one), and how many main products it has."""
        shares = self._main_shares()
        if shares is None or len(candidates) == 0:
            return
        g = self.index.graph
        pop, _ = g.popularity(g.relations.index("main_product"), "head")
        x[:, col["main_products"]] = np.log1p(pop[candidates])
        if len(near) == 0:
            return
        companies, via, share = _gather(shares, near.astype(np.int64))
        if len(companies) == 0:
            return
        sorter = np.argsort(candidates)
        pos = np.searchsorted(candidates, companies, sorter=sorter)
        pos[pos >= len(candidates)] = 0
        ok = candidates[sorter[pos]] == companies
        rows, share, from_anchor = sorter[pos[ok]], share[ok], direct[via[ok]]
        np.maximum.at(x[:, col["main_share"]], rows[from_anchor], share[from_anchor])
        np.maximum.at(x[:, col["chain_main_share"]], rows[~from_anchor], share[~from_anchor])
