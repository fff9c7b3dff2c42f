#!/usr/bin/env python
"""Train the extraction models shipped in src/xietong/extract/.

- the tagger (ner.crfsuite) on the CLUENER train part; the validation cut
  (xietong.extract.cluener.split) is left out, so benchmarks/extraction.py measures on
  sentences the model never saw;
- with ``--relations``, the relation classifier (relations.npz) on FinRE train.txt
  (benchmarks measure it on valid.txt);
- with ``--sectors``, the sector word list (sectors.txt) from chainkg and ICKG industries.

Usage: python scripts/train_ner.py [--out PATH] | --relations [--out PATH] | --sectors
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pycrfsuite

from xietong.extract import cluener, finre, lac, relation_model, sectors
from xietong.extract.features import sentence_features
from xietong.extract.lexicon import company_names

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
# Class weighting of the relation classifier, chosen on a 10 % split of FinRE train
# (docs/decisions/extraction.md): rare relations weigh more, so 订单 (supplies) is
# predicted at all, at little cost in precision (0.5 gave more recall, less precision).
RELATION_CLASS_POWER = 0.25
# CRF penalties of the shipped model. benchmarks/ner_tuning.py compares others on a tune
# part of the CLUENER train part: c1 0.5 / c2 0.05 scored +0.01 there but only +0.004 on
# the validation cut, and its flatter confidences lost about 30 correct names on the
# seeds for about 15 gained (docs/decisions/extraction.md), so the round-1 values stay.
CRF_C1 = 0.05
CRF_C2 = 0.01


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--relations", action="store_true", help="train the relation classifier")
    parser.add_argument("--dictionary", action="store_true",
                        help="add company-names dictionary features (needs ../shared at run time)")
    parser.add_argument("--iterations", type=int, default=120)
    parser.add_argument("--c1", type=float, default=CRF_C1, help="L1 penalty of the CRF")
    parser.add_argument("--c2", type=float, default=CRF_C2, help="L2 penalty of the CRF")
    parser.add_argument("--sectors", action="store_true", help="build the sector word list")
    args = parser.parse_args()
    if args.sectors:
        out = args.out or ROOT / "src/xietong/extract" / sectors.FILE_NAME
        n = sectors.build(DATA / "chainkg" / "industry.jsonl",
                          [DATA / "ickg25" / "entity2id.txt", DATA / "ickg-subset" / "entity2id.txt"],
                          out)
        print(f"wrote {n} sector words to {out}", file=sys.stderr)
        return
    if args.relations:
        started = time.perf_counter()
        out = args.out or ROOT / "src/xietong/extract" / relation_model.MODEL_NAME
        pairs, labels = finre.training_pairs(DATA / "finre" / "train.txt")
        relation_model.train(pairs, labels, class_power=RELATION_CLASS_POWER).save(out)
        print(f"trained {out} on {len(pairs)} pairs ({out.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.0f}s", file=sys.stderr)
        return
    args.out = args.out or ROOT / "src/xietong/extract/ner.crfsuite"
    train, _ = cluener.split(cluener.load(DATA / "cluener" / "train.jsonl"))
    lexicon = company_names(DATA / "company-names" / "company_short_names.txt") \
        if args.dictionary else None
    trainer = pycrfsuite.Trainer(verbose=False)
    started = time.perf_counter()
    for sentence in train:
        feats = sentence_features(sentence.text, lac.analyse(sentence.text), lexicon)
        trainer.append(feats, cluener.bio(sentence))
    print(f"features for {len(train)} sentences in {time.perf_counter() - started:.0f}s",
          file=sys.stderr)
    trainer.set_params({"c1": args.c1, "c2": args.c2, "max_iterations": args.iterations,
                        "feature.possible_transitions": True, "feature.minfreq": 1})
    trainer.train(str(args.out))
    print(f"trained {args.out} ({args.out.stat().st_size / 1e6:.1f} MB) in "
          f"{time.perf_counter() - started:.0f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
