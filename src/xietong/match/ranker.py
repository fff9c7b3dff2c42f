"""The learned ranker: LightGBM lambdarank over the candidate features.

Trained self-supervised on the graph itself: hold out a share of each relation's edges,
build the index on the rest, and learn to put the held-out answers first among the
candidates (answers still in the graph are removed, as the filtered evaluation does).
The choice of LightGBM and its settings are measured in docs/decisions/matching.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from xietong.i18n import _
from xietong.match.features import CATEGORICAL, Candidates, QueryBatch
from xietong.match.index import MatchIndex
from xietong.match.lgbm import lightgbm
from xietong.match.progress import QUIET, Stages
from xietong.store.snapshot import GraphSnapshot

BATCH = 256
MIN_TRAINING_QUERIES = 50
# Used when a graph is too small to learn from: the strongest features of the trained
# model on ICKG, by gain, with weights of their typical scale.
_HEURISTIC = {"adamic_adar": 1.0, "neighbour_answers": 0.5, "reverse": 2.0, "direct_edges": 0.5,
              "profile_bm25": 0.05, "text_answers": 0.3, "pop_answer": 0.2, "type_prior": 0.2}


def heuristic_score(cands: Candidates) -> np.ndarray:
    score = np.zeros(len(cands.node), dtype=np.float32)
    for name, weight in _HEURISTIC.items():
        score += weight * cands.x[:, cands.columns.index(name)]
    return score


@dataclass(frozen=True, slots=True)
class RankerConfig:
    holdout: float = 0.2  # share of each relation's edges held out as training targets
    max_queries: int = 600  # per (relation, direction)
    negatives: int = 100  # sampled per training query
    min_edges: int = 20  # relations with fewer edges are not trained on
    n_estimators: int = 300
    learning_rate: float = 0.05
    num_leaves: int = 31
    min_child_samples: int = 20
    seed: int = 0


@dataclass
class Ranker:
    booster: object  # lightgbm.Booster
    columns: tuple[str, ...]
    config: RankerConfig = field(default_factory=RankerConfig)

    def score(self, cands: Candidates) -> np.ndarray:
        if len(cands.node) == 0:
            return np.empty(0, dtype=np.float32)
        return np.asarray(self.booster.predict(cands.x, num_threads=1))  # type: ignore[attr-defined]

    def save(self, path: Path) -> None:
        self.booster.save_model(str(path))  # type: ignore[attr-defined]

    @classmethod
    def load(cls, path: Path, columns: tuple[str, ...]) -> Ranker:
        lgb = lightgbm()

        return cls(lgb.Booster(model_file=str(path)), columns)

    @classmethod
    def fit(cls, snap: GraphSnapshot, config: RankerConfig = RankerConfig(),
            index_options: dict | None = None) -> Ranker:
        x, y, groups, columns = training_set(snap, config, index_options or {})
        return cls.fit_arrays(x, y, groups, columns, config)

    @classmethod
    def try_fit(cls, snap: GraphSnapshot, config: RankerConfig = RankerConfig(),
                index_options: dict | None = None, progress: Stages = QUIET) -> Ranker | None:
        """A trained ranker, or None when the graph gives too few training queries."""
        try:
            x, y, groups, columns = training_set(snap, config, index_options or {}, progress)
        except ValueError:  # no training query at all
            return None
        if len(groups) < MIN_TRAINING_QUERIES:
            return None
        return cls.fit_arrays(x, y, groups, columns, config, progress)

    @classmethod
    def fit_arrays(cls, x: np.ndarray, y: np.ndarray, groups: list[int],
                   columns: tuple[str, ...], config: RankerConfig,
                   progress: Stages = QUIET) -> Ranker:
        lgb = lightgbm()

        data = lgb.Dataset(x, y, group=groups, feature_name=list(columns),
                           categorical_feature=[c for c in CATEGORICAL if c in columns],
                           free_raw_data=False)
        params = {"objective": "lambdarank", "learning_rate": config.learning_rate,
                  "num_leaves": config.num_leaves, "min_child_samples": config.min_child_samples,
                  "lambdarank_truncation_level": 20, "eval_at": [10], "num_threads": 1,
                  "seed": config.seed, "verbose": -1, "feature_fraction": 0.9,
                  "bagging_fraction": 0.8, "bagging_freq": 1}
        with progress.stage(_("训练“推荐”排序模型 (LightGBM)"), config.n_estimators,
                            "轮") as advance:
            booster = lgb.train(params, data, num_boost_round=config.n_estimators,
                                callbacks=[lambda _env: advance(1)])
        return cls(booster, columns, config)


def holdout_split(snap: GraphSnapshot, config: RankerConfig) -> tuple[GraphSnapshot, np.ndarray]:
    """The snapshot without the held-out edges, and the held-out edge indexes."""
    rng = np.random.default_rng(config.seed)
    held = []
    for r in np.unique(snap.edge_relation):
        edges = np.flatnonzero(snap.edge_relation == r)
        if len(edges) >= config.min_edges:
            take = max(1, int(len(edges) * config.holdout))
            held.append(rng.choice(edges, take, replace=False))
    target = np.sort(np.concatenate(held)) if held else np.empty(0, dtype=np.int64)
    keep = np.ones(snap.edge_count, dtype=bool)
    keep[target] = False
    rest = replace(snap, edge_source=snap.edge_source[keep], edge_target=snap.edge_target[keep],
                   edge_relation=snap.edge_relation[keep], edge_weight=snap.edge_weight[keep],
                   edge_fact=snap.edge_fact[keep])
    return rest, target


def group_queries(head: np.ndarray, relation: np.ndarray, tail: np.ndarray
                  ) -> dict[tuple[int, str], dict[int, set[int]]]:
    """(relation, direction) -> query node -> its answers."""
    grouped: dict[tuple[int, str], dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for h, r, t in zip(head.tolist(), relation.tolist(), tail.tolist()):
        grouped[(r, "tail")][h].add(t)
        grouped[(r, "head")][t].add(h)
    return grouped


def training_set(snap: GraphSnapshot, config: RankerConfig, index_options: dict,
                 progress: Stages = QUIET
                 ) -> tuple[np.ndarray, np.ndarray, list[int], tuple[str, ...]]:
    rest, target = holdout_split(snap, config)
    index = MatchIndex.build(rest, **index_options)
    grouped = group_queries(snap.edge_source[target], snap.edge_relation[target],
                            snap.edge_target[target])
    rng = np.random.default_rng(config.seed)
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    groups: list[int] = []
    asked = [(key, answers) for key, answers in sorted(grouped.items())
             if not (index.graph.symmetric[key[0]] and key[1] == "head")]
    total = sum(min(len(answers), config.max_queries) for _key, answers in asked)
    with progress.stage(_("“推荐”排序模型的训练样本"), total, "查询") as advance:
        for (relation, direction), answers in asked:
            _queries(index, relation, direction, answers, config, rng, xs, ys, groups, advance)
    columns = index.features.columns
    if not xs:
        raise ValueError("no training query has a held-out answer among its candidates")
    return np.vstack(xs), np.concatenate(ys), groups, columns


def _queries(index: MatchIndex, relation: int, direction: str, answers: dict[int, set[int]],
             config: RankerConfig, rng: np.random.Generator, xs: list[np.ndarray],
             ys: list[np.ndarray], groups: list[int], advance: Callable[[int], None]) -> None:
    """The training rows of one (relation, direction)'s held-out queries."""
    nodes = np.array(sorted(answers))
    if len(nodes) > config.max_queries:
        nodes = rng.choice(nodes, config.max_queries, replace=False)
    known = index.graph.answers(relation, direction)
    for start in range(0, len(nodes), BATCH):
        chunk = nodes[start : start + BATCH]
        cands = index.features.build(QueryBatch(chunk, relation, direction))
        for i, q in enumerate(chunk.tolist()):
            rows = np.flatnonzero(cands.query_row == i)
            nodes_i = cands.node[rows]
            already = known[q].indices
            rows = rows[~np.isin(nodes_i, already)]
            label = np.isin(cands.node[rows], list(answers[q])).astype(np.float32)
            if label.sum() == 0:
                continue
            neg = rows[label == 0]
            if len(neg) > config.negatives:
                neg = rng.choice(neg, config.negatives, replace=False)
            chosen = np.concatenate([rows[label == 1], neg])
            xs.append(cands.x[chosen])
            ys.append(np.concatenate([np.ones(int(label.sum())), np.zeros(len(neg))]))
            groups.append(len(chosen))
        advance(len(chunk))
