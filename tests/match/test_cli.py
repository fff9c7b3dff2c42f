"""The match and recommend commands over the demo store, as app.py registers them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from xietong.api import Ecosystem, NotFound
from xietong.cli.match import match_command, recommend_command

app = typer.Typer()
app.command("match")(match_command)
app.command("recommend")(recommend_command)


@pytest.fixture
def demo_db(eco: Ecosystem, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    eco.import_demo()
    return eco.url


def test_match_json_and_table(demo_db: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["match", "寻找人形机器人整机合作伙伴", "--top", "3", "--json",
                                 "--db", demo_db])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3 and all(r["reasons"]["paths"] or r["reasons"]["matched_terms"]
                                  for r in rows)
    table = runner.invoke(app, ["match", "寻找人形机器人整机合作伙伴", "--db", demo_db],
                          env={"COLUMNS": "200"})
    assert table.exit_code == 0 and "理由" in table.stdout and "路径" in table.stdout
    # the demo is too small to learn a demand ranker from: the table says so
    assert "排序模型：固定加权" in table.stdout and rows[0]["ranking"] == "fixed"


def test_recommend_and_its_errors(demo_db: str) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["recommend", "阶跃星辰", "--relation", "合作", "--json",
                             "--db", demo_db])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)[0]["reasons"]["paths"][0]["facts"][0]["sources"]
    typo = runner.invoke(app, ["recommend", "阶跃星晨", "--relation", "合作", "--db", demo_db])
    assert isinstance(typo.exception, NotFound) and "阶跃星辰" in str(typo.exception)
    bad = runner.invoke(app, ["recommend", "阶跃星辰", "--relation", "朋友", "--db", demo_db])
    assert isinstance(bad.exception, KeyError) and "合作(cooperates)" in str(bad.exception)
    empty = runner.invoke(app, ["match", " ", "--db", demo_db])
    assert "需求为空" in str(empty.exception)


@pytest.mark.parametrize("limit", ["-1", "-5", "0", "201"])
def test_a_limit_out_of_range_is_refused(demo_db: str, limit: str) -> None:
    """--limit -1 cut the results like a Python slice; now 1–200 or a usage error."""
    runner = CliRunner()
    for argv in (["match", "寻找人形机器人整机合作伙伴"], ["recommend", "阶跃星辰", "--relation", "合作"]):
        result = runner.invoke(app, [*argv, "--limit", limit, "--db", demo_db])
        assert result.exit_code == 2 and "--limit" in result.output, result.output


def test_scores_read_0_to_100_with_the_model_named(demo_db: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["match", "寻找人形机器人整机合作伙伴", "--limit", "5", "--json",
                                 "--db", demo_db])
    rows = json.loads(result.stdout)
    assert len(rows) == 5 and rows[0]["score"] == 100.0
    assert all(0 <= r["score"] <= 100 for r in rows) and rows[0]["model"]
    table = runner.invoke(app, ["match", "寻找人形机器人整机合作伙伴", "--db", demo_db],
                          env={"COLUMNS": "200"})
    assert "排序模型：固定加权" in table.stdout and "0–100" in table.stdout
    assert "-0." not in table.stdout


def test_recommend_asks_its_question_in_chinese(demo_db: str) -> None:
    """The header was "阶跃星辰 合作 ?"."""
    runner = CliRunner()
    result = runner.invoke(app, ["recommend", "阶跃星辰", "--relation", "合作", "--db", demo_db],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "与 阶跃星辰 可能合作的机构" in result.stdout and "?" not in result.stdout.split("\n")[0]
    for fragment in ("有限公司", "限公", " 有限 ", " 公司 "):
        assert not any(line.startswith("│") and "匹配词" in line and fragment in line
                       for line in result.stdout.splitlines())


def test_a_demand_with_nothing_to_match_is_an_error(demo_db: str) -> None:
    runner = CliRunner()
    for junk in ("' OR 1=1 --", "<script>alert(1)</script>"):
        result = runner.invoke(app, ["match", junk, "--db", demo_db])
        assert "没有可匹配的词" in str(result.exception) and not result.stdout.strip()
