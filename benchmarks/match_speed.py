"""Matching speed: index build time and memory, p50/p95 latency and queries/s.

    python benchmarks/match_speed.py [--enterprises 1000000 --relations 5000000] [--json]

Two graphs: ickg25 (train+valid) and a synthetic graph from benchmarks/synthetic.py.
Two query kinds, run one at a time on one thread: ``recommend`` (an entity and a business
relation: candidates, features, the learned ranker, reasons) and ``match`` (a free-text
demand 寻找<产品>供应商: BM25, product paths, reasons). The ranker is trained once on
ickg-subset (the features are graph-generic; its cost per query does not depend on the
graph it learned from). Goal (issue 3): p95 ≤ 50 ms at 1M profiles, build ≤ 5 min.
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
from synthetic import generate

from xietong.match.engine import Matcher
from xietong.match.ickg_graph import Quads, ickg_snapshot, read_split
from xietong.match.ranker import Ranker, RankerConfig
from xietong.store.snapshot import GraphSnapshot

BUSINESS = ("cooperates", "supplies", "invests", "competes")


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def timed(calls: list, warmup: int = 3) -> dict[str, float]:
    for call in calls[:warmup]:
        call()
    took = []
    for call in calls:
        started = time.perf_counter()
        call()
        took.append(1000 * (time.perf_counter() - started))
    ms = np.array(took)
    return {"queries": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
            "p95_ms": round(float(np.percentile(ms, 95)), 1),
            "qps": round(1000 / float(ms.mean()), 1)}


def measure(label: str, snap: GraphSnapshot, ranker: Ranker, products: list[str],
            queries: int, seed: int = 0) -> dict[str, object]:
    before = rss_mb()
    started = time.perf_counter()
    matcher = Matcher.build(snap, ranker=ranker)
    build = time.perf_counter() - started
    after = rss_mb()
    rng = np.random.default_rng(seed)
    companies = np.flatnonzero(matcher.index.graph.degree > 0)
    companies = companies[np.isin(np.array(snap.types)[companies], ["enterprise"])]
    picks = rng.choice(companies, queries)
    relations = rng.choice(BUSINESS, queries)
    recommend = [lambda n=int(n), r=str(r): matcher.recommend(n, r, top=10)
                 for n, r in zip(picks, relations)]
    texts = [f"寻找{p}供应商" for p in rng.choice(products, queries)]
    match = [lambda t=t: matcher.match(t, top=10) for t in texts]
    result = {"graph": label, "nodes": snap.node_count, "relations": snap.edge_count,
              "build_seconds": round(build, 1), "index_memory_mb": round(after - before),
              "recommend": timed(recommend), "match": timed(match)}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--relations", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)

    subset, _ = ickg_snapshot(SHARED_DATA / "ickg-subset")
    started = time.perf_counter()
    ranker = Ranker.fit(subset, RankerConfig())
    fit = time.perf_counter() - started
    products = [json.loads(line)["name"] for line in
                (SHARED_DATA / "chainkg" / "product.jsonl").read_text("utf-8").splitlines()[:20000]]

    folder = SHARED_DATA / "ickg25"
    base, train = ickg_snapshot(folder)
    valid = read_split(folder, "valid.txt", base.relations)
    both = Quads(*(np.concatenate([getattr(train, f), getattr(valid, f)])
                   for f in ("head", "relation", "tail", "line")))
    ickg, _ = ickg_snapshot(folder, train=both)
    runs = [measure("ickg25 (train+valid)", ickg, ranker, products, args.queries)]
    started = time.perf_counter()
    synthetic = generate(args.enterprises, args.relations, seed=0)
    generated = time.perf_counter() - started
    runs.append(measure(f"synthetic {args.enterprises:,} enterprises / "
                        f"{args.relations:,} relations", synthetic, ranker, products,
                        args.queries))
    result = {"machine": machine(), "ranker_fit_seconds": round(fit, 1),
              "generate_seconds": round(generated, 1), "runs": runs}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    if not args.no_write:
        write_section("match_speed", _markdown(result))
    return result


def _markdown(r: dict) -> str:
    lines = ["## Matching speed (benchmarks/match_speed.py)", "",
             f"Machine: {r['machine']}. One query at a time, one thread; top 10 with reasons. "
             f"Synthetic graph generated in {r['generate_seconds']} s (benchmarks/synthetic.py).",
             "", "| graph | nodes | relations | build | index memory | recommend p50 / p95 / QPS "
             "| match p50 / p95 / QPS |", "|---|---|---|---|---|---|---|"]
    for run in r["runs"]:
        rec, mat = run["recommend"], run["match"]
        lines.append(f"| {run['graph']} | {run['nodes']:,} | {run['relations']:,} | "
                     f"{run['build_seconds']} s | {run['index_memory_mb']:,} MB | "
                     f"{rec['p50_ms']} / {rec['p95_ms']} ms / {rec['qps']} | "
                     f"{mat['p50_ms']} / {mat['p95_ms']} ms / {mat['qps']} |")
    lines += ["", "Goal: p95 ≤ 50 ms at 1M profiles; build ≤ 5 min."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
