"""Supplier search on ChainKG: test products held out, and natural-language buyer demands.

    python benchmarks/supplier_search.py [--data ../shared/data/chainkg] [--products 500] [--json]

1. **Test products** ("寻找<产品>供应商"). Products with 1–20 main-product companies are
   split 60/20/20 by a seeded hash of their name (xietong.match.demand_ranker.product_split,
   seed 0). Up to 500 *test* products are sampled (seed 0) and every 主营产品 link to them
   is held out of the index, so a company must be found from what else is known. On that
   index the supplier-demand model is trained as a store trains it.
2. **Natural-language demands** (tests/match/data/supplier_demands.jsonl, written from the
   data before any tuning; see its README): generated from 上游材料 links of valid and of
   test materials, and hand-written. The store is whole (nothing held out): a buyer asking
   for 水泥 should get the companies that make it or one of its 产品小类. The model is
   trained on that store as a store trains it.

Peers in the same run, nothing tuned, over jieba words in tantivy BM25 (companies only):
BM25 over each company's name + main products, and BM25 over its product neighbourhood
(name + main products + their 上游材料 and 产品小类); plus BM25 on names (the old
baseline). Queries for the peers: the jieba content words of the demand. Metrics:
Recall@10 and nDCG@10 (binary gains), averaged over demands; for the hand-written set,
whose rules can name more than ten companies, Recall@10 is capped (hits ÷ min(|relevant|,
10)). Latency: wall time of ``Matcher.match`` (reasons included) per natural demand.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section
from xietong_eval.records_graph import snapshot_from_records
from xietong_eval.supplier_demands import PEERS, capped_recall, load, peer_index, peers

from xietong.ingest.chainkg import chainkg_records
from xietong.match.demand_ranker import (
    DemandRanker,
    labelled_products,
    ndcg_at,
    recall_at,
    split_products,
    without_links,
)
from xietong.match.engine import Matcher
from xietong.store.snapshot import GraphSnapshot

DEMANDS = Path(__file__).resolve().parents[1] / "tests" / "match" / "data" / "supplier_demands.jsonl"
NL_SETS = ("valid", "test", "hand")


def _mean(values: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {s: {m: float(np.mean(v)) if v else 0.0 for m, v in d.items()}
            for s, d in values.items()}


def test_products(snap: GraphSnapshot, n: int) -> dict[str, object]:
    companies_of = labelled_products(snap)
    parts = split_products(snap)
    test = parts["test"]
    rng = np.random.default_rng(0)
    products = sorted(rng.choice(test, min(n, len(test)), replace=False).tolist())
    rest = without_links(snap, products)
    started = time.process_time()
    fixed = Matcher.build(rest, train=False)
    build = time.process_time() - started
    started = time.process_time()
    model = DemandRanker.try_fit(rest, index=fixed.index)
    train = time.process_time() - started
    if model is None:
        raise SystemExit("the supplier-demand model was not kept (see DemandRanker.try_fit)")
    learned = Matcher(fixed.index, None, model)
    pindex = peer_index(rest)
    systems = ("learned", "fixed", *PEERS)
    scores: dict[str, dict[str, list[float]]] = {
        s: {"recall@10": [], "ndcg@10": []} for s in systems}
    for product in products:
        gold = companies_of[product]
        text = f"寻找{snap.names[product]}供应商"
        ranked = {label: [m.node for m in matcher.match(text, role="supplier", top=10)]
                  for label, matcher in (("fixed", fixed), ("learned", learned))}
        ranked |= peers(pindex, fixed.index.text, snap.names[product])
        for label in systems:
            scores[label]["recall@10"].append(recall_at(ranked[label], gold))
            scores[label]["ndcg@10"].append(ndcg_at(ranked[label], gold))
    return {"split": {k: len(v) for k, v in parts.items()}, "products": len(products),
            "held_out_links": int(snap.edge_count - rest.edge_count),
            "scores": _mean(scores), "valid": model.report, "ranking": model.ranking,
            "trees": int(getattr(model.booster, "best_iteration", 0)),
            "index_build_cpu_s": round(build, 1), "train_cpu_s": round(train, 1)}


def natural_demands(snap: GraphSnapshot) -> dict[str, object]:
    started = time.process_time()
    matcher = Matcher.build(snap, train=False)
    model = DemandRanker.try_fit(snap, index=matcher.index)
    train = time.process_time() - started
    matcher = Matcher(matcher.index, None, model)
    pindex = peer_index(snap)
    node_of = {n: i for i, (n, t) in enumerate(zip(snap.names, snap.types))
               if t == "enterprise"}
    systems = ("learned", *PEERS)
    by_set: dict[str, dict[str, dict[str, list[float]]]] = {
        part: {s: {"recall@10": [], "ndcg@10": []} for s in systems} for part in NL_SETS}
    wall: list[float] = []
    parsed_right = defaultdict(int)
    rows = load(DEMANDS)
    for row in rows:
        gold = {node_of[c["name"]] for c in row["relevant"] if c["name"] in node_of}
        if not gold:
            continue
        started = time.perf_counter()
        found = matcher.match(row["text"], role="supplier", top=10)
        wall.append(time.perf_counter() - started)
        ranked = {"learned": [m.node for m in found]} | peers(pindex, matcher.index.text,
                                                              row["text"])
        if row["set"] != "hand":
            reading = matcher.reading(row["text"], "supplier") or {}
            parsed_right[row["set"]] += reading.get("sought") == row["sought"]
        recall = capped_recall if row["set"] == "hand" else recall_at
        for label in systems:
            by_set[row["set"]][label]["recall@10"].append(recall(ranked[label], gold))
            by_set[row["set"]][label]["ndcg@10"].append(ndcg_at(ranked[label], gold))
    ms = 1000 * np.array(wall)
    return {"sets": {part: _mean(v) for part, v in by_set.items()},
            "demands": {part: len(v["learned"]["ndcg@10"]) for part, v in by_set.items()},
            "sought_read_right": dict(parsed_right), "valid": model.report if model else {},
            "ranking": model.ranking if model else "fixed", "train_cpu_s": round(train, 1),
            "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1)}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "chainkg")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    snap = snapshot_from_records(chainkg_records(args.data))
    result = {"data": str(args.data), "test_products": test_products(snap, args.products),
              "natural": natural_demands(snap), "machine": machine()}
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 1))
    if not args.no_write:
        write_section("supplier_search", _markdown(result))
    return result


_LABELS = {
    "learned": "xietong match (learned ranker on the demand's product pool)",
    "fixed": "xietong match, fixed combination",
    "bm25_name_products": "BM25 over name + main products (peer)",
    "bm25_neighbourhood": "BM25 over the product neighbourhood (peer)",
    "bm25_names": "BM25 on names (old baseline)",
}


def _markdown(r: dict) -> str:
    t, n = r["test_products"], r["natural"]
    split = t["split"]

    def cells(scores: dict[str, float]) -> str:
        return f"{scores['recall@10']:.3f} | {scores['ndcg@10']:.3f}"

    lines = [
        "## Supplier search on ChainKG (benchmarks/supplier_search.py)",
        "",
        f"Machine: {r['machine']}.",
        "",
        (f"**Test products.** Products with 1–20 main-product companies split by a seeded "
         f"hash of the name (seed 0): {split['train']:,} train / {split['valid']:,} valid / "
         f"{split['test']:,} test. {t['products']} *test* products sampled (seed 0); their "
         f"{t['held_out_links']:,} 主营产品 links held out of the index. Query: "
         f"寻找<产品>供应商. Answer ranked by: {t['ranking']}."),
        "",
        "| system (test products) | Recall@10 | nDCG@10 |",
        "|---|---|---|",
        *(f"| {_LABELS[s]} | {cells(t['scores'][s])} |" for s in t["scores"]),
        "",
        (f"**Natural-language demands** (tests/match/data/supplier_demands.jsonl; the store "
         f"whole): generated from 上游材料 links of valid materials "
         f"({n['demands']['valid']}), of test materials ({n['demands']['test']}), and "
         f"hand-written ({n['demands']['hand']}; Recall@10 capped at min(|relevant|, 10)). "
         f"Answer ranked by: {n['ranking']}."),
        "",
        "| system | valid R@10 | valid nDCG@10 | test R@10 | test nDCG@10 | hand R@10 | "
        "hand nDCG@10 |",
        "|---|---|---|---|---|---|---|",
        *(f"| {_LABELS[s]} | " + " | ".join(cells(n["sets"][p][s]) for p in NL_SETS) + " |"
          for s in n["sets"]["valid"]),
        "",
        (f"Sought product read exactly as written (generated sets): "
         f"{n['sought_read_right'].get('valid', 0)}/{n['demands']['valid']} valid, "
         f"{n['sought_read_right'].get('test', 0)}/{n['demands']['test']} test. Wall time per "
         f"natural demand (`Matcher.match`, reasons included): p50 {n['p50_ms']} ms, p95 "
         f"{n['p95_ms']} ms. Training (test-product run): {t['train_cpu_s']} s CPU, "
         f"{t['trees']} trees; index build {t['index_build_cpu_s']} s CPU."),
        "",
        "Valid figures the fallback rule read at training time (held = links held out, "
        "store = the store whole; learned / peer nDCG@10): test-product run "
        + _valid(t["valid"]) + "; natural-demand run " + _valid(n["valid"]) + ".",
    ]
    return "\n".join(lines)


def _valid(v: dict) -> str:
    if not v:
        return "no model"
    return ", ".join(f"{part} {v.get(f'{part}_learned_ndcg@10', float('nan')):.3f} / "
                     f"{v[f'{part}_peer_ndcg@10']:.3f}" for part in ("held", "store"))


if __name__ == "__main__":
    main()
