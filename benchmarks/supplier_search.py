"""Supplier search on ChainKG: "寻找<产品>供应商" must find the companies whose 主营产品 it is.

    python benchmarks/supplier_search.py [--data ../shared/data/chainkg] [--products 500] [--json]

Products with 1–20 main-product companies are split 60/20/20 by a seeded hash of their
name (xietong.match.demand_ranker.product_split, seed 0). Up to 500 *test* products are
sampled (seed 0) and every 主营产品 link to them is held out of the index, so a company
must be found from what else is known: its other products and their weights, the product
chain (上游材料, 产品小类), its industry, its name. On that index the supplier-demand model
is trained as a store trains it (train products' links held out of a second index,
early-stopped on valid products), and three systems rank the test products' demands: the
fixed combination, the learned model, and plain BM25 on names (the same tantivy index,
name field, companies only). Metrics: Recall@10 and nDCG@10 (binary gains), averaged over
products.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section
from xietong_eval.records_graph import snapshot_from_records

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
from xietong.match.profiles import name_terms
from xietong.match.tokens import content_words


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA / "chainkg")
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    snap = snapshot_from_records(chainkg_records(args.data))
    companies_of = labelled_products(snap)
    parts = split_products(snap)
    test = parts["test"]
    rng = np.random.default_rng(0)
    products = sorted(rng.choice(test, min(args.products, len(test)), replace=False).tolist())
    rest = without_links(snap, products)
    held = snap.edge_count - rest.edge_count
    started = time.process_time()
    fixed = Matcher.build(rest, train=False)
    build_seconds = time.process_time() - started
    started = time.process_time()
    model = DemandRanker.try_fit(rest)
    train_seconds = time.process_time() - started
    if model is None:
        raise SystemExit("the supplier-demand model was not kept (see DemandRanker.try_fit)")
    learned = Matcher(fixed.index, None, model)

    systems = ("fixed", "learned", "bm25_names")
    scores: dict[str, dict[str, list[float]]] = {s: {"recall@10": [], "ndcg@10": []}
                                                  for s in systems}
    cpu = {"fixed": 0.0, "learned": 0.0}
    for product in products:
        gold = companies_of[product]
        text = f"寻找{snap.names[product]}供应商"
        ranked = {}
        for label, matcher in (("fixed", fixed), ("learned", learned)):
            started = time.process_time()
            # the role is given: a product named 融资租赁 would otherwise read as investor
            found = matcher.match(text, role="supplier", top=10)
            cpu[label] += time.process_time() - started
            assert all(m.ranking == label for m in found)
            ranked[label] = [m.node for m in found]
        terms = content_words(snap.names[product])
        hit, _ = fixed.index.text.search(name_terms([snap.names[product]]) + terms, "name", 10,
                                         types=("enterprise",))
        ranked["bm25_names"] = hit.tolist()
        for label in systems:
            scores[label]["recall@10"].append(recall_at(ranked[label], gold))
            scores[label]["ndcg@10"].append(ndcg_at(ranked[label], gold))
    result = {
        "data": str(args.data), "split": {k: len(v) for k, v in parts.items()},
        "products": len(products), "held_out_links": int(held),
        **{s: {k: float(np.mean(v)) for k, v in scores[s].items()} for s in systems},
        "valid": model.report, "trees": int(model.booster.best_iteration),  # type: ignore[attr-defined]
        "index_build_cpu_s": round(build_seconds, 1), "train_cpu_s": round(train_seconds, 1),
        "cpu_ms_per_query": {k: round(1000 * v / len(products), 1) for k, v in cpu.items()},
        "machine": machine(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=None if args.json else 1))
    if not args.no_write:
        write_section("supplier_search", _markdown(result))
    return result


def _markdown(r: dict) -> str:
    split, v = r["split"], r["valid"]
    ratio = {m: r["learned"][m] / r["fixed"][m] for m in ("recall@10", "ndcg@10")}

    def row(label: str, key: str, bold: bool = False) -> str:
        cells = [f"{r[key][m]:.3f}" for m in ("recall@10", "ndcg@10")]
        return f"| {label} | " + " | ".join(f"**{c}**" if bold else c for c in cells) + " |"

    return "\n".join([
        "## Supplier search on ChainKG (benchmarks/supplier_search.py)",
        "",
        (f"Products with 1–20 main-product companies split by a seeded hash of the name "
         f"(seed 0): {split['train']:,} train / {split['valid']:,} valid / {split['test']:,} "
         f"test. {r['products']} *test* products sampled (seed 0); their "
         f"{r['held_out_links']:,} 主营产品 links held out of the index. Query: "
         f"寻找<产品>供应商. Machine: {r['machine']}"),
        "",
        "| system (test products) | Recall@10 | nDCG@10 |",
        "|---|---|---|",
        row("xietong match, learned (LightGBM lambdarank)", "learned", bold=True),
        row("xietong match, fixed combination", "fixed"),
        row("BM25 on names (baseline)", "bm25_names"),
        "",
        (f"Learned ÷ fixed on test: Recall@10 {ratio['recall@10']:.2f}×, nDCG@10 "
         f"{ratio['ndcg@10']:.2f}×. Trained in {r['train_cpu_s']} s CPU ({r['trees']} trees, "
         f"early-stopped on {v['products']} valid products: nDCG@10 "
         f"{v['learned_ndcg@10']:.3f} learned vs {v['fixed_ndcg@10']:.3f} fixed). Index build "
         f"{r['index_build_cpu_s']} s CPU; CPU per query (including reasons): fixed "
         f"{r['cpu_ms_per_query']['fixed']} ms, learned {r['cpu_ms_per_query']['learned']} ms."),
    ])


if __name__ == "__main__":
    main()
