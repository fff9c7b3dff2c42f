"""Parsing a free-text demand: what is sought, what it is about, where, and whom to exclude.

    寻找人形机器人谐波减速器供应商，长三角优先  -> supplier; 人形 机器人 谐波 减速器; prefer 长三角
    为具身智能初创企业寻找天使轮投资方          -> investor; 具身 智能 初创
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xietong.i18n import _
from xietong.match.tokens import STOPWORDS, content_words
from xietong.resolve.regions import canonical_region

MAX_QUERY_CHARS = 200

# The role sought -> (relation key, which end of it the answer is)
ROLES: dict[str, tuple[tuple[str, str], ...]] = {
    "supplier": (("supplies", "head"), ("main_product", "head"), ("launches", "head")),
    "customer": (("supplies", "tail"),),
    "partner": (("cooperates", "tail"), ("joint_venture", "tail")),
    "investor": (("invests", "head"),),
    "acquirer": (("acquires", "head"),),
}
ROLE_LABELS = {"supplier": "供应商", "customer": "客户", "partner": "合作伙伴",
               "investor": "投资方", "acquirer": "收购方"}
_ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("investor", r"投资方|投资人|投资机构|融资|天使轮|种子轮|[A-D]\+?轮|Pre-?A"),
    ("acquirer", r"收购方|并购方|买方|被收购|出售"),
    ("customer", r"客户|买家|采购方|销售渠道|应用场景方"),
    ("supplier", r"供应商|供货|采购|方案|提供商|服务商|厂商|厂家"),
    ("partner", r"合作伙伴|合作|联合|伙伴|共建"),
)
# 长三角 and the like: a soft preference for these regions, not a filter
AREAS: dict[str, tuple[str, ...]] = {
    "长三角": ("上海", "江苏", "浙江", "安徽"),
    "珠三角": ("广东", "广州", "深圳", "东莞", "佛山"),
    "京津冀": ("北京", "天津", "河北"),
}
# "X优先" prefers X when X is a region; "质量优先", "国产优先" stay words of the demand
_PREFERRED = re.compile(r"([^，,。；;、\s]+?)(?:本地|地区|企业)?优先")
_EXCLUDE = re.compile(r"(?:排除|不含|不要|剔除)([^，,。；;\s]+?)的?(?:竞争对手|竞品|竞争者)")


@dataclass(slots=True)
class Demand:
    text: str
    role: str | None  # a key of ROLES
    terms: list[str]
    prefer_regions: list[str] = field(default_factory=list)
    exclude_competitors_of: list[str] = field(default_factory=list)


class DemandError(ValueError):
    pass


# Words of a demand that name nothing to look for: English function words and the words
# of markup or code pasted into the box (<script>, ' OR 1=1 --)
_NOT_SUBJECT = frozenset("""
    a an the and or not of to in on for is are be by with from as at select insert update
    delete drop union where null true false script alert javascript onload onerror img src
    href http https www html div span style iframe
    """.split())
_MARKUP = re.compile(r"<[^<>]{0,200}>")


def meaningful(term: str) -> bool:
    """Whether a search term can name something to match: a Chinese word, or a Latin or
    alphanumeric word of two or more characters that is not a function or markup word
    (digits alone name nothing)."""
    if any("\u4e00" <= c <= "\u9fff" for c in term):
        return term not in STOPWORDS
    return len(term) >= 2 and not term.isdigit() and term.lower() not in _NOT_SUBJECT


def check_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise DemandError(_("需求为空；请写明要找什么，例如：寻找人形机器人谐波减速器供应商"))
    if len(text) > MAX_QUERY_CHARS:
        raise DemandError(_("需求有 {count} 个字，上限为 {limit} 字").format(
            count=len(text), limit=MAX_QUERY_CHARS))
    return text


def parse_role(label: str) -> str:
    """A role by key or Chinese label (supplier / 供应商 …); lists the valid ones."""
    wanted = label.strip().lower()
    for key, chinese in ROLE_LABELS.items():
        if wanted in (key, chinese):
            return key
    valid = ", ".join(f"{k}({v})" for k, v in ROLE_LABELS.items())
    raise DemandError(_("未知角色 {label!r}；可选：{valid}").format(label=label, valid=valid))


def search_terms(demand: Demand, industry: str | None = None) -> list[str]:
    """The words to search for; a demand that only names a role ("寻找合作伙伴") is about
    its industry filter, else about whatever words it has."""
    return demand.terms or content_words(industry or "") or list(content_words(demand.text))


def _role_in(text: str) -> str | None:
    """The role a demand names: the role word ending last, as the head of a Chinese noun
    phrase comes last (寻找融资租赁供应商 seeks a supplier of 融资租赁, not an investor);
    合作/联合 are as often verbs, so partner only when no other role is named."""
    found = [(m.end(), key) for key, pattern in _ROLE_WORDS
             for m in re.finditer(pattern, text)]
    named = [f for f in found if f[1] != "partner"] or found
    return max(named)[1] if named else None


def parse(text: str, role: str | None = None) -> Demand:
    text = check_text(text)
    found_role = role or _role_in(text)
    excluded = [m.group(1) for m in _EXCLUDE.finditer(text)]
    body = _MARKUP.sub(" ", _EXCLUDE.sub(" ", text))
    prefer: list[str] = []
    for area, regions in AREAS.items():
        if area in body:
            prefer.extend(regions)
            body = body.replace(area, " ")
    for match in reversed(list(_PREFERRED.finditer(body))):  # "上海优先", "浦东新区本地优先"
        before = match.group(1)
        region = next((before[-size:] for size in range(min(len(before), 8), 1, -1)
                       if canonical_region(before[-size:]) is not None), None)
        if region is not None:
            prefer.append(region)
            body = body[:match.end(1) - len(region)] + " " + body[match.end():]
    # only the sought role's words go: another role's word is part of the subject
    # (融资 in 融资租赁, 采购 in 采购管理系统)
    patterns = dict(_ROLE_WORDS)
    if found_role in patterns:
        body = re.sub(patterns[found_role], " ", body)
    return Demand(text=text, role=found_role, terms=content_words(body),
                  prefer_regions=prefer, exclude_competitors_of=excluded)
