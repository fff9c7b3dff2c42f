"""Relations between the mentions of one sentence, found by trigger words and word order.

Each rule names the trigger it fired on, so a reviewer sees why; confidences are the
rule's measured precision band (see docs/decisions/extraction.md), not probabilities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from xietong.extract.entities import Mention

ORG = ("enterprise", "investor", "institute", "government", "park")
COMPANY = ("enterprise", "investor")


@dataclass(frozen=True, slots=True)
class Relation:
    subject: Mention
    predicate: str  # registry relation key
    object: Mention
    trigger: str
    start: int  # sentence span covering both mentions
    end: int
    confidence: float


@dataclass(frozen=True, slots=True)
class _Rule:
    predicate: str
    triggers: re.Pattern[str]
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    passive: re.Pattern[str] | None  # "被收购", "获…投资": the object comes first
    confidence: float
    symmetric: bool = False


def _words(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(sorted(words, key=len, reverse=True)))


RULES = (
    _Rule("acquires", _words("收购", "并购", "购入", "买下", "吸收合并"), ORG, COMPANY,
          _words("被收购", "被并购", "被购入"), 0.75),
    _Rule("controls", _words("控股", "持股", "持有", "旗下", "全资子公司", "控股子公司", "子公司",
                             "实际控制", "控制"), COMPANY + ("government",), COMPANY,
          _words("被持股", "控股股东", "母公司", "大股东", "第一大股东"), 0.7),
    _Rule("invests", _words("投资", "领投", "跟投", "参投", "注资", "入股", "增资", "战略投资",
                            "增持"), ("investor", "enterprise", "government"), COMPANY,
          _words("获得", "获", "完成", "融资", "被注资", "被入股"), 0.7),
    _Rule("joint_venture", _words("合资", "共同出资", "联合出资", "合资成立", "合资公司", "联合成立",
                                  "共同成立", "共同组建", "联合组建"),
          COMPANY, COMPANY, None, 0.75, symmetric=True),
    _Rule("supplies", _words("供应", "供货", "供给", "提供", "交付", "订单", "中标", "配套"),
          ("enterprise",), ("enterprise",), _words("采购", "购买"), 0.6),
    _Rule("cooperates", _words("战略合作", "合作", "携手", "签约", "签署", "联手", "共建", "联合"),
          ORG, ORG, None, 0.7, symmetric=True),
    _Rule("competes", _words("竞争", "竞争对手", "对手", "抗衡", "争夺", "叫板", "领先优势", "赶超",
                             "紧随其后", "角逐"), COMPANY, COMPANY, None, 0.6,
          symmetric=True),
    _Rule("leads", _words("牵头", "领衔", "主导"), ORG, ORG + ("event",), None, 0.7),
    _Rule("located_in_park", _words("入驻", "落户", "进驻", "落地", "位于", "坐落", "扎根", "岛上的"),
          ("enterprise", "investor", "institute"), ("park",), None, 0.7),
)
# Relations FinRE labels: the classifier decides them, rules only the rest.
_LEARNED = frozenset(("acquires", "controls", "invests", "joint_venture", "supplies", "cooperates",
                      "competes"))
_PRODUCT_TRIGGER = _words("发布", "推出", "上线", "亮相", "首发", "开源", "研发出")
_CLAUSE_END = re.compile(r"[，。；,;！？!?]")
_PRODUCT = re.compile(r"“([^”]{2,20})”|《([^》]{2,20})》|([A-Za-z][A-Za-z0-9.\-]{1,20}(?:\s?[0-9A-Za-z.\-]+)?)")


def _between(sentence: str, a: Mention, b: Mention) -> str:
    first, second = (a, b) if a.start < b.start else (b, a)
    return sentence[first.end:second.start]


def classify(sentence: str, first: Mention, second: Mention) -> Relation | None:
    """The relation between two mentions (``first`` before ``second``), or None: the
    classifier trained on FinRE for the relations FinRE labels (its probability is the
    confidence), the trigger rules for the others (parks, 牵头)."""
    from xietong.extract import relation_model

    label, probability, why = relation_model.shipped().predict(
        relation_model.Pair(sentence, (first.start, first.end), (second.start, second.end)))
    if label != relation_model.NONE:
        predicate = label.rstrip("<")
        subject, obj = (second, first) if label.endswith("<") else (first, second)
        rule = next(r for r in RULES if r.predicate == predicate)
        if subject.kind in rule.subjects and obj.kind in rule.objects and subject.text != obj.text:
            return Relation(subject, predicate, obj, why, first.start, second.end,
                            round(probability, 3))
    return rule_classify(sentence, first, second, skip=_LEARNED)


def rule_classify(sentence: str, first: Mention, second: Mention,
                  skip: frozenset[str] = frozenset()) -> Relation | None:
    """The relation the trigger rules give two mentions (``first`` before ``second``).

    Triggers between the two mentions count most; a trigger right after the second
    ("A与B合作", "A对B进行收购") counts too.
    """
    gap = _between(sentence, first, second)
    tail = sentence[second.end:second.end + 12]
    if len(gap) > 40:
        return None
    # "A与B合作", "A、B竞争": a conjunction between them lets a trigger after B count.
    linked = bool(re.match(r"(?:与|和|同|及|、|跟|对|向|将|就)", gap.strip())) or len(gap.strip()) <= 1
    for rule in RULES:
        if rule.predicate in skip:
            continue
        hit = rule.triggers.search(gap) or (rule.triggers.search(tail) if linked else None)
        if hit is None:
            continue
        subject, obj = first, second
        if (rule.passive is not None and rule.passive.search(gap)) \
                or (not rule.symmetric and gap.strip().startswith(("被", "由"))):  # "A被B收购"
            subject, obj = second, first
        if rule.predicate == "located_in_park" and first.kind == "park":
            subject, obj = second, first
        if subject.kind not in rule.subjects or obj.kind not in rule.objects:
            continue
        if subject.text == obj.text:
            continue
        return Relation(subject, rule.predicate, obj, hit.group(0), first.start, second.end,
                        rule.confidence)
    return None


def relations(sentence: str, found: list[Mention], referred_park: Mention | None = None
              ) -> list[Relation]:
    """Relations among a sentence's organisation mentions, and products they launch
    (works_for comes from the people themselves, in the pipeline). ``referred_park`` is the
    park a word of this sentence points back to ("园区吸引了…入驻"), placed over that word."""
    orgs = [m for m in found if m.kind in ORG]
    owners = {i for i in range(len(orgs) - 1) if _owns_next(sentence, orgs[i], orgs[i + 1])}
    out: list[Relation] = []
    for i, first in enumerate(orgs):
        # near neighbours only: long lists are enumerations
        for j in range(i + 1, min(i + 4, len(orgs))):
            second = orgs[j]
            if (i in owners and j > i + 1) or _each_apart(sentence, orgs[i:j + 1]) \
                    or (_PARALLEL_PARTNER.search(sentence, first.end, second.start)
                        and _PARALLEL_PARTNER.search(sentence, max(0, first.start - 3),
                                                     first.start)) \
                    or _FOUNDED.search(sentence, max(first.end, second.start - 10), second.start) \
                    or _partner_of_someone_else(sentence, first, second):
                continue
            relation = classify(sentence, first, second)
            if relation is not None and not _co_investor(sentence, relation):
                out.append(relation)
    out.extend(_list_into_park(sentence, orgs, out, referred_park))
    out.extend(_launches(sentence, orgs))
    out.extend(_issues_policy(sentence, found))
    return out


# "…；与A开展战略合作…；与B联手": each clause names one partner of the same subject, so A
# and B are no partners of each other
_PARALLEL_PARTNER = re.compile(r"[;；]\s*(?:与|和|同|跟)")
# "与A联手，为企业制定方案，使其在B发展": A ends a 与-phrase, whose partner is the one
# before 与; B, in a later clause, is neither's partner through it
_WITH = re.compile(r"(?:与|和|同|跟)$")
_CLAUSE_BREAK = re.compile(r"[，,；;。！？]")
# between two names of one 、-list, unnamed items included
_IN_LIST = re.compile(r"\s*、\s*|[^，。；,;：:与和同跟]{0,20}、[^，。；,;：:与和同跟]{0,20}")


def _partner_of_someone_else(sentence: str, first: Mention, second: Mention) -> bool:
    """``first`` is the partner of a 与-phrase: a name in a later clause is not its partner,
    nor is the next name of its list ("与A、B签订战略合作协议": both are the subject's)."""
    return bool(_WITH.search(sentence, max(0, first.start - 1), first.start)
                and (_CLAUSE_BREAK.search(sentence, first.end, second.start)
                     or _IN_LIST.fullmatch(sentence, first.end, second.start)))


# "A与B合作创建C", "…合作创建上电—临港人工智能学院": C is what they set up, not a partner
# (the name may begin a few characters before the mention the tagger found)
_FOUNDED = re.compile(r"(?:创建|创办|成立|设立|组建|共建|建立)了?[^，。；,;、]{0,6}$")


# "联影集团旗下子公司联影微电子与天猫健康…", "隶属于苏河湾集团的孵化器管理公司，与…": the
# first names whose unit the second is; what follows is the unit's doing, not the owner's
_UNIT_GAP = re.compile(r"(?:旗下|下属)的?(?:全资|控股)?(?:子公司|企业|公司|机构)?"
                       r"|的(?:全资|控股)?子公司")
_BELONGS = ("隶属于", "隶属", "归属于", "旗下")


def _owns_next(sentence: str, owner: Mention, unit: Mention) -> bool:
    gap = sentence[owner.end:unit.start].strip()
    return bool(_UNIT_GAP.fullmatch(gap)) or (
        gap == "的" and sentence[:owner.start].rstrip().endswith(_BELONGS))


# "联影微电子与天猫健康、京东健康分别签署…", "A、B分别与C合作": listed side by side, each
# relates to the third, not to the other
_RESPECTIVELY = re.compile(r"(?:、[^，。；,;！？、]{1,25})*?[^，。；,;！？]{0,6}?分别")


def _each_apart(sentence: str, listed: list[Mention]) -> bool:
    """Whether ``listed`` (in text order) are items of one 、-list that 分别 follows."""
    return all(sentence[a.end:b.start].strip() == "、" for a, b in pairwise(listed)) and bool(
        _RESPECTIVELY.match(sentence, listed[-1].end))


# "由红杉中国领投，腾讯投资跟投", "高瓴资本领投，红杉中国、腾讯投资跟投": whoever leads or
# follows a round invests in it; the target is the company raising it, never an investor
# named (alone or in a list) before 领投/跟投.
_ROUND_ROLE = re.compile(r"(?:[、和及与][^，。；,;、]{1,12}?)*[)）”]?(?:联合|共同)?(?:领投|跟投|参投)")


def _co_investor(sentence: str, relation: Relation) -> bool:
    return relation.predicate == "invests" and bool(
        _ROUND_ROLE.match(sentence, relation.object.end))


def _list_into_park(sentence: str, orgs: list[Mention], seen: list[Relation],
                    referred_park: Mention | None = None) -> list[Relation]:
    """"模力社区首批入驻企业极豆科技", "园区吸引了A、B、C等名企入驻": one park, many tenants
    (the park named, or the one 园区 points back to)."""
    parks = [m for m in orgs if m.kind == "park"] or ([referred_park] if referred_park else [])
    trigger = re.search("入驻|落户|进驻", sentence)
    if len(parks) != 1 or trigger is None:
        return []
    park = parks[0]
    done = {(r.subject.text, r.object.text) for r in seen}
    return [Relation(m, "located_in_park", park, trigger.group(0), min(m.start, park.start),
                     max(m.end, park.end), 0.6)
            for m in orgs if m.kind in ("enterprise", "investor", "institute")
            and (m.text, park.text) not in done]


# Titles of documents, not products: reports ("…发展报告2024", "…白皮书") and policies
# ("…若干措施", "…行动方案（2024—2027年）", "…办法（试行）")
_EDITION = re.compile(r"(?:[（(](?:[^）)]{4,14}|试行|暂行|修订)[）)]|\d{4}(?:[—–-]\d{4})?年?度?)$")
_REPORT = re.compile(r"(?:报告|白皮书|蓝皮书|指数|榜单|名单|年鉴|公报|目录)$")
_POLICY = re.compile(r"(?:意见|办法|方案|规划|措施|政策|通知|条例|细则|计划|纲要|规定|指引|行动)$")
_TITLE = re.compile(r"《([^》]{2,40})》")
_POLICY_TRIGGER = _words("发布", "出台", "印发", "制定", "原则通过", "推出", "颁布")
_ISSUERS = ("government", "park", "region")
_ADVISED = re.compile(r"建议|应当|应该|呼吁|有望|拟")


def _document(title: str) -> str | None:
    """"policy" or "report" for a document's title (its years or edition aside), else None."""
    bare = _EDITION.sub("", title)
    return "policy" if _POLICY.search(bare) else "report" if _REPORT.search(bare) else None


def _actor_before(mentions: list[Mention], kinds: tuple[str, ...],
                  trigger: re.Match[str]) -> Mention | None:
    """The last mention of ``kinds`` before a trigger verb, within 20 characters of it."""
    actor = next((m for m in reversed(mentions) if m.end <= trigger.start() and m.kind in kinds),
                  None)
    return actor if actor is not None and trigger.start() - actor.end <= 20 else None


def _issues_policy(sentence: str, found: list[Mention]) -> list[Relation]:
    """"北京率先出台《北京市促进数字人产业创新发展行动计划（2022—2025年）》": a government, park
    or region issues a policy named in 《》 in the trigger's clause, within 20 characters of
    the issuer."""
    out = []
    for trigger in _POLICY_TRIGGER.finditer(sentence):
        issuer = _actor_before(found, _ISSUERS, trigger)
        policy = _TITLE.match(sentence, trigger.end())
        if issuer is None or policy is None or _document(policy.group(1)) != "policy" \
                or _CLAUSE_END.search(sentence, issuer.end, trigger.start()) \
                or _ADVISED.search(sentence, max(0, issuer.start - 4), trigger.start()):
            continue  # "建议浙江省制定《…行动计划》" advises; nothing is issued yet
        mention = Mention(policy.start(1), policy.end(1), policy.group(1), "policy", 0.6,
                          "pattern")
        out.append(Relation(issuer, "issued_policy", mention, trigger.group(0), issuer.start,
                            policy.end(), 0.6))
    return out


def _launches(sentence: str, orgs: list[Mention]) -> list[Relation]:
    out = []
    for trigger in _PRODUCT_TRIGGER.finditer(sentence):
        owner = _actor_before(orgs, ("enterprise", "institute", "investor"), trigger)
        product = _PRODUCT.search(sentence, trigger.end(), trigger.end() + 25)
        if owner is None or product is None:
            continue
        name = next(g for g in product.groups() if g)
        a = product.start() + (1 if product.group(0)[0] in "“《" else 0)
        # the launch's object is in the verb's clause, and names no organisation or park
        # ("联合发布人才政策，成立“大零号湾”人才服务联盟": 大零号湾 is a park)
        if _CLAUSE_END.search(sentence, trigger.end(), a) or any(
                m.start < a + len(name) and a < m.end for m in orgs) or _document(name):
            continue  # a report or a policy is no product (policies: _issues_policy)
        mention = Mention(a, a + len(name), name, "product", 0.6, "pattern")
        out.append(Relation(owner, "launches", mention, trigger.group(0), owner.start,
                            product.end(), 0.6))
    return out
