import json
from pathlib import Path

import pytest

from xietong.resolve.names import compact, generic_trade, name_keys, normalize, parse_org_name

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"


def test_normalize_full_width_case_and_brackets() -> None:
    assert normalize("ＡｇｉＢｏｔ 智元（上海）【科技】") == "agibot智元(上海)(科技)"
    assert compact("复瑞医疗科技（上海）有限公司") == "复瑞医疗科技上海有限公司"


@pytest.mark.parametrize("name, region, trade, industry, form", [
    ("上海阶跃星辰智能科技有限公司", "上海市", "阶跃星辰", ("智能科技",), "有限公司"),
    ("上海无问芯穹智能科技有限公司", "上海市", "无问芯穹", ("智能科技",), "有限公司"),
    ("上海智元新创技术有限公司", "上海市", "智元新创", ("技术",), "有限公司"),
    ("智元机器人", None, "智元", ("机器人",), None),
    ("邵阳维克液压股份有限公司", "邵阳市", "维克液压", (), "股份有限公司"),
    ("深圳市天地(集团)股份有限公司", "深圳市", "天地", (), "(集团)股份有限公司"),
    ("南宁链融天厚创业投资合伙企业（有限合伙）", "南宁市", "链融天厚", ("创业投资",),
     "合伙企业(有限合伙)"),
])
def test_parse_registered_names(name: str, region: str | None, trade: str,
                                industry: tuple[str, ...], form: str | None) -> None:
    p = parse_org_name(name)
    assert (p.region.name if p.region else None, p.trade, p.industry, p.form) == \
        (region, trade, industry, form)


def test_region_infix_is_marked() -> None:
    p = parse_org_name("复瑞医疗科技（上海）有限公司")
    assert p.region is not None and p.region.name == "上海市" and p.region_infix
    assert p.trade == "复瑞"


def test_district_after_city() -> None:
    p = parse_org_name("上海市浦东新区张江高科技园区开发股份有限公司")
    assert p.region is not None and p.region.name == "浦东新区"


def test_region_word_kept_when_it_is_the_trade_name() -> None:
    # 朝阳 is a city, but 朝阳科技 has nothing else to be its 字号
    p = parse_org_name("朝阳科技")
    assert p.region is None and p.trade == "朝阳"


def test_branch_is_split_from_parent() -> None:
    p = parse_org_name("华为技术有限公司上海分公司")
    assert p.branch == "上海分公司" and p.trade == "华为" and p.form == "有限公司"
    assert p.region is not None and p.region.name == "上海市"


def test_name_keys_link_short_and_full_names() -> None:
    assert "t:阶跃星辰" in name_keys("阶跃星辰") & name_keys("上海阶跃星辰智能科技有限公司")
    assert "l:agibot" in name_keys("AgiBot")
    assert "p:zhiyuan" in name_keys("智元机器人")


def test_real_full_names_all_parse_with_a_form_and_trade_name() -> None:
    rows = [json.loads(line) for line in
            (DATA / "chainkg" / "company.jsonl").read_text(encoding="utf-8").splitlines()]
    parsed = [parse_org_name(r["fullname"]) for r in rows]
    with_form = sum(1 for p in parsed if p.form)
    assert with_form / len(parsed) > 0.97
    assert all(len(p.trade) >= 1 for p in parsed)


@pytest.mark.parametrize("name, trade, industry", [
    # issue 22: 中国 alone is no 字号, or 中国航天科技 and 中国交通信息科技 share one
    ("中国航天科技集团有限公司", "中国航天", ("科技",)),
    ("中国交通信息科技集团有限公司", "中国交通", ("信息科技",)),
    ("国家能源投资集团有限责任公司", "国家能源", ("投资",)),
    ("国家电力投资集团有限公司", "国家电力", ("投资",)),
    ("中国电子科技集团有限公司", "中国电子科技", ()),
    ("中国平安", "中国平安", ()),
    ("中国电子", "中国", ("电子",)),  # a short name keeps 中国: it could be any 中国…电子
])
def test_national_head_is_completed_by_the_first_industry_word(
        name: str, trade: str, industry: tuple[str, ...]) -> None:
    p = parse_org_name(name)
    assert (p.trade, p.industry) == (trade, industry)


@pytest.mark.parametrize("trade, generic", [
    ("电力设计院", True), ("天然气", True), ("电网", True), ("科技", True),
    ("华为", False), ("阶跃星辰", False), ("南方", False), ("中国航天", False),
])
def test_generic_trade_names_no_firm(trade: str, generic: bool) -> None:
    assert generic_trade(trade) is generic
