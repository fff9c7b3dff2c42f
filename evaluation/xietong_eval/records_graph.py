"""Importer records straight to a GraphSnapshot, without the store.

Benchmarks use it to hold facts out and to build big graphs fast; names are taken as
given (no entity resolution), one node per (name, type).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from xietong.model.records import AttributeRecord, EntityRecord, Record, RelationRecord
from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot


def snapshot_from_records(records: Iterable[Record]) -> GraphSnapshot:
    names: list[str] = []
    types: list[str] = []
    aliases: list[list[str]] = []
    attributes: list[dict] = []
    node: dict[tuple[str, str], int] = {}
    by_name: dict[str, int] = {}
    relations = list(REGISTRY.relation_types)
    src, dst, rel, weight = [], [], [], []

    def ensure(name: str, entity_type: str | None, default: str) -> int:
        if entity_type is None and name in by_name:
            return by_name[name]
        key = (name, entity_type or default)
        if key not in node:
            node[key] = len(names)
            by_name.setdefault(name, node[key])
            names.append(name)
            types.append(key[1])
            aliases.append([])
            attributes.append({})
        return node[key]

    for record in records:
        if isinstance(record, EntityRecord):
            i = ensure(record.name, record.type, record.type)
            aliases[i].extend(a for a in record.aliases if a != record.name and a not in aliases[i])
            attributes[i].update(record.attrs)
        elif isinstance(record, RelationRecord):
            rt = REGISTRY.relation(record.predicate)
            s = ensure(record.subject.name, record.subject.type, rt.domain[0])
            t = ensure(record.object.name, record.object.type, rt.range[0])
            src.append(s)
            dst.append(t)
            rel.append(relations.index(rt.key))
            weight.append(np.nan if record.weight is None else record.weight)
        elif isinstance(record, AttributeRecord):
            attributes[ensure(record.subject.name, record.subject.type, "enterprise")][
                record.key] = record.value
    n = len(names)
    return GraphSnapshot(
        ids=np.arange(n, dtype=np.int64), names=names, types=types, aliases=aliases,
        relations=relations, edge_source=np.array(src, dtype=np.int32),
        edge_target=np.array(dst, dtype=np.int32), edge_relation=np.array(rel, dtype=np.int16),
        edge_weight=np.array(weight, dtype=np.float32),
        edge_fact=-(np.arange(len(src), dtype=np.int64) + 1), attributes=attributes,
        node_of={i: i for i in range(n)})
