"""The learned ranking of supplier demands on real ChainKG rows: a seeded, disjoint product
split; a model that is kept only when it is at least as good as the fixed combination on
valid products; supplier demands ranked by it with their reasons; the fixed combination
for roles without labels and for stores too small to learn from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from xietong_eval.records_graph import snapshot_from_records

from tests.match.helpers import main_product_pair
from xietong.api import Ecosystem
from xietong.ingest.chainkg import chainkg_records
from xietong.match.demand_features import DEMAND_FEATURES, FIXED_WEIGHTS, fixed_score
from xietong.match.demand_ranker import (
    DemandRanker,
    labelled_products,
    product_split,
    split_products,
    supplier_demand,
    without_links,
)
from xietong.match.engine import Matcher
from xietong.match.service import folder_for, open_matcher
from xietong.store.snapshot import GraphSnapshot


@pytest.fixture
def slice_snapshot(chainkg_slice: Path) -> GraphSnapshot:
    return snapshot_from_records(chainkg_records(chainkg_slice))


def test_the_product_split_is_seeded_deterministic_and_disjoint(slice_snapshot) -> None:
    snap = slice_snapshot
    parts = split_products(snap)
    assert parts == split_products(snap)
    sets = {k: set(v) for k, v in parts.items()}
    assert not (sets["train"] & sets["valid"] or sets["train"] & sets["test"]
                or sets["valid"] & sets["test"])
    assert set().union(*sets.values()) == set(labelled_products(snap))
    total = sum(map(len, sets.values()))
    assert total > 500
    for part, share in (("train", 0.6), ("valid", 0.2), ("test", 0.2)):
        assert abs(len(sets[part]) / total - share) < 0.05, part
    # a product's part depends on its name and the seed only, not on the other products
    fewer = split_products(without_links(snap, parts["train"][::2]))
    assert set(fewer["valid"]) == sets["valid"] and set(fewer["test"]) == sets["test"]
    names = [snap.names[p] for p in parts["train"][:200]]
    assert any(product_split(n, seed=1) != "train" for n in names)


def test_the_fixed_combination_is_a_weighted_sum_of_the_feature_columns(slice_snapshot) -> None:
    matcher = Matcher.build(slice_snapshot, train=False)
    gold = labelled_products(slice_snapshot)
    product = next(p for p, c in gold.items() if len(c) >= 2)
    cands = supplier_demand(matcher.demand_features, slice_snapshot.names[product])
    assert cands.x.shape == (len(cands.node), len(DEMAND_FEATURES))
    expected = sum(w * cands.column(n) for n, w in FIXED_WEIGHTS.items())
    assert np.allclose(fixed_score(cands), expected, atol=1e-5)
    # the product's own companies are found through it (an anchor path), and the
    # BM25 column is normalised by the best hit
    found = np.isin(cands.node, list(gold[product]))
    assert found.any() and (cands.column("anchor_paths")[found] > 0).all()
    assert cands.column("profile_bm25").max() == pytest.approx(1.0)


def test_the_learned_model_beats_the_bm25_peer_on_valid_products_or_falls_back(
        slice_snapshot) -> None:
    """Trained on train products (their links held out, and the store whole),
    early-stopped on valid ones; the BM25 peer ranks when it was better on valid."""
    snap = slice_snapshot
    test = split_products(snap)["test"]
    model = DemandRanker.try_fit(without_links(snap, test))
    assert model is not None, "a ChainKG slice has enough labelled products to learn from"
    report = model.report
    assert report["held_products"] >= 20 and report["store_products"] >= 20
    wins = all(report[f"{part}_learned_ndcg@10"] >= report[f"{part}_peer_ndcg@10"]
               for part in ("held", "store"))
    assert model.ranking == ("learned" if wins else "bm25")
    assert report["held_learned_recall@10"] > 0.1
    # the store whole: a product's makers (and its 产品小类's) are what a buyer wants
    assert report["store_learned_recall@10"] > 0.8
    assert model.booster.best_iteration >= 1  # type: ignore[attr-defined]


def test_supplier_demands_are_ranked_by_the_learned_model_with_reasons(
        chainkg_slice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One backend is enough here: ranking reads the store's snapshot, which the
    backend tests compare; both rankers are trained, so this is the slowest test."""
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco = Ecosystem(str(tmp_path / "chainkg.db"))
    eco.init()
    try:
        _check_supplier_demands(eco, chainkg_slice)
    finally:
        eco.close()


def _check_supplier_demands(eco: Ecosystem, chainkg_slice: Path) -> None:
    eco.import_chainkg(chainkg_slice)
    snap = eco.snapshot()
    company, product = main_product_pair(snap)
    matcher = open_matcher(eco)
    assert matcher.demand_ranker is not None
    assert (folder_for(eco.url, snap) / "demand.txt").exists()
    found = matcher.match(f"寻找{product}供应商", top=10)
    assert found and {m.ranking for m in found} == {"learned"}
    assert all(m.to_dict()["ranking"] == "learned" for m in found)
    names = [m.name for m in found]
    assert company in names
    hit = found[names.index(company)]
    assert any(product in fit and "%" in fit for fit in hit.reasons.chain_fit)
    assert all(m.reasons.matched_terms or m.reasons.paths or m.reasons.chain_fit
               for m in found)
    # roles without labels keep the fixed combination
    partners = matcher.match(f"寻找{product}合作伙伴", top=10)
    assert partners and {m.ranking for m in partners} == {"fixed"}
    # the cached model is what a second open uses
    again = open_matcher(eco)
    assert [m.to_dict() for m in again.match(f"寻找{product}供应商", top=10)] == \
        [m.to_dict() for m in found]


def test_a_store_too_small_to_learn_from_ranks_by_the_fixed_combination(
        eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_demo()  # one 主营产品 fact: nothing to learn from
    matcher = open_matcher(eco)
    assert matcher.demand_ranker is None
    assert (folder_for(eco.url, eco.snapshot()) / "demand.none").exists()
    found = matcher.match("寻找人形机器人谐波减速器供应商", top=5)
    assert found and {m.to_dict()["ranking"] for m in found} == {"fixed"}
