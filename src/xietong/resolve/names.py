"""Normalising and parsing Chinese organisation names.

A registered name reads 区划 + 字号 + 行业 + 组织形式 (GB enterprise-name rules),
optionally followed by a branch (分公司), with the region sometimes as an infix:
上海 | 阶跃星辰 | 智能科技 | 有限公司, 复瑞 | 医疗科技 | (上海) | 有限公司.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from xietong.resolve.regions import Region, region_index

# Longest first matters: each list is tried in order at the end of the name.
ORG_FORMS: tuple[str, ...] = (
    "合伙企业(有限合伙)", "合伙企业(普通合伙)", "(有限合伙)", "(普通合伙)", "有限合伙", "普通合伙",
    "股份有限公司", "有限责任公司", "股份公司", "有限公司", "责任公司", "公司", "(集团)", "集团",
    "股份",
    "控股", "合伙企业", "研究院", "研究所", "研究中心", "实验室", "创新中心", "大学", "学院",
    "医院", "银行", "基金会", "协会", "联盟", "事务所", "工作室", "合作社", "厂", "中心",
)
_FORM_FAMILY = {
    "有限合伙": "partnership", "普通合伙": "partnership", "合伙企业": "partnership",
    "研究院": "institute", "研究所": "institute", "研究中心": "institute", "实验室": "institute",
    "创新中心": "institute", "大学": "university", "学院": "university", "医院": "hospital",
    "基金会": "association", "协会": "association", "联盟": "association",
}
BRANCH_SUFFIXES: tuple[str, ...] = (
    "分公司", "子公司", "分厂", "分行", "支行", "分院", "分所", "分中心", "办事处", "营业部",
    "分店", "代表处",
)
# Industry words (行业表述) seen in registered names; peeled off the end of the core.
INDUSTRY_WORDS: tuple[str, ...] = tuple(sorted({
    "智能科技", "信息技术", "信息科技", "网络科技", "电子科技", "数字科技", "生物科技", "医药科技",
    "医疗科技", "新材料科技", "材料科技", "能源科技", "环保科技", "汽车科技", "机器人科技",
    "人工智能", "机器人", "智能", "生物医药", "生物技术", "生物", "医药", "药业", "制药", "医疗器械",
    "医疗", "健康", "科技", "技术", "高新技术", "高科技", "高新", "信息", "网络", "软件", "数据",
    "云计算", "互联网", "通信", "通讯", "电子", "微电子", "光电", "半导体", "集成电路", "芯片",
    "电气", "电力", "电器", "电机", "电池", "储能", "新能源", "能源", "光伏", "照明", "新材料",
    "材料", "化工", "化学", "石化", "钢铁", "金属", "有色", "矿业", "精密", "机械", "设备", "装备",
    "重工", "制造", "工业", "实业", "汽车", "汽车零部件", "航空", "航天", "船舶", "物流", "供应链",
    "贸易", "商贸", "国际贸易", "投资", "投资管理", "资产管理", "创业投资", "股权投资",
    "基金管理", "私募基金", "资本", "金融", "证券", "保险", "信托", "期货", "建设", "建筑",
    "工程", "建材", "置业", "地产", "房地产", "文化", "传媒", "文化传媒", "影视", "娱乐", "游戏",
    "教育", "咨询", "管理", "服务", "管理咨询", "食品", "农业", "农牧", "酒业", "乳业", "纺织",
    "服饰", "家居", "环保", "环境", "水务", "燃气", "交通", "旅游", "酒店", "餐饮", "零售",
    "商业", "百货", "物业", "安防", "检测", "仪器", "仪表", "自动化", "激光", "光学", "显示",
    "数码", "智造", "创新", "发展", "国际", "动力", "汽车服务", "新能源汽车", "数字技术",
    "智慧", "系统", "软件技术", "微系统", "控制", "设计",
}, key=lambda w: (-len(w), w)))

_INDUSTRY_SET = frozenset(INDUSTRY_WORDS)
# Heads of national names (中国航天科技集团, 国家电力投资集团): no trade name by themselves.
NATIONAL_HEADS = frozenset({"中国", "中华", "国家", "全国"})
_BRACKETS = str.maketrans({"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")",
                           "{": "(", "}": ")", "<": "(", ">": ")", "《": "(", "》": ")"})
_DROP = re.compile(r"[^\w()]+|_")  # spaces and punctuation except parentheses
_LATIN = re.compile(r"[a-z0-9][a-z0-9&.\- ]*[a-z0-9]|[a-z]")
_PAREN = re.compile(r"\(([^()]*)\)")


def normalize(text: str) -> str:
    """Full width to half width (NFKC), Latin case-folded, brackets unified to (), no spaces or
    punctuation other than the brackets."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_BRACKETS)
    return _DROP.sub("", text)


def compact(text: str) -> str:
    """``normalize`` without the brackets: the form used to compare whole names."""
    return normalize(text).replace("(", "").replace(")", "")


@dataclass(frozen=True, slots=True)
class OrgName:
    raw: str
    normalized: str  # compact(raw)
    region: Region | None  # from a prefix, an infix or the branch
    region_infix: bool  # the region came from 字号(上海)-style brackets: often a subsidiary
    trade: str  # 字号
    industry: tuple[str, ...]  # 行业 words in name order
    stem: str  # the compact name without form and branch, region kept as written
    form: str | None  # 组织形式 as written, e.g. 集团股份有限公司
    branch: str | None  # e.g. 上海分公司
    latin: str | None  # Latin part, lower-case, e.g. "agibot"

    @property
    def core(self) -> str:
        """字号 + 行业: the name without region, form and branch."""
        return self.trade + "".join(self.industry)

    @property
    def form_family(self) -> str | None:
        return form_family(self.form)


@lru_cache(maxsize=4096)
def form_family(form: str | None) -> str | None:
    """Forms that can name the same organisation share a family (有限公司 ~ 股份有限公司 ~ 集团)."""
    if not form:
        return None
    for word, family in _FORM_FAMILY.items():
        if word in form:
            return family
    return "company"


@lru_cache(maxsize=8)
def _suffix_table(words: tuple[str, ...]) -> tuple[dict[str, int], tuple[int, ...]]:
    """Each word's place in ``words`` (the first wins) and the words' lengths, ascending."""
    rank: dict[str, int] = {}
    for i, word in enumerate(words):
        rank.setdefault(word, i)
    return rank, tuple(sorted({len(w) for w in words}))


def _strip_suffix(text: str, words: tuple[str, ...]) -> tuple[str, str]:
    """Peel every trailing word of ``words`` off ``text``; returns (rest, peeled). Each
    round peels the first word of ``words`` that ends ``text`` (found by looking up the
    text's endings, which is cheaper than trying every word)."""
    rank, lengths = _suffix_table(words)
    peeled = ""
    while True:
        best, cut = len(words), 0
        n = len(text)
        for size in lengths:
            if size >= n:
                break
            found = rank.get(text[-size:])
            if found is not None and found < best:
                best, cut = found, size
        if not cut:
            return text, peeled
        text, peeled = text[:-cut], text[-cut:] + peeled


def _split_branch(name: str) -> tuple[str, str | None]:
    for suffix in BRANCH_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            head = name[: -len(suffix)]
            # the branch starts after the parent's form word: X有限公司|上海分公司
            cut = max((head.rfind(w) + len(w) for w in ("公司", "集团", "厂", "银行", ")")
                       if head.rfind(w) > 0), default=-1)
            if 0 < cut < len(head):
                return head[:cut], head[cut:] + suffix
            return head, suffix
    return name, None


def _region_prefix(text: str) -> tuple[Region | None, str]:
    """Strip province/city/district names from the start, keeping at least two characters."""
    index = region_index()
    region: Region | None = None
    while True:
        found = index.prefix(text, after=region)
        if found is None or len(text) - found[1] < 2:
            return region, text
        region, text = found[0], text[found[1]:]


@lru_cache(maxsize=65536)
def parse_org_name(name: str) -> OrgName:
    """Split a Chinese organisation name into region, trade name, industry, form and branch.

    Names without a legal form (阶跃星辰, 智元机器人) parse too: the trade name is what is
    left after the region and the industry words.
    """
    text = normalize(name)
    normalized = text.replace("(", "").replace(")", "")  # compact(name)
    latin_match = _LATIN.findall(text)
    latin = " ".join(latin_match) if latin_match else None
    text, branch = _split_branch(text)
    text, form = _strip_suffix(text, ORG_FORMS)

    region: Region | None = None
    infix = False
    index = region_index()

    def bracket(m: re.Match[str]) -> str:
        nonlocal region, infix, form
        inner = m.group(1)
        found = index.lookup(inner)
        if found is not None:
            region, infix = found, True
            return ""
        if inner in ("集团", "控股", "有限合伙", "普通合伙"):
            form = inner + (form or "")
            return ""
        return inner

    text = _PAREN.sub(bracket, text).replace("(", "").replace(")", "")
    stem = text
    prefix_region, rest_after_region = _region_prefix(text)
    if rest_after_region not in _INDUSTRY_SET:  # 朝阳科技: 朝阳 is the trade name here
        text = rest_after_region
    else:
        prefix_region = None
    if prefix_region is not None and (region is None or prefix_region.code.startswith(region.code)):
        region, infix = prefix_region, False
    rest, industry = _strip_industry(text)
    if rest in NATIONAL_HEADS and industry and form:
        # 中国 + 航天 + 科技集团有限公司: 中国 is no 字号 on its own (it would make 中国航天科技
        # and 中国交通信息科技 one trade name); the first industry word completes it. Short
        # names keep 中国 alone (中国电子 could be any 中国…电子), as measured on the labelled set
        rest, industry = rest + industry[0], industry[1:]
    if branch and region is None:
        found = index.prefix(branch)
        region = found[0] if found else None
    return OrgName(
        raw=name,
        normalized=normalized,
        region=region,
        region_infix=infix,
        trade=rest,
        industry=industry,
        stem=stem,
        form=form or None,
        branch=branch,
        latin=latin,
    )


_INDUSTRY_LENGTHS = sorted({len(w) for w in INDUSTRY_WORDS}, reverse=True)


def _strip_industry(text: str) -> tuple[str, tuple[str, ...]]:
    """Peel industry words off the end, longest first, keeping a 字号 of two characters."""
    words: list[str] = []
    while True:
        for size in _INDUSTRY_LENGTHS:
            if len(text) - size >= 2 and text[-size:] in _INDUSTRY_SET:
                words.insert(0, text[-size:])
                text = text[:-size]
                break
        else:
            return text, tuple(words)


# Words that name a utility or a kind of body, not a firm: 天然气公司, 电力设计院.
_GENERIC_WORDS = frozenset({"天然气", "自来水", "供水", "供电", "电网", "公交", "港务", "机场",
                            "热力", "设计", "勘察", "规划"})
_INSTITUTION_CHARS = "院所局站队处厂社"


@lru_cache(maxsize=16384)
def generic_trade(trade: str) -> bool:
    """A 字号 made only of industry or utility words (电力设计院, 天然气, 电网): such a name
    says what a body does and where, not which one it is."""
    text = trade.rstrip(_INSTITUTION_CHARS)
    while text:
        for size in _INDUSTRY_LENGTHS:
            if size <= len(text) and (text[-size:] in _INDUSTRY_SET
                                      or text[-size:] in _GENERIC_WORDS):
                text = text[:-size]
                break
        else:
            return False
    return bool(trade)


@lru_cache(maxsize=65536)
def pinyin(text: str) -> str:
    """Pinyin of a phrase, polyphones read in context (重庆 -> chongqing)."""
    from pypinyin import lazy_pinyin  # its dictionaries take 0.25 s to load: on first use

    return "".join(lazy_pinyin(text))


_CHAR_PINYIN: dict[str, str] = {}


def char_pinyin(text: str) -> str:
    """Pinyin read character by character, each character's reading cached: about 20 times
    cheaper than ``pinyin`` on new text, and consistent on both sides of a comparison, which
    is all blocking and similarity need."""
    try:  # the common case, every character seen before: no Python-level loop body
        return "".join([_CHAR_PINYIN[ch] for ch in text])
    except KeyError:
        pass
    from pypinyin import lazy_pinyin

    out = []
    for ch in text:
        syllable = _CHAR_PINYIN.get(ch)
        if syllable is None:
            syllable = _CHAR_PINYIN[ch] = lazy_pinyin(ch)[0] if ch >= "\u3400" else ch
        out.append(syllable)
    return "".join(out)


def _has_han(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def name_keys(name: str) -> set[str]:
    """Blocking keys: the compact name, the trade name, its pinyin and the Latin name.

    Keys carry a prefix (n:, t:, p:, l:) so a trade name never collides with a full name.
    """
    return keys_of(parse_org_name(name))


def keys_of(parsed: OrgName, trade_pinyin: str | None = None) -> set[str]:
    """``name_keys`` of a parsed name; ``trade_pinyin`` (char_pinyin of the 字号) if known."""
    keys = {"n:" + parsed.normalized} if parsed.normalized else set()
    if len(parsed.trade) >= 2:
        keys.add("t:" + parsed.trade)
        if _has_han(parsed.trade):
            keys.add("p:" + (trade_pinyin if trade_pinyin is not None
                             else char_pinyin(parsed.trade)))
    if parsed.latin and len(parsed.latin) >= 3:
        keys.add("l:" + parsed.latin.replace(" ", ""))
    return keys
