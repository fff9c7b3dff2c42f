"""What the end of an organisation's name says about its type: 有限公司 an enterprise, 大学
an institute, 资本 an investor, 委员会 a government body. Shared by extraction (typing the
tagger's spans) and import (typing an organisation a relation names for the first time)."""

from __future__ import annotations

import re

# Longest suffix first matters only for readability; matching tries every length.
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "控股", "科技",
                    "银行", "证券", "保险", "股份", "实业", "传媒", "电子", "智能", "汽车")
GOVERNMENT_SUFFIXES = ("人民政府", "政府", "委员会", "管委会", "管理委员会", "经信委", "科委",
                       "发改委", "国资委", "商务委", "办公室", "办公厅", "监督管理局", "局", "厅",
                       "部", "委", "法院", "检察院", "公安", "海关", "税务")
INSTITUTE_SUFFIXES = ("大学", "学院", "研究院", "研究所", "研究中心", "实验室", "创新中心",
                      "科学院", "社科院", "工程院", "党校", "医院", "学校", "中学", "小学")
INVESTOR_SUFFIXES = ("资本", "创投", "投资", "基金", "投资管理", "创业投资", "产业基金",
                     "私募", "资产管理")
PARK_SUFFIXES = ("空间", "社区", "园区", "产业园", "科技园", "软件园", "科学城", "高新区", "开发区",
                 "示范区", "功能区", "小镇", "谷", "岛", "港", "基地", "孵化器", "加速器", "湾",
                 "创新港", "大厦", "中心")
# A university's usual short name ends so: 上海交大 (交通大学), 华东师大 (师范大学), 哈工大, 上海财大.
# All 52 such names in ../shared/data/company-names are universities. Not in
# INSTITUTE_SUFFIXES: those are also the tagger's features, fixed when it was trained.
UNIVERSITY_SHORT_ENDINGS = ("交大", "师大", "理工大", "财大", "工大", "农大", "医大", "科大", "外大")
ORGANIZATION_SUFFIXES = ("协会", "学会", "联盟", "联合会", "商会", "基金会", "俱乐部", "队",
                         "委员会", "组织", "中心", "党委", "促进会", "研究会")


# 部 and 局 end the names of government bodies, but also of a company's units and of the
# state builders (中建三局, 中交一航局); a club's 部 says nothing of its type.
_COMPANY_UNITS = ("事业部", "营业部", "项目部", "总部", "工程局", "集团")
_NUMBERED_BUREAU = re.compile(r"[一二三四五六七八九十]+航?局$")


def org_type_by_name(name: str) -> str | None:
    """The registry type a name's suffix decides, or None when it decides nothing (parks,
    clubs and bare brand names need context). Meant for names known to be organisations:
    on any name, 投资 or 医院 alone would be typed too."""
    if name.endswith("公司"):  # a registered company, whatever else its name says
        return "investor" if name.endswith(("投资有限公司", "基金管理有限公司")) else "enterprise"
    if name.endswith(INSTITUTE_SUFFIXES) or "大学" in name or "研究院" in name or (
            len(name) >= 3 and name.endswith(UNIVERSITY_SHORT_ENDINGS)):
        return "institute"
    if name.endswith(INVESTOR_SUFFIXES):
        return "investor"
    # a unit of a registered company (电网有限责任公司东莞供电局) is the company's
    if "公司" in name or name.endswith(_COMPANY_UNITS) or _NUMBERED_BUREAU.search(name):
        return "enterprise"
    if name.endswith("俱乐部"):
        return None
    if name.endswith(GOVERNMENT_SUFFIXES):
        return "government"
    return None


def government_forms(name: str) -> tuple[str, ...]:
    """The other usual form of a government's name, by which the same body is also named:
    上海市人民政府 ↔ 上海市政府."""
    if name.endswith("人民政府") and len(name) > 4:
        return (name[:-4] + "政府",)
    if name.endswith("政府") and len(name) > 2:
        return (name[:-2] + "人民政府",)
    return ()
