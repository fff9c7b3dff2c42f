"""The learned pair classifier: a logistic regression over the matcher's pair features.

The weights live in ``xietong.resolve.weights`` (a generated Python constant, so it ships
with the package without package-data) and are written by
``python benchmarks/resolution.py --train`` (tuning half of the labelled set only), so the
model is reproducible from ../shared/data. Every decision is explainable: the log-odds is
``bias + sum(weight * value)``, and ``contributions`` returns each term.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """L2-penalised logistic regression by Newton's method (IRLS); column 0 is the bias.
    Deterministic: no random start, converges in a few iterations."""
    import numpy as np  # training only: resolving needs no numpy

    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        gradient = x.T @ (p - y) + penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


@dataclass(frozen=True)
class PairModel:
    weights: dict[str, float]  # feature -> weight on the log-odds scale
    bias: float
    merge_threshold: float  # probability
    review_threshold: float
    top_candidates: int  # candidates (by the blocking score) the model judges per query

    def log_odds(self, features: dict[str, float]) -> float:
        weights = self.weights
        return self.bias + sum(weights[k] * v for k, v in features.items() if k in weights)

    def probability(self, features: dict[str, float]) -> float:
        z = self.log_odds(features)
        return 1.0 / (1.0 + math.exp(-z)) if z > -50 else 0.0

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Each feature's term in the log-odds (weight × value), plus the bias."""
        out = {"bias": round(self.bias, 3)}
        for k, v in features.items():
            w = self.weights.get(k)
            if w is not None and v:
                out[k] = round(w * v, 3)
        return out

    def to_module(self, header: str, **extra: object) -> str:
        """The source of ``xietong/resolve/weights.py`` holding this model."""
        data = {"bias": self.bias, "weights": self.weights,
                "merge_threshold": self.merge_threshold,
                "review_threshold": self.review_threshold,
                "top_candidates": self.top_candidates, **extra}
        return f'''"""{header}"""\n\nMODEL = {json.dumps(data, ensure_ascii=False, indent=1,
                                                    sort_keys=True)}\n'''


def model_from_dict(data: dict) -> PairModel:
    return PairModel(weights={k: float(v) for k, v in data["weights"].items()},
                     bias=float(data["bias"]), merge_threshold=float(data["merge_threshold"]),
                     review_threshold=float(data["review_threshold"]),
                     top_candidates=int(data["top_candidates"]))


@lru_cache(maxsize=1)
def load_model() -> PairModel:
    from xietong.resolve.weights import MODEL

    return model_from_dict(MODEL)
