"""Scoring our relation rules on FinRE (thunlp/Chinese_NRE): head, tail, label, sentence.

Labels map to our relation types; "被X" is X with head and tail swapped. 订单 (orders)
has no direction in FinRE, so only its type is scored.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from xietong.extract.entities import Mention, org_kind
from xietong.extract.relation_model import NONE, Pair
from xietong.extract.relations import classify, rule_classify

FINRE_MAP: dict[str, tuple[str, ...]] = {
    "cooperates": ("合作", "签约"),
    "competes": ("竞争",),
    "controls": ("持股", "拥有"),
    "acquires": ("收购", "拟收购"),
    "invests": ("入股", "注资", "买资", "增持"),
    "joint_venture": ("合资",),
    "supplies": ("订单",),
}
_UNDIRECTED = {"cooperates", "competes", "joint_venture", "supplies"}
_LABELS = {label: key for key, labels in FINRE_MAP.items() for label in labels}


def gold_relation(label: str, head: str, tail: str) -> tuple[str, str] | None:
    """(our predicate, its subject) for a FinRE label, or None when we do not map it."""
    passive = label.startswith("被")
    key = _LABELS.get(label[1:] if passive else label)
    if key is None:
        return None
    return key, tail if passive else head


def _mention(sentence: str, name: str, avoid: tuple[int, int] | None) -> Mention | None:
    start = sentence.find(name)
    while start >= 0 and avoid and start < avoid[1] and avoid[0] < start + len(name):
        start = sentence.find(name, start + 1)
    if start < 0:
        return None
    return Mention(start, start + len(name), name, org_kind(name, "company"), 1.0, "given")


def _ordered(sentence: str, head: str, tail: str) -> tuple[Mention, Mention] | None:
    h = _mention(sentence, head, None)
    t = _mention(sentence, tail, (h.start, h.end) if h else None)
    if h is None or t is None:
        return None
    return (h, t) if h.start < t.start else (t, h)


def predict(sentence: str, head: str, tail: str, *, rules_only: bool = False
            ) -> tuple[str, str] | None:
    """(predicate, subject) the pipeline gives the pair (classifier, or the trigger rules
    alone with ``rules_only``), or None."""
    pair = _ordered(sentence, head, tail)
    if pair is None:
        return None
    relation = (rule_classify if rules_only else classify)(sentence, *pair)
    return (relation.predicate, relation.subject.text) if relation else None


def _lines(path: Path) -> Iterator[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 4:
                yield parts[0], parts[1], parts[2], parts[3]


def training_pairs(path: Path) -> tuple[list[Pair], list[str]]:
    """FinRE pairs in text order with their class (see relation_model); each pair appears
    once, though FinRE lists it both ways round (X and 被X)."""
    found: dict[tuple[str, tuple[int, int], tuple[int, int]], str] = {}
    for head, tail, label, sentence in _lines(path):
        pair = _ordered(sentence, head, tail)
        if pair is None:
            continue
        first, second = pair
        gold = gold_relation(label, head, tail)
        key = (sentence, (first.start, first.end), (second.start, second.end))
        if gold is None:
            found.setdefault(key, NONE)
            continue
        predicate, subject = gold
        reverse = predicate not in _UNDIRECTED and subject != first.text
        found[key] = predicate + ("<" if reverse else "")
    pairs = [Pair(s, a, b) for s, a, b in found]
    return pairs, list(found.values())


def evaluate_finre(path: Path, *, rules_only: bool = False
                   ) -> list[tuple[str, tuple[str, ...], int, int, float, float]]:
    """Per mapped relation: (predicate, FinRE labels, gold, predicted, precision, recall)."""
    gold_n = dict.fromkeys(FINRE_MAP, 0)
    pred_n = dict.fromkeys(FINRE_MAP, 0)
    hit_n = dict.fromkeys(FINRE_MAP, 0)
    for head, tail, label, sentence in _lines(path):
        gold = gold_relation(label, head, tail)
        pred = predict(sentence, head, tail, rules_only=rules_only)
        if gold:
            gold_n[gold[0]] += 1
        if pred and pred[0] in pred_n:
            pred_n[pred[0]] += 1
        if gold and pred and gold[0] == pred[0] and (gold[0] in _UNDIRECTED or gold[1] == pred[1]):
            hit_n[gold[0]] += 1
    return [(k, FINRE_MAP[k], gold_n[k], pred_n[k], hit_n[k] / pred_n[k] if pred_n[k] else 0.0,
             hit_n[k] / gold_n[k] if gold_n[k] else 0.0) for k in FINRE_MAP]
