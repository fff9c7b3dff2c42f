"""Supplier search on ChainKG: "寻找<产品>供应商" must find the companies whose 主营产品 it is.

    python benchmarks/supplier_search.py [--data ../shared/data/chainkg] [--products 500] [--json]

Real products with 1–20 main-product companies are sampled (seed 0); every 主营产品 link
to a sampled product is held out of the index, so a company must be found from what else
is known: its other products and their weights, the product chain (上游材料, 产品小类),
its industry, its name. Baseline: plain BM25 on names (the same tantivy index, name field,
companies only). Metrics: Recall@10 and nDCG@10 (binary gains), averaged over products.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section

from xietong.ingest.chainkg import chainkg_records
from xietong.match.engine import Matcher
from xietong.match.profiles import name_terms
from xietong.match.records_graph import snapshot_from_records
from xietong.match.tokens import content_words


def ndcg(found: list[int], gold: set[int], k: int = 10) -> float:
    gains = sum(1.0 / np.log2(i + 2) for i, n in enumerate(found[:k]) if n in gold)
    ideal = sum(1.0 / np.log2(i + 2) for i in range(min(len(gold), k)))
    return gains / ideal


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "chainkg")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    snap = snapshot_from_records(chainkg_records(args.data))
    main_code = snap.relation_code("main_product")
    is_main = snap.edge_relation == main_code
    companies_of: dict[int, set[int]] = {}
    for s, t in zip(snap.edge_source[is_main].tolist(), snap.edge_target[is_main].tolist()):
        companies_of.setdefault(t, set()).add(s)
    eligible = sorted(p for p, c in companies_of.items() if 1 <= len(c) <= 20)
    rng = np.random.default_rng(0)
    products = rng.choice(eligible, min(args.products, len(eligible)), replace=False).tolist()
    held = is_main & np.isin(snap.edge_target, products)
    keep = ~held
    rest = replace(snap, edge_source=snap.edge_source[keep], edge_target=snap.edge_target[keep],
                   edge_relation=snap.edge_relation[keep], edge_weight=snap.edge_weight[keep],
                   edge_fact=snap.edge_fact[keep])
    started = time.perf_counter()
    matcher = Matcher.build(rest, train=False)
    build_seconds = time.perf_counter() - started

    ours = {"recall@10": [], "ndcg@10": []}
    base = {"recall@10": [], "ndcg@10": []}
    started = time.perf_counter()
    for product in products:
        gold = companies_of[product]
        text = f"寻找{snap.names[product]}供应商"
        found = [m.node for m in matcher.match(text, top=10)]
        terms = content_words(snap.names[product])
        hit, _ = matcher.index.text.search(name_terms([snap.names[product]]) + terms, "name", 10,
                                           types=("enterprise",))
        for store, ranked in ((ours, found), (base, hit.tolist())):
            store["recall@10"].append(len(gold & set(ranked[:10])) / len(gold))
            store["ndcg@10"].append(ndcg(ranked, gold))
    query_seconds = time.perf_counter() - started
    result = {
        "data": str(args.data), "products": len(products), "held_out_links": int(held.sum()),
        "xietong": {k: float(np.mean(v)) for k, v in ours.items()},
        "bm25_names": {k: float(np.mean(v)) for k, v in base.items()},
        "index_build_seconds": round(build_seconds, 1),
        "ms_per_query": round(1000 * query_seconds / len(products), 1), "machine": machine(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 1))
    if not args.no_write:
        write_section("supplier_search", _markdown(result))
    return result


def _markdown(r: dict) -> str:
    return "\n".join([
        "## Supplier search on ChainKG (benchmarks/supplier_search.py)",
        "",
        f"{r['products']} real products (1–20 companies each, seed 0); their "
        f"{r['held_out_links']:,} 主营产品 links held out of the index. Query: 寻找<产品>供应商. "
        f"Machine: {r['machine']}",
        "",
        "| system | Recall@10 | nDCG@10 |",
        "|---|---|---|",
        f"| xietong match | **{r['xietong']['recall@10']:.3f}** | **{r['xietong']['ndcg@10']:.3f}** |",
        f"| BM25 on names (baseline) | {r['bm25_names']['recall@10']:.3f} | "
        f"{r['bm25_names']['ndcg@10']:.3f} |",
        "",
        f"Index build {r['index_build_seconds']} s; {r['ms_per_query']} ms a query "
        "(including reasons).",
    ])


if __name__ == "__main__":
    main()
