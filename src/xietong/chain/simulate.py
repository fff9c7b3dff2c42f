"""Disruption simulation: remove suppliers (or a whole region or park) and follow the loss
downstream, hop by hop, for as long as it lasts.

Dependency of B on A (the share of B's inputs that A provides):
- a supply link A→B (供给/上游于): its weight if it has one, else split evenly over B's
  suppliers;
- a product link (chainkg): B's main product Q (revenue share w) has the upstream material
  P that A makes: w / (number of Q's materials) / (number of makers of P among chain firms).
  Materials with more than ``MAX_PRODUCERS`` makers are commodities and do not propagate.
loss(B) = min(1, Σ_A dependency(B, A) · loss(A)), iterated until no firm's loss grows by
more than ``EPSILON`` — so the effect runs as many hops as it keeps mattering.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from xietong.chain.analytics import ChainMetrics
from xietong.chain.graph import SUPPLY_RELATIONS, GraphViews
from xietong.chain.scope import local_mask, resolve_scope

EPSILON = 1e-3
AFFECTED = 0.05  # a firm counts as affected from a 5% loss of its inputs
MAX_HOPS = 50
MAX_PRODUCERS = 20


@dataclass(slots=True)
class Simulation:
    removed: list[int]
    loss: np.ndarray  # per node, 0..1
    hop: np.ndarray  # per node, first hop it was affected (−1: never)
    parent: np.ndarray  # per node, the upstream node that contributed most (−1: none)
    hops: int  # how many hops the effect lasted


def dependency_matrix(views: GraphViews, nodes: np.ndarray) -> sp.csr_matrix:
    """n × n, row B, column A: the share of B's inputs coming from A (chain nodes only)."""
    n = views.n
    keep = np.zeros(n, dtype=bool)
    keep[nodes] = True
    supply = views.matrix(SUPPLY_RELATIONS, "enterprise", "enterprise")
    w = views.weights(supply)
    link = supply.astype(np.float64)
    link.data = np.where(np.isnan(w), 1.0, w)
    link = link.multiply(keep[:, None]).multiply(keep[None, :]).tocsr()
    by_customer = link.T.tocsr()  # row B: its suppliers
    indeg = np.diff(by_customer.indptr)
    weighted = ~np.isnan(views.weights(supply))
    if not weighted.any():  # no weights at all: split evenly
        by_customer = sp.diags(np.divide(1.0, indeg, out=np.zeros(n), where=indeg > 0)) @ by_customer
    else:
        sums = np.asarray(by_customer.sum(axis=1)).ravel()
        by_customer = sp.diags(np.divide(1.0, sums, out=np.zeros(n), where=sums > 0)) @ by_customer
    return (by_customer + _product_dependencies(views, keep)).tocsr()


def _product_dependencies(views: GraphViews, keep: np.ndarray) -> sp.csr_matrix:
    n = views.n
    made = views.matrix(("main_product",), "enterprise", "product")
    w = views.weights(made)
    made = made.astype(np.float64)
    made.data = np.where(np.isnan(w), 0.5, w)
    made = made.multiply(keep[:, None]).tocsr()
    if made.nnz == 0:
        return sp.csr_matrix((n, n))
    material = views.matrix(("upstream_material",), "product", "product").astype(bool).astype(np.float64)
    count = np.asarray(material.sum(axis=1)).ravel()
    material = sp.diags(np.divide(1.0, count, out=np.zeros(n), where=count > 0)) @ material
    makers = made.astype(bool).astype(np.float64).tocsc()
    per_product = np.diff(makers.indptr)
    ok = (per_product > 0) & (per_product <= MAX_PRODUCERS)
    scale = np.divide(1.0, per_product, out=np.zeros(n), where=ok)
    makers = (makers @ sp.diags(scale)).tocsr()
    dep = (made @ material @ makers.T).tocsr()
    dep.setdiag(0)
    dep.eliminate_zeros()
    return dep


def removal_targets(m: ChainMetrics, targets: Sequence[str | int]) -> list[int]:
    """Chain firms named or given by entity id (an id picks one of several namesakes), or
    every chain firm inside a named region or park."""
    views = m.placement.views
    s = views.snapshot
    placed = m.placement.placed
    wanted = {t.strip() for t in targets if isinstance(t, str)}
    index: dict[str, list[int]] = {}
    for i, (own, others) in enumerate(zip(s.names, s.aliases)):
        if own in wanted:
            index.setdefault(own, []).append(i)
        for alias in others:
            if alias in wanted:
                index.setdefault(alias, []).append(i)
    out: list[int] = []
    for target in targets:
        if isinstance(target, int):
            node = s.node_of.get(target)
            hits = [] if node is None else [node]
            name = f"#{target}" if node is None else s.names[node]
        else:
            name = target.strip()
            hits = index.get(name, [])
        types = {s.types[h] for h in hits}
        if not hits:
            raise LookupError(f"--remove {name!r}：没有此名称的实体")
        if "region" in types or "park" in types:
            kind = "region" if "region" in types else "park"
            scope = resolve_scope(views, **{kind: name})
            out.extend(int(x) for x in np.flatnonzero(local_mask(views, scope, placed)))
            continue
        on_chain = [h for h in hits if m.placement.primary[h] >= 0]
        if not on_chain:
            raise LookupError(f"--remove {name!r}：该实体不在产业链 {m.placement.chain.name} 上")
        out.extend(on_chain)
    return sorted(set(out))


def simulate(m: ChainMetrics, removed: list[int], dependency: sp.csr_matrix | None = None
             ) -> Simulation:
    views = m.placement.views
    n = views.n
    dep = dependency if dependency is not None else dependency_matrix(views, m.placement.placed)
    loss = np.zeros(n)
    loss[removed] = 1.0
    fixed = loss > 0
    hop = np.full(n, -1, dtype=np.int64)
    hop[removed] = 0
    hops = 0
    for k in range(1, MAX_HOPS + 1):
        new = np.minimum(1.0, dep @ loss)
        new[fixed] = 1.0
        new = np.maximum(new, loss)
        grew = new - loss > EPSILON
        if not grew.any():
            break
        hop[(hop < 0) & (new >= AFFECTED)] = k
        loss, hops = new, k
    parent = np.full(n, -1, dtype=np.int64)
    affected = np.flatnonzero((loss >= AFFECTED) & ~fixed)
    if affected.size:
        contrib = dep[affected].multiply(loss[None, :]).tocsr()
        best = np.asarray(contrib.argmax(axis=1)).ravel()
        parent[affected] = best
    return Simulation(list(removed), loss, hop, parent, hops)


def path(sim: Simulation, node: int, names: list[str]) -> list[str]:
    out, seen = [names[node]], {node}
    while sim.parent[node] >= 0 and sim.parent[node] not in seen:
        node = int(sim.parent[node])
        seen.add(node)
        out.append(names[node])
    return list(reversed(out))
