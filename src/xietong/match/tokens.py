"""Chinese text to tokens: jieba words for BM25, character bigrams for name similarity."""

from __future__ import annotations

import logging
import re
import sys
from functools import lru_cache

# jieba-next: jieba's dictionary and algorithm with the hot loops in Rust; the same words
# as jieba on 65,975 of 65,994 names and text pieces, ~4x faster (docs/decisions/matching.md)
import jieba_next as _jieba

_jieba.set_log_level(logging.WARNING)

_WORD = re.compile(r"[\w\u4e00-\u9fff]+")
# Words that say what kind of demand it is, not what it is about.
STOPWORDS = frozenset(
    """
    寻找 寻求 需要 需求 征集 找 推荐 为 的 和 与 及 或 等 有 一家 一批 企业
    公司 有限公司 股份 方案 合作伙伴 伙伴 供应商 客户 投资方 投资人 投资机构 买家
    收购方 优先 长三角 希望 能够 提供 进行 相关 一个 我们 用于 可以 在 对 是
    了 帮助 并 以及 集团
    """.split()
)


@lru_cache(maxsize=200_000)
def words(text: str) -> tuple[str, ...]:
    """jieba words of ``text``, lower-cased, punctuation dropped (cached: names repeat)."""
    out: list[str] = []
    for piece in _WORD.findall(text.lower()):
        out.extend(sys.intern(w) for w in _jieba.lcut(piece) if w.strip())
    return tuple(out)


def content_words(text: str) -> list[str]:
    """The words of a demand that carry its subject (stop words removed)."""
    return [w for w in words(text) if w not in STOPWORDS]


def bigrams(text: str) -> list[str]:
    """Character unigrams and bigrams of a name: robust to segmentation of short names."""
    chars = "".join(_WORD.findall(text.lower()))
    # not interned: the lists are joined into one string per node (TermLists) at once, and
    # interning was a tenth of a cold build
    return list(chars) + [chars[i : i + 2] for i in range(len(chars) - 1)]


@lru_cache(maxsize=100_000)
def gram_set(text: str) -> frozenset[str]:
    return frozenset(bigrams(text))
