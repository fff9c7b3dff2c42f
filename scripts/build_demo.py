"""Build src/xietong/demo/ecosystem.jsonl, the curated demo ecosystem of Shanghai's AI parks.

Every entity, relation and attribute below is stated in (or, with lower confidence, inferred
from) one of the Chinese seed articles in ../shared/seeds. Each fact names its seed file and a
quote; the quote is written without the PDF's line breaks and located in the seed with a
whitespace-tolerant search, so the emitted span and quote are exact (``text[start:end]``).
A quote that is missing, or found more than once without an explicit ``nth``, stops the build.

Usage: python scripts/build_demo.py [--check]   (seeds: $XIETONG_SEEDS or ../shared/seeds)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from xietong.model.registry import REGISTRY  # noqa: E402

OUTPUT = ROOT / "src" / "xietong" / "demo" / "ecosystem.jsonl"
ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

# Seed files by their numeric prefix.
S0, S1, S2, S3, S4 = "000", "001", "002", "003", "004"

# Publication dates, used as as_of for the "目前/截至目前" figures of each article.
# 000: 证券时报, mid-2025 (cites 2025年上半年); 001: 长三角观察 2025年7月 (cover);
# 002: 经济日报, 2025 (cites 2025年浦东新区科技节); 003: 新华社 6月5日电, 2025 (cites 2024年底).
# 004 (静安 survey) states no year, so its figures carry no as_of.
D0, D1, D2, D3 = "2025", "2025-07", "2025", "2025-06"


@dataclass
class Fact:
    seed: str
    quote: str
    nth: int | None = None  # 1-based occurrence, required when the quote occurs more than once


@dataclass
class Entity(Fact):
    type: str = ""
    name: str = ""
    aliases: tuple[str, ...] = ()
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Relation(Fact):
    relation: str = ""
    subject: str = ""
    object: str = ""
    valid_from: str | None = None
    confidence: float = 1.0


@dataclass
class Attribute(Fact):
    key: str = ""
    subject: str = ""
    value: Any = None
    unit: str | None = None
    as_of: str | None = None
    confidence: float = 1.0


ENTITIES: list[Entity] = []
RELATIONS: list[Relation] = []
ATTRIBUTES: list[Attribute] = []


def e(type_: str, name: str, seed: str, quote: str, *aliases: str, nth: int | None = None,
      **attrs: Any) -> None:
    ENTITIES.append(Entity(seed, quote, nth, type_, name, aliases, attrs))


def r(subject: str, relation: str, obj: str, seed: str, quote: str, *,
      valid_from: str | None = None, confidence: float = 1.0, nth: int | None = None) -> None:
    RELATIONS.append(Relation(seed, quote, nth, relation, subject, obj, valid_from, confidence))


def a(subject: str, key: str, value: Any, seed: str, quote: str, *, unit: str | None = None,
      as_of: str | None = None, confidence: float = 1.0, nth: int | None = None) -> None:
    if unit is None:
        unit = REGISTRY.attribute_types[key].unit
    ATTRIBUTES.append(Attribute(seed, quote, nth, key, subject, value, unit, as_of, confidence))


def person(name: str, title: str, org: str, seed: str, quote: str, *, confidence: float = 1.0,
           nth: int | None = None) -> None:
    """A person with their title, and works_for their organisation, from one quote."""
    e("person", name, seed, quote, nth=nth, title=title)
    r(name, "works_for", org, seed, quote, confidence=confidence, nth=nth)


# ---------------------------------------------------------------------------------------------
# Regions. Admin codes are GB/T 2260; the quote is where the seed names the region.
SH = "上海市"
e("region", SH, S4, "上海市静安区先行先试", "上海", admin_code="310000", level="province")
for name, short, code, seed, quote in (
    ("徐汇区", "徐汇", "310104", S3, "上海徐汇，滨江西岸"),
    ("浦东新区", "浦东", "310115", S0, "上海市浦东新区区委副书记、区长吴金城"),
    ("静安区", "静安", "310106", S4, "上海市静安区拥有数据智能相关企业"),
    ("闵行区", "闵行", "310112", S2, "上海市闵行区依托“大零号湾”"),
    ("虹口区", "虹口", "310109", S2, "地处上海市中心的虹口区"),
    ("松江区", "松江", "310117", S2, "松江区不断集聚科创要素"),
    ("金山区", "金山", "310116", S2, "金山区正以“一核多点”的产业布局为引擎"),
    ("宝山区", "宝山", "310113", S2, "宝山区通过该模式支持20个硬科技项目"),
    ("嘉定区", "嘉定", "310114", S1, "浦东、嘉定、松江等重点园区"),
):
    e("region", name, seed, quote, short, admin_code=code, level="district")
    r(name, "located_in_region", SH, seed, quote)
e("region", "临港新片区", S1, "“一窗”是指临港新片区成为探索跨境数据流通新机制的开放窗口", "临港")
r("临港新片区", "located_in_region", SH, S1, "“一窗”是指临港新片区成为探索跨境数据流通新机制的开放窗口",
  confidence=0.9)

# ---------------------------------------------------------------------------------------------
# Industries and chain segments.
for name, seed, quote, aliases in (
    ("人工智能", S1, "上海人工智能产业布局已形成“两核一窗”的战略空间格局", ("AI",)),
    ("大模型", S1, "聚焦通用大模型研发的“模速空间”", ()),
    ("具身智能", S0, "聚焦具身智能、科学智能、应用智能三大方向", ()),
    ("科学智能", S0, "聚焦具身智能、科学智能、应用智能三大方向", ()),
    ("应用智能", S0, "聚焦具身智能、科学智能、应用智能三大方向", ()),
    ("人形机器人", S1, "区域内人形机器人相关企业数量占全国的 28.3%", ()),
    ("集成电路", S3, "上海张江集成电路产业", ()),
    ("生物医药", S2, "金山区依托“湾区生物医药港”，形成了生物医药产业", ()),
    ("大数据", S4, "是全市大数据企业最集聚的区域", ()),
    ("区块链", S4, "静安将深耕大数据、区块链、芯片设计、数据安全等重点领域", ()),
    ("芯片设计", S2, "打造虹口天地芯片设计特色楼宇", ()),
    ("智能汽车", S1, "构建了以智能汽车和航天航空为主导的前沿产业矩阵", ()),
    ("航天航空", S1, "构建了以智能汽车和航天航空为主导的前沿产业矩阵", ()),
    ("健康医疗大数据", S0, "是一家健康医疗大数据产业集团", ()),
):
    e("industry", name, seed, quote, *aliases)

CHAIN_ROBOT = "整机研发、核心零部件、人工智能算法、系统集成等关键环节"
for name, alias in (("人形机器人整机研发", "整机研发"), ("人形机器人核心零部件", "核心零部件"),
                    ("人形机器人算法", "人工智能算法"), ("人形机器人系统集成", "系统集成")):
    e("chain_segment", name, S1, "产业链涵盖" + CHAIN_ROBOT, alias)
CHAIN_LLM = "目前模速空间构建了算力、数据、模型、应用的完整生态链"
for name, alias in (("大模型算力", "算力"), ("大模型数据", "数据"), ("大模型模型", "模型"),
                    ("大模型应用", "应用")):
    e("chain_segment", name, S3, CHAIN_LLM, alias)

# ---------------------------------------------------------------------------------------------
# Parks and carriers (载体).
MS, ML, AIISLAND, AITOWN = "模速空间", "模力社区", "张江人工智能岛", "张江AI小镇"
ROBOVALLEY, SCICITY, ZJHT = "张江机器人谷", "张江科学城", "张江高新区"
SHIBEI, DANING, SUHE = "上海市北高新技术服务业园区", "静安大宁功能区", "苏河湾功能区"
DLHW, DSH = "大零号湾", "滴水湖AI创新港"
e("park", MS, S3, "高新区徐汇园里的“模速空间”大模型创新生态社区", "模速空间大模型创新生态社区")
e("park", ML, S0, "“让创业者服务创业者”的产业生态圈载体——模力社区")
e("park", AIISLAND, S0, "国内首个“5G+AI”全场景商用示范园区——张江人工智能岛", "人工智能岛")
e("park", AITOWN, S0, "这些产业载体，组成了近日亮相的张江AI小镇", "张江 AI 小镇")
e("park", "上海科技投资大厦", S0, "股权投资的枢纽和高地——上海科技投资大厦")
e("park", "陆创空间 L HUB", S0, "陆家嘴集团打造了陆创空间 L HUB", "陆创空间", "L HUB")
e("park", ROBOVALLEY, S1, "张江机器人谷集聚了 90 余家具身智能相关企业")
e("park", SCICITY, S2, "张江科学城通过国家人形机器人创新中心", "张江")
e("park", ZJHT, S3, "在上海张江高新区的上海智元新创技术有限公司里", "上海张江高新区")
e("park", "张江高新区徐汇园", S3, "走进张江高新区徐汇园")
e("park", DLHW, S2, "上海市闵行区依托“大零号湾”", "“大零号湾”科技创新策源功能区")
e("park", "紫竹国家高新技术产业开发区", S2, "华东师大、紫竹国家高新技术产业开发区联合发布人才政策")
e("park", "虹口天地芯片设计特色楼宇", S2, "打造虹口天地芯片设计特色楼宇")
e("park", "湾区生物医药港", S2, "金山区依托“湾区生物医药港”")
e("park", SHIBEI, S4, "位于静安中环北侧的上海市北高新技术服务业园区", "市北高新园区", "市北高新")
e("park", DANING, S4, "背后同一个“娘家”——上海静安大宁功能区", "上海静安大宁功能区",
  "大宁功能区", "静安区大宁功能区")
e("park", SUHE, S4, "苏河湾功能区建设主体苏河湾集团董事长朱明胜", "苏河湾")
e("park", DSH, S1, "依托“滴水湖 AI 创新港”", "滴水湖 AI 创新港", "临港滴水湖AI创新港")
e("park", "阿斯利康上海国际生命科学创新园", S4, "阿斯利康上海国际生命科学创新园签订战略合作协议")

# Where the parks are.
r(MS, "located_in_region", "徐汇区", S1, "位于徐汇区的“模速空间”作为上海人工智能产业的核心载体")
r("张江高新区徐汇园", "located_in_region", "徐汇区", S3, "上海徐汇，滨江西岸，走进张江高新区徐汇园")
r(ML, "located_in_region", "浦东新区", S1, "位于浦东新区的“模力社区”充分利用张江科学城深厚的产业积淀")
r(AITOWN, "located_in_region", "浦东新区", S0, "在上海浦东张江，有一片约1平方公里的土地")
r(AIISLAND, "located_in_region", "浦东新区", S0,
  "在上海浦东张江，有一片约1平方公里的土地，汇聚了人工智能企业成长壮大需要的各种“养料”：国内首个“5G+AI”全场景商用示范园区——张江人工智能岛",
  confidence=0.9)
r("上海科技投资大厦", "located_in_region", "浦东新区", S0, "在张江 AI 小镇的上海科技投资大厦内",
  confidence=0.9)
r("陆创空间 L HUB", "located_in_region", "浦东新区", S0,
  "在张江 AI 小镇的上海科技投资大厦内，陆家嘴集团打造了陆创空间 L HUB", confidence=0.9)
r(ROBOVALLEY, "located_in_region", "浦东新区", S2, "位于上海市浦东新区张江机器人谷")
r(SCICITY, "located_in_region", "浦东新区", S1, "位于浦东新区的“模力社区”充分利用张江科学城深厚的产业积淀",
  confidence=0.9)
r(DLHW, "located_in_region", "闵行区", S2, "上海市闵行区依托“大零号湾”")
r("虹口天地芯片设计特色楼宇", "located_in_region", "虹口区", S2, "通过政企合作、揭榜挂帅等方式打造虹口天地芯片设计特色楼宇")
r("湾区生物医药港", "located_in_region", "金山区", S2, "金山区依托“湾区生物医药港”")
r(SHIBEI, "located_in_region", "静安区", S4, "位于静安中环北侧的上海市北高新技术服务业园区")
r(DANING, "located_in_region", "静安区", S4, "静安大宁功能区乃至静安区的数字化建设工程")
r(SUHE, "located_in_region", "静安区", S4, "苏州河流经静安区,形成了一处名叫苏河湾的区域")
r(DSH, "located_in_region", "临港新片区", S1,
  "成为上海面向全球的人工智能开放创新窗口。依托“滴水湖 AI 创新港”")

# What the parks focus on.
r(MS, "operates_in", "大模型", S1, "聚焦通用大模型研发的“模速空间”")
for ind in ("具身智能", "科学智能", "应用智能"):
    r(ML, "operates_in", ind, S0, "模力社区聚焦具身智能、科学智能、应用智能三大方向")
r(AIISLAND, "operates_in", "人工智能", S0, "是集产学研用为一体的人工智能最佳实践区")
r(ROBOVALLEY, "operates_in", "具身智能", S1, "张江机器人谷集聚了 90 余家具身智能相关企业")
r(ZJHT, "operates_in", "集成电路", S3, "上海张江集成电路产业")
r(DSH, "operates_in", "智能汽车", S1, "构建了以智能汽车和航天航空为主导的前沿产业矩阵", confidence=0.9)
r(DSH, "operates_in", "航天航空", S1, "构建了以智能汽车和航天航空为主导的前沿产业矩阵", confidence=0.9)
r(SHIBEI, "operates_in", "大数据", S4, "是全市大数据企业最集聚的区域")
r(SHIBEI, "operates_in", "区块链", S4, "园区内700余家企业围绕区块链、大数据安全、AI等技术领域持续加大研发力度")
r("虹口天地芯片设计特色楼宇", "operates_in", "芯片设计", S2, "打造虹口天地芯片设计特色楼宇")
r("湾区生物医药港", "operates_in", "生物医药", S2, "金山区依托“湾区生物医药港”，形成了生物医药产业")

# Park figures.
a(MS, "enterprise_count", 255, S1, "截至 2025 年 4 月，该区域集聚了 255 家大模型领域企业", as_of="2025-04")
a(MS, "registered_model_count", 34, S1, "完成了 34 个核心模型备案", as_of="2025-04")
a(MS, "metric", 100, S3, "揭牌一年多来，这里吸引了百余家企业入驻", unit="入驻企业数（家）",
  as_of=D3, confidence=0.7)
a(MS, "metric", 100, S3, "举办了上百场供需对接会", unit="供需对接会（场）", as_of=D3, confidence=0.7)
a(MS, "description", "上海人工智能产业“两核”之一，位于徐汇区，聚焦通用大模型研发", S1,
  "“两核”即位于徐汇区聚焦通用大模型研发的“模速空间”")
a(ML, "founded", "2024-08-30", S0, "模力社区在 2024 年 8月 30日正式投入运营")
a(ML, "enterprise_count", 200, S0, "集聚垂类模型上下游企业200余家", as_of=D0, confidence=0.9)
a(ML, "enterprise_count", 200, S1, "已吸引近 200 家上下游企业入驻", as_of=D1, confidence=0.8)
a(ML, "registered_model_count", 28, S0, "28个大模型已完成备案", as_of=D0)
a(ML, "metric", 33, S0, "2025年上半年举办了33场精准对接活动", unit="精准对接活动（场）",
  as_of="2025-06")
a(ML, "metric", 30, S0, "模力社区通过30多场投融资路演促成资本与项目对接", unit="投融资路演（场）",
  as_of=D0, confidence=0.8)
a(ML, "description", "上海人工智能产业“两核”之一，位于浦东新区，专注垂直领域大模型应用", S1,
  "位于浦东新区专注垂直领域大模型应用的“模力社区”")
a(AITOWN, "area", 1_000_000.0, S0, "有一片约1平方公里的土地", confidence=0.8)
a(AIISLAND, "revenue", 1_350_000.0, S0, "2024年园区实现营业收入超135亿元", as_of="2024",
  confidence=0.9)
a(AIISLAND, "description", "国内首个“5G+AI”全场景商用示范园区，产学研用一体的人工智能最佳实践区",
  S0, "国内首个“5G+AI”全场景商用示范园区——张江人工智能岛")
a(ROBOVALLEY, "enterprise_count", 90, S1, "张江机器人谷集聚了 90 余家具身智能相关企业", as_of=D1,
  confidence=0.9)
a(SCICITY, "metric", 12, S1, "目前，张江已陆续发布 12 项团体标准", unit="人形机器人团体标准（项）",
  as_of=D1, confidence=0.8)
a(SCICITY, "founded", "1992", S1, "1992年建园之初，张江以“中国药谷”、“中国硅谷”为旗帜",
  confidence=0.8)
a(ZJHT, "metric", 0.2, S3, "上海张江集成电路产业、武汉东湖光电子信息产业规模分别占全国的 20％",
  unit="集成电路产业规模占全国比例", as_of=D3)
a(DSH, "enterprise_count", 270, S1, "累计吸引超过 270 家人工智能企业集聚发展", as_of=D1,
  confidence=0.8)
a(DSH, "industry_scale", 270.0, S1, "2024 年产业规模达 270 亿元", as_of="2024", confidence=0.8)
a("陆创空间 L HUB", "metric", 15, S0, "共计 15家头部投资机构和基金在此", unit="入驻投资机构和基金（家）",
  as_of=D0)
a(SHIBEI, "area", 3_310_000.0, S4, "在静安区一块3.31平方公里的土地上", confidence=0.9)
a(SHIBEI, "metric", 26, S4, "园区内已集聚26家跨国公司地区总部", unit="跨国公司地区总部（家）")
a(SHIBEI, "enterprise_count", 700, S4, "数据智能企业超过700家", confidence=0.9)
a(SHIBEI, "metric", 170, S4, "经上海市经信委认定的大数据企业170余家", unit="认定大数据企业（家）",
  confidence=0.9)
a(SHIBEI, "metric", 8000, S4, "2.2万千瓦安容量机柜资源近8000个", unit="机柜（个）", confidence=0.8)
a(SHIBEI, "qualifications",
  ["上海市首批新兴产业领域数字经济特色产业园区", "民营企业总部集聚区", "城市数字化转型市示范园区",
   "首批超高清视频产业示范基地"], S4,
  "如今已成为上海市首批新兴产业领域数字经济特色产业园区、民营企业总部集聚区、城市数字化转型市示范园区以及首批超高清视频产业示范基地")
a(DANING, "enterprise_count", 216, S4, "静安大宁功能区已有科创企业216家")
a("湾区生物医药港", "enterprise_count", 115, S2, "目前已集聚115家生物医药企业", as_of=D2)
a("湾区生物医药港", "metric", 65, S2, "其中65家为规上企业", unit="规上企业（家）", as_of=D2)

# ---------------------------------------------------------------------------------------------
# Park operators (建设主体/运营方).
e("enterprise", "上海张江科学之门科技发展有限公司", S0, "上海张江科学之门科技发展有限公司总经理朱慧", "张江科学之门")
person("朱慧", "总经理", "上海张江科学之门科技发展有限公司", S0, "上海张江科学之门科技发展有限公司总经理朱慧")
r("上海张江科学之门科技发展有限公司", "operates_park", ML, S0,
  "总经理朱慧对证券时报记者表示，模力社区在 2024年 8月 30日正式投入运营", valid_from="2024-08-30",
  confidence=0.7)
e("enterprise", "上海张江数智经济发展有限公司", S0, "上海张江数智经济发展有限公司副总经理郭葵", "张江数智")
person("郭葵", "副总经理", "上海张江数智经济发展有限公司", S0, "上海张江数智经济发展有限公司副总经理郭葵")
r("上海张江数智经济发展有限公司", "operates_park", AIISLAND, S0,
  "上海张江数智经济发展有限公司副总经理郭葵对证券时报记者表示，人工智能岛已汇集了", confidence=0.7)
e("enterprise", "陆家嘴集团", S0, "陆家嘴集团打造了陆创空间 L HUB")
r("陆家嘴集团", "operates_park", "陆创空间 L HUB", S0, "陆家嘴集团打造了陆创空间 L HUB")
person("沈文轩", "AI加速器负责人", "陆家嘴集团", S0, "陆家嘴集团AI加速器负责人沈文轩")
e("enterprise", "上海大零号湾投资发展(集团)有限公司", S2, "上海大零号湾投资发展(集团)有限公司总经理徐亚云",
  "大零号湾集团")
person("徐亚云", "总经理", "上海大零号湾投资发展(集团)有限公司", S2, "上海大零号湾投资发展(集团)有限公司总经理徐亚云")
r("上海大零号湾投资发展(集团)有限公司", "operates_park", DLHW, S2,
  "在上海大零号湾投资发展(集团)有限公司总经理徐亚云看来，“大零号湾”建设的重点", confidence=0.8)
e("enterprise", "上海市北高新集团", S4, "上海市北高新集团党委副书记、总裁陈军", "市北高新集团")
person("陈军", "党委副书记、总裁", "上海市北高新集团", S4, "上海市北高新集团党委副书记、总裁陈军")
r("上海市北高新集团", "operates_park", SHIBEI, S4, "上海市北高新集团党委副书记、总裁陈军向记者展示了一张数据智能产业链图谱",
  confidence=0.8)
e("enterprise", "大宁集团", S4, "静安大宁功能区建设主体大宁集团")
r("大宁集团", "operates_park", DANING, S4, "静安大宁功能区建设主体大宁集团")
person("毛立鹏", "党委书记、董事长", "大宁集团", S4, "大宁集团党委书记、董事长毛立鹏")
e("enterprise", "苏河湾集团", S4, "苏河湾功能区建设主体苏河湾集团")
r("苏河湾集团", "operates_park", SUHE, S4, "苏河湾功能区建设主体苏河湾集团")
person("朱明胜", "董事长", "苏河湾集团", S4, "苏河湾集团董事长朱明胜")
e("enterprise", "上海静安科技企业孵化器管理有限公司", S4, "隶属于苏河湾集团的上海静安科技企业孵化器管理有限公司")
r("苏河湾集团", "controls", "上海静安科技企业孵化器管理有限公司", S4,
  "隶属于苏河湾集团的上海静安科技企业孵化器管理有限公司")
person("朱明渊", "执行董事、总经理", "上海静安科技企业孵化器管理有限公司", S4,
       "上海静安科技企业孵化器管理有限公司执行董事、总经理朱明渊")

# ---------------------------------------------------------------------------------------------
# 模速空间 and Xuhui's "北斗七星" (7 leaders) and "群星" (10 rising stars).
WW = "上海无问芯穹智能科技有限公司"
e("enterprise", WW, S3, "上海无问芯穹智能科技有限公司首席执行官", "无问芯穹")
person("夏立雪", "首席执行官", WW, S3, "上海无问芯穹智能科技有限公司首席执行官夏立雪")
r(WW, "located_in_park", MS, S3, "模速空间揭牌当天，上海无问芯穹智能科技有限公司首席执行官夏立雪带着 6名成员入驻")
r(WW, "member_of_segment", "大模型算力", S2,
  "无问芯穹在云端和终端实现了多种大模型算法在多种自主硬件上的高效协同部署运行", confidence=0.8, nth=1)
a(WW, "headcount", 200, S3, "如今团队规模发展到 200 多人", as_of=D3, confidence=0.8)
person("兰斌", "副总裁", WW, S2, "无问芯穹副总裁兰斌", nth=1)
e("institute", "清华大学", S2, "创始团队由清华大学电子工程系推动成立")
r("清华大学", "cooperates", WW, S2, "创始团队由清华大学电子工程系推动成立", confidence=0.7)
e("enterprise", "浦发银行", S2, "浦发银行已成为无问芯穹主要合作银行")
r("浦发银行", "cooperates", WW, S2, "浦发银行已成为无问芯穹主要合作银行")
person("钟泉", "上海分行科技金融部总经理", "浦发银行", S2, "浦发银行上海分行科技金融部总经理钟泉")

BEIDOU = "在徐汇区，稀宇科技、商汤科技、阶跃星辰、无问芯穹、星纪魅族、特赞科技和斑马智行7家人工智能龙头企业"
for name in ("稀宇科技", "商汤科技", "阶跃星辰", "星纪魅族", "特赞科技", "斑马智行"):
    e("enterprise", name, S2, BEIDOU, nth=1)
for name in ("稀宇科技", "商汤科技", "阶跃星辰", "无问芯穹", "星纪魅族", "特赞科技", "斑马智行"):
    r(name, "located_in_region", "徐汇区", S2, BEIDOU, nth=1)
QUNXING = "更多创新的“星星”在徐汇区人工智能的天空中闪耀——秘塔科技、无限光年、它石智能等10家“群星企业”"
for name in ("秘塔科技", "无限光年", "它石智能"):
    e("enterprise", name, S2, QUNXING, nth=1)
    r(name, "located_in_region", "徐汇区", S2, QUNXING, nth=1)

a("徐汇区", "enterprise_count", 400, S3, "辐射带动徐汇区聚集大模型企业近 400家", unit="家",
  as_of=D3, confidence=0.8)
a("徐汇区", "registered_model_count", 43, S3, "累计推动 43 个备案大模型落地", as_of=D3, confidence=0.8)
a("徐汇区", "metric", 0.61, S3, "累计推动 43 个备案大模型落地，约占上海全市的 61％",
  unit="备案大模型占上海全市比例", as_of=D3, confidence=0.8)

# ---------------------------------------------------------------------------------------------
# 张江 AI 小镇: 模力社区, 张江人工智能岛, 上海科技投资大厦 / 陆创空间.
e("enterprise", "极豆科技", S0, "模力社区首批入驻企业极豆科技")
r("极豆科技", "located_in_park", ML, S0, "模力社区首批入驻企业极豆科技", valid_from="2024-08-30",
  confidence=0.9)
person("汪奕菲", "CEO", "极豆科技", S0, "极豆科技CEO汪奕菲")
e("enterprise", "联仁健康医疗大数据科技股份有限公司", S0, "岛上的联仁健康医疗大数据科技股份有限公司", "联仁健康")
r("联仁健康", "located_in_park", AIISLAND, S0, "岛上的联仁健康医疗大数据科技股份有限公司")
r("联仁健康", "operates_in", "健康医疗大数据", S0, "是一家健康医疗大数据产业集团")
person("戴忠", "董事长", "联仁健康", S0, "联仁健康董事长戴忠")
a("联仁健康", "metric", 3600, S0, "当前数据授权已覆盖超3600家医院", unit="数据授权覆盖医院（家）",
  as_of=D0, confidence=0.9)
a("联仁健康", "metric", 2100, S0, "存储超2100亿条健康医疗数据", unit="存储健康医疗数据（亿条）",
  as_of=D0, confidence=0.9)
e("enterprise", "IBM", S0, "人工智能岛已汇集了 IBM研发等跨国企业巨头")
r("IBM", "located_in_park", AIISLAND, S0, "人工智能岛已汇集了 IBM研发等跨国企业巨头")
e("enterprise", "阿里巴巴", S0, "IBM、阿里巴巴等名企的LOGO纷纷映入眼帘")
e("enterprise", "平头哥", S0, "阿里巴巴平头哥等人工智能领域头部企业", "阿里巴巴平头哥")
r("平头哥", "located_in_park", AIISLAND, S0, "阿里巴巴平头哥等人工智能领域头部企业")
r("阿里巴巴", "controls", "平头哥", S0, "阿里巴巴平头哥等人工智能领域头部企业", confidence=0.8)
r("阿里巴巴", "located_in_park", AIISLAND, S0, "IBM、阿里巴巴等名企的LOGO纷纷映入眼帘", confidence=0.8)
ISLAND_2025 = "2025年，园区吸引了开普勒机器人总部、商飞时代、七牛云总部等名企入驻"
e("enterprise", "开普勒机器人", S0, ISLAND_2025, "开普勒")
e("enterprise", "商飞时代", S0, ISLAND_2025)
e("enterprise", "七牛云", S0, ISLAND_2025)
for name in ("开普勒机器人", "商飞时代", "七牛云"):
    r(name, "located_in_park", AIISLAND, S0, ISLAND_2025, valid_from="2025")

FUNDS = "以上海国投集成电路先导产业基金为代表的集成电路产业基金"
e("investor", "上海国投集成电路先导产业基金", S0, FUNDS)
e("investor", "中国生物", S0, "中国生物、礼来亚洲为代表的生物医药产业基金")
e("investor", "礼来亚洲", S0, "中国生物、礼来亚洲为代表的生物医药产业基金")
e("investor", "浦东智慧领航", S0, "以浦东智慧领航为代表的人工智能产业基金")
for name, quote in (("上海国投集成电路先导产业基金", FUNDS),
                    ("中国生物", "中国生物、礼来亚洲为代表的生物医药产业基金"),
                    ("礼来亚洲", "中国生物、礼来亚洲为代表的生物医药产业基金"),
                    ("浦东智慧领航", "以浦东智慧领航为代表的人工智能产业基金")):
    r(name, "located_in_park", "陆创空间 L HUB", S0, quote)
r("浦东智慧领航", "operates_in", "人工智能", S0, "以浦东智慧领航为代表的人工智能产业基金")

# Pudong's humanoid-robot makers and the district's figures.
ROBOTS = "智元、傅利叶、卓益得、开普勒、擎朗等人形机器人整机产品接续发布"
e("enterprise", "傅利叶", S0, ROBOTS)
e("enterprise", "卓益得", S0, ROBOTS)
e("enterprise", "擎朗", S0, ROBOTS)
for name in ("智元", "傅利叶", "卓益得", "开普勒", "擎朗"):
    r(name, "operates_in", "人形机器人", S0, ROBOTS)
    r(name, "member_of_segment", "人形机器人整机研发", S0, ROBOTS, confidence=0.9)
    r(name, "located_in_region", "浦东新区", S0, ROBOTS, confidence=0.7)
e("government", "浦东新区人民政府", S0, "上海市浦东新区区委副书记、区长吴金城")
r("浦东新区人民政府", "located_in_region", "浦东新区", S0, "上海市浦东新区区委副书记、区长吴金城")
person("吴金城", "上海市浦东新区区委副书记、区长", "浦东新区人民政府", S0,
       "上海市浦东新区区委副书记、区长吴金城", confidence=0.9)
a("浦东新区", "industry_scale", 1637.0, S0, "人工智能加速“赋能应用”，2024 年产业规模达 1637 亿元",
  as_of="2024")
a("浦东新区", "metric", 0.4, S0, "2024 年产业规模达 1637 亿元、约占上海全市 40%",
  unit="人工智能产业规模占上海全市比例", as_of="2024", confidence=0.9)
a("浦东新区", "metric", 70, S0, "集聚具身智能产业链相关企业超 70家", unit="具身智能产业链企业（家）",
  as_of=D0, confidence=0.9)
for value, unit, quote in ((1500, "规上工业企业（家）", "浦东拥有超过 1500家规上工业企业"),
                           (800, "集成电路企业（家）", "800余家集成电路企业"),
                           (3900, "生物医药企业（家）", "3900 多家生物医药企业"),
                           (1200, "持牌类金融机构（个）", "1200余个持牌类金融机构")):
    a("浦东新区", "metric", value, S0, quote, unit=unit, as_of=D0, confidence=0.9)

# ---------------------------------------------------------------------------------------------
# 张江机器人谷, 智元 and the national humanoid-robot innovation centre (国地中心).
ZY = "上海智元新创技术有限公司"
e("enterprise", ZY, S2, "位于上海市浦东新区张江机器人谷的上海智元新创技术有限公司", "智元机器人", "智元")
r(ZY, "located_in_park", ROBOVALLEY, S2, "位于上海市浦东新区张江机器人谷的上海智元新创技术有限公司")
r(ZY, "located_in_park", ZJHT, S3, "在上海张江高新区的上海智元新创技术有限公司里")
r(ZY, "located_in_region", "浦东新区", S2, "位于上海市浦东新区张江机器人谷的上海智元新创技术有限公司")
person("朱洁", "副总裁", ZY, S3, "公司副总裁朱洁告诉记者", confidence=0.9)
person("彭志辉", "联合创始人兼首席技术官", ZY, S2, "智元机器人联合创始人兼首席技术官彭志辉", nth=1)
e("product", "智元灵犀X2", S2, "它叫“智元灵犀X2”", "灵犀X2", "灵犀 X2")
e("product", "智元精灵G1", S3, "智元精灵G1机器人“学会了”垃圾精准分类", "精灵G1")
e("product", "硅灵动语", S2, "我们还为X2训练了定制的多模态交互大模型——硅灵动语", nth=1)
r(ZY, "launches", "智元灵犀X2", S2, "走进位于上海市浦东新区张江机器人谷的上海智元新创技术有限公司，只见一台高约130厘米的机器人")
r(ZY, "launches", "智元精灵G1", S3, "智元精灵G1机器人“学会了”垃圾精准分类")
r(ZY, "launches", "硅灵动语", S2, "我们还为X2训练了定制的多模态交互大模型——硅灵动语", nth=1)
r(ZY, "member_of_segment", "人形机器人整机研发", S1, "智元机器人等头部企业实现通用机器人量产")
r("智元灵犀X2", "belongs_to_industry", "人形机器人", S3, "预计今年下半年，灵犀 X2 机器人能够实现规模化出货",
  confidence=0.9)

GD = "国家地方共建人形机器人创新中心"
e("institute", GD, S2, "国家地方共建人形机器人创新中心(以下简称“国地中心”)", "国地中心",
  "国家人形机器人创新中心")
r(GD, "located_in_region", "浦东新区", S0, "落地全国首个国家地方共建的人形机器人创新中心")
r(GD, "located_in_region", "浦东新区", S2, "位于上海浦东张江国地中心的国家地方共建人形机器人创新中心")
person("许彬", "总经理", GD, S2, "国地中心总经理许彬")
e("product", "青龙", S2, "这是全球首款通用型人形机器人开源版机‘青龙’", "“青龙”机器人平台")
r(GD, "launches", "青龙", S2, "张江科学城通过国家人形机器人创新中心，开源“青龙”机器人平台")
r("青龙", "belongs_to_industry", "人形机器人", S2, "这是全球首款通用型人形机器人开源版机‘青龙’")
for name in ("智元", "傅利叶"):
    r(name, "cooperates", GD, S2, "开源“青龙”机器人平台，降低行业研发门槛，吸引智元、傅利叶等企业参与生态共建",
      confidence=0.8)
a(GD, "metric", 5000, S2, "打造全国首个超5000平方米的虚实融合具身智能训练场",
  unit="具身智能训练场面积（平方米）", as_of=D2, confidence=0.9)
a(GD, "metric", 30000, S2, "数据场采集的能力大概每天有3万条", unit="每日数据采集能力（条）",
  as_of=D2, confidence=0.8)
a(GD, "description", "国内人形机器人领域首个国家级公共平台", S2, "国地中心作为国内人形机器人领域首个国家级公共平台")
CONF = "2025张江具身智能开发者大会"
e("event", CONF, S1, "在近日举行的 2025 张江具身智能开发者大会上", event_date="2025")
r(GD, "takes_part_in", CONF, S1, "在近日举行的 2025 张江具身智能开发者大会上，由国家地方共建人形机器人创新中心牵头")
a(CONF, "description", "国地中心牵头联合五地创新中心启动人形机器人产业标准互认计划，首批发布5项全国行业标准",
  S1, "正式启动人形机器人产业标准互认计划。首批发布 5 项全国行业标准")
e("product", "格物-致知具身智能开发平台", S1, "上海牵头建设“格物-致知”具身智能开发平台", "格物-致知")
a("格物-致知具身智能开发平台", "talent_count", 5000, S1, "吸引超 5000 名专家与 200 余家企业入驻",
  as_of=D1, confidence=0.9)
a("格物-致知具身智能开发平台", "enterprise_count", 200, S1, "吸引超 5000 名专家与 200 余家企业入驻",
  as_of=D1, confidence=0.9)
e("investor", "上海具身智能产业基金", S1, "上海具身智能产业基金也宣布启动长三角子基金")
r("上海具身智能产业基金", "operates_in", "具身智能", S1, "上海具身智能产业基金也宣布启动长三角子基金")
e("investor", "浦东新区应用基金", S1, "浦东新区设立 10 亿元应用基金")
a("浦东新区应用基金", "fund_size", 10.0, S1, "浦东新区设立 10 亿元应用基金", as_of=D1)
r("浦东新区应用基金", "located_in_region", "浦东新区", S1, "浦东新区设立 10 亿元应用基金")
e("policy", "场景沙盒", S1, "张江还率先提出“场景沙盒”机制")
r(SCICITY, "issued_policy", "场景沙盒", S1, "张江还率先提出“场景沙盒”机制", confidence=0.8)
a("场景沙盒", "metric", 20, S1, "已有 20 余个场景试点项目进入运行阶段", unit="运行中场景试点项目（个）",
  as_of=D1, confidence=0.9)

# ---------------------------------------------------------------------------------------------
# 模力社区 programmes, Lingang, universities and labs (001, 上海社科院 report).
e("event", "模力星河AI共创加速营", S1, "通过“模力星河 AI 共创加速营”等专项计划")
r(ML, "organises_event", "模力星河AI共创加速营", S1, "通过“模力星河 AI 共创加速营”等专项计划，“模力社区”与百度飞桨等平台合作",
  confidence=0.9)
e("enterprise", "百度", S1, "“模力社区”与百度飞桨等平台合作")
e("product", "飞桨", S1, "“模力社区”与百度飞桨等平台合作", "百度飞桨")
r(ML, "cooperates", "百度", S1, "“模力社区”与百度飞桨等平台合作，推动垂类模型在产业场景中的技术验证与落地")
r("百度", "launches", "飞桨", S1, "“模力社区”与百度飞桨等平台合作", confidence=0.9)
e("enterprise", "库帕思", S1, "推动组建国内首个专注 AI 语料的企业库帕思")
r("库帕思", "member_of_segment", "大模型数据", S1, "推动组建国内首个专注 AI 语料的企业库帕思", confidence=0.9)
a("库帕思", "description", "国内首个专注 AI 语料的企业", S1, "推动组建国内首个专注 AI 语料的企业库帕思")
e("institute", "复旦大学", S1, "复旦大学与上海科学智能研究院联合发布中国首个气候科学大语言模型")
e("institute", "上海科学智能研究院", S1, "复旦大学与上海科学智能研究院联合发布中国首个气候科学大语言模型")
e("product", "气候科学大语言模型", S1, "联合发布中国首个气候科学大语言模型")
CLIMATE = "复旦大学与上海科学智能研究院联合发布中国首个气候科学大语言模型"
r("复旦大学", "cooperates", "上海科学智能研究院", S1, CLIMATE)
r("复旦大学", "launches", "气候科学大语言模型", S1, CLIMATE)
r("上海科学智能研究院", "launches", "气候科学大语言模型", S1, CLIMATE)
r("气候科学大语言模型", "belongs_to_industry", "大模型", S1, CLIMATE)
e("institute", "上海交通大学", S2, "闵行区与上海交大、华东师大", "上海交大")
e("institute", "上海交通大学人工智能学院", S1, "上海交通大学人工智能学院携手上海人工智能实验室")
e("institute", "上海人工智能实验室", S1, "上海交通大学人工智能学院携手上海人工智能实验室")
r("上海交通大学人工智能学院", "cooperates", "上海人工智能实验室", S1,
  "上海交通大学人工智能学院携手上海人工智能实验室及人工智能领域龙头企业")
e("institute", "复旦大学人工智能学院", S1, "复旦大学人工智能学院整合跨学科研究资源")
e("institute", "上海电力大学", S1, "上海电力大学与临港集团合作创建上电—临港人工智能学院")
e("enterprise", "临港集团", S1, "上海电力大学与临港集团合作创建上电—临港人工智能学院")
e("institute", "上电—临港人工智能学院", S1, "上海电力大学与临港集团合作创建上电—临港人工智能学院")
LINGANG_AI = "上海电力大学与临港集团合作创建上电—临港人工智能学院"
r("上海电力大学", "cooperates", "临港集团", S1, LINGANG_AI)
r("上海电力大学", "leads", "上电—临港人工智能学院", S1, LINGANG_AI, confidence=0.8)
r("临港集团", "leads", "上电—临港人工智能学院", S1, LINGANG_AI, confidence=0.8)
e("institute", "上海社会科学院", S1, "上海社会科学院信息研究所副研究员")
person("顾洁", "信息研究所副研究员、产业创新数据实验室主任", "上海社会科学院", S1,
       "作者：顾洁，上海社会科学院信息研究所副研究员、产业创新数据实验室主任")
person("权衡", "党委书记、研究员", "上海社会科学院", S1, "作者：权衡 上海社会科学院党委书记、研究员")
person("李建伟", "研究员", "上海社会科学院", S2, "作者系上海社会科学院研究员）李建伟")
a(SH, "metric", round(1 / 6, 4), S1, "人工智能项目在国家互联网信息办公室公布的生成式人工智能备案项目数量居全国第二，占比超过 1/6",
  unit="生成式人工智能备案项目全国占比", as_of=D1, confidence=0.8)
a(SH, "metric", 3800.0, S1, "2025 年一季度，上海软信业营收突破 3800 亿元", unit="软信业营收（亿元）",
  as_of="2025-03", confidence=0.9)
for year, value in (("2020", 1615.69), ("2021", 1819.77), ("2022", 1981.58), ("2023", 2049.60)):
    a(SH, "metric", value, S2, f"{year}年\t{value:.2f}", unit="研究与试验发展(R&D)经费内部支出（亿元）",
      as_of=year)

# ---------------------------------------------------------------------------------------------
# Shanghai-wide and district policies, government bodies (002, 经济日报).
e("government", "上海市科学技术委员会", S2, "上海市科学技术委员会副主任翟国", "上海市科委")
r("上海市科学技术委员会", "located_in_region", SH, S2, "上海市科学技术委员会副主任翟国")
person("翟国", "副主任", "上海市科学技术委员会", S2, "上海市科学技术委员会副主任翟国")
OPINIONS = "关于进一步深化改革创新 加快科技服务业高质量发展的若干意见"
e("policy", OPINIONS, S2, "上海正式出台《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》")
r(SH, "issued_policy", OPINIONS, S2, "今年5月，上海正式出台《关于进一步深化改革创新 加快科技服务业高质量发展的若干意见》",
  valid_from="2025-05")
a(OPINIONS, "metric", 16, S2, "推出16条举措共计39项任务", unit="举措（条）")
a(OPINIONS, "metric", 39, S2, "推出16条举措共计39项任务", unit="任务（项）")
e("policy", "上海市科学技术进步条例", S2, "2024年上海修订《上海市科学技术进步条例》")
r(SH, "issued_policy", "上海市科学技术进步条例", S2, "2024年上海修订《上海市科学技术进步条例》",
  valid_from="2024")
e("policy", "探索者计划", S2, "并设立“探索者计划”，引导企业等创新主体开展基础研究")
r(SH, "issued_policy", "探索者计划", S2, "并设立“探索者计划”，引导企业等创新主体开展基础研究",
  confidence=0.9)
e("policy", "先投后股试点", S2, "推出“先投后股”试点，政府与社会资本共担早期风险")
r(SH, "issued_policy", "先投后股试点", S2, "上海不断发展完善科技创新风险投资的模式机制，推出“先投后股”试点")
a("宝山区", "metric", 20, S2, "宝山区通过该模式支持20个硬科技项目", unit="先投后股支持硬科技项目（个）",
  as_of=D2)
a("宝山区", "metric", 1.5, S2, "撬动社会资本1.5亿元", unit="先投后股撬动社会资本（亿元）", as_of=D2)
e("investor", "新微创投", S2, "如新微创投设立概念验证中心")
a("新微创投", "description", "设立概念验证中心，通过“投贷联动”加速硬科技项目商业化", S2,
  "如新微创投设立概念验证中心，通过“投贷联动”加速硬科技项目商业化")

e("government", "闵行区区委", S2, "闵行区区委实施全球引才三年行动计划")
r("闵行区区委", "located_in_region", "闵行区", S2, "闵行区区委实施全球引才三年行动计划")
e("policy", "全球引才三年行动计划", S2, "闵行区区委实施全球引才三年行动计划")
r("闵行区区委", "issued_policy", "全球引才三年行动计划", S2, "闵行区区委实施全球引才三年行动计划",
  confidence=0.9)
e("institute", "华东师范大学", S2, "闵行区与上海交大、华东师大", "华东师大")
TALENT = "闵行区与上海交大、华东师大、紫竹国家高新技术产业开发区联合发布人才政策"
r("闵行区区委", "cooperates", "上海交通大学", S2, TALENT, confidence=0.7)
r("闵行区区委", "cooperates", "华东师范大学", S2, TALENT, confidence=0.7)
r("闵行区区委", "cooperates", "紫竹国家高新技术产业开发区", S2, TALENT, confidence=0.7)
r("上海交通大学", "cooperates", "华东师范大学", S2, TALENT, confidence=0.9)
e("enterprise", "上海快特声学技术有限公司", S2, "位于“大零号湾”的上海快特声学技术有限公司", "快特声学")
r("上海快特声学技术有限公司", "located_in_park", DLHW, S2, "位于“大零号湾”的上海快特声学技术有限公司")
r("上海快特声学技术有限公司", "located_in_region", "闵行区", S2, "位于“大零号湾”的上海快特声学技术有限公司",
  confidence=0.9)
person("吴海军", "创始人", "上海快特声学技术有限公司", S2, "上海快特声学技术有限公司创始人吴海军")
r("吴海军", "works_for", "上海交通大学", S2, "是上海交大机械与动力工程学院副教授、博士生导师")
r("上海快特声学技术有限公司", "cooperates", "上海交通大学", S2, "实现高校科技成果转化落地", confidence=0.7)

e("policy", "浦东新区大企业开放创新中心计划", S2, "浦东新区大企业开放创新中心计划(GOI)再迎重磅升级", "GOI")
r("浦东新区", "issued_policy", "浦东新区大企业开放创新中心计划", S2,
  "浦东新区大企业开放创新中心计划(GOI)再迎重磅升级", confidence=0.8)
a("浦东新区大企业开放创新中心计划", "metric", 5, S2, "拜耳、辉瑞、索尼等一批共5家跨国企业加入",
  unit="新加入跨国企业（家）", as_of=D2)
e("event", "2025年浦东新区科技节", S2, "在2025年浦东新区科技节开幕式上", event_date="2025")

e("policy", "松江区推动制造业高质量发展三年行动计划(2023—2025年)", S2,
  "《松江区推动制造业高质量发展三年行动计划(2023—2025年)》")
r("松江区", "issued_policy", "松江区推动制造业高质量发展三年行动计划(2023—2025年)", S2,
  "松江区先后出台了《松江区推动制造业高质量发展三年行动计划(2023—2025年)》", valid_from="2023")

e("government", "虹口区人民政府", S2, "虹口区区长吕鸣")
r("虹口区人民政府", "located_in_region", "虹口区", S2, "虹口区区长吕鸣")
person("吕鸣", "虹口区区长", "虹口区人民政府", S2, "虹口区区长吕鸣", confidence=0.9)
HK = "全力支持安路科技、维安电子等半导体企业做强做精，加快集聚芯耀辉、曼光信息、矽昌通信等芯片设计细分赛道的领军企业"
for name in ("安路科技", "维安电子", "芯耀辉", "曼光信息", "矽昌通信"):
    e("enterprise", name, S2, HK)
    r(name, "located_in_region", "虹口区", S2, HK, confidence=0.8)
for name in ("芯耀辉", "曼光信息", "矽昌通信"):
    r(name, "operates_in", "芯片设计", S2, HK)
for name in ("安路科技", "维安电子"):
    r(name, "operates_in", "集成电路", S2, "全力支持安路科技、维安电子等半导体企业做强做精", confidence=0.9)

e("government", "金山区委", S2, "金山区委书记刘健")
r("金山区委", "located_in_region", "金山区", S2, "金山区委书记刘健")
person("刘健", "金山区委书记", "金山区委", S2, "金山区委书记刘健")

e("enterprise", "联影集团", S2, "联影集团旗下子公司联影微电子", "联影", nth=1)
e("enterprise", "联影微电子", S2, "联影集团旗下子公司联影微电子", nth=1)
e("enterprise", "天猫健康", S2, "联影微电子与天猫健康、京东健康分别正式签署战略合作协议", nth=1)
e("enterprise", "京东健康", S2, "联影微电子与天猫健康、京东健康分别正式签署战略合作协议", nth=1)
r("联影集团", "controls", "联影微电子", S2, "联影集团旗下子公司联影微电子", nth=1)
for name in ("天猫健康", "京东健康"):
    r("联影微电子", "cooperates", name, S2, "联影微电子与天猫健康、京东健康分别正式签署战略合作协议", nth=1)
person("俞晔珩", "高级副总裁", "联影集团", S2, "联影高级副总裁俞晔珩", nth=1)

# ---------------------------------------------------------------------------------------------
# 静安: 市北高新, 大宁, 苏河湾 (004, 经济日报 静安区数智产业调查).
e("government", "静安区科委", S4, "静安区科委主任孙中峰")
r("静安区科委", "located_in_region", "静安区", S4, "静安区科委主任孙中峰")
person("孙中峰", "主任", "静安区科委", S4, "静安区科委主任孙中峰")
a("静安区", "enterprise_count", 1700, S4, "上海市静安区拥有数据智能相关企业1700家左右", unit="家",
  confidence=0.8)
e("government", "静安区委", S4, "静安区委书记于勇")
r("静安区委", "located_in_region", "静安区", S4, "静安区委书记于勇")
person("于勇", "静安区委书记", "静安区委", S4, "静安区委书记于勇")
e("government", "静安区商务委", S4, "静安区商务委主任沈虹")
r("静安区商务委", "located_in_region", "静安区", S4, "静安区商务委主任沈虹")
person("沈虹", "主任", "静安区商务委", S4, "静安区商务委主任沈虹")
e("government", "上海市经信委", S4, "经上海市经信委认定的大数据企业170余家")
e("policy", "百企成长计划", S4, "静安将大力实施“百企成长”计划")
r("静安区", "issued_policy", "百企成长计划", S4, "静安将大力实施“百企成长”计划")
TRUSTED = "上海市静安区可信数据经济试验区发展规划(2023—2025)"
e("policy", TRUSTED, S4, "推出了《上海市静安区可信数据经济试验区发展规(2023—2025)》")
r("静安区", "issued_policy", TRUSTED, S4,
  "静安区还启动建设可信数据经济示范区,推出了《上海市静安区可信数据经济试验区发展规(2023—2025)》",
  valid_from="2023")

HH = "上海合合信息科技有限公司"
e("enterprise", HH, S4, "这是上海合合信息科技有限公司的拳头产品之一", "合合信息")
e("product", "CS全能扫描王", S4, "不少人在处理文档时都使用过“CS全能扫描王”")
r(HH, "main_product", "CS全能扫描王", S4, "“CS全能扫描王”,这是上海合合信息科技有限公司的拳头产品之一")
r(HH, "located_in_park", SHIBEI, S4, "类似合合信息这样的数据智能公司,在市北高新园区还有很多家", confidence=0.9)
person("唐琪", "智能创新事业部总经理", HH, S4, "合合信息智能创新事业部总经理唐琪")
e("event", "世界人工智能大会", S4, "在今年7月举办的世界人工智能大会上")
r(HH, "takes_part_in", "世界人工智能大会", S4, "在今年7月举办的世界人工智能大会上,合合信息面向公众展示了多项图像内容安全保护技术")

YT = "深圳云天励飞技术股份有限公司"
e("enterprise", YT, S4, "人工智能领域企业深圳云天励飞技术股份有限公司", "云天励飞")
a(YT, "exchange", "上海证券交易所科创板", S4, "在上海证券交易所科创板上市")
e("product", "Deep Edge10", S4, "第一代边缘计算芯片Deep Edge10系列SoC芯片", "Deep Edge10系列SoC芯片")
e("product", "云天大模型", S4, "并公布“云天”大模型的最新动态")
r(YT, "launches", "Deep Edge10", S4, "对外展示了自主设计开发的第一代边缘计算芯片Deep Edge10系列SoC芯片")
r(YT, "launches", "云天大模型", S4, "并公布“云天”大模型的最新动态", confidence=0.9)
e("enterprise", "壹查科技(上海)有限公司", S4, "同样表现抢眼的,还有壹查科技(上海)有限公司", "壹查科技")
e("event", "AI无界·智链全球论坛", S4, "该公司成功主办“AI无界·智链全球”论坛")
r("壹查科技", "organises_event", "AI无界·智链全球论坛", S4, "该公司成功主办“AI无界·智链全球”论坛")
e("event", "上海市第一届人力资源服务创新发展大赛", S4, "又捧回了上海市第一届人力资源服务创新发展大赛一等奖")
r("壹查科技", "takes_part_in", "上海市第一届人力资源服务创新发展大赛", S4,
  "公司又捧回了上海市第一届人力资源服务创新发展大赛一等奖")
NIANGJIA = "两家企业不约而同地提到了背后同一个“娘家”——上海静安大宁功能区"
r(YT, "located_in_park", DANING, S4, NIANGJIA, confidence=0.8)
r("壹查科技", "located_in_park", DANING, S4, NIANGJIA, confidence=0.8)
r(DANING, "cooperates", YT, S4, "静安大宁功能区联合云天励飞")
e("institute", "上海国创科技产业创新发展中心", S4, "与上海国创科技产业创新发展中心开展战略合作")
r(DANING, "cooperates", "上海国创科技产业创新发展中心", S4, "与上海国创科技产业创新发展中心开展战略合作")
e("government", "静安区人才服务中心", S4, "与静安区人才服务中心联手")
r(DANING, "cooperates", "静安区人才服务中心", S4, "与静安区人才服务中心联手,为企业制定专属人力资源规划方案")

e("enterprise", "普华永道", S4, "普华永道亚太及中国税务主管合伙人黄佳")
person("黄佳", "亚太及中国税务主管合伙人", "普华永道", S4, "普华永道亚太及中国税务主管合伙人黄佳")
SUHE_TECH = "阿斯利康全球研发中心中国中心、恩智浦半导体、海格电气等一批科技服务龙头企业在这里落户"
SUHE_SERV = "国泰君安、达晨资本、上海外服、上投金服、盈科律所等一批知名专业服务机构在这里安家"
e("institute", "阿斯利康全球研发中心中国中心", S4, SUHE_TECH)
e("enterprise", "恩智浦半导体", S4, SUHE_TECH)
e("enterprise", "海格电气", S4, SUHE_TECH)
for name in ("阿斯利康全球研发中心中国中心", "恩智浦半导体", "海格电气"):
    r(name, "located_in_park", SUHE, S4, SUHE_TECH, confidence=0.9)
e("investor", "达晨资本", S4, SUHE_SERV)
for name in ("国泰君安", "上海外服", "上投金服", "盈科律所"):
    e("enterprise", name, S4, SUHE_SERV)
for name in ("国泰君安", "达晨资本", "上海外服", "上投金服", "盈科律所"):
    r(name, "located_in_park", SUHE, S4, SUHE_SERV, confidence=0.9)
e("institute", "联合国工业发展组织全球创新网络项目上海全球科技创新中心", S4,
  "与联合国工业发展组织全球创新网络项目上海全球科技创新中心")
INCUB = "上海静安科技企业孵化器管理有限公司,与联合国工业发展组织全球创新网络项目上海全球科技创新中心、阿斯利康上海国际生命科学创新园签订战略合作协议"
r("上海静安科技企业孵化器管理有限公司", "cooperates", "联合国工业发展组织全球创新网络项目上海全球科技创新中心",
  S4, INCUB)
r("上海静安科技企业孵化器管理有限公司", "cooperates", "阿斯利康上海国际生命科学创新园", S4, INCUB)

e("enterprise", "信医科技", S4, "信医科技研发出基于区块链的中药处方流转质量监管平台")
e("product", "中药处方流转质量监管平台", S4, "信医科技研发出基于区块链的中药处方流转质量监管平台")
r("信医科技", "launches", "中药处方流转质量监管平台", S4, "信医科技研发出基于区块链的中药处方流转质量监管平台")
r("中药处方流转质量监管平台", "belongs_to_industry", "区块链", S4, "基于区块链的中药处方流转质量监管平台")
e("government", "静安区体育局", S4, "静安区体育局联合益链科技")
e("enterprise", "益链科技", S4, "静安区体育局联合益链科技")
r("静安区体育局", "cooperates", "益链科技", S4, "静安区体育局联合益链科技打造了“静安体育公司配送”项目")
r("静安区体育局", "located_in_region", "静安区", S4, "静安区体育局联合益链科技")
e("enterprise", "欧莱雅中国", S4, "欧莱雅中国完成“美妆数据湖”打造")
r("欧莱雅中国", "located_in_region", "静安区", S4, "“美妆科技中心”落地静安", confidence=0.8)

# ---------------------------------------------------------------------------------------------
# National context (003, 新华社/经济参考报).
e("government", "工业和信息化部", S3, "根据工业和信息化部最新初步估算", "工信部")
e("policy", "国家高新区新赛道培育行动", S3, "今年将深入实施国家高新区新赛道培育行动", nth=1)
r("工业和信息化部", "issued_policy", "国家高新区新赛道培育行动", S3,
  "工业和信息化部今年将深入实施国家高新区新赛道培育行动", valid_from=D3)


# ---------------------------------------------------------------------------------------------
def seeds_dir() -> Path:
    env = os.environ.get("XIETONG_SEEDS")
    return Path(env) if env else ROOT.parent / "shared" / "seeds"


def load_seeds(directory: Path) -> dict[str, tuple[str, str]]:
    """Seed prefix ("003") -> (file name, text)."""
    if not directory.is_dir():
        sys.exit(f"seed directory not found: {directory} (set XIETONG_SEEDS)")
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(directory.glob("*.txt")):
        out[path.name[:3]] = (path.name, path.read_text(encoding="utf-8"))
    return out


def locate(text: str, quote: str, nth: int | None, where: str) -> tuple[int, int]:
    """The span of ``quote`` in ``text``, ignoring whitespace (the PDF's line breaks)."""
    chars = [c for c in quote if not c.isspace()]
    if not chars:
        raise SystemExit(f"{where}: empty quote")
    pattern = re.compile(r"\s*".join(re.escape(c) for c in chars))
    spans = [m.span() for m in pattern.finditer(text)]
    if not spans:
        raise SystemExit(f"{where}: quote not found: {quote!r}")
    if nth is None:
        if len(spans) > 1:
            raise SystemExit(f"{where}: quote found {len(spans)} times, give nth: {quote!r}")
        return spans[0]
    if not 1 <= nth <= len(spans):
        raise SystemExit(f"{where}: nth={nth} but quote found {len(spans)} times: {quote!r}")
    return spans[nth - 1]


def source(fact: Fact, seeds: dict[str, tuple[str, str]], where: str) -> dict[str, Any]:
    if fact.seed not in seeds:
        raise SystemExit(f"{where}: no seed file starting with {fact.seed}")
    file, text = seeds[fact.seed]
    start, end = locate(text, fact.quote, fact.nth, where)
    return {"file": file, "span": [start, end], "quote": text[start:end]}


def check_date(value: str | None, where: str) -> None:
    if value is not None and not ISO_DATE.match(value):
        raise SystemExit(f"{where}: not an ISO date: {value!r}")


def build(seeds: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = []
    types: dict[str, str] = {}  # name or alias -> entity type
    for ent in ENTITIES:
        where = f"entity {ent.name}"
        if ent.type not in REGISTRY.entity_types:
            raise SystemExit(f"{where}: unknown entity type {ent.type}")
        for label in (ent.name, *ent.aliases):
            if label in types:
                raise SystemExit(f"{where}: name or alias {label!r} is already declared")
            types[label] = ent.type
        for key in ent.attrs:
            check_attribute(key, ent.type, where)
        lines.append({"entity": ent.type, "name": ent.name, "aliases": list(ent.aliases),
                      "attrs": ent.attrs, "source": source(ent, seeds, where)})
    for rel in RELATIONS:
        where = f"relation {rel.subject} {rel.relation} {rel.object}"
        rt = REGISTRY.relation_types.get(rel.relation)
        if rt is None:
            raise SystemExit(f"{where}: unknown relation")
        for name, allowed in ((rel.subject, rt.domain), (rel.object, rt.range)):
            if name not in types:
                raise SystemExit(f"{where}: {name!r} is not declared")
            if types[name] not in allowed:
                raise SystemExit(f"{where}: {name!r} is a {types[name]}, expected {allowed}")
        check_date(rel.valid_from, where)
        line: dict[str, Any] = {"relation": rel.relation, "subject": rel.subject,
                                "object": rel.object}
        if rel.valid_from:
            line["valid_from"] = rel.valid_from
        line["confidence"] = rel.confidence
        line["source"] = source(rel, seeds, where)
        lines.append(line)
    for att in ATTRIBUTES:
        where = f"attribute {att.subject} {att.key}"
        if att.subject not in types:
            raise SystemExit(f"{where}: {att.subject!r} is not declared")
        check_attribute(att.key, types[att.subject], where)
        check_date(att.as_of, where)
        line = {"attribute": att.key, "subject": att.subject, "value": att.value}
        if att.unit:
            line["unit"] = att.unit
        if att.as_of:
            line["as_of"] = att.as_of
        line["confidence"] = att.confidence
        line["source"] = source(att, seeds, where)
        lines.append(line)
    return lines


def check_attribute(key: str, entity_type: str, where: str) -> None:
    at = REGISTRY.attribute_types.get(key)
    if at is None:
        raise SystemExit(f"{where}: unknown attribute {key}")
    if at.entity_types and entity_type not in at.entity_types:
        raise SystemExit(f"{where}: {key} does not apply to a {entity_type}")


def render(lines: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="fail if ecosystem.jsonl is not what this script would write")
    args = parser.parse_args()
    content = render(build(load_seeds(seeds_dir())))
    if args.check:
        if not OUTPUT.exists() or OUTPUT.read_text(encoding="utf-8") != content:
            sys.exit(f"{OUTPUT} is out of date; run scripts/build_demo.py")
        return
    OUTPUT.write_text(content, encoding="utf-8")
    print(f"wrote {len(ENTITIES)} entities, {len(RELATIONS)} relations, "
          f"{len(ATTRIBUTES)} attributes to {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
