"""The pluggable dense-text encoder: off by default.

No model hub is reachable here, so the default ranker uses none. A deployment with a
local model (e.g. a sentence-transformers folder on disk) can pass any object with an
``encode(texts) -> array`` method; its cosine similarity becomes one more feature, and
the ranker must then be trained with it (``Matcher.build(..., encoder=...)``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TextEncoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One row vector per text."""
        ...


def load_local_encoder(path: str) -> TextEncoder:
    """A sentence-transformers model from a local folder (never downloads)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - optional
        raise ValueError("a dense encoder needs the sentence-transformers package") from exc
    return SentenceTransformer(path, local_files_only=True)
