"""Reading supplier demands: what is sought, for which product, and the rest."""

from __future__ import annotations

import pytest

from xietong.match.supplier_demand import DEMAND_WORDS, parse_supplier

# (demand, sought, poster's product) in the ways buyers write them
PHRASINGS = [
    ("为炝拌金针菇生产企业寻找金针菇供应商", "金针菇", "炝拌金针菇"),
    ("我们生产重混凝土，需要采购水泥，请推荐供应商", "水泥", "重混凝土"),
    ("寻找人形机器人谐波减速器供应商", "人形机器人谐波减速器", None),
    ("求购碳纤维，用于无人机机身生产", "碳纤维", "无人机机身"),
    ("寻找密封件供应商，用于生产节能型拍门", "密封件", "节能型拍门"),
    ("本公司主营锂电池，现需隔膜，求推荐厂家", "隔膜", "锂电池"),
    ("啤酒厂家长期采购大麦芽", "大麦芽", "啤酒"),
    ("我司是电动自行车制造商，想找轮毂电机的供货商", "轮毂电机", "电动自行车"),
    ("急需硅胶，做婴儿奶嘴用的，有没有靠谱的供应商", "硅胶", "婴儿奶嘴"),
    ("采购需求：环氧树脂（用于风电叶片）", "环氧树脂", "风电叶片"),
    ("做钢结构的企业，寻求热轧卷稳定供应", "热轧卷", "钢结构"),
    ("储能电站项目招标采购逆变器，欢迎供应商报名", "逆变器", "储能电站"),
    ("请帮忙对接光刻胶生产企业，我们是晶圆加工企业", "光刻胶", "晶圆"),
    ("大模型企业寻求算力服务，需要GPU服务器集群", "算力服务", "大模型"),
    ("我们做协作机器人，需要谐波减速器和RV减速机，月需500台", "谐波减速器和RV减速机",
     "协作机器人"),
    ("智算中心需要网络交换机供应商", "网络交换机", None),
    ("采购高速光模块，用于智算中心网络", "高速光模块", "智算中心网络"),
]


@pytest.mark.parametrize(("text", "sought", "poster"), PHRASINGS)
def test_sought_and_poster(text: str, sought: str, poster: str | None) -> None:
    read = parse_supplier(text)
    assert (read.sought, read.poster) == (sought, poster)
    # the words every demand has carry no weight; the sought words do
    assert read.terms and not set(read.terms) & DEMAND_WORDS
    assert all(t in sought.lower() for t in read.terms)


def test_quantity_region_qualification_deadline() -> None:
    read = parse_supplier("求购碳纤维，月需5吨，需具备ISO9001认证，6月30日前交货，长三角优先")
    assert read.sought == "碳纤维"
    assert read.quantity == "月需5吨"
    assert read.qualification and "ISO9001" in read.qualification
    assert read.deadline == "6月30日前交货"
    assert read.regions == ["上海", "江苏", "浙江", "安徽"]
    local = parse_supplier("我们训练行业大模型，需要采购AI服务器，上海本地优先，30天内到货")
    assert (local.sought, local.regions, local.deadline) == ("AI服务器", ["上海市"], "30天内到货")
    # a preference that names no region is not one ("三元材料优先")
    assert parse_supplier("寻找锂电池正极材料供应商，三元材料优先").regions == []


def test_kinds_listed_after_a_colon_are_sought_too() -> None:
    """The chain report's shortlists ask "寻找<环节>供应商：<产品>、<产品>…"."""
    read = parse_supplier("寻找减速器供应商：谐波减速器、RV减速器、行星减速器")
    assert read.sought == "减速器、谐波减速器、RV减速器、行星减速器"
    assert {"谐波", "rv", "行星", "减速器"} <= set(read.terms)


def test_a_demand_without_a_seller_word_keeps_its_words() -> None:
    read = parse_supplier("金针菇")
    assert read.terms == ["金针菇"]
    assert read.to_dict()["sought"] in (None, "金针菇")
