"""CLUENER2020 as training and evaluation data: the fixed train/validation cut and BIO tags."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

ORG_TYPES = ("company", "government", "organization")
# Types kept apart in training; the rest (book, game, movie, scene) become "misc" so the
# tagger still learns that they are not organisations.
KEPT_TYPES = (*ORG_TYPES, "name", "position", "address")
VALIDATION_SHARE = 0.1
SPLIT_SEED = 20250105

Span = tuple[int, int, str]  # start, end (exclusive), type


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    spans: tuple[Span, ...]


def load(path: Path) -> list[Sentence]:
    sentences = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            spans: list[Span] = []
            for kind, mentions in row.get("label", {}).items():
                kind = kind if kind in KEPT_TYPES else "misc"
                for positions in mentions.values():
                    spans.extend((start, end + 1, kind) for start, end in positions)
            sentences.append(Sentence(row["text"], tuple(sorted(spans))))
    return sentences


def split(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, validation): a fixed shuffle so every run evaluates on the same sentences."""
    order = list(range(len(sentences)))
    random.Random(SPLIT_SEED).shuffle(order)
    cut = int(len(order) * VALIDATION_SHARE)
    validation = sorted(order[:cut])
    train = sorted(order[cut:])
    return [sentences[i] for i in train], [sentences[i] for i in validation]


def bio(sentence: Sentence) -> list[str]:
    tags = ["O"] * len(sentence.text)
    for start, end, kind in sentence.spans:
        tags[start] = f"B-{kind}"
        for i in range(start + 1, end):
            tags[i] = f"I-{kind}"
    return tags


def spans_from_bio(tags: list[str]) -> list[Span]:
    spans: list[Span] = []
    start, kind = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag.startswith("I-") and kind == tag[2:]:
            continue
        if kind:
            spans.append((start, i, kind))
        start, kind = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans
