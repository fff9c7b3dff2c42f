"""An ICKG split straight to a GraphSnapshot, for training and evaluation.

Node i is ICKG entity id i, so every entity of entity2id.txt can be ranked — including
those that appear in no training relation (``seen`` is False for them). Entity types are
inferred as the ICKG importer does. Going through the store would merge names by entity
resolution and drop entities absent from the loaded split, which evaluation must not do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from xietong.ingest.datasets import read_lines
from xietong.ingest.ickg import POSITION_VOTES, infer_type
from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot


@dataclass(frozen=True, slots=True)
class Quads:
    head: np.ndarray
    relation: np.ndarray  # codes into GraphSnapshot.relations (registry keys)
    tail: np.ndarray
    line: np.ndarray  # line number in the split file


def _table(path: Path) -> dict[int, str]:
    table = {}
    for _, line in read_lines(path):
        name, _, ident = line.rpartition("\t")
        if name:
            table[int(ident)] = name
    return table


def read_split(directory: Path, split: str | Path, relations: list[str]) -> Quads:
    labels = _table(Path(directory) / "relation2id.txt")
    code = {i: relations.index(REGISTRY.relation(label).key) for i, label in labels.items()}
    path = Path(split) if Path(split).is_file() else Path(directory) / split
    rows = [(int(h), code[int(r)], int(t), number)
            for number, line in read_lines(path) for h, r, t, *_ in [line.split("\t")]]
    array = np.array(rows, dtype=np.int64).reshape(-1, 4)
    return Quads(array[:, 0], array[:, 1], array[:, 2], array[:, 3])


def ickg_snapshot(directory: Path, train: Quads | None = None, split: str = "train.txt"
                  ) -> tuple[GraphSnapshot, Quads]:
    """All entities as nodes, the relations of ``train`` (default: ``split``) as edges.
    Edge fact ids are the line numbers in the split, negated (no store fact exists)."""
    directory = Path(directory)
    names_by_id = _table(directory / "entity2id.txt")
    n = max(names_by_id) + 1
    names = [names_by_id.get(i, f"#{i}") for i in range(n)]
    relations = list(REGISTRY.relation_types)
    quads = train if train is not None else read_split(directory, split, relations)
    votes: list[Counter[str]] = [Counter() for _ in range(n)]
    for h, r, t in zip(quads.head.tolist(), quads.relation.tolist(), quads.tail.tolist()):
        label = REGISTRY.relation_types[relations[r]].label
        for node, side in ((h, "h"), (t, "t")):
            if (vote := POSITION_VOTES.get((label, side))):
                votes[node][vote] += 1
    snap = GraphSnapshot(
        ids=np.arange(n, dtype=np.int64), names=names,
        types=[infer_type(names[i], votes[i]) for i in range(n)],
        aliases=[[] for _ in range(n)], relations=relations,
        edge_source=quads.head.astype(np.int32), edge_target=quads.tail.astype(np.int32),
        edge_relation=quads.relation.astype(np.int16),
        edge_weight=np.full(len(quads.head), np.nan, dtype=np.float32),
        edge_fact=-quads.line, attributes=[{} for _ in range(n)],
        node_of={i: i for i in range(n)},
    )
    return snap, quads
