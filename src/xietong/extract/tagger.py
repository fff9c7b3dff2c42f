"""Our organisation/person tagger: a CRF (python-crfsuite) over :mod:`features`.

The model file ships in this package (``ner.crfsuite``, built by scripts/train_ner.py
from the CLUENER train part); it is loaded once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pycrfsuite

from xietong.extract import lac
from xietong.extract.cluener import Span, spans_from_bio
from xietong.extract.features import sentence_features
from xietong.extract.lexicon import Lexicon

MODEL_NAME = "ner.crfsuite"


class ModelMissing(FileNotFoundError):
    """The shipped tagger model is not there (a wheel built without package data?)."""


@lru_cache(maxsize=4)
def _tagger(path: str) -> pycrfsuite.Tagger:
    tagger = pycrfsuite.Tagger()
    tagger.open(path)
    return tagger


@lru_cache(maxsize=1)  # asked once per sentence; importlib.resources took 4 % of extraction
def model_path() -> Path:
    path = Path(str(resources.files("xietong.extract").joinpath(MODEL_NAME)))
    if not path.exists():
        raise ModelMissing(f"{path}: no NER model; build it with scripts/train_ner.py")
    return path


def tag(text: str, lexicon: Lexicon | None = None, model: Path | None = None) -> list[Span]:
    """Typed spans (company, government, organization, name, position, address, misc)."""
    return [(a, b, kind) for a, b, kind, _ in tag_scored(text, lexicon, model)]


def tag_scored(text: str, lexicon: Lexicon | None = None, model: Path | None = None
               ) -> list[tuple[int, int, str, float]]:
    """Spans with the CRF's confidence in them: the lowest marginal probability of the
    span's labels (a span is only as sure as its least sure character)."""
    if not text:
        return []
    tagger = _tagger(str(model or model_path()))
    feats = sentence_features(text, lac.analyse(text), lexicon)
    labels = tagger.tag(feats)
    scored = []
    for a, b, kind in spans_from_bio(labels):
        scored.append((a, b, kind, min(tagger.marginal(labels[i], i) for i in range(a, b))))
    return scored
