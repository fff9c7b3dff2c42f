"""The products a supplier demand seeks, widened through the store's product facts.

From the sought span (xietong.match.supplier_demand) to store products
(xietong.match.product_names): the products it names and their variants (金针菇 ↔
金针菇‐自产), then the narrower ones — their 产品小类 and the products whose names contain
theirs (水泥 → 硅酸盐水泥). The poster's product is resolved too: its makers are the
poster's peers or customers. Candidate makers and their columns are computed by
xietong.match.demand_features from these lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from xietong.match.graph import row
from xietong.match.index import MatchIndex
from xietong.match.product_names import ProductNames, base_name
from xietong.match.profiles import name_terms
from xietong.match.supplier_demand import SupplierDemand

CONTAINING_HITS = 60  # product names searched for ones containing the sought name
MAX_NARROWER = 200


@dataclass(slots=True)
class Sought:
    products: list[int] = field(default_factory=list)  # named by the demand, best first
    cover: list[float] = field(default_factory=list)  # share of the span each name covers
    narrower: list[int] = field(default_factory=list)  # their 产品小类 and longer names
    poster: list[int] = field(default_factory=list)  # the poster's own products
    how: str = "none"  # how the span was read: exact, variant, inside, none
    span: str = ""  # the words naming what is sought (for name similarity)

    def wanted(self) -> list[int]:
        """Products a supplier's reasons may name (the sought ones first)."""
        return self.products + [p for p in self.narrower if p not in self.products]


class SoughtProducts:
    """Reads the products of a parsed demand in one index's store."""

    def __init__(self, index: MatchIndex) -> None:
        self.index = index
        self._names: ProductNames | None = None

    @property
    def names(self) -> ProductNames:
        snap = self.index.snapshot
        if self._names is None or self._names.size != snap.node_count:
            self._names = ProductNames(snap)
        return self._names

    def of(self, demand: SupplierDemand) -> Sought:
        names = self.names
        found = names.resolve(demand.sought)
        # the poster's product only when named exactly: a guess would drop real suppliers
        poster = names.resolve(demand.poster, inside=False).named if demand.poster else []
        products = [p for p in found.named if p not in poster]
        cover = [c for p, c in zip(found.named, found.cover) if p not in poster]
        return Sought(products, cover, self._narrower(products), poster, found.how,
                      demand.sought or "")

    def _narrower(self, products: list[int]) -> list[int]:
        if not products:
            return []
        g, snap = self.index.graph, self.index.snapshot
        out: list[int] = []
        if "sub_product" in g.relations:
            subs = g.answers(g.relations.index("sub_product"), "tail")
            for p in products:
                out += row(subs, p).tolist()
        bases = {base_name(snap.names[p]) for p in products}
        for base in sorted(bases):
            hits, _scores = self.index.text.search(name_terms([base]), "name", CONTAINING_HITS,
                                                   types=("product",))
            out += [int(h) for h in hits.tolist() if base in snap.names[h]]
        seen = set(products)
        return [p for p in dict.fromkeys(out) if p not in seen][:MAX_NARROWER]


def makers(index: MatchIndex, products: list[int], relations: tuple[str, ...]
           ) -> np.ndarray:
    """Organisations linked to any of ``products`` as their maker or supplier."""
    g = index.graph
    found = [row(g.answers(g.relations.index(k), "head"), p)
             for k in relations if k in g.relations for p in products]
    return np.unique(np.concatenate(found)).astype(np.int64) if found else \
        np.empty(0, dtype=np.int64)
