"""How long one ``xietong`` command takes from the shell, on the demo store.

Every command is a new process, so an analyst typing ``xietong show 模速空间`` waits for
Python to start and import what the command needs before any work is done. Baseline, same
run: a process that only imports the libraries every command needs (SQLAlchemy, Typer,
Rich) — the floor for a CLI built on them.

    python benchmarks/cli_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _report import machine, write_section

from xietong.api import Ecosystem

COMMANDS = (["--help"], ["stats"], ["show", "模速空间"], ["review"], ["search", "智圆机器人"],
            ["chain", "list"])
BASELINE = [sys.executable, "-c", "import sqlalchemy, typer, rich.console, rich.table"]


def wall_seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    """Median wall time of ``runs`` runs, after one unmeasured run (the file cache)."""
    times = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if i:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


MATCH_CALLS = (
    ("first match (cold)", ["match", "寻找人形机器人谐波减速器供应商，长三角优先",
                            "--relation", "supplier", "--json"]),
    ("match again (warm)", ["match", "寻找人形机器人谐波减速器供应商，长三角优先",
                            "--relation", "supplier", "--json"]),
    ("first investor match", ["match", "我们是做具身智能大模型的初创企业，寻找天使轮或A轮投资机构",
                              "--relation", "investor", "--json"]),
    ("first recommend", ["recommend", "阶跃星辰", "--relation", "合作", "--json"]),
    ("recommend again (warm)", ["recommend", "阶跃星辰", "--relation", "合作", "--json"]),
)


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (the child's user + system) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def match_env(store: Path, src: str | None, folder: Path) -> dict[str, str]:
    """A fresh copy of ``store`` and an empty cache (and ``src`` first on the path)."""
    folder.mkdir(parents=True)
    db = folder / "store.db"
    shutil.copyfile(store, db)
    env = {**os.environ, "XIETONG_DB": str(db), "XIETONG_CACHE": str(folder / "cache")}
    if src:
        env["PYTHONPATH"] = src
    return env


def match_main(store: Path, compare: list[str]) -> None:
    variants = [("this tree", None)] + [tuple(c.split("=", 1)) for c in compare]  # type: ignore[misc]
    base = wall_seconds(BASELINE, dict(os.environ), 5)
    results: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in variants}
    with tempfile.TemporaryDirectory() as folder:
        envs = {label: match_env(store, src, Path(folder) / str(i))
                for i, (label, src) in enumerate(variants)}
        # call by call, the variants in turn: the machine's load drifts alike for each
        for call, argv in MATCH_CALLS:
            for label, _ in variants:
                wall, cpu = timed([sys.executable, "-m", "xietong", *argv], envs[label])
                results[label].append((wall, cpu))
                print(f"{label}: {call}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    load = os.getloadavg()[0]
    head = " | ".join(f"{label} wall / CPU s" for label, _ in variants)
    rows = []
    for i, (call, argv) in enumerate(MATCH_CALLS):
        cells = " | ".join(f"{results[label][i][0]:.1f} / {results[label][i][1]:.1f} "
                           f"({results[label][i][0] / base:.0f}×)" for label, _ in variants)
        rows.append(f"| {call}: `xietong {argv[0]} {argv[1]}…` | {cells} |")
    totals = {label: (sum(w for w, _ in r), sum(c for _, c in r)) for label, r in results.items()}
    rows.append("| **all five calls** | " + " | ".join(
        f"**{totals[label][0]:.1f} / {totals[label][1]:.1f}**" for label, _ in variants) + " |")
    ratios = ""
    if len(variants) > 1:
        ours, other = results["this tree"], results[variants[1][0]]
        pairs = [(call, ours[i], other[i]) for i, (call, _) in enumerate(MATCH_CALLS)]
        pairs.append(("all five calls", totals["this tree"], totals[variants[1][0]]))
        ratios = "\n".join(
            f"- {call}: this tree ÷ {variants[1][0]} = **{a[0] / b[0]:.2f}× wall, "
            f"{a[1] / max(b[1], 1e-9):.2f}× CPU**" for call, a, b in pairs)
    write_section("cli_match", f"""
## First match on a real store (`benchmarks/cli_startup.py --match`)

{machine()}; load average {load:.1f} at the end (the machine is shared: compare the
columns of this run with each other, and CPU seconds before wall). Store: a copy of
`{store.name}` (demo + ICKG25 + ChainKG: 155,693 entities, 234,015 relation facts), empty
cache, per variant; the calls run in this order, each a new process, the variants in turn
call by call; the cache each call leaves is what the variant's next call finds. Baseline,
same run: a process that only imports SQLAlchemy, Typer and Rich: **{base:.2f} s** wall
(× in brackets).

| call | {head} |
|---|{"---:|" * len(variants)}
{chr(10).join(rows)}

{ratios}

The first match trains only the supplier model it needs; the `recommend` ranker, which every first call trained before, is trained by the first `recommend`, so that call now carries it (see docs/decisions/matching.md, “The first call on a big store”).
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--match", type=Path, help="time cold and warm match on this store")
    parser.add_argument("--compare", action="append", default=[],
                        help="LABEL=SRC: the same calls with another source tree")
    args = parser.parse_args()
    if args.match:
        match_main(args.match, args.compare)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "demo.db")
        with Ecosystem(db) as eco:
            eco.init()
            eco.import_demo()
        env = {**os.environ, "XIETONG_DB": db}
        base = wall_seconds(BASELINE, env, args.runs)
        rows = []
        for command in COMMANDS:
            seconds = wall_seconds([sys.executable, "-m", "xietong", *command], env, args.runs)
            rows.append((" ".join(command), seconds))
            print(f"xietong {' '.join(command)}: {seconds:.2f} s ({seconds / base:.1f}×)",
                  flush=True)
    print(f"baseline: {base:.2f} s")
    table = "\n".join(f"| `xietong {name}` | {s:.2f} | {s / base:.1f}× |" for name, s in rows)
    write_section("cli_startup", f"""
## CLI start-up (`benchmarks/cli_startup.py`)

{machine()}. Median wall time of {args.runs} runs of each command on the demo store, each a
new process as from the shell. Baseline, same run: a process that only imports SQLAlchemy,
Typer and Rich, which every command needs: **{base:.2f} s**.

| command | seconds | / baseline |
|---|---:|---:|
{table}

Each command imports only the modules it uses: the extraction models, the matcher's
numpy/SciPy, the chain reports, pypinyin and Alembic load when a command needs them.
""")


if __name__ == "__main__":
    main()
