"""Chain analytics speed (CPU and wall seconds, peak memory) and placement accuracy.

    python benchmarks/chain.py                               # ickg25 + chainkg + demo
    python benchmarks/chain.py --synthetic 1000000 5000000   # benchmarks/synthetic.py

"Full analytics for one chain" is what ``xietong chain report`` and ``chain simulate`` do
after loading the graph: parse the templates, place every enterprise on the chain, compute
the metrics for a region, build the report (risk grades, 链主, shortlists ranked by the
matchmaking engine) and run a disruption simulation. The snapshot and the Matcher index
are built before the clock starts (both are shared with other features and cached by a
long-running service) and reported on their own line.

Baseline, same run: one whole-graph sparse pass — all edges into a scipy CSR matrix plus
PageRank on it — so the ratio says how many "touch the whole graph once" the analytics
cost, whatever the machine. The machine is shared: CPU seconds (time.process_time) are
the fairer figure; peak memory is the resident-set high-water mark from getrusage.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import machine, write_section  # noqa: E402
from chain_reports import open_store  # noqa: E402
from xietong_eval.chain_placement import LABEL_SETS, evaluate, micro  # noqa: E402

from xietong.chain.analytics import pagerank  # noqa: E402
from xietong.chain.report import ChainAnalyst  # noqa: E402
from xietong.chain.template import TemplateSet  # noqa: E402
from xietong.match.engine import Matcher  # noqa: E402
from xietong.match.service import open_matcher  # noqa: E402
from xietong.store.snapshot import GraphSnapshot  # noqa: E402

GOALS = {"real": 2.0, "synthetic": 60.0}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Clock:
    """Wall and CPU seconds per named step."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def run(self, name: str, step: Callable[[], Any]) -> Any:
        w, c = time.perf_counter(), time.process_time()
        result = step()
        self.wall[name] = time.perf_counter() - w
        self.cpu[name] = time.process_time() - c
        return result

    def total(self) -> tuple[float, float]:
        return sum(self.wall.values()), sum(self.cpu.values())


def full_analytics(snapshot: GraphSnapshot, matcher: Matcher, chain: str, region: str
                   ) -> tuple[Clock, dict[str, Any]]:
    clock = Clock()
    analyst = clock.run("templates", lambda: ChainAnalyst(snapshot, matcher=matcher))
    template = analyst.templates.get(chain)
    clock.run("placement", lambda: analyst.placement(template))
    report = clock.run("report (metrics, risk, 链主, shortlists)",
                       lambda: analyst.report(chain, region=region))
    biggest = max(report["segments"], key=lambda s: s["local_enterprises"])
    remove = [m["name"] for m in biggest["members"][:3]] or [region]
    clock.run("simulation", lambda: analyst.simulate(chain, remove, region=region))
    return clock, report


def baseline(snapshot: GraphSnapshot) -> tuple[float, float]:
    """Wall and CPU seconds of one whole-graph sparse pass (CSR of all edges + PageRank)."""
    clock = Clock()

    def whole_graph() -> None:
        n = snapshot.node_count
        m = sp.csr_matrix((np.ones(snapshot.edge_count), (snapshot.edge_source,
                                                          snapshot.edge_target)), shape=(n, n))
        pagerank(((m + m.T) > 0).astype(np.float64).tocsr())

    clock.run("baseline", whole_graph)
    return clock.total()


def real_data() -> tuple[GraphSnapshot, Matcher, float]:
    """demo + ickg25 + chainkg in a SQLite file (its Matcher's ranker cached between runs)."""
    started = time.perf_counter()
    eco = open_store("bench", ("demo", "ickg25", "chainkg"))
    built = time.perf_counter() - started
    matcher = open_matcher(eco)
    eco.close()
    return matcher.index.snapshot, matcher, built


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
    parser.add_argument("--repeat", type=int, default=5,
                        help="runs of the full analytics (fresh analyst each time)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    kind = "synthetic" if args.synthetic else "real"
    if args.synthetic:
        from synthetic import generate  # type: ignore[import-not-found]

        t = time.perf_counter()
        snapshot = generate(args.synthetic[0], args.synthetic[1], seed=7)
        built = time.perf_counter() - t
        label = f"synthetic {args.synthetic[0]:,} enterprises / {args.synthetic[1]:,} relations"
        after_snapshot = peak_mb()
        t = time.perf_counter()
        # no ranker training at this size (the benchmark is about chain analytics): the
        # matcher ranks by its fixed feature combination, the queries are the same
        matcher = Matcher.build(snapshot, train=False)
        matcher_build = time.perf_counter() - t
    else:
        label = "ickg25 + chainkg + demo"
        snapshot, matcher, built = real_data()
        after_snapshot = float("nan")
        matcher_build = float("nan")
    after_matcher = peak_mb()
    base_wall, base_cpu = baseline(snapshot)
    runs = [full_analytics(snapshot, matcher, args.chain, args.region)
            for _ in range(args.repeat)]
    clocks = [c for c, _ in runs]
    report = runs[-1][1]
    walls = [c.total()[0] for c in clocks]
    cpus = [c.total()[1] for c in clocks]
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    goal = GOALS[kind]
    load = os.getloadavg()[0]

    out = [f"### {label}", "", f"Machine: {machine()}; load average {load:.1f} at the end "
           f"(the machine is shared, CPU seconds are the fairer figure).", "",
           f"Snapshot: {snapshot.node_count:,} nodes, {snapshot.edge_count:,} edges, built in "
           f"{built:.1f} s" + (f"; Matcher index built in {matcher_build:.1f} s"
                               if args.synthetic else " (import; the Matcher comes from "
                               "xietong.match.service with its cached ranker)")
           + " — neither counted below.",
           f"Chain `{args.chain}`, region {args.region}: {report['summary']['enterprises_on_chain']:,} "
           f"enterprises placed, {report['summary']['local_enterprises']:,} local. "
           f"Median of {len(runs)} runs, each with a fresh analyst.", "",
           "| step | wall s | CPU s |", "| --- | ---: | ---: |"]
    for step in clocks[0].wall:
        out.append(f"| {step} | {statistics.median(c.wall[step] for c in clocks):.2f} | "
                   f"{statistics.median(c.cpu[step] for c in clocks):.2f} |")
    out += [f"| **total** | **{wall:.2f}** (max {max(walls):.2f}) | **{cpu:.2f}** "
            f"(max {max(cpus):.2f}) |",
            f"| baseline: one whole-graph pass (CSR of all edges + PageRank) | {base_wall:.2f} "
            f"| {base_cpu:.2f} |", "",
            f"- **analytics / baseline = {wall / base_wall:.1f}× wall, {cpu / base_cpu:.1f}× CPU**; "
            f"goal ≤ {goal:.0f} s: {'met' if max(cpus) <= goal else 'NOT met'} "
            f"(slowest run {max(cpus):.2f} CPU s, {max(walls):.2f} wall s).",
            "- Peak resident memory (high-water mark of the process): "
            + (f"{after_snapshot:,.0f} MB after the snapshot, " if args.synthetic else "")
            + f"{after_matcher:,.0f} MB after the Matcher, {peak_mb():,.0f} MB after the analytics."]
    if not args.synthetic:
        out += ["", "#### Placement accuracy on held-out labels", "", accuracy_table(snapshot)]
    text = "\n".join(out)
    print(text)
    if not args.no_write:
        write_section("chain-synthetic" if args.synthetic else "chain", (
            "## Industry chains, synthetic graph (`benchmarks/chain.py --synthetic`)"
            if args.synthetic else "## Industry chains (`benchmarks/chain.py`)") + "\n\n" + text)


if __name__ == "__main__":
    main()
