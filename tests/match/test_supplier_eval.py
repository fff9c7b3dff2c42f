"""The supplier-demand evaluation set is well formed, and supplier search beats the BM25
peers on it (a seeded sample, the model trained small so the test stays short)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from xietong_eval.records_graph import snapshot_from_records
from xietong_eval.supplier_demands import PEERS, capped_recall, load, peer_index, peers

from xietong.ingest.chainkg import chainkg_records
from xietong.match.demand_ranker import DemandConfig, DemandRanker, ndcg_at, product_split
from xietong.match.engine import Matcher

DEMANDS = Path(__file__).parent / "data" / "supplier_demands.jsonl"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return load(DEMANDS)


def test_the_set_is_well_formed(rows: list[dict], data_dir: Path) -> None:
    parts = Counter(r["set"] for r in rows)
    assert parts["valid"] >= 300 and parts["test"] >= 100 and parts["hand"] >= 50
    assert len({r["id"] for r in rows}) == len(rows)
    generated = [r for r in rows if r["set"] != "hand"]
    assert len({r["phrasing"] for r in generated}) >= 10
    assert {r["extra"] for r in rows} >= {None, "quantity", "region", "qualification",
                                          "deadline"}
    codes = {json.loads(line)["code"] for line in
             (data_dir / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()}
    for r in rows:
        assert r["text"].strip() and r["sought"] and r["relevant"], r["id"]
        assert all(c["code"] in codes for c in r["relevant"]), r["id"]
    for r in generated:
        # drawn from its part of the product split, the material named in the text
        assert product_split(r["sought"]) == r["set"] and r["sought"] in r["text"]
        assert r["poster"] in r["text"] and 1 <= len(r["relevant"]) <= 20
    assert not {r["sought"] for r in rows if r["set"] == "valid"} & \
        {r["sought"] for r in rows if r["set"] == "test"}


def test_supplier_search_beats_bm25_on_a_sample(rows: list[dict], data_dir: Path) -> None:
    snap = snapshot_from_records(chainkg_records(data_dir / "chainkg"))
    matcher = Matcher.build(snap, train=False)
    small = DemandConfig(train_queries=300, valid_queries=100, full_queries=200,
                         full_valid_queries=100)
    model = DemandRanker.try_fit(snap, small, index=matcher.index)
    assert model is not None
    matcher = Matcher(matcher.index, None, model)
    rng = np.random.default_rng(0)
    valid = [r for r in rows if r["set"] == "valid"]
    sample = [valid[i] for i in sorted(rng.choice(len(valid), 40, replace=False))]
    sample += [r for r in rows if r["set"] == "hand"][::3]
    pindex = peer_index(snap)
    node_of = {n: i for i, n in enumerate(snap.names)}
    ndcg: dict[str, list[float]] = {s: [] for s in ("ours", *PEERS)}
    recall: list[float] = []
    for r in sample:
        gold = {node_of[c["name"]] for c in r["relevant"]}
        ranked = {"ours": [m.node for m in matcher.match(r["text"], role="supplier", top=10)]}
        ranked |= peers(pindex, matcher.index.text, r["text"])
        for system, nodes in ranked.items():
            ndcg[system].append(ndcg_at(nodes, gold))
        recall.append(capped_recall(ranked["ours"], gold))
    mean = {s: float(np.mean(v)) for s, v in ndcg.items()}
    assert mean["ours"] > max(mean[p] for p in PEERS) + 0.1, mean
    assert float(np.mean(recall)) >= 0.7, mean
