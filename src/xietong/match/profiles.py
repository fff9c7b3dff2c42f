"""The text of a node's profile: what BM25 matches a demand or a partner against.

A profile is the node's names and aliases, its type, the names of the industries,
products, parks and regions it links to (main products repeated by revenue share, so a
company's core business outweighs a side line), and descriptive attributes.
"""

from __future__ import annotations

import math

import numpy as np

from xietong.match.tokens import bigrams, words
from xietong.model.registry import REGISTRY
from xietong.store.snapshot import GraphSnapshot

# Relations whose far end describes what a node does or where it is.
_DESCRIPTIVE = frozenset({
    "operates_in", "belongs_to_industry", "contains", "main_product", "in_industry",
    "located_in_park", "located_in_region", "launches", "supplies", "upstream_of",
    "produces_from_patent", "member_of_segment", "upstream_material", "sub_product",
    "downstream_product", "parent_industry",
})
_TEXT_ATTRIBUTES = ("description", "region", "qualifications", "english_name")
MAX_NEIGHBOUR_NAMES = 40  # a hub's profile would otherwise be every name in the graph


def name_terms(names: list[str]) -> list[str]:
    terms: list[str] = []
    for name in names:
        terms.extend(words(name))
        terms.extend(bigrams(name))
    return terms


def node_terms(snap: GraphSnapshot, node: int, neighbours: list[tuple[str, float]],
               own: list[str] | None = None) -> list[str]:
    """The profile's terms; ``own`` are the node's name terms when already computed (they
    are the same in every index built over the same nodes)."""
    terms = list(own) if own is not None else name_terms([snap.names[node],
                                                          *snap.aliases[node]])
    entity_type = REGISTRY.entity_types.get(snap.types[node])
    if entity_type:
        terms.append(entity_type.label)
    for name, weight in neighbours[:MAX_NEIGHBOUR_NAMES]:
        repeat = 1 if math.isnan(weight) else 1 + round(2 * weight)  # NaN: no weight
        terms.extend(list(words(name)) * repeat)
    attributes = snap.attributes[node] if snap.attributes else {}
    for key in _TEXT_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, list):
            value = " ".join(map(str, value))
        if value:
            terms.extend(words(str(value)))
    return terms


def descriptive_neighbours(snap: GraphSnapshot) -> list[list[tuple[str, float]]]:
    """Per node, the (name, weight) of descriptive neighbours, heaviest first."""
    codes = np.array([key in _DESCRIPTIVE for key in snap.relations])
    mask = codes[snap.edge_relation]
    found: list[list[tuple[str, float]]] = [[] for _ in range(snap.node_count)]
    for s, t, w in zip(snap.edge_source[mask].tolist(), snap.edge_target[mask].tolist(),
                       snap.edge_weight[mask].tolist()):
        found[s].append((snap.names[t], w))
        found[t].append((snap.names[s], float("nan")))
    for row in found:
        row.sort(key=lambda nw: -(0.0 if math.isnan(nw[1]) else nw[1]))
    return found

