"""Candidates and their features for queries (entity, relation, direction).

A query asks for the answers of (q, r, ?) — direction "tail" — or (?, r, q) — "head".
Candidates come from several generators, each also a feature:

- the graph: common neighbours and Adamic-Adar (2 hops), neighbours' answers
  (q — x —r→ c), co-answers (q and c share an answer of r) and collaborative answers
  (answers of those who share answers with q);
- text: BM25 of q's name among names, and of q's profile among profiles; the answers
  of entities whose names resemble q's (this ranks entities that were never in a
  training relation);
- priors: how often c answers r in this direction, and P(type of c | r, direction).

Everything is computed for a batch of queries of one (r, direction) with sparse products.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from xietong.match.encoder import TextEncoder
from xietong.match.graph import GraphIndex, gather_rows
from xietong.match.termlists import TermLists
from xietong.match.textindex import TextIndex
from xietong.match.tokens import bigrams, gram_set

FEATURES = (
    "relation", "direction", "cand_type", "query_type", "query_seen", "query_degree",
    "cand_degree", "pop_answer", "pop_query", "type_prior", "direct_edges", "reverse",
    "common_neighbours", "adamic_adar", "neighbour_answers", "co_answers", "collab_answers",
    "name_bm25", "name_jaccard", "profile_bm25", "text_answers", "text_neighbours",
)
CATEGORICAL = ("relation", "direction", "cand_type", "query_type")
DENSE_FEATURE = "dense_cosine"
# Query terms in more than 2 % of documents are skipped, and at most 40 terms are used:
# speed at 1M profiles (docs/decisions/matching.md)
MAX_DF, MAX_TERMS = 0.02, 40
JACCARD_BY_SETS = 50  # queries whose name Jaccard is computed by sets, before the matrix


@dataclass(frozen=True, slots=True)
class QueryBatch:
    nodes: np.ndarray  # query node per row
    relation: int
    direction: str  # "tail": rank tails of (q, r, ?); "head": rank heads of (?, r, q)


@dataclass(slots=True)
class Candidates:
    query_row: np.ndarray  # which query of the batch each candidate row belongs to
    node: np.ndarray
    x: np.ndarray  # float32 features, columns as in ``columns``
    columns: tuple[str, ...]


def _row_values(m: sp.csr_matrix, row: int, cols: np.ndarray) -> np.ndarray:
    start, end = m.indptr[row], m.indptr[row + 1]
    idx, data = m.indices[start:end], m.data[start:end]
    out = np.zeros(len(cols), dtype=np.float32)
    if len(idx) == 0:
        return out
    pos = np.searchsorted(idx, cols)
    pos[pos >= len(idx)] = len(idx) - 1
    hit = idx[pos] == cols
    out[hit] = data[pos[hit]]
    return out


def _row_top(m: sp.csr_matrix, row: int, k: int) -> np.ndarray:
    start, end = m.indptr[row], m.indptr[row + 1]
    idx, data = m.indices[start:end], m.data[start:end]
    if len(idx) <= k:
        return idx
    return idx[np.argpartition(-data, k)[:k]]


def _sorted(m: sp.spmatrix) -> sp.csr_matrix:
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    m.sort_indices()
    return m


def _product(a: sp.csr_matrix, b: sp.csr_matrix) -> sp.csr_matrix:
    """a @ b with sorted indices. For a few query rows, gather b's rows directly: scipy's
    product allocates a workspace as wide as the graph (1M columns) on every call."""
    if a.shape[0] > 8:
        return _sorted(a @ b)
    indptr, indices, data = [0], [], []
    for i in range(a.shape[0]):
        cols, vals = a.indices[a.indptr[i]:a.indptr[i + 1]], a.data[a.indptr[i]:a.indptr[i + 1]]
        starts, lens = b.indptr[cols], b.indptr[cols + 1] - b.indptr[cols]
        total = int(lens.sum())
        if total == 0:
            indptr.append(indptr[-1])
            continue
        shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
        take = shift + np.arange(total)
        unique, inverse = np.unique(b.indices[take], return_inverse=True)
        indices.append(unique)
        data.append(np.bincount(inverse, weights=b.data[take] * np.repeat(vals, lens)))
        indptr.append(indptr[-1] + len(unique))
    if not indices:
        return sp.csr_matrix((a.shape[0], b.shape[1]), dtype=np.float32)
    out = sp.csr_matrix((np.concatenate(data).astype(np.float32), np.concatenate(indices),
                         np.array(indptr)), shape=(a.shape[0], b.shape[1]))
    out.has_sorted_indices = True
    return out


class FeatureBuilder:
    """Feature rows for (query, candidate) pairs over one graph and its text index."""

    def __init__(self, graph: GraphIndex, text: TextIndex, types: list[str],
                 name_terms: TermLists, profile_terms: TermLists,
                 *, per_generator: int = 50,
                 hub_cap: int = 20_000, encoder: TextEncoder | None = None,
                 names: list[str] | None = None) -> None:
        self.graph, self.text = graph, text
        self.type_names = sorted(set(types) | {"enterprise", "product", "industry", "patent",
                                               "investor", "institute", "government"})
        self.type_code = np.array([self.type_names.index(t) for t in types], dtype=np.int64)
        self.name_terms, self.profile_terms = name_terms, profile_terms
        self.per_generator = per_generator
        # middle nodes above this degree are skipped in 2-hop products: at a million nodes a
        # hub's neighbourhood is the graph, and Adamic-Adar gives it almost no weight anyway
        self.hub_cap = hub_cap
        self.encoder, self.names = encoder, names
        self._embeddings: np.ndarray | None = None
        # names as rows of character uni/bigram ids, for Jaccard by sparse products
        self._grams: sp.csr_matrix | None = None
        self._gram_ids: dict[str, int] = {}
        self._jaccard_calls = 0
        self._type_prior: dict[tuple[int, str], np.ndarray] = {}  # also caches top answers

    @property
    def columns(self) -> tuple[str, ...]:
        return FEATURES + ((DENSE_FEATURE,) if self.encoder else ())

    def type_prior(self, relation: int, direction: str) -> np.ndarray:
        """log P(type | relation, direction) per type code, add-one smoothed."""
        key = (relation, direction)
        if key not in self._type_prior:
            answers, _ = self.graph.popularity(relation, direction)
            counts = np.bincount(self.type_code, weights=answers, minlength=len(self.type_names))
            self._type_prior[key] = np.log((counts + 1.0) / (counts.sum() + len(counts)))
        return self._type_prior[key]

    def _drop_hubs(self, m: sp.csr_matrix) -> sp.csr_matrix:
        """``m`` without columns of nodes above the hub cap (O(nnz), no dense mask)."""
        out = m.copy()
        out.data = out.data * (self.graph.degree[out.indices] <= self.hub_cap)
        out.eliminate_zeros()
        return out

    def _top_popular(self, relation: int, direction: str) -> np.ndarray:
        key = (relation, direction + ":top")
        if key not in self._type_prior:
            pop, _ = self.graph.popularity(relation, direction)
            k = min(self.per_generator, len(pop))
            top = np.argpartition(-pop, k - 1)[:k] if k else np.empty(0, dtype=np.int64)
            self._type_prior[key] = top[pop[top] > 0]  # cleared with the priors on updates
        return self._type_prior[key]

    def _text_matrices(self, nodes: np.ndarray, n: int) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        k = self.per_generator
        rows_n, cols_n, vals_n, rows_p, cols_p, vals_p = [], [], [], [], [], []
        for i, q in enumerate(nodes.tolist()):
            hit, score = self.text.search(self.name_terms[q], "name", k // 2 + 1,
                                          max_df=MAX_DF, max_terms=MAX_TERMS)
            keep = hit != q
            rows_n.append(np.full(keep.sum(), i))
            cols_n.append(hit[keep])
            vals_n.append(score[keep])
            hit, score = self.text.search(self.profile_terms[q], "profile", k + 1,
                                          max_df=MAX_DF, max_terms=MAX_TERMS)
            keep = hit != q
            rows_p.append(np.full(keep.sum(), i))
            cols_p.append(hit[keep])
            vals_p.append(score[keep])
        shape = (len(nodes), n)

        def build(r: list[np.ndarray], c: list[np.ndarray], v: list[np.ndarray]) -> sp.csr_matrix:
            return _sorted(sp.csr_matrix(
                (np.concatenate(v) if v else [], (np.concatenate(r) if r else [],
                                                  np.concatenate(c) if c else [])), shape=shape))

        return build(rows_n, cols_n, vals_n), build(rows_p, cols_p, vals_p)

    def build(self, batch: QueryBatch, extra: list[np.ndarray] | None = None) -> Candidates:
        """Candidates and features for every query of ``batch``; ``extra[i]`` are more
        candidates for query i (e.g. the true answers when training)."""
        g, n, k = self.graph, self.graph.n, self.per_generator
        nodes = batch.nodes.astype(np.int64)
        b = len(nodes)
        q = sp.csr_matrix((np.ones(b, dtype=np.float32), (np.arange(b), nodes)), shape=(b, n))
        m = g.answers(batch.relation, batch.direction)
        m_t = g.answers(batch.relation, "head" if batch.direction == "tail" else "tail") \
            if not g.symmetric[batch.relation] else m
        neighbours = _product(q, g.binary)
        middle = self._drop_hubs(neighbours)
        common = _product(middle, g.binary)
        weighted = middle.copy()
        weighted.data = weighted.data * g.aa_weight[weighted.indices]
        adamic = _product(weighted, g.binary)
        direct = _product(q, g.adjacency)
        neighbour_answers = _product(middle, m)
        known = _product(q, m)
        co_answers = _product(known, m_t)
        collab = _product(self._drop_hubs(co_answers), m)
        reverse = _product(q, m_t)
        names, profiles = self._text_matrices(nodes, n)
        text_answers = _product(names, m)
        text_neighbours = _product(names, g.binary)
        pop_answer, pop_query = g.popularity(batch.relation, batch.direction)
        top_popular = self._top_popular(batch.relation, batch.direction)
        prior = self.type_prior(batch.relation, batch.direction)

        generators = (adamic, neighbour_answers, co_answers, collab, names, profiles,
                      text_answers, text_neighbours, direct)
        rows, cand_nodes, blocks = [], [], []
        for i in range(b):
            parts = [top_popular] + [_row_top(mat, i, k) for mat in generators]
            if extra is not None:
                parts.append(extra[i])
            cands = np.unique(np.concatenate(parts).astype(np.int64))
            cands = cands[cands != nodes[i]]
            c = len(cands)
            qn = nodes[i]
            cols = [
                np.full(c, batch.relation), np.full(c, 0 if batch.direction == "tail" else 1),
                self.type_code[cands], np.full(c, self.type_code[qn]),
                np.full(c, float(g.degree[qn] > 0)), np.full(c, np.log1p(g.degree[qn])),
                np.log1p(g.degree[cands]), np.log1p(pop_answer[cands]), np.log1p(pop_query[cands]),
                prior[self.type_code[cands]],
                _row_values(direct, i, cands), _row_values(reverse, i, cands),
                _row_values(common, i, cands), _row_values(adamic, i, cands),
                _row_values(neighbour_answers, i, cands), _row_values(co_answers, i, cands),
                np.log1p(_row_values(collab, i, cands)),
                _row_values(names, i, cands), self._jaccard(qn, cands),
                _row_values(profiles, i, cands),
                _row_values(text_answers, i, cands), _row_values(text_neighbours, i, cands),
            ]
            if self.encoder:
                cols.append(self._dense(qn, cands))
            rows.append(np.full(c, i))
            cand_nodes.append(cands)
            blocks.append(np.column_stack(cols).astype(np.float32))
        width = len(self.columns)
        return Candidates(
            query_row=np.concatenate(rows) if rows else np.empty(0, dtype=np.int64),
            node=np.concatenate(cand_nodes) if cand_nodes else np.empty(0, dtype=np.int64),
            x=np.vstack(blocks) if blocks else np.empty((0, width), dtype=np.float32),
            columns=self.columns,
        )

    def _gram_rows(self) -> sp.csr_matrix:
        """Node × gram binary matrix of the names' character uni- and bigrams; rows for
        names added since are appended (a per-pair set intersection in Python was a
        seventh of a cold build at 155K names)."""
        assert self.names is not None
        done = 0 if self._grams is None else self._grams.shape[0]
        if done < len(self.names):
            ids, indptr, indices = self._gram_ids, [0], []
            for name in self.names[done:]:
                indices.extend(sorted({ids.setdefault(g, len(ids)) for g in bigrams(name)}))
                indptr.append(len(indices))
            width = len(ids)
            rows = sp.csr_matrix((np.ones(len(indices), dtype=np.float32),
                                  np.array(indices, dtype=np.int64), np.array(indptr)),
                                 shape=(len(indptr) - 1, width))
            if self._grams is None:
                self._grams = rows
            else:
                old = self._grams
                old = sp.csr_matrix((old.data, old.indices, old.indptr), shape=(old.shape[0],
                                                                                width))
                self._grams = sp.vstack([old, rows], format="csr")
        assert self._grams is not None
        return self._grams

    def _jaccard(self, q: int, cands: np.ndarray) -> np.ndarray:
        """|grams(q) ∩ grams(c)| / |grams(q) ∪ grams(c)| of the names' character grams:
        by sets for the first queries (one CLI call asks one), by the gram matrix once
        there are many (training asks thousands; building the matrix takes ~2 s at 155K
        names, which one query should not pay)."""
        self._jaccard_calls += 1
        if self._grams is None and self._jaccard_calls <= JACCARD_BY_SETS:
            assert self.names is not None
            mine = gram_set(self.names[q])
            if not mine:
                return np.zeros(len(cands), dtype=np.float32)
            return np.array([len(mine & (other := gram_set(self.names[c]))) /
                             (len(mine | other) or 1) for c in cands.tolist()],
                            dtype=np.float32)
        grams = self._gram_rows()
        mine = grams.indices[grams.indptr[q]:grams.indptr[q + 1]]
        if len(mine) == 0 or len(cands) == 0:
            return np.zeros(len(cands), dtype=np.float32)
        # the candidates' gram ids gathered in numpy (scipy's row slicing and transposes
        # cost more than the sets they replace, per query)
        ids, which = gather_rows(grams, cands.astype(np.int64))
        inter = np.bincount(which[np.isin(ids, mine)], minlength=len(cands)).astype(np.float64)
        sizes = grams.indptr[cands + 1] - grams.indptr[cands]
        union = len(mine) + sizes - inter
        return (inter / np.where(union > 0, union, 1)).astype(np.float32)

    def _dense(self, q: int, cands: np.ndarray) -> np.ndarray:
        assert self.encoder is not None and self.names is not None
        if self._embeddings is None or len(self._embeddings) < len(self.names):
            vectors = self.encoder.encode(self.names)
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            self._embeddings = (vectors / np.maximum(norms, 1e-9)).astype(np.float32)
        return self._embeddings[cands] @ self._embeddings[q]
