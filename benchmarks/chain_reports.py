"""Reports for the five shipped chains on the demo ecosystem and on ickg25 + chainkg.

    python benchmarks/chain_reports.py OUT_DIR [--region 上海]

Imports each data set into a SQLite file (at a fixed path under $TMPDIR, so the Matcher's
trained ranker is cached between runs), then writes OUT_DIR/<data set>/<chain>.html and
.json (the full `xietong chain report --json` output) for every chain, and a summary
table per chain × data set into docs/benchmarks.md (section `chain-reports`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import SHARED_DATA, machine, write_section  # noqa: E402

from xietong.api import Ecosystem  # noqa: E402
from xietong.chain.html import write_html  # noqa: E402
from xietong.chain.report import ChainAnalyst  # noqa: E402
from xietong.chain.template import TemplateSet  # noqa: E402
from xietong.match.service import open_matcher  # noqa: E402

DATA_SETS = {"demo": ("demo",), "ickg25+chainkg": ("ickg25", "chainkg")}
STORES = Path(os.environ.get("TMPDIR", "/tmp"))


def open_store(name: str, parts: tuple[str, ...]) -> Ecosystem:
    """A fresh SQLite store holding ``parts`` (demo, ickg25, chainkg), at a fixed path."""
    path = STORES / f"xietong-chain-{name.replace('+', '-')}.db"
    path.unlink(missing_ok=True)
    eco = Ecosystem(path)
    eco.init()
    for part in parts:
        if part == "demo":
            eco.import_demo()
        elif part == "ickg25":
            eco.import_ickg(SHARED_DATA / "ickg25")
        elif part == "chainkg":
            eco.import_chainkg(SHARED_DATA / "chainkg")
    return eco


def summary_row(data_set: str, report: dict[str, Any]) -> str:
    s = report["summary"]
    weak = "、".join(s["weak_segments"]) or "—"
    missing = "、".join(s["missing_segments"]) or "—"
    rate = "—" if s["local_supply_rate"] is None else f"{s['local_supply_rate']:.0%} of {s['supply_links']}"
    risk = s["risk_counts"]
    leaders = "、".join(x["name"] for x in report["leaders"][:2]) or "—"
    return (f"| {data_set} | {report['chain']['name']} | {s['enterprises_on_chain']:,} | "
            f"{s['local_enterprises']:,} | {s['segments_covered']}/{s['segments']} | {missing} | "
            f"{weak} | {rate} | {risk['red']}/{risk['yellow']}/{risk['blue']} | {leaders} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path, help="folder for the HTML and JSON reports")
    parser.add_argument("--region", default="上海")
    parser.add_argument("--no-write", action="store_true", help="do not touch docs/")
    args = parser.parse_args()
    rows = ["| data set | chain | enterprises placed | local | segments covered | missing "
            "(补链) | weak (强链) | local 配套率 (of supply links) | 红/黄/蓝 segments | "
            "top 链主 |", "|---|---|---:|---:|---:|---|---|---|---|---|"]
    started = time.perf_counter()
    for data_set, parts in DATA_SETS.items():
        eco = open_store(data_set, parts)
        matcher = open_matcher(eco)
        eco.close()
        analyst = ChainAnalyst(matcher.index.snapshot, matcher=matcher)
        folder = args.out / data_set
        folder.mkdir(parents=True, exist_ok=True)
        for chain in TemplateSet():
            report = analyst.report(chain.key, region=args.region)
            (folder / f"{chain.key}.json").write_text(
                json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
            write_html(report, folder / f"{chain.key}.html")
            rows.append(summary_row(data_set, report))
            print(rows[-1], flush=True)
    elapsed = time.perf_counter() - started
    text = "\n".join([
        "## Chain reports (`benchmarks/chain_reports.py`)", "",
        f"Machine: {machine()}. Region {args.region}; 10 reports (HTML + JSON) in "
        f"{elapsed:.0f} s including the imports. Local 配套率 is the share of supply links "
        "into local chain firms whose supplier is local (— where the data has none).", "",
        *rows])
    print(text)
    if not args.no_write:
        write_section("chain-reports", text)


if __name__ == "__main__":
    main()
