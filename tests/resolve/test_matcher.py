import json
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from xietong.model.credit_code import credit_code_check_digit
from xietong.resolve import Resolver
from xietong.resolve.matcher import NEW
from xietong.resolve.scorer import fit_logistic, load_model


def _code(body: str) -> str:
    return body + credit_code_check_digit(body)


@pytest.fixture()
def resolver() -> Resolver:
    r = Resolver()
    r.add(1, ["上海智元新创技术有限公司", "智元机器人", "智元", "AgiBot"])
    r.add(2, ["上海无问芯穹智能科技有限公司"])
    r.add(3, ["上海阶跃星辰智能科技有限公司"])
    r.add(4, ["中芯国际集成电路制造有限公司"])
    r.add(5, ["北京长城科技有限公司"])
    r.add(6, ["华为技术有限公司"])
    r.add(7, ["湖南华联瓷业股份有限公司"])
    return r


@pytest.mark.parametrize("names, entity_id, rule", [
    (["AgiBot"], 1, "exact_name"),
    (["ＡＧＩＢＯＴ"], 1, "exact_name"),
    (["智元"], 1, "exact_name"),
    (["上海阶跃星辰智能科技股份有限公司"], 3, "trade_name+region"),
    (["中芯国际"], 4, "abbreviation"),
    (["无问芯穹智能科技"], 2, "abbreviation"),
])
def test_merges(resolver: Resolver, names: list[str], entity_id: int, rule: str) -> None:
    match = resolver.resolve(names)
    assert (match.band, match.entity_id, match.rule) == ("merge", entity_id, rule)


def test_alias_links_a_new_name_through_the_record(resolver: Resolver) -> None:
    match = resolver.resolve(["Shanghai Zhiyuan", "智元机器人"])
    assert (match.band, match.entity_id) == ("merge", 1)


def test_same_trade_name_other_city_does_not_merge(resolver: Resolver) -> None:
    match = resolver.resolve(["深圳长城科技有限公司"])
    assert match.band == "new" and match.features["region_conflict"] == 1.0
    assert resolver.resolve(["北京智元机器人有限公司"]).band == "new"


def test_branch_and_subsidiary_are_not_the_parent(resolver: Resolver) -> None:
    branch = resolver.resolve(["华为技术有限公司上海分公司"])
    assert branch.band != "merge" and branch.features["form_conflict"] == 1.0
    infix = resolver.resolve(["阶跃星辰智能科技（上海）有限公司"])
    assert infix.band != "merge" and infix.features["form_conflict"] == 1.0


def test_two_character_name_without_other_evidence_is_new(resolver: Resolver) -> None:
    match = resolver.resolve(["长城"])
    assert (match.band, match.rule) == ("new", "short_name")


def test_scattered_abbreviation_is_weighed_not_vetoed(resolver: Resolver) -> None:
    # 华瓷 is spread over 华联瓷业: the learned model weighs that against the rest (round 4;
    # on the tuning half scattered abbreviations were right about twice as often as wrong)
    match = resolver.resolve(["华瓷股份"])
    assert (match.band, match.entity_id) == ("merge", 7)
    assert match.features["scattered_head"] < 0


def _one(name: str) -> Resolver:
    r = Resolver()
    r.add(1, [name])
    return r


@pytest.mark.parametrize("short, full, band", [
    ("中国铁建", "中国铁建重工集团股份有限公司", "review"),  # a central group's unit
    ("中国平安", "中国平安财产保险股份有限公司", "new"),  # 字号 + 财产: a subsidiary
    ("物产中大", "物产中大期货有限公司", "review"),  # a group's financial arm
    ("大基金", "大基金二期", "new"),  # a product line of a brand
    ("中铁八局", "中铁十八局集团有限公司", "new"),  # numbers name different units
    ("双林股份", "广东双林生物制药有限公司", "review"),  # X股份 is no 有限公司
    ("联影医疗", "武汉联影医疗科技有限公司", "review"),  # a brand's regional company
    ("AMD", "Abiomed", "new"),  # Latin names are compared whole
    ("德尔股份", "德尔玛", "new"),  # a listed company's short name and a brand
])
def test_unit_of_a_group_is_not_merged(short: str, full: str, band: str) -> None:
    match = _one(full).resolve([short])
    assert match.band == band


@pytest.mark.parametrize("short, full", [
    ("中芯国际", "中芯国际集成电路制造有限公司"),  # 国际 is a vague word
    ("华统股份", "浙江华统肉制品股份有限公司"),  # a listed company's business word
    ("太平鸟", "宁波太平鸟时尚服饰股份有限公司"),  # three characters, a run of the name
    ("生意宝", "浙江网盛生意宝股份有限公司"),  # listed: the short name drops a prefix
    ("阶跃星辰", "上海阶跃星辰智能科技有限公司"),  # a long 字号 and vague words only
])
def test_clean_short_names_merge(short: str, full: str) -> None:
    assert _one(full).resolve([short]).band == "merge"


# The real-merge set (tests/resolve/real_merges, round 1) showed these merges wrong more
# often than a reader accepts: they go to a person.
@pytest.mark.parametrize("short, full, rule", [
    # a brand and a company registered in one city under its name: its own company as
    # often as a regional one (云知声's is in Beijing)
    ("云知声", "深圳云知声信息技术有限公司", "regional_unit"),
    ("金山云", "北京金山云网络技术有限公司", "regional_unit"),
    # three characters that are no run of a listed company's name
    ("华尔特", "苏州华尔美特装饰材料股份有限公司", "short_partial"),
    # a short name inside another's 字号, or scattered over it, when that is no listed
    # company (whose short names do drop a prefix: 生意宝 above)
    ("好医生", "平安好医生", "trade_inside"),
    ("意生活", "创意生活", "trade_inside"),
    ("东明石化", "山东明成石化有限公司", "regional_unit"),
    ("智享AI直播", "智享AI无人直播第八代系统", "scattered_head"),
    # not every character in the other name
    ("鸿润粥品", "济宁鸿润食品股份有限公司", "partial"),
])
def test_doubtful_merges_are_reviewed(short: str, full: str, rule: str) -> None:
    match = _one(full).resolve([short])
    assert (match.band, match.rule) == ("review", rule)


@pytest.mark.parametrize("short, known", [
    ("三生物", ["三诺生物传感股份有限公司", "三诺生物"]),
    ("金城集团", ["山东金城医药集团股份有限公司", "金城医药"]),
    ("腾邦集团", ["腾邦国际商业服务集团股份有限公司", "腾邦国际"]),
])
def test_a_short_name_that_is_not_the_known_short_name_is_reviewed(short: str,
                                                                   known: list[str]) -> None:
    # people name a listed company by its short name: another short name is not it
    r = Resolver()
    r.add(1, known)
    match = r.resolve([short])
    assert match.band != "merge"
    assert r.resolve([known[1] + "股份"]).band != "new"  # its own short name still finds it


def test_a_group_and_its_company_are_reviewed_not_merged() -> None:
    # 河钢股份有限公司 / 河钢集团有限公司: same 字号 and region, one a group
    match = _one("河钢集团有限公司").resolve(["河钢股份有限公司"])
    assert match.band == "review"


def test_different_branches_of_one_company_do_not_merge() -> None:
    match = _one("国网安徽省电力有限公司超高压分公司").resolve(
        ["国网安徽省电力有限公司信息通信分公司"])
    assert match.band == "new"


def test_short_name_prefers_the_single_joint_stock_parent() -> None:
    r = Resolver()
    r.add(1, ["新大陆数字技术股份有限公司"])
    r.add(2, ["南通新大陆环保设备有限公司"])
    match = r.resolve(["新大陆"])
    assert (match.band, match.entity_id) == ("merge", 1)
    r.add(3, ["新大陆科技股份有限公司"])  # two joint-stock companies: a person decides
    assert r.resolve(["新大陆"]).band == "review"


@pytest.mark.parametrize("known, record", [
    # ChainKG rows (full name, short name) of different listed companies: the short name
    # reads as an abbreviation of the other company's names, the registered names differ
    (["安泰科技股份有限公司", "安泰科技"], ["山西安泰集团股份有限公司", "ST安泰"]),
    (["长城信息产业股份有限公司", "长城信息"], ["攀钢集团四川长城特殊钢股份有限公司", "长城股份"]),
    (["德邦证券股份有限公司"], ["德邦物流股份有限公司", "德邦股份"]),
])
def test_two_registered_names_decide_over_short_names(known: list[str],
                                                      record: list[str]) -> None:
    r = Resolver()
    r.add(1, known)
    assert r.resolve(record).band == "new"
    assert r.resolve(record[1:]).band != "new"  # the short name alone is a fair candidate


def test_credit_code_is_a_hard_key(resolver: Resolver) -> None:
    code = _code("91310115MA1K4AB7X")
    other = _code("91310115MA1K4AB8X")
    resolver.add(3, [], credit_code=code)
    assert resolver.resolve(["完全不同的名字"], credit_code=code).entity_id == 3
    clash = resolver.resolve(["上海阶跃星辰智能科技股份有限公司"], credit_code=other)
    assert clash.band != "merge" and clash.rule == "credit_code_conflict"


def test_reviewer_decisions_are_obeyed(resolver: Resolver) -> None:
    resolver.add(8, ["阶跃星辰"])
    assert resolver.resolve(["阶跃星辰"], exclude=8).entity_id == 3
    resolver.record_decision(3, 8, same=False)
    assert resolver.resolve(["阶跃星辰"], exclude=8).entity_id != 3
    resolver.record_decision(2, 8, same=True)
    match = resolver.resolve(["阶跃星辰"], exclude=8)
    assert (match.band, match.entity_id, match.rule) == ("merge", 2, "decision")


def test_remove_forgets_the_entity(resolver: Resolver) -> None:
    resolver.remove(2)
    assert resolver.resolve(["无问芯穹"]).band == "new"
    assert len(resolver) == 6


def test_remove_from_short_and_long_postings() -> None:
    # a key's posting is a tuple while short and an array once long: both shrink on remove
    r = Resolver()
    cities = ["北京", "上海", "广州", "深圳", "杭州", "南京", "苏州", "成都", "武汉", "西安",
              "天津", "重庆", "长沙", "郑州", "青岛", "宁波", "合肥", "福州", "厦门", "济南"]
    for i, city in enumerate(cities):
        r.add(i, [f"{city}华联瓷业有限公司"])
    r.add(100, ["无问芯穹"])
    assert len(r._index["t:华联瓷业"]) == len(cities)
    for i in range(len(cities) - 1):
        r.remove(i)
    r.remove(100)
    assert list(r._index["t:华联瓷业"]) == [len(cities) - 1]
    assert "t:无问芯穹" not in r._index
    match = r.resolve([f"{cities[-1]}华联瓷业股份有限公司"])
    assert (match.band, match.entity_id) == ("merge", len(cities) - 1)
    assert r.resolve(["无问芯穹"]).band == "new"


def test_features_explain_the_score(resolver: Resolver) -> None:
    # a learned decision's features are its log-odds contributions, bias included
    match = resolver.resolve(["华瓷股份"])
    assert 0 <= match.score <= 1
    log_odds = sum(match.features.values())
    assert match.score == pytest.approx(1 / (1 + math.exp(-log_odds)), abs=2e-3)
    assert match.features["abbreviation_full"] > 0 and "bias" in match.features


def test_learned_model_loads_and_is_deterministic(resolver: Resolver) -> None:
    model = load_model()
    assert model.weights and 0 < model.review_threshold <= model.merge_threshold < 1
    assert resolver.merge_threshold == model.merge_threshold
    first = [resolver.resolve([n]) for n in ("华瓷股份", "无问芯穹", "长城", "中芯国际")]
    again = [Resolver.resolve(resolver, [n]) for n in ("华瓷股份", "无问芯穹", "长城", "中芯国际")]
    assert first == again


def test_training_is_reproducible() -> None:
    # the IRLS fit the weights come from: same data, same weights, bit for bit
    rng = np.random.default_rng(0)
    x = np.hstack([np.ones((200, 1)), rng.random((200, 3))])
    y = (x[:, 1] + rng.random(200) > 1).astype(float)
    assert np.array_equal(fit_logistic(x, y), fit_logistic(x, y))
    assert fit_logistic(x, y)[1] > 0


# Real pairs from ../shared/data: chainkg short name / full name (positives) and
# company-names short names that are other companies (negatives), all from the test half.
@pytest.mark.parametrize("short, full, band", [
    ("万马股份", "浙江万马股份有限公司", "merge"),
    ("金冠电气", "金冠电气股份有限公司", "merge"),
    ("江淮汽车", "安徽江淮汽车集团股份有限公司", "merge"),
    ("恒大电器", "恒大高新技术股份有限公司", "new"),
    ("许继电气", "北京许继电气有限公司", "review"),
])
def test_learned_scorer_on_known_pairs(short: str, full: str, band: str) -> None:
    assert _one(full).resolve([short]).band == band


@pytest.mark.parametrize("news_name, record", [
    ("鞍山钢铁", ["马鞍山钢铁股份有限公司", "马钢股份"]),
    ("北斗导航", ["北京北斗星通导航技术股份有限公司", "北斗星通"]),
    ("联发科技", ["深圳亚联发展科技股份有限公司", "亚联发展"]),
])
def test_record_short_name_must_agree_with_a_short_name_entity(news_name: str,
                                                                record: list[str]) -> None:
    r = Resolver()
    r.add(1, [news_name])  # ICKG knows only the short name it read in the news
    match = r.resolve(record)
    assert match.band != "merge"
    assert match.band == "new" or match.rule == "short_names_differ"


def test_registered_name_around_a_short_names_trade_name_is_reviewed() -> None:
    # 鞍山 sits inside 马鞍山: a registered name arriving after a short one, with the short
    # name's 字号 inside its own, is as often another company (宝通 / 金宝通)
    r = Resolver()
    r.add(1, ["鞍山钢铁"])
    match = r.resolve(["马鞍山钢铁股份有限公司"])
    assert (match.band, match.rule) == ("review", "unit_of_group")


@pytest.mark.parametrize("known, record", [
    (["珠海华发实业股份有限公司"], ["珠海华发集团"]),  # the group's short name arrives second
    (["天津港集团"], ["天津港股份有限公司", "天津港"]),  # a listed company's row meets its group
])
def test_a_group_is_not_its_listed_company(known: list[str], record: list[str]) -> None:
    r = Resolver()
    r.add(1, known)
    match = r.resolve(record)
    assert (match.band, match.rule) == ("review", "unit_of_group")


@pytest.mark.parametrize("short, full", [
    ("烟台港", "烟台港集团莱州港有限公司"),
    ("中国二重", "中国第二重型机械集团德阳万航模锻有限责任公司"),
])
def test_a_unit_named_after_its_group_is_not_the_group(short: str, full: str) -> None:
    assert _one(full).resolve([short]).band != "merge"


def test_an_import_gets_the_same_merges_and_reviews_without_new_candidates() -> None:
    """``explain_new=False`` skips registered candidates that can only be new; every merge
    and review must stay as it was, on real names: ChainKG registered names then their
    short names, then ICKG25's (most of them registered names that differ)."""
    data = Path(__file__).resolve().parents[3] / "shared" / "data"
    rows = [json.loads(line) for line in (data / "chainkg" / "company.jsonl")
            .read_text(encoding="utf-8").splitlines()[:800]]
    lines = (data / "ickg25" / "entity2id.txt").read_text(encoding="utf-8-sig").splitlines()
    names = [r["fullname"] for r in rows] + [r["name"] for r in rows] + \
        [line.split("\t")[0].strip() for line in lines[:3000]]
    r = Resolver()
    bands: Counter[str] = Counter()
    for i, name in enumerate(names):
        full = r.resolve([name])
        brief = r.resolve([name], explain_new=False)
        bands[full.band] += 1
        assert brief == (NEW if full.band == "new" else full), name
        r.add(i, [name])
    assert bands["merge"] > 100 and bands["review"] > 10 and bands["new"] > 2000
