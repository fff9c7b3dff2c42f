"""The learned ranker on the real ICKG subset: trained on train, ranked on valid."""

from pathlib import Path

import numpy as np
import pytest
from xietong_eval.ickg_graph import ickg_snapshot, read_split
from xietong_eval.link_baselines import common_neighbours_scorer, popularity_scorer
from xietong_eval.link_prediction import known_answers, rank_split, report, xietong_scorer

from xietong.match.index import MatchIndex
from xietong.match.ranker import Ranker, RankerConfig


@pytest.fixture(scope="module")
def ickg_subset(data_dir: Path):  # type: ignore[no-untyped-def]
    folder = data_dir / "ickg-subset"
    snap, train = ickg_snapshot(folder)
    valid = read_split(folder, "valid.txt", snap.relations)
    ranker = Ranker.fit(snap, RankerConfig(max_queries=300, n_estimators=150))
    return snap, train, valid, ranker, MatchIndex.build(snap)


def test_every_entity_is_a_node_and_unseen_ones_are_ranked(ickg_subset) -> None:  # type: ignore[no-untyped-def]
    snap, train, valid, ranker, index = ickg_subset
    names = (Path(__file__).parents[2].parent / "shared/data/ickg-subset/entity2id.txt")
    assert snap.node_count == sum(1 for line in names.read_text().splitlines() if line.strip())
    seen = np.zeros(snap.node_count, dtype=bool)
    seen[train.head] = seen[train.tail] = True
    unseen_heads = valid.head[~seen[valid.head]]
    assert len(unseen_heads) > 0
    queries = unseen_heads[:5]
    scores = xietong_scorer(index, ranker)(queries, int(valid.relation[0]), "tail")
    assert scores.shape == (len(queries), snap.node_count)
    assert (scores.max(axis=1) >= 1000).all()  # text candidates exist for never-seen entities


def test_the_ranker_beats_the_heuristics_on_valid(ickg_subset) -> None:  # type: ignore[no-untyped-def]
    snap, train, valid, ranker, index = ickg_subset
    known = known_answers(train, valid)
    seen = np.zeros(snap.node_count, dtype=bool)
    seen[train.head] = seen[train.tail] = True
    ours = report(rank_split(xietong_scorer(index, ranker), valid, known, seen), snap.relations)
    for peer in (popularity_scorer(index.graph), common_neighbours_scorer(index.graph)):
        theirs = report(rank_split(peer, valid, known, seen), snap.relations)
        assert ours["overall"]["mrr"] > theirs["overall"]["mrr"]
        assert ours["business"]["mrr"] > theirs["business"]["mrr"]
    assert ours["overall"]["count"] == 2 * len(valid.head)
