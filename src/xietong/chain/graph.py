"""Relation groups of a GraphSnapshot as sparse matrices, built once and shared.

Chain analytics needs a handful of views of the graph (enterprise → industry, enterprise →
product, enterprise → enterprise supply, locations); each is a CSR matrix whose data is
the snapshot edge index + 1, so any cell leads back to the fact (and its evidence).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from xietong.store.snapshot import GraphSnapshot

INDUSTRY_RELATIONS = ("operates_in", "belongs_to_industry", "in_industry")
PRODUCT_RELATIONS = ("main_product", "launches", "produces_from_patent", "supplies", "contains")
# A→B means A's output feeds B: B depends on A.
SUPPLY_RELATIONS = ("supplies", "upstream_of")
COOPERATION_RELATIONS = ("cooperates", "joint_venture")


@dataclass
class GraphViews:
    snapshot: GraphSnapshot
    exclude: frozenset[str] = frozenset()  # relations held out (for evaluation)
    _cache: dict[tuple[str, ...], sp.csr_matrix] = field(default_factory=dict)
    _types: dict[str, np.ndarray] = field(default_factory=dict)
    _type_codes: tuple[list[str], np.ndarray] | None = None

    @property
    def n(self) -> int:
        return self.snapshot.node_count

    def of_type(self, entity_type: str) -> np.ndarray:
        """Boolean mask of the nodes of one entity type."""
        if entity_type not in self._types:
            if self._type_codes is None:  # one pass over the Python list, then numpy
                unique, codes = np.unique(np.asarray(self.snapshot.types), return_inverse=True)
                self._type_codes = (list(unique), codes)
            names, codes = self._type_codes
            code = names.index(entity_type) if entity_type in names else -1
            self._types[entity_type] = codes == code
        return self._types[entity_type]

    def edges(self, relations: Iterable[str]) -> np.ndarray:
        """Indexes of the snapshot edges of these relations (minus the held-out ones)."""
        s = self.snapshot
        codes = [s.relations.index(r) for r in relations
                 if r in s.relations and r not in self.exclude]
        return np.flatnonzero(np.isin(s.edge_relation, codes))

    def matrix(self, relations: tuple[str, ...], source_type: str | None = None,
               target_type: str | None = None) -> sp.csr_matrix:
        """n × n CSR: cell (subject, object) = edge index + 1 (one edge if several)."""
        key = (*relations, f"src={source_type}", f"dst={target_type}")
        if key not in self._cache:
            s = self.snapshot
            idx = self.edges(relations)
            src, dst = s.edge_source[idx], s.edge_target[idx]
            keep = np.ones(idx.size, dtype=bool)
            if source_type:
                keep &= self.of_type(source_type)[src]
            if target_type:
                keep &= self.of_type(target_type)[dst]
            idx, src, dst = idx[keep], src[keep], dst[keep]
            # parallel facts (same pair, e.g. supplies from two sources): keep one per cell
            _, first = np.unique(src.astype(np.int64) * self.n + dst, return_index=True)
            idx, src, dst = idx[first], src[first], dst[first]
            m = sp.csr_matrix((idx.astype(np.int64) + 1, (src, dst)), shape=(self.n, self.n))
            self._cache[key] = m
        return self._cache[key]

    def weights(self, m: sp.csr_matrix) -> np.ndarray:
        """The snapshot weight of each stored cell of ``m`` (NaN where the fact has none)."""
        idx = m.data - 1
        ok = (idx >= 0) & (idx < self.snapshot.edge_count)
        out = np.full(m.data.shape, np.nan, dtype=np.float64)
        out[ok] = self.snapshot.edge_weight[idx[ok]]
        return out
