"""Exports an analyst can open in Excel and import back: every value with its unit."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from xietong.api import Ecosystem


def with_money_and_dates(eco: Ecosystem, tmp_path: Path) -> None:
    """The demo, plus a registry export: capital in 万元 and in 万美元, and a second,
    dated headcount for a demo company."""
    eco.import_demo()
    path = tmp_path / "名录.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([
            ["企业名称", "注册资本", "员工人数", "统计日期"],
            ["上海智元新创技术有限公司", "3000万元人民币", "1500", "2025-06"],
            ["赛诺菲(上海)生物技术有限公司", "500万美元", "58", "2025-06"]])
    eco.import_file(path)


def attribute_facts(eco: Ecosystem) -> set[tuple[str, str, Any, str | None, str | None]]:
    """(entity, key, value, unit, date) of every attribute value in the store."""
    out = set()
    for hit in ("上海智元新创技术有限公司", "赛诺菲(上海)生物技术有限公司", "模速空间"):
        for a in eco.profile(hit).attributes:
            value = tuple(a["value"]) if isinstance(a["value"], list) else a["value"]
            out.add((hit, a["key"], value, a["unit"], a["as_of"]))
    return out


def test_jsonl_export_imports_back_with_every_value(eco: Ecosystem, tmp_path: Path) -> None:
    with_money_and_dates(eco, tmp_path)
    path = tmp_path / "生态.jsonl"
    eco.export(path)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    usd = [x for x in lines if x.get("attribute") == "registered_capital"
           and x["unit"] == "万美元"]
    assert [(x["subject"], x["value"]) for x in usd] == [("赛诺菲(上海)生物技术有限公司", 500.0)]
    copy = Ecosystem(str(tmp_path / "copy.db"))
    copy.init()
    copy.import_file(path)
    assert attribute_facts(copy) == attribute_facts(eco)
    assert copy.stats().facts == eco.stats().facts
    copy.close()


def test_exports_keep_namesakes_apart(eco: Ecosystem, tmp_path: Path) -> None:
    """Two 张伟 at two organisations come back as two people, each with their own title,
    from either export."""
    eco.import_demo()
    roster = tmp_path / "专家库.csv"
    with roster.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["姓名", "职务", "工作单位"], ["张伟", "教授", "上海交通大学"],
                                 ["张伟", "总经理", "上海智元新创技术有限公司"]])
    eco.import_file(roster)

    def people(store: Ecosystem) -> set[tuple[str, ...]]:
        found = set()
        for hit in store.search("张伟", entity_type="person"):
            if hit.name == "张伟":
                profile = store.profile(str(hit.id))
                found.add(tuple(sorted(
                    [str(a["value"]) for a in profile.attributes if a["key"] == "title"]
                    + [r["other"] for r in profile.relations if r["predicate"] == "works_for"])))
        return found

    assert people(eco) == {("上海交通大学", "教授"), ("上海智元新创技术有限公司", "总经理")}
    for fmt in ("jsonl", "xlsx"):  # the workbook's 实体 sheet has a 任职于 column
        path = tmp_path / f"生态.{fmt}"
        eco.export(path)
        copy = Ecosystem(str(tmp_path / f"{fmt}.db"))
        copy.init()
        copy.import_file(path)
        assert people(copy) == people(eco), fmt
        if fmt == "jsonl":
            assert copy.stats().facts == eco.stats().facts
        copy.close()


def test_xlsx_has_a_column_per_attribute_and_imports_back(eco: Ecosystem,
                                                          tmp_path: Path) -> None:
    with_money_and_dates(eco, tmp_path)
    path = tmp_path / "生态.xlsx"
    eco.export(path)
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == ["实体", "关系", "属性"]
    rows = list(book["实体"].iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("id", "类型", "名称", "别名")
    assert {"注册资本（万元）", "员工人数（人）", "企业数量（家）"} <= set(header)
    by_name = {r[2]: dict(zip(header, r)) for r in rows[1:]}
    assert by_name["赛诺菲(上海)生物技术有限公司"]["注册资本（万元）"] == "500万美元"
    assert by_name["上海智元新创技术有限公司"]["注册资本（万元）"] == 3000
    # the latest of two headcounts: the dated one
    assert by_name["上海智元新创技术有限公司"]["员工人数（人）"] == 1500
    facts = list(book["属性"].iter_rows(values_only=True))
    assert facts[0] == ("主体", "主体类型", "属性", "值", "单位", "日期", "来源")
    assert ("赛诺菲(上海)生物技术有限公司", "企业", "注册资本", 500, "万美元", "2025-06",
            "名录.csv") in facts
    # the 实体 sheet imports back without a mapping file, units and all
    copy = Ecosystem(str(tmp_path / "copy.db"))
    copy.init()
    result = copy.import_file(path)
    # its id column is recognised as our own export's entity id: ignored without a warning
    assert result.report.ok and not result.report.warnings
    capital = {(a["value"], a["unit"]) for a in
               copy.profile("赛诺菲(上海)生物技术有限公司").attributes
               if a["key"] == "registered_capital"}
    assert capital == {(500.0, "万美元")}
    copy.close()
