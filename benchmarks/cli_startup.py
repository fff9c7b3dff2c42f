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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
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
