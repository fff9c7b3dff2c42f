"""Everything matching needs in memory, built from one GraphSnapshot, updated in place."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from xietong.match.encoder import TextEncoder
from xietong.match.features import FeatureBuilder
from xietong.match.graph import GraphIndex
from xietong.match.profiles import descriptive_neighbours, name_terms, node_terms
from xietong.match.textindex import TextIndex
from xietong.store.snapshot import GraphSnapshot


@dataclass
class MatchIndex:
    snapshot: GraphSnapshot
    graph: GraphIndex
    text: TextIndex
    features: FeatureBuilder

    @classmethod
    def build(cls, snap: GraphSnapshot, *, encoder: TextEncoder | None = None,
              hub_cap: int = 20_000) -> MatchIndex:
        graph = GraphIndex.from_snapshot(snap)
        neighbours = descriptive_neighbours(snap)
        names = [name_terms([snap.names[i], *snap.aliases[i]]) for i in range(snap.node_count)]
        profiles = [node_terms(snap, i, neighbours[i]) for i in range(snap.node_count)]
        text = TextIndex()
        text.add_many((i, names[i], profiles[i], snap.types[i]) for i in range(snap.node_count))
        features = FeatureBuilder(graph, text, list(snap.types), names, profiles,
                                  hub_cap=hub_cap, encoder=encoder, names=snap.names)
        return cls(snap, graph, text, features)

    # -- incremental updates: a new entity or relation touches only its own nodes --------
    def add_entity(self, name: str, entity_type: str, entity_id: int | None = None,
                   aliases: list[str] | None = None) -> int:
        snap, fb = self.snapshot, self.features
        node = self.graph.add_node()
        snap.names.append(name)
        snap.types.append(entity_type)
        snap.aliases.append(list(aliases or []))
        if snap.attributes is not None:
            snap.attributes.append({})
        ident = entity_id if entity_id is not None else -(node + 1)
        snap.ids = np.append(snap.ids, ident)
        snap.node_of[ident] = node
        if entity_type not in fb.type_names:
            fb.type_names.append(entity_type)
            fb._type_prior.clear()
        fb.type_code = np.append(fb.type_code, fb.type_names.index(entity_type))
        fb.name_terms.append(name_terms([name, *(aliases or [])]))
        fb.profile_terms.append(node_terms(snap, node, []))
        self.text.replace(node, fb.name_terms[node], fb.profile_terms[node], entity_type)
        return node

    def add_relation(self, source: int, target: int, relation: str, fact: int = -1,
                     weight: float = float("nan")) -> None:
        snap = self.snapshot
        self.graph.add_edge(source, target, relation, fact)
        snap.edge_source = np.append(snap.edge_source, np.int32(source))
        snap.edge_target = np.append(snap.edge_target, np.int32(target))
        snap.edge_relation = np.append(snap.edge_relation,
                                       np.int16(snap.relations.index(relation)))
        snap.edge_weight = np.append(snap.edge_weight, np.float32(weight))
        snap.edge_fact = np.append(snap.edge_fact, np.int64(fact))
        self.features._type_prior.clear()
        self._reprofile(source, target, relation, weight)

    def _reprofile(self, source: int, target: int, relation: str, weight: float) -> None:
        from xietong.match.profiles import _DESCRIPTIVE
        from xietong.match.tokens import words

        if relation not in _DESCRIPTIVE:
            return
        fb, snap = self.features, self.snapshot
        for node, other, w in ((source, target, weight), (target, source, float("nan"))):
            repeat = 1 if math.isnan(w) else 1 + round(2 * w)
            fb.profile_terms[node] = fb.profile_terms[node] + list(words(snap.names[other])) * repeat
            self.text.replace(node, fb.name_terms[node], fb.profile_terms[node], snap.types[node])
