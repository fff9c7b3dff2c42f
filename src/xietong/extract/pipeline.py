"""One document from file to extractions: normalise, split, find mentions, figures and
relations, and map every span back to the original file."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from xietong.extract import lac
from xietong.extract import text as textmod
from xietong.extract.entities import (
    ORG_KINDS,
    KnownNames,
    Mention,
    declared_short_names,
    mentions,
)
from xietong.extract.figures import CERTIFIED_BY, Figure, figures
from xietong.extract.relations import relations
from xietong.extract.segment import Sentence, sentences

# Attribute mapping for figures: (unit, words in what is counted) → registry attribute.
# (Not 家 itself: it is in 国家级创新平台, which are no enterprises.)
_COUNT_WORDS = ("企业", "公司", "机构")


@dataclass(frozen=True, slots=True)
class Item:
    """One extraction, ready to show, review and turn into records."""

    id: str  # stable across runs: a hash of file content, kind and span
    kind: str  # organisation, person, region, figure, relation
    label: str  # what a reviewer reads
    start: int  # span in the ORIGINAL file
    end: int
    sentence: str  # the sentence as it reads in the original file
    article: int
    confidence: float
    data: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class Document:
    path: Path
    sha256: str
    text: textmod.Text
    sentences: list[Sentence]
    items: list[Item]

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]


def _item_id(sha: str, kind: str, start: int, end: int, key: str) -> str:
    return hashlib.sha1(f"{sha}|{kind}|{start}|{end}|{key}".encode()).hexdigest()[:10]


def extract_text(original: str, path: Path, sha256: str, known: KnownNames | None = None
                 ) -> Document:
    norm = textmod.normalize(original)
    sents = sentences(norm.text)
    items: list[Item] = []
    # per article: the park last named, and the number of the sentence that named it
    last_park: dict[int, tuple[Mention, int]] = {}
    article_orgs: dict[int, list[Mention]] = {}  # per article: organisations named so far
    short_names: dict[int, dict[str, Mention]] = {}  # per article: declared short names
    for number, sentence in enumerate(sents):
        orig_start, orig_end = norm.span(sentence.start, sentence.end)
        quote = original[orig_start:orig_end]
        earlier = article_orgs.setdefault(sentence.article, [])
        declared = short_names.setdefault(sentence.article, {})
        found = [m for m in mentions(sentence.text, known, earlier, declared)
                 if not _tail_of_wrapped_name(norm.text, sentence, m, known)]
        declaring = {m: short for short, m in declared_short_names(sentence.text, found).items()}
        declared.update((short, m) for m, short in declaring.items())

        def add(kind: str, label: str, a: int, b: int, confidence: float,
                data: dict[str, object], key: str, sentence: Sentence = sentence,
                quote: str = quote) -> None:
            start, end = norm.span(sentence.start + a, sentence.start + b)
            items.append(Item(_item_id(sha256, kind, start, end, key), kind, label, start, end,
                              quote, sentence.article, confidence, data))

        for m in found:
            if m.kind == "person":
                if not m.title:
                    continue  # bare names are too often wrong and carry no fact for the graph
                label = f"{m.text}（{m.title}{' @ ' + m.organisation if m.organisation else ''}）"
                add("person", label, m.start, m.end, m.confidence,
                    {"name": m.text, "title": m.title, "organisation": m.organisation}, m.text)
            elif m.kind == "region":
                assert m.region is not None
                add("region", f"区域 {m.region.name}", m.start, m.end, m.confidence,
                    {"name": m.region.name, "surface": m.text, "code": m.region.code,
                     "level": m.region.level}, m.region.code)
            else:
                # the short name the text declares for it, or uses for it, is its alias
                alias = declaring.get(m) or (sentence.text[m.start:m.end]
                                             if m.via == "declared" else None)
                add("organisation", f"{m.kind} {m.text}", m.start, m.end, m.confidence,
                    {"name": m.text, "type": m.kind, "via": m.via,
                     "aliases": [alias] if alias else []}, m.text)
        # "园区", "该区域", "这里" point back to a park named in this sentence or the two
        # before; further back, the article has often moved on to a place we do not know
        # as a park
        named = last_park.get(sentence.article)
        recent_park = named[0] if named and number - named[1] <= _PARK_RECENCY else None
        for fig in figures(sentence.text):
            subject = _figure_subject(found, fig, sentence.text, recent_park)
            data = _figure_data(fig, subject, sentence.text)
            add("figure", _figure_label(fig, subject), fig.start, fig.end,
                _figure_confidence(fig, subject, sentence.text), data, f"{fig.value}{fig.unit}")
        earlier.extend(m for m in found if m.kind in ORG_KINDS)
        parks = [m for m in found if m.kind == "park"]
        referred = _referred_park(sentence.text, recent_park) if not parks else None
        if parks:
            last_park[sentence.article] = (parks[-1], number)
        for rel in relations(sentence.text, found, referred):
            add("relation", f"{rel.subject.text} —{rel.predicate}→ {rel.object.text}",
                rel.start, rel.end, rel.confidence,
                {"subject": rel.subject.text, "subject_type": rel.subject.kind,
                 "predicate": rel.predicate, "object": rel.object.text,
                 "object_type": rel.object.kind, "trigger": rel.trigger}, rel.predicate)
        for m in found:
            if m.kind != "person" or not m.title or not m.organisation:
                continue
            for post, (title, organisation) in enumerate(((m.title, m.organisation), *m.also)):
                # named in this sentence, or earlier in the article (then the span is the
                # person's: the other sentence has its own offsets)
                here = next((o for o in found if o.text == organisation), None)
                org = here or next(o for o in reversed(earlier) if o.text == organisation)
                start, end = (min(org.start, m.start), m.end) if here else (m.start, m.end)
                if post:  # a further post, named after the person
                    end = max(end, org.end)
                # the person is known by the first post's organisation, whichever this is
                add("relation", f"{m.text} —works_for→ {organisation}", start, end, 0.8,
                    {"subject": m.text, "subject_type": "person", "predicate": "works_for",
                     "object": org.text, "object_type": org.kind, "trigger": title,
                     "subject_affiliation": m.organisation}, "works_for")
    return Document(path, sha256, norm, sents, _dedupe(items))


_WRAP_WINDOW = 20  # characters of the line before that a wrapped name may start in


def _tail_of_wrapped_name(text: str, sentence: Sentence, m: Mention,
                          known: KnownNames | None) -> bool:
    """Whether an organisation opening a line is the end of a longer name the line before
    began, where normalising could not tell the wrap from a heading (工业和信息 / 化部今年…:
    化部 is not an organisation): a known name, or one LAC reads, runs across the break."""
    if m.kind not in ORG_KINDS or m.start or sentence.start == 0 \
            or text[sentence.start - 1] != "\n":
        return False
    before = text[max(0, sentence.start - 1 - _WRAP_WINDOW):sentence.start - 1]
    before = before[before.rfind("\n") + 1:]
    if not before:
        return False
    if known is not None and any(before[-k:] + m.text in known.by_name
                                 for k in range(1, len(before) + 1)):
        return True
    return any(a < len(before) < b and tag in ("ORG", "nz")
               for a, b, tag in lac.analyse(before + sentence.text[:m.end]))


def _dedupe(items: list[Item]) -> list[Item]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item.id not in seen:
            seen.add(item.id)
            out.append(item)
    return out


# between the last name of a list and the figure counting it
_LIST_COUNT = re.compile(r"\s*(?:等(?:一批|多家)?|在内的)?\s*")
# the list goes on with items the tagger did not name: "稀宇科技、商汤科技、…和斑马智行7家"
_LIST_REST = re.compile(r"(?:\s*[、和及]\s*[^，。；,;：:、\s]{1,12}?)+" + _LIST_COUNT.pattern)
# "推出模力社区、张江机器人谷等重点园区，集聚…企业超70家": names given as examples of a kind
_EXAMPLES = re.compile(r"等[\u4e00-\u9fff]{1,6}[，,；;]")
# "北京、上海、广州、深圳四大一线城市…近4000万人": the figure is the group's, not the last city's
_COLLECTIVE = re.compile(r"[两二三四五六七八九十]+(?:大|个|座|地|省|市)")
# between two names of one list: a separator, or unnamed items ("江苏银行、卡尔美、佳得乐")
_LIST_SEPARATOR = re.compile(r"\s*[和及与]\s*|[^，。；,;：:]{0,10}、[^，。；,;：:]{0,10}")
# "根据工业和信息化部…估算", "据江苏智慧文旅平台监测": who reports the figure, not its subject
_SOURCE = re.compile(r"(?:根据|依据|按照|^据|[，,：:]据)$")
# "全省…", "全市…": the whole province or city named before, not the last city listed
_WHOLE = re.compile(r"全省|全市|全区")
_WHOLE_LEVELS = {"全省": ("province",), "全市": ("city",), "全区": ("district",)}
_MUNICIPALITIES = ("110000", "120000", "310000", "500000")  # cities with a province's rank
# "国家知识产权局数据显示，…": likewise
_SHOWS = re.compile(r"(?:的)?(?:最新)?(?:数据|统计|监测|测算|调查)?(?:显示|表明)")
# a named subdistrict of the region named before ("彭浦新村街道", "临汾路街道")
_SUBDISTRICT = re.compile(r"[\u4e00-\u9fff]{2,6}街道")
# "园区内已集聚…": the park the article last named; 园区 only at a clause's start or after a
# year ("…等重点园区，集聚…" names a kind of park)
_ANAPHOR = re.compile(r"(?<![\u4e00-\u9fff])园区|(?<=年)园区|该区域|该园区|这里|岛上|社区内|园内")


# how many sentences back the park such a word points to may have been named
_PARK_RECENCY = 2


def _referred_park(sentence: str, last_park: Mention | None) -> Mention | None:
    """The article's last park, over the word of ``sentence`` that points back to it."""
    word = _ANAPHOR.search(sentence)
    if word is None or last_park is None:
        return None
    return replace(last_park, start=word.start(), end=word.end())


def _figure_subject(found: list[Mention], fig: Figure, sentence: str,
                    last_park: Mention | None) -> Mention | None:
    """The organisation, park or region the figure is about: the nearest named before it,
    unless "园区"/"该区域" after that name points back to the article's last park
    ("截至 2025 年 4 月，该区域集聚了 255 家大模型领域企业"). None for a figure of the thing
    named after it ("规模10亿元的产业基金")."""
    if fig.of_following:
        return None
    if whole := _WHOLE.match(fig.counted):
        # "杭州、宁波、义乌…，2024年全省跨境电商企业超5万家": the province named before
        levels = _WHOLE_LEVELS[whole.group(0)]
        regions = [m for m in found if m.kind == "region" and m.end <= fig.start
                   and m.region is not None and (m.region.level in levels or (
                       "city" in levels and m.region.code in _MUNICIPALITIES))]
        if regions:
            return regions[-1]
    before = [m for m in found if m.end <= fig.start and m.kind != "person"
              and not CERTIFIED_BY.match(sentence, m.end)
              and not _SOURCE.search(sentence, max(0, m.start - 2), m.start)
              and not _SHOWS.match(sentence, m.end)]
    before = _without_recipients(before, sentence)
    listed = bool(before) and bool(_LIST_REST.fullmatch(sentence, before[-1].end, fig.start))
    if before and (listed or _LIST_COUNT.fullmatch(sentence, before[-1].end, fig.start)
                   or _EXAMPLES.match(sentence, before[-1].end)
                   or _COLLECTIVE.match(sentence, before[-1].end)):
        # "秘塔科技、无限光年、它石智能等10家", "…特赞科技和斑马智行7家": the figure counts
        # the listed names, or the group they make, or they are examples; it is about what
        # was named before the list (徐汇区)
        first = len(before) - 1
        # names side by side are one item ("比亚迪合肥": 比亚迪 and 合肥)
        while first > 0 and (before[first - 1].end == before[first].start
                             or _LIST_SEPARATOR.fullmatch(sentence, before[first - 1].end,
                                                          before[first].start)):
            first -= 1
        if first < len(before) - 1 or listed or sentence.startswith(("等", "在内"),
                                                                     before[-1].end):
            before = before[:first]
    since = before[-1].end if before else 0
    if last_park is not None and _ANAPHOR.search(sentence, since, fig.start):
        return last_park
    if before and _SUBDISTRICT.search(sentence, since, fig.start):
        return None  # "静安区彭浦新村街道辖区面积3.81平方公里": the 街道's, which we do not name
    return before[-1] if before else None


# "平台向江苏、浙江、安徽输出超过3.5万个…": those it goes to are not what the figure is about
_RECIPIENT = re.compile(r"(?:向|给)$")


def _without_recipients(named: list[Mention], sentence: str) -> list[Mention]:
    """``named`` without a name after 向/给, nor the rest of a 、-list it begins."""
    kept: list[Mention] = []
    recipient: Mention | None = None
    for m in named:
        if _RECIPIENT.search(sentence, max(0, m.start - 1), m.start) or (
                recipient is not None and sentence[recipient.end:m.start] == "、"):
            recipient = m
        else:
            recipient = None
            kept.append(m)
    return kept


# "建议浙江省制定…，明确2027年建成5个千亿级产业集群目标": a proposal, not a fact
_ADVICE = re.compile(r"(?:^|[，,；;：:])\s*(?:[一二三四五六七八九十]是)?(?:我们)?建议")
# "从供给侧、需求侧、环境面3个层面推出…", "突出3个改革导向": how a text is laid out, no statistic
_ASPECTS = ("层面", "方面", "维度", "导向", "原则", "路径", "特点", "优势")
# "争取能出现10个以上上市公司", "力争…打造10家…品牌", "计划于2024年将首批120个项目纳入": a
# target or forecast, not a statistic, unless the figure comes after a word for the present
_TARGET = re.compile(r"争取|力争|目标(?:是|为)|(?<!的)计划(?:于|到|在|将)|预计|有望|将达到?|将超过?")
_PRESENT = re.compile(r"目前|现有|已有|已经|截至|截止")
# "这款产品定位在200美元以上": what ends in a preposition names no measure
_DANGLING = ("在", "于", "至", "到")
# "首批采集50家企业数据": what was done with the firms' data, not a count the subject holds
_OF_THE_COUNTED = ("数据", "信息", "需求", "诉求", "名单", "问题", "意见")


def _figure_confidence(fig: Figure, subject: Mention | None, sentence: str) -> float:
    """Counts and amounts of a named subject are usually read right; shares and growth
    rates ("占全国 32%") and figures whose counted thing is unclear much less often
    (hand-checked sample in tests/extract/data). An adviser's numbers, and counts of a
    text's own parts or of what was taken from the counted, and targets, are shown, not
    proposed."""
    if not fig.counted or subject is None or fig.counted.endswith(_ASPECTS + _DANGLING) \
            or (fig.unit == "家" and fig.counted.endswith(_OF_THE_COUNTED)) \
            or _ADVICE.search(sentence, 0, fig.start) or _targeted(sentence, fig.start):
        return 0.4
    if fig.unit in ("%", "倍"):
        return 0.5
    return 0.7


def _targeted(sentence: str, start: int) -> bool:
    """Whether a target or forecast word governs the figure at ``start``."""
    targets = list(_TARGET.finditer(sentence, 0, start))
    return bool(targets) and not _PRESENT.search(sentence, targets[-1].end(), start)


def _figure_data(fig: Figure, subject: Mention | None, sentence: str) -> dict[str, object]:
    key, value, unit = "metric", fig.value, f"{fig.counted}({fig.unit})" if fig.counted else fig.unit
    if fig.unit == "家" and any(w in fig.counted for w in _COUNT_WORDS):
        key, unit = "enterprise_count", "家"
    elif fig.unit == "个" and "模型" in fig.counted and "备案" in sentence:
        key, unit = "registered_model_count", "个"
    elif fig.unit in ("亿元", "万元", "万亿元") and any(w in fig.counted for w in ("规模", "产值")):
        key, unit = "industry_scale", "亿元"
        value = fig.value * {"亿元": 1, "万元": 1e-4, "万亿元": 1e4}[fig.unit]
    elif fig.unit in ("亿元", "万元", "万亿元") and "基金" in fig.counted:
        key, unit = "fund_size", "亿元"
        value = fig.value * {"亿元": 1, "万元": 1e-4, "万亿元": 1e4}[fig.unit]
    if key in ("enterprise_count", "registered_model_count"):
        value = int(value)
    return {"key": key, "value": value, "unit": unit, "raw_unit": fig.unit,
            "counted": fig.counted, "approximate": fig.approximate, "as_of": fig.date,
            "subject": (subject.region.name if subject.region else subject.text) if subject
            else None,
            "subject_type": subject.kind if subject else None}


def _figure_label(fig: Figure, subject: Mention | None) -> str:
    about = subject.text if subject else "?"
    approx = "约" if fig.approximate else ""
    when = f" @{fig.date}" if fig.date else ""
    return f"{about}: {fig.counted} {approx}{fig.value:g}{fig.unit}{when}"


def read_file(path: Path) -> tuple[str, str]:
    """A document's text and the SHA-256 of its bytes (items' ids derive from it)."""
    return textmod.read(path), hashlib.sha256(path.read_bytes()).hexdigest()


def extract_file(path: Path, known: KnownNames | None = None) -> Document:
    original, sha256 = read_file(path)
    return extract_text(original, path, sha256, known)
