"""Chain analytics speed and placement accuracy.

    python benchmarks/chain.py                  # ickg25 + chainkg (imports into a temp SQLite)
    python benchmarks/chain.py --synthetic 1000000 5000000   # needs benchmarks/synthetic.py

Times full analytics for one chain (placement, metrics for a region, report with
shortlists, a disruption simulation) on a GraphSnapshot, with peak memory (tracemalloc is
too slow at 1M nodes, so resident set size from /proc), and the placement accuracy on
held-out labels (xietong.chain.evaluate) against a names-only baseline.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import SHARED_DATA, machine, write_section  # noqa: E402

from xietong.api import Ecosystem  # noqa: E402
from xietong.chain.evaluate import LABEL_SETS, evaluate, micro  # noqa: E402
from xietong.chain.report import ChainAnalyst  # noqa: E402
from xietong.chain.template import TemplateSet  # noqa: E402
from xietong.store.snapshot import GraphSnapshot  # noqa: E402


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def full_analytics(snapshot: GraphSnapshot, chain: str, region: str) -> dict[str, float]:
    times: dict[str, float] = {}
    start = time.perf_counter()
    analyst = ChainAnalyst(snapshot)
    t = time.perf_counter()
    analyst.placement(analyst.templates.get(chain))
    times["placement"] = time.perf_counter() - t
    t = time.perf_counter()
    report = analyst.report(chain, region=region)
    times["report"] = time.perf_counter() - t
    t = time.perf_counter()
    biggest = max(report["segments"], key=lambda s: s["local_enterprises"])  # type: ignore[arg-type]
    remove = [m["name"] for m in biggest["members"][:3]]  # type: ignore[index]
    analyst.simulate(chain, remove or [region], region=region)
    times["simulation"] = time.perf_counter() - t
    times["total"] = time.perf_counter() - start
    return times


def real_snapshot() -> GraphSnapshot:
    with tempfile.TemporaryDirectory() as tmp:
        eco = Ecosystem(Path(tmp) / "bench.db")
        eco.init()
        eco.import_demo()
        eco.import_ickg(SHARED_DATA / "ickg25")
        eco.import_chainkg(SHARED_DATA / "chainkg")
        snapshot = eco.snapshot()
        eco.close()
    return snapshot


def accuracy_table(snapshot: GraphSnapshot) -> str:
    chains = list(TemplateSet())
    lines = ["| labels (held out) | features | chains' labelled firms placed | precision | recall "
             "| segment accuracy |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for label, relations in LABEL_SETS.items():
        for name, only in (("xietong (all other signals)", None), ("baseline: names only", ())):
            m = micro(evaluate(snapshot, chains, relations, only=only))
            lines.append(f"| {label} | {name} | {m.placed} | {m.precision:.3f} | {m.recall:.3f} "
                         f"| {m.segment_accuracy:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chain", default="humanoid_robot")
    parser.add_argument("--region", default="上海")
    parser.add_argument("--synthetic", nargs=2, type=int, metavar=("ENTERPRISES", "RELATIONS"))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.synthetic:
        from synthetic import generate  # type: ignore[import-not-found]

        t = time.perf_counter()
        snapshot = generate(args.synthetic[0], args.synthetic[1], seed=7)
        built = time.perf_counter() - t
        label = f"synthetic {args.synthetic[0]:,} enterprises / {args.synthetic[1]:,} relations"
    else:
        t = time.perf_counter()
        snapshot = real_snapshot()
        built = time.perf_counter() - t
        label = "ickg25 + chainkg + demo"
    times = full_analytics(snapshot, args.chain, args.region)
    out = [f"### {label}", "",
           f"Machine: {machine()}.", "",
           f"Snapshot: {snapshot.node_count:,} nodes, {snapshot.edge_count:,} edges "
           f"(built in {built:.1f} s, not counted). Chain `{args.chain}`, region {args.region}.", "",
           "| step | seconds |", "| --- | ---: |"]
    out += [f"| {k} | {v:.2f} |" for k, v in times.items()]
    out += ["", f"Peak resident memory of the process: {peak_mb():,.0f} MB."]
    if not args.synthetic:
        out += ["", "#### Placement accuracy on held-out labels", "", accuracy_table(snapshot)]
    text = "\n".join(out)
    print(text)
    if not args.no_write:
        write_section("chain-synthetic" if args.synthetic else "chain", "## Industry chains "
                      "(`benchmarks/chain.py`)\n\n" + text)


if __name__ == "__main__":
    main()
