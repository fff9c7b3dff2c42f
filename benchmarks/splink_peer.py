"""Splink (DuckDB) on the same real imports as the resolver: its automatic merges.

    python benchmarks/splink_peer.py [--db STORE] [--labels FILE] [--sample FILE] [--all FILE]

Needs the bench extra (``pip install -e .[bench]``). Builds a store as
benchmarks/real_merges.py does (import ickg25, chainkg, then the company-names slice) unless
``--db`` names one, reads its organisation records and runs the Splink model of
xietong_eval.splink_peer (trade-name blocking, character-level comparisons, u by sampling,
m by EM). Prints the pairs and clusters at several match-probability thresholds, the run
time (wall and CPU) and the peak memory of this process and, when the labels of its sample
exist, the precision of its automatic merges, as a markdown block (the side-by-side table in
docs/benchmarks.md is written by hand from it). ``--sample``/``--all`` write the seeded
sample of automatic merges for blind labelling and the list of every automatic merge.
"""

from __future__ import annotations

import argparse
import math
import resource
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine  # noqa: E402
from xietong_eval.real_merges import (  # noqa: E402
    StoreReader,
    current_band,
    precision,
    read_labels,
    store_for,
    write_pairs,
)
from xietong_eval.splink_peer import (  # noqa: E402
    AUTO_THRESHOLD,
    SEED,
    THRESHOLDS,
    U_MAX_PAIRS,
    org_records,
    run,
    sample_pairs,
    write_all,
)

SET = Path(__file__).resolve().parents[1] / "tests" / "resolve" / "real_merges"


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95 % Wilson interval of a proportion k/n."""
    if n == 0:
        return float("nan"), float("nan")
    p = k / n
    mid = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return mid - half, mid + half


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a store already built; default: build one")
    parser.add_argument("--labels", type=Path, default=SET / "labels_splink.jsonl",
                        help="labels of the sample (pair_id, label), if labelled")
    parser.add_argument("--sample", type=Path, help="write 200 sampled auto-merges here")
    parser.add_argument("--all", type=Path, help="write every auto-merge here")
    parser.add_argument("--u-max-pairs", type=float, default=U_MAX_PAIRS)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    db, note = store_for(args.db, SHARED_DATA)
    build_seconds = time.perf_counter() - started

    wall, cpu = time.perf_counter(), time.process_time()
    records = org_records(db)
    prepared = time.perf_counter() - wall
    result = run(records, THRESHOLDS, u_max_pairs=args.u_max_pairs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    reader = StoreReader(db)
    auto = result.auto(AUTO_THRESHOLD)
    if args.sample:
        write_pairs(sample_pairs(reader, auto, 200, SEED), args.sample)
    if args.all:
        write_all(reader, auto, args.all)
    both = Counter(_band(reader, a, b) for a, b, _p in auto)

    lines = [
        "## Splink on the same real imports (`benchmarks/splink_peer.py`)", "",
        f"Machine: {machine()}. Store: {note} ({build_seconds:.0f} s). Splink "
        f"{_version()} on DuckDB; u from {args.u_max_pairs:.0e} sampled pairs (seed {SEED}), "
        "m by EM on two blocking rules (trade head, trade tail).", "",
        f"Organisation records: {result.records:,}; pairs scored after blocking: "
        f"{result.blocked_pairs:,}.", "",
        "| match probability ≥ | pairs | clusters of 2+ | records in them |",
        "|---:|---:|---:|---:|",
    ]
    for t in THRESHOLDS:
        multi, members = result.clusters[t]
        mark = " (auto-merge)" if t == AUTO_THRESHOLD else ""
        lines.append(f"| {t}{mark} | {len(result.auto(t)):,} | {multi:,} | {members:,} |")
    lines += [
        "", f"Auto-merges (≥ {AUTO_THRESHOLD}): {len(auto):,}, of which the store merges "
        f"{both['merge']}, sends to review {both['review']}, leaves apart {both['new']}.",
        "", f"Run time (records read, u, EM, predict, clusters): wall {wall:.1f} s "
        f"(reading and preparing the records {prepared:.1f} s; "
        + ", ".join(f"{k} {v:.1f} s" for k, v in result.seconds.items())
        + f"), CPU {cpu:.1f} s; peak memory {peak_mib:,.0f} MiB.",
    ]
    if args.labels.exists():
        labels = read_labels(args.labels)
        prec = precision(labels.values())
        lo, hi = wilson(prec.same, prec.same + prec.different)
        lines += ["", f"Precision of the auto-merges on the labelled sample ({prec.judged} "
                  f"pairs: {prec.same} same, {prec.different} different, {prec.unsure} "
                  f"unsure): **{prec.point:.3f}** (unsure left out; 95 % Wilson "
                  f"{lo:.3f}–{hi:.3f}), {prec.low:.3f} with unsure counted wrong."]
    else:
        lines += ["", f"No labels at {args.labels}: precision not measured."]
    print("\n".join(lines))


def _band(reader: StoreReader, a: int, b: int) -> str:
    band = current_band(reader, a, b)
    return "new" if band == "absent" else band


def _version() -> str:
    from importlib.metadata import version

    return version("splink")


if __name__ == "__main__":
    main()
