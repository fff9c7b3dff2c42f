"""The whole graph as arrays, for algorithms (ranking, chain analytics) that run in memory.

Nodes are canonical entities (merged clusters are one node); edges are relation facts
between canonical entities, with the fact id so a result can cite its evidence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from xietong.model.registry import REGISTRY
from xietong.store import schema
from xietong.store.rows import fetch_tuples


@dataclass(slots=True)
class GraphSnapshot:
    ids: np.ndarray  # int64 canonical entity id per node
    names: list[str]
    types: list[str]
    aliases: list[list[str]]  # every other name of the node's cluster
    relations: list[str]  # relation keys; edge_relation holds indexes into this list
    edge_source: np.ndarray  # int32 node index of the subject
    edge_target: np.ndarray  # int32 node index of the object
    edge_relation: np.ndarray  # int16
    edge_weight: np.ndarray  # float32, NaN where the fact has no weight
    edge_fact: np.ndarray  # int64 fact id (see queries.profile / evidence)
    attributes: list[dict[str, Any]] = field(default_factory=list)  # per node, latest value
    node_of: dict[int, int] = field(default_factory=dict)  # canonical id -> node index

    @property
    def node_count(self) -> int:
        return len(self.names)

    @property
    def edge_count(self) -> int:
        return len(self.edge_source)

    def node(self, entity_id: int) -> int:
        return self.node_of[entity_id]

    def relation_code(self, key: str) -> int:
        return self.relations.index(key)


def load_snapshot(conn: Connection) -> GraphSnapshot:
    """Read the graph in a few ordered queries, fetched whole (row-by-row iteration was most
    of the time) and mapped from entity ids to nodes with numpy."""
    e, a, f = schema.entities, schema.aliases, schema.facts
    entities = fetch_tuples(conn, select(e.c.id, e.c.canonical_id, e.c.name, e.c.type)
                            .order_by(e.c.id))
    ids = np.fromiter((row[0] for row in entities), dtype=np.int64, count=len(entities))
    canonical = np.fromiter((row[1] for row in entities), dtype=np.int64, count=len(entities))
    is_node = ids == canonical
    nodes = [row for row, keep in zip(entities, is_node.tolist(), strict=True) if keep]
    node_ids = ids[is_node]  # sorted, as ids are
    # every entity's node: the position of its canonical entity among the nodes
    entity_node = dict(zip(ids.tolist(), np.searchsorted(node_ids, canonical).tolist(),
                           strict=True))
    names = [row[2] for row in nodes]
    aliases: list[list[str]] = [[] for _ in nodes]
    seen: list[set[str]] = [{name} for name in names]
    # ordered: both backends, and every load, give the same aliases in the same order
    for entity_id, alias in fetch_tuples(conn, select(a.c.entity_id, a.c.alias).distinct()
                                         .order_by(a.c.entity_id, a.c.alias)):
        node = entity_node[entity_id]
        if alias not in seen[node]:
            seen[node].add(alias)
            aliases[node].append(alias)

    relations = list(REGISTRY.relation_types)
    code = {key: i for i, key in enumerate(relations)}
    attributes: list[dict[str, Any]] = [{} for _ in nodes]
    facts = fetch_tuples(
        conn, select(f.c.id, f.c.subject_id, f.c.predicate, f.c.object_id, f.c.value, f.c.weight)
        # undated first, later dates after (they win); ties by id, the same on both backends
        .order_by(f.c.valid_from.asc().nulls_first(), f.c.id))
    edges = []
    for row in facts:
        if row[3] is None:
            attributes[entity_node[row[1]]][row[2]] = json.loads(row[4])  # later dates win
        else:
            edges.append(row)
    return GraphSnapshot(
        ids=node_ids,
        names=names,
        types=[row[3] for row in nodes],
        aliases=aliases,
        relations=relations,
        edge_source=np.array([entity_node[row[1]] for row in edges], dtype=np.int32),
        edge_target=np.array([entity_node[row[3]] for row in edges], dtype=np.int32),
        edge_relation=np.array([code[row[2]] for row in edges], dtype=np.int16),
        edge_weight=np.array([np.nan if row[5] is None else row[5] for row in edges],
                             dtype=np.float32),
        edge_fact=np.array([row[0] for row in edges], dtype=np.int64),
        attributes=attributes,
        node_of=dict(zip(node_ids.tolist(), range(len(nodes)), strict=True)),
    )
