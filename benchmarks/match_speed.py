"""Matching speed: index build time and memory, p50/p95 latency and queries/s; and the
on-disk cache: a first and a second ``xietong recommend`` on an unchanged ickg25 store.

    python benchmarks/match_speed.py [--enterprises 1000000 --relations 5000000] [--json]
    python benchmarks/match_speed.py --cache-only     # only the cache (about 2 minutes)

Two graphs: ickg25 (train+valid) and a synthetic graph from benchmarks/synthetic.py.
Two query kinds, run one at a time on one thread: ``recommend`` (an entity and a business
relation: candidates, features, the learned ranker, reasons) and ``match`` (a free-text
demand 寻找<产品>供应商: BM25, product paths, the learned supplier ranker, reasons). The
rankers are trained once, ``recommend``'s on ickg-subset and the supplier-demand one on
ChainKG (the features are graph-generic; their cost per query does not depend on the graph
they learned from). Goal (issue 3): p95 ≤ 50 ms at 1M profiles, build ≤ 5 min.
Latency is wall-clock and CPU time (``time.process_time``: the fairer figure on a shared
machine). The same-run baseline is one tantivy BM25 search of the demand over names, the
floor any answer with reasons has to pay.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section
from synthetic import generate
from xietong_eval.ickg_graph import Quads, ickg_snapshot, read_split
from xietong_eval.records_graph import snapshot_from_records

from xietong.api import Ecosystem
from xietong.ingest.chainkg import chainkg_records
from xietong.match.demand_ranker import DemandRanker
from xietong.match.engine import Matcher
from xietong.match.features import FEATURES
from xietong.match.index import MatchIndex
from xietong.match.ranker import Ranker, RankerConfig
from xietong.match.service import folder_for, open_matcher
from xietong.match.tokens import content_words
from xietong.model.imports import SourceSpec
from xietong.model.records import EntityRecord, EntityRef, Provenance, RelationRecord
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
    wall, cpu = [], []
    for call in calls:
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    ms, cpu_ms = np.array(wall), np.array(cpu)

    def pct(a: np.ndarray, q: float) -> float:
        return round(float(np.percentile(a, q)), 1)

    return {"queries": len(ms), "p50_ms": pct(ms, 50), "p95_ms": pct(ms, 95),
            "cpu_p50_ms": pct(cpu_ms, 50), "cpu_p95_ms": pct(cpu_ms, 95),
            "qps": round(1000 / float(ms.mean()), 1)}


def measure(label: str, snap: GraphSnapshot, ranker: Ranker, demand_ranker: DemandRanker | None,
            products: list[str], queries: int, seed: int = 0) -> dict[str, object]:
    before = rss_mb()
    started = time.perf_counter()
    matcher = Matcher.build(snap, ranker=ranker, demand_ranker=demand_ranker)
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
    bm25 = [lambda t=t: matcher.index.text.search(content_words(t), "name", 10) for t in texts]
    result = {"graph": label, "nodes": snap.node_count, "relations": snap.edge_count,
              "build_seconds": round(build, 1), "index_memory_mb": round(after - before),
              "recommend": timed(recommend), "match": timed(match), "bm25": timed(bm25)}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    return result


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--enterprises", type=int, default=1_000_000)
    parser.add_argument("--relations", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--cache-only", action="store_true",
                        help="only measure the on-disk cache on an ickg25 store")
    args = parser.parse_args(argv)

    cache = measure_cache(SHARED_DATA / "ickg25")
    if not args.no_write:
        write_section("match_cache", _cache_markdown(cache))
    if args.cache_only:
        if args.json:
            print(json.dumps(cache, ensure_ascii=False))
        return cache

    subset, _ = ickg_snapshot(SHARED_DATA / "ickg-subset")
    started = time.perf_counter()
    ranker = Ranker.fit(subset, RankerConfig())
    fit = time.perf_counter() - started
    # the supplier-demand ranker likewise, once, on ChainKG's 主营产品 links
    demand_ranker = DemandRanker.try_fit(snapshot_from_records(
        chainkg_records(SHARED_DATA / "chainkg")))
    products = [json.loads(line)["name"] for line in
                (SHARED_DATA / "chainkg" / "product.jsonl").read_text("utf-8").splitlines()[:20000]]

    folder = SHARED_DATA / "ickg25"
    base, train = ickg_snapshot(folder)
    valid = read_split(folder, "valid.txt", base.relations)
    both = Quads(*(np.concatenate([getattr(train, f), getattr(valid, f)])
                   for f in ("head", "relation", "tail", "line")))
    ickg, _ = ickg_snapshot(folder, train=both)
    runs = [measure("ickg25 (train+valid)", ickg, ranker, demand_ranker, products,
                    args.queries)]
    started = time.perf_counter()
    synthetic = generate(args.enterprises, args.relations, seed=0)
    generated = time.perf_counter() - started
    runs.append(measure(f"synthetic {args.enterprises:,} enterprises / "
                        f"{args.relations:,} relations", synthetic, ranker, demand_ranker,
                        products, args.queries))
    result = {"machine": machine(), "ranker_fit_seconds": round(fit, 1),
              "generate_seconds": round(generated, 1), "runs": runs, "cache": cache}
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    if not args.no_write:
        write_section("match_speed", _markdown(result))
    return result


def _cpu_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure_cache(folder: Path) -> dict[str, object]:
    """ickg25 (train+valid) imported into a fresh SQLite store; then ``xietong recommend``
    three times as a user runs it (new processes): with an empty cache (index built,
    ranker trained, both written), and twice more (both loaded). In process, the same
    run: building the index against loading it, the ranker loaded in both cases (what a
    second call cost before the index was cached)."""
    with tempfile.TemporaryDirectory(prefix="xietong-cache-bench-") as tmp:
        db, cache = Path(tmp) / "ickg25.db", Path(tmp) / "cache"
        eco = Ecosystem(str(db))
        eco.init()
        eco.import_ickg(folder)
        env = {**os.environ, "XIETONG_CACHE": str(cache)}
        command = [sys.executable, "-m", "xietong", "recommend", "阶跃星辰", "--relation", "合作",
                   "--json", "--db", str(db)]
        calls = []
        for label in ("first (empty cache)", "second", "third",
                      "fourth, after importing one enterprise and one relation"):
            if label.startswith("fourth"):
                _add_one_partner(eco)  # the cache is updated in place, not rebuilt
            started, started_cpu = time.perf_counter(), _cpu_children()
            subprocess.run(command, env=env, check=True, capture_output=True)
            calls.append({"call": label, "seconds": round(time.perf_counter() - started, 2),
                          "cpu_seconds": round(_cpu_children() - started_cpu, 2)})
        os.environ["XIETONG_CACHE"] = str(cache)
        try:
            snap = eco.snapshot()
            saved = folder_for(eco.url, snap)
            open_matcher(eco)  # imports (LightGBM, jieba) paid here, not below
            by_revision, by_fingerprint = [], []
            for _ in range(2):  # alternated, the best of each
                cpu = time.process_time()
                open_matcher(eco)  # the store's revision names the folder: no graph read
                by_revision.append(time.process_time() - cpu)
                (saved / "revision.txt").unlink()  # as before the revision: read the
                cpu = time.process_time()  # graph, fingerprint it, load the folder it names
                fingerprinted = open_matcher(eco)
                by_fingerprint.append(time.process_time() - cpu)
                assert fingerprinted.origin == "loaded" and (saved / "revision.txt").exists()
            open_cached, open_fingerprinted = min(by_revision), min(by_fingerprint)
            cpu = time.process_time()
            Matcher(MatchIndex.build(snap), Ranker.load(saved / "ranker.txt", FEATURES))
            rebuilt = time.process_time() - cpu
            cpu = time.process_time()
            MatchIndex.load(snap, saved)
            loaded = time.process_time() - cpu
        finally:
            del os.environ["XIETONG_CACHE"]
        size = sum(p.stat().st_size for p in saved.rglob("*") if p.is_file())
        eco.close()
    result = {"machine": machine(), "calls": calls, "index_build_cpu_s": round(rebuilt, 2),
              "index_load_cpu_s": round(loaded, 3), "open_matcher_cached_cpu_s":
              round(open_cached, 2), "open_matcher_fingerprint_cpu_s":
              round(open_fingerprinted, 2), "cache_mb": round(size / 2**20, 1),
              "nodes": snap.node_count, "relations": snap.edge_count}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    return result


def _add_one_partner(eco: Ecosystem) -> None:
    name = "上海示例具身智能科技有限公司"
    eco.import_records(
        SourceSpec(kind="file", name="one.jsonl", uri="benchmark:one-partner", sha256="1" * 64),
        [EntityRecord(type="enterprise", name=name, provenance=Provenance("row 1")),
         RelationRecord(subject=EntityRef(name, "enterprise"), predicate="cooperates",
                        object=EntityRef("阶跃星辰"), provenance=Provenance("row 2"))])


def _cache_markdown(r: dict) -> str:
    lines = ["## Matching cache: first and second call (benchmarks/match_speed.py --cache-only)",
             "", (f"Machine: {r['machine']}. ickg25 (train+valid) in a SQLite store "
             f"({r['nodes']:,} entities, {r['relations']:,} relations); `xietong recommend "
             "阶跃星辰 --relation 合作 --json`, each call a new process (imports included)."), "",
             "| call | wall | CPU |", "|---|---|---|"]
    lines += [f"| {c['call']} | {c['seconds']} s | {c['cpu_seconds']} s |" for c in r["calls"]]
    first, second = r["calls"][0], r["calls"][1]
    ratio = r["index_load_cpu_s"] / max(r["index_build_cpu_s"], 1e-9)
    fourth = r["calls"][3]
    lines += ["", (f"- Second call ÷ first: {second['cpu_seconds'] / first['cpu_seconds']:.2f}× "
              "CPU (the first trains the ranker and builds the index)."),
              (f"- Fourth call ÷ first: {fourth['cpu_seconds'] / first['cpu_seconds']:.2f}× CPU: "
              "the store gained one enterprise and one relation, so the previous cache was "
              "updated in place (two documents re-indexed, rankers kept) and saved under the "
              "new fingerprint, instead of rebuilt."),
              (f"- Same run, in process: building the index {r['index_build_cpu_s']} s CPU "
              f"(what every call paid before the index was cached) against loading it "
              f"{r['index_load_cpu_s']} s: **{ratio:.3f}×**. `open_matcher` on the unchanged "
              f"store {r['open_matcher_cached_cpu_s']} s CPU in all (the store's revision "
              "names the cache folder; index and ranker loaded) against "
              f"{r['open_matcher_fingerprint_cpu_s']} s when the graph is read to fingerprint "
              "it (what every call did before the revision, and what a call after a change "
              f"still does): **{r['open_matcher_cached_cpu_s'] / r['open_matcher_fingerprint_cpu_s']:.2f}×**. "
              f"Cache on disk: {r['cache_mb']} MB."),
              ("- What remains of a cached call: starting Python and importing (LightGBM "
              "imports scikit-learn where it is installed, jieba loads its dictionary on the "
              "first segmentation), one query for the store's revision, the query itself.")]
    return "\n".join(lines)


def _markdown(r: dict) -> str:
    lines = ["## Matching speed (benchmarks/match_speed.py)", "",
             (f"Machine: {r['machine']}. One query at a time, one thread; top 10 with reasons. "
             f"Synthetic graph generated in {r['generate_seconds']} s (benchmarks/synthetic.py). "
             "Latency as wall-clock / CPU time (the machine is shared; CPU time is the "
             "steadier figure). Baseline, same run: one tantivy BM25 search of the demand's "
             "words over names (no graph, no ranking, no reasons)."),
             "", ("| graph | nodes | relations | build | index memory | recommend p50 / p95 "
             "(CPU p50 / p95) | match p50 / p95 (CPU p50 / p95) | BM25 baseline p95 (CPU) "
             "| match p95 ÷ baseline |"), "|---|---|---|---|---|---|---|---|---|"]
    for run in r["runs"]:
        rec, mat, base = run["recommend"], run["match"], run["bm25"]
        lines.append(f"| {run['graph']} | {run['nodes']:,} | {run['relations']:,} | "
                     f"{run['build_seconds']} s | {run['index_memory_mb']:,} MB | "
                     f"{rec['p50_ms']} / {rec['p95_ms']} ms ({rec['cpu_p50_ms']} / "
                     f"{rec['cpu_p95_ms']}) | {mat['p50_ms']} / {mat['p95_ms']} ms "
                     f"({mat['cpu_p50_ms']} / {mat['cpu_p95_ms']}) | {base['p95_ms']} ms "
                     f"({base['cpu_p95_ms']}) | {mat['p95_ms'] / max(base['p95_ms'], 0.1):.1f}× |")
    lines += ["", "Goal: p95 ≤ 50 ms at 1M profiles; build ≤ 5 min."]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
