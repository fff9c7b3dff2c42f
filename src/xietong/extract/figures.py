"""Figures in a sentence: number + unit + what is counted + the date it holds at.

"2024 年产业规模达 1637 亿元", "集聚具身智能产业链相关企业超 70 家", "28 个大模型已完成备案".
cn2an converts Chinese and mixed numerals ("三十", "1.5万"); it rejects qualifiers and
units, so those are cut off by the pattern first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

from xietong.extract import lac

_NUM = r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[零一二两三四五六七八九十百千]+)[万亿]??"
UNITS = ("万平方米", "平方公里", "平方米", "亿美元", "万亿元", "亿元", "万元", "美元", "元", "亩",
         "家", "个", "名", "人", "项", "款", "场", "支", "台", "套", "位", "座", "所", "件",
         "%", "％", "倍", "PFlops", "P")
_QUALIFIER = r"(?:超过|超|约|近|逾|达到|高达|达|共|累计|总计|合计|突破|多达|将近|不少于)?"
FIGURE = re.compile(
    rf"(?P<qual>{_QUALIFIER})(?P<num>{_NUM})(?P<more>多|余)?(?P<unit>{'|'.join(map(re.escape, UNITS))})"
    rf"(?P<more2>多|余|左右|以上)?")
# What is counted: the noun phrase right after the unit, up to a verb or punctuation.
_COUNTED = re.compile(r"[\u4e00-\u9fffA-Za-z0-9“”]{1,14}?(?=[，。、；：,;:！？（）()\s]|已|的|在|从|"
                      r"为|是|和|与|以及|及|等|落地|入驻|加入|纳入|进入|完成|实现|集聚(?!区)|共同|促成|围绕|聚焦|能够|"
                      r"可以|将会|推出|推动|打造|形成|，|$)")
_MEASURE = re.compile(r"(规模|营收|营业收入|产值|收入|总额|总量|投资|面积|融资|基金|估值|市值|"
                      r"总部|算力|增加值|销售额|交易额|出口额|进出口额|税收|利润|产量|销量)"
                      r"[\u4e00-\u9fff]{0,2}$")
_SECTOR_MEASURES = frozenset(("增加值", "总额", "销售额", "交易额", "出口额", "进出口额", "税收", "利润",
                              "产量", "销量"))
_SECTOR_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,8}?)(?:实现|完成|的)?$")
# A policy's cap, threshold or grant, not a statistic: "给予最高200万元补贴", "不超过50%",
# "给予300万元奖励", "并配套10亿元"; after the unit, "价值800美元以下"
_POLICY_AMOUNT = re.compile(r"(?:最高|最多|最低|不超过|不高于|不低于|上限|给予|配套|奖励|资助|补助|"
                            r"补贴)\s*$")
_BELOW = re.compile(r"以下|以内")
# "人均GDP为160694元，按当前汇率计算约在2.2万美元": the figure before, restated in other units
_RESTATED = re.compile(r"(?:折合|约合|相当于|按[^，。；,;]{0,10}?(?:计算|折算))[约在为达近合]*\s*$")
# "以1.5万亿元保障目标为导向": the amount frames a goal, it measures nothing yet
_FRAMED = re.compile(r"以\s*$")
_FRAMED_END = re.compile(r"[^，。；,;]{0,12}?为(?:导向|目标|核心|重点|抓手|牵引)")
# "上海2024年开发工业软件超1.6万款": verbs that end a thing counted before the number
_MAKING = re.compile(r"开发|构建|实现|完成|建成|推出")
# an aside in brackets: "上交所绿色债券（含ABS）发行"
_ASIDE = re.compile(r"[（(][^（）()，。；,;]{1,20}[）)]")
# words that open a clause without naming anything: "例如2024年上交所…"
_LEADING = re.compile(r"^(?:例如|比如|譬如|此外|另外|同时|目前|当前|其次|首先|再次|最后)")
# "…超1.6万款，…其中35款入选": a part of what was counted before, which 其中 does not name
# (其他, 其它 begin a counted thing of their own: "其他企业")
_PART_OF = re.compile(r"^(?:其中|其余)")
# "南京以8600亿元产业规模成为…": an amount followed by its measure
_MEASURE_AFTER = re.compile(r"(?:产业)?(?:规模|产值|营收|营业收入|总产值)")
# "设立10亿元工业软件专项基金": the amount of the fund set up, named right after it
_SET_UP = re.compile(r"(?:设立|成立|发起|组建|设置)\s*$")
_QUOTED = re.compile(r"“[^“”]{1,14}”")  # "等10家“群星企业”": the quoted name of the group
# who certified, listed or ranked them ("经上海市经信委认定的大数据企业"): neither the
# counted things' subject nor part of what is counted
CERTIFIED_BY = re.compile(r"(?:认定|评定|认证|评为|评选|批准|公布|发布)的")
_CERTIFIED = re.compile(rf"^.*{CERTIFIED_BY.pattern}")
# An amount that describes the noun after it: "设立规模10亿元的具身智能产业基金", "总投资50亿元
# 的项目". The figure is that thing's (usually unnamed), not the subject named before.
_OF_NOUN = re.compile(r"的([\u4e00-\u9fffA-Za-z0-9]{1,12}?(?:基金|项目|基地|集群|中心|工程|"
                      r"计划))")
_NAMED_NOUN = re.compile(r"([\u4e00-\u9fffA-Za-z0-9]{1,12}?(?:基金|项目|基地|集群|中心|工程|计划))")
# "约1平方公里的土地", "在一块3.31平方公里的土地上": the area of the thing named after it
_OF_THING = re.compile(r"的([\u4e00-\u9fff]{2,6}?)[上中里内]?(?=[，。、；：,;:！？]|$)")
_AREA = ("平方公里", "平方米", "万平方米", "亩")
_MONEY = ("亿元", "万元", "元", "亿美元", "万亿元", "美元")
_MONEY_AND_AREA = _MONEY + ("平方公里", "平方米", "万平方米", "亩")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?:(?P<m>1[0-2]|0?[1-9])月(?:(?P<d>[0-3]?\d)日)?)?"
                   r"(?P<end>底|末|初)?")
# A number directly followed by 年 is a year, not a figure; 月/日 likewise.
_YEARISH = re.compile(r"年|月|日|号|期|届|次|批|岁|小时|分钟|天|周")


@dataclass(frozen=True, slots=True)
class Figure:
    start: int  # span in the sentence
    end: int
    value: float
    unit: str
    counted: str  # what is counted or measured, e.g. "大模型领域企业", "产业规模"
    approximate: bool
    date: str | None  # ISO date (YYYY, YYYY-MM, YYYY-MM-DD) from the same sentence
    of_following: bool = False  # it describes the noun after it (_OF_NOUN), its own subject


def to_number(text: str) -> float | None:
    """A numeral like "1637", "1,200", "三十", "1.5万" as a float; None when not a number."""
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        value = cn2an.cn2an(cleaned, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return float(value)


def sentence_date(sentence: str) -> str | None:
    """The first explicit date of a sentence ("截至 2025 年 4 月" → "2025-04")."""
    match = _DATE.search(sentence)
    return _iso(match) if match else None


def _iso(match: re.Match[str]) -> str:
    year, month, day = match.group("y"), match.group("m"), match.group("d")
    if month and day:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    if month:
        return f"{year}-{int(month):02d}"
    return year


# "较 2023 年增加 20 亿元": the year the change is measured against, not the figure's
_COMPARED = re.compile(r"(?:较|比|相比|同比|对比|与)\s*$")


def _dates(sentence: str) -> list[tuple[int, str]]:
    """Where each date of a sentence ends, and the date; comparison bases left out."""
    return [(m.end(), _iso(m)) for m in _DATE.finditer(sentence)
            if not _COMPARED.search(sentence, 0, m.start())]


def _date_of(dates: list[tuple[int, str]], start: int) -> str | None:
    """A figure's date: the nearest before it ("从 2022 年的 21 条增至 2024 年的 62 条"), else
    the sentence's first ("255 家（截至 2025 年 4 月）")."""
    before = [date for end, date in dates if end <= start]
    return before[-1] if before else (dates[0][1] if dates else None)


def _measure_word(sentence: str, start: int, sector: bool = False) -> str | None:
    """The measure named right before the number ("产业规模达 1637 亿元"), if any; with
    ``sector`` (amounts), a sector's measure keeps its sector ("海洋船舶工业实现增加值216.7
    亿元"), which a share or a growth rate names less cleanly."""
    head = _DATE.sub("", re.sub(rf"{_QUALIFIER}$", "", _head(sentence, start)))
    match = _MEASURE.search(head)
    if match is None:
        return None
    if sector and match.group(1) in _SECTOR_MEASURES:
        named = _SECTOR_BEFORE.search(head, 0, match.start())
        if named is not None:
            # "国家高新区实现规模以上工业增加值": the sector is what follows the verb
            sector_name = re.split(r"实现|完成|达到", named.group(1))[-1]
            if len(sector_name) >= 2:
                return sector_name + match.group(0)
    return match.group(0)


def _head(sentence: str, start: int) -> str:
    # an aside in brackets is not where the clause starts: "上交所绿色债券（含ABS）发行近…"
    before = _ASIDE.sub("", sentence[:start])
    return _LEADING.sub("", re.split(r"[，。、；：,;:（）()“”]", before)[-1])


def _measure_before(sentence: str, start: int, unit: str = "") -> str:
    """For money and area, the measure names itself before the number ("产业规模达 1637 亿元")."""
    measure = _measure_word(sentence, start, sector=unit in _MONEY)
    if measure:
        return measure
    head = _DATE.sub("", re.sub(rf"{_QUALIFIER}$", "", _head(sentence, start)))
    head = _CERTIFIED.sub("", head)  # "经上海市经信委认定的大数据企业170余家"
    # "聚集大模型企业近400家": the counted noun sits between the verb and the number.
    thing = re.split(r"集聚|聚集|吸引|拥有|汇聚|引进|落地|入驻|培育|带动|拉动|撬动|服务|覆盖|有|了|达",
                     head)[-1]
    thing = _PART_OF.sub("", thing)
    # verbs that also begin nouns (开发区, 建成区) end the thing only where a word ends
    ends = {b for _, b, _ in lac.analyse(thing)}
    verbs = [m for m in _MAKING.finditer(thing) if m.end() in ends]
    return _last_words(thing[verbs[-1].end():] if verbs else thing, 14)


def _last_words(text: str, limit: int) -> str:
    """At most ``limit`` characters from the end of ``text``, cut where a LAC word starts
    ("具身智能产业链相关企业", not "身智能产业链相关企业")."""
    if len(text) <= limit:
        return text
    starts = [a for a, _, _ in lac.analyse(text) if len(text) - a <= limit]
    return text[starts[0]:] if starts else text[-limit:]


def _described(sentence: str, counted: re.Match[str]) -> re.Match[str] | None:
    """The thing after 的 when the words before it only describe it: "10家行业一流的机器人头部
    品牌" counts 机器人头部品牌, not 行业一流; "5家企业的营收" still counts 企业."""
    end = counted.end()
    if not sentence.startswith("的", end):
        return None
    last = next((tag for a, b, tag in reversed(lac.analyse(sentence)) if a < end <= b), "n")
    if last not in ("a", "ad", "v", "d"):
        return None
    return _COUNTED.match(sentence, end + 1)


def figures(sentence: str) -> list[Figure]:
    found = []
    dates = _dates(sentence)
    for match in FIGURE.finditer(sentence):
        after = sentence[match.end():]
        if _YEARISH.match(after) or (match.group("unit") in ("个", "名") and _YEARISH.match(after)):
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", match.group("num")) and not match.group("qual"):
            continue  # a year that happens to precede a unit-like word
        value = to_number(match.group("num"))
        if value is None:
            continue
        if value < 10 and not match.group("num")[0].isdigit():
            continue  # 一个核心, 三位一体, 五个强大: counting words, not statistics
        if sentence[max(0, match.start() - 1):match.start()] in ("-", "－", "~", "至", "到"):
            continue  # the upper end of a range ("2000-2500元") alone would misstate it
        if _POLICY_AMOUNT.search(sentence, 0, match.start()) or _BELOW.match(after) \
                or _RESTATED.search(sentence, 0, match.start()) \
                or (_FRAMED.search(sentence, 0, match.start()) and _FRAMED_END.match(after)):
            continue
        unit = match.group("unit").replace("％", "%")
        counted_match = _QUOTED.match(sentence, match.end()) \
            or _COUNTED.match(sentence, match.end())
        counted = counted_match.group(0).strip("“”") if counted_match else ""
        if counted_match and (described := _described(sentence, counted_match)):
            counted_match, counted = described, described.group(0)
        noun = None
        if unit in _MONEY:
            noun = _OF_NOUN.match(after) or (_NAMED_NOUN.match(after) if _SET_UP.search(
                sentence, 0, match.start()) else None)
        if noun is not None:
            counted = noun.group(1)
        elif unit in _MONEY and (measure_after := _MEASURE_AFTER.match(after)):
            counted = measure_after.group(0)
        elif unit in ("家", "个", "名", "人", "项", "款") and not counted_match:
            counted = _measure_before(sentence, match.start())
        elif unit in _AREA and not _measure_word(sentence, match.start()) \
                and (thing := _OF_THING.match(after)):
            counted = thing.group(1)
        elif unit in _MONEY_AND_AREA + ("%", "倍", "PFlops", "P") or not counted:
            counted = _measure_before(sentence, match.start(), unit) or counted
        approximate = bool(match.group("qual") in ("约", "近", "将近")
                           or match.group("more") or match.group("more2")
                           or match.group("qual").startswith("超"))
        counted = re.sub(r"^(?:的|以|为|已|和|及|是|占|约占)+", "", counted)
        counted = re.sub(r"(?:为|达|达到|已达|约为|超过|高达|约|近|是|已)+$", "", counted)
        found.append(Figure(match.start(), match.end(), value, unit, counted, approximate,
                            _date_of(dates, match.start()), noun is not None))
    return found
