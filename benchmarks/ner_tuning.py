#!/usr/bin/env python
"""Tagger tuning: CRF feature sets and penalties, compared on a tune part of our CLUENER
train part (never on the validation cut that benchmarks/extraction.py reports).

The train part (xietong.extract.cluener.split) is cut again, 90 % to fit, 10 % to score
(seed 7). Each variant trains a CRF with python-crfsuite on one core; the table gives
pooled organisation F1 (company + government + organization, untyped, exact spans), per
type F1, model size and tagging speed. Results are recorded in docs/decisions/extraction.md;
the chosen penalties are scripts/train_ner.py's defaults.

Variants add to the shipped features (xietong.extract.features):
- ngram: characters 3 away and character trigrams;
- chars256: 256 character clusters (PPMI + SVD + k-means over unlabelled text: the train
  part, FinRE train sentences, the seeds, company-names and chainkg company names);
- words512: 512 LAC-word clusters (same text) for the word, its neighbours, plus the
  word's first/last character, length and neighbouring words;
- jieba: jieba word boundaries (B/M/E/S) beside LAC's.

Usage: python benchmarks/ner_tuning.py [--only NAME ...]   (≈ 4-10 min per variant)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

import pycrfsuite

from xietong.extract import cluener, lac
from xietong.extract.features import sentence_features

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
Features = Callable[[str], list[list[str]]]


def tune_cut() -> tuple[list[cluener.Sentence], list[cluener.Sentence]]:
    train, _ = cluener.split(cluener.load(DATA / "cluener" / "train.jsonl"))
    order = list(range(len(train)))
    random.Random(7).shuffle(order)
    cut = len(order) // 10
    return [train[i] for i in sorted(order[cut:])], [train[i] for i in sorted(order[:cut])]


def unlabelled(fit: Sequence[cluener.Sentence]) -> tuple[list[str], list[str]]:
    """(running text, name lists) for clusters; the tune part's text is not used."""
    texts = [s.text for s in fit]
    seen: set[str] = set()
    for line in (DATA / "finre" / "train.txt").open(encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 4 and parts[3] not in seen:
            seen.add(parts[3])
            texts.append(parts[3])
    for path in sorted((DATA.parent / "seeds").glob("*.txt")):
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    names = (DATA / "company-names" / "company_short_names.txt").read_text(
        encoding="utf-8-sig").splitlines()[2:]
    for line in (DATA / "chainkg" / "company.jsonl").open(encoding="utf-8"):
        names += [v for v in json.loads(line).values() if isinstance(v, str) and len(v) > 1]
    return texts, names


def learn_clusters(sequences: Sequence[Sequence[str]], k: int, dim: int = 64) -> dict[str, int]:
    """Cluster items by their two neighbours each side: PPMI → truncated SVD → k-means."""
    import numpy as np
    from scipy import sparse
    from scipy.cluster.vq import kmeans2
    from scipy.sparse.linalg import svds

    frequency = Counter(item for s in sequences for item in s)
    vocabulary = {item: i for i, (item, n) in enumerate(frequency.most_common()) if n >= 3}
    pairs: Counter[tuple[int, str]] = Counter()
    for sequence in sequences:
        padded = ["^", *sequence, "$"]
        for i, item in enumerate(padded):
            if item in vocabulary:
                for offset in (-2, -1, 1, 2):
                    if 0 <= i + offset < len(padded):
                        pairs[(vocabulary[item], f"{offset}{padded[i + offset]}")] += 1
    contexts: dict[str, int] = {}
    rows = np.array([r for r, _ in pairs])
    cols = np.array([contexts.setdefault(c, len(contexts)) for _, c in pairs])
    counts = np.array(list(pairs.values()), dtype=np.float64)
    row_sums = np.bincount(rows, counts)
    col_sums = np.bincount(cols, counts) ** 0.75
    col_sums *= counts.sum() / col_sums.sum()
    pmi = np.log(counts * counts.sum() / (row_sums[rows] * col_sums[cols]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (rows[keep], cols[keep])),
                             shape=(len(vocabulary), len(contexts)))
    u, s, _ = svds(ppmi, k=dim, random_state=0)
    vectors = u * np.sqrt(s)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    _, labels = kmeans2(vectors, k, minit="++", seed=0, iter=20)
    return {item: int(labels[i]) for item, i in vocabulary.items()}


def extra_features(flag: str, fit: Sequence[cluener.Sentence]) -> Callable[[str, list[list[str]]], None]:
    """A function adding one variant's features to the shipped ones, in place."""
    if flag == "ngram":
        def ngram(text: str, rows: list[list[str]]) -> None:
            pad = "^^^" + text + "$$$"
            for i, row in enumerate(rows):
                p = i + 3
                row += [f"l3={pad[p - 3]}", f"r3={pad[p + 3]}", f"l2l1c={pad[p - 2:p + 1]}",
                        f"l1cr1={pad[p - 1:p + 2]}", f"cr1r2={pad[p:p + 3]}"]
        return ngram
    if flag == "chars256":
        texts, names = unlabelled(fit)
        clusters = learn_clusters(texts + names, 256)

        def chars(text: str, rows: list[list[str]]) -> None:
            ids = ["^", "^", *(str(clusters.get(c, "u")) for c in text), "$", "$"]
            for i, row in enumerate(rows):
                q = i + 2
                row += [f"k={ids[q]}", f"kl1={ids[q - 1]}", f"kr1={ids[q + 1]}", f"kl2={ids[q - 2]}",
                        f"kr2={ids[q + 2]}", f"kl1c={ids[q - 1]}|{ids[q]}", f"kcr1={ids[q]}|{ids[q + 1]}"]
        return chars
    if flag == "words512":
        texts, _ = unlabelled(fit)
        clusters = learn_clusters([[t[a:b] for a, b, _ in lac.analyse(t)] for t in texts], 512)

        def words(text: str, rows: list[list[str]]) -> None:
            spans = lac.analyse(text)
            cluster = [str(clusters.get(text[a:b], "u")) for a, b, _ in spans]
            for k, (a, b, _) in enumerate(spans):
                for i in range(a, b):
                    rows[i] += [f"wc={cluster[k]}", f"wcl={cluster[k - 1] if k else '^'}",
                                f"wcr={cluster[k + 1] if k + 1 < len(spans) else '$'}",
                                f"wlast={text[b - 1]}", f"wfirst={text[a]}", f"wlen={min(b - a, 6)}"]
                if k + 1 < len(spans):  # the next word at a word's end, its tag inside
                    rows[b - 1].append(f"nw={text[spans[k + 1][0]:spans[k + 1][1]]}")
                    for i in range(a, b - 1):
                        rows[i].append(f"nwt={spans[k + 1][2]}")
                if k:
                    rows[a].append(f"pw={text[spans[k - 1][0]:spans[k - 1][1]]}")
        return words
    if flag == "jieba":
        import jieba_next as jieba

        jieba.set_log_level(60)

        def boundaries(text: str, rows: list[list[str]]) -> None:
            tags, pos = ["S"] * len(text), 0
            for word in jieba.cut(text):
                if len(word) > 1:
                    tags[pos:pos + len(word)] = ["B", *["M"] * (len(word) - 2), "E"]
                pos += len(word)
            for i, row in enumerate(rows):
                row += [f"jb={tags[i]}", f"jbc={tags[i]}|{text[i]}", f"jbl={tags[i - 1] if i else '^'}|{tags[i]}"]
        return boundaries
    raise ValueError(flag)


VARIANTS: dict[str, tuple[tuple[str, ...], float, float]] = {  # name: (flags, c1, c2)
    "shipped features, c1 0.05 c2 0.01 (round 1)": ((), 0.05, 0.01),
    "+ ngram": (("ngram",), 0.05, 0.01),
    "+ chars256": (("chars256",), 0.05, 0.01),
    "+ words512": (("words512",), 0.05, 0.01),
    "c1 0.2 c2 0.02": ((), 0.2, 0.02),
    "c1 0.2 c2 0.02 + jieba": (("jieba",), 0.2, 0.02),
    "c1 0.5 c2 0.05": ((), 0.5, 0.05),
    "c1 0.5 c2 0.05 + words512": (("words512",), 0.5, 0.05),
    "c1 0.5 c2 0.01": ((), 0.5, 0.01),
    "c1 0.5 c2 0.2": ((), 0.5, 0.2),
    "c1 1.0 c2 0.1": ((), 1.0, 0.1),
}


def run(name: str, fit: list[cluener.Sentence], tune: list[cluener.Sentence]) -> str:
    flags, c1, c2 = VARIANTS[name]
    extras = [extra_features(flag, fit) for flag in flags]

    def features(text: str) -> list[list[str]]:
        rows = sentence_features(text, lac.analyse(text))
        for extra in extras:
            extra(text, rows)
        return rows

    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in fit:
        trainer.append(features(sentence.text), cluener.bio(sentence))
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": 120,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    with tempfile.TemporaryDirectory() as folder:
        model = Path(folder) / "ner.crfsuite"
        trainer.train(str(model))
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model))
        counts: Counter[str] = Counter()
        started, chars = time.process_time(), 0
        for sentence in tune:
            chars += len(sentence.text)
            pred = {s for s in cluener.spans_from_bio(tagger.tag(features(sentence.text)))
                    if s[2] in cluener.ORG_TYPES}
            gold = {s for s in sentence.spans if s[2] in cluener.ORG_TYPES}
            for kind in (*cluener.ORG_TYPES, "all"):
                g = {s[:2] for s in gold if kind in ("all", s[2])}
                p = {s[:2] for s in pred if kind in ("all", s[2])}
                counts[f"{kind}.tp"] += len(g & p)
                counts[f"{kind}.fp"] += len(p - g)
                counts[f"{kind}.fn"] += len(g - p)
        speed = chars / (time.process_time() - started)
        size = model.stat().st_size / 1e6

    def f1(kind: str) -> float:
        tp, fp, fn = counts[f"{kind}.tp"], counts[f"{kind}.fp"], counts[f"{kind}.fn"]
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    per_type = " | ".join(f"{f1(k):.3f}" for k in cluener.ORG_TYPES)
    return f"| {name} | {f1('all'):.3f} | {per_type} | {size:.1f} | {speed:,.0f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", choices=sorted(VARIANTS), default=None)
    args = parser.parse_args()
    fit, tune = tune_cut()
    print(f"fit {len(fit)} sentences, tune {len(tune)}\n")
    print("| variant | pooled F1 | company | government | organization | MB | chars/s (LAC, features, tagging) |")
    print("|---|---|---|---|---|---|---|")
    for name in args.only or VARIANTS:
        print(run(name, fit, tune), flush=True)


if __name__ == "__main__":
    main()
