"""Word lists the tagger and the rules lean on: known organisation names and the
suffixes, titles and park words that mark Chinese organisations, people and places."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Longest suffix first matters only for readability; matching tries every length.
COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "公司", "集团", "控股", "科技",
                    "银行", "证券", "保险", "股份", "实业", "传媒", "电子", "智能", "汽车")
GOVERNMENT_SUFFIXES = ("人民政府", "政府", "委员会", "管委会", "管理委员会", "经信委", "科委",
                       "发改委", "国资委", "商务委", "办公室", "办公厅", "监督管理局", "局", "厅",
                       "部", "委", "法院", "检察院", "公安", "海关", "税务")
INSTITUTE_SUFFIXES = ("大学", "学院", "研究院", "研究所", "研究中心", "实验室", "创新中心",
                      "科学院", "工程院", "医院", "学校", "中学", "小学")
INVESTOR_SUFFIXES = ("资本", "创投", "投资", "基金", "投资管理", "创业投资", "产业基金",
                     "私募", "资产管理")
PARK_SUFFIXES = ("空间", "社区", "园区", "产业园", "科技园", "软件园", "科学城", "高新区", "开发区",
                 "示范区", "功能区", "小镇", "谷", "岛", "港", "基地", "孵化器", "加速器", "湾",
                 "创新港", "大厦", "中心")
ORGANIZATION_SUFFIXES = ("协会", "学会", "联盟", "联合会", "商会", "基金会", "俱乐部", "队",
                         "委员会", "组织", "中心", "党委", "促进会", "研究会")

TITLES = ("董事长", "副董事长", "总经理", "副总经理", "首席执行官", "首席技术官", "首席科学家",
          "首席运营官", "首席财务官", "联合创始人", "创始人", "合伙人", "执行董事", "董事",
          "总裁", "副总裁", "总监", "CEO", "CTO", "COO", "CFO", "主任", "副主任", "书记",
          "副书记", "区长", "副区长", "市长", "副市长", "局长", "副局长", "院长", "副院长",
          "所长", "校长", "教授", "研究员", "秘书长", "会长", "理事长", "负责人", "总工程师",
          "党委书记", "主席", "部长", "处长", "经理", "院士", "总经理助理", "总编辑")


@dataclass(slots=True)
class Lexicon:
    """A set of names with a bounded longest-match lookup."""

    names: set[str] = field(default_factory=set)
    max_len: int = 0

    def add(self, names: Iterable[str], min_len: int = 2) -> None:
        for name in names:
            name = name.strip()
            if len(name) >= min_len:
                self.names.add(name)
                self.max_len = max(self.max_len, len(name))

    def longest_at(self, text: str, start: int) -> int:
        """Length of the longest name starting at ``start`` (0 when none)."""
        for length in range(min(self.max_len, len(text) - start), 1, -1):
            if text[start:start + length] in self.names:
                return length
        return 0

    def matches(self, text: str) -> list[tuple[int, int]]:
        """Non-overlapping longest matches, left to right, as (start, end)."""
        found, i = [], 0
        while i < len(text):
            length = self.longest_at(text, i)
            if length:
                found.append((i, i + length))
                i += length
            else:
                i += 1
        return found


def company_names(path: Path) -> Lexicon:
    """The company-names corpus (one short name a line after a two-line header)."""
    lexicon = Lexicon()
    with path.open(encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()[2:]
    lexicon.add(lines)
    return lexicon
