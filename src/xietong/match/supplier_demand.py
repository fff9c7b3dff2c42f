"""Reading a buyer's demand: what is sought, for which product of the poster's, and the terms.

    我们生产重混凝土，需要采购水泥，请推荐供应商  -> 求购 水泥; 用于 重混凝土
    为炝拌金针菇生产企业寻找金针菇供应商        -> 求购 金针菇; 用于 炝拌金针菇
    求购碳纤维，月需5吨，6月30日前交货，长三角优先 -> 求购 碳纤维; 数量 月需5吨; 交期 …

Text only: which store products the spans name is xietong.match.product_names' job. The
poster's product matters because its makers are the poster's peers or customers, not
suppliers. Words every demand has (生产, 企业, 寻找, 供应商, 采购 …) are not terms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from xietong.match.tokens import STOPWORDS, content_words
from xietong.resolve.regions import canonical_region

# Clause separators; a demand's parts (quantity, deadline …) are mostly whole clauses
_CLAUSE = re.compile(r"[，,。；;！!？?\n]+")
_QUANTITY = re.compile(
    r"(?:月需|年需|周需|日需|需求量|采购量|数量|首批|每月|每年|约)?约?\s*\d+(?:\.\d+)?\s*"
    r"(?:万|千|百)?\s*(?:吨|件|台|套|个|只|片|颗|公斤|千克|kg|KG|t|米|平方米|批|卡|张|块|PFLOPS|P)")
_DEADLINE = re.compile(
    r"\d{1,2}月\d{1,2}日?(?:之)?前[^，,。；;]*|\d+\s*(?:天|日|周|个月)内[^，,。；;]*|"
    r"(?:年底|月底|年内|季度末|年末)(?:之)?前?(?:交货|到货|交付|完成[^，,。；;]*)|"
    r"(?:尽快|加急)(?:交货|到货)")
_QUALIFICATION = re.compile(
    r"(?:ISO\s?\d+|IATF\s?\d+|GMP|CE|UL|3C|车规级?|军工|资质|认证|许可证|高新技术企业|"
    r"专精特新|验证|合格供应商)")
_PREFER = re.compile(r"优先|本地|省内|市内|区内|限|就近")
AREAS = {"长三角": ("上海", "江苏", "浙江", "安徽"), "珠三角": ("广东",), "京津冀": ("北京", "天津", "河北")}

# The poster's own product: "为X生产企业", "我们生产X", "我司是X制造商", "用于X" …
_ORG = r"(?:生产|制造|加工)?(?:企业|厂家|厂商|公司|工厂|制造商|生产商|项目|产线|团队|客户)"
_POSTER = (
    re.compile(r"为(?P<p>[^，,。；;]{1,30}?)" + _ORG + r"(?:寻找|寻求|采购|征集|对接|找)"),
    re.compile(r"(?:我们|我司|本公司|我方|本厂|我厂)(?:是|为)?(?:一家)?(?:专业)?"
               r"(?:生产|做|制造|主营|加工|研发)(?P<p>[^，,。；;的]{1,30}?)(?:的)?(?:"
               + _ORG + r")?(?=[，,。；;]|$)"),
    re.compile(r"(?:我们|我司|本公司|我方)(?:是|为)(?:一家)?(?P<p>[^，,。；;]{1,30}?)" + _ORG),
    re.compile(r"(?:本公司|我司|我们)?主营(?P<p>[^，,。；;]{1,30}?)(?=[，,。；;]|$)"),
    re.compile(r"做(?P<p>[^，,。；;]{1,30}?)(?:的企业|的公司|的厂家|用的|用)"),
    re.compile(r"(?:用于|应用于|用在)(?:生产|制造|加工)?(?P<p>[^，,。；;（）()]{1,30}?)"
               r"(?:的)?(?:生产|制造|加工)?(?=[，,。；;）)]|$)"),
    re.compile(r"^(?P<p>[^，,。；;]{1,30}?)" + _ORG + r"(?:长期|急需|需要|拟|计划)?"
               r"(?:招标)?(?:采购|求购|寻找|需要|寻求|征集)"),
)
# The sought product: after a verb of buying or seeking, before a word for the seller
_SELLER = (r"(?:的)?(?:供应商|供货商|供应方|供货方|稳定供应|供应|厂家|厂商|生产企业|生产商|"
           r"制造商|服务商|提供商|解决方案提供商|解决方案|企业|公司|资源)")
_SOUGHT = (
    re.compile(r"(?:采购需求|求购|需求)[：:](?P<s>[^，,。；;（）()]{1,30})"),
    re.compile(r"(?:(?:招标|长期|批量)?(?:采购|求购|购买|订购|急需|需要|需|寻找|找|寻求|"
               r"征集|对接|想找|求|购))+(?:一批|一些|一家|一下|稳定的|优质的|可靠的)?"
               r"(?P<s>[^，,。；;（）()：:]{1,30}?)" + _SELLER + r"?(?=[，,。；;（）()：:]|$)"),
    re.compile(r"(?P<s>[^，,。；;（）()：:]{1,30}?)" + _SELLER + r"(?=[，,。；;（）()：:]|$)"),
)
# "寻找减速器供应商：谐波减速器、RV减速器" lists kinds of what is sought after a colon
_LISTED = re.compile(r"^\s*[：:](?P<items>[^，,。；;]+)")
_ITEM = re.compile(r"[、/／\s]+")
# Words a demand's subject can start or end with that name no product
_LEAD = re.compile(r"^(?:帮忙|请|麻烦|我们|我司|本公司|是|的|为|和|与|及|一批|一些|优质|"
                   r"可靠|稳定|长期|靠谱的|靠谱|相关|合适的|合适|有没有|有无)+")
_TAIL = re.compile(r"(?:的|等|等产品|用|方面|相关|生产|供应|稳定供应)+$")
# Words every supplier demand has: no weight in the search
DEMAND_WORDS = frozenset("""
    生产 企业 寻找 供应商 需要 采购 推荐 公司 请 我们 我司 本公司 求购 急需 厂家 厂商
    供货商 供货 供应 制造商 生产商 稳定 长期 欢迎 报名 招标 项目 帮忙 对接 想 找 求
    用于 用 做 主营 现需 靠谱 有没有 提供商 服务商 加工 制造 优质 可靠 批量 一批 需
    是 要求 具备 具有 需具备 欢迎 小批量 试产 配套 应用于 服务 提供 支撑 建设
    """.split()) | STOPWORDS


@dataclass(slots=True)
class SupplierDemand:
    text: str
    sought: str | None  # the span naming what is sought ("水泥")
    poster: str | None  # the span naming the poster's product ("重混凝土")
    terms: list[str]  # the sought span's content words (the whole demand's if no span)
    quantity: str | None = None
    regions: list[str] = field(default_factory=list)  # preferred regions (canonical names)
    qualification: str | None = None
    deadline: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"sought": self.sought, "for": self.poster, "terms": self.terms,
                "quantity": self.quantity, "regions": self.regions,
                "qualification": self.qualification, "deadline": self.deadline}


def _clean(span: str | None) -> str | None:
    if span is None:
        return None
    span = span.strip(" 　\"'“”‘’「」")
    for _round in range(3):
        span = _TAIL.sub("", _LEAD.sub("", span)).strip()
    return span if len(span) >= 1 and content_words(span) else None


def _regions(clause: str) -> list[str]:
    """The regions a clause of preference names ("长三角优先", "江苏省内企业优先"), when
    the clause says little else ("三元材料优先" names no region)."""
    rest = _PREFER.sub("", clause)
    rest = re.sub(r"企业|供应商|厂家|地区|的|范围|内", "", rest)
    found = [r for area, members in AREAS.items() if area in rest for r in members]
    for area in AREAS:
        rest = rest.replace(area, "")
    for size in range(min(len(rest), 8), 1, -1):
        for start in range(len(rest) - size + 1):
            region = canonical_region(rest[start:start + size])
            if region is not None and len(rest) - size <= 1:
                return found + [region.name]
    return found if not rest.strip() else []


def parse_supplier(text: str) -> SupplierDemand:
    """The parts of a supplier demand (any of them may be missing)."""
    text = text.strip()
    quantity = deadline = qualification = None
    regions: list[str] = []
    kept = []
    for clause in _CLAUSE.split(text):
        clause = clause.strip()
        if not clause:
            continue
        if (m := _DEADLINE.search(clause)) and deadline is None:
            deadline = m.group(0)
            clause = clause.replace(m.group(0), " ").strip()
        if (m := _QUANTITY.search(clause)) and quantity is None:
            quantity = m.group(0).strip()
            clause = clause.replace(m.group(0), " ").strip()
        if _QUALIFICATION.search(clause) and qualification is None and \
                re.search(r"需|须|要求|具备|具有|通过|持有|有|为", clause):
            qualification = re.sub(r"^(?:需|须|要求)?(?:具备|具有|通过|持有)?", "", clause)
            continue
        if _PREFER.search(clause) and (found := _regions(clause)):
            regions += [r for r in found if r not in regions]
            continue
        if clause:
            kept.append(clause)
    body = "，".join(kept)
    poster = None
    for pattern in _POSTER:
        m = pattern.search(body)
        if m and (span := _clean(m.group("p"))):
            poster = span
            body = body[:m.start("p")] + " " * len(m.group("p")) + body[m.end("p"):]
            break
    sought = None
    for pattern in _SOUGHT:
        for m in pattern.finditer(body):
            if (span := _clean(m.group("s"))) and span != poster:
                sought = span
                if listed := _LISTED.match(body[m.end():]):
                    kinds = [k for k in (_clean(i) for i in _ITEM.split(listed["items"])) if k]
                    sought = "、".join(dict.fromkeys([span, *kinds[:8]]))
                break
        if sought:
            break
    terms = [w for w in content_words(sought or body) if w not in DEMAND_WORDS]
    if not terms and sought is None:
        terms = [w for w in content_words(text) if w not in DEMAND_WORDS]
    return SupplierDemand(text=text, sought=sought, poster=poster, terms=terms,
                          quantity=quantity, regions=regions, qualification=qualification,
                          deadline=deadline)
