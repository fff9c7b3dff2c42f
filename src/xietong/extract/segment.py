"""Splitting normalised text into articles and sentences (spans into ``Text.text``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from xietong.extract.text import CLOSERS, SENTENCE_END

# A byline or source line opens a new article in files that bundle several
# (newspaper pages, bulletins): "证券时报记者 陈雨康", "来源：解放日报", "本报讯".
_ARTICLE_START = re.compile(r"^(?:[^\n]{0,12}记者[^\n]{0,12}|来源[:：][^\n]*|本报讯[^\n]*|"
                            r"[^\n]{0,10}(?:日报|时报|晚报|新闻网)[^\n]{0,10}讯)$")
# A line that closes an article ("（作者：顾洁，…）", "本版编辑周颖"): the next line is the
# title of the next one (reports that bundle articles have no bylines).
_ARTICLE_END = re.compile(r"[（(](?:作者|责任编辑|编辑|来源)[:：][^（()\n]{1,80}[）)]$|"
                          r"^(?:本版)?编辑[:：]?[^\n]{1,30}$")
# Long runs without a full stop (tables, lists) are cut at commas, semicolons or spaces
# after this many characters, and anywhere after twice as many: the relation features
# cost time in the square of a sentence's length.
_MAX_SENTENCE = 300
_SOFT_CUT = frozenset(",，、；; \t\u3000")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    article: int  # 0-based article number within the file
    text: str


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer("\n", text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if b > a]


def _sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, i, begin = [], start, start
    while i < end:
        char = text[i]
        if char in SENTENCE_END:
            j = i + 1
            while j < end and (text[j] in CLOSERS or text[j] in SENTENCE_END):
                j += 1
            out.append((begin, j))
            begin = i = j
            continue
        if (i - begin >= _MAX_SENTENCE and char in _SOFT_CUT) or i - begin >= 2 * _MAX_SENTENCE:
            out.append((begin, i + 1))
            begin = i + 1
        i += 1
    if begin < end:
        out.append((begin, end))
    return out


def sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``; a line break always ends one (paragraphs and headings)."""
    result: list[Sentence] = []
    article = 0
    after_end = False
    for line_start, line_end in _line_spans(text):
        line = text[line_start:line_end]
        if result and (after_end or _ARTICLE_START.match(line)):
            article += 1
        after_end = bool(_ARTICLE_END.search(line)) and not _ARTICLE_START.match(line)
        for a, b in _sentences_in(text, line_start, line_end):
            if text[a:b].strip():
                result.append(Sentence(a, b, article, text[a:b]))
    return result
