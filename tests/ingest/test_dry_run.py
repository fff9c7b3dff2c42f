"""A dry run shows what an import would change: new entities, merges and reviews with the
rule and score, facts added and removed; counts exact, examples bounded; nothing written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from xietong.api import Ecosystem
from xietong.model.imports import DETAIL_LIMIT

HEADER = "企业名称,所在园区,成立日期\n"
ROWS = ("上海阶跃星辰智能科技有限公司,模速空间,2023-04-01\n"  # the demo's 阶跃星辰
        "上海试运行示例科技有限公司,模速空间,2024-01-01\n")  # new to the store


def _csv(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_dry_run_lists_new_entities_merges_and_facts_and_writes_nothing(
        eco: Ecosystem, tmp_path: Path) -> None:
    eco.import_demo()
    before = eco.stats()
    path = _csv(tmp_path / "名录.csv", HEADER + ROWS)

    dry = eco.import_file(path, dry_run=True).summary
    assert eco.stats() == before and eco.sources()[-1]["kind"] == "demo"

    new = {d["name"]: d["type"] for d in dry.changes.entities}
    assert new == {"上海阶跃星辰智能科技有限公司": "enterprise",
                   "上海试运行示例科技有限公司": "enterprise"}
    [merge] = dry.changes.merges
    assert (merge["name"], merge["into"]) == ("上海阶跃星辰智能科技有限公司", "阶跃星辰")
    assert merge["rule"] and 0 < merge["score"] <= 1
    facts = {(d["subject"], d["predicate"], d.get("object"), d.get("value"))
             for d in dry.changes.facts_added}
    assert ("上海试运行示例科技有限公司", "located_in_park", "模速空间", None) in facts
    assert ("上海试运行示例科技有限公司", "founded", None, "2024-01-01") in facts

    # the real import does what the dry run said, count for count
    real = eco.import_file(path).summary
    assert (real.added, real.merged) == (dry.added, dry.merged)
    assert dry.changes.totals == real.changes.totals
    assert dry.changes.totals["facts_added"] == len(dry.changes.facts_added)


def test_dry_run_of_a_changed_file_lists_the_facts_it_would_remove(
        eco: Ecosystem, tmp_path: Path) -> None:
    path = _csv(tmp_path / "名录.csv", HEADER + ROWS)
    eco.import_file(path)
    _csv(path, HEADER + ROWS.replace("2024-01-01", "2024-02-02"))

    dry = eco.import_file(path, dry_run=True).summary
    removed = [(d["subject"], d["predicate"], d.get("value")) for d in dry.changes.facts_removed]
    added = [(d["subject"], d["predicate"], d.get("value")) for d in dry.changes.facts_added]
    assert removed == [("上海试运行示例科技有限公司", "founded", "2024-01-01")]
    assert added == [("上海试运行示例科技有限公司", "founded", "2024-02-02")]
    assert dry.changes.totals["facts_removed"] == 1 and dry.replaced == ["名录.csv"]


def test_dry_run_on_a_real_data_set_keeps_counts_exact_and_examples_bounded(
        eco: Ecosystem, data_dir: Path) -> None:
    dry = eco.import_ickg(data_dir / "ickg-subset", dry_run=True).summary
    changes = dry.changes
    assert changes.totals["entities"] == dry.added["entities"] > DETAIL_LIMIT
    assert len(changes.entities) == DETAIL_LIMIT
    assert changes.totals["facts_added"] == dry.added["facts"] > DETAIL_LIMIT
    assert len(changes.facts_added) == DETAIL_LIMIT
    assert all(d["subject"] != "?" and d["object"] != "?" for d in changes.facts_added)
    assert eco.stats().entities == 0


def test_cli_dry_run_pages_the_change_and_json_has_it_all(tmp_path: Path,
                                                          data_dir: Path) -> None:
    db = tmp_path / "cli.db"

    def xietong(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "xietong", *args, "--db", str(db)],
                              capture_output=True, text=True, timeout=600, check=False)

    shown = xietong("import", str(data_dir / "ickg-subset"), "--dry-run")
    assert shown.returncode == 0 and "Traceback" not in shown.stderr, shown.stderr
    assert "将新增实体" in shown.stdout and "将新增事实" in shown.stdout
    assert "另有" in shown.stdout  # paged: ten examples, then how many more
    as_json = xietong("import", str(data_dir / "ickg-subset"), "--dry-run", "--json")
    [result] = json.loads(as_json.stdout)
    changes = result["changes"]
    assert len(changes["entities"]) == DETAIL_LIMIT
    assert changes["totals"]["entities"] == result["added"]["entities"]
    assert {"name", "into", "rule", "score"} <= set(changes["merges"][0])
