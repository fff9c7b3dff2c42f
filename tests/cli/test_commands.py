"""The command line on the demo ecosystem: every command, for people and with --json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from xietong.cli.app import app

runner = CliRunner()


def cli(db: str, *args: str) -> str:
    result = runner.invoke(app, [*args, "--db", db], env={"COLUMNS": "200"})
    assert result.exit_code == 0, f"{args}: {result.output}\n{result.exception!r}"
    return result.output


@pytest.fixture
def demo_db(db_url: str) -> str:
    cli(db_url, "init")
    cli(db_url, "import", "--demo")
    return db_url


def test_stats_counts_types_relations_and_sources(demo_db: str) -> None:
    stats = json.loads(cli(demo_db, "stats", "--json"))
    assert stats["entities_by_type"]["park"] >= 10
    assert stats["relations_by_type"]["located_in_park"] >= 20
    assert list(stats["facts_by_source"]) == ["demo: Shanghai AI ecosystem"]
    text = cli(demo_db, "stats")
    assert "园区/载体" in text and "入驻园区" in text


def test_show_lists_names_relations_and_their_sources(demo_db: str) -> None:
    profile = json.loads(cli(demo_db, "show", "无问芯穹", "--json"))
    assert profile["name"] == "上海无问芯穹智能科技有限公司"
    parks = [r for r in profile["relations"] if r["predicate"] == "located_in_park"]
    assert parks and parks[0]["other"] == "模速空间"
    assert parks[0]["sources"][0]["document"].startswith("003_")
    text = cli(demo_db, "show", "无问芯穹")
    assert "入驻园区" in text and "模速空间" in text and "003_" in text


def test_search_tolerates_typos_and_homophones(demo_db: str) -> None:
    hits = json.loads(cli(demo_db, "search", "智圆机器人", "--json"))
    assert hits[0]["name"] == "上海智元新创技术有限公司"
    hits = json.loads(cli(demo_db, "search", "模速", "--json", "--type", "park"))
    assert hits[0]["name"] == "模速空间"


def test_export_xlsx_and_jsonl_round_trip(demo_db: str, tmp_path: Path) -> None:
    xlsx = tmp_path / "生态.xlsx"
    counts = json.loads(cli(demo_db, "export", str(xlsx), "--json"))
    book = load_workbook(xlsx, read_only=True)
    assert book.sheetnames == ["实体", "关系", "属性"]
    assert sum(1 for _ in book["实体"].iter_rows()) == counts["entities"] + 1
    jsonl = tmp_path / "生态.jsonl"
    cli(demo_db, "export", str(jsonl))
    copy = str(tmp_path / "copy.db")
    cli(copy, "import", str(jsonl))
    original = json.loads(cli(demo_db, "stats", "--json"))
    copied = json.loads(cli(copy, "stats", "--json"))
    assert copied["entities_by_type"] == original["entities_by_type"]
    assert copied["relations_by_type"] == original["relations_by_type"]


def test_merge_unmerge_sources_and_retract(demo_db: str) -> None:
    cli(demo_db, "merge", "张江AI小镇", "张江人工智能岛")
    merged = json.loads(cli(demo_db, "show", "张江AI小镇", "--json"))
    assert len(merged["members"]) == 2
    undone = json.loads(cli(demo_db, "unmerge", "张江AI小镇", "--json"))
    assert len(undone["undone_merges"]) == 1
    assert len(json.loads(cli(demo_db, "show", "张江AI小镇", "--json"))["members"]) == 1
    sources = json.loads(cli(demo_db, "sources", "--json"))
    assert [s["name"] for s in sources] == ["demo: Shanghai AI ecosystem"]
    cli(demo_db, "retract", str(sources[0]["id"]))
    assert json.loads(cli(demo_db, "stats", "--json"))["entities"] == 0


def test_errors_are_one_line_with_exit_code_one(demo_db: str) -> None:
    result = subprocess.run([sys.executable, "-m", "xietong", "show", "智圆", "--db", demo_db],
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "智圆" in lines[0] and "上海智元新创技术有限公司" in lines[0]
    assert lines[0].startswith("错误: 没有名为 '智圆' 的实体；是否要找：")
