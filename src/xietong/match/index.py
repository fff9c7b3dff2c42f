"""Everything matching needs in memory, built from one GraphSnapshot, updated in place.

The tokenised text (tantivy index and term lists) can be saved and loaded, which is what
takes the time to build; the sparse graph matrices are rebuilt from the snapshot (ickg25:
40 ms)."""

from __future__ import annotations

import math
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from xietong.i18n import _
from xietong.match.encoder import TextEncoder
from xietong.match.features import FeatureBuilder
from xietong.match.graph import GraphIndex
from xietong.match.profiles import descriptive_neighbours, name_terms, node_terms
from xietong.match.progress import QUIET, Stages
from xietong.match.termlists import TermLists
from xietong.match.textindex import TextIndex
from xietong.store.snapshot import GraphSnapshot

_TEXT, _NAMES, _PROFILES = "text", "names.txt", "profiles.txt"
T = TypeVar("T")


def _counted(items: Iterable[T], advance: Callable[[int], None], total: int,
             step: int = 5000) -> Iterator[T]:
    """``items``, calling ``advance`` every ``step`` of them (and for the rest at the
    end, up to ``total``)."""
    done = 0
    for i, item in enumerate(items, 1):
        yield item
        if i % step == 0:
            advance(step)
            done = i
    advance(max(total - done, 0))


@dataclass
class MatchIndex:
    snapshot: GraphSnapshot
    graph: GraphIndex
    text: TextIndex
    features: FeatureBuilder

    @classmethod
    def build(cls, snap: GraphSnapshot, *, encoder: TextEncoder | None = None,
              hub_cap: int = 20_000, directory: Path | None = None,
              names: TermLists | None = None, progress: Stages = QUIET) -> MatchIndex:
        """Index ``snap``: text in memory, or under ``directory`` for :meth:`save`.
        ``names``: the name terms of these very nodes from another index (the rankers'
        training indexes differ from the store's only in edges), so names are segmented
        once per build, not once per index."""
        graph = GraphIndex.from_snapshot(snap)
        neighbours = descriptive_neighbours(snap)
        n = snap.node_count
        with progress.stage(_("分词：实体名称与档案"), n, "档案") as advance:
            if names is None or len(names) != n:
                names = TermLists.of(_counted(
                    (name_terms([snap.names[i], *snap.aliases[i]]) for i in range(n)),
                    advance, n // 2))
            else:
                advance(n // 2)
            profiles = TermLists.of(_counted(
                (node_terms(snap, i, neighbours[i], names[i]) for i in range(n)),
                advance, n - n // 2))
        del neighbours
        with progress.stage(_("建立 BM25 索引"), n, "档案") as advance:
            text = TextIndex(directory / _TEXT if directory else None)
            text.add_many(_counted(((i, names.joined(i), profiles.joined(i), snap.types[i])
                                    for i in range(n)), advance, n))
        return cls._assemble(snap, graph, text, names, profiles, encoder, hub_cap)

    @classmethod
    def _assemble(cls, snap: GraphSnapshot, graph: GraphIndex, text: TextIndex,
                  names: TermLists, profiles: TermLists, encoder: TextEncoder | None,
                  hub_cap: int) -> MatchIndex:
        features = FeatureBuilder(graph, text, list(snap.types), names, profiles,
                                  hub_cap=hub_cap, encoder=encoder, names=snap.names)
        return cls(snap, graph, text, features)

    # -- on disk: the tokenised text, which is what takes time to build ----------------
    def save(self, directory: Path) -> None:
        """Write the index under ``directory``: the term lists, and the text index unless it
        was built there (an updated index lives in a private copy of the one it was loaded
        from, which is copied)."""
        if self.text.path is None:
            raise ValueError("an in-memory text index cannot be saved; build it in a directory")
        self.text.close_writer()
        if self.text.path != directory / _TEXT:
            shutil.copytree(self.text.path, directory / _TEXT, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("*.lock"))
        self.features.name_terms.save(directory / _NAMES)
        self.features.profile_terms.save(directory / _PROFILES)

    @classmethod
    def load(cls, snap: GraphSnapshot, directory: Path, *, encoder: TextEncoder | None = None,
             hub_cap: int = 20_000) -> MatchIndex:
        """The index :meth:`save` wrote for this very snapshot (the caller checks that:
        see xietong.match.service); only the sparse graph matrices are rebuilt."""
        names = TermLists.load(directory / _NAMES)
        profiles = TermLists.load(directory / _PROFILES)
        text = TextIndex.open(directory / _TEXT)
        if not len(names) == len(profiles) == text.size == snap.node_count:
            raise ValueError(f"{directory}: index of {text.size} nodes, snapshot has "
                             f"{snap.node_count}")
        return cls._assemble(snap, GraphIndex.from_snapshot(snap), text, names, profiles,
                             encoder, hub_cap)

    # -- incremental updates: a new entity or relation touches only its own nodes --------
    def add_entity(self, name: str, entity_type: str, entity_id: int | None = None,
                   aliases: list[str] | None = None,
                   attributes: dict[str, Any] | None = None) -> int:
        snap, fb = self.snapshot, self.features
        node = self.graph.add_node()
        snap.names.append(name)
        snap.types.append(entity_type)
        snap.aliases.append(list(aliases or []))
        if snap.attributes is not None:
            snap.attributes.append(dict(attributes or {}))
        ident = entity_id if entity_id is not None else -(node + 1)
        snap.ids = np.append(snap.ids, ident)
        snap.node_of[ident] = node
        if entity_type not in fb.type_names:
            fb.type_names.append(entity_type)
            fb._type_prior.clear()
        fb.type_code = np.append(fb.type_code, fb.type_names.index(entity_type))
        fb.name_terms.append(name_terms([name, *(aliases or [])]))
        fb.profile_terms.append(node_terms(snap, node, []))
        self.text.replace(node, fb.name_terms.joined(node), fb.profile_terms.joined(node),
                          entity_type)
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
            added = list(words(snap.names[other])) * repeat
            fb.profile_terms[node] = fb.profile_terms[node] + added
            self.text.replace(node, fb.name_terms.joined(node), fb.profile_terms.joined(node),
                              snap.types[node])
