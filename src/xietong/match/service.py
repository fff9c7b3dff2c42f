"""A Matcher for an Ecosystem, with its trained ranker cached between runs.

Training takes tens of seconds on ICKG-sized graphs, so the ranker is saved under
$XIETONG_CACHE (default ~/.cache/xietong) keyed by the store and its edges; the index
itself is rebuilt in memory from the snapshot (seconds).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from xietong.match.engine import Matcher
from xietong.match.features import FEATURES
from xietong.match.ranker import Ranker
from xietong.match.reasons import cite
from xietong.store.snapshot import GraphSnapshot

if TYPE_CHECKING:
    from xietong.api import Ecosystem


def cache_dir() -> Path:
    return Path(os.environ.get("XIETONG_CACHE") or Path.home() / ".cache" / "xietong")


def _fingerprint(url: str, snap: GraphSnapshot) -> str:
    digest = hashlib.sha256(url.encode())
    for array in (snap.edge_fact, snap.edge_relation, snap.ids):
        digest.update(array.tobytes())
    return digest.hexdigest()[:24]


def open_matcher(eco: Ecosystem, *, cache: bool = True) -> Matcher:
    snap = eco.snapshot()
    path = cache_dir() / f"ranker-{_fingerprint(eco.url, snap)}.txt"
    none_marker = path.with_suffix(".none")
    if cache and path.exists():
        return Matcher.build(snap, ranker=Ranker.load(path, FEATURES))
    if cache and none_marker.exists():
        return Matcher.build(snap, train=False)
    matcher = Matcher.build(snap)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        if matcher.ranker is not None:
            matcher.ranker.save(path)
        else:
            none_marker.touch()
    return matcher


def cite_matches(eco: Ecosystem, matches: list) -> None:  # type: ignore[type-arg]
    """Attach the store's sources to every fact on the matches' reason paths."""
    with eco.engine.connect() as conn:
        cite([m.reasons for m in matches], conn)
