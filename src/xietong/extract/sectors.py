"""Sector and generic words the tagger takes for organisation names on policy reports
(金融科技, 新能源汽车, 船运公司, 发展研究院, 临空经济示范区), and the test that rejects them.

``sectors.txt`` ships in this package: the industry names of chainkg (industry.jsonl) and
ICKG (entities ending in 行业/产业, that suffix cut off), built by
``scripts/train_ner.py --sectors``; a short hand list of generic modifiers adds words
no industry list holds (发展, 科创, 先行 …).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from xietong.extract.regions import find_regions
from xietong.model.org_types import (
    COMPANY_SUFFIXES,
    GOVERNMENT_SUFFIXES,
    INSTITUTE_SUFFIXES,
    INVESTOR_SUFFIXES,
    ORGANIZATION_SUFFIXES,
    PARK_SUFFIXES,
)

FILE_NAME = "sectors.txt"
GENERIC_WORDS = ("发展", "科创", "创新", "经济", "技术", "高新技术", "服务", "服务业", "先行", "临空",
                 "船运", "国际", "综合", "现代", "新兴", "未来", "数字", "智能", "产业", "行业",
                 "制造业", "高校", "金融", "科技", "企业", "跨境", "专业", "风险", "监管", "新型",
                 "高端", "先进", "战略性", "重点", "示范", "试点", "特色", "功能", "总部", "国家级",
                 "工业", "投资")
# Suffixes that are also sector words ("金融科技", "新能源汽车"): they make a name only
# after a specific word (信医科技, 比亚迪汽车).
WEAK_SUFFIXES = ("科技", "智能", "汽车", "电子", "股份", "实业", "传媒", "控股", "投资", "资本",
                 "基金", "中心")
STRONG_SUFFIXES = tuple(sorted(
    set(COMPANY_SUFFIXES + GOVERNMENT_SUFFIXES + INSTITUTE_SUFFIXES + INVESTOR_SUFFIXES
        + ORGANIZATION_SUFFIXES + ("交易所", "清算所", "事务所")) - set(WEAK_SUFFIXES),
    key=len, reverse=True))
# Bare bodies and their generic prefixes: 海关, 管委会, 国家实验室, 上海高校, 相关部门.
_GENERIC_PREFIX = re.compile(r"^(?:国家|全国|各|该|本|相关|有关|地方|多地|区|市|省|县)*")
_GENERIC_BODIES = frozenset(STRONG_SUFFIXES + ("高校", "实验室", "部门", "机构", "单位", "企业",
                                               "研究院", "科创中心", "园区"))
_PARK_SUFFIXES = tuple(sorted(PARK_SUFFIXES + ("先行示范区", "示范区", "产业园区", "自贸区"),
                              key=len, reverse=True))
_NUMBERED = re.compile(r"^[一二三四五六七八九十两0-9]+(?:个|大|项|类)")
# National banks whose 字号 is a sector word: names, not "generic + suffix" (商业银行 is).
_SECTOR_WORD_NAMES = frozenset(("农业银行", "交通银行", "民生银行", "进出口银行", "农业发展银行"))


def build(chainkg_industries: Path, ickg_entity_files: list[Path], out: Path) -> int:
    """Write the sector word list from the industry data; returns the number of words."""
    words = {json.loads(line)["name"] for line in chainkg_industries.open(encoding="utf-8")
             if line.strip()}
    for path in ickg_entity_files:
        for line in path.open(encoding="utf-8"):
            match = re.fullmatch(r"(.{2,})(?:行业|产业)", line.rsplit("\t", 1)[0].strip())
            if match:
                words.add(match.group(1))
    words = {w for w in words if 2 <= len(w) <= 10}
    out.write_text("\n".join(sorted(words)) + "\n", encoding="utf-8")
    return len(words)


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    path = Path(str(resources.files("xietong.extract").joinpath(FILE_NAME)))
    shipped = path.read_text(encoding="utf-8").split() if path.exists() else []
    return frozenset(shipped) | frozenset(GENERIC_WORDS)


def _all_sector(text: str) -> bool:
    """Whether ``text`` splits wholly into sector and generic words (新能源+汽车)."""
    vocabulary = words()
    reachable = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        reachable[end] = any(reachable[start] and text[start:end] in vocabulary
                             for start in range(max(0, end - 10), end - 1))
    return bool(text) and reachable[-1]


def _region_prefix(name: str) -> int:
    found = find_regions(name)
    return found[0][1] if found and found[0][0] == 0 else 0


def sector_or_generic(name: str, kind: str) -> str | None:
    """Why ``name`` is a sector word or generic body rather than a name, or None.

    Government names stay as they are (江苏省政府, 国家外汇管理局): they are built from a
    region and a generic body."""
    if _NUMBERED.match(name):
        return "numbered"  # 五个中心, 三大产业
    prefix = _GENERIC_PREFIX.match(name)
    assert prefix is not None  # every part of the pattern is optional: it always matches
    rest = name[prefix.end():]
    if rest in _GENERIC_BODIES or (_region_prefix(name) and name[_region_prefix(name):] in
                                   ("高校", "部门", "企业", "科创中心", "实验室")):
        return "generic body"
    if kind == "government":
        return None
    region = _region_prefix(name)
    core = name[region:]
    if kind == "park":
        suffix = next((s for s in _PARK_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
        if not region and suffix and _all_sector(core[:-len(suffix)]):
            return "generic park"  # 临空经济示范区 (but 杭州临空经济示范区 is a name)
        return None
    if region and core in STRONG_SUFFIXES:
        return None  # 江苏银行, 上海证券
    strong = next((s for s in STRONG_SUFFIXES if core.endswith(s) and len(core) > len(s)), None)
    if strong is None:
        weak = next((s for s in WEAK_SUFFIXES if core.endswith(s) and len(core) > len(s)), "")
        if _all_sector(core) or (weak and _all_sector(core[:-len(weak)])):
            return "sector"
        return None
    if not region and _all_sector(core[:-len(strong)]) and core not in _SECTOR_WORD_NAMES:
        return "generic with suffix"  # 船运公司, 发展研究院 (but 上海汽车集团 is a name)
    return None
