"""Import benchmark: all of ICKG25 (train+valid) and ChainKG into a fresh store.

Run: python benchmarks/import.py [--db-url postgresql://…] [--no-write]

Reports facts/s and peak memory of ``xietong`` (entity resolution, validation, provenance
and all), and in the same run the limit: raw ``sqlite3`` ``executemany`` of exactly the rows
xietong wrote (entities, names, facts, evidence) into the same schema, no Python work in
between. Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import SHARED_DATA, machine, write_section

TABLES = ("sources", "entities", "aliases", "facts", "evidence", "merges", "reviews")


def child(db: str) -> None:
    """Runs in its own process so that its peak memory is its own."""
    from xietong.api import Ecosystem

    eco = Ecosystem(db)
    eco.init()
    timings = {}
    for name, load in (("ickg25", lambda: eco.import_ickg(SHARED_DATA / "ickg25")),
                       ("chainkg", lambda: eco.import_chainkg(SHARED_DATA / "chainkg"))):
        started, cpu = time.perf_counter(), time.process_time()
        result = load()
        timings[name] = {"seconds": time.perf_counter() - started,
                         "cpu_seconds": time.process_time() - cpu,
                         "records": result.summary.records,
                         "facts": result.summary.added["facts"],
                         "merged": result.summary.merged,
                         "review": result.summary.queued_for_review}
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"timings": timings, "peak_mib": peak_mib}))


def run_xietong(db: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", db], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def raw_limit(written: Path, empty: Path) -> tuple[float, float, int]:
    """Seconds for sqlite3.executemany of every row of ``written`` into ``empty`` (same
    schema, same pragmas, one transaction)."""
    source = sqlite3.connect(written)
    rows = {t: source.execute(f"select * from {t}").fetchall() for t in TABLES}
    source.close()
    target = sqlite3.connect(empty, isolation_level=None)
    from xietong.store.engine import SQLITE_PRAGMAS

    for pragma in SQLITE_PRAGMAS:
        target.execute(f"PRAGMA {pragma}")
    started, cpu = time.perf_counter(), time.process_time()
    target.execute("BEGIN")
    for table in TABLES:
        if rows[table]:
            marks = ",".join("?" * len(rows[table][0]))
            target.executemany(f"insert into {table} values ({marks})", rows[table])
    target.execute("COMMIT")
    elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu
    target.close()
    return elapsed, cpu_elapsed, len(rows["facts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db-url", help="also measure this (empty) PostgreSQL database")
    parser.add_argument("--no-write", action="store_true", help="don't update docs/benchmarks.md")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return

    from xietong.api import Ecosystem

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        measured = run_xietong(db)
        empty = Path(tmp) / "empty.db"
        Ecosystem(str(empty)).init()
        limit_seconds, limit_cpu, facts = raw_limit(Path(db), empty)
    ours = sum(t["seconds"] for t in measured["timings"].values())
    ours_cpu = sum(t["cpu_seconds"] for t in measured["timings"].values())
    rate, limit_rate = facts / ours, facts / limit_seconds
    load = os.getloadavg()[0]
    rows = [
        f"| {name} | {t['records']:,} | {t['facts']:,} | {t['seconds']:.1f} | "
        f"{t['cpu_seconds']:.1f} | "
        f"{t['facts'] / t['seconds']:,.0f} | {t['merged']:,} / {t['review']:,} |"
        for name, t in measured["timings"].items()
    ]
    extra = ""
    if args.db_url:
        started = time.perf_counter()
        eco = Ecosystem(args.db_url)
        eco.init()
        eco.import_ickg(SHARED_DATA / "ickg25")
        eco.import_chainkg(SHARED_DATA / "chainkg")
        pg_seconds = time.perf_counter() - started
        extra = (f"\nPostgreSQL (same machine, loopback): {pg_seconds:.1f} s, "
                 f"{facts / pg_seconds:,.0f} facts/s.\n")
    report = f"""## Import: ICKG25 (train+valid) + ChainKG → SQLite

`python benchmarks/import.py` — {machine()}

| data set | records | facts | seconds | CPU seconds | facts/s | auto-merged / to review |
|---|---:|---:|---:|---:|---:|---:|
{chr(10).join(rows)}

- xietong: **{rate:,.0f} facts/s** in all ({facts:,} facts in {ours:.1f} s wall,
  {ours_cpu:.1f} s CPU: {facts / ours_cpu:,.0f} facts per CPU second), peak memory
  {measured['peak_mib']:,.0f} MiB (whole process).
- Limit, same run: raw `sqlite3.executemany` of the very rows xietong wrote, same schema and
  pragmas, one transaction: {limit_rate:,.0f} facts/s ({limit_seconds:.1f} s wall,
  {limit_cpu:.1f} s CPU).
- **xietong / limit = {rate / limit_rate:.2f}× wall, {limit_cpu / ours_cpu:.2f}× CPU** (goal
  ≥ 50,000 facts/s, ≥ 0.3× the limit). Load average during the run: {load:.1f} on
  {os.cpu_count()} cores (CPU seconds are the fairer figure on a shared machine).
{extra}"""
    print(report)
    if not args.no_write:
        write_section("import", report)


if __name__ == "__main__":
    main()
