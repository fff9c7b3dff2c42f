"""The graph's names as extraction's dictionary: which are looked for, and where a match
counts (LAC's words must agree)."""

from __future__ import annotations

import pytest

from xietong.extract.dictionary import BULK, CHECKED, CURATED, REGISTERED, TRUSTED, trust
from xietong.extract.entities import KnownNames, mentions


@pytest.mark.parametrize(("name", "kind", "source", "other", "expected"), [
    ("360", "enterprise", BULK, False, None),  # digits: 3600家, 1992年
    ("人工智能算法", "enterprise", BULK, False, None),  # a sector
    ("Edge", "enterprise", BULK, False, None),  # an English word
    ("DeepSeek", "enterprise", BULK, False, CHECKED),  # a brand's spelling
    ("统一", "enterprise", BULK, False, CHECKED),  # everyday words
    ("国企", "enterprise", BULK, False, CHECKED),
    ("机器人", "enterprise", REGISTERED, True, CHECKED),  # 新松's short name, and a product
    ("中船集团", "enterprise", BULK, False, TRUSTED),  # a 字号 before a form
    ("上市公司", "enterprise", BULK, False, CHECKED),  # a kind of firm
    ("科大讯飞", "enterprise", REGISTERED, False, TRUSTED),  # a listed firm's short name
    ("蔚来", "enterprise", BULK, False, CHECKED),  # a bulk data set's bare name
    ("人工智能岛", "park", CURATED, False, CURATED),  # curated names stand
])
def test_how_far_a_name_is_trusted(name: str, kind: str, source: str, other: bool,
                                   expected: str | None) -> None:
    assert trust(name, kind, source, other) == expected


def _found(sentence: str, *names: tuple[str, str]) -> list[str]:
    known = KnownNames()
    for name, level in names:
        known.add(name, "enterprise", level)
    return [m.text for m in mentions(sentence, known) if m.via == "graph"]


@pytest.mark.parametrize(("sentence", "name"), [
    ("通过上海光源、合肥量子实验室等大科学装置，激活协同效能。", "海光"),
    ("根据北美的房地产市场长租公寓规模，智能门锁需求很大。", "美的"),
    ("第三，还需要构建多主体协同方式使用隐私计算。", "同方"),
    ("上海的绿色保险以1.5万亿元保障目标为导向。", "元保"),
    ("长三角软件和信息服务业总收入达到3.88万亿元。", "和信"),
    ("江苏已形成集聚3600余家重点企业的软件产业。", "360"),
    ("中央财经大学副教授孙鲲鹏在接受记者采访时指出。", "鲲鹏"),
])
def test_a_known_name_inside_another_word_is_no_mention(sentence: str, name: str) -> None:
    assert _found(sentence, (name, TRUSTED)) == []


def test_a_checked_name_counts_only_where_the_tagger_reads_a_name() -> None:
    sponsors = "伊利、肯德基、小米、中兴等来自不同领域的多个企业成为赞助商。"
    assert _found(sponsors, ("小米", CHECKED)) == ["小米"]
    assert _found("推动全国统一大市场建设。", ("统一", CHECKED)) == []
    assert _found("具身智能机器人探索应用落地。", ("机器人", CHECKED)) == []
    # LAC's words 方|太 agree with the span here: only the tagger's reading rules it out
    assert _found("如果利益相关方太少，可能大家觉得这一路径成本太高。", ("方太", CHECKED)) == []


def test_a_known_name_may_begin_a_longer_organisation_word() -> None:
    """LAC reads 上海交大机械与动力工程学院 as one word: the university it begins is the
    graph's entity; a name of five characters or more needs no word's agreement."""
    assert _found("吴海军，是上海交大机械与动力工程学院副教授。",
                  ("上海交大", CURATED)) == ["上海交大"]
    assert _found("在中船集团上海外高桥造船有限公司，国产大型邮轮二号船全船贯通。",
                  ("中船集团", TRUSTED), ("上海外高桥造船有限公司", TRUSTED)) == \
        ["中船集团", "上海外高桥造船有限公司"]
