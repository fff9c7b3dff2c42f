"""A buyer's supplier demand through the real CLI on a ChainKG store: the makers of the
sought product first, with the product link as the reason, and the demand as read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xietong.api import Ecosystem
from xietong.cli.app import app

DEMAND = "为炝拌金针菇生产企业寻找金针菇供应商"


@pytest.fixture
def chainkg_store(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Real ChainKG rows: every company, the first rows of the big files and every row
    that names 金针菇 (its makers, and the dishes it is a material of)."""
    monkeypatch.setenv("XIETONG_CACHE", str(tmp_path / "cache"))
    src = tmp_path / "chainkg"
    src.mkdir()
    limits = {"product.jsonl": 2000, "company_product.jsonl": 3000,
              "product_product.jsonl": 3000, "industry_up.jsonl": 40}
    for path in (data_dir / "chainkg").glob("*.jsonl"):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        head = lines[: limits.get(path.name, len(lines))]
        head += [line for line in lines[len(head):] if "金针菇" in line]
        (src / path.name).write_text("".join(head), encoding="utf-8")
    eco = Ecosystem(str(tmp_path / "chainkg.db"))
    eco.init()
    eco.import_chainkg(src)
    eco.close()
    return eco.url


def _makers(data_dir: Path, word: str) -> tuple[set[str], set[str]]:
    """The stock codes whose 主营产品 names ``word``, and every name listed for them (a
    renamed company is listed twice under one code)."""
    rows = [json.loads(line) for line in
            (data_dir / "chainkg" / "company_product.jsonl").read_text(encoding="utf-8")
            .splitlines()]
    codes = {r["company_code"] for r in rows if word in r["product"]}
    companies = [json.loads(line) for line in
                 (data_dir / "chainkg" / "company.jsonl").read_text(encoding="utf-8")
                 .splitlines()]
    return codes, {c["fullname"] for c in companies if c["code"] in codes}


def test_a_mushroom_demand_finds_mushroom_growers(chainkg_store: str, data_dir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["match", DEMAND, "--relation", "supplier", "--json",
                                 "--db", chainkg_store])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    codes, growers = _makers(data_dir, "金针菇")
    assert len(codes) >= 2 and all(r["name"] in growers for r in rows[:len(codes)]), \
        [r["name"] for r in rows[:5]]
    assert any("金针菇" in fit for fit in rows[0]["reasons"]["chain_fit"])
    assert all(0 <= r["score"] <= 100 for r in rows)
    # "生产" and "企业" matched every company before: no such word explains a result now
    assert not any({"生产", "企业", "寻找"} & set(r["reasons"]["matched_terms"]) for r in rows)
    assert rows[0]["parse"]["sought"] == "金针菇" and rows[0]["parse"]["for"] == "炝拌金针菇"
    table = runner.invoke(app, ["match", DEMAND, "--relation", "supplier", "--db",
                                chainkg_store], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "求购：金针菇；用于：炝拌金针菇" in table.stdout
    assert "主营产品 金针菇" in table.stdout and "-0." not in table.stdout
