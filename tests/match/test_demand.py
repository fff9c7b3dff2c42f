"""Parsing free-text demands: role sought, subject words, soft regions, exclusions, limits."""

import pytest

from xietong.match.demand import MAX_QUERY_CHARS, DemandError, parse, parse_role


def test_supplier_demand_with_a_preferred_area() -> None:
    d = parse("寻找人形机器人谐波减速器供应商，长三角优先")
    assert d.role == "supplier"
    assert {"人形", "机器人", "谐波", "减速器"} <= set(d.terms)
    assert "供应商" not in d.terms and "长三角" not in d.terms
    assert d.prefer_regions == ["上海", "江苏", "浙江", "安徽"]


def test_a_region_before_youxian_is_preferred_other_priorities_are_words() -> None:
    d = parse("寻找减速器供应商，浦东新区本地优先")
    assert d.prefer_regions == ["浦东新区"] and d.terms == ["减速器"]
    assert parse("寻找人形机器人整机合作伙伴，上海优先").prefer_regions == ["上海"]
    d = parse("寻找减速器供应商，国产优先")  # no region: a word of the demand
    assert d.prefer_regions == [] and "国产" in d.terms


def test_investor_and_solution_demands() -> None:
    assert parse("为具身智能初创企业寻找天使轮投资方").role == "investor"
    d = parse("三甲医院影像科寻求AI辅助诊断方案")
    assert d.role == "supplier"
    assert "诊断" in d.terms


def test_the_role_is_the_last_role_word_and_other_role_words_are_subject() -> None:
    d = parse("寻找融资租赁供应商")
    assert d.role == "supplier" and {"融资", "租赁"} <= set(d.terms)
    d = parse("为采购管理系统寻找投资方")
    assert d.role == "investor" and "采购" in d.terms
    # 合作 is as often a verb: a named role wins over it
    assert parse("寻找谐波减速器供应商合作").role == "supplier"
    assert parse("寻找激光雷达合作伙伴").role == "partner"


def test_an_explicit_role_wins_and_competitors_are_excluded() -> None:
    d = parse("寻找激光雷达合作伙伴，排除禾赛的竞争对手", role="partner")
    assert d.role == "partner"
    assert d.exclude_competitors_of == ["禾赛"]
    assert "禾赛" not in d.terms


def test_bad_demands_say_what_is_wrong() -> None:
    with pytest.raises(DemandError, match="需求为空"):
        parse("   ")
    with pytest.raises(DemandError, match=f"上限为 {MAX_QUERY_CHARS} 字"):
        parse("寻" * (MAX_QUERY_CHARS + 1))
    with pytest.raises(DemandError, match=r"未知角色 'vendor'；可选：supplier\(供应商\)"):
        parse_role("vendor")
    assert parse_role("投资方") == "investor"
