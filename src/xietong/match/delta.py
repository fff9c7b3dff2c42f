"""What a store added since an earlier snapshot of it: new entities and new relation facts.

The matcher's cache is updated in place only for additions (xietong.match.service): a
removed or renamed entity, a changed attribute, a retracted fact or a merge changes what
the existing documents and rankers were built from, and those cases rebuild everything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from xietong.store.snapshot import GraphSnapshot


@dataclass(frozen=True)
class Additions:
    nodes: np.ndarray  # positions in the new snapshot of entities the old one lacks
    edges: np.ndarray  # positions in the new snapshot of relation facts the old one lacks

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.edges)


def _node_key(snap: GraphSnapshot, node: int) -> tuple[str, str, tuple[str, ...], str]:
    attributes = snap.attributes[node] if snap.attributes else {}
    return (snap.names[node], snap.types[node], tuple(snap.aliases[node]),
            json.dumps(attributes, ensure_ascii=False, sort_keys=True, default=str))


def additions(old: GraphSnapshot, new: GraphSnapshot) -> Additions | None:
    """The entities and facts of ``new`` that ``old`` lacks, or None when ``new`` differs
    from ``old`` by anything else (an entity or fact gone, an entity's names, type or
    attributes changed, a relation type the old snapshot did not have)."""
    if new.relations != old.relations:
        return None
    old_ids, new_ids = old.ids, new.ids
    kept = np.isin(old_ids, new_ids)
    if not kept.all():
        return None
    for node, entity_id in enumerate(old_ids.tolist()):
        if _node_key(old, node) != _node_key(new, new.node_of[entity_id]):
            return None
    old_facts = old.edge_fact
    if not np.isin(old_facts, new.edge_fact).all():
        return None
    # a kept fact must keep its weight (a main product's revenue share shapes the profile)
    order = np.argsort(new.edge_fact, kind="stable")
    at = order[np.searchsorted(new.edge_fact, old_facts, sorter=order)]
    if not np.array_equal(old.edge_weight, new.edge_weight[at], equal_nan=True):
        return None
    # an old fact whose ends moved (a merge re-points it) is a change, not an addition
    old_ends = {int(f): (int(old_ids[s]), int(old_ids[t])) for f, s, t in
                zip(old_facts.tolist(), old.edge_source.tolist(), old.edge_target.tolist())}
    new_edges = np.flatnonzero(~np.isin(new.edge_fact, old_facts))
    for f, s, t in zip(new.edge_fact.tolist(), new.edge_source.tolist(),
                       new.edge_target.tolist()):
        ends = old_ends.get(f)
        if ends is not None and ends != (int(new_ids[s]), int(new_ids[t])):
            return None
    return Additions(nodes=np.flatnonzero(~np.isin(new_ids, old_ids)), edges=new_edges)
