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
    e, a, f = schema.entities, schema.aliases, schema.facts
    rows = conn.execute(
        select(e.c.id, e.c.name, e.c.type).where(e.c.id == e.c.canonical_id).order_by(e.c.id)
    ).all()
    node_of = {row.id: i for i, row in enumerate(rows)}
    canonical = dict(conn.execute(select(e.c.id, e.c.canonical_id)).all())
    names = [row.name for row in rows]
    aliases: list[list[str]] = [[] for _ in rows]
    seen: list[set[str]] = [{row.name} for row in rows]
    # ordered: both backends, and every load, give the same aliases in the same order
    for entity_id, alias in conn.execute(select(a.c.entity_id, a.c.alias).distinct()
                                         .order_by(a.c.entity_id, a.c.alias)):
        node = node_of[canonical[entity_id]]
        if alias not in seen[node]:
            seen[node].add(alias)
            aliases[node].append(alias)

    relations = list(REGISTRY.relation_types)
    code = {key: i for i, key in enumerate(relations)}
    sources, targets, kinds, weights, fact_ids = [], [], [], [], []
    attributes: list[dict[str, Any]] = [{} for _ in rows]
    stmt = select(f.c.id, f.c.subject_id, f.c.predicate, f.c.object_id, f.c.value,
                  f.c.weight, f.c.valid_from).order_by(
        # undated first, later dates after (they win); ties by id, the same on both backends
        f.c.valid_from.asc().nulls_first(), f.c.id)
    for fact_id, subject, predicate, obj, value, weight, _ in conn.execute(stmt):
        source = node_of[canonical[subject]]
        if obj is None:
            attributes[source][predicate] = json.loads(value)  # later dates win
            continue
        sources.append(source)
        targets.append(node_of[canonical[obj]])
        kinds.append(code[predicate])
        weights.append(np.nan if weight is None else weight)
        fact_ids.append(fact_id)
    return GraphSnapshot(
        ids=np.array([row.id for row in rows], dtype=np.int64),
        names=names,
        types=[row.type for row in rows],
        aliases=aliases,
        relations=relations,
        edge_source=np.array(sources, dtype=np.int32),
        edge_target=np.array(targets, dtype=np.int32),
        edge_relation=np.array(kinds, dtype=np.int16),
        edge_weight=np.array(weights, dtype=np.float32),
        edge_fact=np.array(fact_ids, dtype=np.int64),
        attributes=attributes,
        node_of=node_of,
    )
