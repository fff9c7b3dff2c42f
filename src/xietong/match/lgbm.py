"""LightGBM without its scikit-learn layer, which xietong does not use.

``import lightgbm`` imports scikit-learn when it is installed (for its sklearn-style
estimators): 0.9 of LightGBM's 1.2 s CPU import, paid by every match or recommend that
loads a ranker. Marking scikit-learn absent for the length of the import skips it; the
mark is removed at once, so scikit-learn imports normally afterwards for anyone who wants
it (benchmarks/link_prediction.py --compare-rankers).
"""

from __future__ import annotations

import sys
from types import ModuleType


def lightgbm() -> ModuleType:
    if "lightgbm" not in sys.modules and "sklearn" not in sys.modules:
        sys.modules["sklearn"] = None  # type: ignore[assignment]
        try:
            import lightgbm as lgb
        finally:
            del sys.modules["sklearn"]
        return lgb
    import lightgbm as lgb

    return lgb
