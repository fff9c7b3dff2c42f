"""The learned ranker for supplier demands: LightGBM lambdarank over the demand features.

The only demand-like labels are 主营产品 links: "寻找<产品>供应商" should find the
companies whose main product it is. Products are split by a seeded hash of their name
(:func:`product_split`: 60 % train, 20 % valid, 20 % test, seed 0), so a product's part
never depends on what else is in the store, and a benchmark built from the same data
(benchmarks/supplier_search.py) sees the same test products. To train, the main-product
links of sampled train and valid products are held out of a second index (as supplier
search holds out its products'), the model learns to put those companies first among the
demand's candidates, and stops adding trees when nDCG@10 on the valid products stops
improving. It is kept only if it is at least as good as the fixed combination on valid;
otherwise, or when the store has too few labelled products, the fixed combination ranks.
Choices and figures: docs/decisions/matching.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from xietong.i18n import _
from xietong.match.demand_features import (
    CATEGORICAL,
    DEMAND_FEATURES,
    DemandCandidates,
    DemandFeatures,
    fixed_score,
)
from xietong.match.index import MatchIndex
from xietong.match.lgbm import lightgbm
from xietong.match.progress import QUIET, Stages
from xietong.match.termlists import TermLists
from xietong.store.snapshot import GraphSnapshot

SPLITS = (("train", 0.6), ("valid", 0.8), ("test", 1.0))  # upper bounds of the hash
MAX_COMPANIES = 20  # products made by more companies are generic (设备, 服务), not asked for


@dataclass(frozen=True, slots=True)
class DemandConfig:
    seed: int = 0
    train_queries: int = 2000  # train products sampled per fit (their links held out)
    valid_queries: int = 400
    full_queries: int = 1000  # of the train products, also asked of the store as it is
    full_valid_queries: int = 400
    min_train: int = 50  # fewer labelled products: the fixed combination ranks
    min_valid: int = 20
    n_estimators: int = 500  # at most; early stopping on valid decides
    early_stopping: int = 30
    learning_rate: float = 0.05
    num_leaves: int = 15
    min_child_samples: int = 50


def product_split(name: str, seed: int = 0) -> str:
    """"train", "valid" or "test" for a product name: a seeded hash, so deterministic and
    independent of every other product."""
    digest = hashlib.blake2b(f"{seed}\x00{name}".encode(), digest_size=8).digest()
    u = int.from_bytes(digest, "big") / 2.0**64
    return next(part for part, upper in SPLITS if u < upper)


def labelled_products(snap: GraphSnapshot) -> dict[int, set[int]]:
    """Products with 1–20 main-product companies -> those companies."""
    if "main_product" not in snap.relations:
        return {}
    main = snap.edge_relation == snap.relation_code("main_product")
    companies: dict[int, set[int]] = {}
    for s, t in zip(snap.edge_source[main].tolist(), snap.edge_target[main].tolist()):
        companies.setdefault(t, set()).add(s)
    return {p: c for p, c in sorted(companies.items()) if len(c) <= MAX_COMPANIES}


def split_products(snap: GraphSnapshot, seed: int = 0) -> dict[str, list[int]]:
    """The labelled products of each part, sorted by node."""
    parts: dict[str, list[int]] = {part: [] for part, _ in SPLITS}
    for product in labelled_products(snap):
        parts[product_split(snap.names[product], seed)].append(product)
    return parts


def without_links(snap: GraphSnapshot, products: list[int]) -> GraphSnapshot:
    """``snap`` without the main-product links to ``products``."""
    held = np.isin(snap.edge_target, products)
    if "main_product" in snap.relations:
        held &= snap.edge_relation == snap.relation_code("main_product")
    keep = ~held
    return replace(snap, edge_source=snap.edge_source[keep], edge_target=snap.edge_target[keep],
                   edge_relation=snap.edge_relation[keep], edge_weight=snap.edge_weight[keep],
                   edge_fact=snap.edge_fact[keep])


def supplier_demand(features: DemandFeatures, product_name: str) -> DemandCandidates:
    """The candidates of "寻找<product>供应商" (role supplier), as Matcher.match finds them."""
    return features.supplier(f"寻找{product_name}供应商")[2]


def suppliers_of(snap: GraphSnapshot) -> dict[int, set[int]]:
    """Products with 1–20 suppliers -> the companies whose 主营产品 is the product or one of
    its 产品小类 (what a buyer of the product would accept)."""
    made = labelled_products(snap)
    if "sub_product" not in snap.relations:
        return made
    sub = snap.edge_relation == snap.relation_code("sub_product")
    out = {p: set(c) for p, c in made.items()}
    for broad, narrow in zip(snap.edge_source[sub].tolist(), snap.edge_target[sub].tolist()):
        if narrow in made:
            out.setdefault(broad, set()).update(made[narrow])
    return {p: c for p, c in out.items() if len(c) <= MAX_COMPANIES}


def ndcg_at(ranked: list[int], gold: set[int], k: int = 10) -> float:
    gains = sum(1.0 / np.log2(i + 2) for i, n in enumerate(ranked[:k]) if n in gold)
    return gains / sum(1.0 / np.log2(i + 2) for i in range(min(len(gold), k)))


def recall_at(ranked: list[int], gold: set[int], k: int = 10) -> float:
    return len(gold & set(ranked[:k])) / len(gold)


def peer_score(cands: DemandCandidates) -> np.ndarray:
    """The fallback peer: BM25 of the sought words against the profile (names, main
    products and the rest), nothing learned."""
    return cands.column("profile_bm25_raw").copy()


PEER = "bm25"
_PEER_FILE = "xietong-demand-fallback: bm25\n"


@dataclass
class DemandRanker:
    booster: object  # lightgbm.Booster; None when the peer ranks (``fallback``)
    columns: tuple[str, ...] = DEMAND_FEATURES
    # measured when trained: valid products' Recall@10 / nDCG@10, learned, fixed and peer
    report: dict[str, float] = field(default_factory=dict)
    # "bm25" when the learned model lost to the BM25 peer on a valid part at training time
    fallback: str | None = None

    @property
    def ranking(self) -> str:
        return self.fallback or "learned"

    def score(self, cands: DemandCandidates) -> np.ndarray:
        if len(cands.node) == 0:
            return np.empty(0, dtype=np.float32)
        if self.fallback == PEER or self.booster is None:
            return peer_score(cands)
        return np.asarray(self.booster.predict(cands.x, num_threads=1),  # type: ignore[attr-defined]
                          dtype=np.float32)

    def save(self, path: Path) -> None:
        if self.fallback == PEER or self.booster is None:
            path.write_text(_PEER_FILE, encoding="utf-8")
            return
        self.booster.save_model(str(path))  # type: ignore[attr-defined]

    @classmethod
    def load(cls, path: Path) -> DemandRanker:
        lgb = lightgbm()

        with path.open(encoding="utf-8", errors="replace") as handle:
            if handle.readline() == _PEER_FILE:
                return cls(None, fallback=PEER)
        booster = lgb.Booster(model_file=str(path))
        if tuple(booster.feature_name()) != DEMAND_FEATURES:
            raise ValueError(f"{path}: a demand model for other features")
        return cls(booster)

    @classmethod
    def try_fit(cls, snap: GraphSnapshot, config: DemandConfig = DemandConfig(), *,
                names: TermLists | None = None, progress: Stages = QUIET,
                index: MatchIndex | None = None) -> DemandRanker | None:
        """A supplier ranker trained on ``snap``'s main-product links, or None when there
        are too few labelled products. Two kinds of demands teach it: products whose links
        are held out of a second index (the supplier must be found from what else is
        known), and products of the store as it is (``index``, built when not given),
        whose makers and 产品小类 makers a buyer wants first. When the BM25 peer
        (:func:`peer_score`) ranks either kind's valid products better, the peer ranks
        (``fallback``), as chosen here and reported."""
        parts = split_products(snap, config.seed)
        rng = np.random.default_rng(config.seed)
        train, valid = (sorted(rng.choice(parts[p], min(n, len(parts[p])), replace=False)
                               .tolist()) if parts[p] else []
                        for p, n in (("train", config.train_queries),
                                     ("valid", config.valid_queries)))
        if len(train) < config.min_train or len(valid) < config.min_valid:
            return None
        gold, whole = labelled_products(snap), suppliers_of(snap)
        held = DemandFeatures(MatchIndex.build(without_links(snap, train + valid),
                                               names=names, progress=progress))
        full = DemandFeatures(index if index is not None else
                              MatchIndex.build(snap, names=names, progress=progress))
        full_train = [p for p in train if p in whole][:config.full_queries]
        full_valid = [p for p in valid if p in whole][:config.full_valid_queries]
        total = len(train) + len(valid) + len(full_train) + len(full_valid)
        with progress.stage(_("供应商排序模型的训练样本"), total, "产品") as advance:
            held_train = _groups(held, snap, train, gold, advance)
            store_train = _groups(full, snap, full_train, whole, advance)
            held_valid = _groups(held, snap, valid, gold, advance)
            store_valid = _groups(full, snap, full_valid, whole, advance)
        x, y, groups = _stack(held_train, store_train)
        vx, vy, vgroups = _stack(held_valid, store_valid)
        if not groups or not vgroups:
            return None
        with progress.stage(_("训练供应商排序模型 (LightGBM，至多 {n} 轮，早停)").format(
                n=config.n_estimators), config.n_estimators, "轮") as advance:
            ranker = cls(_train(x, y, groups, vx, vy, vgroups, config, advance))
        report: dict[str, float] = {}
        for part, feats, products, labels in (("held", held, valid, gold),
                                              ("store", full, full_valid, whole)):
            for key, value in evaluate(feats, snap, products, labels, ranker).items():
                report[f"{part}_{key}"] = value
        ranker.report = report
        if any(report[f"{part}_peer_ndcg@10"] > report[f"{part}_learned_ndcg@10"]
               for part in ("held", "store") if report[f"{part}_products"]):
            ranker.fallback = PEER
        return ranker


Groups = tuple[np.ndarray, np.ndarray, list[int]]


def _stack(*parts: Groups) -> Groups:
    kept = [p for p in parts if p[2]]
    if not kept:
        return parts[0]
    return (np.vstack([p[0] for p in kept]), np.concatenate([p[1] for p in kept]),
            [g for p in kept for g in p[2]])


def _groups(features: DemandFeatures, snap: GraphSnapshot, products: list[int],
            gold: dict[int, set[int]], advance: Callable[[int], None] = lambda _n: None
            ) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Feature rows and labels of every candidate (~180 a demand on ChainKG, so none are
    sampled away), per product whose companies are among its candidates. Rows stay in
    first-found order: LightGBM's nDCG breaks ties by row order, and putting the answers
    first made early stopping pick a one-tree model that only looked good through ties."""
    xs, ys, groups = [], [], []
    for product in products:
        advance(1)
        cands = supplier_demand(features, snap.names[product])
        label = np.isin(cands.node, list(gold[product]))
        if not label.any():
            continue
        xs.append(cands.x)
        ys.append(label.astype(np.float32))
        groups.append(len(label))
    if not xs:
        return np.empty((0, len(DEMAND_FEATURES)), dtype=np.float32), np.empty(0), []
    return np.vstack(xs), np.concatenate(ys), groups


def _train(x: np.ndarray, y: np.ndarray, groups: list[int], vx: np.ndarray, vy: np.ndarray,
           vgroups: list[int], config: DemandConfig,
           advance: Callable[[int], None] = lambda _n: None) -> object:
    lgb = lightgbm()

    def dataset(a: np.ndarray, b: np.ndarray, g: list[int]) -> Any:
        return lgb.Dataset(a, b, group=g, feature_name=list(DEMAND_FEATURES),
                           categorical_feature=list(CATEGORICAL), free_raw_data=False)

    data = dataset(x, y, groups)
    held = lgb.Dataset(vx, vy, group=vgroups, reference=data, free_raw_data=False)
    # one thread: on a shared box OpenMP spinning made training 5x slower with two
    params = {"objective": "lambdarank", "metric": "ndcg", "eval_at": [10],
              "learning_rate": config.learning_rate, "num_leaves": config.num_leaves,
              "min_child_samples": config.min_child_samples, "lambdarank_truncation_level": 20,
              "num_threads": 1, "seed": config.seed, "deterministic": True, "verbose": -1,
              "feature_fraction": 0.9, "bagging_fraction": 0.8, "bagging_freq": 1}
    return lgb.train(params, data, num_boost_round=config.n_estimators, valid_sets=[held],
                     callbacks=[lgb.early_stopping(config.early_stopping, verbose=False),
                                lambda _env: advance(1)])


def evaluate(features: DemandFeatures, snap: GraphSnapshot, products: list[int],
             gold: dict[int, set[int]], ranker: DemandRanker | None) -> dict[str, float]:
    """Recall@10 and nDCG@10 of the fixed combination, the BM25 peer (and of ``ranker``'s
    model) over ``products``, every candidate ranked, no filter."""
    scorers: list[tuple[str, Callable[[DemandCandidates], np.ndarray]]] = [
        ("fixed", fixed_score), ("peer", peer_score)]
    if ranker is not None and ranker.booster is not None:
        learned = DemandRanker(ranker.booster)
        scorers.append(("learned", learned.score))
    sums = {f"{label}_{m}": 0.0 for label, _s in scorers for m in ("recall@10", "ndcg@10")}
    for product in products:
        cands = supplier_demand(features, snap.names[product])
        for label, scorer in scorers:
            ranked = cands.node[np.argsort(-scorer(cands), kind="stable")[:10]].tolist()
            sums[f"{label}_recall@10"] += recall_at(ranked, gold[product])
            sums[f"{label}_ndcg@10"] += ndcg_at(ranked, gold[product])
    return {k: float(v) / max(len(products), 1) for k, v in sums.items()} | \
        {"products": len(products)}
