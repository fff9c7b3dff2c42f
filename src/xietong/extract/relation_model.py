"""A relation classifier for a pair of organisation mentions in one sentence.

Multinomial logistic regression (numpy + scipy L-BFGS) over sparse features of the pair:
LAC words between, before and after the two mentions, the trigger groups of
:mod:`xietong.extract.relations`, passive cues, word order and distance. Trained on FinRE
``train.txt`` by ``scripts/train_ner.py --relations``; the weights ship in this package
(``relations.npz``). Classes are read in text order: ``controls`` means the first mention
controls the second, ``controls<`` the reverse; ``none`` is everything else FinRE labels.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

from xietong.extract import lac

MODEL_NAME = "relations.npz"
NONE = "none"
_LINK = re.compile(r"^(?:与|和|同|及|、|跟|对|向|将|就|,|，)")


@dataclass(frozen=True, slots=True)
class Pair:
    """Two mentions of one sentence, ``first`` before ``second`` (character spans)."""

    sentence: str
    first: tuple[int, int]
    second: tuple[int, int]


def _word_end(word: tuple[int, int, str]) -> int:
    return word[1]


def _bucket(n: int) -> str:
    for limit, name in ((0, "0"), (1, "1"), (3, "2-3"), (7, "4-7"), (15, "8-15"), (30, "16-30")):
        if n <= limit:
            return name
    return "31+"


def _words(sentence: str, start: int, end: int) -> list[str]:
    """LAC words of ``sentence[start:end]``, clipped to that span."""
    words = lac.analyse(sentence)
    first = bisect_right(words, start, key=_word_end)  # the first word ending after start
    out = []
    for a, b, _ in words[first:]:
        if a >= end:
            break
        a, b = max(a, start), min(b, end)
        if a < b:
            word = sentence[a:b].strip()
            if word:
                out.append(word)
    return out


def features(pair: Pair) -> list[str]:
    from xietong.extract.relations import RULES  # the rules' trigger lists double as features

    s = pair.sentence
    (a1, a2), (b1, b2) = pair.first, pair.second
    gap = s[a2:b1]
    between = _words(s, a2, b1)
    before = _words(s, max(0, a1 - 12), a1)
    after = _words(s, b2, min(len(s), b2 + 16))
    feats = ["bias", f"dist:{_bucket(len(gap))}", f"nwords:{_bucket(len(between))}"]
    feats += [f"b:{w}" for w in between]
    feats += [f"bb:{x}_{y}" for x, y in pairwise(between)]
    feats += [f"cb:{gap[i:i + 2]}" for i in range(len(gap) - 1)]  # robust to LAC's cuts
    if between:
        feats += [f"b0:{between[0]}", f"bl:{between[-1]}"]
    feats += [f"l{i}:{w}" for i, w in enumerate(reversed(before[-2:]), 1)]
    feats += [f"r{i}:{w}" for i, w in enumerate(after[:3], 1)]
    feats += [f"ra:{w}" for w in after[:6]]
    linked = bool(_LINK.match(gap.strip())) or len(gap.strip()) <= 1
    feats.append(f"linked:{linked}")
    if gap.strip().startswith(("被", "由")):
        feats.append("gap:passive")
    for rule in RULES:
        if rule.triggers.search(gap):
            feats.append(f"tg:{rule.predicate}")
        if rule.triggers.search(s, b2, b2 + 12):
            feats.append(f"tt:{rule.predicate}:{linked}")
        if rule.passive is not None and rule.passive.search(gap):
            feats.append(f"pg:{rule.predicate}")
    feats.append(f"rule:{_rule_class(pair)}")  # what the trigger rules alone would say
    feats += [f"s:{w}" for w in set(_words(s, 0, a1) + after[6:])]  # rest of the sentence, weakly
    return feats


def _rule_class(pair: Pair) -> str:
    from xietong.extract.entities import Mention
    from xietong.extract.relations import rule_classify

    s = pair.sentence
    first, second = (Mention(a, b, s[a:b], "enterprise", 1.0, "pair") for a, b in (pair.first, pair.second))
    relation = rule_classify(s, first, second)
    if relation is None:
        return NONE
    return relation.predicate + ("<" if relation.subject is second else "")


@dataclass(frozen=True, slots=True)
class Model:
    classes: tuple[str, ...]
    vocabulary: dict[str, int]
    weights: np.ndarray  # features × classes

    def predict(self, pair: Pair) -> tuple[str, float, str]:
        """(class, its probability, the strongest feature behind it: a reviewer's "why")."""
        active = [f for f in features(pair) if f in self.vocabulary]
        index = [self.vocabulary[f] for f in active]
        scores = self.weights[index].sum(axis=0)
        probabilities = np.exp(scores - scores.max())
        probabilities /= probabilities.sum()
        best = int(probabilities.argmax())
        why = max((f for f in active if f != "bias"),
                  key=lambda f: self.weights[self.vocabulary[f], best], default="")
        return self.classes[best], float(probabilities[best]), why.split(":", 1)[-1]

    def save(self, path: Path) -> None:
        names = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(path, classes=np.array(self.classes), vocabulary=np.array(names),
                            weights=self.weights.astype(np.float32))


def load(path: Path) -> Model:
    with np.load(path) as data:
        names = [str(n) for n in data["vocabulary"]]
        return Model(tuple(str(c) for c in data["classes"]), {n: i for i, n in enumerate(names)},
                     data["weights"].astype(np.float64))


@lru_cache(maxsize=1)
def shipped() -> Model:
    return load(Path(str(resources.files("xietong.extract").joinpath(MODEL_NAME))))


def train(pairs: Sequence[Pair], labels: Sequence[str], *, l2: float = 5.0, min_count: int = 2,
          iterations: int = 300, class_power: float = 0.0) -> Model:
    """Fit the classifier; ``l2`` is the penalty on the summed (not averaged) log loss.

    ``class_power`` > 0 weighs each example by its class's frequency to the power
    ``-class_power`` (mean weight 1), so rare relations (订单: 78 pairs) are predicted at all."""
    rows = [features(p) for p in pairs]
    counts = Counter(f for row in rows for f in set(row))
    vocabulary = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    classes = tuple(sorted(set(labels), key=lambda c: (c != NONE, c)))
    x = _matrix(rows, vocabulary)
    y = np.array([classes.index(label) for label in labels])
    onehot = np.zeros((len(y), len(classes)))
    onehot[np.arange(len(y)), y] = 1.0
    frequency = np.bincount(y, minlength=len(classes)).astype(np.float64)
    weight = frequency[y] ** -class_power
    weight = (weight / weight.mean())[:, None]
    shape = (len(vocabulary), len(classes))

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(shape)
        scores = x @ w
        scores -= scores.max(axis=1, keepdims=True)
        log_norm = np.log(np.exp(scores).sum(axis=1, keepdims=True))
        log_p = scores - log_norm
        value = -(weight * onehot * log_p).sum() + 0.5 * l2 * (w * w).sum()
        gradient = x.T @ (weight * (np.exp(log_p) - onehot)) + l2 * w
        return float(value), np.asarray(gradient).ravel()

    result = minimize(loss, np.zeros(shape).ravel(), jac=True, method="L-BFGS-B",
                      options={"maxiter": iterations})
    return Model(classes, vocabulary, result.x.reshape(shape))


def _matrix(rows: Iterable[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indptr, indices = [0], []
    for row in rows:
        indices += [vocabulary[f] for f in row if f in vocabulary]
        indptr.append(len(indices))
    data = np.ones(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, len(vocabulary)))
