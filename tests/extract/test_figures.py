"""Figures: number + unit + what is counted + date, with cn2an for Chinese numerals."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SEEDS
from xietong.extract.figures import figures, sentence_date, to_number
from xietong.extract.pipeline import extract_file


@pytest.mark.parametrize(("text", "value"), [
    ("1637", 1637.0), ("1,200", 1200.0), ("三十", 30.0), ("1.5万", 15000.0), ("两千", 2000.0),
    ("十二", 12.0), ("abc", None),
])
def test_numerals(text: str, value: float | None) -> None:
    assert to_number(text) == value


def test_the_issue_examples() -> None:
    (scale,) = figures("2024年产业规模达1637亿元")
    assert (scale.value, scale.unit, scale.counted, scale.date) == (1637, "亿元", "规模", "2024")
    (count,) = figures("集聚具身智能产业链相关企业超70家")
    assert (count.value, count.unit, count.approximate) == (70, "家", True)
    assert "企业" in count.counted
    (models,) = figures("28个大模型已完成备案")
    assert (models.value, models.unit, models.counted) == (28, "个", "大模型")


def test_years_and_dates_are_not_figures() -> None:
    assert figures("2024年8月30日正式投入运营") == []
    assert sentence_date("截至2025年4月，该区域集聚了255家大模型领域企业") == "2025-04"
    assert sentence_date("2024年8月30日") == "2024-08-30"


def test_a_figure_holds_at_the_date_nearest_before_it() -> None:
    """Each figure takes the date before it in its sentence, not the sentence's first; the
    year a change is measured against is no figure's date."""
    dated = [(f.value, f.date) for f in figures(
        "入驻企业从2022年的21家增至2024年的62家，2024年参与方达244家")]
    assert dated == [(21, "2022"), (62, "2024"), (244, "2024")]
    assert [(f.value, f.date) for f in figures("2024年营收120亿元，较2023年增加20亿元")] == [
        (120, "2024"), (20, "2024")]
    assert [f.date for f in figures("集聚255家企业（截至2025年4月）")] == ["2025-04"]
    assert [f.date for f in figures("较2022年增长了15家")] == [None]


def test_seed_figures_carry_their_original_span() -> None:
    doc = extract_file(SEEDS / "001_981ad3a6421107d4.txt")
    hits = [f for f in doc.of_kind("figure") if f.data["value"] == 255]
    assert hits, "255 家大模型领域企业 (模速空间, 2025-04) not found"
    item = hits[0]
    assert doc.text.original[item.start:item.end].replace(" ", "") == "255家"
    assert item.data["key"] == "enterprise_count" and item.data["as_of"] == "2025-04"
    assert "255" in item.sentence


def test_the_curated_demo_figures_are_recovered_from_the_seeds() -> None:
    """The demo ecosystem's hand-curated counts and scales (255 家 in 模速空间 as of 2025-04 …)
    serve as labels: each must be found at its span with the right attribute, and most
    with the right subject even without any names from the graph."""
    import json
    from importlib import resources

    demo = resources.files("xietong.demo").joinpath("ecosystem.jsonl").read_text("utf-8")
    wanted = [row for row in map(json.loads, demo.splitlines()) if row.get("attribute") in
              ("enterprise_count", "registered_model_count", "industry_scale")]
    docs: dict[str, object] = {}
    found = right_subject = 0
    for row in wanted:
        name = row["source"]["file"]
        doc = docs.setdefault(name, extract_file(SEEDS / name))
        start, end = row["source"]["span"]
        hits = [i for i in doc.of_kind("figure")  # type: ignore[attr-defined]
                if start <= i.start < end and i.data["value"] == row["value"]
                and i.data["key"] == row["attribute"]]
        found += bool(hits)
        right_subject += any(i.data["subject"] == row["subject"] for i in hits)
    assert len(wanted) >= 15
    assert found >= len(wanted) - 1  # 静安区's 1,700 企业 is read, as a plain metric
    assert right_subject >= 8


def test_an_amount_of_the_thing_named_after_it_has_no_subject_before_it() -> None:
    """"设立规模10亿元的产业基金": the new fund's size, not the speaker's industry scale."""
    (fund,) = figures("浦东新区科经委介绍，明年将设立规模10亿元的具身智能产业基金")
    assert (fund.value, fund.counted, fund.of_following) == (10, "具身智能产业基金", True)
    (project,) = figures("总投资50亿元的智能制造项目将于明年开工")
    assert (project.counted, project.of_following) == ("智能制造项目", True)
    (scale,) = figures("2024年产业规模达1637亿元的同时")  # "的同时" names no thing
    assert (scale.counted, scale.of_following) == ("规模", False)


def test_a_fund_of_the_sentence_is_not_the_government_bodys(tmp_path: Path) -> None:
    path = tmp_path / "news.txt"
    path.write_text("浦东新区科经委副主任李明介绍，明年将设立规模10亿元的具身智能产业基金。",
                    encoding="utf-8")
    (fund,) = extract_file(path).of_kind("figure")
    assert fund.data["subject"] is None and fund.confidence == 0.4


def test_what_a_figure_counts_and_whose_it_is() -> None:
    """Seeds 002 and 004: 左右/以上 after the unit qualify the number; a quoted group name
    is what is counted; a list's count belongs to what was named before the list; a body
    that certified the counted firms is not their subject; 中心城区 names no district."""
    from xietong.extract.entities import KnownNames, mentions
    from xietong.extract.pipeline import _figure_subject

    (fig,) = figures("数据显示，上海市静安区拥有数据智能相关企业1700家左右，居全市前列。")
    assert (fig.value, fig.counted, fig.approximate) == (1700, "数据智能相关企业", True)
    known = KnownNames()
    for name, kind in (("秘塔科技", "enterprise"), ("无限光年", "enterprise"),
                       ("它石智能", "enterprise"), ("上海市经信委", "government"),
                       ("市北高新园区", "park")):
        known.add(name, kind)

    def subject(sentence: str, park: str | None = None) -> tuple[str | None, str]:
        found = mentions(sentence, known)
        last_park = next((m for m in found if m.text == park), None)
        fig = figures(sentence)[-1]
        found_subject = _figure_subject(found, fig, sentence, last_park)
        return (found_subject.text if found_subject else None), fig.counted

    assert subject("在徐汇区，秘塔科技、无限光年、它石智能等10家“群星企业”共同搭建完整生态链。") \
        == ("徐汇区", "群星企业")
    sentence = "市北高新园区内已集聚26家跨国公司地区总部，经上海市经信委认定的大数据企业170余家。"
    assert subject(sentence, "市北高新园区") == ("市北高新园区", "大数据企业")
    assert not [m for m in mentions("这里有中心城区极为稀缺的机柜资源近8000个。")
                if m.kind == "region"]


def test_caps_set_up_funds_areas_and_sector_measures() -> None:
    """Seeds 000, 001 and 004: a policy's cap is no statistic; a fund set up is the
    amount's thing; an area measures the land named after it; a sector's value added keeps
    the sector."""
    assert figures("对“跨境电商+产业带”项目给予最高200万元补贴") == []
    (fund,) = figures("2025南京软件大会设立10亿元工业软件专项基金，并同步发布报告")
    assert (fund.counted, fund.of_following) == ("工业软件专项基金", True)
    (area,) = figures("在上海浦东张江，有一片约1平方公里的土地，汇聚了各种养料")
    assert (area.value, area.counted) == (1, "土地")
    (added,) = figures("2024年，上海海洋船舶工业实现增加值216.7亿元，占全国近1/6")
    assert added.counted == "上海海洋船舶工业增加值"
    (share,) = figures("跨境物流成本占销售额比重15%")  # a share keeps the plain measure
    assert share.counted == "销售额比重"


def test_reporters_descriptions_and_modal_verbs_around_a_figure() -> None:
    """Seeds 000–004: who reports a figure (据, 根据) is not its subject; words that only
    describe the counted thing before 的 are not that thing; a modal verb ends it; the sector
    of a value added follows the verb 实现."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    sentence = "据华泰证券测算，新型政策性金融工具的5000亿元资金有望撬动更多投资。"
    found = mentions(sentence)
    assert any(m.text == "华泰证券" for m in found)
    assert _figure_subject(found, figures(sentence)[0], sentence, None) is None
    counted = [f.counted for f in figures(
        "上海力争打造10家行业一流的机器人头部品牌、100个标杆示范的机器人应用场景。")]
    assert counted == ["机器人头部品牌", "机器人应用场景"]
    (firms,) = figures("共有5家企业的营收超过百亿")  # the firms are counted, not their revenue
    assert firms.counted == "企业"
    (leaders,) = figures("有20个以上企业能够成为细分领域的创新领军企业。")
    assert (leaders.counted, leaders.approximate) == ("企业", True)
    (added, _) = figures("今年一季度，国家高新区实现规模以上工业增加值1.7万亿元，同比增长7.1％。")
    assert added.counted == "规模以上工业增加值"


def test_grants_thresholds_measures_after_and_whole_words() -> None:
    """Seed 001: a policy's grant (给予, 配套) and a threshold (以下) are no statistics; an
    amount's measure may follow it; the counted words are cut at a verb or a word's start,
    never inside a word (开发区, 具身)."""
    assert figures("对示范园区给予300万元奖励，并配套10亿元引导资金") == []
    assert figures("取消针对中国出口的价值800美元以下商品的免税政策") == []
    (nanjing,) = figures("南京以8600亿元产业规模成为全国工业软件“样板城市”")
    assert nanjing.counted == "产业规模"
    software, models = figures("上海2024年开发工业软件超1.6万款，构建工业机理模型3.5万个")
    assert (software.counted, models.counted) == ("工业软件", "工业机理模型")
    (zones,) = figures("全国有各类省级以上开发区约500家")
    assert zones.counted == "各类省级以上开发区"
    (firms,) = figures("浦东集聚具身智能产业链相关企业超70家")
    assert firms.counted == "具身智能产业链相关企业"
    (pharma, _) = figures("浦东拥有3900多家生物医药企业以及1200余个持牌类金融机构")
    assert pharma.counted == "生物医药企业"
    (patents,) = figures("2023年全年数字人领域专利申请数高达544个")
    assert patents.counted.endswith("数字人领域专利申请数")


def test_a_report_and_a_list_with_zai_nei_name_no_subject() -> None:
    """Seed 001: who reports (…数据显示) is no subject, nor the last name of a list that
    "…在内的" closes."""
    from xietong.extract.entities import KnownNames, mentions
    from xietong.extract.pipeline import _figure_subject

    known = KnownNames()
    for name, kind in (("国家知识产权局", "government"), ("宜家", "enterprise"),
                       ("麦克", "enterprise"), ("Meta", "enterprise")):
        known.add(name, kind)
    for sentence in ("国家知识产权局数据显示，2023年全年数字人领域专利申请数高达544个。",
                     "截至目前，已有包括宜家、麦克、Meta在内的40多家企业加入ZEMBA。"):
        found = mentions(sentence, known)
        assert _figure_subject(found, figures(sentence)[-1], sentence, None) is None, sentence


def test_verbs_after_the_counted_thing_and_a_whole_province() -> None:
    """Seeds 000–004: the counted thing ends at 共同, 促成, 围绕, 纳入…; 撬动 and 拉动 end
    a measure named before; a sector's 总额 keeps its sector; "全省…" is the province named
    before, not the last city listed."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    (seven,) = figures("稀宇科技、商汤科技和斑马智行7家人工智能龙头企业共同构成“北斗七星”矩阵")
    assert seven.counted == "人工智能龙头企业"
    (roadshows,) = figures("模力社区通过30多场投融资路演促成资本与项目对接")
    assert roadshows.counted == "投融资路演"
    (capital,) = figures("宝山区通过该模式支持硬科技项目，撬动社会资本1.5亿元。")
    assert capital.counted == "社会资本"
    (trade,) = figures("2024年跨境电商进出口总额达2.63万亿元")
    assert trade.counted == "跨境电商进出口总额"
    sentence = "同时，浙江省跨境电商产业带集聚效应显著，杭州、宁波、义乌等地形成了B2C主导的生态体系，" \
               "2024年全省跨境电商企业超5万家，占全国总量的1/3。"
    found = mentions(sentence)
    subject = _figure_subject(found, figures(sentence)[0], sentence, None)
    assert subject is not None and subject.text == "浙江省"


def test_those_a_figure_goes_to_are_not_its_subject() -> None:
    """Seed 001: "上海…平台向江苏、浙江、安徽输出超过3.5万个工业知识模型" is 上海's output."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    sentence = "上海“工赋链主”平台向江苏、浙江、安徽输出超过3.5万个工业知识模型。"
    found = mentions(sentence)
    subject = _figure_subject(found, figures(sentence)[0], sentence, None)
    assert subject is not None and subject.text == "上海"


def test_names_given_as_examples_and_a_kind_of_park_do_not_take_the_figure() -> None:
    """Seed 000: "推出模力社区、张江机器人谷等重点园区，集聚…企业超70家" is 浦东's count; the
    parks are examples, and 园区 inside 重点园区 points back to no park."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    sentence = "浦东推动软硬件协同创新发展，推出模力社区、张江机器人谷等重点园区，集聚具身智能产业链" \
               "相关企业超70家，落地全国首个国家地方共建的人形机器人创新中心。"
    found = mentions(sentence)
    park = next(m for m in found if m.text == "张江机器人谷")
    subject = _figure_subject(found, figures(sentence)[0], sentence, park)
    assert subject is not None and subject.text == "浦东"


def test_a_group_of_listed_cities_is_no_citys_subject() -> None:
    """Seed 001: "北京、上海、广州、深圳四大一线城市…近4000万人" is the four cities' figure."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    sentence = "数据显示，北京、上海、广州、深圳四大一线城市租房人口规模已近4000万人。"
    found = mentions(sentence)
    assert _figure_subject(found, figures(sentence)[0], sentence, None) is None


def test_an_amount_that_frames_a_goal_and_a_cluster_zone_counted_whole() -> None:
    """Seed 001: "以1.5万亿元保障目标为导向" measures nothing; 集聚区 is a noun, so "14个…
    特色赛道集聚区" counts the zones, not 特色赛道."""
    assert figures("上海的绿色保险以1.5万亿元保障目标为导向，创新了碳资产保险。") == []
    (zones,) = figures("上海前瞻性部署14个区级主导产业特色赛道集聚区。")
    assert zones.counted == "区级主导产业特色赛道集聚区"


def test_restated_figures_parts_advice_and_a_texts_own_parts_are_not_proposed() -> None:
    """Seeds 001 and 002: a figure restated in other units (按当前汇率计算约在2.2万美元) is no
    new figure; 其中 names no counted thing; an adviser's numbers (建议…) and counts of a
    policy's own layers (3个层面, 3个改革导向) are shown, not proposed."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_confidence, _figure_subject

    per_head = figures("2024年，江苏省GDP超13.7万亿元，人均GDP为160694元，按当前汇率计算约在2.2万美元左右。")
    assert [(f.value, f.unit) for f in per_head] == [(13.7, "万亿元"), (160694.0, "元")]
    (part,) = figures("上海开发工业软件，推动自主突破“卡脖子”产品，其中35款入选《长三角工业软件推荐目录》。")
    assert part.counted == ""
    (layers,) = figures("上海正式出台《若干意见》，从供给侧、需求侧、环境面3个层面推出16条举措。")
    assert layers.counted == "层面"
    for sentence in ("上海正式出台《若干意见》，从供给侧、需求侧、环境面3个层面推出16条举措。",
                     "建议浙江省制定《三年行动计划》，明确2027年建成5个千亿级产业集群目标。"):
        found = mentions(sentence)
        fig = figures(sentence)[-1]
        subject = _figure_subject(found, fig, sentence, None)
        assert subject is not None and _figure_confidence(fig, subject, sentence) < 0.6, sentence
    sentence = "2024年跨境电商进出口总额达2.63万亿元，浙江省作为先行示范区，集聚企业超5万家。"
    fig = figures(sentence)[-1]
    assert _figure_confidence(fig, _figure_subject(mentions(sentence), fig, sentence, None),
                              sentence) >= 0.6


def test_a_subdistricts_figure_is_not_its_districts() -> None:
    """Seed 001: "静安区彭浦新村街道辖区面积3.81平方公里" is the 街道's area, not 静安区's."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    sentence = "比如静安区彭浦新村街道辖区面积3.81平方公里、老年人口约为8.5万人，而相邻的临汾路街道" \
               "辖区面积2.12平方公里。"
    found = mentions(sentence)
    assert [_figure_subject(found, fig, sentence, None) for fig in figures(sentence)] \
        == [None, None, None]
    sentence = "静安区拥有数据智能相关企业1700家左右。"
    subject = _figure_subject(mentions(sentence), figures(sentence)[0], sentence, None)
    assert subject is not None and subject.text == "静安区"


def test_an_aside_in_brackets_and_an_opening_word_do_not_cut_the_measure() -> None:
    """Seed 001: "例如2024年上交所绿色债券（含ABS）发行近1700亿元" measures 上交所绿色债券发行,
    not 发行 alone."""
    (bonds,) = figures("其次，上海支持力度显著，例如2024年上交所绿色债券（含ABS）发行近1700亿元。")
    assert bonds.counted == "上交所绿色债券发行"
    # neither cut reaches into a word: 其他企业 and the county 如皋 stay whole
    assert [f.counted for f in figures("全市拥有其他企业约300家。")] == ["其他企业"]
    assert [f.counted for f in figures("如皋家纺企业300家。")] == ["如皋家纺企业"]


def test_a_list_the_tagger_names_in_part_is_no_subject() -> None:
    """Seeds 001 and 002: without the store's names the tagger finds only 稀宇科技 of the
    seven firms the figure counts, and 比亚迪 and 合肥 side by side in 比亚迪合肥; the
    figure is still the place's named before the list."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_subject

    for sentence, place in (
            ("其中，在徐汇区，稀宇科技、商汤科技、阶跃星辰、无问芯穹、星纪魅族、特赞科技和斑马智行"
             "7家人工智能龙头企业共同构成“北斗七星”矩阵。", "徐汇区"),
            ("安徽已集聚奇瑞集团、江淮集团、蔚来、合肥长安、比亚迪合肥、大众安徽、汉马科技等7家整车企业。",
             "安徽")):
        subject = _figure_subject(mentions(sentence), figures(sentence)[0], sentence, None)
        assert subject is not None and subject.text == place, sentence


def test_what_was_taken_from_firms_is_no_count_and_platforms_are_no_firms() -> None:
    """Seed 001: "上海清算所…首批采集50家企业数据" is not 上海清算所's 50 firms;
    "10余家国家级创新平台" are no enterprises (家 is in 国家级)."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_confidence, _figure_data, _figure_subject

    sentence = "上海清算所率先上线碳账户系统，首批采集50家企业数据，碳资产数据造假率仅万分之三。"
    fig = figures(sentence)[0]
    subject = _figure_subject(mentions(sentence), fig, sentence, None)
    assert subject is not None and _figure_confidence(fig, subject, sentence) < 0.6
    sentence = "上海已拥有20余家涉海高校院所、10余家国家级创新平台。"
    platforms = figures(sentence)[-1]
    assert platforms.counted == "国家级创新平台"
    assert _figure_data(platforms, None, sentence)["key"] == "metric"
    (firms,) = figures("集聚具身智能产业链相关企业超70家")
    assert _figure_data(firms, None, "集聚具身智能产业链相关企业超70家")["key"] == "enterprise_count"


def test_targets_and_forecasts_are_shown_not_proposed() -> None:
    """Seeds 002 and 004: "争取…有20个以上企业能够成为…", "力争…打造10家…品牌" are goals; a
    programme named 计划 and a count after 目前 are not."""
    from xietong.extract.entities import mentions
    from xietong.extract.pipeline import _figure_confidence, _figure_subject

    def confidences(sentence: str) -> list[float]:
        found = mentions(sentence)
        return [_figure_confidence(fig, _figure_subject(found, fig, sentence, None), sentence)
                for fig in figures(sentence)]

    assert max(confidences("孙中峰介绍,静安将通过3年至5年的时间,争取能出现10个以上上市公司,有20个以上"
                           "企业能够成为细分领域的创新领军企业。")) < 0.6
    assert max(confidences("根据规划，上海力争在“十四五”时期末打造10家行业一流的机器人头部品牌。")) < 0.6
    assert min(confidences("浦东新区大企业开放创新中心计划(GOI)再迎升级，拜耳、辉瑞、索尼等一批共5家"
                           "跨国企业加入。")) >= 0.6
    assert confidences("静安区力争2027年实现产值翻番，目前已集聚企业1700家。")[-1] >= 0.6


def test_a_counted_thing_ending_in_a_preposition_is_no_measure() -> None:
    """Seed 000: "鹿客创始人陈彬表示，这款产品定位在200美元以上" prices a product; the words
    before the figure name no measure of 鹿客's."""
    from xietong.extract.entities import Mention
    from xietong.extract.pipeline import _figure_confidence

    sentence = "鹿客创始人陈彬表示，这款产品定位在200美元以上的高端智能门锁市场。"
    (price,) = figures(sentence)
    assert price.counted.endswith("在")
    company = Mention(0, 2, "鹿客科技（北京）股份有限公司", "enterprise", 0.9, "declared")
    assert _figure_confidence(price, company, sentence) < 0.6
