"""Disruption simulation: multi-hop propagation weighted by dependency share."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xietong.api import Ecosystem
from xietong.chain.report import ChainAnalyst

# A small supply chain of robot makers, written in xietong's own import format: the
# reducer maker feeds two joint makers, one of which also buys elsewhere; the joints
# feed the robot maker, which feeds an integrator: four hops.
FIRMS = {"甲减速器有限公司": "谐波减速器", "乙关节有限公司": "关节执行器",
         "丙关节有限公司": "关节执行器", "丁减速器有限公司": "RV减速器",
         "戊机器人有限公司": "人形机器人", "己集成有限公司": "机器人系统集成"}
LINKS = [("甲减速器有限公司", "乙关节有限公司"), ("甲减速器有限公司", "丙关节有限公司"),
         ("丁减速器有限公司", "丙关节有限公司"), ("乙关节有限公司", "戊机器人有限公司"),
         ("丙关节有限公司", "戊机器人有限公司"), ("戊机器人有限公司", "己集成有限公司")]


def _write(path: Path) -> Path:
    rows = []
    for firm, product in FIRMS.items():
        rows.append({"entity": "enterprise", "name": firm})
        rows.append({"entity": "product", "name": product})
        rows.append({"relation": "main_product", "subject": firm, "object": product, "weight": 1.0})
    rows += [{"relation": "supplies", "subject": a, "object": b} for a, b in LINKS]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_loss_propagates_over_several_hops_weighted_by_share(eco: Ecosystem, tmp_path: Path) -> None:
    eco.import_file(_write(tmp_path / "chain.jsonl"))
    result = ChainAnalyst(eco.snapshot()).simulate("humanoid_robot", ["甲减速器有限公司"])
    loss = {row["name"]: row for row in result["affected"]}
    assert loss["乙关节有限公司"]["loss"] == pytest.approx(1.0)  # its only supplier
    assert loss["丙关节有限公司"]["loss"] == pytest.approx(0.5)  # one of two
    assert loss["戊机器人有限公司"]["loss"] == pytest.approx(0.75)  # (1 + 0.5) / 2
    assert loss["己集成有限公司"]["loss"] == pytest.approx(0.75)
    assert loss["己集成有限公司"]["hop"] == 3 and result["hops"] >= 3
    assert loss["己集成有限公司"]["path"] == ["甲减速器有限公司", "乙关节有限公司",
                                              "戊机器人有限公司", "己集成有限公司"]
    assert "丁减速器有限公司" in loss["乙关节有限公司"]["alternative_suppliers"]
    assert 0 < result["capacity_lost"] < 1


def test_removing_a_region_removes_its_firms(demo: ChainAnalyst) -> None:
    result = demo.simulate("humanoid_robot", ["张江机器人谷"])
    assert result["removed"] == ["上海智元新创技术有限公司"]
    with pytest.raises(LookupError, match="没有此名称的实体"):
        demo.simulate("humanoid_robot", ["不存在的企业"])


def test_an_id_removes_that_firm_and_not_its_namesake_park(eco: Ecosystem, tmp_path: Path) -> None:
    """A firm named like a park: by name the park wins (all its firms go), by the firm's
    id (what `chain simulate --type 企业` passes) only the firm goes."""
    path = _write(tmp_path / "chain.jsonl")
    rows = [{"entity": "park", "name": "甲减速器有限公司"},
            {"relation": "located_in_park", "subject": "乙关节有限公司",
             "object": "甲减速器有限公司", "object_type": "park"}]
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "\n".join(
        json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    eco.import_file(path)
    firm = eco.entity("甲减速器有限公司", "enterprise")
    analyst = ChainAnalyst(eco.snapshot())
    assert analyst.simulate("humanoid_robot", [firm.id])["removed"] == ["甲减速器有限公司"]
    by_name = analyst.simulate("humanoid_robot", ["甲减速器有限公司"])["removed"]
    assert by_name == ["乙关节有限公司"]  # the park's firms
    with pytest.raises(LookupError, match="#12345"):
        analyst.simulate("humanoid_robot", [12345])
