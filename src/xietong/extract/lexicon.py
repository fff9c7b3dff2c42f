"""Word lists the tagger and the rules lean on: known organisation names and the
suffixes, titles and park words that mark Chinese organisations, people and places."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

TITLES = ("董事长", "副董事长", "总经理", "副总经理", "首席执行官", "首席技术官", "首席科学家",
          "首席运营官", "首席财务官", "首席专家", "联合创始人", "创始人", "合伙人", "执行董事", "董事",
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

    def longest_at(self, text: str, start: int,
                   accept: Callable[[int, int], bool] | None = None) -> int:
        """Length of the longest name starting at ``start`` that ``accept`` takes (0 when
        none)."""
        for length in range(min(self.max_len, len(text) - start), 1, -1):
            if text[start:start + length] in self.names \
                    and (accept is None or accept(start, start + length)):
                return length
        return 0

    def matches(self, text: str, accept: Callable[[int, int], bool] | None = None
                ) -> list[tuple[int, int]]:
        """Non-overlapping longest matches, left to right, as (start, end); with
        ``accept``, only the spans it takes."""
        found, i = [], 0
        while i < len(text):
            length = self.longest_at(text, i, accept)
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
